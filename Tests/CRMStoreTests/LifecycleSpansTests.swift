import CRMCore
import CRMDemo
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Schema 68's stored spans on the lifecycle history, and retention read
/// from them, against the history read row by row.
final class LifecycleSpansTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01 UTC
    static func day(_ d: Int) -> Date { t0.addingTimeInterval(Double(d) * 86_400) }

    /// The contract's reading of the history, on this engine's connection.
    func contract(_ db: Database) -> LifecycleSpansContract {
        LifecycleSpansContract(run: { try db.connection.run($0) }, rows: { sql, n in
            try db.connection.rows(sql) { row in (0 ..< Int32(n)).map { row.optionalString($0) } }
        }, report: db.customerReports, people: db.peopleReport)
    }

    func assertSpansMatchTheHistory(_ db: Database, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try contract(db).spansThatDisagree(), [], file: file, line: line)
    }

    func testStoredSpansFollowEveryWayTheHistoryAndItsContactsChange() throws {
        let folder = TempFolder()
        let clock = ManualClock(Self.t0)
        let db = try Database(path: folder.path("crm.db"), login: "tester", clock: clock)
        // A manager: he takes colleagues' contacts over.
        _ = try db.users.add(login: "omid", name: "", role: .manager)
        let omid = try Database(path: folder.path("crm.db"), login: "omid", clock: clock)
        func change(_ id: Int64, _ to: Lifecycle, day d: Int) throws {
            clock.now = Self.day(d)
            var contact = try db.contacts.get(id)!
            contact.lifecycle = to
            _ = try db.contacts.update(contact)
        }
        clock.now = Self.day(1)
        let ada = try db.contacts.create(Contact(name: "Ada", lifecycle: .lead)).id
        let ben = try db.contacts.create(Contact(name: "Ben", lifecycle: .customer)).id
        // Appended changes, two in the same second (their order is the id's).
        try change(ada, .prospect, day: 10)
        try change(ada, .customer, day: 20)
        try change(ada, .former, day: 20)
        try change(ben, .former, day: 30)
        try assertSpansMatchTheHistory(db)
        let first = try XCTUnwrap(db.connection.first(
            "SELECT previous_at, next_at FROM contact_lifecycle_history WHERE contact_id = ? ORDER BY changed_at, id", [ada]) {
                [$0.optionalInt64(0), $0.optionalInt64(1)] })
        XCTAssertEqual(first, [Self.day(1).wholeSecondsSince1970, Self.day(20).wholeSecondsSince1970])
        // A handover (another user's connection), the trash and back.
        var moved = try omid.contacts.get(ben)!
        moved.ownerID = omid.currentUser.id
        _ = try omid.contacts.update(moved)
        clock.now = Self.day(40)
        try db.contacts.delete(ada)
        try assertSpansMatchTheHistory(db)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contact_lifecycle_history WHERE contact_deleted_at IS NOT NULL"), 3)
        try db.contacts.restore(ada)
        // A change written in the past, between two (as a copy or a backfill
        // writes them), one moved in time, one removed, a creation time changed.
        try db.connection.run("""
            INSERT INTO contact_lifecycle_history(contact_id, from_lifecycle, to_lifecycle, changed_at) VALUES (?, 'lead', 'lead', ?)
            """, [ada, Self.day(15)])
        try assertSpansMatchTheHistory(db)
        try db.connection.run("UPDATE contact_lifecycle_history SET changed_at = ? WHERE contact_id = ? AND changed_at = ?",
                              [Self.day(5), ada, Self.day(15)])
        try db.connection.run("UPDATE contact_lifecycle_history SET contact_id = ? WHERE contact_id = ? AND changed_at = ?",
                              [ben, ada, Self.day(10)])
        try assertSpansMatchTheHistory(db)
        try db.connection.run("DELETE FROM contact_lifecycle_history WHERE contact_id = ? AND changed_at = ?", [ada, Self.day(5)])
        try db.connection.run("UPDATE contacts SET created_at = ? WHERE id = ?", [Self.day(0), ada])
        try assertSpansMatchTheHistory(db)
        // Purged from the trash: its history goes, the rest stays right.
        clock.now = Self.day(50)
        try db.contacts.delete(ben)
        _ = try db.trash.purge(kind: .contact, deletedBefore: nil)
        try assertSpansMatchTheHistory(db)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contact_lifecycle_history WHERE contact_id = ?", [ben]), 0)
    }

    /// A random history written through the repositories (contacts made
    /// over 100 days, up to five changes each, some twice in a day, some in
    /// the trash and back, a colleague's handovers): every write in time
    /// order, as people make them.
    func randomHistory(in folder: TempFolder) throws -> (db: Database, omid: Database) {
        let clock = ManualClock(Self.t0)
        let db = try Database(path: folder.path("crm.db"), login: "tester", clock: clock)
        // A manager: he takes colleagues' contacts over.
        _ = try db.users.add(login: "omid", name: "", role: .manager)
        let omid = try Database(path: folder.path("crm.db"), login: "omid", clock: clock)
        var random = DemoRandom(seed: 68) // the demo's SplitMix64: the same history each run
        let stages: [Lifecycle] = [.lead, .prospect, .customer, .former]
        // Every write in time order, as people make them.
        enum Event { case create(Int), change(Int, Lifecycle), trash(Int), restore(Int), handover(Int) }
        var events: [(day: Int, second: Int, event: Event)] = []
        for n in 0 ..< 150 {
            let born = Int.random(in: 0 ..< 100, using: &random)
            events.append((born, n, .create(n)))
            var d = born
            for _ in 0 ..< Int.random(in: 0 ... 5, using: &random) {
                d += Int.random(in: 0 ... 40, using: &random)
                events.append((d, 100 + n, .change(n, stages.randomElement(using: &random)!)))
            }
            if Int.random(in: 0 ..< 3, using: &random) == 0 {
                let out = born + Int.random(in: 1 ... 150, using: &random)
                events.append((out, 200 + n, .trash(n)))
                if Bool.random(using: &random) { events.append((out + Int.random(in: 1 ... 30, using: &random), 300 + n, .restore(n))) }
            }
            if Int.random(in: 0 ..< 4, using: &random) == 0 { events.append((born + Int.random(in: 0 ... 200, using: &random), 400 + n, .handover(n))) }
        }
        var ids: [Int: Int64] = [:]
        var trashed = Set<Int>()
        for (d, second, event) in events.sorted(by: { ($0.day, $0.second) < ($1.day, $1.second) }) {
            clock.now = Self.day(d).addingTimeInterval(Double(second))
            switch event {
            case .create(let n):
                ids[n] = try db.contacts.create(Contact(name: "C\(n)", lifecycle: stages.randomElement(using: &random)!)).id
            case .change(let n, let to):
                guard !trashed.contains(n), var contact = try db.contacts.get(ids[n]!) else { continue }
                contact.lifecycle = to
                _ = try db.contacts.update(contact)
            case .trash(let n):
                try db.contacts.delete(ids[n]!)
                trashed.insert(n)
            case .restore(let n):
                try db.contacts.restore(ids[n]!)
                trashed.remove(n)
            case .handover(let n):
                guard !trashed.contains(n), var contact = try omid.contacts.get(ids[n]!) else { continue }
                contact.ownerID = omid.currentUser.id
                _ = try omid.contacts.update(contact)
            }
        }
        return (db, omid)
    }

    /// The contract's check of retention (LifecycleSpansContract), on a
    /// history written through the repositories: trash and restore, a
    /// colleague's handover, changes in time order.
    func testRetentionAgreesWithTheHistoryReadContactByContact() throws {
        let folder = TempFolder()
        let (db, omid) = try randomHistory(in: folder)
        XCTAssertEqual([db.currentUser.id, omid.currentUser.id], [1, 2])
        try assertSpansMatchTheHistory(db)
        XCTAssertGreaterThan(try db.connection.scalar("SELECT count(*) FROM contact_lifecycle_history") ?? 0, 150)
        XCTAssertEqual(try contract(db).retentionThatDisagrees(), [])
    }

    /// A file of schema 67 read without upgrading it (a read-only command)
    /// gives the figures the spans give; upgraded, its spans are filled.
    func testAnOlderFileGivesTheSameFiguresReadAsItIsAndAfterTheUpgrade() throws {
        let folder = TempFolder()
        var (db, omid) = try randomHistory(in: folder)
        let users = [db.currentUser.id, omid.currentUser.id]
        let filters = [(0, 300, 300), (30, 60, 300), (50, 120, 130), (140, 150, 145)].map {
            ReportFilter(start: Self.day($0.0), end: Self.day($0.1), now: Self.day($0.2))
        }
        func figures(_ db: Database) throws -> String {
            try filters.map { f in
                "\(try db.customerReports.retention(f)) \(try db.customerReports.retentionCounts(f)) "
                    + "\(try db.customerReports.retentionCustomers(f, part: .lost)) \(try db.customerReports.measuredLifespan(before: f.end)) "
                    + "\(try db.peopleReport.conversions(f, users: users).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" })"
            }.joined(separator: "\n")
        }
        let withSpans = try figures(db)
        XCTAssertTrue(withSpans.contains("converted: 1") || withSpans.contains("converted: 2"), withSpans)
        try rewindSchema(db.connection, to: 67)
        let path = db.path
        (db, omid) = (try Database(path: path, mode: .read), omid)
        XCTAssertEqual(db.schemaVersion, 67)
        XCTAssertEqual(try figures(db), withSpans)
        db = try Database(path: path, login: "tester")
        XCTAssertEqual(db.schemaVersion, Migrator.latestVersion)
        try assertSpansMatchTheHistory(db)
        XCTAssertEqual(try figures(db), withSpans)
    }
}
