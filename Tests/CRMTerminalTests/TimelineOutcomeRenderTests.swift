import CRMCore
import CRMRepositories
@testable import CRMTerminal
@testable import CRMViewModels
import Foundation
import XCTest

/// A call's outcome on a contact's timeline: the pane beside the contact is
/// narrow, so the outcome comes right after the duration, before the note,
/// and an expanded entry names it on a line of its own.
final class TimelineOutcomeRenderTests: XCTestCase {
    func testTheOutcomeShowsBeforeALongNoteInTheNarrowContactTimeline() {
        let now = Date(timeIntervalSince1970: 1_773_489_600)
        let call = Interaction(id: 7, contactID: 1, kind: .call, direction: .inbound, occurredAt: now.addingTimeInterval(-600),
                               durationSeconds: 312, outcome: "quote requested",
                               body: "Needs 40 units by December, asked about delivery to the Köln plant and payment terms")
        var window = ListWindow<TimelineEntry>()
        window.viewport = 5
        window.replace([TimelineEntry(interaction: call, authorLogin: "sara", contactName: "Ada", dealTitle: nil)])
        let screen = MemoryScreen(size: Size(width: 58, height: 7))
        let timeFormat = TimeFormat(timeZone: TimeZone(identifier: "UTC")!)
        TimelinePane.render(window, expanded: [], title: "Timeline", focused: true,
                            in: Rect(x: 0, y: 0, width: 58, height: 7), on: screen, now: now, timeFormat: timeFormat)
        XCTAssertEqual(screen.rowsText()[1], "│Call ← 10 min ago  sara    [05:12] (quote requested) Ne…│")

        screen.clear()
        TimelinePane.render(window, expanded: [7], title: "Timeline", focused: true,
                            in: Rect(x: 0, y: 0, width: 58, height: 7), on: screen, now: now, timeFormat: timeFormat)
        XCTAssertTrue(screen.rowsText().contains { $0.contains("Outcome: quote requested") }, screen.rowsText().joined(separator: "\n"))
    }
}
