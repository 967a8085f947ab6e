import CRMCore
import CRMRepositories
import Foundation

/// The Customers page's at-risk section on SQLite (retention: SQLiteRetentionReport).
extension SQLiteCustomerReportRepository {
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
        // The rules' tags are lowered in Swift: crm_tag_key lowers every
        // letter as they are (SQL's lower() only A–Z).
        let tagDays = { (id: String) in cadence.tags.isEmpty ? "?7" : """
            coalesce((SELECT min(j.value) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                      JOIN json_each(?8) j ON j.key = crm_tag_key(t.name) WHERE ct.contact_id = \(id)), ?7)
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
