/// The AFTER INSERT triggers of deals and their stage history that keep
/// derived tables in step row by row: the stage stays (schema 35) and the stages
/// each deal entered (schema 56), the customers whose won values are to be
/// summed again and the value tiers' stale mark (schema 29). (The duplicate key counts of schema 36 and a new
/// contact's won-value mark are `RowKeyTrigger`s, suspended by every bulk
/// load, a demo fill's included, and counted again before COMMIT.) A demo or
/// bench fill (`BulkLoader.suspendsDerivedTriggers`) drops them for the
/// length of its transaction and fills each table with one set-based
/// statement at the end instead: a stage-history row's trigger deletes and
/// writes again every stay of its deal and looks the deal's history up
/// through an index the fill has dropped, which made it a scan per row.
///
/// Like `RowKeyTrigger`, the definitions are not repeated: BulkLoader keeps
/// the SQL the file has (sqlite_master) and puts exactly that back before
/// COMMIT. Each backfill's one parameter is the largest rowid of `table`
/// before the load; it covers rows the load inserted only, so it is right
/// for a load that inserts new contacts with their emails, phones and deals
/// and new deals with their history, as a demo fill does (an import, which
/// may also change rows during its load, keeps the triggers).
///
/// FastBuildTests proves the result equals the per-row triggers', down to
/// the ids of `report_stage_stays`: the per-row path writes a deal's closing
/// stay when the deal is inserted, then rewrites its history stays (taking
/// the ids just freed at the top of the table) after each history row, so
/// its stays end up numbered consecutively, closing stay first, then the
/// history stays in time order; the backfill inserts them in that order.
struct DerivedTableTrigger {
    /// The triggers this backfill stands for.
    let names: [String]
    /// The table whose rowid watermark the backfills take.
    let table: String
    /// Run in order after the load's indexes are built.
    let backfills: [String]
    /// Suspended by every bulk load, not only by a fill that asks
    /// (`BulkLoader.suspendsDerivedTriggers`).
    var everyLoad = false

    static let all: [DerivedTableTrigger] = [namePairs, customerActivityContacts, customerActivityInteractions,
        DerivedTableTrigger(
            names: ["customer_won_values_deal_insert", "value_tier_stale_deal_insert",
                    "report_stage_stays_deal_insert", "report_stage_stays_history_insert"],
            table: "deals",
            backfills: ["""
            INSERT OR IGNORE INTO customer_won_values_dirty(kind, id)
            SELECT 'contact', contact_id FROM deals WHERE id > ?1 AND status = 'won' AND contact_id IS NOT NULL
            UNION ALL SELECT 'company', company_id FROM deals WHERE id > ?1 AND status = 'won' AND company_id IS NOT NULL
            """, """
            UPDATE value_tier_state SET stale = 1 WHERE stale = 0 AND EXISTS (SELECT 1 FROM deals WHERE id > ? AND status = 'won')
            """, """
            INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
            SELECT deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency FROM (
                SELECT d.id AS deal_id, NULL AS history_id, d.stage_id, d.closed_at AS left_at,
                       d.closed_at - d.stage_entered_at AS secs, d.deleted_at IS NULL AS live, d.owner_id, d.pipeline_id,
                       d.currency, 0 AS part, 0 AS at
                FROM deals d WHERE d.id > ?1 AND d.status IN ('won', 'lost')
                UNION ALL
                SELECT n.deal_id, n.id, n.from_stage_id, n.changed_at,
                       n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                       WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                         AND p.changed_at <= n.changed_at AND p.id < n.id),
                       d.deleted_at IS NULL, d.owner_id, d.pipeline_id, d.currency, 1, n.changed_at
                FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id
                WHERE n.deal_id > ?1 AND n.from_stage_id IS NOT NULL)
            WHERE secs IS NOT NULL AND secs >= 0
            ORDER BY deal_id, part, at, history_id
            """, """
            INSERT OR REPLACE INTO report_deal_seen(deal_id, stages)
            SELECT d.id, (SELECT group_concat(s, ',') FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                                                           UNION SELECT d.stage_id ORDER BY 1))
            FROM deals d WHERE d.id > ?
            """]),
    ]

    /// Since version 46: which name groups list a pair (SchemaV46NamePairGroups).
    /// Suspended by every bulk load (`everyLoad`), an import's included: their
    /// presence made each inserted contact, address and number a multi-write
    /// statement (see RowKeyTrigger). The backfill takes out the groups that
    /// list no pair any more (an address an import's merge added), then
    /// decides again every group of the shared name keys (counted already by
    /// RowKeyTrigger's backfills; no other group can list a pair): a few
    /// thousand at most, each a few index seeks. A load's updates (an
    /// import's merge) keep their triggers. (`?1`, the watermark, only
    /// takes the one parameter every backfill is given.)
    static let namePairs = DerivedTableTrigger(
        names: ["contact_name_pairs_contact_insert", "contact_name_pairs_email_insert", "contact_name_pairs_phone_insert"],
        table: "contacts",
        backfills: ["""
        DELETE FROM contact_name_pairs
        WHERE ?1 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contact_name_pair_members m
                                             WHERE m.name_key = contact_name_pairs.name_key
                                               AND m.company_id = contact_name_pairs.company_id)
        """, """
        INSERT OR IGNORE INTO contact_name_pairs(name_key, company_id)
        SELECT s.name_key, s.company_id FROM contact_name_key_counts s INDEXED BY contact_name_keys_shared
        WHERE s.n > 1 AND s.name_key <> '' AND ?1 IS NOT NULL
          AND EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = s.name_key AND m.company_id = s.company_id)
        """],
        everyLoad: true)

    /// Since version 55: the at-risk list's activity per live customer
    /// (SchemaV55CustomerActivity). Suspended by every bulk load: a row's
    /// insert trigger counts two ranges of interactions_by_contact, which a
    /// fill has dropped. The backfills count from scratch (set, not added
    /// to), after the indexes are built, so their order and the load's
    /// updates (kept row by row) do not matter: the new customers' rows, and
    /// the rows of every customer the load gave interactions to.
    static let customerActivityContacts = DerivedTableTrigger(
        names: ["customer_activity_contact_insert"],
        table: "contacts",
        backfills: ["""
        INSERT OR REPLACE INTO customer_activity(contact_id, owner_id, touch, cadence_days, value_tier, earlier, recent)
        SELECT c.id, c.owner_id, coalesce(c.last_interaction_at, c.created_at), c.cadence_days, c.value_tier,
               \(CustomerActivity.earlierCount("c.id", window: "w")), \(CustomerActivity.recentCount("c.id", window: "w"))
        FROM contacts c, customer_activity_window w
        WHERE w.id = 1 AND c.id > ? AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
        """],
        everyLoad: true)

    static let customerActivityInteractions = DerivedTableTrigger(
        names: ["customer_activity_interaction_insert"],
        table: "interactions",
        backfills: ["""
        UPDATE customer_activity
        SET earlier = (SELECT \(CustomerActivity.earlierCount("customer_activity.contact_id", window: "w"))
                       FROM customer_activity_window w WHERE w.id = 1),
            recent = (SELECT \(CustomerActivity.recentCount("customer_activity.contact_id", window: "w"))
                      FROM customer_activity_window w WHERE w.id = 1)
        WHERE contact_id IN (SELECT contact_id FROM interactions WHERE id > ? AND contact_id IS NOT NULL)
        """],
        everyLoad: true)
}
