import CRMCore
@testable import CRMExchange
import XCTest

/// `--map`, headers nobody knows, the mapping preview of the import screen,
/// and picking the reader for a file.
final class ImportMappingTests: XCTestCase {
    var folder: TempFolder!
    override func setUpWithError() throws { folder = try TempFolder() }
    override func tearDown() { folder = nil }

    let german = "Vorname,Nachname,Firma,Tel,E-Mail,Notiz,Schlagworte,Geburtstag\n" +
        "Günter,Müller,Granite Bau,+49 30 1234567,g@granite-bau.de,Messe,\"Kunde, VIP\",1970-04-12\n" +
        "Sara,Ahmadi,,+98 21 1,sara@example.ir,,,\n"

    func testTheSpecFromTheIssue() throws {
        let path = try folder.write("de.csv", german)
        let reader = try CSVImportReader(path: path, mapping:
            "Vorname=first_name,Nachname=last_name,Firma=company,Tel=phone:work,E-Mail=email:home,Notiz=notes,Schlagworte=tags")
        XCTAssertNil(reader.plan.preset)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 2)
        let g = all[0]
        XCTAssertEqual(g.name, "Günter Müller")
        XCTAssertEqual(g.company, "Granite Bau")
        XCTAssertEqual(g.phones, [PhoneNumber("+49 30 1234567", label: "work")])
        XCTAssertEqual(g.emails, [EmailAddress("g@granite-bau.de", label: "home")])
        XCTAssertEqual(g.notes, "Messe")
        XCTAssertEqual(g.tags, ["Kunde", "VIP"])
        XCTAssertEqual(g.extra("Geburtstag"), "1970-04-12", "a column the map does not name is kept")
        XCTAssertEqual(g.origins["phone 1"], "Tel")
    }

    func testSkipOwnerIdAndExtraInAMap() throws {
        let path = try folder.write("m.csv", "Kunde,Betreuer,Nr,Intern,Hobby\nAnna,sara,A-17,secret,Segeln\n")
        let r = records(try readAll(CSVImportReader(path: path, mapping: "Kunde=name,Betreuer=owner,Nr=external_id,Intern=skip,Hobby=extra:Freizeit")))
        XCTAssertEqual(r.first?.ownerLogin, "sara")
        XCTAssertEqual(r.first?.externalID, "A-17")
        // The other system's id is kept in the notes too (QA 45 IO #9).
        XCTAssertEqual(r.first?.extras, [.init("Nr", "A-17"), .init("Freizeit", "Segeln")])
    }

    func testAMapOverridesAPreset() throws {
        let r = records(try readAll(CSVImportReader(path: Fixture.path("hubspot.csv"), mapping: "Contact owner=skip,Create Date=skip")))
        XCTAssertNil(r.first?.extra("Contact owner"))
        XCTAssertEqual(r.first?.name, "Mehdi Karimi")
        XCTAssertEqual(r.first?.extra("Record ID"), "5101", "HubSpot's id is kept in the notes (QA 45 IO #9)")
    }

    func testAMapNamingAFieldWeDoNotHave() throws {
        let path = try folder.write("de.csv", german)
        let error = fileError { try CSVImportReader(path: path, mapping: "Vorname=vorname") }
        XCTAssertEqual(error?.status, 64)
        XCTAssertEqual(error?.message, "--map sends the column 'Vorname' to 'vorname', which is not a field; the fields are \(ContactField.mappingNames)")
        XCTAssertEqual(fileError { try CSVImportReader(path: path, mapping: "Tel=phone:work:x,Firma=company:acme") }?.status, 64)
    }

    func testAMapNamingAColumnTheHeaderLacks() throws {
        let path = try folder.write("de.csv", german)
        let error = fileError { try CSVImportReader(path: path, mapping: "Telefon=phone") }
        XCTAssertEqual(error?.status, 64)
        XCTAssertEqual(error?.message, "--map names the column 'Telefon', which is not in the header; the header's columns are 'Vorname', 'Nachname', 'Firma', 'Tel', 'E-Mail', 'Notiz', 'Schlagworte', 'Geburtstag'")
        XCTAssertEqual(fileError { try CSVImportReader(path: path, mapping: "Vorname") }?.status, 64)
    }

    /// QA 45 FA #5: a map names a Persian column with the Arabic letter
    /// forms, or a space where the header has a ZWNJ.
    func testAMapFindsAColumnWrittenWithOtherLetterFormsOrJoiners() throws {
        let path = try folder.write("fa.csv", "نام و نام\u{200C}خانوادگی,شماره\u{200C}همراه,شرکت\nسارا احمدی,09121234567,پارس\n")
        let r = records(try readAll(CSVImportReader(path: path, mapping: "نام و نام خانوادگی=name,شمارههمراه=phone:mobile,شركت=company")))
        XCTAssertEqual(r.first?.name, "سارا احمدی")
        XCTAssertEqual(r.first?.company, "پارس")
        XCTAssertEqual(r.first?.phones.first?.label, "mobile")
    }

    /// Google's "*" (the primary value, no label) is no label; Persian and
    /// German words for a phone's kind read as ours (QA 45 IO #11, FA #6).
    func testLabelsAreNormalised() {
        XCTAssertEqual(ContactLabels.normalize("*"), "")
        XCTAssertEqual(ContactLabels.normalize("* Work"), "work")
        XCTAssertEqual(ContactLabels.normalize("موبایل"), "mobile")
        XCTAssertEqual(ContactLabels.normalize("محل\u{200C}کار"), "work")
        XCTAssertEqual(ContactLabels.normalize("Geschäftlich"), "work")
        XCTAssertEqual(ContactLabels.normalize("Büro"), "büro")
    }

    /// QA 45 IO #10: an Outlook row for an Exchange colleague (E-mail Type
    /// EX, an X.500 address) is imported, the address kept in the notes.
    func testAnExchangeAddressIsKeptInTheNotesNotRejected() throws {
        let path = try folder.write("o.csv", "First Name,Last Name,E-mail Address,E-mail Type,Business Phone\n"
            + "Jon,Doe,/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=3f2a1b-jdoe,EX,+1 212 555 0100\n")
        let r = records(try readAll(CSVImportReader(path: path)))
        XCTAssertEqual(r.first?.name, "Jon Doe")
        XCTAssertEqual(r.first?.emails, [])
        XCTAssertEqual(r.first?.phones.map(\.number), ["+1 212 555 0100"])
        XCTAssertTrue(r.first?.extra("E-mail Address (Exchange)")?.hasPrefix("/o=ExchangeLabs") ?? false, "\(String(describing: r.first?.extras))")
    }

    /// QA 45 IO #11: after Excel's "sep=;" line the header is line 2, and
    /// the refusal says so.
    func testAnUnknownHeaderAfterASeparatorLineIsNamedByItsLine() throws {
        let path = try folder.write("s.csv", "sep=;\nVorname;Telefonnummer\nA;1\n")
        XCTAssertEqual(fileError { try CSVImportReader(path: path) }?.line, 2)
    }

    func testAHeaderWithNoKnownColumnAndNoMap() throws {
        let path = try folder.write("x.csv", "Vorname,Nachname,Telefonnummer,Geburtstag\nA,B,1,1970-01-01\n")
        let error = fileError { try CSVImportReader(path: path) }
        XCTAssertEqual(error?.status, 65)
        XCTAssertEqual(error?.line, 1)
        // Every column in the example (QA 40 #6: the fourth was left out).
        XCTAssertEqual(error?.message, "no column of the header is one we know (found 'Vorname', 'Nachname', 'Telefonnummer', 'Geburtstag'); say where each goes with --map 'Vorname=FIELD,Nachname=FIELD,Telefonnummer=FIELD,Geburtstag=FIELD' (a column left out is kept in the notes), FIELD one of \(ContactField.mappingNames)")
    }

    func testNamedColumnsAreReadWithoutAMap() throws {
        let path = try folder.write("plain.csv", "Name,Email,Phone,Company,Birthday\nAnna Schmidt,anna@x.de,+49 40 1,Nordlicht,1985-09-30\n")
        let reader = try CSVImportReader(path: path)
        XCTAssertEqual(reader.plan.preset, .generic)
        let r = records(try readAll(reader))
        XCTAssertEqual(r.first?.company, "Nordlicht")
        XCTAssertEqual(r.first?.extra("Birthday"), "1985-09-30")
    }

    func testPreviewShowsEachColumnWithItsFirstValuesAndField() throws {
        let path = try folder.write("de.csv", german + "Li,Na,,,,,,\nZ,Z,,,,,,\n")
        let unmapped = try ImportMappingPreview.csv(path: path)
        XCTAssertTrue(unmapped.needsMapping)
        XCTAssertNil(unmapped.preset)
        XCTAssertEqual(unmapped.columns.first, .init(header: "Vorname", samples: ["Günter", "Sara", "Li"], field: nil))
        XCTAssertEqual(unmapped.columns.first?.fieldText, "not mapped")

        // Columns the map leaves out go to the notes, unless named like a field ("E-Mail").
        let mapped = try ImportMappingPreview.csv(path: path, mapping: "Vorname=first_name,Tel=phone:work")
        XCTAssertFalse(mapped.needsMapping)
        XCTAssertEqual(mapped.columns.map(\.fieldText),
                       ["first name", "notes, as \"Nachname: …\"", "notes, as \"Firma: …\"", "phone (work)", "email",
                        "notes, as \"Notiz: …\"", "notes, as \"Schlagworte: …\"", "notes, as \"Geburtstag: …\""])
        XCTAssertEqual(mapped.columns[3].samples, ["+49 30 1234567", "+98 21 1", ""])

        let google = try ImportMappingPreview.csv(path: Fixture.path("google.csv"))
        XCTAssertEqual(google.preset, .googleContacts)
        XCTAssertEqual(google.delimiter, ",")
        XCTAssertEqual(google.encoding, .utf8)
        XCTAssertEqual(google.columns.first { $0.header == "E-mail 1 - Value" }?.field, .emailValue(slot: 1))
        XCTAssertEqual(google.columns.first { $0.header == "Labels" }?.fieldText, "tags")

        let abook = try ImportMappingPreview.csv(path: Fixture.path("abook.csv"))
        XCTAssertEqual(abook.columns.map(\.header), ["name", "email", "phone", "notes", "nick"])
        XCTAssertEqual(abook.columns[0].samples, ["Günter Müller", "Anna Schmidt"])
    }

    func testFieldsPickedOnTheScreen() throws {
        let path = try folder.write("de.csv", german)
        let picked: [String: ContactField] = ["Vorname": .firstName, "Nachname": .lastName, "Tel": .phone(label: "work"), "Geburtstag": .skip(reason: "--map")]
        let r = records(try readAll(ImportOpener().open(path, options: .init(columnFields: picked))))
        XCTAssertEqual(r.first?.name, "Günter Müller")
        XCTAssertEqual(r.first?.phones, [PhoneNumber("+49 30 1234567", label: "work")])
        XCTAssertNil(r.first?.extra("Geburtstag"))
        XCTAssertEqual(r.first?.extra("Firma"), "Granite Bau")
        XCTAssertEqual(fileError { try CSVImportReader(path: path, columnFields: ["Fax": .phone(label: "fax")]) }?.status, 64)
    }

    func testEveryChoiceWritesAsTheMapReadsIt() {
        for field in ContactField.choices + [.email(label: "home"), .phone(label: "work"), .extra(label: "Hobby")] {
            let text = field.mappingText
            XCTAssertNotNil(text, "\(field)")
            XCTAssertEqual(ContactField.parseMapping(text ?? "", column: "Hobby"), field, text ?? "")
        }
        XCTAssertNil(ContactField.emailValue(slot: 1).mappingText)
    }

    func testFormatFromExtensionAndFirstBytes() throws {
        XCTAssertEqual(ImportFormat.detect(path: "a.CSV", firstBytes: Array("BEGIN:VCARD".utf8)), .csv)
        XCTAssertEqual(ImportFormat.detect(path: "contacts.vcf", firstBytes: []), .vcard)
        XCTAssertEqual(ImportFormat.detect(path: "all.jsonl", firstBytes: []), .json)
        XCTAssertEqual(ImportFormat.detect(path: "download", firstBytes: [0xEF, 0xBB, 0xBF] + Array("\r\nbegin:vcard".utf8)), .vcard)
        XCTAssertEqual(ImportFormat.detect(path: "download", firstBytes: Array("{\"type\":\"contact\"}".utf8)), .json)
        XCTAssertEqual(ImportFormat.detect(path: "download", firstBytes: Array("Name,Email".utf8)), .csv)
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "BEGIN:VCARD".utf16 { utf16 += [UInt8(unit), 0] }
        XCTAssertEqual(ImportFormat.detect(path: "x", firstBytes: utf16), .vcard)
        XCTAssertEqual(ImportFormat.named("VCF"), .vcard)
        XCTAssertNil(ImportFormat.named("xlsx"))
    }

    func testOpenerPicksTheReader() throws {
        let opener = ImportOpener()
        let vcard = try folder.write("phone-export", "BEGIN:VCARD\nFN:Anna\nEND:VCARD\n")
        XCTAssertTrue(try opener.open(vcard) is VCardImportReader)
        XCTAssertTrue(try opener.open(Fixture.path("google.csv")) is CSVImportReader)
        XCTAssertEqual(records(try readAll(opener.open(vcard))).map(\.name), ["Anna"])

        let json = try folder.write("a.json", "{}\n")
        XCTAssertEqual(fileError { try opener.open(json) }?.status, 64)
        struct FakeJSON: ImportReader { mutating func next() throws -> ImportItem? { nil } }
        let withJSON = ImportOpener(json: { _ in FakeJSON() })
        XCTAssertTrue(try withJSON.open(json) is FakeJSON)

        XCTAssertEqual(fileError { try opener.open(vcard, options: .init(mapping: "FN=name")) }?.status, 64)
        let missing = fileError { try opener.open(folder.url.appendingPathComponent("nope.csv").path) }
        XCTAssertEqual(missing?.status, 66)
        XCTAssertTrue(missing?.message.hasPrefix("cannot open the file: No such file") ?? false)
        XCTAssertEqual(fileError { try opener.open(folder.url.path, options: .init(format: .csv)) }?.message, "is a directory; expected a file")
    }
}
