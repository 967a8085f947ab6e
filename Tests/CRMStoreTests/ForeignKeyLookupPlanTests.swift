import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Removing a contact or a company for good (an import's undo, a trash
/// purge) makes SQLite look up every row pointing at it, one query per
/// foreign key. Each of those lookups must read an index: without one, a
/// removed contact scanned all interactions, and undoing a 60,000-row import
/// ran for minutes under the write lock. The list of foreign keys is read
/// from the schema, so one added later without an index fails here.
final class ForeignKeyLookupPlanTests: XCTestCase {
    func testEveryForeignKeyToAContactOrCompanyIsLookedUpByAnIndex() throws {
        let (db, folder) = try makeDatabase()
        defer { _ = folder }
        let c = db.connection
        let keys = try c.rows("""
            SELECT m.name, f."from", f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
            WHERE m.type = 'table' AND f."table" IN ('contacts', 'companies') ORDER BY m.name, f."from"
            """) { ($0.string(0), $0.string(1), $0.string(2)) }
        XCTAssertGreaterThanOrEqual(keys.count, 10, "\(keys)")
        for (child, column, parent) in keys {
            // The lookup SQLite runs for a removed parent row: every child row with its id.
            let plan = try c.rows("EXPLAIN QUERY PLAN SELECT 1 FROM \"\(child)\" WHERE \"\(column)\" = ?", [Int64(1)]) { $0.string(3) }
                .joined(separator: " | ")
            XCTAssertFalse(plan.hasPrefix("SCAN"), "\(child).\(column) → \(parent) scans the table: \(plan)")
            XCTAssertTrue(plan.contains("INDEX") || plan.contains("PRIMARY KEY"), "\(child).\(column): \(plan)")
        }
    }
}
