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
}
