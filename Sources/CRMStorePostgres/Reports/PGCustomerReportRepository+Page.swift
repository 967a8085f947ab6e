import CRMCore
import CRMRepositories
import Foundation

/// How the Customers page's sections share one computation on PostgreSQL,
/// and why its statements run without JIT.
extension PGCustomerReportRepository {
    /// Runs `body` with the server's JIT compiler off (SET LOCAL, in a
    /// transaction of its own, or a savepoint of the caller's: then it stays
    /// off to the end of the caller's transaction). The page's statements
    /// are estimated far above `jit_above_cost` (the window functions over
    /// every customer), and compiling them took 1.7 s of the page's 2 s at
    /// 100,000 contacts, for a statement that runs in a fraction of that.
    func withoutJIT<T>(_ body: () throws -> T) throws -> T {
        try c.transaction {
            _ = try c.execute("SET LOCAL jit = off")
            return try body()
        }
    }

    /// What a page's figures depend on besides the data: the filter, the
    /// policy (the owners and the list's length included).
    private func pageKey(_ filter: ReportFilter, _ policy: ValueTierPolicy) -> String {
        "\(filter.end.wholeSecondsSince1970)|\(filter.now.wholeSecondsSince1970)|\(filter.pipelineIDs)|"
            + "\(filter.currency?.code ?? "")|\(filter.ownerIDs)|\(policy.key)|\(readsStoredValues)"
    }

    /// The server's snapshot (xmin:xmax:in-progress ids): the same text for
    /// two statements of autocommit sessions means the same transactions
    /// are committed for both, so the same data; any commit since (by
    /// anyone, this session too) changes it.
    private func snapshot() throws -> String { try c.scalar("SELECT pg_current_snapshot()::text") ?? "" }

    /// The page worked out last, while nothing can have changed it: outside
    /// a transaction (what one sees may be its own uncommitted writes, or be
    /// rolled back), for the same filter and policy, at the same snapshot.
    func remembered(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> PGCustomerPage? {
        try remembered(key: currentKey(filter, policy))
    }

    private func remembered(key: String?) -> PGCustomerPage? {
        guard let key, let page, page.key == key else { return nil }
        return page.figures
    }

    /// The key a page worked out now would be remembered by; nil inside a
    /// transaction.
    func currentKey(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> String? {
        c.inTransaction ? nil : "\(pageKey(filter, policy))|\(try snapshot())"
    }

    /// Forgets the page, so the next section works it out anew (the bench
    /// measures each sample as the page after a change).
    public func forgetFigures() {
        page = nil
        bounds = nil
    }

    /// The RFM boundaries from the stored keys (schema 69), when the stored
    /// won values apply and the keys are there; nil otherwise.
    /// Remembered as the page's figures are (`remembered`): the page's
    /// sections ask for them one after another.
    func rankBounds(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> PGCustomerRankKeys.Bounds? {
        guard try keysApply(), try storedValuesApply(filter, policy) else { return nil }
        let key = try currentKey(filter, policy)
        if let key, let known = bounds, known.key == key { return known.bounds }
        let found = try PGCustomerRankKeys.bounds(c, currency: policy.currency.code, now: filter.now.wholeSecondsSince1970)
        if let key, let found { bounds = (key, found) }
        return found
    }

    /// The RFM segments from the stored keys (`ids`: with each one's
    /// customers, in id order), every segment in allCases order; nil where
    /// the keys do not apply.
    func keyedSegments(_ filter: ReportFilter, _ policy: ValueTierPolicy, ids: Bool) throws -> [SegmentSummaryRow]? {
        guard let bounds = try rankBounds(filter, policy) else { return nil }
        return try withoutJIT {
            var found: [Int: (Int, [Int64])] = [:]
            for row in try c.query(PGCustomerRankKeys.segmentsSQL(ids: ids), values(filter, policy) + [Int64(0)] + bounds.parameters).rows {
                found[row.int(0)] = (row.int(1), PGReportSQL.orderedIDs(row.optionalString(2)))
            }
            return RFMSegment.allCases.enumerated().map { place, segment in
                SegmentSummaryRow(segment: segment, customers: found[place]?.0 ?? 0, contactIDs: found[place]?.1 ?? [])
            }
        }
    }

    /// Whether the stored keys (schema 69) are read at all (see `readsStoredValues`).
    func keysApply() throws -> Bool { try readsStoredValues && PGCustomerRankKeys.isStored(c) }

    /// Every section of the page that ranks customers, in one statement;
    /// `limit`: the value list's length (nil: any, the segments need none).
    func pageFigures(_ filter: ReportFilter, _ policy: ValueTierPolicy, limit: Int?) throws -> PGCustomerPage {
        let key = try currentKey(filter, policy)
        if let figures = remembered(key: key), limit == nil || figures.limit == max(0, limit ?? 0) { return figures }
        // Without a length (the segments asked first): the page's list of
        // 20 (CustomersReportSheet.listLength), so its top list can share.
        let length = max(0, limit ?? 20)
        var figures = PGCustomerPage(limit: length)
        var groups: [(RFMSegment, Int, [Int64])] = []
        // The scores from the stored keys (schema 69) where they apply,
        // else ranked with ntile() over every customer.
        let keyed = try rankBounds(filter, policy)
        try withoutJIT {
            let statement: String
            var parameters = values(filter, policy) + [length]
            if let bounds = keyed {
                // Each sum's tier as stored where it was ranked with this
                // policy (schema 74), else ranked at the look.
                statement = PGCustomerRankKeys.pageSQL(sumTiers: try PGCustomerRankKeys.sumTiersApply(c, policy: policy))
                parameters += bounds.parameters
            } else {
                statement = "WITH \(try scoreCTEs(filter, policy)),\n\(PGCustomerPageSQL.page)"
            }
            let rows = try c.query(statement, parameters).rows
            for row in rows {
                switch row.string(0) {
                case "top":
                    figures.top.append(CustomerValueRow(
                        contactID: row.int64(2), name: row.string(3), companyName: row.optionalString(4),
                        value: Self.amount(row, bucket: 5, converted: 6, value: 7), wonDeals: row.int(8),
                        tier: ValueTier(rawValue: row.string(9)) ?? .c, recency: row.int(10), frequency: row.int(11),
                        monetary: row.int(12)))
                case "tier":
                    figures.tiers.append(TierSummaryRow(
                        tier: ValueTier(rawValue: row.string(9)) ?? .c, customers: row.int(8),
                        value: Self.amount(row, bucket: 5, converted: 6, value: 7), share: row.double(14),
                        contactIDs: PGReportSQL.orderedIDs(row.optionalString(13))))
                case "segment":
                    // The named segments are unions of scores (RFMSegment.of, the one mapping).
                    groups.append((RFMSegment.of(r: row.int(10), f: row.int(11), m: row.int(12)), row.int(8),
                                   PGReportSQL.orderedIDs(row.optionalString(13))))
                default:
                    figures.lifetimeSums.append(PGCustomerPage.Lifetime(
                        totalValue: Self.amount(row, bucket: 5, converted: 6, value: 7), customersWithValue: row.int(8),
                        wonDeals: row.int(15), wonDealsLastYear: row.int(16)))
                }
            }
        }
        figures.segments = RFMSegment.allCases.map { segment in
            let mine = groups.filter { $0.0 == segment }
            return SegmentSummaryRow(segment: segment, customers: mine.reduce(0) { $0 + $1.1 }, contactIDs: mine.flatMap(\.2).sorted())
        }
        if let key { page = (key, figures) }
        return figures
    }
}
