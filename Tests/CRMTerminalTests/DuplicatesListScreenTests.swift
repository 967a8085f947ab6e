import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// The Duplicates list as drawn: its page keys move by the pairs shown.
final class DuplicatesListScreenTests: XCTestCase {
    func testPageDownMovesByThePairsShown() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-dups-screen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        for i in 0..<80 {
            // 80 pairs of one address each.
            let address = EmailAddress(String(format: "p%03d@granite.example", i))
            try db.contacts.create(Contact(name: "First \(i)", emails: [address]))
            try db.contacts.create(Contact(name: "Second \(i)", emails: [address]))
        }
        let app = AppModel(repositories: db, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                           timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 50))
        app.start(in: .contacts)
        app.handle(.key(.char("D")))
        guard case .duplicates(let model)? = app.overlay else { return XCTFail("no Duplicates list") }
        let screen = MemoryScreen(width: 120, height: 50)
        AppRenderer.render(app, on: screen)
        let shown = screen.rowsText().filter { $0.contains("⇄") }.count
        XCTAssertGreaterThan(shown, 20, "a 50-line terminal shows more than 20 pairs")
        app.handle(.key(.pageDown))
        XCTAssertEqual(model.list.selected, shown, "one screenful down")
    }
}
