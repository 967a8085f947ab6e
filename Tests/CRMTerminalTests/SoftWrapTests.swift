import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// Long lines of a multi-line field wrap inside it instead of scrolling
/// sideways, and a text being edited opens at its start.
final class SoftWrapTests: XCTestCase {
    private func texts(_ s: String, width: Int) -> [String] {
        let chars = Array(s)
        return SoftWrap.wrap(chars, 0..<chars.count, width: width).map { String(chars[$0]) }
    }

    func testRowsBreakAfterTheLastBlankThatFits() {
        XCTAssertEqual(texts("hello world foo", width: 8), ["hello ", "world ", "foo"])
        XCTAssertEqual(texts("abcdefghij", width: 4), ["abcd", "efgh", "ij"], "a word longer than the row is cut")
        XCTAssertEqual(texts("王小明王", width: 5), ["王小", "明王"], "a wide glyph never straddles the edge")
        XCTAssertEqual(texts("", width: 5), [""])
        XCTAssertEqual(texts("سلام دنیا", width: 6), ["سلام ", "دنیا"])
    }

    func testACaretAtTheEndOfAFullRowStartsARowOfItsOwn() {
        let chars = Array("abcdefgh")
        let rows = SoftWrap.wrap(chars, 0..<8, width: 4)
        XCTAssertEqual(SoftWrap.caret(8, in: chars, rows: rows, width: 4).row, 2)
        XCTAssertTrue(SoftWrap.caret(8, in: chars, rows: rows, width: 4).extraRow)
        XCTAssertEqual(SoftWrap.caret(4, in: chars, rows: rows, width: 4).row, 1, "at a row's start: that row")
        XCTAssertEqual(SoftWrap.caret(5, in: chars, rows: rows, width: 4).column, 1)
    }

    /// The rows around any position are the same rows the whole line has
    /// there: laying out a window never moves a break.
    func testTheWindowAroundAPositionIsPartOfTheWholeLayout() {
        let chars = Array(EditingCostTests.longText(3_000))
        let whole = SoftWrap.rows(of: chars, around: 0, before: 0, after: 10_000, width: 37).rows
        XCTAssertEqual(whole.first?.lowerBound, 0)
        XCTAssertEqual(whole.last?.upperBound, chars.count)
        for (a, b) in zip(whole, whole.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
        for position in [0, 511, 512, 700, 1_023, 1_600, 2_999, 3_000] {
            let window = SoftWrap.rows(of: chars, around: position, before: 3, after: 3, width: 37)
            guard let first = whole.firstIndex(of: window.rows[0]) else { return XCTFail("row \(window.rows[0]) not in the layout") }
            XCTAssertEqual(Array(whole[first..<first + window.rows.count]), window.rows, "around \(position)")
            XCTAssertGreaterThanOrEqual(window.index, min(3, first + window.index))
            XCTAssertTrue(window.rows[window.index].contains(min(position, chars.count - 1)), "around \(position)")
        }
    }

    func testALongNoteWrapsInsideTheFieldAndOpensAtItsStart() {
        let note = "سلام دنیا 你好 🎉 word " + String(repeating: "call notes ", count: 20)
        let field = FormField("text", label: "Text", kind: .multiline, value: note)
        XCTAssertEqual(field.area.row, 0)
        XCTAssertEqual(field.area.column, 0, "an edited text opens at its start")
        let screen = MemoryScreen(width: 30, height: 4)
        let caret = EditorView.draw(field.area, in: Rect(x: 2, y: 0, width: 24, height: 4), style: .field, on: screen)
        let rows = screen.rowsText().map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(rows[0], "سلام دنیا 你好 🎉 word")
        XCTAssertEqual(rows[1], "call notes call notes")
        XCTAssertEqual(rows[3], "call notes call notes")
        XCTAssertEqual(caret, Point(x: 2, y: 0))
        // Set into a form after it is built (the correction of a logged
        // call's note), it opens at its start too (QA 38 A-F2).
        var later = FormField("text", label: "Text", kind: .multiline)
        later.value = note + "\nsecond line"
        XCTAssertEqual(later.area.row, 0)
        XCTAssertEqual(later.area.column, 0)
    }

    func testTheCaretRowStaysInViewAtTheEndOfALongNote() {
        var area = TextArea()
        area.handle(.paste("first line\n" + String(repeating: "abc ", count: 27) + "ab"))
        let screen = MemoryScreen(width: 20, height: 3)
        let caret = EditorView.draw(area, in: Rect(x: 0, y: 0, width: 20, height: 3), style: .field, on: screen)
        let rows = screen.rowsText()
        XCTAssertEqual(caret.y, 2, "the caret is on the last row of the field")
        XCTAssertEqual(rows[2].trimmingCharacters(in: .whitespaces), "abc abc ab", "110 characters in rows of 20: the sixth holds 10")
        XCTAssertEqual(rows[1].trimmingCharacters(in: .whitespaces), "abc abc abc abc abc")
        XCTAssertEqual(caret.x, 10)
        area.handle(.backspace); area.handle(.backspace)
        area.handle(.paste("abc abc abc "))
        let atEdge = EditorView.draw(area, in: Rect(x: 0, y: 0, width: 20, height: 3), style: .field, on: screen)
        XCTAssertEqual(atEdge, Point(x: 0, y: 2), "a caret after a full row starts a row of its own")
        XCTAssertEqual(screen.rowsText()[2].trimmingCharacters(in: .whitespaces), "")
    }
}
