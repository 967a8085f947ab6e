@testable import CRMStore
import CRMCore
import CSQLite
import XCTest

/// Demo data on real SQLite files in a temporary folder.
final class DemoDataTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func makeDatabase(_ name: String, contacts: Int, seed: UInt64, today: Date) throws -> Database {
        let db = try Database(path: folder.appendingPathComponent(name).path)
        try DemoData.generate(into: db, contacts: contacts, seed: seed, today: today)
        return db
    }

    /// Every row of the tables demo data writes, as text, in id order.
    func dump(_ db: Database) throws -> [String] {
        var lines: [String] = []
        for table in ["users", "companies", "contacts", "contact_emails", "contact_phones", "tags", "contact_tags",
                      "pipelines", "stages", "deals", "deal_stage_history", "interactions", "follow_ups"] {
            lines += try db.connection.rows("SELECT * FROM \(table) ORDER BY 1, 2") { row in
                (0..<sqlite3ColumnCount(row)).map { row.optionalString($0) ?? "NULL" }.joined(separator: "|")
            }.map { "\(table): \($0)" }
        }
        return lines
    }

    func sqlite3ColumnCount(_ row: Row) -> Int32 { sqlite3_column_count(row.handle) }

    func testSameSeedSameDayGivesIdenticalRows() throws {
        let today = DemoData.startOfTodayUTC()
        let a = try makeDatabase("a.db", contacts: 150, seed: 7, today: today)
        let b = try makeDatabase("b.db", contacts: 150, seed: 7, today: today)
        let c = try makeDatabase("c.db", contacts: 150, seed: 8, today: today)
        let dumpA = try dump(a)
        XCTAssertGreaterThan(dumpA.count, 1500)
        XCTAssertEqual(dumpA, try dump(b))
        XCTAssertNotEqual(dumpA, try dump(c))
    }

    func testCoversScriptsStagesOutcomesAndFollowUpWindows() throws {
        let today = DemoData.startOfTodayUTC()
        let db = try makeDatabase("d.db", contacts: 400, seed: 1, today: today)
        let names = try db.connection.rows("SELECT name FROM contacts") { $0.string(0) }
        func has(_ ranges: [ClosedRange<UInt32>]) -> Bool {
            names.contains { $0.unicodeScalars.contains { s in ranges.contains { $0.contains(s.value) } } }
        }
        XCTAssertTrue(names.contains { $0.range(of: "[äöüÄÖÜß]", options: .regularExpression) != nil }, "German umlauts")
        XCTAssertTrue(names.contains { $0.range(of: "[éèêëçñáíóúï]", options: .regularExpression) != nil }, "French/Spanish")
        XCTAssertTrue(names.contains { $0.contains("ی") || $0.contains("ک") }, "Persian letters")
        XCTAssertTrue(has([0x0600...0x06FF]), "Arabic script")
        XCTAssertTrue(has([0x4E00...0x9FFF]), "CJK")
        XCTAssertTrue(has([0x3040...0x30FF]) || names.contains { $0.contains(" ") && $0.unicodeScalars.first.map { (0x4E00...0x9FFF).contains($0.value) } == true }, "Japanese")
        XCTAssertTrue(has([0x0400...0x04FF]), "Cyrillic")
        XCTAssertTrue(names.contains { $0.allSatisfy { $0.isASCII } }, "plain English")

        // Every stage of both pipelines holds deals; won and lost deals have history.
        let emptyStages = try db.connection.scalar("SELECT count(*) FROM stages s WHERE NOT EXISTS (SELECT 1 FROM deals d WHERE d.stage_id = s.id)")
        XCTAssertEqual(emptyStages, 0)
        XCTAssertEqual(try db.pipelines.pipelines().map(\.name), ["Sales", "Renewals"])
        for status in ["won", "lost"] {
            let withHistory = try db.connection.scalar("""
                SELECT count(*) FROM deals d WHERE status = ? AND
                  (SELECT count(*) FROM deal_stage_history h WHERE h.deal_id = d.id) >= 2
                """, [status])
            XCTAssertGreaterThan(withHistory ?? 0, 0, status)
        }
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM deals WHERE status = 'lost' AND lost_reason = ''"), 0)

        let day: Int64 = 86_400
        let midnight = Int64(today.timeIntervalSince1970)
        let open = "SELECT count(*) FROM follow_ups WHERE status = 'open' AND "
        XCTAssertGreaterThan(try db.connection.scalar(open + "due_at < ?", [midnight]) ?? 0, 0, "overdue")
        XCTAssertGreaterThan(try db.connection.scalar(open + "due_at >= ? AND due_at < ?", [midnight, midnight + day]) ?? 0, 0, "today")
        XCTAssertGreaterThan(try db.connection.scalar(open + "due_at >= ?", [midnight + day]) ?? 0, 0, "upcoming")
        XCTAssertGreaterThanOrEqual(try db.connection.scalar("SELECT count(DISTINCT assignee_id) FROM follow_ups") ?? 0, 5)

        // Search works on bulk-loaded rows: the backfills filled the FTS tables.
        XCTAssertFalse(try db.contacts.search("mül", filter: ContactFilter(), limit: 5).isEmpty)
        let phone = try XCTUnwrap(try db.contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 1).first?.phone)
        let digits = String(PhoneNumber.digits(phone).suffix(4))
        XCTAssertFalse(try db.contacts.search(digits, filter: ContactFilter(), limit: 50).isEmpty)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contacts WHERE last_interaction_at IS NULL"), 0)
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
        // Triggers are back after the load.
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'interactions_fts_insert'"), 1)
    }

    func testAppendReusesPipelinesAndUsers() throws {
        let db = try makeDatabase("e.db", contacts: 20, seed: 1, today: DemoData.startOfTodayUTC())
        try DemoData.generate(into: db, contacts: 5, seed: 2)
        XCTAssertEqual(try db.pipelines.pipelines().count, 2)
        XCTAssertEqual(try db.users.all().count, DemoData.users.count)
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), 25)
    }
}
