import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// A question longer than a prompt's frame (what a colleague did, and what
/// Enter and Esc do) is written out whole inside the frame at 80 columns,
/// never cut at the frame's top line.
final class LongPromptGoldenTests: XCTestCase {
    var folder: URL!

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func testALongQuestionWrapsInsideThePromptAt80x24() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        let now = ISO8601DateFormatter().date(from: "2026-11-27T14:20:00Z")!
        let app = AppModel(repositories: db, clock: ManualClock(now), timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .today)
        app.present(.prompt(Prompt("omid deleted \"Ask for feedback on the invoice\" at 14:12. Log your outcome on the timeline "
                                   + "as a note? (Enter logs it; Esc drops it):", initial: "Kunde zufrieden") { _ in }))
        let screen = MemoryScreen(width: 80, height: 24)
        app.handle(.resize(width: 80, height: 24))
        AppRenderer.render(app, on: screen)
        assertGolden(screen, named: "prompt-long-question-80x24")
        XCTAssertTrue(screen.rowsText().joined(separator: " ").contains("(Enter logs it; Esc drops it):"))
    }
}
