import CRMCore
@testable import CRMExchange
import XCTest

/// vCard 2.1, 3.0 and 4.0 files written by hand, each card field by field.
final class VCardReaderTests: XCTestCase {
    func testVersion21QuotedPrintableBareTypesAndAFoldedLine() throws {
        let all = records(try readAll(VCardImportReader(path: Fixture.path("v21.vcf"))))
        XCTAssertEqual(all.count, 2)
        let g = all[0]
        XCTAssertEqual(g.line, 1)
        XCTAssertEqual(g.name, "Günter Müller")
        XCTAssertEqual(g.origins["name"], "FN")
        XCTAssertEqual(g.company, "Granite Bau GmbH")
        XCTAssertEqual(g.extra("Department"), "Einkäufe")
        XCTAssertEqual(g.title, "Einkaufsleiter")
        XCTAssertEqual(g.phones, [PhoneNumber("+49 171 2345678", label: "mobile"), PhoneNumber("+49 30 1234567", label: "work")])
        XCTAssertEqual(g.emails, [EmailAddress("guenter@granite-bau.de")])
        XCTAssertEqual(g.notes, "Erster Kontakt auf der Messe in Hannover, später\nAngebot für Kräne geschickt.",
                       "quoted-printable with a soft line break, in UTF-8")
        XCTAssertEqual(g.extra("Address (home)"), "Hauptstraße 5, Berlin, 10115, Deutschland", "ISO-8859-1 quoted-printable")
        XCTAssertEqual(g.extra("X-ANDROID-CUSTOM"), "vnd.android.cursor.item/nickname;Günni;1")

        let a = all[1]
        XCTAssertEqual(a.line, 15)
        XCTAssertEqual(a.name, "Anna Schmidt", "N gives the name when there is no FN")
        XCTAssertEqual(a.phones, [PhoneNumber("+49 40 555 0101", label: "home")])
        XCTAssertEqual(a.notes, "This note is long and was folded by the phone that wrote it, so it continues here.")
    }

    /// QA 45 IO #1: a fold inside a character's UTF-8 bytes (writers that
    /// fold at 75 octets) is joined, and the file is still read as UTF-8.
    func testAFoldInsideACharacterIsJoinedAndTheFileStaysUTF8() throws {
        let path = NSTemporaryDirectory() + "split-fold-\(UUID().uuidString).vcf"
        defer { unlink(path) }
        var bytes = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:J".utf8) + [0xC3, 0xBC] + Array("rgen Gr".utf8) + [0xC3]
        bytes += Array("\r\n ".utf8) + [0xB6, 0xC3, 0x9F] + Array("mann\r\nNOTE:Stra".utf8) + [0xC3, 0x9F] + Array("e\r\nEND:VCARD\r\n".utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let all = records(try readAll(VCardImportReader(path: path)))
        XCTAssertEqual(all.map(\.name), ["Jürgen Größmann"])
        XCTAssertEqual(all.first?.notes, "Straße")
    }

    func testAbookVCardWithoutVersionOrFolding() throws {
        let all = records(try readAll(VCardImportReader(path: Fixture.path("abook.vcf"))))
        XCTAssertEqual(all.count, 1)
        let j = all[0]
        XCTAssertEqual(j.name, "Jonas Weber")
        XCTAssertEqual(j.phones, [PhoneNumber("+49 89 111 2222", label: "home"), PhoneNumber("+49 151 333 4444", label: "mobile")])
        XCTAssertEqual(j.emails.map(\.address), ["j.weber@example.com", "jonas@example.org"])
        XCTAssertEqual(j.extra("URL"), "https://weber.example")
        XCTAssertTrue(j.notes.hasSuffix("longer than seventy-five octets."))
    }

    func testVersion30EscapesGroupsPhotoAndUnknownProperties() throws {
        let items = try readAll(VCardImportReader(path: Fixture.path("v30.vcf")))
        XCTAssertEqual(items.count, 2)
        let s = records(items)[0]
        XCTAssertEqual(s.name, "سارا احمدی")
        XCTAssertEqual(s.extra("N"), "Sara Ahmadi", "the N parts differ from FN: kept")
        XCTAssertEqual(s.company, "Persepolis Trading")
        XCTAssertEqual(s.extra("Department"), "Sales, Export")
        XCTAssertEqual(s.title, "Head of Sales")
        XCTAssertEqual(s.emails, [EmailAddress("sara.ahmadi@example.ir", label: "other"), EmailAddress("sara@example.com", label: "home")])
        XCTAssertEqual(s.phones, [PhoneNumber("+98 912 345 6789", label: "mobile"), PhoneNumber("+98 21 8888 7778", label: "work fax")])
        XCTAssertEqual(s.extra("Address (work)"), "Valiasr St. 1234, Tehran, 1969, Iran")
        XCTAssertEqual(s.notes, "First line\nSecond line with a comma, and a semicolon; done.")
        XCTAssertEqual(s.tags, ["Partner", "VIP"])
        XCTAssertEqual(s.extra("Birthday"), "1988-02-14")
        XCTAssertEqual(s.extra("URL"), "https://persepolis.example")
        XCTAssertEqual(s.externalID, "6f1b2c1e-0d2a-4a33-9f8e-000000000001")
        XCTAssertEqual(s.extra("Photo"), "photo omitted")
        XCTAssertEqual(s.extra("X-SKYPE"), "sara.ahmadi")
        XCTAssertNil(s.extra("PRODID"))

        XCTAssertEqual(problems(items), [ImportProblem(line: 28, column: "EMAIL",
                                                       message: "\"lukas@@bergwerk.example\" is not an email address; expected something like name@example.com")])
    }

    func testVersion40() throws {
        let all = records(try readAll(VCardImportReader(path: Fixture.path("v40.vcf"))))
        XCTAssertEqual(all.count, 1)
        let w = all[0]
        XCTAssertEqual(w.name, "王小明")
        XCTAssertEqual(w.extras.filter { $0.label == "N" }, [], "N makes the same name")
        XCTAssertEqual(w.company, "长城贸易有限公司")
        XCTAssertEqual(w.title, "采购经理")
        XCTAssertEqual(w.phones, [PhoneNumber("+86-10-6552-1234", label: "work"), PhoneNumber("+86-138-0013-8000", label: "mobile")])
        XCTAssertEqual(w.emails, [EmailAddress("wang.xiaoming@changcheng.cn", label: "work")])
        XCTAssertEqual(w.extra("Address (work)"), "建国路 88 号, 北京, 100022, 中国")
        XCTAssertEqual(w.tags, ["Supplier"])
        XCTAssertEqual(w.externalID, "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1")
        XCTAssertEqual(w.updatedAt, try Date("2026-03-01T09:30:00Z", strategy: .iso8601))
        XCTAssertEqual(w.extra("GENDER"), "M")
        XCTAssertNil(w.extra("KIND"))
    }

    /// Old phones write a non-ASCII name or note in base64 (2.1
    /// `ENCODING=BASE64`, 3.0 `ENCODING=b`): read as text in its CHARSET,
    /// never stored as the base64 string; a PHOTO stays data.
    func testBase64TextPropertiesAreDecoded() throws {
        let folder = try TempFolder()
        let path = try folder.write("b64.vcf", """
            BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=BASE64;CHARSET=UTF-8:TcO8bGxlcjtKw7ZyZw==\r\n\
            NOTE;ENCODING=BASE64;CHARSET=UTF-8:SGFsbG8gV2VsdCDDpMO2w7w=\r\nTEL;CELL:+49 170 1234500\r\nEND:VCARD\r\n\
            BEGIN:VCARD\r\nVERSION:3.0\r\nFN;ENCODING=b;CHARSET=ISO-8859-1:UmVu6SBHYXLn\r\nNOTE;ENCODING=b:SGFsbG8gV2VsdCDDpMO2w7w=\r\n\
            PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==\r\nEND:VCARD\r\n
            """)
        let all = records(try readAll(VCardImportReader(path: path)))
        XCTAssertEqual(all.map(\.name), ["Jörg Müller", "René Garç"])
        XCTAssertEqual(all.first?.notes, "Hallo Welt äöü")
        XCTAssertTrue(all.last?.notes.hasPrefix("Hallo Welt äöü") ?? false, all.last?.notes ?? "")
        XCTAssertFalse(all.last?.notesWithExtras.contains("/9j/") ?? true, "a photo is not text")
    }

    /// Our export writes a label of ours as an x- type ("other" as
    /// TYPE="x-other"): it reads back as that label; another program's bare
    /// TYPE=OTHER says nothing and gives none (QA 27 #11).
    func testOurOwnOtherLabelComesBack() throws {
        let folder = try TempFolder()
        let path = try folder.write("o.vcf", """
            BEGIN:VCARD\nVERSION:4.0\nFN:Only Email\nEMAIL;TYPE="x-other":only.email@example.com\nEMAIL;TYPE=OTHER:b@example.com\nEND:VCARD\n
            """)
        let card = try XCTUnwrap(records(try readAll(VCardImportReader(path: path))).first)
        XCTAssertEqual(card.emails, [EmailAddress("only.email@example.com", label: "other"), EmailAddress("b@example.com", label: "")])
    }

    /// QA 36 #4: our export writes "高橋 さくら" as N:高橋;さくら, which
    /// composes without the space: the same name, so nothing goes to the
    /// note (a round trip added "N: 高橋さくら" to it each time).
    func testACJKNameWithASpaceIsTheNameItsPartsMake() throws {
        let folder = try TempFolder()
        let path = try folder.write("j.vcf", """
            BEGIN:VCARD\nVERSION:4.0\nFN:高橋 さくら\nN:高橋;さくら;;;\nEND:VCARD\n\
            BEGIN:VCARD\nVERSION:4.0\nFN:さくら 高橋\nN:高橋;はな;;;\nEND:VCARD\n
            """)
        let all = records(try readAll(VCardImportReader(path: path)))
        XCTAssertEqual(all.map(\.name), ["高橋 さくら", "さくら 高橋"])
        XCTAssertEqual(all[0].extras.filter { $0.label == "N" }, [])
        XCTAssertEqual(all[1].extras.filter { $0.label == "N" }.map(\.value), ["高橋はな"], "parts that say something else are kept")
    }

    func testFilesThatAreNotVCards() throws {
        let folder = try TempFolder()
        let csv = try folder.write("x.vcf", "Name,Email\nAnna,a@x.de\n")
        XCTAssertEqual(fileError { try VCardImportReader(path: csv) }?.description,
                       "\(csv), line 1: is not a vCard file: the line is 'Name,Email'; expected BEGIN:VCARD")
        let empty = try folder.write("e.vcf", "\n\n")
        XCTAssertEqual(fileError { try VCardImportReader(path: empty) }?.status, 65)
        let truncated = try folder.write("t.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Anna\n")
        let error = fileError { try readAll(VCardImportReader(path: truncated)) }
        XCTAssertEqual(error?.line, 1)
        XCTAssertEqual(error?.message, "the card that begins here has no END:VCARD; is the file complete?")
        let junk = try folder.write("j.vcf", "BEGIN:VCARD\nFN:Anna\nEND:VCARD\nhello\n")
        XCTAssertEqual(fileError { try readAll(VCardImportReader(path: junk)) }?.line, 4)
        let binary = try folder.write("b.vcf", [0x42, 0x45, 0x47, 0x00, 0x01, 0x02])
        XCTAssertEqual(fileError { try VCardImportReader(path: binary) }?.status, 65)
    }

    func testAMalformedLineRejectsOnlyItsCard() throws {
        let folder = try TempFolder()
        let path = try folder.write("m.vcf", "BEGIN:VCARD\nFN:Anna\nthis is no property\nEND:VCARD\nBEGIN:VCARD\nFN:Bob\nEND:VCARD\n")
        let items = try readAll(VCardImportReader(path: path))
        XCTAssertEqual(problems(items), [ImportProblem(line: 3, message: "'this is no property' is not a vCard property; expected NAME:value")])
        XCTAssertEqual(records(items).map(\.name), ["Bob"])
    }
}
