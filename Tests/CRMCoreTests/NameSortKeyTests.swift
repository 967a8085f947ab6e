import CRMCore
import XCTest

final class NameSortKeyTests: XCTestCase {
    /// The letters a key compares first (before the separator).
    private func primary(_ name: String) -> String {
        String(NameSortKey.of(name).unicodeScalars.prefix { $0 != "\u{1}" })
    }

    func testLatinCaseAndAccentsOnlyBreakTies() {
        XCTAssertEqual(primary("Schäfer"), "schafer")
        XCTAssertEqual(primary("Maßmann"), "massmann")
        XCTAssertEqual(primary("Ølberg Æsir"), "olberg aesir")
        XCTAssertLessThan(NameSortKey.of("Schafer"), NameSortKey.of("Schäfer"))
        XCTAssertLessThan(NameSortKey.of("Schäfer"), NameSortKey.of("Schröder"))
        XCTAssertLessThan(NameSortKey.of("Ali"), NameSortKey.of("Ali Zand"))
        XCTAssertLessThan(NameSortKey.of("Ali Zand"), NameSortKey.of("Alia"))
    }

    func testPersianFormsAndMarksFold() {
        XCTAssertEqual(primary("علي"), primary("علی"))
        XCTAssertEqual(primary("كريم"), primary("کریم"))
        XCTAssertEqual(primary("مُحَمَّد"), primary("محمد"))
        XCTAssertEqual(primary("آرش"), primary("ارش"))
        XCTAssertEqual(primary("پیش‌فاکتور"), primary("پیشفاکتور"))
        XCTAssertLessThan(NameSortKey.of("زهرا"), NameSortKey.of("ژاله"))
        XCTAssertLessThan(NameSortKey.of("وحید"), NameSortKey.of("هادی"))
        XCTAssertLessThan(NameSortKey.of("بهرام"), NameSortKey.of("پریسا"))
        XCTAssertLessThan(NameSortKey.of("کاوه"), NameSortKey.of("گلناز"))
    }

    func testCyrillicAlphabet() {
        XCTAssertEqual(primary("Ёлка"), primary("елка"))
        XCTAssertLessThan(NameSortKey.of("Иван"), NameSortKey.of("Йод"))
        XCTAssertLessThan(NameSortKey.of("Йод"), NameSortKey.of("Кира"))
    }

    func testTheKeyEndsWithTheName() {
        for name in ["Schäfer", "علی", "张伟", "O'Brien"] {
            XCTAssertEqual(NameSortKey.name(from: NameSortKey.of(name)), name)
        }
    }
}
