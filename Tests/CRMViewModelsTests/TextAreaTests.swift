import XCTest
@testable import CRMViewModels

final class TextAreaTests: XCTestCase {
    private func type(_ s: String, _ a: inout TextArea) {
        for c in s { a.handle(c == "\n" ? .enter : .char(c)) }
    }

    func testEnterSplitsAndTextJoins() {
        var a = TextArea()
        type("Called Frau Müller\nwants a quote", &a)
        XCTAssertEqual(a.lines.count, 2)
        XCTAssertEqual(a.text, "Called Frau Müller\nwants a quote")
        XCTAssertEqual(a.row, 1)
        XCTAssertEqual(a.column, 13)
        a.handle(.home)
        a.handle(.enter)
        XCTAssertEqual(a.text, "Called Frau Müller\n\nwants a quote")
        XCTAssertEqual(a.row, 2)
        XCTAssertEqual(a.column, 0)
    }

    func testBackspaceAtLineStartJoins() {
        var a = TextArea("abc\ndef")
        a.moveCursor(row: 1, column: 0)
        a.handle(.backspace)
        XCTAssertEqual(a.text, "abcdef")
        XCTAssertEqual(a.row, 0)
        XCTAssertEqual(a.column, 3)
        a.handle(.backspace)
        XCTAssertEqual(a.text, "abdef")
    }

    func testDeleteAndCtrlKAtLineEndJoin() {
        var a = TextArea("ab\ncd\nef")
        a.moveCursor(row: 0, column: 2)
        a.handle(.delete)
        XCTAssertEqual(a.text, "abcd\nef")
        a.handle(.end)
        a.handle(.ctrl("k"))
        XCTAssertEqual(a.text, "abcdef")
        a.moveCursor(row: 0, column: 2)
        a.handle(.ctrl("k"))
        XCTAssertEqual(a.text, "ab")
        a.handle(.ctrl("y"))
        XCTAssertEqual(a.text, "abcdef")
    }

    func testUpDownKeepGoalColumn() {
        var a = TextArea("a long first line\nshort\nanother long line")
        a.moveCursor(row: 0, column: 10)
        XCTAssertTrue(a.handle(.down))
        XCTAssertEqual(a.row, 1)
        XCTAssertEqual(a.column, 5)
        XCTAssertTrue(a.handle(.down))
        XCTAssertEqual(a.row, 2)
        XCTAssertEqual(a.column, 10)
        XCTAssertFalse(a.handle(.down), "Down on the last line is left to the form")
        XCTAssertTrue(a.handle(.up))
        XCTAssertTrue(a.handle(.up))
        XCTAssertEqual(a.column, 10)
        XCTAssertFalse(a.handle(.up))
    }

    func testLeftRightCrossLines() {
        var a = TextArea("ab\ncd")
        a.moveCursor(row: 1, column: 0)
        a.handle(.left)
        XCTAssertEqual(a.row, 0); XCTAssertEqual(a.column, 2)
        a.handle(.right)
        XCTAssertEqual(a.row, 1); XCTAssertEqual(a.column, 0)
    }

    func testLineKeysWorkWithinALine() {
        var a = TextArea("first\nsecond line here")
        a.handle(.ctrl("w"))
        XCTAssertEqual(a.text, "first\nsecond line ")
        a.handle(.ctrl("a"))
        a.handle(.ctrl("k"))
        XCTAssertEqual(a.text, "first\n")
        a.handle(.ctrl("y"))
        XCTAssertEqual(a.text, "first\nsecond line ")
    }

    func testPasteKeepsLineBreaks() {
        var a = TextArea("Note: ")
        a.handle(.paste("محمد رضایی called\r\n王小明 too\rend"))
        XCTAssertEqual(a.text, "Note: محمد رضایی called\n王小明 too\nend")
        XCTAssertEqual(a.row, 2)
        XCTAssertEqual(a.column, 3)
    }

    func testSetTextAndEmpty() {
        var a = TextArea()
        XCTAssertEqual(a.text, "")
        XCTAssertEqual(a.lines.count, 1)
        a.text = "x\n"
        XCTAssertEqual(a.lines.count, 2)
        XCTAssertEqual(a.row, 1)
        XCTAssertFalse(a.handle(.tab))
    }
}
