import XCTest
@testable import CRMTerminal

/// Terminal input bytes to characters: a byte that is not UTF-8 becomes one
/// U+FFFD and nothing after it is lost.
final class UTF8InputTests: XCTestCase {
    func testLatin1ByteBecomesReplacementAndTheRestIsKept() {
        let latin1: [UInt8] = Array("caf".utf8) + [0xE9] + Array(" au lait".utf8)
        XCTAssertEqual(UTF8Input.decode(latin1), "caf\u{FFFD} au lait")
    }

    func testByteByByteGivesEachCharacterWhenItIsComplete() {
        var input = UTF8Input()
        XCTAssertEqual(input.feed(0xC3), [])
        XCTAssertTrue(input.isIncomplete)
        XCTAssertEqual(input.feed(0xA9), ["é"])
        XCTAssertEqual(input.feed(0xF0), [])
        XCTAssertEqual(input.feed(0x9F), [])
        XCTAssertEqual(input.feed(0x98), [])
        XCTAssertEqual(input.feed(0x80), ["😀"])
        XCTAssertFalse(input.isIncomplete)
        XCTAssertNil(input.finish())
    }

    func testABrokenSequenceGivesReplacementThenTheByteThatBrokeIt() {
        var input = UTF8Input()
        XCTAssertEqual(input.feed(0xE9), [])
        XCTAssertEqual(input.feed(0x1B), ["\u{FFFD}", "\u{1B}"], "an Esc after a lone lead byte is still Esc")
        XCTAssertEqual(input.feed(0xE2), [])
        XCTAssertEqual(input.feed(0x82), [])
        XCTAssertEqual(input.feed(0xC3), ["\u{FFFD}"], "a new lead byte ends the unfinished sequence")
        XCTAssertEqual(input.feed(0xBC), ["ü"])
    }

    func testInputThatStopsInTheMiddleOfACharacterEndsInReplacement() {
        var input = UTF8Input()
        _ = input.feed(0xE6)
        _ = input.feed(0x97)
        XCTAssertEqual(input.finish(), "\u{FFFD}")
        XCTAssertFalse(input.isIncomplete)
        XCTAssertEqual(input.feed(0x41), ["A"])
    }

    func testOverlongFormsSurrogatesAndValuesPastUnicodeAreRefused() {
        XCTAssertEqual(UTF8Input.decode([0xC0, 0xAF]), "\u{FFFD}\u{FFFD}")            // overlong "/"
        XCTAssertEqual(UTF8Input.decode([0xE0, 0x80, 0xAF]), "\u{FFFD}\u{FFFD}\u{FFFD}")
        XCTAssertEqual(UTF8Input.decode([0xED, 0xA0, 0x80]), "\u{FFFD}\u{FFFD}\u{FFFD}") // a surrogate
        XCTAssertEqual(UTF8Input.decode([0xF4, 0x90, 0x80, 0x80]), "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
        XCTAssertEqual(UTF8Input.decode([0xFF, 0x41]), "\u{FFFD}A")
    }

    /// The same replacements as Swift's own decoder, on many byte strings
    /// made to be mostly broken (a fixed seed: the same strings every run).
    func testAgreesWithSwiftsDecoderOnMixedInput() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
            return seed
        }
        let interesting: [UInt8] = [0x00, 0x1B, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0,
                                    0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        for _ in 0..<5_000 {
            let length = Int(next() % 12)
            let bytes = (0..<length).map { _ in
                next() % 2 == 0 ? interesting[Int(next() % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: next())
            }
            XCTAssertEqual(UTF8Input.decode(bytes), String(decoding: bytes, as: UTF8.self), "\(bytes)")
        }
    }
}
