import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// What a typed value means ("next week" → a date) is shown beside the
/// field, where the person looks, not only on the form's bottom line.
final class FormReadingTests: XCTestCase {
    private func rows(_ form: FormModel, width: Int = 80) -> [String] {
        let screen = MemoryScreen(width: width, height: 14)
        FormOverlay.render(form, in: Rect(x: 0, y: 0, width: width, height: 14), on: screen)
        return screen.rowsText()
    }

    func testTheReadingStandsBesideTheValueFocusedOrNot() {
        let form = FormModel(title: "Follow-up", fields: [
            FormField("title", label: "What to do", value: "Call"),
            FormField("due", label: "Due", value: "next week", hint: "→ Mon 7 Dec 2026 09:00"),
        ]) { _ in "ok" }
        let unfocused = rows(form)
        XCTAssertTrue(unfocused.contains { $0.contains("Due          next week  → Mon 7 Dec 2026 09:00") }, unfocused.joined(separator: "\n"))
        form.focus(field: "due")
        let focused = rows(form)
        XCTAssertTrue(focused.contains { $0.contains("next week  → Mon 7 Dec 2026 09:00") }, focused.joined(separator: "\n"))
        XCTAssertFalse(focused.contains { $0.contains("09:00 · Tab next") }, "not said twice")
    }

    func testAReadingThatDoesNotFitGoesToTheBottomLine() {
        let form = FormModel(title: "Follow-up", fields: [
            FormField("due", label: "Due", value: String(repeating: "x", count: 50), hint: "? e.g. tomorrow, fri 15:00, +3d"),
        ]) { _ in "ok" }
        form.focus(field: "due")
        let shown = rows(form, width: 60)
        XCTAssertTrue(shown.contains { $0.contains("? e.g. tomorrow, fri 15:00, +3d · ") }, shown.joined(separator: "\n"))
    }
}
