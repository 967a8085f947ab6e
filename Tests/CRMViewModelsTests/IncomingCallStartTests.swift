import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// `crm --call` with a number nobody has (QA 29 #15): the call began when
/// it rang, so the minutes spent typing the caller's name into the new
/// contact form count in the call's time, as a known caller's do.
final class IncomingCallStartTests: XCTestCase {
    /// The screen on `db`, 120x40, opened on Today.
    func started(_ db: Database, _ clock: ManualClock) -> AppModel {
        let app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .today)
        return app
    }

    /// A folder removed after the test, and a clock at 30 Nov 2026 10:00 UTC.
    func scratch() throws -> (URL, ManualClock) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-incoming-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return (folder, ManualClock(ISO8601DateFormatter().date(from: "2026-11-30T10:00:00Z")!))
    }

    func testAnUnknownCallersCallCountsFromWhenItRang() throws {
        let (folder, clock) = try scratch()
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        let app = started(db, clock)
        let rang = clock.now
        app.answerCall(from: "0030-555-0199")
        guard case .form? = app.overlay else { return XCTFail("the new contact form opens") }
        for c in "Katherine Johnson" { app.handle(.key(.char(c))) }
        clock.advance(by: 75)   // the caller spells their name
        app.handle(.key(.ctrl("s")))
        guard case .call(let call)? = app.overlay else { return XCTFail("call mode on the saved contact") }
        XCTAssertEqual(call.startedAt, rang)
        XCTAssertEqual(call.direction, .inbound)
    }

    /// QA 44: the hang-up hook logged the call first; the card's Ctrl-S
    /// completed that call, and the timeline's selection stayed on the call
    /// before it, so Enter or e acted on the wrong one. It is on the call
    /// just logged.
    func testAfterTheCardTheTimelineIsOnTheCallJustLogged() throws {
        let (folder, clock) = try scratch()
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", phones: [PhoneNumber("+44 20 7946 0018")]))
        _ = try db.interactions.log(Interaction(contactID: ada.id, kind: .call, direction: .inbound,
                                                occurredAt: clock.now.addingTimeInterval(-3600), durationSeconds: 125, subject: "Inbound call"))
        let app = started(db, clock)
        app.answerCall(from: "0044 20 7946 0018")
        guard case .call? = app.overlay else { return XCTFail("call mode on Ada") }
        clock.advance(by: 40)
        // The hook, from another process, before the card's save.
        let hook = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        let hooked = try hook.interactions.log(Interaction(contactID: ada.id, kind: .call, direction: .inbound,
                                                           occurredAt: clock.now.addingTimeInterval(-40), durationSeconds: 40,
                                                           subject: "Call", createdAt: clock.now))
        app.handle(.tick)
        for c in "Asked about pricing" { app.handle(.key(.char(c))) }
        app.handle(.key(.ctrl("s")))
        XCTAssertNil(app.overlay, app.statusMessage?.text ?? "")
        XCTAssertEqual(app.contacts.timeline.selectedRow?.id, hooked.id, app.statusMessage?.text ?? "")
    }

    /// A caller whose contact is in the trash is no stranger (QA 30 #19):
    /// the line says whose number it is and how to restore them; the form
    /// is still there for a new contact.
    func testACallerInTheTrashIsNamed() throws {
        let (folder, clock) = try scratch()
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", phones: [PhoneNumber("+44 20 7946 0018")]))
        try db.contacts.delete(ada.id)
        let app = started(db, clock)
        app.answerCall(from: "0044 20 7946 0018")
        guard case .form? = app.overlay else { return XCTFail("the new contact form opens") }
        XCTAssertEqual(app.statusMessage?.text, "0044 20 7946 0018 is Ada Lovelace's, in the trash (deleted by sara Mon 30 Nov 2026): "
                       + "Esc, then Z restores them; or type a new contact, Ctrl-S saves and starts the call")
        XCTAssertEqual(app.statusMessage?.kind, .warning)
    }

    /// A softphone's caller ID of an unknown caller (QA 30 #4): the form
    /// gets the number in it and the SIP display name, so the contact saved
    /// is found by its number on the next call and by the hang-up hook.
    func testAnUnknownSIPCallerIsSavedWithTheNumberNotTheAddress() throws {
        let (folder, clock) = try scratch()
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        let app = started(db, clock)
        app.answerCall(from: "\"Neda Test\" <sip:%2B989351114455@pbx.local>;tag=x")
        guard case .form(let form)? = app.overlay else { return XCTFail("the new contact form opens") }
        XCTAssertEqual(form["name"], "Neda Test")
        XCTAssertEqual(form["phones"], "+989351114455")
        XCTAssertEqual(app.statusMessage?.text, "Unknown caller +989351114455: type the name, Ctrl-S saves and starts the call")
        app.handle(.key(.ctrl("s")))
        guard case .call? = app.overlay else { return XCTFail("call mode on the saved contact") }
        let found = try ContactFinder.byPhone("tel:+98-935-111-4455", in: db, limit: 2)
        XCTAssertEqual(found.map(\.name), ["Neda Test"])
        XCTAssertEqual(try db.contacts.get(found[0].id)?.phones.map(\.number), ["+989351114455"])
    }

    /// A number several contacts have (a switchboard, a shared phone): the
    /// list is searched for the number in the caller ID, and `c` on the one
    /// speaking takes the call as incoming, timed from the ring (QA 30 #10).
    func testACallerPickedFromSeveralIsIncomingFromTheRing() throws {
        let (folder, clock) = try scratch()
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        _ = try db.contacts.create(Contact(name: "Reza Shared", phones: [PhoneNumber("+98 912 869 4667")]))
        _ = try db.contacts.create(Contact(name: "Hossein Karimi", phones: [PhoneNumber("+989128694667")]))
        let app = started(db, clock)
        let rang = clock.now
        app.answerCall(from: "sip:+989128694667@pbx.example")
        XCTAssertEqual(app.contacts.searchText, "+989128694667")
        XCTAssertEqual(app.contacts.contacts.rows.count, 2, "both found by the number in the caller ID")
        clock.advance(by: 12)   // "who is speaking?"
        app.handle(.key(.char("c")))
        guard case .call(let call)? = app.overlay else { return XCTFail("call mode on the chosen contact") }
        XCTAssertEqual(call.direction, .inbound)
        XCTAssertEqual(call.startedAt, rang)
    }

    /// The softphone's hang-up hook logs the call while the card is still
    /// open (QA 30 #13): the card's Ctrl-S adds its note and outcome to that
    /// call, keeping the measured duration, instead of a second call; u
    /// takes the note back off it.
    func testTheCardCompletesTheCallTheHangUpHookLogged() throws {
        let (folder, clock) = try scratch()
        let path = folder.appendingPathComponent("crm.db").path
        let db = try Database(path: path, login: "sara", clock: clock)
        let chloe = try db.contacts.create(Contact(name: "Chloe Evans", phones: [PhoneNumber("(766) 765-9945")]))
        let app = started(db, clock)
        app.answerCall(from: "(766) 765-9945")
        guard case .call? = app.overlay else { return XCTFail("call mode on Chloe") }
        for c in "Asked about pricing" { app.handle(.key(.char(c))) }
        clock.advance(by: 9)
        // The hook, another process of sara's, at hang-up.
        let hook = try Database(path: path, login: "sara", clock: clock)
        let hooked = try hook.interactions.log(Interaction(contactID: chloe.id, kind: .call, direction: .inbound, occurredAt: clock.now,
                                                           durationSeconds: 9, subject: "Call", createdAt: clock.now))
        clock.advance(by: 20)   // the note finished
        app.handle(.key(.ctrl("s")))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(app.statusMessage?.text, "Logged 00:09 call with Chloe Evans (the note added to the call your phone logged)")
        let calls = try db.interactions.timeline(.contact(chloe.id), before: nil, limit: 10).map(\.interaction)
        XCTAssertEqual(calls.map(\.id), [hooked.id], "one call, not two")
        XCTAssertEqual(calls.first?.body, "Asked about pricing")
        XCTAssertEqual(calls.first?.durationSeconds, 9)
        XCTAssertEqual(calls.first?.subject, "Call")
        app.handle(.key(.char("u")))
        XCTAssertEqual(try db.interactions.get(hooked.id)?.body, "", "u takes the note back off the hook's call")
        XCTAssertNil(try db.interactions.get(hooked.id)?.deletedAt)

        // The caller rings again a minute later: the first call's hook was
        // logged before this card opened, so this card logs its own call.
        clock.advance(by: 60)
        app.answerCall(from: "(766) 765-9945")
        for c in "Called back" { app.handle(.key(.char(c))) }
        app.handle(.key(.ctrl("s")))
        XCTAssertEqual(try db.interactions.timeline(.contact(chloe.id), before: nil, limit: 10).count, 2)
    }
}
