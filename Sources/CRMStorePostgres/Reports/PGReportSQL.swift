import CRMCore
import CRMRepositories
import Foundation

/// The WHERE terms every report query over deals shares on PostgreSQL:
/// live deals of the filter's pipelines, owners and currency (`d` is the
/// deals alias). Id lists are bound as ONE array parameter (`= ANY(?)`), so
/// a statement's text does not change with the number of owners.
struct PGReportConditions {
    var conds: [String] = ["d.deleted_at IS NULL"]
    var values: [any PGBindable] = []

    init(_ filter: ReportFilter, owners: [Int64]? = nil) {
        let owners = owners ?? filter.ownerIDs
        if !filter.pipelineIDs.isEmpty { add("d.pipeline_id", in: filter.pipelineIDs) }
        if !owners.isEmpty { add("d.owner_id", in: owners) }
        if let currency = filter.currency { conds.append("d.currency = ?"); values.append(currency.code) }
    }

    mutating func add(_ column: String, in ids: [Int64]) {
        conds.append("\(column) = ANY(?::bigint[])")
        values.append(PGReportSQL.array(ids))
    }

    var sql: String { conds.joined(separator: " AND ") }
}

enum PGReportSQL {
    /// Ids as a PostgreSQL array literal, bound as one text parameter.
    static func array(_ ids: [Int64]) -> String { "{" + ids.map(String.init).joined(separator: ",") + "}" }

    /// The ids of a `string_agg(id::text, ',')` column, ascending.
    static func ids(_ text: String?) -> [Int64] { ReportIDText.ids(text) }

    /// The ids of a `string_agg` column in the order aggregated.
    static func orderedIDs(_ text: String?) -> [Int64] { ReportIDText.ids(text, sorted: false) }

    /// A whole number PostgreSQL printed (bigint, or numeric from sum()):
    /// nil when it does not fit in Int64. sum(bigint) is numeric on
    /// PostgreSQL, exact for any number of rows, so money needs no
    /// million/remainder split here (SQLite's integer sum raises on overflow,
    /// hence MillionParts there); the fit is checked once, here.
    static func whole(_ text: String?) -> Int64? {
        guard let text else { return nil }
        return Int64(text)
    }
}

extension PGReportSQL {
    /// Texts as a PostgreSQL array literal, each quoted (backslash and
    /// double quote escaped), bound as one parameter.
    static func textArray(_ texts: [String]) -> String {
        "{" + texts.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
