import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Schema 68's stored spans on the lifecycle history, and retention read
/// from them, against the history read row by row.
final class LifecycleSpansTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01 UTC
    static func day(_ d: Int) -> Date { t0.addingTimeInterval(Double(d) * 86_400) }

    /// Each row's (previous_at, next_at, owner, trash time) worked out from
    /// the rows and the contacts in Swift, against what the triggers stored.
    func assertSpansMatchTheHistory(_ db: Database, file: StaticString = #filePath, line: UInt = #line) throws {
        struct Row { let id, contact, changed: Int64; let stored: [Int64?] }
        let rows = try db.connection.rows("""
            SELECT id, contact_id, changed_at, previous_at, next_at, contact_owner_id, contact_deleted_at FROM contact_lifecycle_history
            """) { Row(id: $0.int64(0), contact: $0.int64(1), changed: $0.int64(2),
                       stored: [$0.optionalInt64(3), $0.optionalInt64(4), $0.optionalInt64(5), $0.optionalInt64(6)]) }
        let contacts = Dictionary(uniqueKeysWithValues: try db.connection.rows("SELECT id, created_at, owner_id, deleted_at FROM contacts") {
            ($0.int64(0), [$0.optionalInt64(1), $0.optionalInt64(2), $0.optionalInt64(3)])
        })
        for (_, own) in Dictionary(grouping: rows, by: \.contact) {
            let ordered = own.sorted { ($0.changed, $0.id) < ($1.changed, $1.id) }
            for (i, row) in ordered.enumerated() {
                let contact = contacts[row.contact]!
                let expected = [i == 0 ? contact[0] : ordered[i - 1].changed, i + 1 < ordered.count ? ordered[i + 1].changed : nil,
                                contact[1], contact[2]]
                XCTAssertEqual(row.stored, expected, "history row \(row.id) of contact \(row.contact)", file: file, line: line)
            }
        }
    }

    func testStoredSpansFollowEveryWayTheHistoryAndItsContactsChange() throws {
        let folder = TempFolder()
        let clock = ManualClock(Self.t0)
        let db = try Database(path: folder.path("crm.db"), login: "tester", clock: clock)
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

    /// A small deterministic generator (SplitMix64): the same history each run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Retention on a random history (contacts made over 100 days, up to
    /// five changes each, some twice in a day, some in the trash, two
    /// owners) for many periods, past and present, against each contact's
    /// lifecycle before a time read from its rows in Swift: the `from` of
    /// its first change at or after the time, else its lifecycle now; if it
    /// existed then and was not in the trash.
    /// The random history: every write in time order, as people make them.
    func randomHistory(in folder: TempFolder) throws -> (db: Database, omid: Database) {
        let clock = ManualClock(Self.t0)
        let db = try Database(path: folder.path("crm.db"), login: "tester", clock: clock)
        let omid = try Database(path: folder.path("crm.db"), login: "omid", clock: clock)
        var random = Seeded(state: 68)
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

    func testRetentionAgreesWithTheHistoryReadContactByContact() throws {
        let folder = TempFolder()
        let (db, omid) = try randomHistory(in: folder)
        try assertSpansMatchTheHistory(db)
        XCTAssertGreaterThan(try db.connection.scalar("SELECT count(*) FROM contact_lifecycle_history") ?? 0, 150)

        struct Person { let id, created: Int64; let deleted, owner: Int64?; let lifecycle: String }
        let people = try db.connection.rows("SELECT id, created_at, deleted_at, owner_id, lifecycle FROM contacts") {
            Person(id: $0.int64(0), created: $0.int64(1), deleted: $0.optionalInt64(2), owner: $0.optionalInt64(3), lifecycle: $0.string(4))
        }
        let history = Dictionary(grouping: try db.connection.rows(
            "SELECT contact_id, changed_at, id, from_lifecycle FROM contact_lifecycle_history ORDER BY changed_at, id") {
                (contact: $0.int64(0), at: $0.int64(1), from: $0.string(3)) }, by: \.contact)
        func customer(_ p: Person, at t: Int64) -> Bool {
            guard p.created < t, p.deleted.map({ $0 >= t }) ?? true else { return false }
            return (history[p.id]?.first { $0.at >= t }?.from ?? p.lifecycle) == "customer"
        }
        let owners: [[Int64]] = [[], [omid.currentUser.id], [db.currentUser.id, omid.currentUser.id]]
        for (start, end, now) in [(0, 300, 300), (30, 60, 300), (50, 120, 130), (100, 100, 300), (60, 250, 200), (140, 150, 145),
                                  (10, 400, 400), (200, 260, 400), (250, 260, 240)] {
            for who in owners {
                let filter = ReportFilter(start: Self.day(start), end: Self.day(end), ownerIDs: who, now: Self.day(now))
                let e = min(filter.end, filter.now).wholeSecondsSince1970, s = min(filter.start.wholeSecondsSince1970, e)
                let mine = people.filter { who.isEmpty || $0.owner.map(who.contains) == true }
                let atStart = mine.filter { customer($0, at: s) }.map(\.id), atEnd = Set(mine.filter { customer($0, at: e) }.map(\.id))
                let expected = RetentionFigures(atStart: atStart.sorted(), retained: atStart.filter(atEnd.contains).sorted(),
                                                lost: atStart.filter { !atEnd.contains($0) }.sorted(),
                                                gained: atEnd.subtracting(atStart).sorted())
                let said = "period days \(start)–\(end), now day \(now), owners \(who)"
                XCTAssertEqual(try db.customerReports.retention(filter), expected, said)
                XCTAssertEqual(try db.customerReports.retentionCounts(filter),
                               RetentionCounts(atStart: expected.atStart.count, retained: expected.retained.count,
                                               lost: expected.lost.count, gained: expected.gained.count), said)
            }
        }
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
