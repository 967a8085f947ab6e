import CRMCore
import CRMRepositories
import Foundation

/// The Customers page's sections as one statement on PostgreSQL: the value
/// per customer, the tiers, the RFM segment groups and the lifetime value's
/// sums read the same CTEs (PGCustomerValueSQL), so one statement works
/// every customer's value, tier and scores out once for the whole page
/// instead of once per section (the top 20 and the segments each ranked
/// all 35,000 customers three times at 100,000 contacts). The parts come
/// back as rows of one shape, told apart by `part`; `ord` keeps each
/// part's order.
///
/// Columns: 1 part, 2 ord, 3 contact id, 4 name, 5 company, 6 bucket,
/// 7 converted, 8 value, 9 a count (won deals of a customer, customers of
/// a group), 10 tier, 11–13 r f m, 14 ids, 15 share, 16–17 won deals and
/// those of the last year (lifetime).
enum PGCustomerPageSQL {
    /// Per tier and bucket (as `tiers`): tier, bucket, converted, customers,
    /// value, share of the bucket, ids in rank order.
    static let tiers = """
        SELECT r.tier, r.bucket, bool_or(r.converted), count(*), sum(r.value),
               sum(r.value) / sum(sum(r.value)) OVER (PARTITION BY r.bucket),
               string_agg(r.contact_id::text, ',' ORDER BY r.value DESC, r.contact_id)
        FROM ranked r WHERE \(PGCustomerValueSQL.owned("r"))
        GROUP BY r.bucket, r.tier
        """

    /// Per bucket: bucket, converted, value, customers with value, won deals
    /// and won deals of the last year (bigint: sum() of bigint is numeric).
    static let lifetime = """
        SELECT v.bucket, bool_or(v.converted), sum(v.value), count(*), sum(v.deals)::bigint, sum(v.deals_last_year)::bigint
        FROM valued v WHERE v.value > 0 AND \(PGCustomerValueSQL.owned("v"))
        GROUP BY v.bucket
        """

    /// The page's statement after `WITH <score CTEs>`; $10 the length of
    /// the value list.
    static let page = """
        top AS (SELECT * FROM ranked r WHERE \(PGCustomerValueSQL.owned("r"))
                ORDER BY r.bucket, r.value DESC, r.contact_id LIMIT $10::bigint),
        tiergroups(tier, bucket, converted, customers, value, share, ids) AS (\(tiers)),
        lifegroups(bucket, converted, value, customers, deals, deals_last_year) AS (\(lifetime))
        SELECT 'top' AS part, row_number() OVER (ORDER BY t.bucket, t.value DESC, t.contact_id) AS ord,
               t.contact_id, c.name, co.name, t.bucket, t.converted, t.value, t.deals, t.tier, q.r, q.f, q.m,
               NULL::text AS ids, NULL::float8 AS share, NULL::bigint AS deals, NULL::bigint AS deals_last_year
        FROM top t JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = c.company_id
        JOIN rfm q ON q.contact_id = t.contact_id
        UNION ALL
        SELECT 'tier', row_number() OVER (ORDER BY g.bucket, g.tier), NULL, NULL, NULL, g.bucket, g.converted, g.value, g.customers,
               g.tier, NULL, NULL, NULL, g.ids, g.share, NULL, NULL
        FROM tiergroups g
        UNION ALL
        SELECT 'segment', 0, NULL, NULL, NULL, NULL, NULL, NULL, count(*), NULL, q.r, q.f, q.m,
               string_agg(q.contact_id::text, ','), NULL, NULL, NULL
        FROM rfm q WHERE \(PGCustomerValueSQL.owned("q"))
        GROUP BY q.r, q.f, q.m
        UNION ALL
        SELECT 'lifetime', row_number() OVER (ORDER BY l.bucket), NULL, NULL, NULL, l.bucket, l.converted, l.value, l.customers,
               NULL, NULL, NULL, NULL, NULL, NULL, l.deals, l.deals_last_year
        FROM lifegroups l
        ORDER BY 1, 2
        """

    static func tierRow(_ row: PGRow) -> TierSummaryRow {
        TierSummaryRow(tier: ValueTier(rawValue: row.string(0)) ?? .c, customers: row.int(3),
                       value: PGCustomerReportRepository.amount(row, bucket: 1, converted: 2, value: 4), share: row.double(5),
                       contactIDs: PGReportSQL.orderedIDs(row.optionalString(6)))
    }

    static func lifetimeRow(_ row: PGRow) -> PGCustomerPage.Lifetime {
        PGCustomerPage.Lifetime(totalValue: PGCustomerReportRepository.amount(row, bucket: 0, converted: 1, value: 2),
                                customersWithValue: row.int(3), wonDeals: row.int(4), wonDealsLastYear: row.int(5))
    }
}

/// The sections of one Customers page, from `PGCustomerPageSQL.page`.
struct PGCustomerPage {
    /// A bucket's lifetime sums, before the customers and their tenure
    /// (another statement, not in the page's) join them.
    struct Lifetime {
        var totalValue: ReportAmount
        var customersWithValue: Int
        var wonDeals: Int
        var wonDealsLastYear: Int
        func inputs(customers: Int, tenure: Double) -> LifetimeValueInputs {
            LifetimeValueInputs(totalValue: totalValue, customersWithValue: customersWithValue, wonDeals: wonDeals,
                                wonDealsLastYear: wonDealsLastYear, customers: customers, averageTenureYears: tenure)
        }
    }

    var limit: Int
    var top: [CustomerValueRow] = []
    var tiers: [TierSummaryRow] = []
    var segments: [SegmentSummaryRow] = []
    var lifetimeSums: [Lifetime] = []

    func lifetime(customers: Int, tenure: Double) -> [LifetimeValueInputs] {
        lifetimeSums.map { $0.inputs(customers: customers, tenure: tenure) }
    }
}
