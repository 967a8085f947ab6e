import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// A search by phone number shows, in the list row, the number that matched
/// (as it was typed), not the contact's first number.
final class MatchedPhoneScreenTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-matched-phone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", phoneRegion: PhoneRegion(code: "DE"))
        _ = try db.contacts.create(Contact(name: "Günter Müller", phones: [PhoneNumber("030 5550000", label: "work"),
                                                                          PhoneNumber("0171 9936679", label: "mobile")]))
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", phones: [PhoneNumber("+44 20 7946 0018")]))
        app = AppModel(repositories: db, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                       timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func screen() -> String {
        let screen = MemoryScreen(width: 120, height: 40)
        app.handle(.resize(width: 120, height: 40))
        AppRenderer.render(app, on: screen)
        return screen.rowsText().joined(separator: "\n")
    }

    func testTheRowShowsTheNumberTheSearchFound() {
        app.start(in: .contacts)
        XCTAssertTrue(screen().contains("030 5550000"), screen())
        app.handle(.key(.char("/")))
        for c in "+49 171 9936679" { app.handle(.key(.char(c))) }
        let shown = screen()
        let row = shown.split(separator: "\n").first { $0.contains("Günter Müller") && $0.contains("0171") }
        XCTAssertNotNil(row, shown)
        XCTAssertFalse(row?.contains("030 5550000") ?? true, shown)
        XCTAssertFalse(shown.contains("Ada Lovelace"), shown)
    }
}
