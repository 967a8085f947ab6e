import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// Schema 73 on PostgreSQL: the statement triggers whose statements read a
/// statement's old and new rows. A session's first statements are one row
/// each, and PL/pgSQL keeps the plan it made for them; a join of the two
/// transition tables planned then was a nested loop, which a later bulk
/// action in the same session ran over every pair of its thousands of rows
/// (a snooze of 15,469 follow-ups: 36 s). Here one session writes single
/// rows first and then a bulk change, and the kept figures are still the
/// recount; and no trigger function plans such a join once for all sizes.
final class PGTransitionTablePlansTests: XCTestCase {
    var db: PostgresDatabase!

    override func setUpWithError() throws {
        let server = try TestPostgresServer.require()
        db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "sara")
    }

    override func tearDown() {
        db = nil
    }

    /// `report_follow_up_days` and its recount from the follow-ups, as lines.
    private func followUpDays() throws -> (kept: [String], counted: [String]) {
        let day = "(due_at - (due_at % 86400 + 86400) % 86400)"
        let kept = try db.connection.rows("""
            SELECT assignee_id || ' ' || day_start || ' ' || due || ' ' || done_on_time || ' ' || done_late
            FROM report_follow_up_days WHERE due <> 0 OR done_on_time <> 0 OR done_late <> 0 ORDER BY 1
            """) { $0.string(0) }
        let counted = try db.connection.rows("""
            SELECT assignee_id || ' ' || \(day) || ' ' || count(*) || ' '
                   || count(*) FILTER (WHERE status = 'done' AND done_at <= due_at) || ' '
                   || count(*) FILTER (WHERE status = 'done' AND done_at > due_at)
            FROM follow_ups WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled'
            GROUP BY assignee_id, \(day) ORDER BY 1
            """) { $0.string(0) }
        return (kept, counted)
    }

    func testABulkChangeAfterOneRowChangesInTheSameSessionKeepsTheFollowUpDays() throws {
        let contact = try db.contactRepository.create(Contact(name: "Ann Ames"))
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        var made: [FollowUp] = []
        for i in 0 ..< 240 {
            made.append(try db.followUpRepository.create(FollowUp(
                contactID: contact.id, assigneeID: db.currentUser.storedID, title: "Call \(i)",
                dueAt: start.addingTimeInterval(Double(i % 9) * 86_400 + Double(i) * 60))))
        }
        // Single rows first: the plans the session keeps are made for them.
        for followUp in made.prefix(8) {
            var done = try XCTUnwrap(try db.followUpRepository.get(followUp.id))
            done.status = .done
            done.doneAt = followUp.dueAt.addingTimeInterval(followUp.id % 2 == 0 ? -60 : 3_600)
            _ = try db.followUpRepository.update(done)
        }
        var days = try followUpDays()
        XCTAssertEqual(days.kept, days.counted, "after single rows")
        // Then one statement over the rest: some snoozed by days, some by a
        // minute (their deltas cancel out), some done.
        let rest = try made.dropFirst(8).map { try XCTUnwrap(try db.followUpRepository.get($0.id)) }
        let versions = Dictionary(uniqueKeysWithValues: rest.map { ($0.id, $0.version) })
        let wrote = try db.followUpRepository.update(versions) { followUp in
            switch followUp.id % 3 {
            case 0: followUp.dueAt = followUp.dueAt.addingTimeInterval(3 * 86_400)
            case 1: followUp.dueAt = followUp.dueAt.addingTimeInterval(60)
            default: followUp.status = .done
            }
        }
        XCTAssertEqual(wrote.count, rest.count)
        days = try followUpDays()
        XCTAssertEqual(days.kept, days.counted, "after the bulk change")
        XCTAssertFalse(days.kept.isEmpty)
        // And back, as an undo writes them: one statement again.
        let back = try db.followUpRepository.update(wrote.written) { followUp in
            if let row = wrote.index(of: followUp.id) { wrote.restore(row, &followUp) }
        }
        XCTAssertEqual(back.count, rest.count)
        days = try followUpDays()
        XCTAssertEqual(days.kept, days.counted, "after the bulk change taken back")
    }

    func testABulkRenameAfterOneRowRenamesKeepsTheNameWords() throws {
        var contacts: [Contact] = []
        for i in 0 ..< 60 { contacts.append(try db.contactRepository.create(Contact(name: "Name\(i) Person\(i % 7)"))) }
        for contact in contacts.prefix(5) {
            var renamed = contact
            renamed.name = "Renamed \(contact.name)"
            _ = try db.contactRepository.update(renamed)
        }
        // One statement over many documents: a name word added to half of them.
        try db.connection.run("""
            UPDATE contact_search SET words = words || setweight(to_tsvector('simple', 'bulk'), 'A') WHERE contact_id % 2 = 0
            """)
        let kept = try db.connection.rows("SELECT contact_id || ' ' || word FROM contact_name_words ORDER BY 1") { $0.string(0) }
        let counted = try db.connection.rows("""
            SELECT s.contact_id || ' ' || w.word FROM contact_search s CROSS JOIN LATERAL crm_name_words(s.words) w
            WHERE s.live AND s.sort_key IS NOT NULL ORDER BY 1
            """) { $0.string(0) }
        XCTAssertEqual(kept, counted)
        XCTAssertTrue(kept.contains { $0.hasSuffix(" bulk") }, "the bulk rename reached the name words")
    }

    /// A guard: in every function of a statement trigger that has both an
    /// old and a new table, no statement planned once for the session joins
    /// the two (a join of them is sent with EXECUTE, planned for its rows).
    func testNoStatementTriggerKeepsAPlannedJoinOfItsOldAndNewRows() throws {
        let triggers = try db.connection.rows("""
            SELECT t.tgname, t.tgoldtable, t.tgnewtable, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE t.tgoldtable IS NOT NULL AND t.tgnewtable IS NOT NULL ORDER BY 1
            """) { ($0.string(0), $0.string(1), $0.string(2), $0.string(3)) }
        XCTAssertFalse(triggers.isEmpty)
        for (name, old, new, source) in triggers {
            // The statements PL/pgSQL plans itself: the text outside EXECUTE's $sql$ strings.
            let planned = source.components(separatedBy: "$sql$").enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined()
            for statement in planned.components(separatedBy: ";") where statement.contains(old) && statement.contains(new) {
                let words = statement.uppercased()
                XCTAssertFalse(words.contains("JOIN") || words.contains("USING"), "\(name) joins \(old) and \(new) in a kept plan:\n\(statement)")
            }
        }
    }
}
