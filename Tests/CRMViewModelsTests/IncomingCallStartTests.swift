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
    func testAnUnknownCallersCallCountsFromWhenItRang() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-incoming-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-11-30T10:00:00Z")!)
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        let app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .today)
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

    /// A softphone's caller ID of an unknown caller (QA 30 #4): the form
    /// gets the number in it and the SIP display name, so the contact saved
    /// is found by its number on the next call and by the hang-up hook.
    func testAnUnknownSIPCallerIsSavedWithTheNumberNotTheAddress() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-incoming-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-11-30T10:00:00Z")!)
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        let app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .today)
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-incoming-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-11-30T10:00:00Z")!)
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        _ = try db.contacts.create(Contact(name: "Reza Shared", phones: [PhoneNumber("+98 912 869 4667")]))
        _ = try db.contacts.create(Contact(name: "Hossein Karimi", phones: [PhoneNumber("+989128694667")]))
        let app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .today)
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
}
