import CRMCore
import CRMStore
@testable import CRMTerminal
@testable import CRMViewModels
import Foundation
import XCTest

/// The status line's message is in the digits of the settings, as every
/// count and date on screen is: "3 follow-ups done" reads "۳ follow-ups
/// done" with `digits = persian`, and stays ASCII otherwise.
final class StatusDigitsTests: XCTestCase {
    func testTheStatusMessageFollowsTheDigitsSetting() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "alice")
        let now = Date(timeIntervalSince1970: 1_773_489_600)
        let time = TimeFormat(timeZone: TimeZone(identifier: "Asia/Tehran")!, calendar: Calendar(identifier: .persian))
        let app = AppModel(repositories: db, clock: ManualClock(now), timeFormat: time)
        app.statusMessage = StatusMessage("3 follow-ups done, 12 left", kind: .success, at: now)

        func statusLine() -> String {
            let screen = MemoryScreen(width: 60, height: 3)
            BarsPane.renderStatus(app, hints: [], y: 2, width: 60, on: screen)
            return screen.rowsText()[2].trimmingCharacters(in: .whitespaces)
        }
        XCTAssertEqual(statusLine(), "3 follow-ups done, 12 left")
        time.digits = .persian
        XCTAssertEqual(statusLine(), "۳ follow-ups done, ۱۲ left")
        // A path in the message is a path (QA 38 A-F8).
        app.statusMessage = StatusMessage("Settings saved to /tmp/qa38a/settings", kind: .success, at: now)
        XCTAssertEqual(statusLine(), "Settings saved to /tmp/qa38a/settings")
    }

    /// QA 43: a message wider than the line lost its end ("… — the same key
    /// again acts on it") at 80 columns. It takes up to two rows above the
    /// status line, word-wrapped, the first holding as much as fits; a
    /// message that fits stays on its line and draws nothing above it.
    func testAMessageWiderThanTheLineTakesTheRowsAbove() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-status-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "alice")
        let now = Date(timeIntervalSince1970: 1_773_489_600)
        let app = AppModel(repositories: db, clock: ManualClock(now), timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        func rows(_ text: String, width: Int = 40) -> [String] {
            app.statusMessage = StatusMessage(text, kind: .warning, at: now)
            let screen = MemoryScreen(width: width, height: 6)
            for y in 0..<6 { screen.put(String(repeating: "x", count: width), at: Point(x: 0, y: y), style: .normal) }
            BarsPane.renderStatus(app, hints: [], y: 5, width: width, on: screen)
            return screen.rowsText().map { $0.trimmingCharacters(in: .whitespaces) }
        }
        XCTAssertEqual(rows("Saved"), [String](repeating: String(repeating: "x", count: 40), count: 5) + ["Saved"])
        XCTAssertEqual(Array(rows("Not done: the deal was deleted by li meanwhile; the same key again acts on it").suffix(3)),
                       ["Not done: the deal was deleted by li", "meanwhile; the same key again acts on", "it"])
        let long = rows("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen", width: 20)
        XCTAssertEqual(Array(long.suffix(4)), [String(repeating: "x", count: 20), "one two three four", "five six seven",
                                                "eight nine ten ele…"], "three rows at most, the last cut")
    }
}
