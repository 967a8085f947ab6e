import CRMCore
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The bench database is built the fast way (DemoData's `throwawayFile`: no
/// journal, every loaded table's indexes built after the fill, large FTS5
/// pending lists, sorter threads). It must be the same database the per-row
/// path makes from the same seed: same schema, same rows in every table,
/// same search indexes, sound.
final class FastBuildTests: XCTestCase {
    private let today = DemoData.startOfTodayUTC(Date(timeIntervalSince1970: 1_750_000_000))

    func testFastBuildEqualsPerRowBuild() throws {
        let folder = TempFolder()
        let fast = try Database(path: folder.path("fast.db"))
        let slow = try Database(path: folder.path("slow.db"))
        let a = try DemoData.generate(into: fast, contacts: 1_000, seed: 11, today: today, throwawayFile: true)
        let b = try DemoData.generate(into: slow, contacts: 1_000, seed: 11, today: today, deferIndexing: false)
        XCTAssertEqual(a, b)
        XCTAssertGreaterThan(a.interactions, 7_500)

        for db in [fast, slow] {
            XCTAssertEqual(try db.integrityCheck(), ["ok"])
            XCTAssertEqual(try db.connection.text("PRAGMA journal_mode"), "wal")
            for table in try ftsTables(db) {
                try db.connection.execute("INSERT INTO \(table)(\(table)) VALUES ('integrity-check')")
            }
        }
        XCTAssertEqual(fast.schemaVersion, slow.schemaVersion)
        // Every table, index, trigger and view, with its SQL.
        let schema = "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
        XCTAssertEqual(try fast.connection.rows(schema) { "\($0.string(0)) \($0.string(1)) \($0.string(3))" },
                       try slow.connection.rows(schema) { "\($0.string(0)) \($0.string(1)) \($0.string(3))" })

        // Every row of every table (FTS5's own segment pages aside: their
        // layout depends on when terms were flushed; what they hold is
        // compared through fts5vocab below and checked by integrity-check).
        let fts = Set(try ftsTables(fast))
        let tables = try fast.connection.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) }
        for table in tables where !fts.contains(where: { table == "\($0)_data" || table == "\($0)_idx" }) {
            XCTAssertEqual(try rows(of: table, in: fast), try rows(of: table, in: slow), table)
        }
        for table in fts {
            for db in [fast, slow] {
                try db.connection.execute("CREATE VIRTUAL TABLE temp.vocab_\(table) USING fts5vocab(main, \(table), 'row')")
            }
            XCTAssertEqual(try rows(of: "temp.vocab_\(table)", in: fast), try rows(of: "temp.vocab_\(table)", in: slow), table)
        }
        // The large pending-list size set for the build is gone again.
        for table in fts {
            XCTAssertEqual(try fast.connection.scalar("SELECT count(*) FROM \(table)_config WHERE k = 'hashsize'"), 0)
        }
        // The contacts' name words, the derived table a one-word search reads.
        XCTAssertGreaterThan(try fast.connection.scalar("SELECT count(*) FROM contact_name_words") ?? 0, 1_000)
    }

    private func ftsTables(_ db: Database) throws -> [String] {
        try db.connection.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5(%' ORDER BY name") {
            $0.string(0)
        }
    }

    /// Every row of `table` as one text (each value quoted), sorted.
    private func rows(of table: String, in db: Database) throws -> [String] {
        let schema = table.hasPrefix("temp.") ? "temp" : "main"
        let name = table.hasPrefix("temp.") ? String(table.dropFirst(5)) : table
        let columns = try db.connection.rows("SELECT name FROM pragma_table_info(?, ?)", [name, schema]) { $0.string(0) }
        let select = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
        return try db.connection.rows("SELECT \(select) FROM \(table)") { $0.string(0) }.sorted()
    }
}
