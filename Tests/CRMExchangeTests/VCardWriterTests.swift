import CRMCore
import CRMExchange
import CRMRepositories
import Foundation
import XCTest

final class VCardWriterTests: XCTestCase {
    let created = Date(timeIntervalSince1970: 1_700_000_000)
    let updated = Date(timeIntervalSince1970: 1_732_000_000)

    func row(_ name: String, notes: String = "", emails: [EmailAddress] = [], phones: [PhoneNumber] = [],
             tags: [String] = [], company: String? = nil, title: String = "") -> ExportContact {
        ExportContact(contact: Contact(id: 42, name: name, title: title, emails: emails, phones: phones, tags: tags,
                                       notes: notes, createdAt: created, updatedAt: updated, version: 1),
                      companyName: company, ownerLogin: "sara")
    }

    /// Physical lines of a card: CRLF-separated, the last one empty.
    func physicalLines(_ card: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        let bytes = Array(card.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { lines.append([]); i += 2; continue }
            lines[lines.count - 1].append(bytes[i]); i += 1
        }
        return lines
    }

    func testALongPersianNoteFoldsAt75OctetsNeverInsideACharacterAndUnfoldsBack() throws {
        // 200 characters of Persian (2 octets each in UTF-8) and a few ASCII.
        let word = "یادداشت‌های جلسه با مشتری "
        var note = ""
        while note.count < 200 { note += word }
        note = String(note.prefix(200))
        let card = VCardWriter().card(row("مریم رضایی", notes: note))
        XCTAssertTrue(card.hasSuffix("END:VCARD\r\n"))
        let lines = physicalLines(card)
        XCTAssertEqual(lines.last, [], "every line ends with CRLF")
        var folded = 0
        for line in lines.dropLast() {
            XCTAssertLessThanOrEqual(line.count, 75, String(decoding: line, as: UTF8.self))
            // Each physical line is whole UTF-8 on its own: no sequence is cut.
            XCTAssertNotNil(String(validating: line, as: UTF8.self), "a fold split a UTF-8 sequence: \(line)")
            if line.first == 0x20 { folded += 1 }
        }
        XCTAssertGreaterThanOrEqual(folded, 5, "a 400-octet note takes several continuation lines")
        let unfolded = VCardFolding.unfold(card)
        let noteLine = try XCTUnwrap(unfolded.components(separatedBy: "\r\n").first { $0.hasPrefix("NOTE:") })
        XCTAssertEqual(String(noteLine.dropFirst(5)), note)
    }

    func testFoldingCountsOctetsAndTheLeadingSpace() {
        let line = String(repeating: "a", count: 75 + 74 + 3)
        XCTAssertEqual(VCardFolding.fold(line), String(repeating: "a", count: 75) + "\r\n " + String(repeating: "a", count: 74) + "\r\n aaa\r\n")
        XCTAssertEqual(VCardFolding.fold(String(repeating: "b", count: 75)), String(repeating: "b", count: 75) + "\r\n")
        // A 4-octet character straddling octet 75 moves whole to the next line.
        let emoji = String(repeating: "c", count: 73) + "😀" + "d"
        XCTAssertEqual(VCardFolding.fold(emoji), String(repeating: "c", count: 73) + "\r\n 😀d\r\n")
        XCTAssertEqual(VCardFolding.unfold(VCardFolding.fold(emoji)), emoji + "\r\n")
    }

    func testTextIsEscapedAndLineBreaksBecomeBackslashN() {
        XCTAssertEqual(VCardWriter.escape("a,b;c\\d\r\ne\nf\rg"), "a\\,b\\;c\\\\d\\ne\\nf\\ng")
        let card = VCardWriter().card(row("Müller, Günter", notes: "Zeile 1\nZeile 2; mit, Kommas",
                                          tags: ["vip", "Messe 2024"], company: "Granite Bau; GmbH", title: "CTO, Berlin"))
        XCTAssertTrue(card.contains("\r\nFN:Müller\\, Günter\r\n"))
        XCTAssertTrue(card.contains("\r\nN:Müller;Günter;;;\r\n"))
        XCTAssertTrue(card.contains("\r\nORG:Granite Bau\\; GmbH\r\n"))
        XCTAssertTrue(card.contains("\r\nTITLE:CTO\\, Berlin\r\n"))
        XCTAssertTrue(card.contains("\r\nNOTE:Zeile 1\\nZeile 2\\; mit\\, Kommas\r\n"))
        XCTAssertTrue(card.contains("\r\nCATEGORIES:vip,Messe 2024\r\n"))
    }

    func testTitlesGoInTheirOwnComponentsAndReadBackAddNothingToTheNote() throws {
        let folder = try TempFolder()
        let names = ["Dr. Erika Mustermann", "John Smith, Jr.", "Günter Müller Sen.", "Müller, Günter", "Prof. Dr. Anna Maria Schmidt"]
        let cards = names.map { VCardWriter(version: .v4).card(row($0)) }
        XCTAssertTrue(cards[0].contains("\r\nN:Mustermann;Erika;;Dr.;\r\n"), cards[0])
        XCTAssertTrue(cards[2].contains("\r\nN:Müller;Günter;;;Sen.\r\n"), cards[2])
        let read = records(try readAll(VCardImportReader(path: folder.write("back.vcf", cards.joined()))))
        XCTAssertEqual(read.map(\.name), names, "the name as stored")
        XCTAssertEqual(read.map(\.notesWithExtras), Array(repeating: "", count: names.count), "N says nothing FN does not")
    }

    /// QA 45 FA #6, IO #11: a number typed in Persian digits is written in
    /// ASCII ones; a Persian label that means mobile is cell; "work fax" is
    /// both kinds.
    func testPhonesAreDialableAndTheirKindsRead() {
        let r = row("سارا", phones: [PhoneNumber("۰۹۱۲ ۳۴۵ ۶۷۸۹", label: "موبایل"), PhoneNumber("٠٢١ ٨٨٨٨", label: "work fax"),
                                      PhoneNumber("030 1", label: "")])
        let v4 = VCardWriter(version: .v4).card(r)
        XCTAssertTrue(v4.contains("\r\nTEL;TYPE=cell:0912 345 6789\r\n"), v4)
        XCTAssertTrue(v4.contains("\r\nTEL;TYPE=work,fax:021 8888\r\n"), v4)
        XCTAssertTrue(v4.contains("\r\nTEL:030 1\r\n"), v4)
    }

    func testVersion4AndVersion3Differ() {
        let r = row("Li Wei", emails: [EmailAddress("li@example.cn", label: "work")],
                    phones: [PhoneNumber("+86 10 6552 9988", label: "mobile"), PhoneNumber("010 1234", label: "Büro \"2\"")])
        let v4 = VCardWriter(version: .v4).card(r)
        let v3 = VCardWriter(version: .v3).card(r)
        XCTAssertTrue(v4.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\n"))
        XCTAssertTrue(v3.hasPrefix("BEGIN:VCARD\r\nVERSION:3.0\r\n"))
        // A TEL is text by default in 4.0 too (RFC 6350 6.4.1); abook read no
        // number from "TEL;VALUE=text:" (QA 45 IO #6).
        XCTAssertTrue(v4.contains("\r\nTEL;TYPE=cell:+86 10 6552 9988\r\n"))
        XCTAssertTrue(v3.contains("\r\nTEL;TYPE=cell:+86 10 6552 9988\r\n"))
        XCTAssertTrue(v3.contains("\r\nTEL;TYPE=\"x-Büro 2\":010 1234\r\n"))
        // Read back, a label of one's own comes back as it was written (no x-).
        for card in [v3, v4] {
            let folder = try! TempFolder()
            let path = try! folder.write("own.vcf", card)
            let back = records(try! readAll(VCardImportReader(path: path)))
            XCTAssertEqual(back.first?.phones.map(\.label), ["mobile", "büro 2"], card)
        }
        XCTAssertTrue(v4.contains("\r\nEMAIL;TYPE=work:li@example.cn\r\n"))
        // REV: RFC 6350 timestamp vs RFC 2426 ISO 8601.
        XCTAssertTrue(v4.contains("\r\nREV:20241119T070640Z\r\n"))
        XCTAssertTrue(v3.contains("\r\nREV:2024-11-19T07:06:40Z\r\n"))
        XCTAssertEqual(v4.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") },
                       v3.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") })
    }

    func testTheUIDIsAStableUUIDPerContact() {
        let a = VCardWriter.uid(row("A").contact)
        XCTAssertEqual(a, VCardWriter.uid(row("A renamed").contact))
        var other = row("A").contact
        other.id = 43
        XCTAssertNotEqual(a, VCardWriter.uid(other))
        XCTAssertNotNil(UUID(uuidString: String(a.dropFirst("urn:uuid:".count))), a)
        let version = a[a.index(a.startIndex, offsetBy: "urn:uuid:".count + 14)]
        XCTAssertEqual(version, "8")
    }

    func testNameSplits() {
        XCTAssertEqual(PersonName.split("Günter Müller"), .init(family: "Müller", given: "Günter"))
        XCTAssertEqual(PersonName.split("Müller, Günter"), .init(family: "Müller", given: "Günter"))
        XCTAssertEqual(PersonName.split("Ludwig van Beethoven"), .init(family: "van Beethoven", given: "Ludwig"))
        XCTAssertEqual(PersonName.split("Anna Maria Schmidt"), .init(family: "Schmidt", given: "Anna", additional: "Maria"))
        XCTAssertEqual(PersonName.split("王小明"), .init(family: "王", given: "小明"))
        // Family name first, with a space, in Japanese, Chinese and Korean.
        XCTAssertEqual(PersonName.split("田中 花子"), .init(family: "田中", given: "花子"))
        XCTAssertEqual(PersonName.split("鈴木 さくら"), .init(family: "鈴木", given: "さくら"))
        XCTAssertEqual(PersonName.split("王 小明"), .init(family: "王", given: "小明"))
        XCTAssertEqual(PersonName.split("김 민준"), .init(family: "김", given: "민준"))
        XCTAssertEqual(PersonName.split("محمد رضایی"), .init(family: "رضایی", given: "محمد"))
        XCTAssertEqual(PersonName.split("Cher"), .init(given: "Cher"))
        XCTAssertEqual(PersonName.split("Zoë O'Brien, Jr."), .init(family: "O'Brien", given: "Zoë", suffix: "Jr."))
        XCTAssertEqual(PersonName.split("Schmidt, Anna, PhD"), .init(family: "Schmidt", given: "Anna", suffix: "PhD"))
        XCTAssertEqual(PersonName.split("  "), .init())
        // Titles before and after, as people write them.
        XCTAssertEqual(PersonName.split("Dr. Erika Mustermann"), .init(family: "Mustermann", given: "Erika", prefix: "Dr."))
        XCTAssertEqual(PersonName.split("Prof. Dr. Anna Maria Schmidt"),
                       .init(family: "Schmidt", given: "Anna", additional: "Maria", prefix: "Prof. Dr."))
        XCTAssertEqual(PersonName.split("Günter Müller Sen."), .init(family: "Müller", given: "Günter", suffix: "Sen."))
        XCTAssertEqual(PersonName.split("John Smith Jr."), .init(family: "Smith", given: "John", suffix: "Jr."))
        XCTAssertEqual(PersonName.split("Frau Müller"), .init(family: "Müller", prefix: "Frau"))
        XCTAssertEqual(PersonName.split("Dr. Müller, Jr."), .init(family: "Müller", suffix: "Jr.", prefix: "Dr."))
        XCTAssertEqual(PersonName.split("Mark Jr"), .init(family: "Jr", given: "Mark"), "two words: a name, not a suffix")
    }
}
