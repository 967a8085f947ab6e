import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The People report's per-day counts (schema 32) stay exactly what a
/// recount of the interactions and follow-ups gives, after every kind of
/// write that can move a row between days, people, kinds or outcomes; and
/// the report's counts over any period, cut at any second (a local
/// midnight is seldom a UTC one), are the counts of the rows themselves.
final class ReportAggregateTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!
    var omid: User!, lena: User!

    override func setUpWithError() throws {
        (db, folder) = try makeDatabase(login: "boss")
        omid = try db.users.findOrCreate(login: "omid")
        lena = try db.users.findOrCreate(login: "lena")
    }

    override func tearDown() {
        db = nil
        folder = nil
    }

    static let day: Int64 = 86_400
    /// 2026-11-01 00:00 UTC.
    static let base: Int64 = 1_793_491_200

    func at(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// The per-day tables against a recount from the base tables (rows whose
    /// counts fell back to zero are the same as no row).
    func assertCountsMatchTheRows(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        let stored = try c.rows("""
            SELECT author_id, kind, day_start, interactions FROM report_interaction_days WHERE interactions <> 0 ORDER BY 1, 2, 3
            """) { "\($0.int64(0)) \($0.string(1)) \($0.int64(2)) \($0.int64(3))" }
        let counted = try c.rows("""
            SELECT author_id, kind, occurred_at - (occurred_at % 86400 + 86400) % 86400, count(*) FROM interactions
            WHERE deleted_at IS NULL AND author_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """) { "\($0.int64(0)) \($0.string(1)) \($0.int64(2)) \($0.int64(3))" }
        XCTAssertEqual(stored, counted, "interactions per day after \(step)", file: file, line: line)
        let storedDue = try c.rows("""
            SELECT assignee_id, day_start, due, done_on_time, done_late FROM report_follow_up_days
            WHERE due <> 0 OR done_on_time <> 0 OR done_late <> 0 ORDER BY 1, 2
            """) { "\($0.int64(0)) \($0.int64(1)) \($0.int64(2)) \($0.int64(3)) \($0.int64(4))" }
        let countedDue = try c.rows("""
            SELECT assignee_id, due_at - (due_at % 86400 + 86400) % 86400, count(*),
                   sum(status = 'done' AND done_at IS NOT NULL AND done_at <= due_at), sum(status = 'done' AND done_at IS NOT NULL AND done_at > due_at)
            FROM follow_ups WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled'
            GROUP BY 1, 2 ORDER BY 1, 2
            """) { "\($0.int64(0)) \($0.int64(1)) \($0.int64(2)) \($0.int64(3)) \($0.int64(4))" }
        XCTAssertEqual(storedDue, countedDue, "follow-ups per day after \(step)", file: file, line: line)
        XCTAssertEqual(try c.scalar("SELECT count(*) FROM report_interaction_days WHERE interactions < 0"), 0, step, file: file, line: line)
    }

    func log(_ kind: InteractionKind, by user: User?, at t: Int64, contact: Contact) throws -> Interaction {
        try db.interactions.log(Interaction(contactID: contact.id, kind: kind, occurredAt: at(t), body: "spoke", authorID: user?.id))
    }

    func followUp(_ user: User?, due t: Int64, contact: Contact, done: Int64? = nil) throws -> FollowUp {
        var f = FollowUp(contactID: contact.id, assigneeID: user?.id, title: "call back", dueAt: at(t))
        if let done { f.status = .done; f.doneAt = at(done) }
        return try db.followUps.create(f)
    }

    func testTheCountsFollowEveryWrite() throws {
        let ana = try db.contacts.create(Contact(name: "Ana Ruiz", ownerID: omid.id, lifecycle: .customer))
        let bo = try db.contacts.create(Contact(name: "Bo Lind", ownerID: lena.id))
        try assertCountsMatchTheRows("nothing")

        // Logged, at the first and last second of a day, before 1970, and without an author.
        var call = try log(.call, by: omid, at: Self.base, contact: ana)
        _ = try log(.call, by: omid, at: Self.base + Self.day - 1, contact: ana)
        _ = try log(.email, by: lena, at: -Self.day - 5, contact: bo)
        _ = try log(.note, by: nil, at: Self.base + 3, contact: bo)
        let meeting = try log(.meeting, by: lena, at: Self.base + 2 * Self.day + 7, contact: bo)
        try assertCountsMatchTheRows("logging")

        // Edited: another time, another kind.
        call.occurredAt = at(Self.base + 5 * Self.day + 1)
        call.kind = .message
        call = try db.interactions.update(call)
        try assertCountsMatchTheRows("an edit of time and kind")
        // Another author (only the database can write that today).
        try db.connection.run("UPDATE interactions SET author_id = ? WHERE id = ?", [lena.id, call.id])
        try db.connection.run("UPDATE interactions SET author_id = NULL WHERE id = ?", [meeting.id])
        try db.connection.run("UPDATE interactions SET author_id = ? WHERE id = ?", [omid.id, meeting.id])
        try assertCountsMatchTheRows("a change of author")

        // Soft delete and restore, one and through its contact.
        try db.interactions.delete(call.id)
        try assertCountsMatchTheRows("a delete")
        try db.interactions.restore(call.id)
        try assertCountsMatchTheRows("a restore")
        try db.trash.trash(.contact, bo.id)
        try assertCountsMatchTheRows("a contact to the trash")
        _ = try db.trash.restore(.contact, bo.id)
        try assertCountsMatchTheRows("the contact back")

        // Follow-ups: open, done on time and late, without an assignee.
        var f1 = try followUp(omid, due: Self.base + 10 * 3_600, contact: ana)
        let f2 = try followUp(omid, due: Self.base + 10 * 3_600, contact: ana, done: Self.base + 9 * 3_600)
        var f3 = try followUp(lena, due: Self.base + Self.day, contact: bo, done: Self.base + 3 * Self.day)
        _ = try followUp(nil, due: Self.base, contact: bo)
        _ = try followUp(lena, due: -1, contact: bo, done: -1)
        try assertCountsMatchTheRows("follow-ups made")
        f1.status = .done
        f1.doneAt = at(Self.base + 11 * 3_600)
        f1 = try db.followUps.update(f1)
        try assertCountsMatchTheRows("done late")
        f1.status = .open
        f1.doneAt = nil
        f1.dueAt = at(Self.base + 4 * Self.day)
        f1 = try db.followUps.update(f1)
        try assertCountsMatchTheRows("reopened and moved")
        f3.status = .cancelled
        f3.cancelReason = "no longer needed"
        f3.doneAt = nil
        f3 = try db.followUps.update(f3)
        try assertCountsMatchTheRows("cancelled")
        f3.status = .open
        f3.assigneeID = omid.id
        f3 = try db.followUps.update(f3)
        try assertCountsMatchTheRows("reopened for someone else")
        try db.followUps.delete(f2.id)
        try assertCountsMatchTheRows("a follow-up to the trash")
        try db.followUps.restore(f2.id)
        try assertCountsMatchTheRows("the follow-up back")

        // A merge moves the other contact's rows; undone, they move back.
        let anaAgain = try db.contacts.create(Contact(name: "Ana Ruiz", ownerID: omid.id))
        _ = try log(.call, by: lena, at: Self.base + 8 * Self.day, contact: anaAgain)
        _ = try followUp(lena, due: Self.base + 8 * Self.day, contact: anaAgain)
        let survivor = try XCTUnwrap(db.contacts.get(ana.id))
        let merged = try db.contacts.merge(into: survivor, other: anaAgain.id, otherVersion: try XCTUnwrap(db.contacts.get(anaAgain.id)).version)
        try assertCountsMatchTheRows("a merge")
        try db.contacts.undoMerge(merged)
        try assertCountsMatchTheRows("a merge undone")

        // A handover gives omid's open follow-ups to lena; undone, back.
        let handover = try XCTUnwrap(try db.users.deactivate(login: "omid", handover: HandoverPlan(everythingTo: "lena")).1)
        try assertCountsMatchTheRows("a handover")
        _ = try db.users.undoHandover(handover.id)
        try assertCountsMatchTheRows("a handover undone")

        // Purged for good (and rows some other writer deletes outright).
        try db.trash.trash(.contact, bo.id)
        _ = try db.trash.purge(kind: nil, deletedBefore: nil)
        try assertCountsMatchTheRows("a purge")
        try db.connection.run("DELETE FROM interactions WHERE contact_id = ?", [ana.id])
        try db.connection.run("DELETE FROM follow_ups WHERE contact_id = ?", [ana.id])
        try assertCountsMatchTheRows("deletes")

        // A bulk load suspends the insert triggers and adds its counts at the end.
        try BulkLoader(database: db).load { loader in
            let id = try loader.insert(Contact(name: "Bulk Person"))
            for i in 0..<40 {
                try loader.insert(Interaction(contactID: id, kind: i % 2 == 0 ? .call : .email, occurredAt: at(Self.base + Int64(i) * 20_000),
                                              authorID: i % 3 == 0 ? nil : lena.id))
                try loader.insert(FollowUp(contactID: id, assigneeID: lena.id, title: "t", dueAt: at(Self.base + Int64(i) * 30_000),
                                           status: i % 4 == 0 ? .done : .open, doneAt: i % 4 == 0 ? at(Self.base + Int64(i) * 29_000) : nil),
                                  createdBy: nil)
            }
        }
        try assertCountsMatchTheRows("a bulk load")
    }

    /// Any period, cut at any second (local midnights of UTC+03:30 and
    /// UTC−05:00, a few seconds either side of a UTC midnight, within one
    /// day, a whole year): the report's counts are the rows' counts.
    func testThePeriodsCountsAreTheRowsCountsWhereverThePeriodIsCut() throws {
        let people = [omid!, lena!]
        let contact = try db.contacts.create(Contact(name: "Someone"))
        var seed: UInt64 = 7
        func next(_ bound: Int64) -> Int64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((seed >> 33) % UInt64(bound))
        }
        let kinds: [InteractionKind] = [.call, .email, .meeting, .note, .message]
        for i in 0..<300 {
            let t = Self.base - 40 * Self.day + next(80 * Self.day)
            _ = try log(kinds[i % kinds.count], by: people[i % 2], at: i % 10 == 0 ? Self.base + Int64(i / 10) * Self.day : t, contact: contact)
            var f = FollowUp(contactID: contact.id, assigneeID: people[(i / 2) % 2].id, title: "t",
                             dueAt: at(i % 10 == 1 ? Self.base - Int64(i / 10) * Self.day : t))
            switch i % 4 {
            case 0: f.status = .done; f.doneAt = at(t + next(2 * Self.day) - Self.day)
            case 1: f.status = .cancelled
            default: break
            }
            _ = try db.followUps.create(f)
        }
        let now = at(Self.base + 5 * Self.day + 12_345)
        let report = db.peopleReport
        let ids = people.map(\.id)
        let periods: [(Int64, Int64)] = [
            (Self.base - 12_600, Self.base + 30 * Self.day - 12_600),         // a month at UTC+03:30
            (Self.base + 18_000, Self.base + 7 * Self.day + 18_000),          // a week at UTC−05:00
            (Self.base - 1, Self.base + 1), (Self.base, Self.base + Self.day), // around and on one UTC day
            (Self.base + 100, Self.base + 200),                               // within a day
            (Self.base - 40 * Self.day, Self.base + 40 * Self.day),           // every row
            (Self.base - 365 * Self.day + 7, Self.base + 7),
            (Self.base + Self.day, Self.base),                                // empty
        ]
        for (start, end) in periods {
            let filter = ReportFilter(start: at(start), end: at(end), now: now)
            var expected: [Int64: [InteractionKind: Int]] = [:]
            _ = try db.connection.rows("""
                SELECT author_id, kind, count(*) FROM interactions WHERE deleted_at IS NULL AND kind <> 'stage'
                AND occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2
                """, [start, end]) { expected[$0.int64(0), default: [:]][InteractionKind(rawValue: $0.string(1))!] = $0.int(2) }
            XCTAssertEqual(try report.interactions(filter, users: ids), expected, "interactions \(start)..<\(end)")
            var due: [Int64: PersonFollowUps] = [:]
            _ = try db.connection.rows("""
                SELECT assignee_id, count(*), sum(status = 'done' AND done_at <= due_at), sum(status = 'done' AND done_at > due_at),
                       sum(status = 'open' AND due_at < ?3)
                FROM follow_ups WHERE deleted_at IS NULL AND status <> 'cancelled' AND due_at >= ?1 AND due_at < ?2 GROUP BY 1
                """, [start, end, now]) {
                due[$0.int64(0)] = PersonFollowUps(due: $0.int(1), onTime: $0.int(2), late: $0.int(3), overdue: $0.int(4))
            }
            let got = try report.followUps(filter, users: ids).mapValues { PersonFollowUps(due: $0.due, onTime: $0.onTime, late: $0.late, overdue: $0.overdue) }
            XCTAssertEqual(got, due, "follow-ups \(start)..<\(end)")
        }
    }

    func testThePeriodIsCutIntoWholeUTCDaysAndTwoEdges() {
        let d = Self.day, b = Self.base
        XCTAssertEqual(ReportDaySplit(start: b - 12_600, end: b + 3 * d - 12_600),
                       ReportDaySplit(start: b - 12_600, end: b + 3 * d - 12_600))
        let s = ReportDaySplit(start: b - 12_600, end: b + 3 * d - 12_600)
        XCTAssertEqual([s.daysStart, s.daysEnd, s.headEnd, s.tailStart], [b, b + 2 * d, b, b + 2 * d])
        let exact = ReportDaySplit(start: b, end: b + d)
        XCTAssertEqual([exact.daysStart, exact.daysEnd, exact.headEnd, exact.tailStart], [b, b + d, b, b + d])
        let inside = ReportDaySplit(start: b + 5, end: b + d + 5)
        XCTAssertEqual([inside.daysStart, inside.daysEnd, inside.headEnd, inside.tailStart], [0, 0, b + d + 5, b + d + 5])
        let old = ReportDaySplit(start: -d - 1, end: 1)
        XCTAssertEqual([old.daysStart, old.daysEnd, old.headEnd, old.tailStart], [-d, 0, -d, 0])
        let everything = ReportDaySplit(start: .min, end: .max)
        XCTAssertEqual(everything.headEnd, everything.daysStart)
        XCTAssertLessThan(everything.daysStart, everything.daysEnd)
    }

    func testAnOlderFileGetsTheCountsOnUpgrade() throws {
        let contact = try db.contacts.create(Contact(name: "Someone"))
        _ = try log(.call, by: omid, at: Self.base, contact: contact)
        _ = try followUp(lena, due: Self.base, contact: contact, done: Self.base + 1)
        let path = db.path
        try rewindSchema(db.connection, to: 30)
        db = nil
        db = try Database(path: path, login: "boss")
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion)
        try assertCountsMatchTheRows("the upgrade")
        XCTAssertEqual(try db.connection.scalar("SELECT sum(interactions) FROM report_interaction_days"), 1)
    }
}
