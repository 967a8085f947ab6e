import CRMCore
import CRMRepositories
import Foundation

/// The Customers report (page 5) on PostgreSQL, the same figures as
/// SQLiteCustomerReportRepository. Each section is one statement over
/// PGCustomerValueSQL's CTEs (the server keeps the materialised ones for
/// the statement); no temporary tables, as the planner works the CTEs a
/// section does not read out not at all.
public final class PGCustomerReportRepository: CustomerReportRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }
    /// The figures of the last page worked out, and what they were worked
    /// out for (PGCustomerReportRepository+Page.swift): the sections of one
    /// page share one computation.
    var page: (key: String, figures: PGCustomerPage)?
    /// The RFM boundaries from the stored keys last read, and what for (as `page`).
    var bounds: (key: String, bounds: PGCustomerRankKeys.Bounds)?
    /// Off: every page works its won values out from the won deals, as when
    /// the stored sums do not apply (the contract compares the two).
    var readsStoredValues = true

    /// Seconds in a year of 365.25 days (tenure and lifespan in years).
    static let year = 31_557_600.0

    func values(_ filter: ReportFilter, _ policy: ValueTierPolicy) -> [any PGBindable] {
        PGCustomerValueSQL.values(policy: policy, end: filter.end, pipelineIDs: filter.pipelineIDs, currency: filter.currency,
                                  owners: filter.ownerIDs, now: filter.now)
    }
    static func owners(_ filter: ReportFilter) -> (any PGBindable) {
        filter.ownerIDs.isEmpty ? PGNull() : PGReportSQL.array(filter.ownerIDs)
    }

    /// The CTEs of the sections that read the RFM scores: the frequency from
    /// the stored window (schema 40) while `now` is less than a year from
    /// its end, else counted per customer (the same figure either way); the
    /// won values from the stored sums (schema 67) when they apply
    /// (PGCustomerStoredValues), else from the won deals.
    func scoreCTEs(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> String {
        let stored = try storedValuesApply(filter, policy)
        guard let asOf = try PGCustomerYearInteractions.asOf(c),
              InteractionYearWindow.slices(asOf: asOf, now: filter.now.wholeSecondsSince1970) != nil else {
            return stored ? PGCustomerStoredValues.storedCountedFrequencyCTEs : PGCustomerValueSQL.countedFrequencyCTEs
        }
        return stored ? PGCustomerStoredValues.storedFrequencyCTEs : PGCustomerValueSQL.storedFrequencyCTEs
    }

    /// The CTEs of the sections that read no RFM score (tiers, lifetime).
    func valueCTEs(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> String {
        try storedValuesApply(filter, policy) ? PGCustomerStoredValues.storedCTEs : PGCustomerValueSQL.ctes
    }

    func storedValuesApply(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> Bool {
        try readsStoredValues && PGCustomerStoredValues.applies(c, filter, policy)
    }

    public func topCustomers(_ filter: ReportFilter, policy: ValueTierPolicy, limit: Int) throws -> [CustomerValueRow] {
        try pageFigures(filter, policy, limit: limit).top
    }

    public func tiers(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [TierSummaryRow] {
        if let page = try remembered(filter, policy) { return page.tiers }
        // The ids in rank order (value, then id), as Enter lists them.
        if try keysApply(), try storedValuesApply(filter, policy) {
            return try withoutJIT {
                try c.query(PGCustomerRankKeys.tiersSQL(sumTiers: try PGCustomerRankKeys.sumTiersApply(c, policy: policy)), values(filter, policy) + [Int64(0)] + PGCustomerRankKeys.unread.parameters)
                    .rows.map(PGCustomerPageSQL.tierRow)
            }
        }
        return try withoutJIT {
            try c.query("""
                WITH \(try valueCTEs(filter, policy))
                \(PGCustomerPageSQL.tiers) ORDER BY 2, 1
                """, values(filter, policy)).rows.map(PGCustomerPageSQL.tierRow)
        }
    }

    public func segments(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [SegmentSummaryRow] {
        if let keyed = try keyedSegments(filter, policy, ids: true) { return keyed }
        return try pageFigures(filter, policy, limit: nil).segments
    }

    public func lifetimeValue(_ filter: ReportFilter, policy: ValueTierPolicy) throws -> [LifetimeValueInputs] {
        let asOf = min(filter.end, filter.now)
        // Tenure: since the customer last became one (lifecycle history),
        // else since the contact was created, to the end of the period.
        let (customers, tenure) = try keysApply()
            ? try withoutJIT { try c.query(PGCustomerRankKeys.tenureSQL, [asOf, asOf, Self.owners(filter)]).first.map {
                ($0.int(0), $0.double(1) / Self.year) } } ?? (0, 0)
            : try withoutJIT { try c.first("""
            SELECT count(*), coalesce(avg(greatest(0, ?::bigint - coalesce(
                (SELECT max(h.changed_at) FROM contact_lifecycle_history h
                 WHERE h.contact_id = cu.id AND h.to_lifecycle = 'customer' AND h.changed_at < ?::bigint), cu.created_at))), 0)
            FROM contacts cu
            WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND (?::bigint[] IS NULL OR cu.owner_id = ANY(?::bigint[]))
            """, [asOf, asOf, Self.owners(filter), Self.owners(filter)]) { ($0.int(0), $0.double(1) / Self.year) } } ?? (0, 0)
        if let page = try remembered(filter, policy) { return page.lifetime(customers: customers, tenure: tenure) }
        if try keysApply(), try storedValuesApply(filter, policy) {
            return try withoutJIT {
                try c.query(PGCustomerRankKeys.lifetimeSQL, values(filter, policy) + [Int64(0)] + PGCustomerRankKeys.unread.parameters)
                    .rows.map(PGCustomerPageSQL.lifetimeRow)
            }.map { $0.inputs(customers: customers, tenure: tenure) }
        }
        return try withoutJIT {
            try c.query("""
                WITH \(try valueCTEs(filter, policy))
                \(PGCustomerPageSQL.lifetime) ORDER BY 1
                """, values(filter, policy)).rows.map(PGCustomerPageSQL.lifetimeRow)
        }.map { $0.inputs(customers: customers, tenure: tenure) }
    }

    public func measuredLifespan(before: Date) throws -> MeasuredLifespan {
        // Step 70: each departure's stored `previous_at` (the change that
        // made it a customer, else its creation), one index range.
        try withoutJIT { try c.first(storesLifecycleSpans ? """
            SELECT count(*), avg(h.changed_at - h.previous_at)
            FROM contact_lifecycle_history h
            WHERE h.from_lifecycle = 'customer' AND h.to_lifecycle = 'former' AND h.changed_at < ?::bigint
            """ : """
            SELECT count(*), avg(h.changed_at - coalesce(
                (SELECT max(b.changed_at) FROM contact_lifecycle_history b
                 WHERE b.contact_id = h.contact_id AND b.to_lifecycle = 'customer' AND b.changed_at <= h.changed_at AND b.id < h.id),
                c.created_at))
            FROM contact_lifecycle_history h JOIN contacts c ON c.id = h.contact_id
            WHERE h.from_lifecycle = 'customer' AND h.to_lifecycle = 'former' AND h.changed_at < ?::bigint
            """, [before]) { row in
            MeasuredLifespan(averageYears: row.isNull(1) ? nil : row.double(1) / Self.year, departures: row.int(0))
        } } ?? MeasuredLifespan(averageYears: nil, departures: 0)
    }

    public func valueTier(contactID: Int64) throws -> ValueTier? {
        try c.scalar(PGConnection.numbered(Self.valueTierSQL), [contactID]).flatMap(ValueTier.init(rawValue:))
    }

    static let valueTierSQL = "SELECT value_tier FROM contacts WHERE id = ?::bigint"

    public func recomputeValueTiers(policy: ValueTierPolicy) throws {
        try PGValueTierRecompute(policy: policy).recompute(c)
        // As SQLite's: the session's policy is the one its tiers were made with.
        db.valueTierPolicy = policy
    }

    static func amount(_ row: PGRow, bucket: Int, converted: Int, value: Int) -> ReportAmount {
        ReportAmount(Money(minorUnits: Int64(row.double(value).rounded()), currency: Currency(stored: row.string(bucket))),
                     converted: row.bool(converted))
    }
}
