import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Unsaved work, headless: what goes into a draft, and how the next start
/// rebuilds the form, prompt or call card from it. A "restart" is a new app
/// on a new connection to the same database file, with the same drafts
/// folder (real files in a temporary folder).
final class DraftTests: XCTestCase {
    var folder: URL!
    var path: String { folder.appendingPathComponent("crm.db").path }
    var clock: ManualClock!
    var store: DraftStore!
    var db: Database!
    var app: AppModel!
    /// 14:03 UTC: the offer names the time.
    let start = ISO8601DateFormatter().date(from: "2026-11-27T14:03:00Z")!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-draft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        clock = ManualClock(start)
        store = DraftStore(folder: folder.appendingPathComponent("drafts").path, database: path, user: "sara")
        try launch()
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func launch() throws {
        db = try Database(path: path, login: "sara", clock: clock)
        app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.drafts = store
    }

    /// The program stopped (the loop's way out keeps the work) and started again.
    func restart(in view: ViewKind = .today) throws {
        app.keepUnsavedWork()
        app = nil
        db = nil
        try launch()
        app.start(in: view)
        app.contacts.setViewport(list: 10, timeline: 10)
    }

    func press(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }

    var form: FormModel? {
        if case .form(let f)? = app.overlay { return f }
        return nil
    }

    var call: CallModel? {
        if case .call(let c)? = app.overlay { return c }
        return nil
    }

    var prompt: Prompt? {
        if case .prompt(let p)? = app.overlay { return p }
        return nil
    }

    var offered: Draft? {
        if case .draftOffer(let d)? = app.overlay { return d }
        return nil
    }

    func guenter() throws -> Contact {
        let c = try db.contacts.create(Contact(name: "Günter Müller", title: "", emails: [EmailAddress("g@old.de")]))
        app.start(in: .contacts)
        app.contacts.setViewport(list: 10, timeline: 10)
        return c
    }

    // MARK: what goes into a draft

    func testNothingTypedIsNothingToKeep() throws {
        _ = try guenter()
        XCTAssertNil(app.unsavedWork())
        press(.char("e"))
        XCTAssertNotNil(form)
        XCTAssertNil(app.unsavedWork(), "a form nobody typed in holds nothing to lose")
        XCTAssertFalse(app.keepUnsavedWork())
        XCTAssertEqual(try store.load(), [])
    }

    func testAnEditFormsDraftHoldsEveryFieldTheRecordAndItsBaseVersion() throws {
        let c = try guenter()
        press(.char("e"), .tab)  // name → job title
        type("Einkauf")
        guard case .form(let draft)? = app.unsavedWork()?.work else { return XCTFail("no form draft") }
        XCTAssertEqual(draft.purpose, .editContact(id: c.id))
        XCTAssertEqual(draft.baseVersion, c.version)
        XCTAssertEqual(draft.values["title"], "Einkauf")
        XCTAssertEqual(draft.values["name"], "Günter Müller")
        XCTAssertEqual(draft.values["emails"], "g@old.de")
        XCTAssertEqual(Set(draft.values.keys), Set(form!.fields.map(\.name)), "every field")
        XCTAssertEqual(draft.initialValues["title"], "")
        XCTAssertEqual(draft.focus, "title")
    }

    func testACallsDraftHoldsContactDirectionNoteOutcomeAndItsRealStart() throws {
        let c = try guenter()
        press(.char("c"))
        clock.advance(by: 95)
        type("Wants a quote")
        press(.ctrl("t"), .tab)
        type("call back")
        guard case .call(let draft)? = app.unsavedWork()?.work else { return XCTFail("no call draft") }
        XCTAssertEqual(draft, CallDraft(contactID: c.id, contactName: "Günter Müller", dealID: nil, startedAt: start,
                                        direction: .inbound, note: "Wants a quote", outcome: "call back",
                                        editingOutcome: true, followUpAfter: false))
    }

    // MARK: restoring

    func testARestoredEditKeepsItsBaseVersionSoAColleaguesSaveInBetweenIsCaught() throws {
        let c = try guenter()
        press(.char("e"), .tab)
        type("Einkauf")
        try restart()
        // Meanwhile Omid changes the email.
        let omid = try Database(path: path, login: "omid", clock: clock)
        var theirs = try XCTUnwrap(omid.contacts.get(c.id))
        theirs.emails = [EmailAddress("g@omid.de")]
        _ = try omid.contacts.update(theirs)

        let offer = try XCTUnwrap(offered, "the first screen offers the draft")
        XCTAssertEqual(app.offerQuestion(offer), "Restore the form \u{201C}Edit Günter Müller\u{201D} you were filling in at 14:03?")
        press(.enter)
        let restored = try XCTUnwrap(form)
        XCTAssertEqual(app.activeKind, .contacts)
        XCTAssertEqual(restored["title"], "Einkauf")
        XCTAssertEqual(restored["emails"], "g@old.de", "what was in the field when the draft was kept")
        XCTAssertEqual(restored.baseVersion, c.version, "the version the edit was typed against")
        XCTAssertEqual(restored.focusedField.name, "title")

        press(.ctrl("s"))
        XCTAssertNotNil(restored.conflict, "a stale edit, not a silent overwrite")
        XCTAssertEqual(try db.contacts.get(c.id)?.emails.map(\.address), ["g@omid.de"])
        XCTAssertEqual(try store.load().count, 1, "not saved yet: the draft stays")

        press(.ctrl("o"))  // mine over theirs, for the fields I changed
        XCTAssertNil(app.overlay)
        let saved = try XCTUnwrap(db.contacts.get(c.id))
        XCTAssertEqual(saved.title, "Einkauf")
        XCTAssertEqual(saved.emails.map(\.address), ["g@omid.de"], "the field I did not touch takes theirs")
        XCTAssertEqual(try store.load(), [], "saved: the draft is gone")
    }

    func testADraftWithAnImpossibleCallStartRestoresWithTheTimerFromNowInsteadOfTrapping() throws {
        _ = try guenter()
        press(.char("c"))
        type("Wants a quote")
        app.keepUnsavedWork()
        // Damaged or edited by hand: a start no call can have had.
        var draft = try XCTUnwrap(store.load().first)
        guard case .call(var kept) = draft.work else { return XCTFail("a call draft") }
        kept.startedAt = Date(timeIntervalSince1970: -1e300)
        draft.work = .call(kept)
        try store.save(draft)
        app = nil
        db = nil
        try launch()
        app.start(in: .today)
        app.contacts.setViewport(list: 10, timeline: 10)
        press(.enter)
        let card = try XCTUnwrap(call)
        XCTAssertEqual(card.elapsedSeconds, 0)
        XCTAssertEqual(card.note.text, "Wants a quote")
        XCTAssertEqual(app.statusMessage?.text, "The call's start time in the draft could not be used; its timer starts now")
    }

    func testARestoredCallKeepsItsRealStartAndItsTimerCountsFromThen() throws {
        let c = try guenter()
        press(.char("c"))
        clock.advance(by: 90)
        type("Wants a quote for 40 units")
        press(.ctrl("t"))
        try restart()
        clock.advance(by: 600)

        let offer = try XCTUnwrap(offered)
        XCTAssertEqual(app.offerQuestion(offer), "Restore the call with Günter Müller you were logging at 14:03?")
        XCTAssertEqual(offer.text.map(\.text), ["Wants a quote for 40 units"])
        press(.enter)
        let card = try XCTUnwrap(call)
        XCTAssertEqual(card.detail.contact.id, c.id)
        XCTAssertEqual(card.startedAt, start)
        XCTAssertEqual(card.elapsedSeconds, 690)
        XCTAssertEqual(card.timerText, "11:30")
        XCTAssertEqual(card.note.text, "Wants a quote for 40 units")
        XCTAssertEqual(card.direction, .inbound)

        type(", by Friday")
        press(.ctrl("s"))
        XCTAssertNil(app.overlay)
        let logged = try XCTUnwrap(db.interactions.timeline(.contact(c.id), before: nil, limit: 5).first?.interaction)
        XCTAssertEqual(logged.kind, .call)
        XCTAssertEqual(logged.occurredAt, start)
        XCTAssertEqual(logged.durationSeconds, 690)
        XCTAssertEqual(logged.direction, .inbound)
        XCTAssertEqual(logged.body, "Wants a quote for 40 units, by Friday")
        XCTAssertEqual(try store.load(), [])
    }

    /// An unknown caller's new contact form kept as a draft (QA 30 #16):
    /// restored, it still has the number, and saving it starts call mode
    /// timed from when the phone rang, as before the restart.
    func testAnUnknownCallersFormComesBackWithItsCall() throws {
        app.start(in: .today)
        app.answerCall(from: "0030-555-0199")
        type("Katherine")
        clock.advance(by: 40)
        try restart()
        clock.advance(by: 20)
        XCTAssertNotNil(offered)
        press(.enter)
        let restored = try XCTUnwrap(form)
        XCTAssertEqual(restored["name"], "Katherine")
        XCTAssertEqual(restored["phones"], "0030-555-0199")
        XCTAssertEqual(restored.purpose, .newCaller(number: "0030-555-0199", rang: start))
        type(" Johnson")
        press(.ctrl("s"))
        let card = try XCTUnwrap(call, "call mode on the saved contact")
        XCTAssertEqual(card.detail.contact.name, "Katherine Johnson")
        XCTAssertEqual(card.startedAt, start)
        XCTAssertEqual(card.direction, .inbound)
    }

    func testDiscardDeletesTheDraftAndLaterKeepsItForTheNextStart() throws {
        _ = try guenter()
        press(.char("c"))
        type("first call")
        app.keepUnsavedWork()
        press(.escape, .char("y"))  // the call discarded: its draft goes
        XCTAssertEqual(try store.load(), [])

        press(.char("c"))
        type("second call")
        app.keepUnsavedWork()
        app.dismissOverlay()  // as if the program had stopped here
        clock.advance(by: 60)
        press(.char("n"))
        type("a note")
        try restart()
        XCTAssertEqual(try store.load().count, 2)

        XCTAssertEqual(offered?.text.map(\.text), ["a note"], "the newest first")
        press(.escape)  // later
        XCTAssertEqual(offered?.text.map(\.text), ["second call"], "then the next")
        press(.char("d"))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try store.load().map(\.text.first?.text), ["a note"], "discarded: deleted; later: kept")

        try restart()
        XCTAssertEqual(offered?.text.map(\.text), ["a note"], "offered again")
    }

    func testWorkIsKeptWhileTypingSoAKilledProcessLosesAFewSecondsAtMost() throws {
        _ = try guenter()
        press(.char("e"), .tab)
        type("Einkauf")
        app.handle(.tick)
        XCTAssertEqual(try store.load().first?.text.first { $0.label == "Job title" }?.text, "Einkauf", "kept on the tick")
        type(" Nord")
        app.handle(.tick)
        XCTAssertEqual(try store.load().first?.text.first { $0.label == "Job title" }?.text, "Einkauf",
                       "not rewritten on every tick: every few seconds")
        clock.advance(by: AppModel.draftInterval)
        app.handle(.tick)
        XCTAssertEqual(try store.load().first?.text.first { $0.label == "Job title" }?.text, "Einkauf Nord")
        // kill -9: no way out runs, nothing more is kept.
        app = nil
        db = nil
        try launch()
        app.start(in: .contacts)
        app.contacts.setViewport(list: 10, timeline: 10)
        XCTAssertNotNil(offered, "the next start offers it")
        press(.enter)
        XCTAssertEqual(form?["title"], "Einkauf Nord")
        press(.ctrl("s"))
        XCTAssertEqual(try store.load(), [], "saved: its draft goes")
    }

    func testErasedWorkTakesItsDraftAlong() throws {
        _ = try guenter()
        press(.char("t"))  // the tag filter's prompt
        XCTAssertNotNil(prompt)
        type("ab")
        app.handle(.tick)
        XCTAssertEqual(try store.load().count, 1)
        press(.backspace, .backspace)
        clock.advance(by: AppModel.draftInterval)
        app.handle(.tick)
        XCTAssertEqual(try store.load(), [], "nothing typed is nothing to keep")
    }

    func testTheLiveWorkOfTheSameUsersOtherProcessIsNotOffered() throws {
        let draft = Draft(id: "d1", savedAt: start, work: .prompt(PromptDraft(title: "Note:", text: "typed elsewhere", resume: nil)))
        func plant(pid: Int32?) throws {
            let data = try JSONEncoder().encode(DraftStore.Envelope(database: store.database, user: "sara", draft: draft,
                                                                   pid: pid, host: DraftStore.host))
            let drafts = folder.appendingPathComponent("drafts")
            try FileManager.default.createDirectory(at: drafts, withIntermediateDirectories: true)
            try data.write(to: drafts.appendingPathComponent(try store.fileName("d1")))
        }
        try plant(pid: 1)  // init: always running
        XCTAssertEqual(try store.load(), [], "a process still running is typing it")
        try plant(pid: Int32.max)  // no such process: it stopped without a word
        XCTAssertEqual(try store.load().map(\.id), ["d1"])
        try plant(pid: nil)  // written before drafts were kept while typing
        XCTAssertEqual(try store.load().map(\.id), ["d1"])
    }

    func testAnOutcomePromptComesBackAsTheSameQuestionWithItsText() throws {
        let c = try db.contacts.create(Contact(name: "Ada Lovelace"))
        let followUp = try db.followUps.create(FollowUp(contactID: c.id, assigneeID: db.currentUser.id, title: "Send the quote",
                                                        dueAt: start.addingTimeInterval(-86_400)))
        app.start(in: .today)
        press(.char("x"))
        let title = try XCTUnwrap(prompt?.title)
        type("Will sign on Mon")
        guard case .prompt(let draft)? = app.unsavedWork()?.work else { return XCTFail("no prompt draft") }
        XCTAssertEqual(draft, PromptDraft(title: title, text: "Will sign on Mon", resume: .doneOutcome(followUpID: followUp.id, version: followUp.version)))
        try restart(in: .contacts)

        press(.enter)
        XCTAssertEqual(app.activeKind, .today)
        XCTAssertEqual(prompt?.title, title)
        XCTAssertEqual(prompt?.input.text, "Will sign on Mon")
        type("day")
        press(.enter)  // the outcome; next: the next follow-up
        XCTAssertTrue(prompt?.title.hasPrefix("Next follow-up \"Send the quote\"") ?? false)
        press(.escape)  // no next one
        XCTAssertEqual(try db.followUps.get(followUp.id)?.status, .done)
        XCTAssertEqual(try db.interactions.timeline(.contact(c.id), before: nil, limit: 5).first?.interaction.outcome, "Will sign on Monday")
        XCTAssertEqual(try store.load(), [])
    }

    func testTheOutcomeTypedBeforeTheNextFollowUpIsKeptToo() throws {
        let c = try db.contacts.create(Contact(name: "Ada Lovelace"))
        let followUp = try db.followUps.create(FollowUp(contactID: c.id, assigneeID: db.currentUser.id, title: "Send the quote",
                                                        dueAt: start.addingTimeInterval(-86_400)))
        app.start(in: .today)
        press(.char("x"))
        type("Will sign")
        press(.enter)
        XCTAssertEqual(prompt?.input.text, "+7d")
        try restart()
        guard case .prompt(let draft)? = offered?.work else { return XCTFail("nothing offered") }
        XCTAssertEqual(draft.resume, .nextFollowUp(followUpID: followUp.id, version: followUp.version, outcome: "Will sign"))
        press(.enter)
        press(.enter)  // +7d
        XCTAssertEqual(try db.followUps.get(followUp.id)?.status, .done)
        XCTAssertEqual(try db.interactions.timeline(.contact(c.id), before: nil, limit: 5).first?.interaction.outcome, "Will sign")
        XCTAssertEqual(try db.followUps.open(contactID: c.id).map(\.followUp.title), ["Send the quote"], "the next one")
    }

    func testARestoreThatCannotBeDoneSaysWhyAndKeepsTheDraft() throws {
        let c = try guenter()
        press(.char("e"), .tab)
        type("Einkauf")
        try restart()
        try db.contacts.delete(c.id)
        press(.enter)
        XCTAssertNil(form)
        XCTAssertTrue(app.statusMessage?.text.hasPrefix("Not restored: the contact is no longer there") ?? false,
                      app.statusMessage?.text ?? "no status")
        XCTAssertEqual(try store.load().count, 1)
    }

    func testADealEditAndAFollowUpFormComeBackWithTheirText() throws {
        let c = try db.contacts.create(Contact(name: "Ada Lovelace"))
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(db.pipelines.stages(pipelineID: pipeline.id).first { $0.kind == .open })
        let deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Engines", value: Money(minorUnits: 100_00, currency: .eur),
                                            contactID: c.id))
        app.start(in: .pipeline)
        app.pipeline.openDetail(deal.id)
        press(.char("e"))
        press(.ctrl("e"))
        type(" (big)")
        try restart()
        press(.enter)
        XCTAssertEqual(form?.purpose, .editDeal(id: deal.id))
        XCTAssertEqual(form?["title"], "Engines (big)")
        XCTAssertEqual(form?.baseVersion, deal.version)
        press(.ctrl("s"))
        XCTAssertEqual(try db.deals.get(deal.id)?.title, "Engines (big)")

        app.pipeline.openDetail(deal.id)
        press(.char("f"))
        press(.tab, .ctrl("u"))
        type("fri")
        try restart()
        press(.enter)
        XCTAssertEqual(form?.purpose, .followUp(contactID: c.id, dealID: deal.id, about: "Engines (big)"))
        XCTAssertEqual(form?["due"], "fri")
        XCTAssertEqual(form?.fields.first { $0.name == "due" }?.hint.hasPrefix("→"), true, "the hint reads the restored text")
    }

    func testABoardPromptComesBackOnTheSameStage() throws {
        let pipeline = try db.pipelines.createPipeline("Sales", stages: ["Lead", "Qualified", "Proposal"].enumerated().map {
            Stage(pipelineID: 0, name: $0.element, position: $0.offset, probability: 10)
        })
        app.start(in: .pipeline)
        app.pipeline.focus(column: 1)
        press(.char("R"))
        XCTAssertEqual(prompt?.title, "Rename stage Qualified to:")
        type("Qualified leads")
        try restart()
        press(.enter)
        XCTAssertEqual(app.activeKind, .pipeline)
        XCTAssertEqual(app.pipeline.focusedColumn?.stage.name, "Qualified")
        XCTAssertEqual(prompt?.title, "Rename stage Qualified to:")
        XCTAssertEqual(prompt?.input.text, "Qualified leads")
        press(.enter)
        XCTAssertEqual(try db.pipelines.stages(pipelineID: pipeline.id).map(\.name).prefix(3), ["Lead", "Qualified leads", "Proposal"])
        XCTAssertEqual(try store.load(), [])
    }

    func testALostReasonComesBackAtTheDealsVersionSoAColleaguesChangeIsCaught() throws {
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(db.pipelines.stages(pipelineID: pipeline.id).first { $0.kind == .open })
        let deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Engines", value: Money(minorUnits: 100_00, currency: .eur)))
        app.start(in: .pipeline)
        app.pipeline.openDetail(deal.id)
        press(.char("x"))
        type("Too expensive")
        try restart()
        let omid = try Database(path: path, login: "omid", clock: clock)
        var theirs = try XCTUnwrap(omid.deals.get(deal.id))
        theirs.title = "Engines (renewal)"
        _ = try omid.deals.update(theirs)

        press(.enter)
        XCTAssertEqual(prompt?.input.text, "Too expensive")
        press(.enter)
        XCTAssertEqual(try db.deals.get(deal.id)?.status, .open, "not closed over a colleague's change made since")
        XCTAssertTrue(app.statusMessage?.text.contains("omid") ?? false, app.statusMessage?.text ?? "no status")
    }

    // MARK: $EDITOR

    func testAFailedEditorLeavesTheTextSaysWhatHappenedAndKeepsADraft() throws {
        let c = try guenter()
        press(.char("n"))
        type("Half a note")
        XCTAssertEqual(form?.focusedField.name, "body")
        XCTAssertEqual(form?.handle(.ctrl("x")), .effect(.editExternally(text: "Half a note")))
        app.handle(.editorFinished(.failed("the editor exited with status 1")))
        XCTAssertEqual(form?["body"], "Half a note")
        XCTAssertEqual(app.statusMessage?.text, "The editor exited with status 1: the text is as it was, and it is kept as a draft")
        XCTAssertEqual(try store.load().count, 1)

        // The editor works the second time: its text goes in.
        _ = form?.handle(.ctrl("x"))
        app.handle(.editorFinished(.edited("Half a note, and the rest.\n")))
        XCTAssertEqual(form?["body"], "Half a note, and the rest.")
        press(.ctrl("s"))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try db.interactions.timeline(.contact(c.id), before: nil, limit: 5).first?.interaction.body, "Half a note, and the rest.")
        XCTAssertEqual(try store.load(), [], "saved: the draft is gone")
    }

    /// A restored note goes on where the typing stopped: a stored text set
    /// into a form opens at its start (for reading), but a draft is the
    /// user's own half-typed text (CI of stop 38: " the list price" went in
    /// front of it).
    func testARestoredNoteGoesOnAtItsEnd() throws {
        let c = try guenter()
        press(.char("n"))
        type("Asked for a discount, half of")
        try restart(in: .contacts)
        XCTAssertNotNil(offered, "the next start offers the draft")
        press(.enter)
        XCTAssertEqual(form?["body"], "Asked for a discount, half of")
        type(" the list price")
        XCTAssertEqual(form?["body"], "Asked for a discount, half of the list price")
        press(.ctrl("s"))
        XCTAssertEqual(try db.interactions.timeline(.contact(c.id), before: nil, limit: 5).first?.interaction.body,
                       "Asked for a discount, half of the list price")
    }
}
