import CRMCore
import CRMRepositories
import Foundation

/// The "Won and lost" page's figures. Closed deals are found through
/// deals_by_status_closed (schema 28): status, close time, then every column
/// these queries read, so a period's deals are one range of that index and
/// no table row is read.
public final class SQLiteWinLossReport: WinLossReportRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    public func closedTallies(_ filter: ReportFilter, buckets: [ReportBucket]) throws -> [ClosedDealTally] {
        // At most 1,000 buckets a statement: SQLite's limit on bound values.
        guard buckets.count <= 1_000 else {
            return try stride(from: 0, to: buckets.count, by: 1_000).flatMap { first in
                try closedTallies(filter, buckets: Array(buckets[first..<min(first + 1_000, buckets.count)])).map {
                    var tally = $0
                    tally.bucket += first
                    return tally
                }
            }
        }
        guard !buckets.isEmpty else { return [] }
        let where_ = ReportDealConditions(filter)
        // The buckets as a small table the deals are joined to: each bucket
        // is one range of the index, so the period is read once.
        let rows = buckets.indices.map { _ in "(?, ?, ?)" }.joined(separator: ", ")
        let bucketValues: [SQLBindable] = buckets.enumerated().flatMap { i, b in [i as SQLBindable, b.start, b.end] }
        var result: [String: ClosedDealTally] = [:]
        _ = try c.rows("""
            WITH b(i, s, e) AS (VALUES \(rows))
            SELECT b.i, d.currency, d.status, count(*), sum(d.value_minor), group_concat(d.id)
            FROM b JOIN deals d
              ON d.status IN ('won', 'lost') AND d.closed_at >= b.s AND d.closed_at < b.e
            WHERE \(where_.sql)
            GROUP BY b.i, d.currency, d.status
            """, bucketValues + where_.values) { row in
            let bucket = row.int(0)
            let currency = Currency(stored: row.string(1))
            let key = "\(bucket) \(currency.code)"
            var tally = result[key] ?? ClosedDealTally(bucket: bucket, currency: currency)
            if row.string(2) == "won" {
                tally.won = row.int(3); tally.wonMinor = row.int64(4); tally.wonIDs = ReportSQL.ids(row.optionalString(5))
            } else {
                tally.lost = row.int(3); tally.lostMinor = row.int64(4); tally.lostIDs = ReportSQL.ids(row.optionalString(5))
            }
            result[key] = tally
        }
        return result.values.sorted { ($0.bucket, $0.currency) < ($1.bucket, $1.currency) }
    }

    /// The won deals of the period, as FROM … WHERE.
    private func wonInPeriod(_ filter: ReportFilter) -> (sql: String, values: [SQLBindable]) {
        let where_ = ReportDealConditions(filter)
        return ("FROM deals d WHERE d.status = 'won' AND d.closed_at >= ? AND d.closed_at < ? AND \(where_.sql)",
                [filter.start, filter.end] + where_.values)
    }

    public func salesCycle(_ filter: ReportFilter) throws -> SalesCycle {
        let won = wonInPeriod(filter)
        let (count, ids) = try c.first("SELECT count(*), group_concat(d.id) \(won.sql)", won.values) {
            ($0.int(0), ReportSQL.ids($0.optionalString(1)))
        } ?? (0, [])
        guard count > 0 else { return SalesCycle(wonDeals: 0, medianDays: nil, p90Days: nil, dealIDs: []) }
        // The cycles at the ranks the median and the 90th percentile need
        // (1-based), read in one sort: SQLite has no percentile function.
        let upper = count / 2 + 1, lower = count % 2 == 1 ? upper : count / 2
        let p90Rank = Int((0.9 * Double(count)).rounded(.up))
        var at: [Int: Double] = [:]
        _ = try c.rows("""
            SELECT k, cycle FROM (SELECT d.closed_at - d.created_at AS cycle,
                                         row_number() OVER (ORDER BY d.closed_at - d.created_at) AS k \(won.sql))
            WHERE k IN (?, ?, ?)
            """, won.values + [lower, upper, p90Rank]) { at[$0.int(0)] = $0.double(1) }
        let median = ((at[lower] ?? 0) + (at[upper] ?? 0)) / 2
        let p90 = at[p90Rank] ?? 0
        return SalesCycle(wonDeals: count, medianDays: median / 86_400, p90Days: p90 / 86_400, dealIDs: ids)
    }

    public func lostReasons(_ filter: ReportFilter) throws -> [LostReasonTally] {
        let where_ = ReportDealConditions(filter)
        return try c.rows("""
            SELECT trim(d.lost_reason), count(*), group_concat(d.id)
            FROM deals d
            WHERE d.status = 'lost' AND d.closed_at >= ? AND d.closed_at < ? AND \(where_.sql)
            GROUP BY 1 ORDER BY 2 DESC, 1
            """, [filter.start, filter.end] + where_.values) {
            LostReasonTally(reason: $0.string(0), deals: $0.int(1), dealIDs: ReportSQL.ids($0.optionalString(2)))
        }
    }

    public func openDeals(_ filter: ReportFilter) throws -> [Currency: Int] {
        let where_ = ReportDealConditions(filter)
        var result: [Currency: Int] = [:]
        _ = try c.rows("""
            SELECT d.currency, count(*) FROM deals d
            WHERE d.status = 'open' AND \(where_.sql) GROUP BY d.currency
            """, where_.values) { result[Currency(stored: $0.string(0))] = $0.int(1) }
        return result
    }
}

extension Database {
    public var winLossReport: SQLiteWinLossReport { SQLiteWinLossReport(db: self) }
    public var winLossReportRepository: any WinLossReportRepository { winLossReport }
}
