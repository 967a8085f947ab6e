import CRMCore
import CRMRepositories
import Foundation

/// The WHERE terms every report query over deals shares: live deals of the
/// filter's pipelines, owners and currency. `d` is the deals alias.
struct ReportDealConditions {
    var conds: [String] = ["d.deleted_at IS NULL"]
    var values: [SQLBindable] = []

    init(_ filter: ReportFilter, owners: [Int64]? = nil) {
        let owners = owners ?? filter.ownerIDs
        if !owners.isEmpty { add("d.owner_id", in: owners) }
        if !filter.pipelineIDs.isEmpty { add("d.pipeline_id", in: filter.pipelineIDs) }
        if let currency = filter.currency { conds.append("d.currency = ?"); values.append(currency.code) }
    }

    mutating func add(_ column: String, in ids: [Int64]) {
        conds.append("\(column) IN (\(ReportSQL.placeholders(ids.count)))")
        values += ids.map { $0 as SQLBindable }
    }

    var sql: String { conds.joined(separator: " AND ") }
}

enum ReportSQL {
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// The ids of a `group_concat(id)` column, ascending (group_concat
    /// promises no order). Read byte by byte (SQLiteDealReportRepository.ids):
    /// a year's closed deals are thousands of ids, and splitting the text
    /// into substrings first cost more than the query.
    static func ids(_ text: String?) -> [Int64] { SQLiteDealReportRepository.ids(text) }
}
