@testable import CRMExchange
import Foundation
import XCTest

/// The mail reader on hand-written fixture mails (Fixtures/Mail) and on
/// small inputs made here: headers, encoded words, MIME, charsets, HTML,
/// mbox, and every way a mail can be unreadable.
final class MailReaderTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Mail")

    func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
    }

    func message(_ name: String) throws -> MailMessage {
        let messages = try Mailbox.messages(fixture(name))
        XCTAssertEqual(messages.count, 1)
        return messages[0]
    }

    func utc(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: text)!
    }

    func testPlainMail() throws {
        let m = try message("plain.eml")
        XCTAssertEqual(m.from, [MailAddress(name: "Erika Huber", address: "erika@huber.example")])
        XCTAssertEqual(m.to, [MailAddress(name: "Sara Ahmadi", address: "sara@crm-team.example")])
        XCTAssertEqual(m.subject, "Question about the renewal")
        XCTAssertEqual(m.date, utc("2026-11-24T08:15:00Z"))
        XCTAssertEqual(m.messageID, "plain-1@huber.example")
        XCTAssertEqual(m.body, "Hello Sara,\n\ncould you send me the renewal offer for next year?\n\nThanks,\nErika")
        XCTAssertNil(m.automated)
    }

    func testQuotedPrintableLatin1SubjectAndBodyWithCRLF() throws {
        let m = try message("latin1-subject.eml")
        XCTAssertEqual(m.from.first?.name, "Günter Müller")
        XCTAssertEqual(m.subject, "Angebot für die Müller GmbH")
        XCTAssertEqual(m.date, utc("2026-11-25T13:30:05Z"), "a comment after the zone is ignored")
        XCTAssertEqual(m.body, """
            Guten Tag,

            vielen Dank für das Angebot. Die Preise für 2027 sind in Ordnung; bitte schicken Sie uns die Auftragsbestätigung.

            Grüße
            Günter Müller
            """, "soft line breaks joined, =XX read in ISO-8859-1, no CR left")
    }

    func testBase64PersianBodyAndASubjectSplitInsideACharacter() throws {
        let m = try message("persian-base64.eml")
        XCTAssertEqual(m.from, [MailAddress(name: "رضا کریمی", address: "reza@karimi.example")])
        XCTAssertEqual(m.subject, "درخواست پیش‌فاکتور", "two B words joined as bytes before decoding")
        XCTAssertEqual(m.date, utc("2026-11-26T04:30:00Z"), "+0330, Tehran")
        XCTAssertEqual(m.body, "سلام خانم احمدی،\n\nلطفاً پیش‌فاکتور را برای ما بفرستید.\n\nبا سپاس\nرضا کریمی")
    }

    func testHTMLOnlyMailIsReducedToText() throws {
        let m = try message("html-only.eml")
        XCTAssertEqual(m.from, [MailAddress(name: "Li, Wei", address: "wei.li@lichen.example")], "a quoted comma stays in the name")
        XCTAssertEqual(m.date, utc("2026-11-27T10:00:00Z"), "no weekday, no seconds, GMT")
        XCTAssertEqual(m.body, """
            Hello Sara,

            thanks for the meeting & the demo.
            Price: 12 500 €
            München, 上海

            Best,
            Wei
            """)
    }

    func testMailingListAndRobotsAreNamed() throws {
        XCTAssertEqual(try message("list.eml").automated, "it came from a mailing list (List-Id: Customers <customers.lists.crm-team.example>)")
        func headers(_ text: String) throws -> MailMessage { try MailMessage.parse(Array("From: a@b.example\n\(text)\n\nx\n".utf8)) }
        XCTAssertEqual(try headers("Auto-Submitted: auto-replied").automated, "it was sent automatically (Auto-Submitted: auto-replied)")
        XCTAssertNil(try headers("Auto-Submitted: no").automated)
        XCTAssertEqual(try headers("Precedence: bulk").automated, "it was sent in bulk (Precedence: bulk)")
    }

    func testOutgoingAddressLists() throws {
        let m = try message("outgoing.eml")
        XCTAssertEqual(m.to, [MailAddress(name: "Huber, Erika", address: "erika@huber.example")])
        XCTAssertEqual(m.cc, [MailAddress(name: "Günter Müller", address: "guenter@mueller.example"),
                              MailAddress(address: "boss@crm-team.example")])
    }

    func testMboxOfThreeWithNestedMultipartAndEscapedFromLines() throws {
        let messages = try Mailbox.messages(fixture("three.mbox"))
        XCTAssertEqual(messages.map(\.subject), ["First", "Second", "Third"])
        XCTAssertEqual(messages.map(\.messageID), ["mbox-1@huber.example", "mbox-2@mueller.example", "mbox-3@karimi.example"])
        XCTAssertEqual(messages[0].body, "One.\nFrom the start, we liked it.\n>From here too.", ">From unescaped by one")
        XCTAssertEqual(messages[1].from, [MailAddress(name: "Günter Müller", address: "guenter@mueller.example")],
                       "the name from a comment")
        XCTAssertEqual(messages[1].body, "Two, in plain text: Grüße.", "plain alternative chosen, the attachment left out")
        XCTAssertEqual(messages[2].body, "Three.")
        XCTAssertEqual(messages.map(\.line), [2, 13, 43])
    }

    func testUnreadableInputsSayWhereAndWhat() throws {
        func error(_ name: String) throws -> MailError {
            do {
                _ = try Mailbox.messages(fixture(name))
            } catch let error as MailError {
                return error
            }
            XCTFail("\(name) was read")
            return MailError("")
        }
        XCTAssertEqual(try error("no-from.eml").description, "line 1: the mail has no From header; expected From: name@example.com")
        let truncated = try error("truncated.mbox")
        XCTAssertEqual(truncated.messageNumber, 2)
        XCTAssertTrue(truncated.description.hasPrefix("message 2, line 17: the mail is cut off"), truncated.description)
        XCTAssertEqual(try error("invalid-utf8-header.eml").description,
                       "line 2: the Subject header is not valid UTF-8; expected ASCII with RFC 2047 encoded words (=?charset?Q?...?=) or UTF-8")
        XCTAssertEqual(try error("not-a-mail.txt").description,
                       "line 1: this is not a mail: expected header fields such as \"From: name@example.com\"")
        XCTAssertThrowsError(try Mailbox.messages([]))
        XCTAssertThrowsError(try Mailbox.messages(Array("From: a@b.example\nSubject: cut".utf8)), "ends inside the header")
        XCTAssertThrowsError(try Mailbox.messages(Array("From: nobody\n\nx\n".utf8)), "a From without an address")
    }

    func testEncodedWords() {
        XCTAssertEqual(EncodedWords.decode("=?iso-8859-1?q?caf=E9?= au lait"), "café au lait")
        XCTAssertEqual(EncodedWords.decode("=?UTF-8?Q?a?= =?UTF-8?Q?b?=  plain =?UTF-8?Q?c?="), "ab  plain c")
        XCTAssertEqual(EncodedWords.decode("=?windows-1251?B?z/Do4uXy?="), "Привет")
        XCTAssertEqual(EncodedWords.decode("=?koi8-r?Q?=F0=D2=C9=D7=C5=D4?="), "Привет")
        XCTAssertEqual(EncodedWords.decode("=?UTF-8*en?Q?hello?="), "hello", "RFC 2231 language")
        // Broken or unknown: kept, or read as UTF-8, never a crash.
        XCTAssertEqual(EncodedWords.decode("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=")
        XCTAssertEqual(EncodedWords.decode("=?UTF-8?Q?no end"), "=?UTF-8?Q?no end")
        XCTAssertEqual(EncodedWords.decode("=?no-such-charset?Q?ok?="), "ok")
        XCTAssertEqual(EncodedWords.decode("=?UTF-8?B?/w==?="), "\u{FFFD}", "an invalid byte becomes U+FFFD")
        XCTAssertEqual(EncodedWords.decode("=?Shift_JIS?B?k/qWe4zq?="), "日本語")
    }

    func testAddressLists() {
        XCTAssertEqual(MailAddress.list("a@x.example, \"B, C\" <b@y.example>, Team: d@z.example, e@z.example;, (only a comment)"),
                       [MailAddress(address: "a@x.example"), MailAddress(name: "B, C", address: "b@y.example"),
                        MailAddress(address: "d@z.example"), MailAddress(address: "e@z.example")])
        XCTAssertEqual(MailAddress.list("=?UTF-8?B?2LHYttin?= <reza@x.example>"), [MailAddress(name: "رضا", address: "reza@x.example")])
        XCTAssertEqual(MailAddress.list("\"quoted \\\"inner\\\"\" <q@x.example>"), [MailAddress(name: "quoted \"inner\"", address: "q@x.example")])
        XCTAssertEqual(MailAddress.list("undisclosed-recipients:;"), [])
    }

    func testDates() {
        XCTAssertEqual(MailDate.parse("Fri, 21 Nov 1997 09:55:06 -0600"), utc("1997-11-21T15:55:06Z"))
        XCTAssertEqual(MailDate.parse("21 Nov 97 09:55:06 EST"), utc("1997-11-21T14:55:06Z"))
        XCTAssertEqual(MailDate.parse("Mon, 1 Dec 2026 23:59 +0000"), utc("2026-12-01T23:59:00Z"))
        XCTAssertNil(MailDate.parse("yesterday"))
        XCTAssertNil(MailDate.parse("Mon, 41 Dec 2026 23:59 +0000"))
        XCTAssertNil(MailDate.parse("1 Foo 2026 10:00"))
    }

    func testTransferEncodingsAndCharsetsNeverTrap() {
        XCTAssertEqual(TransferDecoding.quotedPrintable(Array("a=3Db=\nc=ZZ=".utf8)), Array("a=bc=ZZ".utf8))
        XCTAssertEqual(TransferDecoding.base64(Array("aGVs\nbG8=".utf8)), Array("hello".utf8))
        XCTAssertEqual(TransferDecoding.base64(Array("!!!".utf8)), [])
        XCTAssertEqual(MailCharset.decode([0xE4], charset: "iso-8859-1"), "ä")
        XCTAssertEqual(MailCharset.decode([0xD6, 0xD0, 0xCE, 0xC4], charset: "gb2312"), "中文")
        XCTAssertEqual(MailCharset.decode([0xFF, 0x41], charset: "utf-8"), "\u{FFFD}A")
        XCTAssertEqual(MailCharset.decode([0x41], charset: String(repeating: "x", count: 500)), "A")
        // Random bytes through the whole reader: an answer or a MailError, never a trap.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = Array("From: a@b.example\nContent-Type: multipart/mixed; boundary=q\n\n--q\n".utf8)
            bytes += (0..<Int.random(in: 0..<300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? Mailbox.messages(bytes)
        }
    }

    func testDeeplyNestedMultipartsStopAtTheLimit() throws {
        var text = "From: a@b.example\nContent-Type: multipart/mixed; boundary=b0\n\n"
        for i in 0..<200 { text += "--b\(i)\nContent-Type: multipart/mixed; boundary=b\(i + 1)\n\n" }
        text += "--b200\n\ndeep\n--b200--\n"
        for i in (0..<200).reversed() { text += "--b\(i)--\n" }
        XCTAssertEqual(try MailMessage.parse(Array(text.utf8)).body, "")
    }
}

/// Inputs made to be slow or odd: each is read in one pass.
final class MailReaderEdgeTests: XCTestCase {
    func testManyAngleBracketsWithoutATagAndHugeEncodedWords() throws {
        let html = "<p>" + String(repeating: "a < b ", count: 50_000)
        XCTAssertEqual(HTMLText.plain(html).count, 50_000 * 6 - 1)
        let header = String(repeating: "=?x?q?" + String(repeating: "a", count: 100), count: 5_000)
        XCTAssertEqual(EncodedWords.decode(header), header)
        XCTAssertEqual(HTMLText.plain("<SCRIPT>x</Script>after<STYLE>y"), "after")
        let flowed = try MailMessage.parse(Array("From: a@b.example\nContent-Type: text/plain; format=flowed\n\nOne long \nparagraph, \n From here.\n\n-- \nSara\n".utf8))
        XCTAssertEqual(flowed.body, "One long paragraph, From here.\n\n--\nSara")
        let leading = try Mailbox.messages(Array("\n\r\nFrom: a@b.example\nSubject: s\n\nbody\n".utf8))
        XCTAssertEqual(leading.map(\.subject), ["s"])
        XCTAssertEqual(leading.first?.line, 3)
    }

    /// A NUL in a mail (a broken byte) is shown as U+FFFD: the text after it
    /// is kept, and the interaction it becomes can be stored whole.
    func testANULInAMailIsABrokenByteNotTheEndOfTheText() throws {
        let mail = try MailMessage.parse(Array("From: zahra@pars.example\nSubject: nul\u{0}body\n\nline one\u{0}hidden rest\n".utf8))
        XCTAssertEqual(mail.body, "line one\u{FFFD}hidden rest")
        XCTAssertEqual(mail.subject, "nul\u{FFFD}body")
    }
}
