import XCTest
@testable import CRMViewModels

final class LineEditorTests: XCTestCase {
    private func type(_ s: String, into e: inout LineEditor) {
        for c in s { XCTAssertTrue(e.handle(.char(c))) }
    }

    private func keys(_ ks: [Key], _ e: inout LineEditor) {
        for k in ks { e.handle(k) }
    }

    func testTypingInsertsAtCursor() {
        var e = LineEditor()
        type("Mller", into: &e)
        keys([.home, .right], &e)
        type("ü", into: &e)
        XCTAssertEqual(e.text, "Müller")
        XCTAssertEqual(e.cursor, 2)
    }

    func testHomeEndAndCtrlAE() {
        var e = LineEditor("Anna Schmidt")
        keys([.ctrl("a")], &e); XCTAssertEqual(e.cursor, 0)
        keys([.ctrl("e")], &e); XCTAssertEqual(e.cursor, 12)
        keys([.home], &e); XCTAssertEqual(e.cursor, 0)
        keys([.left], &e); XCTAssertEqual(e.cursor, 0, "left at start stays")
        keys([.end, .right], &e); XCTAssertEqual(e.cursor, 12, "right at end stays")
    }

    func testKillToEndAndStartAndYank() {
        var e = LineEditor("hello brave world")
        e.moveCursor(to: 6)
        keys([.ctrl("k")], &e)
        XCTAssertEqual(e.text, "hello ")
        XCTAssertEqual(e.killBuffer, "brave world")
        keys([.ctrl("u")], &e)
        XCTAssertEqual(e.text, "")
        keys([.ctrl("y")], &e)
        XCTAssertEqual(e.text, "hello ")
    }

    func testCtrlWDeletesBlankDelimitedWord() {
        var e = LineEditor("mail anna@example.com  ")
        keys([.ctrl("w")], &e)
        XCTAssertEqual(e.text, "mail ")
        keys([.ctrl("w")], &e)
        XCTAssertEqual(e.text, "")
        keys([.ctrl("w")], &e)
        XCTAssertEqual(e.text, "")
    }

    func testWordMoves() {
        var e = LineEditor("Müller-Lüdenscheid GmbH")
        keys([.altChar("b")], &e); XCTAssertEqual(e.cursor, 19)
        keys([.ctrlLeft], &e); XCTAssertEqual(e.cursor, 7)
        keys([.ctrlLeft], &e); XCTAssertEqual(e.cursor, 0)
        keys([.altChar("f")], &e); XCTAssertEqual(e.cursor, 6)
        keys([.ctrlRight, .ctrlRight], &e); XCTAssertEqual(e.cursor, 23)
        keys([.altBackspace], &e)
        XCTAssertEqual(e.text, "Müller-Lüdenscheid ")
    }

    func testBackspaceAndDelete() {
        var e = LineEditor("王小明")
        keys([.backspace], &e); XCTAssertEqual(e.text, "王小")
        keys([.home, .delete], &e); XCTAssertEqual(e.text, "小")
        keys([.backspace], &e); XCTAssertEqual(e.text, "小", "backspace at start does nothing")
        keys([.end, .delete], &e); XCTAssertEqual(e.text, "小", "delete at end does nothing")
    }

    func testGraphemeClustersAreOneCharacter() {
        var e = LineEditor()
        // A terminal delivers "u" and the combining diaeresis as two keys.
        type("Mu", into: &e)
        e.handle(.char("\u{0308}"))
        type("ller", into: &e)
        XCTAssertEqual(e.text, "Mu\u{0308}ller")
        XCTAssertEqual(e.count, 6)
        keys([.home, .right, .right], &e)
        XCTAssertEqual(e.textBeforeCursor, "Mu\u{0308}")
        // Family emoji arriving scalar by scalar stays one character.
        var f = LineEditor()
        for s in "👨‍👩‍👧".unicodeScalars { f.handle(.char(Character(s))) }
        XCTAssertEqual(f.count, 1)
        keys([.backspace], &f)
        XCTAssertEqual(f.text, "")
    }

    func testPersianText() {
        var e = LineEditor()
        type("محمد رضایی", into: &e)
        XCTAssertEqual(e.count, 10)
        keys([.ctrl("w")], &e)
        XCTAssertEqual(e.text, "محمد ")
    }

    func testPasteAsManyCharsAndAsBracketedPaste() {
        var e = LineEditor("x")
        let long = String(repeating: "Lorem ipsum dolor sit amet, ", count: 200)
        type(long, into: &e)
        XCTAssertEqual(e.text, "x" + long)
        XCTAssertEqual(e.cursor, e.count)

        var p = LineEditor()
        XCTAssertTrue(p.handle(.paste("line one\nline\ttwo\r\nthree")))
        XCTAssertEqual(p.text, "line one line two three")
        type("\n", into: &p)
        XCTAssertEqual(p.text, "line one line two three ")
    }

    func testKeysLeftForTheForm() {
        var e = LineEditor("abc")
        for k: Key in [.enter, .tab, .backTab, .escape, .up, .down, .pageDown, .function(2), .ctrl("s")] {
            XCTAssertFalse(e.handle(k), "\(k) should not be consumed")
        }
        XCTAssertEqual(e.text, "abc")
    }

    func testSettingTextMovesCursorToEnd() {
        var e = LineEditor("abc")
        e.moveCursor(to: 1)
        e.text = "Zhang Wei"
        XCTAssertEqual(e.cursor, 9)
    }

    func testKeyLabels() {
        XCTAssertEqual(Key.char("j").label, "j")
        XCTAssertEqual(Key.char("?").label, "?")
        XCTAssertEqual(Key.char(" ").label, "Space")
        XCTAssertEqual(Key.enter.label, "Enter")
        XCTAssertEqual(Key.ctrl("k").label, "Ctrl-K")
        XCTAssertEqual(Key.pageDown.label, "PgDn")
        XCTAssertEqual(Key.function(5).description, "F5")
    }
}
