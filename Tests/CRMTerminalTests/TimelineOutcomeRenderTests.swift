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

    /// QA 38 A-F3: expanding cut each line of the note at the pane's edge,
    /// so a long note could not be read anywhere but the edit form. The
    /// expanded body wraps, Persian and wide characters by their columns.
    func testAnExpandedEntryWrapsItsWholeNote() {
        let now = Date(timeIntervalSince1970: 1_773_489_600)
        let body = "مشتری تماس گرفت درباره‌ی فاکتور ۱۴۰۵ و گفت 😀 خیلی عجله دارد\nNeeds 40 units by December, asked about delivery to the Köln plant"
        let note = Interaction(id: 8, contactID: 1, kind: .note, direction: .none, occurredAt: now.addingTimeInterval(-600), body: body)
        var window = ListWindow<TimelineEntry>()
        window.viewport = 8
        window.replace([TimelineEntry(interaction: note, authorLogin: "sara", contactName: "Ada", dealTitle: nil)])
        let screen = MemoryScreen(size: Size(width: 40, height: 12))
        TimelinePane.render(window, expanded: [8], title: "Timeline", focused: true,
                            in: Rect(x: 0, y: 0, width: 40, height: 12), on: screen, now: now, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        let rows = screen.rowsText().map { String($0.dropFirst().dropLast()) }
        let bodyRows = rows[2...].prefix { !$0.contains("2026") }.map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(bodyRows.joined(separator: " ").split(separator: " ").joined(separator: " "),
                       body.replacingOccurrences(of: "\n", with: " "), rows.joined(separator: "\n"))
        XCTAssertFalse(bodyRows.joined().contains("…"), "nothing cut")
        XCTAssertGreaterThan(bodyRows.count, 2)
    }

    /// QA 44: an entry expanded near the bottom of the pane was hidden (the
    /// rows above it kept their place), and its subject, cut on the row in a
    /// narrow pane, was nowhere. The rows drawn start further down until the
    /// selected entry and its whole expansion fit; the subject heads it.
    func testAnEntryExpandedAtTheBottomIsShownWholeWithItsSubject() {
        let now = Date(timeIntervalSince1970: 1_773_489_600)
        let entries = (1...12).map { n in
            TimelineEntry(interaction: Interaction(id: Int64(n), contactID: 1, kind: .call, direction: .inbound,
                                                   occurredAt: now.addingTimeInterval(-Double(n) * 3600), durationSeconds: 60,
                                                   subject: "Call about training \(n)", body: "Line one of \(n)\nLine two of \(n)"),
                          authorLogin: "sara", contactName: "Ada", dealTitle: nil)
        }
        var window = ListWindow<TimelineEntry>()
        window.viewport = 8
        window.replace(entries, selected: 7, offsetInView: 7)     // the last row in view
        XCTAssertEqual(window.scrollTop, 0)
        let screen = MemoryScreen(size: Size(width: 40, height: 10))
        TimelinePane.render(window, expanded: [8], title: "Timeline", focused: true,
                            in: Rect(x: 0, y: 0, width: 40, height: 10), on: screen, now: now, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        let rows = screen.rowsText().map { String($0.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces) }
        let text = rows.joined(separator: "\n")
        XCTAssertTrue(rows.contains("Subject: Call about training 8"), text)
        XCTAssertTrue(rows.contains("Line two of 8"), text)
        XCTAssertTrue(rows[8].hasPrefix("2026-"), "the full time on the last line of the pane\n" + text)
        XCTAssertFalse(text.contains("training 3"), "the first rows made room\n" + text)
    }
}
