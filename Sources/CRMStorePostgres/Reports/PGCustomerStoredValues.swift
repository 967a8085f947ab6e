import CRMCore
import CRMRepositories
import Foundation

/// The Customers page's won values read from the stored sums of schema 67
/// (`customer_won_values`, PGSchemaV67CustomerWonValues) instead of from
/// every won deal joined to its customers, whenever those sums are exactly
/// the ones asked for (`applies`), as SQLite's CustomerRankKeys.applies
/// decides for its stored keys. Otherwise the page works them out from the
/// won deals (PGCustomerValueSQL's `won` and `valued`), with the same result.
enum PGCustomerStoredValues {
    /// Whether the stored sums are the page's `valued`: every pipeline and
    /// currency, no exchange rate (a converted sum would be multiplied once,
    /// not deal by deal), an end more than a year after 1970 (a won deal
    /// with no closing time then never counts in the last year), no won
    /// deal closed at or after the end (they all count), and no mark that
    /// the sums wait for (this transaction's own writes, or ones left
    /// committed: the sums are refreshed at COMMIT).
    static func applies(_ c: PGConnection, _ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> Bool {
        let end = filter.end.wholeSecondsSince1970
        guard filter.pipelineIDs.isEmpty, filter.currency == nil, policy.minorFactors.count == 1,
              end > InteractionYearWindow.year else { return false }
        return try c.scalar(PGConnection.numbered(appliesSQL), [end]) == "t"
    }

    static let appliesSQL = """
        SELECT NOT EXISTS (SELECT 1 FROM customer_won_values_dirty)
           AND NOT EXISTS (SELECT 1 FROM deals WHERE deleted_at IS NULL AND closed_at IS NOT NULL
                           AND status = 'won' AND closed_at >= ?::bigint)
        """

    /// `won` and `valued` from the stored sums. The last year's won deals
    /// (the lifetime's deals per year) are the few closed in the year
    /// before the end, read by closing time (deals_by_closed) and joined to
    /// the `customers` the statement has already read. `filters` names $4's and $5's types, which only
    /// the replaced `won` read.
    static let valuedCTEs = """
        recentwon AS (
            SELECT c.id AS contact_id, d.currency
            FROM deals d JOIN customers c ON c.id = d.contact_id
            WHERE d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND d.closed_at >= $3::bigint - 31536000
              AND d.status = 'won' AND (c.company_id IS NULL OR d.company_id IS DISTINCT FROM c.company_id)
            UNION ALL
            SELECT c.id, d.currency
            FROM deals d JOIN customers c ON c.company_id = d.company_id
            WHERE d.deleted_at IS NULL AND d.closed_at IS NOT NULL AND d.closed_at >= $3::bigint - 31536000
              AND d.status = 'won'
        ),
        filters AS (SELECT $4::bigint[] AS pipelines, $5::text AS currency),
        valued AS MATERIALIZED (
            SELECT v.contact_id, cu.owner_id, v.currency COLLATE "C" AS bucket, false AS converted,
                   v.value_minor::float8 AS value, v.deals, v.last_won, coalesce(y.deals, 0) AS deals_last_year
            FROM customer_won_values v JOIN customers cu ON cu.id = v.contact_id
            LEFT JOIN (SELECT contact_id, currency, count(*) AS deals FROM recentwon GROUP BY 1, 2) y
                   ON y.contact_id = v.contact_id AND y.currency = v.currency
        ),

        """

    /// `ctes` (PGCustomerValueSQL's, or one made from it) with its `won`
    /// and `valued` replaced by `valuedCTEs`.
    static func reading(_ ctes: String) -> String {
        guard let from = ctes.range(of: "\nwon AS ("), let to = ctes.range(of: "\nranked AS MATERIALIZED (") else {
            preconditionFailure("PGCustomerValueSQL.ctes lost its won or ranked CTE: update PGCustomerStoredValues")
        }
        return String(ctes[..<from.upperBound].dropLast("won AS (".count)) + valuedCTEs
            + String(ctes[ctes.index(after: to.lowerBound)...])
    }

    static let storedCTEs = reading(PGCustomerValueSQL.ctes)
    static let storedCountedFrequencyCTEs = reading(PGCustomerValueSQL.countedFrequencyCTEs)
    static let storedFrequencyCTEs = reading(PGCustomerValueSQL.storedFrequencyCTEs)
}
