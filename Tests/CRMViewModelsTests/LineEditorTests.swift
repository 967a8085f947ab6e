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

    // MARK: long and mixed text (the editor keeps an array of characters)

    /// A paste is inserted in one step; it must give what typing the same
    /// characters one by one gives, wherever the cursor is.
    func testPasteEqualsTypingTheSameCharacters() {
        let pastes = ["Mu\u{0308}ller", "\u{0308}ber", "王小明 محمد رضایی", "👨‍👩‍👧 family", "a\tb\r\nc\rd\ne",
                      "🇩🇪🇫🇷", "\u{0301}", "", "x"]
        let bases = ["", "u", "Anna Schmidt", "王小明", "محمد"]
        for base in bases {
            for at in 0...base.count {
                for paste in pastes {
                    var pasted = LineEditor(base)
                    pasted.moveCursor(to: at)
                    XCTAssertTrue(pasted.handle(.paste(paste)))
                    var typed = LineEditor(base)
                    typed.moveCursor(to: at)
                    for c in paste { typed.handle(.char(c)) }
                    XCTAssertEqual(pasted.text, typed.text, "\(base) + \(paste) at \(at)")
                    XCTAssertEqual(pasted.cursor, typed.cursor, "\(base) + \(paste) at \(at)")
                    XCTAssertEqual(pasted.characters, typed.characters, "\(base) + \(paste) at \(at)")
                }
            }
        }
    }

    func testPasteAfterAPlainLetterJoinsAMarkToIt() {
        var e = LineEditor("u")
        e.handle(.paste("\u{0308}ber"))
        XCTAssertEqual(e.text, "u\u{0308}ber")
        XCTAssertEqual(e.count, 4, "ü is one character")
        XCTAssertEqual(e.cursor, 4)
        XCTAssertEqual(e.characters, Array(e.text))
    }

    func testPasteInTheMiddleOfALongLine() {
        let long = String(repeating: "Lorem ipsum 王小明 محمد ", count: 400)
        var e = LineEditor(long)
        e.moveCursor(to: 1000)
        e.handle(.paste("[PASTED]"))
        XCTAssertEqual(e.cursor, 1008)
        XCTAssertEqual(e.count, long.count + 8)
        XCTAssertEqual(e.text, String(Array(long)[..<1000]) + "[PASTED]" + String(Array(long)[1000...]))
        e.handle(.backspace)
        XCTAssertEqual(e.textBeforeCursor.suffix(7), "[PASTED")
    }

    func testCursorAndWordMovesInChineseAndPersian() {
        var e = LineEditor("محمد رضایی 王小明 Müller")
        XCTAssertEqual(e.count, 21)
        keys([.ctrlLeft], &e); XCTAssertEqual(e.cursor, 15)
        keys([.ctrlLeft], &e); XCTAssertEqual(e.cursor, 11, "王小明 is one word of letters")
        keys([.altChar("b")], &e); XCTAssertEqual(e.cursor, 5)
        keys([.left, .left], &e); XCTAssertEqual(e.cursor, 3)
        keys([.ctrlRight], &e); XCTAssertEqual(e.cursor, 4)
        keys([.altChar("f")], &e); XCTAssertEqual(e.cursor, 10)
        keys([.right], &e); XCTAssertEqual(e.cursor, 11)
        keys([.altChar("d")], &e)
        XCTAssertEqual(e.text, "محمد رضایی  Müller")
        XCTAssertEqual(e.killBuffer, "王小明")
        keys([.ctrl("y")], &e)
        XCTAssertEqual(e.text, "محمد رضایی 王小明 Müller")
        XCTAssertEqual(e.cursor, 14)
    }

    func testKillKeysInWideAndCombiningText() {
        var e = LineEditor("王小明 Mu\u{0308}ller محمد")
        e.moveCursor(to: 10)   // after "Mu\u{0308}ller"
        keys([.ctrl("k")], &e)
        XCTAssertEqual(e.text, "王小明 Mu\u{0308}ller")
        XCTAssertEqual(e.killBuffer, " محمد")
        keys([.ctrl("w")], &e)
        XCTAssertEqual(e.text, "王小明 ")
        XCTAssertEqual(e.killBuffer, "Mu\u{0308}ller")
        keys([.ctrl("y"), .ctrl("a")], &e)
        XCTAssertEqual(e.cursor, 0)
        keys([.ctrl("e")], &e)
        XCTAssertEqual(e.cursor, 10)
        keys([.left, .left, .ctrl("u")], &e)
        XCTAssertEqual(e.text, "er")
        XCTAssertEqual(e.killBuffer, "王小明 Mu\u{0308}ll")
        XCTAssertEqual(e.cursor, 0)
    }

    func testTypingTenThousandCharactersCopiesNothingWhole() {
        // The editor never turns its whole text into a String on a key: only
        // `text` (a save, a search) does. TextWork counts it in debug builds.
        var e = LineEditor()
        TextWork.reset()
        for c in String(repeating: "Jürgen 王小明 محمد; ", count: 625).prefix(10_000) { e.handle(.char(c)) }
        XCTAssertEqual(e.count, 10_000)
        XCTAssertEqual(TextWork.charactersCopied, 0)
        _ = e.text
        #if DEBUG
        XCTAssertEqual(TextWork.charactersCopied, 10_000)
        #endif
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

/// A suggested value ("Follow up with Ann") is replaced by what is typed.
final class SuggestedLineTests: XCTestCase {
    func testTypingReplacesASuggestion() {
        var e = LineEditor(suggested: "Follow up with Ann")
        XCTAssertTrue(e.isSuggested)
        e.handle(.char("C")); e.handle(.char("a"))
        XCTAssertEqual(e.text, "Ca")
        XCTAssertFalse(e.isSuggested)
        e.handle(.char("l"))
        XCTAssertEqual(e.text, "Cal", "only the first key replaces")
    }

    func testBackspaceClearsASuggestionAndAMoveKeepsItForEditing() {
        var cleared = LineEditor(suggested: "Follow up with Ann")
        cleared.handle(.backspace)
        XCTAssertEqual(cleared.text, "")
        var kept = LineEditor(suggested: "Follow up with Ann")
        kept.handle(.left)
        XCTAssertFalse(kept.isSuggested)
        kept.handle(.char("!"))
        XCTAssertEqual(kept.text, "Follow up with An!n")
        var tabbed = LineEditor(suggested: "Call")
        XCTAssertFalse(tabbed.handle(.tab))
        XCTAssertTrue(tabbed.isSuggested, "a key the field does not use leaves the suggestion as it is")
        tabbed.handle(.paste("Send the offer"))
        XCTAssertEqual(tabbed.text, "Send the offer")
    }
}
