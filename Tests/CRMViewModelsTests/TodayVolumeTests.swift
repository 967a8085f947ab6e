import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Today at volume: every item of every section reachable through keyset
/// pages, section jumps, marking and bulk actions undone in one step, the
/// snooze keys acting alone, and Needs attention snoozed or given a contact's
/// own cadence.
final class TodayVolumeTests: XCTestCase {
    var f: TodayFixture!

    /// `n` overdue follow-ups for ana, one minute apart, the oldest first
    /// ("Overdue 1" … "Overdue n"), inserted in one transaction.
    func makeOverdue(_ n: Int, today: Int = 0) throws {
        f = try TodayFixture()
        let ada = try f.contact("Ada Lovelace", company: "Analytical Engines")
        let ana = try f.db.users.findOrCreate(login: "ana").id
        let start = TodayFixture.date("2026-03-20T09:00:00Z")
        try f.db.transaction {
            for i in 1...n {
                _ = try f.db.followUps.create(FollowUp(contactID: ada.id, assigneeID: ana, title: "Overdue \(i)",
                                                       dueAt: start.addingTimeInterval(Double(i) * 60)))
            }
            for i in 0..<today {
                _ = try f.db.followUps.create(FollowUp(contactID: ada.id, assigneeID: ana, title: "Today \(i + 1)",
                                                       dueAt: TodayFixture.date("2026-03-27T12:00:00Z").addingTimeInterval(Double(i) * 60)))
            }
        }
        f.app.start()
        f.today.viewport = 20
    }

    func testThe51stOverdueItemIsReachedWithJ() throws {
        try makeOverdue(100, today: 2)
        XCTAssertEqual(f.today.counts[.overdue], 100)
        for _ in 0..<50 { f.press(.char("j")) }
        XCTAssertEqual(f.today.section, .overdue)
        XCTAssertEqual(f.today.selectedOrdinal, 50)
        XCTAssertEqual(f.selectedTitle, "Overdue 51")
        // On past the 100th into Today.
        for _ in 0..<50 { f.press(.char("j")) }
        XCTAssertEqual(f.selectedTitle, "Today 1")
        XCTAssertEqual(f.today.section, .today)
        f.press(.char("k"))
        XCTAssertEqual(f.selectedTitle, "Overdue 100")
    }

    func testThe5000thOverdueItemByPagesAndByEnd() throws {
        try makeOverdue(5_000)
        // Counted to 1,000 on a rebuild ("1000+"); G counts to the end.
        XCTAssertEqual(f.today.counts[.overdue], 1_000)
        XCTAssertEqual(f.today.countText(of: .overdue), "1000+")
        f.press(.char("G"))
        XCTAssertEqual(f.selectedTitle, "Overdue 5000")
        XCTAssertEqual(f.today.selectedOrdinal, 4_999)
        XCTAssertEqual(f.today.countText(of: .overdue), "5000")
        f.press(.char("g"))
        XCTAssertEqual(f.selectedTitle, "Overdue 1")
        // Page by page, as a person holding PgDn: each page reads a page.
        var presses = 0
        while f.today.selectedOrdinal! < 4_999 && presses < 1_000 {
            f.press(.pageDown)
            presses += 1
        }
        XCTAssertEqual(f.selectedTitle, "Overdue 5000")
        XCTAssertLessThanOrEqual(f.today.visibleItems.count, 20)
        // And back up the same way to the first.
        while f.today.selectedOrdinal! > 0 && presses < 2_000 {
            f.press(.pageUp)
            presses += 1
        }
        XCTAssertEqual(f.selectedTitle, "Overdue 1")
        // The 2,500th keeps its place over a reload (another session's write).
        for _ in 0..<(2_499 / 18) { f.press(.pageDown) }
        let title = f.selectedTitle
        f.today.reload()
        XCTAssertEqual(f.selectedTitle, title)
    }

    func testSectionJumpsWithTabAndBrackets() throws {
        try makeOverdue(30, today: 3)
        let bo = try f.contact("Bo", lifecycle: .customer, lastContact: TodayFixture.date("2025-12-01T10:00:00Z"))
        _ = try f.followUp("Next week's call", for: bo, due: TodayFixture.date("2026-03-31T08:00:00Z"))
        f.today.reload()
        XCTAssertEqual(f.today.counts[.upcoming], 1)
        XCTAssertEqual(f.today.section, .overdue)
        f.press(.tab)
        XCTAssertEqual(f.today.section, .today)
        XCTAssertEqual(f.selectedTitle, "Today 1")
        f.press(.char("]"))
        XCTAssertEqual(f.selectedTitle, "Next week's call")
        f.press(.char("]"))
        XCTAssertEqual(f.today.section, .attention)
        XCTAssertEqual(f.selectedTitle, "Bo")
        f.press(.tab)  // wraps
        XCTAssertEqual(f.today.section, .overdue)
        XCTAssertEqual(f.selectedTitle, "Overdue 1")
        f.press(.backTab)
        XCTAssertEqual(f.today.section, .attention)
        f.press(.char("["), .char("["))
        XCTAssertEqual(f.today.section, .today)
    }

    func testBulkSnoozeOf20IsUndoneInOneStep() throws {
        try makeOverdue(40)
        for _ in 0..<20 { f.press(.char(" ")) }   // marks 1…20, moving down
        XCTAssertEqual(f.today.marks.count, 20)
        f.press(.char("s"))
        XCTAssertTrue(f.promptTitle?.hasPrefix("Snooze 20 follow-ups") ?? false)
        f.press(.char("2"))  // tomorrow 09:00, no Enter
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(f.app.statusMessage?.text, "Snoozed 20 follow-ups to Sat 28 Mar 2026 09:00 — u undoes all of it")
        let firstDue = try f.db.followUps.get(1)!.dueAt
        XCTAssertEqual(f.today.counts[.overdue], 20, "\(firstDue) \(f.clock.now) \(f.today.section)")
        XCTAssertEqual(f.today.marks.count, 0)
        let open = try f.db.agenda.dueIDs(from: nil, to: nil, assigneeID: nil)
        XCTAssertEqual(open.count, 40)
        let snoozed = try (1...20).map { try XCTUnwrap(f.db.followUps.get(Int64($0))) }
        XCTAssertTrue(snoozed.allSatisfy { $0.dueAt == TodayFixture.date("2026-03-28T08:00:00Z") })

        f.press(.char("u"))
        XCTAssertEqual(f.today.counts[.overdue], 40)
        XCTAssertEqual(try f.db.followUps.get(1)?.dueAt, TodayFixture.date("2026-03-20T09:01:00Z"))
        XCTAssertEqual(try f.db.followUps.get(20)?.dueAt, TodayFixture.date("2026-03-20T09:20:00Z"))
    }

    func testABulkChangeOfManyRowsSaysItIsAtWorkBeforeItStarts() throws {
        try makeOverdue(TodayViewModel.workingThreshold + 10)
        var drawn: [String] = []
        f.app.drawNow = { drawn.append(self.f.app.statusMessage?.text ?? "") }
        f.press(.char("*"))
        f.press(.char("s"), .char("2"))
        XCTAssertEqual(drawn, ["Working on \(TodayViewModel.workingThreshold + 10) follow-ups… (snoozed to Sat 28 Mar 2026 09:00)"],
                       "drawn once, before the rows are written")
        XCTAssertTrue(f.app.statusMessage?.text.hasPrefix("Snoozed \(TodayViewModel.workingThreshold + 10) follow-ups") ?? false)
        f.press(.char("u"))
        XCTAssertEqual(drawn.last, "Undoing: snoozed \(TodayViewModel.workingThreshold + 10) follow-ups…")
    }

    func testBulkUndoLeavesRowsAColleagueChangedAndTakesBackTheRest() throws {
        try makeOverdue(10)
        f.press(.char("*"))
        XCTAssertEqual(f.today.marks.count, 10)
        f.press(.char("r"))
        f.type("+3d")
        f.press(.enter)
        XCTAssertEqual(f.today.counts[.overdue], 0)
        // Ben moves one of them meanwhile.
        try f.db.act(as: "ben")
        var moved = try XCTUnwrap(f.db.followUps.get(3))
        moved.dueAt = TodayFixture.date("2026-04-10T08:00:00Z")
        _ = try f.db.followUps.update(moved)
        try f.db.act(as: "ana")
        f.press(.char("u"))
        XCTAssertTrue(f.app.statusMessage?.text.hasPrefix("Undone 9 of 10; not undone: ben changed the due") ?? false,
                      f.app.statusMessage?.text ?? "")
        XCTAssertEqual(f.today.counts[.overdue], 9)
        XCTAssertEqual(try f.db.followUps.get(3)?.dueAt, TodayFixture.date("2026-04-10T08:00:00Z"))
    }

    func testStarMarksTheWholeSectionNotOnlyTheLoadedPage() throws {
        try makeOverdue(120)
        _ = try f.db.users.findOrCreate(login: "ben")
        f.press(.char("*"))
        XCTAssertEqual(f.today.marks.count, 120)
        f.press(.char("a"))
        f.type("ben")
        f.press(.enter)
        XCTAssertEqual(f.today.counts[.overdue], 0)
        let ben = try XCTUnwrap(f.db.users.find(login: "ben"))
        XCTAssertEqual(try f.db.agenda.countDue(from: nil, to: nil, assigneeID: ben.id), 120)
        f.press(.char("m"))   // everyone's
        XCTAssertEqual(f.today.counts[.overdue], 120)
        f.press(.char("o"))
        f.type("ana")
        f.press(.enter)
        XCTAssertEqual(f.today.counts[.overdue], 0)
    }

    func testSnoozeChoiceActsOnItsKeyAlone() throws {
        try makeOverdue(3)
        f.press(.char("s"), .char("2"))
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(try f.db.followUps.get(1)?.dueAt, TodayFixture.date("2026-03-28T08:00:00Z"))
    }

    func testNeedsAttentionSnoozeAndOwnCadence() throws {
        f = try TodayFixture()
        try f.contact("Bo", lifecycle: .customer, lastContact: TodayFixture.date("2026-02-01T10:00:00Z"))
        let cy = try f.contact("Cy", lifecycle: .customer, lastContact: TodayFixture.date("2026-03-20T10:00:00Z"))
        f.app.start()
        XCTAssertEqual(f.titles(.attention), ["Bo"])
        // Bo gets a cadence of his own, 100 days: off the list (it overrides
        // the customer stage's 30 days); u puts it back. A refused number
        // brings the prompt back with what was typed (QA 30 #11).
        f.press(.char("K"))
        f.type("3651")
        f.press(.enter)
        guard case .prompt(let again)? = f.app.overlay else { return XCTFail("the prompt comes back") }
        XCTAssertEqual(again.input.text, "3651")
        XCTAssertEqual(f.app.statusMessage?.text, "Days from 1 to 3650, or empty for the stage and tag rules")
        f.press(.backspace, .backspace, .backspace, .backspace)
        f.type("100")
        f.press(.enter)
        XCTAssertEqual(try f.db.agenda.attention(contactID: 1)?.cadenceDays, 100)
        XCTAssertEqual(f.titles(.attention), [])
        f.press(.char("u"))
        XCTAssertEqual(f.titles(.attention), ["Bo"])
        // Cy, 3 days (as the contact's own setting): past it since the 23rd.
        var cyAttention = try XCTUnwrap(f.db.agenda.attention(contactID: cy.id))
        cyAttention.cadenceDays = 3
        _ = try f.db.agenda.setAttention(cyAttention)
        f.today.reload()
        XCTAssertEqual(f.titles(.attention), ["Bo", "Cy"])
        // Bo: not before 15 April.
        f.press(.char("g"), .char("s"))
        f.type("2026-04-15")
        f.press(.enter)
        XCTAssertEqual(f.titles(.attention), ["Cy"])
        f.clock.now = TodayFixture.date("2026-04-16T08:00:00Z")
        f.today.reload()
        XCTAssertEqual(f.titles(.attention), ["Bo", "Cy"])
        f.clock.now = TodayFixture.date("2026-03-27T09:00:00Z")
        f.today.reload()
        f.press(.char("u"))  // the snooze back
        XCTAssertEqual(f.titles(.attention), ["Bo", "Cy"], f.app.statusMessage?.text ?? "")
    }

    /// Marks of rows a hand-over took (QA 28 #9): the first refusal unmarks
    /// every marked row that changed or left the section, not one per try,
    /// and `*` on the emptied section clears what is left.
    func testMarksOfRowsThatLeftAreDroppedAtOnce() throws {
        try makeOverdue(10)
        f.press(.char("*"))
        XCTAssertEqual(f.today.marks.count, 10)
        let ben = try f.db.users.findOrCreate(login: "ben").id
        try f.db.transaction {
            for id in 1...Int64(8) {
                var row = try XCTUnwrap(f.db.followUps.get(id))
                row.assigneeID = ben
                _ = try f.db.followUps.update(row)
            }
        }
        f.press(.char("s"), .char("3"))
        XCTAssertEqual(f.today.marks.count, 2, "the two still ana's stay marked")
        XCTAssertTrue(f.app.statusMessage?.text.contains("nothing was changed; it and 7 more marked that changed or left the section are unmarked, 2 still marked") ?? false,
                      f.app.statusMessage?.text ?? "")
        XCTAssertEqual(try f.db.followUps.get(9)?.dueAt, TodayFixture.date("2026-03-20T09:09:00Z"), "nothing was written")
        try f.db.transaction {
            for id in 9...Int64(10) {
                var row = try XCTUnwrap(f.db.followUps.get(id))
                row.assigneeID = ben
                _ = try f.db.followUps.update(row)
            }
        }
        f.today.reload()
        XCTAssertEqual(f.today.count(of: .overdue), 0)
        f.press(.char("*"))
        XCTAssertEqual(f.today.marks.count, 0)
        XCTAssertEqual(f.app.statusMessage?.text, "Marks cleared: the section is empty")
    }

    /// Needs attention's `*` then `s` on many contacts says it is at work
    /// before it writes, and so does its undo (QA 28 #8), whose label says
    /// what the action did ("not before …", not "snoozed").
    func testABulkNotBeforeOfManyContactsSaysItIsAtWork() throws {
        f = try TodayFixture()
        let count = TodayViewModel.workingThreshold + 5
        try f.db.connection.transaction {
            for i in 0..<count {
                try f.contact("C\(i)", lifecycle: .customer, lastContact: TodayFixture.date("2026-02-01T10:00:00Z"))
            }
        }
        f.app.start()
        var drawn: [String] = []
        f.app.drawNow = { drawn.append(self.f.app.statusMessage?.text ?? "") }
        while f.today.section != .attention { f.press(.tab) }
        f.press(.char("*"))
        XCTAssertEqual(f.today.marks.count, count)
        f.press(.char("s"))
        f.type("2026-04-15")
        f.press(.enter)
        XCTAssertEqual(drawn, ["Working on \(count) contacts… (not before Wed 15 Apr 2026 09:00 for \(count) contacts)"])
        XCTAssertEqual(f.titles(.attention), [])
        f.press(.char("u"))
        XCTAssertEqual(drawn.last, "Undoing: not before Wed 15 Apr 2026 09:00 for \(count) contacts…")
        XCTAssertEqual(f.app.statusMessage?.text, "Undone: not before Wed 15 Apr 2026 09:00 for \(count) contacts")
        XCTAssertEqual(f.today.count(of: .attention), count)
    }

    /// Needs attention's bulk and a colleague (QA 30 #2): a marked contact
    /// they changed refuses the action naming it and saying what to do; the
    /// undo takes back what the action set even where they changed another
    /// field since, and names the contact where they changed the same one.
    func testABulkAttentionRefusalNamesTheContactAndItsUndoKeepsAColleaguesOtherFields() throws {
        f = try TodayFixture()
        let feb = TodayFixture.date("2026-02-01T10:00:00Z")
        let bo = try f.contact("Bo", lastContact: feb), cy = try f.contact("Cy", lastContact: feb), di = try f.contact("Di", lastContact: feb)
        f.app.start()
        while f.today.section != .attention { f.press(.tab) }
        f.press(.char("*"))
        XCTAssertEqual(f.today.marks.count, 3)
        XCTAssertEqual(f.app.statusMessage?.text, "3 marked in Needs attention — s sets not before for all of them")
        let omid = try Database(path: f.folder.appendingPathComponent("crm.db").path, login: "omid")
        var cyNow = try XCTUnwrap(omid.contacts.get(cy.id))
        cyNow.title = "CEO"
        _ = try omid.contacts.update(cyNow)
        f.press(.char("s"))
        f.type("2026-04-15")
        f.press(.enter)
        let refusal = f.app.statusMessage?.text ?? ""
        XCTAssertTrue(refusal.hasPrefix("Not done: omid changed Cy at "), refusal)
        XCTAssertTrue(refusal.hasSuffix("(title) after you marked it; nothing was changed — * marks them again as they are now"), refusal)
        XCTAssertNil(try f.db.agenda.attention(contactID: bo.id)?.snoozedUntil, "nothing was written")

        f.press(.char("*"), .char("*"))
        XCTAssertEqual(f.today.marks.count, 3)
        f.press(.char("s"))
        f.type("2026-04-15")
        f.press(.enter)
        XCTAssertEqual(f.titles(.attention), [])
        // Omid changes Cy's title again, and Di's snooze: the undo takes Bo's
        // and Cy's back and leaves Di's, named.
        cyNow = try XCTUnwrap(omid.contacts.get(cy.id))
        cyNow.title = "CTO"
        _ = try omid.contacts.update(cyNow)
        var diNow = try XCTUnwrap(omid.agenda.attention(contactID: di.id))
        diNow.snoozedUntil = TodayFixture.date("2026-05-01T07:00:00Z")
        _ = try omid.agenda.setAttention(diNow)
        f.press(.char("u"))
        let undone = f.app.statusMessage?.text ?? ""
        XCTAssertTrue(undone.contains("Undone 2 of 3"), undone)
        XCTAssertTrue(undone.contains("not undone: omid changed Di at "), undone)
        XCTAssertNil(try f.db.agenda.attention(contactID: bo.id)?.snoozedUntil)
        XCTAssertNil(try f.db.agenda.attention(contactID: cy.id)?.snoozedUntil, "a colleague's title does not hold the undo up")
        XCTAssertEqual(try f.db.contacts.get(cy.id)?.title, "CTO")
        XCTAssertEqual(try f.db.agenda.attention(contactID: di.id)?.snoozedUntil, TodayFixture.date("2026-05-01T07:00:00Z"))
    }

    /// A call started from a follow-up offers, once logged, to complete it
    /// with the call's outcome; y does, and u takes it back.
    func testACallFromAFollowUpOffersToCompleteIt() throws {
        try makeOverdue(2)
        XCTAssertEqual(f.selectedTitle, "Overdue 1")
        f.press(.char("c"))
        guard case .call = f.app.overlay else { return XCTFail("no call card") }
        f.clock.advance(by: 90)
        f.press(.tab)
        f.type("Agreed on the price")
        f.press(.ctrl("s"))
        XCTAssertEqual(f.promptTitle,
                       "Complete the follow-up \"Overdue 1\" with this call (outcome: Agreed on the price)? y/Enter: yes · n/Esc: no")
        f.press(.char("y"))
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(try f.db.followUps.get(1)?.status, .done)
        XCTAssertEqual(f.today.counts[.overdue], 1)
        XCTAssertEqual(f.selectedTitle, "Overdue 2")
        f.press(.char("u"))
        XCTAssertEqual(try f.db.followUps.get(1)?.status, .open)
        // n leaves it open, and says so.
        f.press(.char("g"), .char("c"), .ctrl("s"), .char("n"))
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(try f.db.followUps.get(1)?.status, .open)
        XCTAssertEqual(f.app.statusMessage?.text, "Left open: Overdue 1")
        // Another key is not an answer (QA 44: a "4" then Enter declined it): asked again.
        f.press(.char("g"), .char("c"), .ctrl("s"), .char("4"), .enter)
        XCTAssertNotNil(f.promptTitle, "asked again")
        XCTAssertEqual(f.app.statusMessage?.text, "Answer y (or Enter) to mark it done, n (or Esc) to leave it open")
        f.press(.char("y"))
        XCTAssertEqual(try f.db.followUps.get(1)?.status, .done)
    }

    /// The contact's own cadence is also set from the Contacts view (K).
    func testOwnCadenceFromTheContact() throws {
        f = try TodayFixture()
        let bo = try f.contact("Bo", lifecycle: .customer, lastContact: TodayFixture.date("2026-03-20T10:00:00Z"))
        f.app.start()
        XCTAssertEqual(f.titles(.attention), [])
        f.app.openContact(bo.id)
        f.press(.char("K"))
        XCTAssertEqual(f.promptTitle, "Own cadence for Bo in days (empty: the stage and tag rules):")
        f.type("2")
        f.press(.enter)
        XCTAssertEqual(try f.db.agenda.attention(contactID: bo.id)?.cadenceDays, 2)
        XCTAssertEqual(try f.db.auditTrail(entity: "contact", id: bo.id, limit: 1).first?.changes["cadence"], AuditChange(.null, .int(2)))
        f.press(.char("1"))
        XCTAssertEqual(f.titles(.attention), ["Bo"])
        f.press(.char("K"))  // on the Today row: empty goes back to the rules
        f.press(.ctrl("u"), .enter)
        XCTAssertEqual(f.titles(.attention), [])
    }
}
