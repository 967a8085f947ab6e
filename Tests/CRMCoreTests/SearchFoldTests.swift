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
}
