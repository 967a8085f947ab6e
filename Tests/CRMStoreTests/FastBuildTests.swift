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
        try assertSame(fast, slow)
        // The large pending-list size set for the build is gone again.
        for table in try ftsTables(fast) {
            XCTAssertEqual(try fast.connection.scalar("SELECT count(*) FROM \(table)_config WHERE k = 'hashsize'"), 0)
        }
        // The contacts' name words, the derived table a one-word search reads.
        XCTAssertGreaterThan(try fast.connection.scalar("SELECT count(*) FROM contact_name_words") ?? 0, 1_000)
        // The derived tables the fast build fills with set-based statements
        // instead of per-row triggers (DerivedTableTrigger, and RowKeyTrigger's
        // key counts) hold rows, so their equality above says something; the
        // two stays of a deal's moves and its close among them.
        for table in ["report_stage_stays", "report_deal_seen", "contact_email_key_counts", "contact_phone_key_counts",
                      "contact_name_key_counts", "customer_won_values"] {
            XCTAssertGreaterThan(try fast.connection.scalar("SELECT count(*) FROM \(table)") ?? 0, 10, table)
        }
        XCTAssertGreaterThan(try fast.connection.scalar("SELECT count(*) FROM report_stage_stays WHERE history_id IS NULL") ?? 0, 10)
        XCTAssertGreaterThan(try fast.connection.scalar("SELECT count(*) FROM contact_name_key_counts WHERE n > 1") ?? 0, 0)
    }

    /// A demo fill into a database that already holds a demo: each backfill
    /// covers only the rows after its watermark and adds to the counts there.
    func testSecondFillEqualsPerRowFills() throws {
        let folder = TempFolder()
        let fast = try Database(path: folder.path("fast.db"))
        let slow = try Database(path: folder.path("slow.db"))
        for seed: UInt64 in [5, 6] {
            XCTAssertEqual(try DemoData.generate(into: fast, contacts: 400, seed: seed, today: today),
                           try DemoData.generate(into: slow, contacts: 400, seed: seed, today: today, deferIndexing: false))
        }
        XCTAssertEqual(try fast.integrityCheck(), ["ok"])
        // The counts equal a fresh recount of both fills' rows.
        let recounts = [
            ("SELECT email, n FROM contact_email_key_counts WHERE n > 0 ORDER BY email COLLATE NOCASE",
             "SELECT min(email), count(*) FROM contact_emails GROUP BY email COLLATE NOCASE ORDER BY 1 COLLATE NOCASE"),
            ("SELECT match_key, n FROM contact_phone_key_counts WHERE n > 0 ORDER BY 1",
             "SELECT match_key, count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY 1 ORDER BY 1"),
            ("SELECT name_key || '|' || company_id, n FROM contact_name_key_counts WHERE n > 0 ORDER BY 1",
             "SELECT name_key || '|' || company_id, count(*) FROM contacts WHERE name_key IS NOT NULL AND company_id IS NOT NULL GROUP BY 1 ORDER BY 1"),
        ]
        for (kept, recount) in recounts {
            let a = try fast.connection.rows(kept) { "\($0.string(0).lowercased()) \($0.int64(1))" }
            XCTAssertEqual(a, try fast.connection.rows(recount) { "\($0.string(0).lowercased()) \($0.int64(1))" })
            XCTAssertGreaterThan(a.count, 100)
        }
        try assertSame(fast, slow)
    }

    /// Same schema, same rows in every table, same terms in every search index.
    private func assertSame(_ fast: Database, _ slow: Database, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(fast.schemaVersion, slow.schemaVersion, file: file, line: line)
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
            XCTAssertEqual(try rows(of: table, in: fast), try rows(of: table, in: slow), table, file: file, line: line)
        }
        for table in fts {
            for db in [fast, slow] {
                try db.connection.execute("CREATE VIRTUAL TABLE temp.vocab_\(table) USING fts5vocab(main, \(table), 'row')")
            }
            XCTAssertEqual(try rows(of: "temp.vocab_\(table)", in: fast), try rows(of: "temp.vocab_\(table)", in: slow), table,
                           file: file, line: line)
            for db in [fast, slow] { try db.connection.execute("DROP TABLE temp.vocab_\(table)") }
        }
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
