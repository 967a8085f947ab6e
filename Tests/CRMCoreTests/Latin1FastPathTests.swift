@testable import CRMCore
import Foundation
import XCTest

/// The import's shortcuts for ASCII and Latin-1 text (Latin1Text) give
/// exactly what the general code gives: each is compared here with the
/// general algorithm, written out as it was before the shortcut, on every
/// Latin-1 scalar and on many strings mixing them.
final class Latin1FastPathTests: XCTestCase {
    /// Every scalar below U+0100, alone and between letters and digits.
    private var samples: [String] {
        var out: [String] = []
        for v in 0..<256 {
            let s = String(Character(Unicode.Scalar(UInt8(v))))
            out += [s, "a\(s)b", "Günter\(s)Müller", "\(s)\(s)", "0\(s)9", "x\(s)", "\(s)+49 30 1234"]
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...12, using: &random)
            out.append(String(String.UnicodeScalarView((0..<length).map { _ in
                Unicode.Scalar(UInt8.random(in: [0x20, 0x2B, 0x30, 0x41, 0x61, 0x78, 0xC0, 0xDF, 0xE9].randomElement(using: &random)!...0xFF,
                                             using: &random))
            })))
        }
        out += ["Ada Lovelace 7", "Zoë García", "ÆSIR ÅSA", "ß", "Straße", "Müller, Günter", "  padded  ", "00 49 30", "+0049 30",
                "(0)30 1234", "1-800-FLOWERS", "ext. 12", "a.b@example.com", "x@y..z", "@a.de", "a@b", "a b@c.de", "a@.de", "a@b.c."]
        return out
    }

    func testNameKeyMatchesTheGeneralFolding() {
        for text in samples where Latin1Text.isLatin1(text) {
            let folded = SearchFold.fold(text).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            var words = folded.unicodeScalars
                .split { !($0.properties.isAlphabetic || $0.properties.numericType != nil) }
                .map { String(String.UnicodeScalarView($0)) }
            words.sort()
            XCTAssertEqual(DuplicateKey.name(text), words.joined(separator: " "), text.debugDescription)
        }
    }

    func testSortKeyMatchesTheGeneralPrimaryLetters() {
        for text in samples where Latin1Text.isLatin1(text) && !Latin1Text.isASCII(text) {
            var out = String.UnicodeScalarView()
            for scalar in SearchFold.fold(text).precomposedStringWithCanonicalMapping.unicodeScalars { NameSortKey.appendPrimary(scalar, to: &out) }
            out.append(NameSortKey.separator)
            out.append(contentsOf: text.unicodeScalars)
            XCTAssertEqual(NameSortKey.of(text), String(out), text.debugDescription)
        }
    }

    func testPhoneDigitsAndValidationMatchTheGeneralCode() {
        for text in samples where Latin1Text.isASCII(text) {
            var general = ""
            var sawDigit = false
            for scalar in text.unicodeScalars {
                if let d = PhoneNumber.asciiDigit(scalar) { general.append(d); sawDigit = true }
                else if scalar == "+" && !sawDigit && general.isEmpty { general.append("+") }
            }
            if general.hasPrefix("00") { general = "+" + general.dropFirst(2) }
            XCTAssertEqual(PhoneNumber.normalize(text), general, text.debugDescription)
            XCTAssertEqual(PhoneNumber.digits(text), general.filter(\.isNumber), text.debugDescription)
            let number = PhoneNumber(text).number
            let allowed = CharacterSet(charactersIn: "+-()./ ").union(.decimalDigits)
            // Letters only in an extension at the end ("ext 12", "x12", ";ext=12").
            let bad = PhoneNumber.withoutExtension(number).unicodeScalars.contains(where: { !allowed.contains($0) })
            let digits = general.filter(\.isNumber).count
            let expectedValid = !bad && digits >= 3 && digits <= 20
            XCTAssertEqual(PhoneNumber(text).validate(field: "phone").isEmpty, expectedValid, text.debugDescription)
            XCTAssertEqual(number, text.trimmingCharacters(in: .whitespaces))
        }
    }

    func testEmailSyntaxMatchesTheGeneralCheck() {
        for text in samples + samples.map({ "user\($0)@example.com" }) + samples.map({ "a@\($0).de" }) where Latin1Text.isASCII(text) {
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            var expected = parts.count == 2 && !parts[0].isEmpty && parts[1].count >= 3
                && !text.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" })
            if expected {
                let domain = parts[1]
                if let dot = domain.lastIndex(of: "."), dot != domain.startIndex, domain.index(after: dot) != domain.endIndex {
                    expected = !domain.hasPrefix(".") && !domain.contains("..")
                } else {
                    expected = false
                }
            }
            XCTAssertEqual(EmailAddress.isValid(text), expected, text.debugDescription)
        }
    }

    func testTrimmingAndLengthsMatch() {
        for text in samples {
            XCTAssertEqual(Latin1Text.trimmed(text, .whitespacesAndNewlines), text.trimmingCharacters(in: .whitespacesAndNewlines))
            for limit in [0, 1, 3, 10] { XCTAssertEqual(Latin1Text.fits(text, limit), text.count <= limit) }
        }
        XCTAssertTrue(Latin1Text.contains("+49 (0)30", ascii: "(0)"))
        XCTAssertFalse(Latin1Text.contains("+49 (30) 0", ascii: "(0)"))
    }
}
