import CRMCore
import CRMRepositories
import Foundation

/// The "Won and lost" page's figures on PostgreSQL, the same meaning as
/// SQLiteWinLossReport. Closed deals are one range of deals_by_status_closed
/// (status, closed_at, …) per bucket.
public final class PGWinLossReport: WinLossReportRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    /// The tallies' statement (also read by the query plan test).
    static func closedTalliesQuery(_ filter: ReportFilter, buckets: [ReportBucket]) -> (sql: String, values: [any PGBindable]) {
        let where_ = PGReportConditions(filter)
        // The buckets as three arrays unnested into a small table the
        // deals are joined to: any number of buckets in three parameters.
        let starts = PGReportSQL.array(buckets.map { $0.start.wholeSecondsSince1970 })
        let ends = PGReportSQL.array(buckets.map { $0.end.wholeSecondsSince1970 })
        // The span of all buckets bounds the deals too: joined to the
        // unnested buckets alone, the planner read every closed deal and
        // tried each against each bucket (a nested loop); with the span it
        // reads one range of deals_by_status_closed.
        let first = buckets.map { $0.start.wholeSecondsSince1970 }.min() ?? 0
        let last = buckets.map { $0.end.wholeSecondsSince1970 }.max() ?? 0
        return ("""
            WITH b(i, s, e) AS (SELECT i - 1, s, e FROM unnest(?::bigint[], ?::bigint[]) WITH ORDINALITY AS u(s, e, i))
            SELECT b.i, d.currency, d.status, count(*), sum(d.value_minor), string_agg(d.id::text, ',')
            FROM b JOIN deals d
              ON d.status IN ('won', 'lost') AND d.closed_at >= b.s AND d.closed_at < b.e
            WHERE d.closed_at >= ?::bigint AND d.closed_at < ?::bigint AND \(where_.sql)
            GROUP BY b.i, d.currency, d.status
            """, [starts, ends, first, last] + where_.values)
    }

    public func closedTallies(_ filter: ReportFilter, buckets: [ReportBucket]) throws -> [ClosedDealTally] {
        guard !buckets.isEmpty else { return [] }
        let query = Self.closedTalliesQuery(filter, buckets: buckets)
        var result: [String: ClosedDealTally] = [:]
        _ = try c.rows(query.sql, query.values) { row in
            let bucket = row.int(0)
            let currency = Currency(stored: row.string(1))
            let key = "\(bucket) \(currency.code)"
            var tally = result[key] ?? ClosedDealTally(bucket: bucket, currency: currency)
            let minor = PGReportSQL.whole(row.optionalString(4)) ?? 0
            if row.string(2) == "won" {
                tally.won = row.int(3); tally.wonMinor = minor; tally.wonIDs = PGReportSQL.ids(row.optionalString(5))
            } else {
                tally.lost = row.int(3); tally.lostMinor = minor; tally.lostIDs = PGReportSQL.ids(row.optionalString(5))
            }
            result[key] = tally
        }
        return result.values.sorted { ($0.bucket, $0.currency) < ($1.bucket, $1.currency) }
    }

    private func wonInPeriod(_ filter: ReportFilter) -> (sql: String, values: [any PGBindable]) {
        let where_ = PGReportConditions(filter)
        return ("FROM deals d WHERE d.status = 'won' AND d.closed_at >= ?::bigint AND d.closed_at < ?::bigint AND \(where_.sql)",
                [filter.start, filter.end] + where_.values)
    }

    public func salesCycle(_ filter: ReportFilter) throws -> SalesCycle {
        let won = wonInPeriod(filter)
        let (count, ids) = try c.first("SELECT count(*), string_agg(d.id::text, ',') \(won.sql)", won.values) {
            ($0.int(0), PGReportSQL.ids($0.optionalString(1)))
        } ?? (0, [])
        guard count > 0 else { return SalesCycle(wonDeals: 0, medianDays: nil, p90Days: nil, dealIDs: []) }
        // The cycles at the ranks the median (mean of the middle two) and
        // the nearest-rank 90th percentile (the ⌈0.9 n⌉-th smallest) need,
        // ranks worked out in Swift exactly as on SQLite, read in one sort.
        let upper = count / 2 + 1, lower = count % 2 == 1 ? upper : count / 2
        let p90Rank = Int((0.9 * Double(count)).rounded(.up))
        var at: [Int: Double] = [:]
        _ = try c.rows("""
            SELECT k, cycle FROM (SELECT d.closed_at - d.created_at AS cycle,
                                         row_number() OVER (ORDER BY d.closed_at - d.created_at) AS k \(won.sql)) r
            WHERE k IN (?::bigint, ?::bigint, ?::bigint)
            """, won.values + [lower, upper, p90Rank]) { at[$0.int(0)] = $0.double(1) }
        let median = ((at[lower] ?? 0) + (at[upper] ?? 0)) / 2
        return SalesCycle(wonDeals: count, medianDays: median / 86_400, p90Days: (at[p90Rank] ?? 0) / 86_400, dealIDs: ids)
    }

    public func lostReasons(_ filter: ReportFilter) throws -> [LostReasonTally] {
        let where_ = PGReportConditions(filter)
        // Reasons ordered byte-wise (COLLATE "C"), as SQLite orders text.
        return try c.rows("""
            SELECT trim(both ' ' from d.lost_reason) COLLATE "C" AS reason, count(*), string_agg(d.id::text, ',')
            FROM deals d
            WHERE d.status = 'lost' AND d.closed_at >= ?::bigint AND d.closed_at < ?::bigint AND \(where_.sql)
            GROUP BY 1 ORDER BY 2 DESC, 1 NULLS FIRST
            """, [filter.start, filter.end] + where_.values) {
            LostReasonTally(reason: $0.string(0), deals: $0.int(1), dealIDs: PGReportSQL.ids($0.optionalString(2)))
        }
    }

    public func openDeals(_ filter: ReportFilter) throws -> [Currency: Int] {
        let where_ = PGReportConditions(filter)
        var result: [Currency: Int] = [:]
        _ = try c.rows("""
            SELECT d.currency, count(*) FROM deals d
            WHERE d.status = 'open' AND \(where_.sql) GROUP BY d.currency
            """, where_.values) { result[Currency(stored: $0.string(0))] = $0.int(1) }
        return result
    }
}
