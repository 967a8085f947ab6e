import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The at-risk list's stored activity per customer (schema 55) on both
/// engines, over CustomerReportContract's book: the list read from the
/// stored window gives the hand-worked figures of
/// `checkLifetimeRetentionAndRisk` (Dan 1>0, 63 days overdue; Ben 3>1, 33),
/// from a window ending on the report's day, a day before it and a day
/// after it (the corrections both ways); and after every kind of write the
/// stored rows equal a count from nothing.
struct CustomerActivityContract {
    let base: CustomerReportContract
    /// Moves the stored window to the UTC day of a time.
    let moveWindow: (Date) throws -> Void
    /// The stored rows, and the rows counted from nothing, in contact order
    /// (id, owner, touch, own cadence, tier, earlier, recent; NULL as "-").
    let stored: () throws -> [[String]]
    let recounted: () throws -> [[String]]

    static let day = CustomerReportContract.day
    static let date = CustomerReportContract.date

    func checkStoredWindowGivesTheHandWorkedList() throws {
        let settings = Settings()
        // Stage changes of their deals in the recent half (days 145–190) are
        // no contact with Dan or Ben (QA 29 #17): counted, Dan's 1>0 would be
        // 1>2 and Ben's 3>1 3>4, and neither would be falling.
        let d = Self.day
        for (id, contact, day) in [(200, CustomerReportContract.dan, 150), (201, CustomerReportContract.dan, 180),
                                   (202, CustomerReportContract.ben, 160), (203, CustomerReportContract.ben, 170),
                                   (204, CustomerReportContract.ben, 188)] as [(Int, Int64, Int64)] {
            try base.run("""
                INSERT INTO interactions(id, contact_id, kind, occurred_at, created_at, author_id)
                VALUES (\(id), \(contact), 'stage', \(d(day)), \(d(day)), 1)
                """)
        }
        // Now is day 190 at noon, so each window leaves slices to correct.
        let p = ReportFilter(start: Self.date(100), end: Self.date(200), now: Self.date(190).addingTimeInterval(43_200))
        for window in [190, 189, 191, 160] as [Int64] {
            try moveWindow(Self.date(window))
            XCTAssertEqual(try stored(), try recounted(), "window ending day \(window)")
            let risk = try base.report.atRisk(p, rules: settings.cadenceRules, windowDays: 90, limit: 10)
            XCTAssertEqual(risk.rows.map(\.name), ["Dan", "Ben"], "window ending day \(window)")
            XCTAssertEqual(risk.rows.map(\.daysOverdue), [63, 33])
            XCTAssertEqual(risk.rows.map { "\($0.earlier)>\($0.recent)" }, ["1>0", "3>1"], "window ending day \(window)")
            XCTAssertEqual(risk.rows.map(\.tier), [.c, .b])
            XCTAssertEqual(risk.total, 2)
            XCTAssertEqual(risk.ids, [CustomerReportContract.dan, CustomerReportContract.ben])
            // The page's answer: the same rows and count, without the ids.
            let page = try base.report.atRisk(p, rules: settings.cadenceRules, windowDays: 90, limit: 1, withIDs: false)
            XCTAssertEqual(page.rows, Array(risk.rows.prefix(1)))
            XCTAssertEqual(page.total, 2)
            XCTAssertEqual(page.ids, [])
            let whole = try base.report.atRisk(p, rules: settings.cadenceRules, windowDays: 90, limit: 10, withIDs: false)
            XCTAssertEqual(whole.rows, risk.rows, "window ending day \(window)")
            // The same list from another window length is counted directly.
            XCTAssertEqual(try base.report.atRisk(p, rules: settings.cadenceRules, windowDays: 91, limit: 10).ids,
                           [CustomerReportContract.dan, CustomerReportContract.ben])
        }
    }

    /// Every kind of write the program makes, as the statements it runs
    /// (the triggers see no difference): after each, the stored rows equal
    /// a recount, and the list from the stored window equals the list
    /// counted from the interactions.
    func checkStoredRowsFollowEveryWrite() throws {
        try moveWindow(Self.date(190))
        let d = Self.day
        let settings = Settings()
        let p = ReportFilter(start: Self.date(100), end: Self.date(200), now: Self.date(190))
        let writes: [(String, String)] = [
            ("log", "INSERT INTO interactions(id, contact_id, kind, occurred_at, created_at, author_id) VALUES (100, 4, 'call', \(d(120)), \(d(120)), 1)"),
            ("log in the recent half", "INSERT INTO interactions(id, contact_id, kind, occurred_at, created_at, author_id) VALUES (101, 2, 'note', \(d(160)), \(d(160)), 1)"),
            ("log a stage change", "INSERT INTO interactions(id, contact_id, kind, occurred_at, created_at, author_id) VALUES (102, 6, 'stage', \(d(110)), \(d(110)), 1)"),
            ("edit the time", "UPDATE interactions SET occurred_at = \(d(170)) WHERE id = 100"),
            ("move to another contact", "UPDATE interactions SET contact_id = 3 WHERE id = 101"),
            ("trash", "UPDATE interactions SET deleted_at = \(d(189)) WHERE id = 5"),
            ("restore", "UPDATE interactions SET deleted_at = NULL WHERE id = 5"),
            ("a stage change edited into a note", "UPDATE interactions SET kind = 'note' WHERE id = 102"),
            ("and back", "UPDATE interactions SET kind = 'stage' WHERE id = 102"),
            ("purge", "DELETE FROM interactions WHERE id = 102"),
            ("merge Gita into Ada", "UPDATE interactions SET contact_id = 1 WHERE contact_id = 7"),
            ("trash the merged contact", "UPDATE contacts SET deleted_at = \(d(189)), merged_into = 1 WHERE id = 7"),
            ("restore the contact", "UPDATE contacts SET deleted_at = NULL, merged_into = NULL WHERE id = 7"),
            ("lifecycle change to former", "UPDATE contacts SET lifecycle = 'former' WHERE id = 2"),
            ("lifecycle change to customer", "UPDATE contacts SET lifecycle = 'customer' WHERE id = 5"),
            ("reassign", "UPDATE contacts SET owner_id = 2 WHERE id = 1"),
            ("own cadence", "UPDATE contacts SET cadence_days = 30 WHERE id = 3"),
            ("tier", "UPDATE contacts SET value_tier = 'A' WHERE id = 4"),
            ("import a customer", "INSERT INTO contacts(id, name, lifecycle, owner_id, created_at, updated_at) VALUES (20, 'Zed', 'customer', 1, \(d(0)), \(d(0)))"),
            ("import its interactions", "INSERT INTO interactions(id, contact_id, kind, occurred_at, created_at, author_id) VALUES (103, 20, 'email', \(d(110)), \(d(110)), 1)"),
            ("undo the import", "DELETE FROM interactions WHERE id = 103"),
            ("purge the contact", "DELETE FROM contacts WHERE id = 20"),
            ("interaction trashed then moved", "UPDATE interactions SET deleted_at = 1, contact_id = 4 WHERE id = 6"),
        ]
        for (what, sql) in writes {
            try base.run(sql)
            XCTAssertEqual(try stored(), try recounted(), "after: \(what)")
            XCTAssertEqual(try base.report.atRisk(p, rules: settings.cadenceRules, windowDays: 90, limit: 10).ids,
                           try counted(p, settings), "after: \(what)")
            // The page's answer (no ids): the same first rows and count.
            let full = try base.report.atRisk(p, rules: settings.cadenceRules, windowDays: 90, limit: 10)
            let page = try base.report.atRisk(p, rules: settings.cadenceRules, windowDays: 90, limit: 1, withIDs: false)
            XCTAssertEqual(page.rows, Array(full.rows.prefix(1)), "after: \(what)")
            XCTAssertEqual(page.total, full.total, "after: \(what)")
        }
        // The window's move recounts what it passes.
        try moveWindow(Self.date(200))
        XCTAssertEqual(try stored(), try recounted(), "after the window's move")
    }

    /// The list counted from the interactions (a window of 90 days the
    /// stored one does not serve: the same list through the counted path).
    private func counted(_ p: ReportFilter, _ settings: Settings) throws -> [Int64] {
        try moveWindow(Self.date(0))
        defer { _ = try? moveWindow(Self.date(190)) }
        return try base.report.atRisk(p, rules: settings.cadenceRules, windowDays: 90, limit: 10).ids
    }
}

final class SQLiteCustomerActivityContractTests: XCTestCase {
    private func contract() throws -> (CustomerActivityContract, Any) {
        let (db, folder) = try makeDatabase()
        let c = db.connection
        let base = CustomerReportContract(run: { try c.run($0) }, report: db.customerReports, people: db.peopleReport)
        try base.fixture()
        func rows(_ sql: String) throws -> [[String]] {
            try c.rows(sql) { row in (0 ..< 7).map { row.isNull(Int32($0)) ? "-" : row.string(Int32($0)) } }
        }
        let contract = CustomerActivityContract(
            base: base, moveWindow: { try CustomerActivity.moveWindow(c, to: $0) },
            stored: { try rows("SELECT * FROM customer_activity ORDER BY contact_id") },
            recounted: { try rows(CustomerActivity.recountSQL) })
        return (contract, (db, folder))
    }
    func testStoredWindowGivesTheHandWorkedList() throws { let (c, keep) = try contract(); try c.checkStoredWindowGivesTheHandWorkedList(); _ = keep }
    func testStoredRowsFollowEveryWrite() throws { let (c, keep) = try contract(); try c.checkStoredRowsFollowEveryWrite(); _ = keep }

    /// A bulk load (an import, a demo fill) suspends the insert triggers
    /// and counts its rows at the end: the same rows as one by one.
    func testBulkLoadCountsItsRows() throws {
        let (c, keep) = try contract()
        let db = try XCTUnwrap((keep as? (Database, TempFolder))?.0)
        try c.moveWindow(CustomerActivityContract.date(190))
        let d = CustomerActivityContract.day
        try BulkLoader(database: db).load { loader in
            let contact = try loader.insert(Contact(name: "Bulk", lifecycle: .customer))
            for day in [110, 120] {
                try loader.insert(Interaction(contactID: contact, kind: .call, occurredAt: Date(timeIntervalSince1970: Double(d(Int64(day))))))
            }
            try loader.insert(Interaction(contactID: CustomerReportContract.ben, kind: .call,
                                          occurredAt: Date(timeIntervalSince1970: Double(d(130)))))
        }
        XCTAssertEqual(try c.stored(), try c.recounted())
        XCTAssertEqual(try c.stored().last.map { Array($0[5 ... 6]) }, ["2", "0"], "the loaded customer: two calls in the earlier half")
    }

    /// The list reads the falling customers from their partial index and
    /// the corrections from the time index; no scan of the customers.
    func testAtRiskPlanReadsTheFallingIndex() throws {
        let (db, folder) = try makeDatabase()
        let tagDays = "?7"
        let plan = try db.connection.rows("EXPLAIN QUERY PLAN " + SQLiteCustomerReportRepository.storedRiskSQL(tagDays: tagDays)
                                          + " SELECT id FROM falling",
                                          [7, 1_000_000, 1_000_000, 1_000_000, SQLValue.null, 0, 1_000_000, SQLValue.null, 0, 1, 1, 3_888_000] as [SQLBindable]) {
            $0.string(3)
        }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("USING COVERING INDEX customer_activity_falling"), plan)
        XCTAssertTrue(plan.contains("SEARCH i USING INDEX interactions_by_time"), plan)
        XCTAssertFalse(plan.contains("contacts_customers_by_company"), plan)
        XCTAssertFalse(plan.contains("interactions_by_contact"), plan)
        _ = folder
    }
}

final class PGCustomerActivityContractTests: XCTestCase {
    private func contract() throws -> (CustomerActivityContract, PostgresDatabase) {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let c = db.connection
        let base = CustomerReportContract(run: { try c.run($0) }, report: PGCustomerReportRepository(db: db), people: PGPeopleReport(db: db))
        do { try base.fixture() } catch { XCTFail("\(error): \(String(describing: c.lastError))"); throw error }
        func rows(_ sql: String) throws -> [[String]] {
            try c.query(sql).rows.map { row in (0 ..< 7).map { row.optionalString($0) ?? "-" } }
        }
        let contract = CustomerActivityContract(
            base: base, moveWindow: { try PGCustomerActivity.moveWindow(c, to: $0) },
            stored: { try rows("SELECT * FROM customer_activity ORDER BY contact_id") },
            recounted: { try rows(PGCustomerActivity.recountSQL) })
        return (contract, db)
    }
    private func check(_ body: (CustomerActivityContract) throws -> Void) throws {
        let (c, db) = try contract()
        do { try body(c) } catch { XCTFail("\(error): \(String(describing: db.connection.lastError))") }
    }
    func testStoredWindowGivesTheHandWorkedList() throws { try check { try $0.checkStoredWindowGivesTheHandWorkedList() } }
    func testStoredRowsFollowEveryWrite() throws { try check { try $0.checkStoredRowsFollowEveryWrite() } }

    /// With the planner kept from reading tables whole (a test book is too
    /// small for it to prefer an index), the list reads the falling
    /// customers from their partial index.
    func testAtRiskPlanReadsTheFallingIndex() throws {
        let (_, db) = try contract()
        let c = db.connection
        do { try plan(c) } catch { XCTFail("\(error): \(String(describing: c.lastError))") }
    }

    private func plan(_ c: PGConnection) throws {
        try c.transaction {
            try c.run("SET LOCAL enable_seqscan = off")
            let sql = "EXPLAIN " + PGCustomerReportRepository.riskSQL(falling: PGCustomerReportRepository.storedRiskSQL(tagDays: "$7::bigint"), limit: 14)
            let plan = try c.query(sql, [Int64(7), Int64(1_000_000), Int64(1_000_000), Int64(1_000_000), PGNull(), Int64(0),
                                         Int64(1_000_000), PGNull(), PGNull(), Int64(0), Int64(1), Int64(1), Int64(3_888_000), Int64(20)])
                .rows.map { $0.string(0) }.joined(separator: "\n")
            XCTAssertTrue(plan.contains("customer_activity_falling"), plan)
            XCTAssertFalse(plan.contains("Seq Scan on contacts"), plan)
        }
    }
}
