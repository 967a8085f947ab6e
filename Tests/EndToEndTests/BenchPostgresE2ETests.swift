import CRMStorePostgres
import Foundation
import XCTest

/// `crm bench --db postgresql://…` at a tiny size on the throwaway server:
/// the SQLite bench file is built, copied into the empty PostgreSQL database
/// and reused there; the key sweep runs on both engines into one table; a
/// load run of real client processes ends with its consistency check.
/// Only the check's result and the rows' presence are asserted, never a time.
final class BenchPostgresE2ETests: XCTestCase {
    var run: CRMRun!

    override func setUpWithError() throws { run = try CRMRun.temporary("bench-pg") }
    override func tearDown() { run.remove() }

    func testALoadRunOfClientProcessesLosesAndDuplicatesNothingOnEitherEngine() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeDatabase()
        let db = server.conninfo(database: name)
        let load = try run.crm("bench", "--contacts", "100", "--clients", "3", "--seconds", "3", "--db", db)
        XCTAssertEqual(load.status, 0, load.out + load.err)
        XCTAssertTrue(load.out.contains("filled from the bench file in"), load.out)
        XCTAssertTrue(load.out.contains("load on SQLite: 3 clients"), load.out)
        XCTAssertTrue(load.out.contains("load on PostgreSQL: 3 clients"), load.out)
        let checks = load.out.split(separator: "\n").filter { $0.hasPrefix("consistency: ") }
        XCTAssertEqual(checks.count, 2, load.out)
        for check in checks {
            XCTAssertTrue(check.contains(": 0 lost, 0 duplicated — ok"), String(check))
            XCTAssertFalse(check.contains("refused yet written"), String(check))
        }
        // The check's figures against the database itself: every confirmed
        // note and follow-up outcome of the PostgreSQL run is there once.
        let pg = try XCTUnwrap(checks.last)
        let notes = try XCTUnwrap(Int(pg.firstMatch(of: /(\d+) note logged/)?.1 ?? ""))
        let done = try XCTUnwrap(Int(pg.firstMatch(of: /(\d+) follow-up done/)?.1 ?? ""))
        XCTAssertGreaterThan(notes + done, 0, "the clients wrote something in 3 seconds")
        let connection = try PGConnection(db)
        let markers = try connection.integer("SELECT count(DISTINCT body) FROM interactions WHERE body LIKE 'bench load %'")
        let rows = try connection.integer("SELECT count(*) FROM interactions WHERE body LIKE 'bench load %'")
        XCTAssertEqual(markers, Int64(notes + done))
        XCTAssertEqual(rows, markers, "no marker twice")

        // The SQLite side wrote into a copy: the cached bench file has no load note.
        XCTAssertTrue(load.out.contains("load run on a copy: "), load.out)
        let cached = try XCTUnwrap(load.out.firstMatch(of: /database: (\S+)/)?.1)
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = ["-readonly", String(cached), "SELECT count(*) FROM interactions WHERE body LIKE 'bench load %'"]
        let out = Pipe()
        sqlite.standardOutput = out
        try sqlite.run()
        sqlite.waitUntilExit()
        XCTAssertEqual(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "0\n")

        // A second run reuses the copy (it holds the contacts already).
        let again = try run.crm("bench", "--contacts", "100", "--clients", "2", "--seconds", "1", "--db", db)
        XCTAssertEqual(again.status, 0, again.out + again.err)
        XCTAssertTrue(again.out.contains("reused (already had"), again.out)
    }

    func testTheKeysRunSideBySideOnBothEngines() throws {
        let server = try TestPostgresServer.require()
        let db = server.conninfo(database: try server.makeDatabase())
        let keys = try run.crm("bench", "--contacts", "100", "--runs", "1", "--db", db)
        XCTAssertEqual(keys.status, 0, keys.err)
        XCTAssertTrue(keys.out.contains("SQLite median"), keys.out)
        XCTAssertTrue(keys.out.contains("PostgreSQL median"), keys.out)
        for row in ["Today (1): j Next item", "Contacts (2): ", "Pipeline (3): ", "path: Contacts search \"a b\"",
                    "path: open a contact that sorts late", "path: live refresh after another user's commit"] {
            XCTAssertTrue(keys.out.contains(row), "a row for \(row)")
        }
        XCTAssertTrue(keys.out.contains("PostgreSQL: every row within its p99 target")
                      || keys.out.contains("rows over their p99 target"), keys.out)

        // The Customers report group on both engines, side by side.
        let customers = try run.crm("bench", "--contacts", "100", "--runs", "1", "--only", "customers", "--db", db)
        XCTAssertEqual(customers.status, 0, customers.err)
        XCTAssertTrue(customers.out.contains("PostgreSQL median"), customers.out)
        XCTAssertTrue(customers.out.contains("customers report: whole page"), customers.out)

        let other = try run.crm("bench", "--only", "store", "--db", db)
        XCTAssertEqual(other.status, 64)
        XCTAssertTrue(other.firstErrorLine.contains("runs on SQLite only"), other.err)
        let seconds = try run.crm("bench", "--seconds", "5")
        XCTAssertEqual(seconds.status, 64)
        XCTAssertTrue(seconds.firstErrorLine.contains("give --clients too"), seconds.err)
    }
}
