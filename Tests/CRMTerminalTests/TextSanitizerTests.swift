import XCTest
@testable import CRMTerminal

final class TextSanitizerTests: XCTestCase {
    func testPlainTextUntouched() {
        for s in ["Müller", "Mu\u{0308}ller", "محمد رضایی", "王小明", "😀 ok", "می‌خواهم"] {
            XCTAssertEqual(TextSanitizer.singleLine(s), s)
        }
    }

    func testEscapeSequenceIsDefused() {
        let s = TextSanitizer.singleLine("Evil\u{1b}[31mRed\u{1b}]0;title\u{07}")
        XCTAssertEqual(s, "Evil␛[31mRed␛]0;title␇")
        XCTAssertFalse(s.unicodeScalars.contains { $0.value < 0x20 })
    }

    func testControlsBecomeControlPictures() {
        XCTAssertEqual(TextSanitizer.singleLine("a\u{0}b\u{8}c\u{7f}d"), "a␀b␈c␡d")
        XCTAssertEqual(TextSanitizer.singleLine("x\u{9b}2Jy\u{85}"), "x\u{FFFD}2Jy\u{FFFD}", "C1 CSI and NEL")
    }

    func testBidiOverridesAndIsolates() {
        XCTAssertEqual(TextSanitizer.singleLine("a\u{202E}cba\u{202C}"), "a\u{FFFD}cba\u{FFFD}")
        XCTAssertEqual(TextSanitizer.singleLine("\u{2066}x\u{2069}"), "\u{FFFD}x\u{FFFD}")
    }

    func testLineBreaksAndTabsInOneLine() {
        XCTAssertEqual(TextSanitizer.singleLine("one\ntwo\r\nthree\rfour\tfive"), "one⏎two⏎three⏎four five")
    }

    func testMultiLine() {
        XCTAssertEqual(TextSanitizer.lines("a\r\nb\u{1b}\nc"), ["a", "b␛", "c"])
    }
}
