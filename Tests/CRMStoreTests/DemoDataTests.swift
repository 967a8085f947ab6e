import CRMDemo
import CRMRepositories
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
                      "pipelines", "stages", "deals", "deal_stage_history", "interactions", "follow_ups",
                      "contact_lifecycle_history"] {
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

    /// Each contact's lifecycle history climbs the ladder to its lifecycle
    /// (a customer may have been created as one), between its creation and
    /// today, so conversion, retention and lifespan show figures (QA 31 #6).
    func testLifecycleHistoryLeadsEachContactToItsLifecycle() throws {
        let today = DemoData.startOfTodayUTC()
        let db = try makeDatabase("h.db", contacts: 300, seed: 3, today: today)
        let ladder = ["lead", "prospect", "customer", "former"]
        let contacts = try db.connection.rows("SELECT id, lifecycle, created_at FROM contacts") { ($0.int64(0), $0.string(1), $0.int64(2)) }
        var createdAsCustomers = 0
        for (id, lifecycle, created) in contacts {
            let steps = try db.connection.rows("""
                SELECT from_lifecycle, to_lifecycle, changed_at FROM contact_lifecycle_history WHERE contact_id = ? ORDER BY changed_at, id
                """, [id]) { ($0.string(0), $0.string(1), $0.int64(2)) }
            let reached = try XCTUnwrap(ladder.firstIndex(of: lifecycle))
            if lifecycle == "customer" && steps.isEmpty { createdAsCustomers += 1; continue }
            XCTAssertEqual(steps.map { "\($0.0)>\($0.1)" }, (0 ..< reached).map { "\(ladder[$0])>\(ladder[$0 + 1])" }, "contact \(id)")
            XCTAssertTrue(steps.allSatisfy { $0.2 >= created && $0.2 < Int64(today.timeIntervalSince1970) }, "contact \(id)")
        }
        XCTAssertGreaterThan(createdAsCustomers, 0)
        let report = db.customerReports
        let filter = ReportFilter(start: today.addingTimeInterval(-365 * 86_400), end: today, now: today)
        XCTAssertGreaterThan(try report.measuredLifespan(before: today).departures, 0)
        XCTAssertGreaterThan(try report.retentionCounts(filter).lost, 0)
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

        // Every open stage of both pipelines holds open and closed deals; won
        // and lost deals have history.
        for status in ["open", "won", "lost"] {
            let emptyStages = try db.connection.scalar("""
                SELECT count(*) FROM stages s WHERE kind = 'open' AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.stage_id = s.id AND d.status = ?)
                """, [status])
            XCTAssertEqual(emptyStages, 0, status)
        }
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

    /// Closed deals as the app's w/x leave them: in the last open stage they
    /// reached (the closed list's Stage column says where they were won or
    /// lost), with status, closed_at and lost reason; the history has only
    /// moves between open stages. Nothing about a deal predates the deal.
    func testClosedDealsFollowTheAppsConventionAndNothingPredatesItsDeal() throws {
        let db = try makeDatabase("f.db", contacts: 400, seed: 3, today: DemoData.startOfTodayUTC())
        func count(_ sql: String) throws -> Int64 { try db.connection.scalar(sql) ?? -1 }
        XCTAssertGreaterThan(try count("SELECT count(*) FROM deals WHERE status = 'won'"), 0)
        XCTAssertGreaterThan(try count("SELECT count(*) FROM deals WHERE status = 'lost'"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind != 'open'"), 0,
                       "no deal in a Won/Lost stage")
        XCTAssertEqual(try count("SELECT count(*) FROM deal_stage_history h JOIN stages s ON s.id = h.to_stage_id WHERE s.kind != 'open'"), 0,
                       "no history row into a Won/Lost stage")
        XCTAssertEqual(try count("SELECT count(*) FROM deals WHERE status != 'open' AND (closed_at IS NULL OR closed_at < stage_entered_at)"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM deals WHERE status = 'open' AND closed_at IS NOT NULL"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM deals WHERE status != 'lost' AND lost_reason != ''"), 0)
        // The stage a deal is in is the last it was moved to.
        XCTAssertEqual(try count("""
            SELECT count(*) FROM deals d WHERE d.stage_id !=
              (SELECT h.to_stage_id FROM deal_stage_history h WHERE h.deal_id = d.id ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)
            """), 0)
        // Closing shows on the timeline as the app writes it.
        XCTAssertEqual(try count("""
            SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.status != 'open' AND NOT EXISTS
              (SELECT 1 FROM interactions i WHERE i.deal_id = d.id AND i.kind = 'stage' AND i.occurred_at = d.closed_at
               AND i.subject = d.title || ': ' || d.status || ' (in ' || s.name || ')' ||
                   CASE d.status WHEN 'lost' THEN ' — ' || d.lost_reason ELSE '' END)
            """), 0)
        // Nothing about a deal before the deal was created.
        XCTAssertEqual(try count("""
            SELECT count(*) FROM deals d WHERE d.created_at > (SELECT min(h.changed_at) FROM deal_stage_history h WHERE h.deal_id = d.id)
            """), 0)
        XCTAssertGreaterThan(try count("SELECT count(*) FROM interactions WHERE deal_id IS NOT NULL AND kind != 'stage'"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM interactions i JOIN deals d ON d.id = i.deal_id WHERE i.occurred_at < d.created_at"), 0)
        XCTAssertGreaterThan(try count("SELECT count(*) FROM follow_ups WHERE deal_id IS NOT NULL"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM follow_ups f JOIN deals d ON d.id = f.deal_id WHERE f.created_at < d.created_at"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.created_at < c.created_at"), 0)

        // The closed list shows them, newest first, with their open stage.
        let sales = try XCTUnwrap(db.pipelines.pipelines().first)
        let closed = try db.deals.closedDeals(pipelineID: sales.id, status: nil, filter: DealFilter(), after: nil, limit: 50)
        XCTAssertFalse(closed.isEmpty)
        let openStages = Set(try db.pipelines.stages(pipelineID: sales.id).filter { $0.kind == .open }.map(\.id))
        XCTAssertTrue(closed.allSatisfy { openStages.contains($0.deal.stageID) })
    }

    func testAppendReusesPipelinesAndUsers() throws {
        let db = try makeDatabase("e.db", contacts: 20, seed: 1, today: DemoData.startOfTodayUTC())
        try DemoData.generate(into: db, contacts: 5, seed: 2)
        XCTAssertEqual(try db.pipelines.pipelines().count, 2)
        XCTAssertEqual(try db.users.all().count, DemoData.users.count)
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), 25)
    }
}
