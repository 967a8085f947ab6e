import CRMCore
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The bulk path (queued, sorted, multi-row inserts; set-based backfills)
/// must leave the same database as the per-row triggers would.
final class BulkLoaderTests: XCTestCase {
    private let day: TimeInterval = 86_400

    /// Interactions given in no particular order, for two contacts: `count` each.
    private func interactions(_ a: Int64, _ b: Int64, count: Int, base: Date) -> [Interaction] {
        (0..<count * 2).map { n in
            Interaction(contactID: n % 2 == 0 ? a : b, kind: .note,
                        occurredAt: base.addingTimeInterval(Double((n * 7919) % 1000) * 60),
                        subject: "Zebracorn review \(n)", body: "Quarterly tapir notes", createdAt: base)
        }
    }

    func testBulkInteractionsAreSearchableAndRaiseLastTouch() throws {
        for deferIndexing in [true, false] {
            let (db, _folder) = try makeDatabase()
            _ = _folder
            let a = try db.contacts.create(.init(name: "Ada")).id
            let b = try db.contacts.create(.init(name: "Bea")).id
            let base = Date(timeIntervalSince1970: 1_700_000_000)
            let rows = interactions(a, b, count: 150, base: base)
            try BulkLoader(database: db, deferIndexing: deferIndexing).load { loader in
                for row in rows { try loader.insert(row) }
            }
            let c = db.connection
            XCTAssertEqual(try c.scalar("SELECT count(*) FROM interactions"), 300)
            // Every row is in the full-text index, and the index is sound.
            let found = try db.interactions.timeline(.all(TimelineFilter(text: "zebracorn")), before: nil, limit: 1000)
            XCTAssertEqual(found.count, 300, "deferIndexing \(deferIndexing)")
            XCTAssertEqual(try db.interactions.timeline(.all(TimelineFilter(text: "tapi")), before: nil, limit: 1000).count, 300)
            try c.execute("INSERT INTO interaction_fts(interaction_fts) VALUES ('integrity-check')")
            for id in [a, b] {
                let latest = rows.filter { $0.contactID == id }.map(\.occurredAt).max()!
                XCTAssertEqual(try c.scalar("SELECT last_interaction_at FROM contacts WHERE id = ?", [id]),
                               Int64(latest.timeIntervalSince1970))
                let timeline = try db.interactions.timeline(.contact(id), before: nil, limit: 500)
                XCTAssertEqual(timeline.count, 150)
                XCTAssertEqual(timeline.map(\.interaction.occurredAt), timeline.map(\.interaction.occurredAt).sorted(by: >))
            }
            // The insert triggers are back: a single insert is indexed again.
            _ = try db.interactions.log(Interaction(contactID: a, kind: .call, occurredAt: base.addingTimeInterval(900 * day),
                                                       subject: "Okapi call", createdAt: base))
            XCTAssertEqual(try db.interactions.timeline(.all(TimelineFilter(text: "okapi")), before: nil, limit: 10).count, 1)
            XCTAssertEqual(try c.scalar("SELECT last_interaction_at FROM contacts WHERE id = ?", [a]),
                           Int64(base.addingTimeInterval(900 * day).timeIntervalSince1970))
        }
    }

    func testBulkLoadNeverLowersLastTouch() throws {
        let (db, _folder) = try makeDatabase()
        _ = _folder
        let a = try db.contacts.create(.init(name: "Ada")).id
        let recent = Date(timeIntervalSince1970: 1_750_000_000)
        _ = try db.interactions.log(Interaction(contactID: a, kind: .call, occurredAt: recent, createdAt: recent))
        try BulkLoader(database: db).load { loader in
            try loader.insert(Interaction(contactID: a, kind: .note, occurredAt: recent.addingTimeInterval(-30 * day), createdAt: recent))
        }
        XCTAssertEqual(try db.connection.scalar("SELECT last_interaction_at FROM contacts WHERE id = ?", [a]),
                       Int64(recent.timeIntervalSince1970))
    }

    func testDiscardedLoadLeavesNothingBehind() throws {
        let (db, _folder) = try makeDatabase()
        _ = _folder
        let a = try db.contacts.create(.init(name: "Ada")).id
        let triggers = try db.connection.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        try BulkLoader(database: db).load(discard: true) { loader in
            for row in interactions(a, a, count: 10, base: Date()) { try loader.insert(row) }
        }
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM interactions"), 0)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM interaction_fts"), 0)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), triggers)
    }

    /// Step 4: interactions without a deal or company have no entry in those
    /// indexes, and the deal and company timelines still use them.
    func testDealAndCompanyIndexesSkipNullsAndAreUsed() throws {
        let (db, _folder) = try makeDatabase()
        _ = _folder
        let c = db.connection
        for name in ["interactions_by_deal", "interactions_by_company"] {
            let sql = try c.text("SELECT sql FROM sqlite_master WHERE name = ?", [name]) ?? ""
            XCTAssertTrue(sql.contains("IS NOT NULL"), sql)
        }
        for (column, index) in [("deal_id", "interactions_by_deal"), ("company_id", "interactions_by_company")] {
            let plan = try c.rows("""
                EXPLAIN QUERY PLAN SELECT id FROM interactions i WHERE i.deleted_at IS NULL AND i.\(column) = ?
                ORDER BY i.occurred_at DESC, i.id DESC LIMIT 50
                """, [Int64(1)]) { $0.string(3) }
            XCTAssertTrue(plan.joined().contains(index), plan.joined())
        }
    }

    func testDemoIntoEmptyFileEndsInWALMode() throws {
        let (db, _folder) = try makeDatabase()
        _ = _folder
        try DemoData.generate(into: db, contacts: 30, seed: 3)
        XCTAssertEqual(try db.connection.text("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
        XCTAssertGreaterThan(try db.connection.scalar("SELECT count(*) FROM interaction_fts") ?? 0, 0)
    }
}
