import CRMRepositories
import XCTest

/// The words a search marks in a row are the ones the engine matched: word
/// prefixes with folded letters, CJK runs anywhere, digits across punctuation.
final class SearchHighlightTests: XCTestCase {
    func marked(_ query: String, _ text: String) -> [String] {
        SearchHighlight(query).ranges(in: text).map { String(text[$0]) }
    }

    func phone(_ query: String, _ number: String) -> [String] {
        SearchHighlight(query).ranges(inPhone: number).map { String(number[$0]) }
    }

    func testWordPrefixesWithFoldedLetters() {
        XCTAssertEqual(marked("mül", "Jürgen Müller"), ["Mül"])
        XCTAssertEqual(marked("muller", "Jürgen Müller"), ["Müller"])
        XCTAssertEqual(marked("anna sch", "Anna Schmidt, Schulz"), ["Anna", "Sch", "Sch"])
        XCTAssertEqual(marked("ller", "Jürgen Müller"), [], "inside a word is no match")
        XCTAssertEqual(marked("acme", "j.mueller@acme.example"), ["acme"])
        // Arabic ي and ك find Persian ی and ک; the ZWNJ inside a word is nothing.
        XCTAssertEqual(marked("كريمي", "علی کریمی"), ["کریمی"])
        XCTAssertEqual(marked("پیش‌فاکتور", "ارسال پیشفاکتور"), ["پیشفاکتور"])
        XCTAssertEqual(marked("پیشفاکتور", "ارسال پیش‌فاکتور"), ["پیش‌فاکتور"])
        XCTAssertEqual(marked("۱۴۰۵", "Budget 1405"), ["1405"])
        XCTAssertEqual(marked("анна", "Анна Попова"), ["Анна"])
        XCTAssertEqual(marked("ελ", "Ελένη"), ["Ελ"])
        // A long note: the word at its end.
        let note = String(repeating: "سلام و احوال‌پرسی ", count: 600) + "پیش‌فاکتور ارسال شد"
        XCTAssertEqual(marked("پیشفاکتور", note), ["پیش‌فاکتور"])
    }

    func testCJKRunsAnywhere() {
        XCTAssertEqual(marked("秀英", "李秀英"), ["秀英"])
        XCTAssertEqual(marked("演示", "客户希望下周安排演示。"), ["演示"])
        XCTAssertEqual(marked("英国", "李秀英"), [])
    }

    func testDigitsInAPhoneNumberInAnyForm() {
        XCTAssertEqual(phone("9936679", "0171 9936679"), ["9936679"])
        XCTAssertEqual(phone("1719936", "0171 9936679"), ["171 9936"])
        XCTAssertEqual(phone("+49 171 9936679", "0171 9936679"), ["0171 9936679"])
        XCTAssertEqual(phone("00491719936679", "0171 9936679"), ["0171 9936679"])
        XCTAssertEqual(phone("0171 9936679", "+49 171 9936679"), ["171 9936679"])
        XCTAssertEqual(phone("۰۹۱۲۳۴۵", "0912 345 6789"), ["0912 345"])
        XCTAssertEqual(phone("anna", "0912 345 6789"), [])
    }

    /// QA 44: an address typed whole named the company, which shares one of
    /// its words, as what matched; the field most of the typed text is in wins.
    func testTheFieldMostOfTheTypedTextIsInIsTheMatch() {
        let match = ContactMatch.otherField(SearchHighlight("james.johnson@zagros-robotics.de"), company: "Zagros Robotics LLC",
                                            emails: ["james.johnson@zagros-robotics.de"], matchedPhone: nil, title: "",
                                            tags: [], source: "", notes: "")
        XCTAssertEqual(match.field, .email)
        XCTAssertEqual(match.text, "james.johnson@zagros-robotics.de")
        let company = ContactMatch.otherField(SearchHighlight("zagros"), company: "Zagros Robotics LLC",
                                              emails: ["j@zagros-robotics.de"], matchedPhone: nil, title: "", tags: [], source: "", notes: "")
        XCTAssertEqual(company.field, .company, "a tie: the company, first in the order")
    }
}
