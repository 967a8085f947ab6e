import CRMCore
import XCTest

/// How typed tags become stored ones: one per name whatever the case of
/// its letters, the first spelling typed, accents composed.
final class TagNameTests: XCTestCase {
    func testNamesThatDifferOnlyInCaseHaveOneKey() {
        XCTAssertEqual(TagName.key("Über"), TagName.key("ÜBER"))
        XCTAssertEqual(TagName.key("İstanbul"), TagName.key("istanbul"), "a dotted capital I is i, as PostgreSQL's lower()")
        XCTAssertEqual(TagName.key("u\u{0308}ber"), TagName.key("über"), "a decomposed accent is the same letter")
        XCTAssertNotEqual(TagName.key("uber"), TagName.key("über"), "case, not accents")
        XCTAssertEqual(TagName.key("VIP"), "vip")
    }

    func testAListKeepsTheFirstSpellingOfEachNameInTheOrderTyped() {
        XCTAssertEqual(TagName.unique(["Alfa", "ALFA", "Bravo", "BRAVO", "alfa"]), ["Alfa", "Bravo"])
        XCTAssertEqual(TagName.unique([" vip ", "", "  ", "VIP", "u\u{0308}ber", "Über"]), ["vip", "über"])
        XCTAssertEqual(TagName.unique(["u\u{0308}ber"]).first?.unicodeScalars.count, 4, "stored composed")
    }

    func testAKeyIsCaseAloneNotSpaces() {
        XCTAssertEqual(TagName.key(" VIP"), " vip", "trimming is stored()'s: a key is what crm_tag_key gives")
        XCTAssertEqual(TagName.key("ÄRGER"), "ärger")
    }
}
