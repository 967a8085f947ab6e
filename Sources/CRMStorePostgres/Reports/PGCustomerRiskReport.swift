import CRMCore
import CRMRepositories
import Foundation

/// The Customers page's retention and at-risk sections on PostgreSQL, the
/// same figures as SQLite's (SQLiteCustomerRiskReport.swift).
extension PGCustomerReportRepository {
    public func retention(_ filter: ReportFilter) throws -> RetentionFigures {
        if storesLifecycleSpans { return try spansRetention(filter) }
        // Each candidate's states (retentionStates), its ids in order per pair.
        let groups = try withoutJIT { try c.query("""
            \(Self.retentionStates)
            SELECT at_start, at_end, string_agg(id::text, ',' ORDER BY id) FROM states
            WHERE at_start OR at_end GROUP BY at_start, at_end
            """, [filter.start, min(filter.end, filter.now), Self.owners(filter)]).rows.map { ($0.bool(0), $0.bool(1), PGReportSQL.orderedIDs($0.optionalString(2))) } }
        func ids(_ start: Bool, _ end: Bool) -> [Int64] { groups.first { $0.0 == start && $0.1 == end }?.2 ?? [] }
        return RetentionFigures(atStart: (ids(true, true) + ids(true, false)).sorted(), retained: ids(true, true),
                                lost: ids(true, false), gained: ids(false, true))
    }

    /// `states`: each candidate's (id, at_start, at_end), $1 the start,
    /// $2 the end (or now), $3 the owners. A contact's lifecycle just
    /// before T: the `from` of its first change at or after T, else its
    /// lifecycle now. Candidates: today's customers and whoever changed
    /// lifecycle (or went to the trash) since the start. A customer of
    /// today with no change since the earlier of start and end (most of
    /// them) was one at both, if it existed then: its states are its
    /// creation against start and end, one pass; only those that changed
    /// are looked up in the history (two look-ups each, where every
    /// customer took two).
    static let retentionStates = """
            WITH changed AS MATERIALIZED (
                SELECT DISTINCT contact_id FROM contact_lifecycle_history WHERE changed_at >= least($1::bigint, $2::bigint)
            ),
            candidates AS (
                -- The live customers that changed, and the others that
                -- changed since the start: apart by construction.
                SELECT id, owner_id, created_at, NULL::bigint AS deleted_at, 'customer'::text AS lifecycle
                FROM contacts WHERE deleted_at IS NULL AND lifecycle = 'customer' AND id IN (SELECT contact_id FROM changed)
                UNION ALL
                SELECT id, owner_id, created_at, deleted_at, lifecycle FROM contacts
                WHERE id IN (SELECT contact_id FROM contact_lifecycle_history WHERE changed_at >= $1::bigint
                             UNION SELECT id FROM contacts WHERE deleted_at >= $1::bigint)
                  AND NOT (deleted_at IS NULL AND lifecycle = 'customer')
            ),
            -- Materialised: each contact's two states worked out once (the
            -- filter below would repeat their look-ups).
            states AS MATERIALIZED (
                SELECT cu.id,
                       cu.created_at < $1::bigint AND (cu.deleted_at IS NULL OR cu.deleted_at >= $1::bigint) AND coalesce(
                           (SELECT h.from_lifecycle FROM contact_lifecycle_history h WHERE h.contact_id = cu.id AND h.changed_at >= $1::bigint
                            ORDER BY h.changed_at, h.id LIMIT 1), cu.lifecycle) = 'customer' AS at_start,
                       cu.created_at < $2::bigint AND (cu.deleted_at IS NULL OR cu.deleted_at >= $2::bigint) AND coalesce(
                           (SELECT h.from_lifecycle FROM contact_lifecycle_history h WHERE h.contact_id = cu.id AND h.changed_at >= $2::bigint
                            ORDER BY h.changed_at, h.id LIMIT 1), cu.lifecycle) = 'customer' AS at_end
                FROM candidates cu
                WHERE ($3::bigint[] IS NULL OR cu.owner_id = ANY($3::bigint[]))
                UNION ALL
                SELECT cu.id, cu.created_at < $1::bigint, cu.created_at < $2::bigint
                FROM contacts cu
                WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                  AND NOT EXISTS (SELECT 1 FROM changed k WHERE k.contact_id = cu.id)
                  AND ($3::bigint[] IS NULL OR cu.owner_id = ANY($3::bigint[]))
            )
            """

    public func atRisk(_ filter: ReportFilter, rules: [CadenceRule], windowDays: Int, limit: Int) throws -> (rows: [AtRiskRow], total: Int, ids: [Int64]) {
        try atRisk(filter, rules: rules, windowDays: windowDays, limit: limit, withIDs: true)
    }

    public func atRisk(_ filter: ReportFilter, rules: [CadenceRule], windowDays: Int, limit: Int, withIDs: Bool) throws
        -> (rows: [AtRiskRow], total: Int, ids: [Int64]) {
        let cadence = AtRiskCadence(rules)
        let now = filter.now.wholeSecondsSince1970
        let sortedTags = cadence.tags.sorted { $0.key < $1.key }
        // The effective cadence: the contact's own, else the shortest rule
        // that applies (customer stage, its tier, its tags), as Needs attention.
        // The tag rules are looked up only when there are some (as on
        // SQLite): most settings have none, and the look-up cost three
        // probes per customer. `tagrules` names $8 and $9's types when unused.
        let tagDays = sortedTags.isEmpty ? "$7::bigint" : """
            coalesce((SELECT min(r.days) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                      JOIN unnest($8::text[], $9::bigint[]) AS r(name, days) ON r.name = lower(t.name)
                      WHERE ct.contact_id = cu.id), $7::bigint)
            """
        var values: [any PGBindable] = [cadence.lifecycle, cadence.days(.a), cadence.days(.b), cadence.days(.c), Self.owners(filter), now,
                                        AtRiskCadence.never, PGReportSQL.textArray(sortedTags.map(\.key)),
                                        PGReportSQL.array(sortedTags.map(\.value))]
        let falling: String
        if windowDays == CustomerActivityWindow.days, let asOf = try PGCustomerActivity.asOf(c),
           let slices = CustomerActivityWindow.slices(asOf: asOf, now: now) {
            falling = Self.storedRiskSQL(tagDays: tagDays)
            values += [slices.lo, slices.hi, slices.sign, CustomerActivityWindow.half]
        } else {
            falling = Self.countedRiskSQL(tagDays: tagDays)
            values.append(Int64(max(1, windowDays)) * 86_400 / 2)
        }
        // Every customer at risk, most overdue first, counted and their ids
        // in that order (what Enter lists) in one row; the first `limit` as
        // rows (10,000 customers at risk at 100,000 contacts, of which the
        // page shows 20), then their names.
        values.append(Int64(max(0, limit)))
        var total = 0
        var ids: [Int64] = []
        var all: [AtRiskRow] = []
        for row in try withoutJIT({ try c.query(Self.riskSQL(falling: falling, limit: values.count, withIDs: withIDs), values).rows }) {
            guard row.int(0) == 1 else {
                total = row.int(1)
                ids = PGReportSQL.orderedIDs(row.optionalString(6))
                continue
            }
            all.append(AtRiskRow(contactID: row.int64(1), name: "", lastTouch: row.date(2), cadenceDays: row.int(3),
                                 daysOverdue: Int((now - row.int64(2) - row.int64(3) * 86_400) / 86_400), earlier: row.int(4),
                                 recent: row.int(5), tier: row.optionalString(6).flatMap(ValueTier.init(rawValue:))))
        }
        var names: [Int64: String] = [:]
        for row in try c.query("SELECT id, name FROM contacts WHERE id = ANY($1::bigint[])", [PGReportSQL.array(all.map(\.contactID))]).rows {
            names[row.int64(0)] = row.string(1)
        }
        for i in all.indices { all[i].name = names[all[i].contactID] ?? "" }
        return (all, total, ids)
    }

    /// The list's statement around a `falling` (stored or counted): the
    /// customers due, most overdue first.
    static func riskSQL(falling: String, limit: Int, withIDs: Bool = true) -> String {
        """
        WITH \(falling),
        tagrules AS (SELECT $8::text[] AS names, $9::bigint[] AS days),
        listed AS (SELECT f.id, f.touch, f.cadence, f.earlier, f.recent, f.tier, f.touch + f.cadence * 86400 AS due_at FROM falling f
                WHERE f.cadence < $7::bigint AND f.touch + f.cadence * 86400 < $6::bigint)
        SELECT 0 AS part, count(*), NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, \(withIDs ? "string_agg(id::text, ',' ORDER BY due_at, id)" : "NULL::text")
        FROM listed
        UNION ALL
        (SELECT 1, id, touch, cadence, earlier, recent, tier FROM listed ORDER BY due_at, id LIMIT $\(limit)::bigint)
        """
    }

    /// `falling` from the stored counts (schema 55): the customers whose
    /// stored activity falls (customer_activity_falling) except those with
    /// interactions in the slices between the window's end and now
    /// ($10–$13, PGCustomerActivity.correctionsSQL), decided with their
    /// corrected counts. $1–$9 as `countedRiskSQL`.
    static func storedRiskSQL(tagDays: String) -> String {
        """
        corrections AS MATERIALIZED (\(PGCustomerActivity.correctionsSQL(first: 10))),
        activity AS (
            SELECT a.contact_id AS id, a.touch, a.cadence_days, a.value_tier, a.earlier, a.recent
            FROM customer_activity a
            WHERE a.earlier > a.recent AND ($5::bigint[] IS NULL OR a.owner_id = ANY($5::bigint[]))
              AND NOT EXISTS (SELECT 1 FROM corrections k WHERE k.contact_id = a.contact_id)
            UNION ALL
            -- Each corrected customer by primary key (OFFSET 0 keeps the
            -- look-up: joined, the planner hashed all 35,000 rows of the
            -- table for the 1,400 customers of a day's slices).
            SELECT a.contact_id, a.touch, a.cadence_days, a.value_tier, a.earlier + k.de, a.recent + k.dr
            FROM corrections k
            CROSS JOIN LATERAL (SELECT * FROM customer_activity x WHERE x.contact_id = k.contact_id OFFSET 0) a
            WHERE a.earlier + k.de > a.recent + k.dr AND ($5::bigint[] IS NULL OR a.owner_id = ANY($5::bigint[]))
        ),
        falling AS (
            SELECT cu.id, cu.touch, cu.value_tier AS tier, cu.earlier, cu.recent,
                   coalesce(cu.cadence_days, least($1::bigint,
                       CASE cu.value_tier WHEN 'A' THEN $2::bigint WHEN 'B' THEN $3::bigint WHEN 'C' THEN $4::bigint ELSE $7::bigint END,
                       \(tagDays))) AS cadence
            FROM activity cu
        )
        """
    }

    /// `falling` counted from the interactions of the window before now
    /// ($10 half the window), for a window other than the stored one or a
    /// now half a window or more from it. $1 the customer stage's cadence,
    /// $2–$4 tiers A–C's, $5 the owners, $6 now, $7 "never", $8/$9 the tags'.
    static func countedRiskSQL(tagDays: String) -> String {
        """
        due AS (
            SELECT cu.id, coalesce(cu.last_interaction_at, cu.created_at) AS touch, cu.value_tier AS tier,
                   coalesce(cu.cadence_days, least($1::bigint,
                       CASE cu.value_tier WHEN 'A' THEN $2::bigint WHEN 'B' THEN $3::bigint WHEN 'C' THEN $4::bigint ELSE $7::bigint END,
                       \(tagDays))) AS cadence
            FROM contacts cu
            WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND ($5::bigint[] IS NULL OR cu.owner_id = ANY($5::bigint[]))
        ),
        -- Both halves of the window counted in one pass over the
        -- interactions of the window, per contact: a contact without
        -- any has 0 and 0, never falling, so only these can be at risk.
        activity AS (
            SELECT i.contact_id,
                   count(*) FILTER (WHERE i.occurred_at < $6::bigint - $10::bigint) AS earlier,
                   count(*) FILTER (WHERE i.occurred_at >= $6::bigint - $10::bigint) AS recent
            FROM interactions i
            WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
              AND i.occurred_at >= $6::bigint - 2 * $10::bigint AND i.occurred_at < $6::bigint
            GROUP BY i.contact_id
        ),
        falling AS (
            SELECT due.id, due.touch, due.cadence, due.tier, a.earlier, a.recent
            FROM due JOIN activity a ON a.contact_id = due.id
            WHERE a.earlier > a.recent
        )
        """
    }
}
