import CRMCore
import CRMRepositories
import Foundation

/// The Customers page's retention and at-risk sections on SQLite.
extension SQLiteCustomerReportRepository {
    public func retention(_ filter: ReportFilter) throws -> RetentionFigures {
        guard hasTiers else { return RetentionFigures(atStart: [], retained: [], lost: [], gained: []) }
        // Each candidate's states (retentionStates), its ids in order per pair.
        let groups = try c.rows("""
            \(Self.retentionStates)
            SELECT at_start, at_end, group_concat(id) FROM (SELECT * FROM states ORDER BY id)
            WHERE at_start OR at_end GROUP BY at_start, at_end
            """, [filter.start, min(filter.end, filter.now), owners(filter)]) { row in (row.int(0) == 1, row.int(1) == 1, Self.ids(row.optionalString(2))) }
        func ids(_ start: Bool, _ end: Bool) -> [Int64] { groups.first { $0.0 == start && $0.1 == end }?.2 ?? [] }
        return RetentionFigures(atStart: (ids(true, true) + ids(true, false)).sorted(), retained: ids(true, true),
                                lost: ids(true, false), gained: ids(false, true))
    }

    public func retentionCounts(_ filter: ReportFilter) throws -> RetentionCounts {
        guard hasTiers else { return RetentionCounts(atStart: 0, retained: 0, lost: 0, gained: 0) }
        return try c.first(Self.retentionCountsSQL, [filter.start, min(filter.end, filter.now), owners(filter)]) { row in
            RetentionCounts(atStart: row.int(0) + row.int(1), retained: row.int(0), lost: row.int(1), gained: row.int(2))
        } ?? RetentionCounts(atStart: 0, retained: 0, lost: 0, gained: 0)
    }

    public func retentionCustomers(_ filter: ReportFilter, part: RetentionPart) throws -> [Int64] {
        guard hasTiers else { return [] }
        return try c.first("""
            \(Self.retentionStates)
            SELECT group_concat(id) FROM (SELECT id FROM states WHERE \(Self.retentionCondition(part)) ORDER BY id)
            """, [filter.start, min(filter.end, filter.now), owners(filter)]) { Self.ids($0.optionalString(0)) } ?? []
    }

    /// Which of `states`' rows a row of retention lists.
    static func retentionCondition(_ part: RetentionPart) -> String {
        switch part {
        case .atStart: "at_start"
        case .retained: "at_start AND at_end"
        case .lost: "at_start AND NOT at_end"
        case .gained: "at_end AND NOT at_start"
        }
    }

    /// `candidate_states`: each candidate's (id, at_start, at_end), ?1 the
    /// start, ?2 the end (or now), ?3 the owners. A contact's lifecycle just
    /// before T: the `from` of its first change at or after T, else its
    /// lifecycle now. Candidates: today's customers and whoever changed
    /// lifecycle (or went to the trash) since the start. A customer of
    /// today with no change since the earlier of start and end (most of
    /// them) was one at both, if it existed then: its two states are its
    /// creation against start and end, read in one pass of the customers'
    /// covering index. Only the few that changed are looked up in the
    /// history (two look-ups each, where every customer took two).
    static let retentionCandidates = """
            WITH changed AS MATERIALIZED (
                SELECT DISTINCT contact_id FROM contact_lifecycle_history INDEXED BY contact_lifecycle_history_by_time
                WHERE changed_at >= min(?1, ?2)
            ),
            candidates AS (
                -- The live customers that changed, looked up by key (a
                -- walk of the customers' index asked each whether it changed).
                SELECT cu.id, cu.owner_id, cu.created_at, NULL AS deleted_at, 'customer' AS lifecycle
                FROM changed k CROSS JOIN contacts cu ON cu.id = k.contact_id
                WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                UNION
                SELECT id, owner_id, created_at, deleted_at, lifecycle FROM contacts
                WHERE id IN (SELECT contact_id FROM contact_lifecycle_history WHERE changed_at >= ?1
                             UNION SELECT id FROM contacts INDEXED BY contacts_in_trash WHERE deleted_at >= ?1)
            ),
            candidate_states AS (
                SELECT cu.id,
                       cu.created_at < ?1 AND (cu.deleted_at IS NULL OR cu.deleted_at >= ?1) AND coalesce(
                           (SELECT h.from_lifecycle FROM contact_lifecycle_history h WHERE h.contact_id = cu.id AND h.changed_at >= ?1
                            ORDER BY h.changed_at, h.id LIMIT 1), cu.lifecycle) = 'customer' AS at_start,
                       cu.created_at < ?2 AND (cu.deleted_at IS NULL OR cu.deleted_at >= ?2) AND coalesce(
                           (SELECT h.from_lifecycle FROM contact_lifecycle_history h WHERE h.contact_id = cu.id AND h.changed_at >= ?2
                            ORDER BY h.changed_at, h.id LIMIT 1), cu.lifecycle) = 'customer' AS at_end
                FROM candidates cu
                WHERE (?3 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?3)))
            )
            """

    /// `states`: `retentionCandidates`' states and those of the customers
    /// of today that did not change, from their creation.
    static let retentionStates = """
            \(retentionCandidates),
            states AS (
                SELECT * FROM candidate_states
                UNION ALL
                SELECT cu.id, cu.created_at < ?1, cu.created_at < ?2
                FROM contacts cu INDEXED BY contacts_customers_by_company
                WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND cu.id NOT IN (SELECT contact_id FROM changed)
                  AND (?3 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?3)))
            )
            """

    /// Retention's counts (at the start and at the end, at the start only,
    /// at the end only): every customer of today counted from its creation
    /// (one pass of the customers' covering index comparing two times),
    /// less those of them that changed, plus the candidates' states (both
    /// a few rows, as in `states`). `states` asked each of the 35,000
    /// customers whether it changed and passed every row on to the sums.
    static let retentionCountsSQL = """
            \(retentionCandidates)
            SELECT a.kept - b.kept + c.kept, a.gone - b.gone + c.gone, a.came - b.came + c.came
            FROM (SELECT \(tally("cu.created_at < ?1", "cu.created_at < ?2"))
                  FROM contacts cu INDEXED BY contacts_customers_by_company
                  WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                    AND (?3 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?3)))) a,
                 (SELECT \(tally("cu.created_at < ?1", "cu.created_at < ?2"))
                  FROM changed k CROSS JOIN contacts cu ON cu.id = k.contact_id
                  WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                    AND (?3 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?3)))) b,
                 (SELECT \(tally("at_start", "at_end")) FROM (SELECT at_start, at_end FROM candidate_states LIMIT -1)) c
            """

    /// Counts of rows customers at the start and the end (`kept`), at the
    /// start only (`gone`) and at the end only (`came`). (The candidates'
    /// states are read through `LIMIT -1`, a co-routine, so each look-up
    /// of the history is made once, not once per count.)
    private static func tally(_ atStart: String, _ atEnd: String) -> String {
        """
        count(*) FILTER (WHERE \(atStart) AND \(atEnd)) AS kept, count(*) FILTER (WHERE \(atStart) AND NOT \(atEnd)) AS gone,
        count(*) FILTER (WHERE \(atEnd) AND NOT \(atStart)) AS came
        """
    }

    public func atRisk(_ filter: ReportFilter, rules: [CadenceRule], windowDays: Int, limit: Int) throws -> (rows: [AtRiskRow], total: Int, ids: [Int64]) {
        try atRisk(filter, rules: rules, windowDays: windowDays, limit: limit, withIDs: true)
    }

    public func atRisk(_ filter: ReportFilter, rules: [CadenceRule], windowDays: Int, limit: Int, withIDs: Bool) throws
        -> (rows: [AtRiskRow], total: Int, ids: [Int64]) {
        let hasTiers = hasTiers
        let cadence = AtRiskCadence(rules)
        let now = filter.now.wholeSecondsSince1970
        // The effective cadence: the contact's own, else the shortest rule
        // that applies (customer stage, its tier, its tags), as Needs
        // attention. The tag rules are looked up only when there are some:
        // most settings have none, and the look-up costs a probe per customer.
        let tagDays = { (id: String) in cadence.tags.isEmpty ? "?7" : """
            coalesce((SELECT min(j.value) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                      JOIN json_each(?8) j ON j.key = lower(t.name) WHERE ct.contact_id = \(id)), ?7)
            """
        }
        let never = AtRiskCadence.never
        let values: [SQLBindable] = [cadence.lifecycle, cadence.days(.a), cadence.days(.b), cadence.days(.c), owners(filter), now, never,
                                     cadence.tags.isEmpty ? nil : CustomerValueSQL.json(cadence.tags.mapValues(Double.init))]
        let sql: String
        var parameters = values
        var stored = false
        if windowDays == CustomerActivityWindow.days, let asOf = try CustomerActivity.asOf(c),
           let slices = CustomerActivityWindow.slices(asOf: asOf, now: now) {
            sql = Self.storedRiskSQL(tagDays: tagDays("cu.id"))
            parameters += [slices.lo, slices.hi, slices.sign, CustomerActivityWindow.half]
            stored = true
        } else {
            sql = Self.countedRiskSQL(tagDays: tagDays("cu.id"), hasTiers: hasTiers)
            parameters.append(Int64(max(1, windowDays)) * 86_400 / 2)
        }
        // One pass: every customer at risk, most overdue first, counted and
        // their ids in that order (what Enter lists) in one row; the first
        // `limit` as rows (10,000 customers at risk at 100,000 contacts,
        // of which the page shows 20), then their names.
        parameters.append(Int64(max(0, limit)))
        var total = 0
        var ids: [Int64] = []
        let page = !withIDs && stored // the stored counts, without the ids
        var all = try c.rows(page ? Self.storedRiskPageSQL(tagDays: tagDays("a.contact_id")) : """
            \(sql),
            \(withIDs ? """
                listed AS MATERIALIZED (SELECT id, touch, cadence, earlier, recent, tier FROM falling
                                        WHERE cadence < ?7 AND touch + cadence * 86400 < ?6
                                        ORDER BY touch + cadence * 86400, id)
                SELECT 0, count(*), group_concat(id), NULL, NULL, NULL, NULL FROM listed
                UNION ALL
                SELECT * FROM (SELECT 1, id, touch, cadence, earlier, recent, tier FROM listed LIMIT ?\(parameters.count))
                """ : """
                listed AS (SELECT id, touch, cadence, earlier, recent, tier FROM falling
                           WHERE cadence < ?7 AND touch + cadence * 86400 < ?6)
                SELECT 0, count(*), NULL, NULL, NULL, NULL, NULL FROM listed
                UNION ALL
                SELECT * FROM (SELECT 1, id, touch, cadence, earlier, recent, tier FROM listed
                               ORDER BY touch + cadence * 86400, id LIMIT ?\(parameters.count))
                """)
            """, parameters) { row -> AtRiskRow? in
            guard row.int(0) == 1 else {
                total = row.int(1)
                ids = Self.ids(row.optionalString(2))
                return nil
            }
            return AtRiskRow(contactID: row.int64(1), name: "", lastTouch: row.date(2), cadenceDays: row.int(3),
                             daysOverdue: Int((now - row.int64(2) - row.int64(3) * 86_400) / 86_400), earlier: row.int(4),
                             recent: row.int(5), tier: row.optionalString(6).flatMap(ValueTier.init(rawValue:)))
        }.compactMap { $0 }
        let names = Dictionary(try c.rows("SELECT id, name FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                                          [CustomerValueSQL.json(all.map(\.contactID))]) { ($0.int64(0), $0.string(1)) },
                               uniquingKeysWith: { a, _ in a })
        for i in all.indices { all[i].name = names[all[i].contactID] ?? "" }
        return (all, total, ids)
    }

    /// `falling` from the stored counts (schema 55): the customers whose
    /// stored activity falls (customer_activity_falling, one pass) except
    /// those with interactions in the slices between the window's end and
    /// now (?9–?12, CustomerActivity.correctionsSQL), which are decided
    /// with their corrected counts. ?1–?8 as `countedRiskSQL`.
    static func storedRiskSQL(tagDays: String) -> String {
        """
        WITH corrections AS MATERIALIZED (\(CustomerActivity.correctionsSQL(first: 9))),
        activity AS (
            SELECT a.contact_id AS id, a.touch, a.cadence_days, a.value_tier, a.earlier, a.recent
            FROM customer_activity a INDEXED BY customer_activity_falling
            WHERE a.earlier > a.recent AND (?5 IS NULL OR a.owner_id IN (SELECT value FROM json_each(?5)))
              AND a.contact_id NOT IN (SELECT contact_id FROM corrections)
            UNION ALL
            SELECT a.contact_id, a.touch, a.cadence_days, a.value_tier, a.earlier + k.de, a.recent + k.dr
            FROM corrections k CROSS JOIN customer_activity a ON a.contact_id = k.contact_id
            WHERE a.earlier + k.de > a.recent + k.dr AND (?5 IS NULL OR a.owner_id IN (SELECT value FROM json_each(?5)))
        ),
        falling AS (
            SELECT cu.id, cu.touch, cu.value_tier AS tier, cu.earlier, cu.recent,
                   coalesce(cu.cadence_days, min(?1, CASE cu.value_tier WHEN 'A' THEN ?2 WHEN 'B' THEN ?3 WHEN 'C' THEN ?4 ELSE ?7 END,
                                                 \(tagDays))) AS cadence
            FROM activity cu
        )
        """
    }

    /// The page's at-risk list (no ids) from the stored counts, as
    /// `storedRiskSQL` and its `listed` give it (?1–?12 the same, ?13 the
    /// limit), without checking every stored row against the corrected
    /// customers nor passing the rows through three materialised tables
    /// (about 7 ms of 24 at 100,000 contacts): the count is the stored
    /// rows listed, less the corrected customers' stored rows that were
    /// listed, plus those listed with their counts of now (the cadence and
    /// the due day do not depend on the counts); only the first rows by due
    /// day are checked against the corrected ones.
    static func storedRiskPageSQL(tagDays: String) -> String {
        let cadence = """
            coalesce(a.cadence_days, min(?1, CASE a.value_tier WHEN 'A' THEN ?2 WHEN 'B' THEN ?3 WHEN 'C' THEN ?4 ELSE ?7 END, \(tagDays)))
            """
        let owned = "(?5 IS NULL OR a.owner_id IN (SELECT value FROM json_each(?5)))"
        let due = "\(cadence) < ?7 AND a.touch + \(cadence) * 86400 < ?6"
        return """
            WITH corrections AS MATERIALIZED (\(CustomerActivity.correctionsSQL(first: 9))),
            moved AS MATERIALIZED (
                SELECT a.contact_id AS id, a.touch, a.value_tier AS tier, a.earlier + k.de AS earlier, a.recent + k.dr AS recent,
                       \(cadence) AS cadence, a.earlier > a.recent AS was, a.earlier + k.de > a.recent + k.dr AS falls
                FROM corrections k CROSS JOIN customer_activity a ON a.contact_id = k.contact_id
                WHERE \(due) AND \(owned)
            )
            SELECT 0, (SELECT count(*) FROM customer_activity a INDEXED BY customer_activity_falling
                       WHERE a.earlier > a.recent AND \(owned) AND \(due))
                      - (SELECT count(*) FROM moved WHERE was) + (SELECT count(*) FROM moved WHERE falls),
                   NULL, NULL, NULL, NULL, NULL
            UNION ALL
            SELECT * FROM (
                SELECT 1, id, touch, cadence, earlier, recent, tier FROM (
                    SELECT a.contact_id AS id, a.touch, \(cadence) AS cadence, a.earlier, a.recent, a.value_tier AS tier
                    FROM customer_activity a INDEXED BY customer_activity_falling
                    WHERE a.earlier > a.recent AND \(owned) AND \(due) AND a.contact_id NOT IN (SELECT id FROM moved)
                    UNION ALL
                    SELECT id, touch, cadence, earlier, recent, tier FROM moved WHERE falls)
                ORDER BY touch + cadence * 86400, id LIMIT ?13)
            """
    }

    /// `falling` counted from the interactions: two ranges of
    /// interactions_by_contact per customer due (?9 half the window), for a
    /// window other than the stored one, a now half a window or more from
    /// it, or a file older than schema 55. ?1 the customer stage's cadence,
    /// ?2–?4 tiers A–C's, ?5 the owners, ?6 now, ?7 "never", ?8 the tags'.
    static func countedRiskSQL(tagDays: String, hasTiers: Bool) -> String {
        let tierDays = hasTiers ? "CASE cu.value_tier WHEN 'A' THEN ?2 WHEN 'B' THEN ?3 WHEN 'C' THEN ?4 ELSE ?7 END" : "?7"
        return """
            WITH due AS (
                SELECT id, touch, tier, coalesce(own, min(?1, \(tierDays), \(tagDays))) AS cadence
                FROM (SELECT cu.id, coalesce(cu.last_interaction_at, cu.created_at) AS touch, \(hasTiers ? "cu.value_tier" : "NULL") AS tier,
                             cu.cadence_days AS own, cu.value_tier
                      FROM contacts cu \(hasTiers ? "INDEXED BY contacts_customers_by_company" : "")
                      WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                        AND (?5 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?5)))) cu
            ),
            falling AS (
                SELECT id, touch, cadence, tier, earlier, recent FROM (
                    SELECT due.id, due.touch, due.cadence, due.tier,
                           (SELECT count(*) FROM interactions i WHERE i.contact_id = due.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                              AND i.occurred_at >= ?6 - 2 * ?9 AND i.occurred_at < ?6 - ?9) AS earlier,
                           (SELECT count(*) FROM interactions i WHERE i.contact_id = due.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                              AND i.occurred_at >= ?6 - ?9 AND i.occurred_at < ?6) AS recent
                    FROM due
                    WHERE due.cadence < ?7 AND due.touch + due.cadence * 86400 < ?6)
                WHERE earlier > recent
            )
            """
    }
}
