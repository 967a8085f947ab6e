import CRMCore
import XCTest

final class SearchFoldTests: XCTestCase {
    func testEachLetterFormFolds() {
        let table: [(String, String)] = [
            ("\u{064A}", "\u{06CC}"), ("\u{0649}", "\u{06CC}"), ("\u{0626}", "\u{06CC}"),
            ("\u{0643}", "\u{06A9}"), ("\u{0629}", "\u{0647}"),
            ("\u{0623}", "\u{0627}"), ("\u{0625}", "\u{0627}"), ("\u{0622}", "\u{0627}"), ("\u{0671}", "\u{0627}"),
            ("\u{0624}", "\u{0648}"),
            ("علي كريمي", "علی کریمی"), ("يوسف", "یوسف"), ("فاطمة", "فاطمه"), ("أحمد", "احمد"),
            ("إبراهيم", "ابراهیم"), ("آرش", "ارش"), ("مؤمن", "مومن"), ("رئيس", "رییس"),
        ]
        for (input, expected) in table {
            XCTAssertEqual(SearchFold.fold(input), expected, input)
        }
    }

    func testMarksTatweelAndJoinersAreRemoved() {
        XCTAssertEqual(SearchFold.fold("محـــمد"), "محمد")
        XCTAssertEqual(SearchFold.fold("مُحَمَّدٌ"), "محمد")
        XCTAssertEqual(SearchFold.fold("رحمٰن"), "رحمن")
        XCTAssertEqual(SearchFold.fold("پیش\u{200C}فاکتور"), "پیشفاکتور")
        XCTAssertEqual(SearchFold.fold("a\u{200D}b"), "ab")
        for v in 0x064B...0x065F {
            XCTAssertEqual(SearchFold.fold("ب" + String(Unicode.Scalar(v)!)), "ب", String(v, radix: 16))
        }
    }

    func testIndexedTextAddsThePiecesOfJoinedWords() {
        XCTAssertEqual(SearchFold.indexed("علي كريمي"), "علی کریمی")
        XCTAssertEqual(SearchFold.indexed("Günter"), "Günter")
        XCTAssertEqual(SearchFold.indexed("درخواست پیش\u{200C}فاکتور جديد"),
                       "درخواست پیشفاکتور جدید پیش فاکتور")
        XCTAssertEqual(SearchFold.indexed("می\u{200C}خواهد\nكتاب\u{200C}ها"),
                       "میخواهد\nکتابها می خواهد کتاب ها")
    }

    func testDigitsBecomeASCII() {
        XCTAssertEqual(SearchFold.fold("۰۱۲۳۴۵۶۷۸۹"), "0123456789")
        XCTAssertEqual(SearchFold.fold("٠١٢٣٤٥٦٧٨٩"), "0123456789")
        XCTAssertEqual(SearchFold.fold("فاکتور ۱۴۰۲"), "فاکتور 1402")
    }

    func testEverythingElseIsUntouched() {
        for text in ["", "Günter Müller", "ÉCOLE", "张伟", "Иван", "😀 [x]", "ی ک ه ا و", "علی کریمی"] {
            XCTAssertEqual(SearchFold.fold(text), text)
        }
        // Folding is idempotent.
        let mixed = "علي كريمي ۱۲ أ\u{200C}ة"
        XCTAssertEqual(SearchFold.fold(SearchFold.fold(mixed)), SearchFold.fold(mixed))
    }

    /// A letter written as its base and a combining mark is the letter
    /// (schema 79); a Persian ه with hamza above keeps its mark, which the
    /// harakat fold drops, so "خانهٔ" is still found by "خانه".
    func testLettersWrittenWithACombiningMarkAreComposed() {
        XCTAssertEqual(SearchFold.fold("Сергеи\u{0306} И\u{0306}ошкин"), "Сергей Йошкин")
        XCTAssertEqual(SearchFold.fold("Киі\u{0308}в"), "Київ")
        XCTAssertEqual(SearchFold.fold("か\u{3099}っこう"), "がっこう")
        XCTAssertEqual(SearchFold.fold("\u{1112}\u{1161}\u{11AB}\u{1100}\u{1173}\u{11AF}"), "한글")
        XCTAssertEqual(SearchFold.fold("Mu\u{0308}ller"), "Müller")
        XCTAssertEqual(SearchFold.fold("خانه\u{0654}"), "خانه", "the hamza is dropped, not composed into ۀ")
        XCTAssertEqual(SearchFold.fold("خانه\u{0654} و\u{0306}"), "خانه و\u{0306}", "only the characters holding such a mark change")
        let text = "Пе\u{0308}тр и\u{0306} か\u{3099}"
        XCTAssertEqual(SearchFold.fold(SearchFold.fold(text)), SearchFold.fold(text))
        XCTAssertEqual(SearchFold.fold(text), "Петр й が")
    }
}
