import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Logged history is editable: an interaction is corrected or deleted from the
/// contact's timeline, a deal's details and the global Timeline, a colleague's
/// newer version refuses a stale save (two connections on one file), `u` takes
/// either back, and the log form and call mode log at a time in the past.
final class InteractionHistoryTests: XCTestCase {
    var f: TodayFixture!
    /// Omid, a colleague, on his own connection to the same file.
    var omid: Database!
    var ada: Contact!
    var call: Interaction!
    var contacts: ContactsViewModel { f.app.contacts }

    /// Friday 27 March 2026, 10:00 in Berlin: Ada with a call logged an hour ago.
    func setUp(calendar: Calendar.Identifier) throws {
        f = try TodayFixture(calendar: calendar)
        omid = try Database(path: f.db.path, login: "omid")
        ada = try f.contact("Ada Lovelace", company: "Analytica")
        call = try f.db.interactions.log(Interaction(contactID: ada.id, kind: .call, direction: .outbound,
                                                     occurredAt: f.clock.now.addingTimeInterval(-3600), durationSeconds: 300,
                                                     outcome: "wants a demo", body: "Talked about the engine"))
    }

    override func setUpWithError() throws { try setUp(calendar: .gregorian) }

    override func tearDown() {
        omid = nil
        f = nil
    }

    var form: FormModel? {
        if case .form(let form)? = f.app.overlay { return form }
        return nil
    }

    /// The contacts view with Ada's timeline focused and her call selected.
    func openAdasTimeline() {
        f.app.start(in: .contacts)
        contacts.setViewport(list: 10, timeline: 10)
        f.press(.tab, .tab)
        XCTAssertEqual(contacts.focus, .timeline)
        XCTAssertEqual(contacts.timeline.selectedRow?.id, call.id)
    }

    /// Sets a field as a person would: focus it, clear it, type.
    func fill(_ field: String, _ text: String) throws {
        let form = try XCTUnwrap(self.form)
        form.focus(field: field)
        f.press(.end, .ctrl("u"))
        f.type(text)
    }

    /// A deal of Ada's in a new pipeline.
    func engineLicence() throws -> Deal {
        let pipeline = try f.db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(f.db.pipelines.stages(pipelineID: pipeline.id).first)
        return try f.db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Engine licence",
                                          value: .zero(.eur), contactID: ada.id))
    }

    // MARK: editing

    func testEditFromTheContactTimelineIsSavedAuditedAndUndone() throws {
        openAdasTimeline()
        f.press(.char("e"))
        XCTAssertEqual(form?.title, "Edit call for Ada Lovelace")
        XCTAssertEqual(form?["when"], "2026-03-27 09:00")
        XCTAssertEqual(form?["outcome"], "wants a demo")
        XCTAssertEqual(form?["direction"], "out")
        XCTAssertEqual(form?["duration"], "05:00")
        try fill("outcome", "demo booked")
        try fill("when", "yesterday 15:00")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, form?.banner ?? "")
        let saved = try XCTUnwrap(f.db.interactions.get(call.id))
        XCTAssertEqual(saved.outcome, "demo booked")
        XCTAssertEqual(saved.occurredAt, TodayFixture.date("2026-03-26T14:00:00Z"))
        XCTAssertEqual(saved.body, "Talked about the engine")
        XCTAssertEqual(saved.version, call.version + 1)
        let audit = try XCTUnwrap(f.db.auditTrail(entity: "interaction", id: call.id, limit: 5).first)
        XCTAssertEqual(audit.action, "update")
        XCTAssertEqual(Set(audit.changes.keys), ["outcome", "occurred at"])
        XCTAssertEqual(f.app.statusMessage?.text, "Saved the call for Ada Lovelace — u to undo")
        XCTAssertEqual(try f.db.contacts.summary(ada.id)?.lastInteractionAt, saved.occurredAt,
                       "re-dated, the call is still Ada's newest entry: her last contact moves with it")

        f.press(.char("u"))
        let undone = try XCTUnwrap(f.db.interactions.get(call.id))
        XCTAssertEqual(undone.outcome, "wants a demo")
        XCTAssertEqual(undone.occurredAt, call.occurredAt)
        XCTAssertEqual(try f.db.contacts.summary(ada.id)?.lastInteractionAt, call.occurredAt)
    }

    func testAColleaguesNewerVersionRefusesTheStaleSaveWithWhoAndWhat() throws {
        openAdasTimeline()
        f.press(.char("e"))
        try fill("body", "Talked about the engine and the price")
        // Meanwhile Omid corrects the outcome of the same call.
        var theirs = try XCTUnwrap(omid.interactions.get(call.id))
        theirs.outcome = "no demo after all"
        _ = try omid.interactions.update(theirs)

        f.press(.ctrl("s"))
        let conflict = try XCTUnwrap(form?.conflict, "the save is refused and the form stays")
        XCTAssertEqual(conflict.changedBy, "omid")
        XCTAssertEqual(conflict.changedFields, ["outcome"])
        XCTAssertEqual(form?["body"], "Talked about the engine and the price", "nothing typed is lost")
        let stored = try XCTUnwrap(f.db.interactions.get(call.id))
        XCTAssertEqual(stored.outcome, "no demo after all")
        XCTAssertEqual(stored.body, "Talked about the engine", "the stale save wrote nothing")
    }

    func testTheStoreRefusesAStaleUpdateNamingWhoAndWhichFields() throws {
        var mine = call!
        var theirs = try XCTUnwrap(omid.interactions.get(call.id))
        theirs.dealID = nil
        theirs.kind = .meeting
        _ = try omid.interactions.update(theirs)
        mine.body = "mine"
        XCTAssertThrowsError(try f.db.interactions.update(mine)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedBy, "omid")
            XCTAssertEqual(stale.changedFields, ["kind"])
        }
    }

    func testADealLinkIsSetByEditAndTheEntryJoinsTheDealsTimeline() throws {
        let deal = try engineLicence()
        openAdasTimeline()
        f.press(.char("e"))
        guard case .choice(let choices)? = form?.fields.first(where: { $0.name == "deal" })?.kind else { return XCTFail("a deal choice") }
        XCTAssertEqual(choices, ["", "#\(deal.id) Engine licence"])
        form?.focus(field: "deal")
        f.press(.right)
        XCTAssertEqual(form?["deal"], "#\(deal.id) Engine licence")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, form?.banner ?? "")
        XCTAssertEqual(try f.db.interactions.timeline(.deal(deal.id), before: nil, limit: 5).map(\.id), [call.id])
    }

    // MARK: deleting

    func testDeleteFromTheGlobalTimelineGoesToTheTrashAndUndoBringsItBack() throws {
        let older = try f.db.interactions.log(Interaction(contactID: ada.id, kind: .note,
                                                          occurredAt: f.clock.now.addingTimeInterval(-86_400 * 3), body: "Older note"))
        f.app.start(in: .timeline)
        f.app.timeline.setViewport(10)
        XCTAssertEqual(f.app.timeline.entries.selectedRow?.id, call.id)
        f.press(.char("d"))
        guard case .confirm(let question)? = f.app.overlay else { return XCTFail("d asks first") }
        XCTAssertTrue(question.question.hasPrefix("Delete the call for Ada Lovelace of "), question.question)
        f.press(.char("y"))
        XCTAssertNotNil(try f.db.interactions.get(call.id)?.deletedAt)
        XCTAssertEqual(f.app.timeline.entries.rows.map(\.id), [older.id])
        XCTAssertEqual(try f.db.contacts.summary(ada.id)?.lastInteractionAt, older.occurredAt,
                       "the contact's last interaction is the newest one left")
        let audit = try XCTUnwrap(f.db.auditTrail(entity: "interaction", id: call.id, limit: 1).first)
        XCTAssertEqual(audit.action, "delete")

        f.press(.char("u"))
        XCTAssertNil(try f.db.interactions.get(call.id)?.deletedAt)
        XCTAssertEqual(f.app.timeline.entries.rows.map(\.id), [call.id, older.id])
        XCTAssertEqual(try f.db.contacts.summary(ada.id)?.lastInteractionAt, call.occurredAt)
    }

    func testDeleteOfAnEntryAColleagueChangedMeanwhileIsRefused() throws {
        openAdasTimeline()
        var theirs = try XCTUnwrap(omid.interactions.get(call.id))
        theirs.body = "Omid's correction"
        _ = try omid.interactions.update(theirs)
        f.press(.char("d"), .char("y"))
        let message = try XCTUnwrap(f.app.statusMessage?.text)
        XCTAssertTrue(message.hasPrefix("Not deleted: omid changed the call for Ada Lovelace"), message)
        XCTAssertNil(try f.db.interactions.get(call.id)?.deletedAt)
    }

    func testAStageChangeCannotBeEditedOrDeleted() {
        let entry = TimelineEntry(interaction: Interaction(id: 9, dealID: 1, kind: .stageChange), authorLogin: nil,
                                  contactName: nil, dealTitle: nil)
        XCTAssertNotNil(InteractionForm.lockedReason(entry))
    }

    // MARK: back-dated logging

    func testTheLogFormBackDatesInTheGregorianCalendarAndTheLastContactStaysTheNewest() throws {
        openAdasTimeline()
        f.press(.char("n"))
        XCTAssertEqual(form?["when"], "now")
        try fill("body", "Met at the fair")
        try fill("when", "mon 9:30")
        XCTAssertEqual(form?.fields.first { $0.name == "when" }?.hint, "→ Mon 23 Mar 2026 09:30")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, form?.banner ?? "")
        let logged = try XCTUnwrap(f.db.interactions.timeline(.contact(ada.id), before: nil, limit: 5).last?.interaction)
        XCTAssertEqual(logged.body, "Met at the fair")
        XCTAssertEqual(logged.occurredAt, TodayFixture.date("2026-03-23T08:30:00Z"))
        XCTAssertEqual(try f.db.contacts.summary(ada.id)?.lastInteractionAt, call.occurredAt,
                       "a back-dated entry does not pull the last contact back")
        XCTAssertEqual(contacts.timeline.selectedRow?.id, logged.id, "the new entry is selected where it falls")
    }

    func testTheLogFormRefusesATimeInTheFuture() throws {
        openAdasTimeline()
        f.press(.char("n"))
        try fill("body", "Later")
        try fill("when", "tomorrow 15:00")
        f.press(.ctrl("s"))
        let error = try XCTUnwrap(form?.fields.first { $0.name == "when" }?.error)
        XCTAssertTrue(error.contains("in the future"), error)
        XCTAssertEqual(try f.db.interactions.timeline(.contact(ada.id), before: nil, limit: 5).count, 1)
    }

    func testTheLogFormBackDatesInThePersianCalendarWithPersianDigits() throws {
        try setUp(calendar: .persian)
        openAdasTimeline()
        f.press(.char("n"))
        try fill("body", "جلسه در دفتر")
        // 5 Farvardin 1405 = Wednesday 25 March 2026; Berlin is UTC+1 then.
        try fill("when", "۱۴۰۵-۰۱-۰۵ ۱۴:۳۰")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, form?.banner ?? "")
        var logged = try XCTUnwrap(f.db.interactions.timeline(.contact(ada.id), before: nil, limit: 5).last?.interaction)
        XCTAssertEqual(logged.occurredAt, TodayFixture.date("2026-03-25T13:30:00Z"))

        // A month name without a year is the latest such day, not next year's.
        f.press(.char("n"))
        try fill("body", "Phone call")
        try fill("when", "6 farvardin 10:00")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, form?.banner ?? "")
        logged = try XCTUnwrap(f.db.interactions.timeline(.contact(ada.id), before: nil, limit: 5)
            .first { $0.interaction.body == "Phone call" }?.interaction)
        XCTAssertEqual(logged.occurredAt, TodayFixture.date("2026-03-26T09:00:00Z"))
        // The edit form shows the time in the Persian calendar, and reads it back.
        contacts.timeline.select(contacts.timeline.rows.firstIndex { $0.id == logged.id }!)
        f.press(.char("e"))
        XCTAssertEqual(form?["when"], "1405-01-06 10:00")
    }

    func testCallModeLogsAtTheTimeTypedOnItsWhenLine() throws {
        openAdasTimeline()
        f.press(.char("c"))
        guard case .call(let card)? = f.app.overlay else { return XCTFail("c starts call mode") }
        f.type("Forgot to log this one")
        f.press(.tab)
        f.type("sent the offer")
        f.press(.tab)
        XCTAssertTrue(card.editingWhen)
        f.type("yesterday 16:45")
        XCTAssertEqual(card.whenHint, "→ Thu 26 Mar 2026 16:45")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        let logged = try XCTUnwrap(f.db.interactions.timeline(.contact(ada.id), before: nil, limit: 5)
            .first { $0.interaction.body == "Forgot to log this one" }?.interaction)
        XCTAssertEqual(logged.occurredAt, TodayFixture.date("2026-03-26T15:45:00Z"))
        XCTAssertEqual(logged.outcome, "sent the offer")
    }

    func testCallModeKeepsTheCardWhenTheWhenLineCannotBeRead() throws {
        openAdasTimeline()
        f.press(.char("c"))
        guard case .call(let card)? = f.app.overlay else { return XCTFail("c starts call mode") }
        f.type("Note")
        f.press(.tab, .tab)
        f.type("someday")
        f.press(.ctrl("s"))
        guard case .call? = f.app.overlay else { return XCTFail("the card stays") }
        XCTAssertTrue(card.error?.hasPrefix("When can't read \"someday\"") == true, card.error ?? "")
        XCTAssertEqual(card.note.text, "Note")
    }

    // MARK: deal details

    func testDealDetailsEditAndDeleteTheSelectedEntry() throws {
        let deal = try engineLicence()
        let note = try f.db.interactions.log(Interaction(contactID: ada.id, dealID: deal.id, kind: .note,
                                                         occurredAt: f.clock.now.addingTimeInterval(-60), body: "Quote sent"))
        f.app.start(in: .pipeline)
        f.app.pipeline.openDetail(deal.id)
        let entries = f.app.pipeline.detail?.timeline.filter { $0.interaction.kind != .stageChange }.map(\.id)
        XCTAssertEqual(entries, [note.id])
        while f.app.pipeline.selectedDetailEntry?.id != note.id, f.app.pipeline.detail!.timelineTop < f.app.pipeline.detail!.timeline.count - 1 {
            f.press(.char("j"))
        }
        f.press(.char("E"))
        XCTAssertEqual(form?["body"], "Quote sent")
        try fill("body", "Quote sent by mail")
        f.press(.ctrl("s"))
        XCTAssertEqual(try f.db.interactions.get(note.id)?.body, "Quote sent by mail")
        f.press(.char("D"), .char("y"))
        XCTAssertNotNil(try f.db.interactions.get(note.id)?.deletedAt)
        XCTAssertFalse(f.app.pipeline.detail?.timeline.contains { $0.id == note.id } ?? true)
        f.press(.char("u"))
        XCTAssertNil(try f.db.interactions.get(note.id)?.deletedAt)
    }
}
