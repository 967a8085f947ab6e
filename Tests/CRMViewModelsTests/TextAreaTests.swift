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

    func testMultiLinePasteInTheMiddleKeepsTheRestAfterIt() {
        var a = TextArea("Hello world\nsecond")
        a.moveCursor(row: 0, column: 6)
        a.handle(.paste("王小明\r\nمحمد\n\tend "))
        XCTAssertEqual(a.text, "Hello 王小明\nمحمد\n end world\nsecond")
        XCTAssertEqual(a.lines.count, 4)
        XCTAssertEqual(a.row, 2)
        XCTAssertEqual(a.column, 5, "after the pasted text, before the rest of the line")
        // The same as typing it key by key.
        var typed = TextArea("Hello world\nsecond")
        typed.moveCursor(row: 0, column: 6)
        for c in "王小明\nمحمد\n\tend " { typed.handle(c == "\n" ? .enter : .char(c)) }
        XCTAssertEqual(typed.text, a.text)
        XCTAssertEqual(typed.row, a.row)
        XCTAssertEqual(typed.column, a.column)
    }

    func testEnterAndBackspaceInWideTextRoundTrip() {
        var a = TextArea("王小明محمد")
        a.moveCursor(row: 0, column: 3)
        a.handle(.enter)
        XCTAssertEqual(a.text, "王小明\nمحمد")
        XCTAssertEqual(a.row, 1)
        XCTAssertEqual(a.column, 0)
        a.handle(.backspace)
        XCTAssertEqual(a.text, "王小明محمد")
        XCTAssertEqual(a.row, 0)
        XCTAssertEqual(a.column, 3)
        a.handle(.ctrl("k"))
        XCTAssertEqual(a.text, "王小明")
        XCTAssertEqual(a.killBuffer, "محمد")
    }

    func testJoiningLinesJoinsAMarkToTheLetterBeforeIt() {
        var a = TextArea("u\n\u{0308}ber")
        a.moveCursor(row: 0, column: 1)
        a.handle(.delete)
        XCTAssertEqual(a.text, "u\u{0308}ber")
        XCTAssertEqual(a.lines[0].count, 4, "ü is one character, as in the joined String")
        XCTAssertEqual(a.lines[0].characters, Array(a.text))
        XCTAssertEqual(a.column, 1)
    }

    func testTypingTenThousandCharactersCopiesNothingWhole() {
        var a = TextArea()
        TextWork.reset()
        let text = String(String(repeating: "Called 王小明 about قرارداد. ", count: 400).prefix(10_000))
        for c in text { a.handle(.char(c)) }
        a.handle(.enter)
        for c in "next line" { a.handle(.char(c)) }
        a.handle(.home)
        a.handle(.backspace)     // joins the 10,000-character line and "next line"
        XCTAssertEqual(a.lines.count, 1)
        XCTAssertEqual(a.column, 10_000)
        XCTAssertEqual(TextWork.charactersCopied, 0, "no key made a String of a whole line")
        XCTAssertEqual(a.text, text + "next line")
    }

    func testAFormComparesTextPerKeyOnlyForLookupFields() {
        // A form used to turn the focused field into a String before and after
        // every key (to update lookup choices): twice the note per key.
        let form = FormModel(title: "Note", fields: [FormField("body", label: "Text", kind: .multiline),
                                                     FormField("contact", label: "Contact")]) { _ in "ok" }
        var lookedUp: [String] = []
        form.lookups = ["contact": { text in lookedUp.append(text); return [] }]
        form.handle(.paste(String(repeating: "x", count: 10_000)))
        TextWork.reset()
        for _ in 0..<100 { form.handle(.char("y")) }
        XCTAssertEqual(TextWork.charactersCopied, 0)
        XCTAssertEqual(form["body"].count, 10_100)
        form.handle(.tab)
        form.handle(.char("M"))
        XCTAssertEqual(lookedUp.last, "M", "lookup fields still follow the text")
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
