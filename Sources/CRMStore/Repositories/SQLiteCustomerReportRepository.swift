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
    var hasTiers: Bool {
        (try? c.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'value_tier_state'")) == 1
    }

    /// The owners as JSON (NULL: everyone's).
    func owners(_ filter: ReportFilter) -> SQLBindable {
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
            return try c.rows(CustomerRankKeys.tiersSQL, [owners(filter)], CustomerRankKeys.tierRows).flatMap { $0 }
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
        if let bounds = try rankBounds(filter, policy) {
            // One row: each segment's ids (CustomerRankKeys.segmentsSQL).
            let values = CustomerRankKeys.parameters(bounds, currency: policy.currency, owners: owners(filter), limit: nil)
            let lists = try c.first(CustomerRankKeys.segmentsSQL, values) { row in
                RFMSegment.allCases.indices.map { Self.ids(row.optionalString(Int32($0))).sorted() }
            } ?? []
            return zip(RFMSegment.allCases, lists).map { SegmentSummaryRow(segment: $0, customers: $1.count, contactIDs: $1) }
        }
        // Grouped by score in SQL (at most 125 groups); the named segments
        // are unions of scores (RFMSegment.of, the one mapping).
        try prepareFigures(filter, policy, scores: true)
        let groups = try c.rows("""
            SELECT q.r, q.f, q.m, count(*), group_concat(q.contact_id)
            FROM temp.customer_report_rfm q WHERE \(Self.owned("q", 1))
            GROUP BY q.r, q.f, q.m
            """, [owners(filter)]) { (row: Row) in
            (RFMSegment.of(r: row.int(0), f: row.int(1), m: row.int(2)), row.int(3), Self.ids(row.optionalString(4)))
        }
        return RFMSegment.allCases.map { segment in
            let mine = groups.filter { $0.0 == segment }
            return SegmentSummaryRow(segment: segment, customers: mine.reduce(0) { $0 + $1.1 },
                                     contactIDs: mine.flatMap(\.2).sorted())
        }
    }

    public func segmentCounts(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [SegmentSummaryRow] {
        guard hasTiers else { return [] }
        let counts: [Int]
        if let bounds = try rankBounds(filter, policy) {
            // One row: each segment's count (CustomerRankKeys.segmentCountsSQL).
            let values = CustomerRankKeys.parameters(bounds, currency: policy.currency, owners: owners(filter), limit: nil)
            counts = try c.first(CustomerRankKeys.segmentCountsSQL, values) { row in
                RFMSegment.allCases.indices.map { row.int(Int32($0)) }
            } ?? []
        } else {
            try prepareFigures(filter, policy, scores: true)
            let groups = try c.rows("""
                SELECT q.r, q.f, q.m, count(*) FROM temp.customer_report_rfm q WHERE \(Self.owned("q", 1))
                GROUP BY q.r, q.f, q.m
                """, [owners(filter)]) { (row: Row) in (RFMSegment.of(r: row.int(0), f: row.int(1), m: row.int(2)), row.int(3)) }
            counts = RFMSegment.allCases.map { segment in groups.filter { $0.0 == segment }.reduce(0) { $0 + $1.1 } }
        }
        return zip(RFMSegment.allCases, counts).map { SegmentSummaryRow(segment: $0, customers: $1, contactIDs: []) }
    }

    public func segmentCustomers(_ filter: ReportFilter, policy: ValueTierPolicy, segment: RFMSegment) throws -> [Int64] {
        guard hasTiers, let place = RFMSegment.allCases.firstIndex(of: segment) else { return [] }
        if let bounds = try rankBounds(filter, policy) {
            let values = CustomerRankKeys.parameters(bounds, currency: policy.currency, owners: owners(filter), limit: nil)
            return try c.first(CustomerRankKeys.segmentIDsSQL, values + [Int64(place)]) { Self.ids($0.optionalString(0)) } ?? []
        }
        // The scores' table is in id order (its primary key); the segment
        // of each score from the one mapping (CustomerRankKeys.segmentDigits).
        try prepareFigures(filter, policy, scores: true)
        return try c.first("""
            SELECT group_concat(q.contact_id) FROM temp.customer_report_rfm q
            WHERE \(Self.owned("q", 1)) AND \(CustomerRankKeys.segment("q.r", "q.f", "q.m")) = ?2
            """, [owners(filter), Int64(place)]) { Self.ids($0.optionalString(0)) } ?? []
    }

    public func lifetimeValue(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [LifetimeValueInputs] {
        guard hasTiers else { return [] }
        // Schema 54's keys: the tenure from each customer's stored "since",
        // the last year's deals from the stored year's, corrected to the end.
        let yearEnd = db.readsStoredRankKeys ? try CustomerLifetimeKeys.dealsYearEnd(c) : nil
        let stored = try yearEnd != nil && storedKeysApply(filter, policy)
        if !stored { try prepareFigures(filter, policy) }
        let asOf = min(filter.end, filter.now)
        // Tenure: since the customer last became one (lifecycle history),
        // else since the contact was created, to the end of the period.
        let (customers, tenure) = try c.first(yearEnd != nil ? CustomerLifetimeKeys.tenureSQL : """
            SELECT count(*), coalesce(avg(max(0, ?1 - coalesce(
                (SELECT max(h.changed_at) FROM contact_lifecycle_history h
                 WHERE h.contact_id = cu.id AND h.to_lifecycle = 'customer' AND h.changed_at < ?1), cu.created_at))), 0)
            FROM contacts cu INDEXED BY contacts_customers_by_company
            WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND (?2 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?2)))
            """, [asOf, owners(filter)]) { (row: Row) in (row.int(0), row.double(1) / Self.year) } ?? (0, 0)
        if stored, let yearEnd {
            // The stored year's deals (column 5) plus the corrections to the
            // end of the period; a year or more away, counted from the deals.
            let corrections = try CustomerLifetimeKeys.lastYearCorrections(c, storedEnd: yearEnd, end: filter.end.wholeSecondsSince1970,
                                                                            owners: owners(filter))
            let counted = corrections == nil
                ? Dictionary(try c.rows(CustomerRankKeys.lastYearSQL, [owners(filter), filter.end]) { ($0.string(0), $0.int(1)) },
                             uniquingKeysWith: +)
                : [:]
            return try c.rows(CustomerRankKeys.lifetimeSQL, [owners(filter)]) { row in
                let currency = row.string(0)
                let lastYear = corrections.map { row.int(5) + ($0[currency] ?? 0) } ?? counted[currency] ?? 0
                return LifetimeValueInputs(totalValue: Self.amount(row, bucket: 0, converted: 1, value: 2), customersWithValue: row.int(3),
                                           wonDeals: row.int(4), wonDealsLastYear: lastYear, customers: customers,
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
        // Each customer → former change, measured from the contact's change
        // before it (the one that made it a customer), else its creation:
        // the change's stored `previous_at` (schema 68), one index range.
        // An older file: the customer's last change to customer before it.
        try c.first(storesLifecycleSpans ? """
            SELECT count(*), avg(h.changed_at - h.previous_at)
            FROM contact_lifecycle_history h INDEXED BY contact_lifecycle_departures
            WHERE h.from_lifecycle = 'customer' AND h.to_lifecycle = 'former' AND h.changed_at < ?
            """ : """
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
