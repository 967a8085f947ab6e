import CRMCore
import CRMRepositories
import Foundation

/// The Customers report (page 5) in SQL: every figure is aggregated by the
/// database over the won-deal, lifecycle-history and interaction indexes;
/// only the figures (and the ids behind them, for Enter) come back.
public final class SQLiteCustomerReportRepository: CustomerReportRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    /// Seconds in a year of 365.25 days (tenure and lifespan in years).
    static let year = 31_557_600.0

    /// Whether the file has the tiers (schema 29); one read as it is at an
    /// older schema has no won-deal indexes nor stored tiers.
    private var hasTiers: Bool {
        (try? c.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'value_tier_state'")) == 1
    }

    /// The owners as JSON (NULL: everyone's).
    private func owners(_ filter: ReportFilter) -> SQLBindable {
        filter.ownerIDs.isEmpty ? SQLValue.null : CustomerValueSQL.json(filter.ownerIDs)
    }
    /// The owners filter on a row of `alias` (every CTE carries owner_id,
    /// so no figure joins back to the contacts).
    private static func owned(_ alias: String, _ parameter: Int = 8) -> String {
        "(?\(parameter) IS NULL OR \(alias).owner_id IN (SELECT value FROM json_each(?\(parameter))))"
    }

    // The four below read the temporary tables `prepareFigures` fills
    // (CustomerReportCache): a page works its values, tiers and scores out
    // once, not once per section. The owners filter is `?1`.

    public func topCustomers(_ filter: ReportFilter, policy: ValueTierPolicy, limit: Int) throws -> [CustomerValueRow] {
        guard hasTiers else { return [] }
        if let bounds = try rankBounds(filter, policy) {
            return try c.rows(CustomerRankKeys.topSQL,
                              CustomerRankKeys.parameters(bounds, currency: policy.currency, owners: owners(filter), limit: limit),
                              Self.valueRow)
        }
        try prepareFigures(filter, policy, scores: true)
        return try c.rows("""
            WITH top AS (SELECT * FROM temp.customer_report_ranked r WHERE \(Self.owned("r", 1))
                         ORDER BY r.bucket, r.value DESC, r.contact_id LIMIT ?2)
            SELECT t.contact_id, c.name, co.name, t.bucket, t.converted, t.value, t.deals, t.tier, q.r, q.f, q.m
            FROM top t JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = c.company_id
            JOIN temp.customer_report_rfm q ON q.contact_id = t.contact_id
            ORDER BY t.bucket, t.value DESC, t.contact_id
            """, [owners(filter), limit], Self.valueRow)
    }

    /// A top customer's row: id, name, company, bucket, converted, value,
    /// deals, tier, R, F, M.
    private static func valueRow(_ row: Row) -> CustomerValueRow {
        CustomerValueRow(contactID: row.int64(0), name: row.string(1), companyName: row.optionalString(2),
                         value: Self.amount(row, bucket: 3, converted: 4, value: 5), wonDeals: row.int(6),
                         tier: ValueTier(rawValue: row.string(7)) ?? .c, recency: row.int(8), frequency: row.int(9),
                         monetary: row.int(10))
    }

    public func tiers(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [TierSummaryRow] {
        guard hasTiers else { return [] }
        if try storedKeysApply(filter, policy) {
            return try c.rows(CustomerRankKeys.tiersSQL, [owners(filter)], Self.tierRow)
        }
        try prepareFigures(filter, policy)
        // The ids in rank order (value, then id), as Enter lists them.
        return try c.rows("""
            SELECT r.tier, r.bucket, max(r.converted), count(*), sum(r.value),
                   1.0 * sum(r.value) / sum(sum(r.value)) OVER (PARTITION BY r.bucket), group_concat(r.contact_id)
            FROM (SELECT * FROM temp.customer_report_ranked ORDER BY bucket, value DESC, contact_id) r WHERE \(Self.owned("r", 1))
            GROUP BY r.bucket, r.tier ORDER BY r.bucket, r.tier
            """, [owners(filter)], Self.tierRow)
    }

    /// A tier's row: tier, bucket, converted, customers, value, share, ids.
    private static func tierRow(_ row: Row) -> TierSummaryRow {
        TierSummaryRow(tier: ValueTier(rawValue: row.string(0)) ?? .c, customers: row.int(3),
                       value: Self.amount(row, bucket: 1, converted: 2, value: 4), share: row.double(5),
                       contactIDs: Self.ids(row.optionalString(6)))
    }

    public func segments(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [SegmentSummaryRow] {
        guard hasTiers else { return [] }
        // Grouped by score in SQL (at most 125 groups); the named segments
        // are unions of scores (RFMSegment.of, the one mapping).
        let group = { (row: Row) in
            (RFMSegment.of(r: row.int(0), f: row.int(1), m: row.int(2)), row.int(3), Self.ids(row.optionalString(4)))
        }
        let groups: [(RFMSegment, Int, [Int64])]
        if let bounds = try rankBounds(filter, policy) {
            groups = try c.rows(CustomerRankKeys.segmentsSQL,
                                CustomerRankKeys.parameters(bounds, currency: policy.currency, owners: owners(filter), limit: nil), group)
        } else {
            try prepareFigures(filter, policy, scores: true)
            groups = try c.rows("""
                SELECT q.r, q.f, q.m, count(*), group_concat(q.contact_id)
                FROM temp.customer_report_rfm q WHERE \(Self.owned("q", 1))
                GROUP BY q.r, q.f, q.m
                """, [owners(filter)], group)
        }
        return RFMSegment.allCases.map { segment in
            let mine = groups.filter { $0.0 == segment }
            return SegmentSummaryRow(segment: segment, customers: mine.reduce(0) { $0 + $1.1 },
                                     contactIDs: mine.flatMap(\.2).sorted())
        }
    }

    public func lifetimeValue(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [LifetimeValueInputs] {
        guard hasTiers else { return [] }
        let stored = try storedKeysApply(filter, policy)
        if !stored { try prepareFigures(filter, policy) }
        let asOf = min(filter.end, filter.now)
        // Tenure: since the customer last became one (lifecycle history),
        // else since the contact was created, to the end of the period.
        let (customers, tenure) = try c.first("""
            SELECT count(*), coalesce(avg(max(0, ?1 - coalesce(
                (SELECT max(h.changed_at) FROM contact_lifecycle_history h
                 WHERE h.contact_id = cu.id AND h.to_lifecycle = 'customer' AND h.changed_at < ?1), cu.created_at))), 0)
            FROM contacts cu INDEXED BY contacts_customers_by_company
            WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND (?2 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?2)))
            """, [asOf, owners(filter)]) { (row: Row) in (row.int(0), row.double(1) / Self.year) } ?? (0, 0)
        if stored {
            let lastYear = Dictionary(try c.rows(CustomerRankKeys.lastYearSQL, [owners(filter), filter.end]) { ($0.string(0), $0.int(1)) },
                                      uniquingKeysWith: +)
            return try c.rows(CustomerRankKeys.lifetimeSQL, [owners(filter)]) { row in
                LifetimeValueInputs(totalValue: Self.amount(row, bucket: 0, converted: 1, value: 2), customersWithValue: row.int(3),
                                    wonDeals: row.int(4), wonDealsLastYear: lastYear[row.string(0)] ?? 0, customers: customers,
                                    averageTenureYears: tenure)
            }
        }
        return try c.rows("""
            SELECT v.bucket, max(v.converted), sum(v.value), count(*), sum(v.deals), sum(v.deals_last_year)
            FROM temp.customer_report_valued v WHERE v.value > 0 AND \(Self.owned("v", 1))
            GROUP BY v.bucket ORDER BY v.bucket
            """, [owners(filter)]) { row in
            LifetimeValueInputs(totalValue: Self.amount(row, bucket: 0, converted: 1, value: 2), customersWithValue: row.int(3),
                                wonDeals: row.int(4), wonDealsLastYear: row.int(5), customers: customers,
                                averageTenureYears: tenure)
        }
    }

    public func measuredLifespan(before: Date) throws -> MeasuredLifespan {
        // Each customer → former change, measured from the customer's last
        // change to customer before it (else the contact's creation).
        try c.first("""
            SELECT count(*), avg(h.changed_at - coalesce(
                (SELECT max(b.changed_at) FROM contact_lifecycle_history b
                 WHERE b.contact_id = h.contact_id AND b.to_lifecycle = 'customer' AND b.changed_at <= h.changed_at AND b.id < h.id),
                c.created_at))
            FROM contact_lifecycle_history h JOIN contacts c ON c.id = h.contact_id
            WHERE h.from_lifecycle = 'customer' AND h.to_lifecycle = 'former' AND h.changed_at < ?
            """, [before]) { row in
            MeasuredLifespan(averageYears: row.isNull(1) ? nil : row.double(1) / Self.year, departures: row.int(0))
        } ?? MeasuredLifespan(averageYears: nil, departures: 0)
    }

    public func retention(_ filter: ReportFilter) throws -> RetentionFigures {
        guard hasTiers else { return RetentionFigures(atStart: [], retained: [], lost: [], gained: []) }
        // A contact's lifecycle just before T: the `from` of its first
        // change at or after T, else its lifecycle now. Candidates: today's
        // customers and whoever changed lifecycle since the start.
        let end = min(filter.end, filter.now)
        let groups = try c.rows("""
            WITH candidates AS (
                SELECT id, owner_id, created_at, NULL AS deleted_at, 'customer' AS lifecycle
                FROM contacts INDEXED BY contacts_customers_by_company WHERE deleted_at IS NULL AND lifecycle = 'customer'
                UNION
                SELECT id, owner_id, created_at, deleted_at, lifecycle FROM contacts
                WHERE id IN (SELECT contact_id FROM contact_lifecycle_history WHERE changed_at >= ?1
                             UNION SELECT id FROM contacts INDEXED BY contacts_in_trash WHERE deleted_at >= ?1)
            ),
            states AS (
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
            SELECT at_start, at_end, group_concat(id) FROM (SELECT * FROM states ORDER BY id)
            WHERE at_start OR at_end GROUP BY at_start, at_end
            """, [filter.start, end, owners(filter)]) { row in (row.int(0) == 1, row.int(1) == 1, Self.ids(row.optionalString(2))) }
        func ids(_ start: Bool, _ end: Bool) -> [Int64] { groups.first { $0.0 == start && $0.1 == end }?.2 ?? [] }
        return RetentionFigures(atStart: (ids(true, true) + ids(true, false)).sorted(), retained: ids(true, true),
                                lost: ids(true, false), gained: ids(false, true))
    }

    public func atRisk(_ filter: ReportFilter, rules: [CadenceRule], windowDays: Int, limit: Int) throws -> (rows: [AtRiskRow], total: Int, ids: [Int64]) {
        let hasTiers = hasTiers
        var lifecycleDays: Int?
        var tiers: [ValueTier: Int] = [:], tags: [String: Double] = [:]
        for rule in rules {
            switch rule.target {
            case .lifecycle(.customer): lifecycleDays = min(lifecycleDays ?? rule.days, rule.days)
            case .lifecycle: break
            case .tag(let t): tags[t.lowercased()] = min(tags[t.lowercased()] ?? Double(rule.days), Double(rule.days))
            case .tier(let t): tiers[t] = min(tiers[t] ?? rule.days, rule.days)
            }
        }
        // No cadence is "never due": a number of days no rule reaches.
        let never: Int64 = 1_000_000
        let tierDays = hasTiers ? "CASE cu.value_tier WHEN 'A' THEN ?2 WHEN 'B' THEN ?3 WHEN 'C' THEN ?4 ELSE ?7 END" : "?7"
        // The tag rules are looked up only when there are some: most
        // settings have none, and the lookup costs a probe per customer.
        let tagDays = tags.isEmpty ? "?7" : """
            coalesce((SELECT min(j.value) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                      JOIN json_each(?8) j ON j.key = lower(t.name) WHERE ct.contact_id = cu.id), ?7)
            """
        let half = Int64(max(1, windowDays)) * 86_400 / 2
        let now = filter.now.wholeSecondsSince1970
        // The effective cadence: the contact's own, else the shortest rule
        // that applies (customer stage, its tier, its tags), as Needs attention.
        let sql = """
            WITH due AS (
                SELECT id, touch, tier, coalesce(own, min(?1, \(tierDays), \(tagDays))) AS cadence
                FROM (SELECT cu.id, coalesce(cu.last_interaction_at, cu.created_at) AS touch, \(hasTiers ? "cu.value_tier" : "NULL") AS tier,
                             cu.cadence_days AS own, cu.value_tier
                      FROM contacts cu \(hasTiers ? "INDEXED BY contacts_customers_by_company" : "")
                      WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                        AND (?5 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?5)))) cu
            ),
            falling AS (
                -- Two counts over a range of interactions_by_contact per
                -- customer due: half the work of a join grouped by customer.
                SELECT due.id, due.touch, due.cadence, due.tier,
                       (SELECT count(*) FROM interactions i WHERE i.contact_id = due.id AND i.deleted_at IS NULL
                          AND i.occurred_at >= ?6 - 2 * ?9 AND i.occurred_at < ?6 - ?9) AS earlier,
                       (SELECT count(*) FROM interactions i WHERE i.contact_id = due.id AND i.deleted_at IS NULL
                          AND i.occurred_at >= ?6 - ?9 AND i.occurred_at < ?6) AS recent
                FROM due
                WHERE due.cadence < ?7 AND due.touch + due.cadence * 86400 < ?6
            )
            """
        let days = { (tier: ValueTier) -> Int64 in tiers[tier].map(Int64.init) ?? never }
        let values: [SQLBindable] = [lifecycleDays.map(Int64.init) ?? never, days(.a), days(.b), days(.c), owners(filter), now, never,
                                     tags.isEmpty ? nil : CustomerValueSQL.json(tags), half]
        // One pass: every customer at risk, most overdue first (the ids are
        // what Enter lists); names only for the rows shown.
        var all = try c.rows("""
            \(sql) SELECT id, touch, cadence, earlier, recent, tier FROM falling WHERE earlier > recent
            ORDER BY touch + cadence * 86400, id
            """, values) { row in
            AtRiskRow(contactID: row.int64(0), name: "", lastTouch: row.date(1), cadenceDays: row.int(2),
                      daysOverdue: Int((now - row.int64(1) - row.int64(2) * 86_400) / 86_400), earlier: row.int(3), recent: row.int(4),
                      tier: row.optionalString(5).flatMap(ValueTier.init(rawValue:)))
        }
        let ids = all.map(\.contactID)
        all = Array(all.prefix(limit))
        let names = Dictionary(try c.rows("SELECT id, name FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                                          [CustomerValueSQL.json(all.map(\.contactID))]) { ($0.int64(0), $0.string(1)) },
                               uniquingKeysWith: { a, _ in a })
        for i in all.indices { all[i].name = names[all[i].contactID] ?? "" }
        return (all, ids.count, ids)
    }

    public func valueTier(contactID: Int64) throws -> ValueTier? {
        guard hasTiers else { return nil }
        return try c.text("SELECT value_tier FROM contacts WHERE id = ?", [contactID]).flatMap(ValueTier.init(rawValue:))
    }

    public func recomputeValueTiers(policy: ValueTierPolicy) throws {
        db.valueTierPolicy = policy
        try c.transaction { try db.valueTiers.recompute(c) }
    }

    static func amount(_ row: Row, bucket: Int32, converted: Int32, value: Int32) -> ReportAmount {
        ReportAmount(Money(minorUnits: Int64(row.double(value).rounded()), currency: Currency(stored: row.string(bucket))),
                     converted: row.int(converted) == 1)
    }

    /// In the order group_concat joined them, read byte by byte (ReportIDText).
    static func ids(_ text: String?) -> [Int64] { ReportIDText.ids(text, sorted: false) }
}

extension Database {
    public var customerReports: SQLiteCustomerReportRepository { SQLiteCustomerReportRepository(db: self) }
    public var customerReportRepository: any CustomerReportRepository { customerReports }
}
