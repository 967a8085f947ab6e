import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Edit, cancel, delete and reassign a follow-up, by keys, on a real SQLite
/// file: each one write with the version check, audited, undone with `u`.
final class FollowUpManageTests: XCTestCase {
    var f: TodayFixture!
    var ada: Contact!

    override func setUpWithError() throws {
        f = try TodayFixture()  // Friday 27 March 2026, 10:00 in Berlin
        ada = try f.contact("Ada Lovelace", company: "Analytical Engines")
        try f.followUp("Send the quote", for: ada, due: TodayFixture.date("2026-03-26T09:00:00Z"))
        _ = try f.db.users.findOrCreate(login: "ben")
        f.app.start()
        XCTAssertEqual(f.selectedTitle, "Send the quote")
    }

    var form: FormModel? {
        if case .form(let form)? = f.app.overlay { return form }
        return nil
    }

    /// A colleague's write through their own connection to the same file.
    func asColleague(_ change: (inout FollowUp) -> Void) throws {
        let ben = try Database(path: f.db.path, login: "ben")
        var current = try XCTUnwrap(ben.followUps.get(1))
        change(&current)
        _ = try ben.followUps.update(current)
    }

    func testEditChangesTitleDueAssigneeAndNoteAndUndoes() throws {
        f.press(.char("e"))
        let form = try XCTUnwrap(self.form)
        form["title"] = "Send the signed quote"
        form["due"] = "mon 14:00"
        form["assignee"] = "ben"
        form["note"] = "with the discount"
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        let saved = try XCTUnwrap(f.db.followUps.get(1))
        XCTAssertEqual(saved.title, "Send the signed quote")
        XCTAssertEqual(saved.dueAt, TodayFixture.date("2026-03-30T12:00:00Z"))  // Monday 14:00 CEST
        XCTAssertEqual(saved.assigneeID, try f.db.users.find(login: "ben")?.id)
        XCTAssertEqual(saved.note, "with the discount")
        let audit = try f.db.auditTrail(entity: "follow-up", id: 1, limit: 1)[0]
        XCTAssertEqual(audit.action, "update")
        XCTAssertEqual(Set(audit.changes.keys), ["title", "due", "assignee", "note"])

        f.press(.char("u"))
        let back = try XCTUnwrap(f.db.followUps.get(1))
        XCTAssertEqual(back.title, "Send the quote")
        XCTAssertEqual(back.dueAt, TodayFixture.date("2026-03-26T09:00:00Z"))
        XCTAssertEqual(back.note, "")
    }

    /// A due time with seconds (written by a script, an import) is shown to
    /// the minute; editing only the title leaves it as stored (QA 33 #10).
    func testEditingOnlyTheTitleLeavesTheDueTimeAsStored() throws {
        let stored = TodayFixture.date("2026-03-26T09:00:30Z")
        try asColleague { $0.dueAt = stored }
        f.app.handle(.tick)
        f.press(.char("e"))
        let form = try XCTUnwrap(self.form)
        form["title"] = "Send the quote today"
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        let saved = try XCTUnwrap(f.db.followUps.get(1))
        XCTAssertEqual(saved.title, "Send the quote today")
        XCTAssertEqual(saved.dueAt, stored)
        XCTAssertEqual(Set(try f.db.auditTrail(entity: "follow-up", id: 1, limit: 1)[0].changes.keys), ["title"])
    }

    func testEditInThePersianCalendarReadsPersianDates() throws {
        f = try TodayFixture(calendar: .persian)
        ada = try f.contact("Ada Lovelace")
        try f.followUp("Send the quote", for: ada, due: TodayFixture.date("2026-03-26T09:00:00Z"))
        f.app.start()
        f.press(.char("e"))
        let form = try XCTUnwrap(self.form)
        form["due"] = "۱۴۰۵-۰۱-۱۵ ۱۰:۰۰"  // 4 April 2026
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        XCTAssertEqual(try f.db.followUps.get(1)?.dueAt, TodayFixture.date("2026-04-04T08:00:00Z"))
    }

    func testStaleEditIsRefusedWithWhoAndWhat() throws {
        f.press(.char("e"))
        let form = try XCTUnwrap(self.form)
        try asColleague { $0.title = "Ben's title" }
        form["title"] = "Mine"
        f.press(.ctrl("s"))
        XCTAssertNotNil(self.form, "the form stays up with what was typed")
        XCTAssertEqual(form.banner, "The follow-up was changed by ben at \(try bensTime()) (title); your change was not saved")
        XCTAssertEqual(try f.db.followUps.get(1)?.title, "Ben's title")
    }

    func testCancelKeepsItWithTheReasonAndUndoes() throws {
        f.press(.char("C"))
        XCTAssertEqual(f.promptTitle, "Cancel \"Send the quote\" with Ada Lovelace — why? (Enter saves, Esc: keep it open)")
        // The offer after a crash asks the question, without the keys (QA 38 A-F10).
        XCTAssertEqual(Draft.question(ofPrompt: try XCTUnwrap(f.promptTitle)), "Cancel \"Send the quote\" with Ada Lovelace — why?")
        XCTAssertEqual(Draft.question(ofPrompt: "Filter by tag (empty: all tags):"), "Filter by tag (empty: all tags)")
        f.press(.enter)  // no reason: asked again
        XCTAssertEqual(f.app.statusMessage?.kind, .error)
        f.type("bought elsewhere")
        f.press(.enter)
        let cancelled = try XCTUnwrap(f.db.followUps.get(1))
        XCTAssertEqual(cancelled.status, .cancelled)
        XCTAssertEqual(cancelled.cancelReason, "bought elsewhere")
        XCTAssertNil(cancelled.deletedAt, "kept, not deleted")
        XCTAssertEqual(try f.db.auditTrail(entity: "follow-up", id: 1, limit: 1)[0].changes["reason"]?.new, .text("bought elsewhere"))
        XCTAssertTrue(f.titles(.overdue).isEmpty)

        f.press(.char("u"))
        let back = try XCTUnwrap(f.db.followUps.get(1))
        XCTAssertEqual(back.status, .open)
        XCTAssertEqual(back.cancelReason, "")
        XCTAssertEqual(f.titles(.overdue), ["Send the quote"])
    }

    func testStaleCancelIsRefused() throws {
        try asColleague { $0.note = "called already" }
        f.press(.char("C"))
        f.type("not needed")
        f.press(.enter)
        XCTAssertEqual(f.app.statusMessage?.text, "The follow-up was changed by ben at \(try bensTime()) (note); your change was not saved")
        XCTAssertEqual(try f.db.followUps.get(1)?.status, .open)
    }

    func testDeleteGoesToTheTrashAndUndoRestores() throws {
        f.press(.char("d"))
        XCTAssertNotNil(try f.db.followUps.get(1)?.deletedAt)
        XCTAssertEqual(try f.db.auditTrail(entity: "follow-up", id: 1, limit: 1)[0].action, "delete")
        XCTAssertTrue(f.titles(.overdue).isEmpty)
        f.press(.char("u"))
        XCTAssertNil(try f.db.followUps.get(1)?.deletedAt)
        XCTAssertEqual(f.titles(.overdue), ["Send the quote"])
    }

    func testStaleDeleteIsRefused() throws {
        try asColleague { $0.title = "Renamed by Ben" }
        f.press(.char("d"))
        XCTAssertEqual(f.app.statusMessage?.text, "The follow-up was changed by ben at \(try bensTime()) (title); your change was not saved")
        XCTAssertNil(try f.db.followUps.get(1)?.deletedAt)
    }

    /// QA 27 #17: a deactivated colleague is neither offered nor taken
    /// (their follow-ups would sit where nobody opens them).
    func testReassignRefusesADeactivatedUser() throws {
        _ = try f.db.users.findOrCreate(login: "cleo")
        _ = try f.db.users.deactivate(login: "cleo", handover: HandoverPlan())
        f.press(.char("A"))
        if case .prompt(let p)? = f.app.overlay { XCTAssertEqual(Set(p.suggestions), ["ana", "ben"]) } else { XCTFail("A asks") }
        f.press(.ctrl("u"))
        f.type("cleo")
        f.press(.enter)
        XCTAssertEqual(f.app.statusMessage?.text, "cleo is deactivated: choose an active user")
        XCTAssertEqual(try f.db.followUps.get(1)?.assigneeID, try f.db.users.find(login: "ana")?.id, "not moved")
    }

    func testReassignPicksAUserAndUndoes() throws {
        f.press(.char("A"))
        if case .prompt(let p)? = f.app.overlay { XCTAssertEqual(Set(p.suggestions), ["ana", "ben"]) }
        f.press(.ctrl("u"))
        f.type("nobody-here")
        f.press(.enter)
        XCTAssertEqual(f.app.statusMessage?.text, "No active user 'nobody-here': choose one of ana, ben")
        XCTAssertNotNil(f.promptTitle, "asked again with the text kept")
        f.press(.ctrl("u"))
        f.type("ben")
        f.press(.enter)
        let ben = try XCTUnwrap(f.db.users.find(login: "ben"))
        XCTAssertEqual(try f.db.followUps.get(1)?.assigneeID, ben.id)
        XCTAssertEqual(try f.db.auditTrail(entity: "follow-up", id: 1, limit: 1)[0].changes.keys.sorted(), ["assignee"])
        XCTAssertTrue(f.titles(.overdue).isEmpty, "no longer mine")
        f.press(.char("u"))
        XCTAssertEqual(try f.db.followUps.get(1)?.assigneeID, try f.db.users.find(login: "ana")?.id)
    }

    func testContactsFollowUpsOpenTheListAndQGoesBack() throws {
        f.press(.char("2"))
        XCTAssertEqual(f.app.activeKind, .contacts)
        f.press(.char("F"))
        XCTAssertEqual(f.app.activeKind, .today)
        let list = try XCTUnwrap(f.today.list)
        XCTAssertEqual(list.filter.contactID, ada.id)
        XCTAssertEqual(list.window.rows.map(\.followUp.title), ["Send the quote"])
        f.press(.char("d"))
        XCTAssertTrue(list.window.rows.isEmpty)
        f.press(.char("u"))
        XCTAssertEqual(list.window.rows.map(\.followUp.title), ["Send the quote"])
        f.press(.char("q"))
        XCTAssertNil(f.today.list)
        XCTAssertEqual(f.app.activeKind, .contacts)
    }

    func testTheDealsFollowUpsOpenFromDealDetailsAndQGoesBackThere() throws {
        let pipeline = try f.db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let lead = try f.db.pipelines.stages(pipelineID: pipeline.id)[0]
        let deal = try f.db.deals.create(Deal(pipelineID: pipeline.id, stageID: lead.id, title: "Engines renewal", value: .zero(.eur),
                                              contactID: ada.id))
        var onDeal = try f.followUp("Renewal terms", for: ada, due: TodayFixture.date("2026-06-01T07:00:00Z"))
        onDeal.dealID = deal.id
        _ = try f.db.followUps.update(onDeal)
        f.app.openDeal(deal.id)
        XCTAssertEqual(f.app.activeKind, .pipeline)
        XCTAssertEqual(f.app.pipeline.detail?.card.id, deal.id)
        f.press(.char("F"))
        XCTAssertEqual(f.app.activeKind, .today)
        XCTAssertEqual(f.today.list?.window.rows.map(\.followUp.title), ["Renewal terms"])
        XCTAssertEqual(f.today.list?.filterDescription, "every status · everyone's · deal Engines renewal")
        f.press(.char("A"))
        f.press(.ctrl("u"))
        f.type("ben")
        f.press(.enter)
        XCTAssertEqual(try f.db.followUps.get(onDeal.id)?.assigneeID, try f.db.users.find(login: "ben")?.id)
        f.press(.escape)
        XCTAssertEqual(f.app.activeKind, .pipeline)
        XCTAssertEqual(f.app.pipeline.detail?.card.id, deal.id, "back on the deal's details")
    }

    func testThePaletteOpensTheList() {
        f.press(.char(":"))
        f.type("follow-ups list")
        f.press(.enter)
        XCTAssertNotNil(f.today.list)
        XCTAssertEqual(f.today.list?.window.rows.map(\.followUp.title), ["Send the quote"])
    }

    /// When Ben's change was saved, as the screen writes it: a refusal says when.
    private func bensTime() throws -> String {
        f.app.moment(try XCTUnwrap(f.db.auditTrail(entity: "follow-up", id: 1, limit: 1).first).at)
    }
}
