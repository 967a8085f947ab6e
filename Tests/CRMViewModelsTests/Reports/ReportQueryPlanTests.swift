import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest
import CRMViewModels

/// The "Won and lost" and "People" pages read deals, interactions and
/// follow-ups through indexes (schema 28), never by scanning a table: every
/// statement the two builders prepare is explained, and none may SCAN one
/// of those tables without an index.
final class ReportQueryPlanTests: XCTestCase {
    func testEveryReportQueryUsesAnIndex() throws {
        let f = try WinLossPeopleFixture()
        // A second connection: its statement cache holds only what the
        // builders prepared (and what opening the file did).
        let db = try Database(path: f.folder.appendingPathComponent("crm.db").path, login: "sara", clock: f.clock)
        f.settings.tagCadence = ["vip": 3]
        _ = try WinLossReportSheet.build(f.filter, repositories: db, settings: f.settings)
        _ = try PeopleReportSheet.build(f.filter, repositories: db, settings: f.settings)
        var plans: [String: [String]] = [:]
        for sql in db.connection.preparedSQL where sql.hasPrefix("SELECT") || sql.hasPrefix("WITH") {
            do {
                // Each parameter bound to NULL: the plan depends on the
                // shape of the query, not on its values.
                let nulls = Array(repeating: SQLValue.null as SQLBindable, count: sql.filter { $0 == "?" }.count)
                plans[sql] = try db.connection.rows("EXPLAIN QUERY PLAN " + sql, nulls) { $0.string(3) }
            } catch {
                XCTFail("\(error): \(String(reflecting: error)) in \(sql)")
            }
        }
        let watched = ["deals", "interactions", "follow_ups", "d", "i", "f"]
        for (sql, lines) in plans {
            for line in lines where line.hasPrefix("SCAN ") && !line.contains("INDEX") {
                let table = line.dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
                XCTAssertFalse(watched.contains(table), "\(line) in\n\(sql)")
            }
        }
        let all = plans.values.joined().joined(separator: "\n")
        if ProcessInfo.processInfo.environment["SHOW_PLANS"] != nil { for (s, l) in plans { print(s, "\n  ", l.joined(separator: "\n   ")) } }
        for index in ["deals_by_status_closed", "interactions_by_author_kind_time", "follow_ups_by_assignee_due",
                      "contacts_attention_by_owner_lifecycle", "contact_lifecycle_conversions"] {
            XCTAssertTrue(all.contains(index), "\(index) is not used:\n\(all)")
        }
    }
}
