import CRMCore
@testable import CRMExchange
import XCTest

/// Each preset read from a hand-written file, field by field.
final class CSVPresetTests: XCTestCase {
    func testGoogleCurrentLayout() throws {
        let reader = try CSVImportReader(path: Fixture.path("google.csv"))
        XCTAssertEqual(reader.plan.preset, .googleContacts)
        let items = try readAll(reader)
        XCTAssertEqual(items.count, 5)
        let all = records(items)
        XCTAssertEqual(all.count, 4)

        let g = all[0]
        XCTAssertEqual(g.line, 2)
        XCTAssertEqual(g.name, "Günter Müller")
        XCTAssertEqual(g.origins["name"], "First Name")
        XCTAssertEqual(g.company, "Granite Bau GmbH")
        XCTAssertEqual(g.title, "Einkaufsleiter")
        XCTAssertEqual(g.emails, [EmailAddress("guenter@granite-bau.de", label: "work"),
                                  EmailAddress("g.mueller@example.de", label: "home"),
                                  EmailAddress("gm@example.org", label: "home")])
        XCTAssertEqual(g.origins["email 3"], "E-mail 2 - Value")
        XCTAssertEqual(g.phones, [PhoneNumber("+49 171 2345678", label: "mobile"), PhoneNumber("+49 30 1234567", label: "work")])
        XCTAssertEqual(g.tags, ["Kunden", "starred"])
        XCTAssertEqual(g.notes, "Met at the fair in Hannover.\nPrefers calls in the morning.")
        XCTAssertEqual(g.extra("Nickname"), "Günni")
        XCTAssertEqual(g.extra("Department"), "Einkauf")
        XCTAssertEqual(g.extra("Birthday"), "1970-04-12")
        XCTAssertEqual(g.extra("Address (Work)"), "Hauptstr. 5\n10115 Berlin\nDeutschland")
        XCTAssertNil(g.extra("Address 1 - City"), "the parts are in the formatted address")
        XCTAssertEqual(g.extra("Website (Work)"), "https://granite-bau.de")
        XCTAssertNil(g.lifecycle)
        XCTAssertNil(g.externalID)

        let w = all[1]
        XCTAssertEqual(w.line, 6, "a record starts on its physical line")
        XCTAssertEqual(w.name, "王小明", "Chinese names: family name first, no space")
        XCTAssertEqual(w.company, "长城贸易有限公司")
        XCTAssertEqual(w.title, "采购经理")
        XCTAssertEqual(w.emails, [EmailAddress("wang.xiaoming@changcheng.cn", label: "work")])
        XCTAssertEqual(w.phones, [PhoneNumber("+86 10 6552 1234", label: "work")])
        XCTAssertEqual(w.tags, [])

        let s = all[2]
        XCTAssertEqual(s.name, "سارا احمدی")
        XCTAssertEqual(s.notes, "Tehran office, \"VIP\"")
        XCTAssertEqual(s.tags, ["Partner"])
        XCTAssertEqual(s.phones, [PhoneNumber("+98 912 345 6789", label: "mobile")])

        XCTAssertEqual(problems(items), [ImportProblem(line: 8, column: "E-mail 1 - Value",
                                                       message: "\"bob@\" is not an email address; expected something like name@example.com")])
        XCTAssertEqual(problems(items)[0].description,
                       "line 8, column E-mail 1 - Value: \"bob@\" is not an email address; expected something like name@example.com")

        let nameless = all[3]
        XCTAssertEqual(nameless.line, 9)
        XCTAssertEqual(nameless.name, "info@alpenblick.example", "no name: the email address is the name")
        XCTAssertEqual(nameless.emails, [EmailAddress("info@alpenblick.example", label: "other")])
    }

    func testGoogleOlderLayout() throws {
        let reader = try CSVImportReader(path: Fixture.path("google_legacy.csv"))
        XCTAssertEqual(reader.plan.preset, .googleLegacy)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 2)
        let a = all[0]
        XCTAssertEqual(a.name, "Anna Schmidt")
        XCTAssertEqual(a.origins["name"], "Name")
        XCTAssertEqual(a.company, "Nordlicht Logistik AG")
        XCTAssertEqual(a.title, "Disponentin")
        XCTAssertEqual(a.extra("Department"), "Logistik")
        XCTAssertEqual(a.emails, [EmailAddress("anna.schmidt@nordlicht.de", label: "work"), EmailAddress("anna@example.de", label: "home")])
        XCTAssertEqual(a.phones, [PhoneNumber("+49 40 555 0101", label: "work"), PhoneNumber("0171 555 0102", label: "mobile")])
        XCTAssertEqual(a.tags, ["Lieferanten"], "the older layout spells it \"* My Contacts\"")
        XCTAssertEqual(a.notes, "Key account since 2019")
        XCTAssertEqual(a.extra("Birthday"), "1985-09-30")
        XCTAssertEqual(a.extras.count, 2, "no name-part extra: the parts make the same name")

        let j = all[1]
        XCTAssertEqual(j.name, "Dr. Jonas Peter Weber")
        XCTAssertEqual(j.emails, [EmailAddress("j.weber@example.com", label: "work")])
    }

    func testOutlook() throws {
        let reader = try CSVImportReader(path: Fixture.path("outlook.csv"))
        XCTAssertEqual(reader.plan.preset, .outlook)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 2)
        let c = all[0]
        XCTAssertEqual(c.name, "Frau Claudia Becker", "Outlook's Title is the name prefix")
        XCTAssertEqual(c.title, "Sales Director")
        XCTAssertEqual(c.company, "Alpenblick Travel LLC")
        XCTAssertEqual(c.emails, [EmailAddress("claudia.becker@alpenblick.example")])
        XCTAssertEqual(c.phones, [PhoneNumber("+49 89 1234 999", label: "work fax"), PhoneNumber("+49 89 1234 500", label: "work"),
                                  PhoneNumber("+49 160 9876543", label: "mobile")])
        XCTAssertEqual(c.tags, ["Kunden", "Reisen"])
        XCTAssertEqual(c.notes, "Annual contract, renews in May.")
        XCTAssertEqual(c.extra("Business Street"), "Seestraße 12")
        XCTAssertEqual(c.extra("Business City"), "München")
        XCTAssertEqual(c.extra("Department"), "Vertrieb")
        XCTAssertEqual(c.extra("Web Page"), "https://alpenblick.example")
        XCTAssertNil(c.extra("E-mail Type"), "SMTP is the transport, not the contact's")
        XCTAssertNil(c.extra("Birthday"), "Outlook's 0/0/00 is no birthday")
        XCTAssertNil(c.extra("Gender"))
        XCTAssertNil(c.extra("Priority"))

        let l = all[1]
        XCTAssertEqual(l.line, 3)
        XCTAssertEqual(l.name, "Li Na")
        XCTAssertEqual(l.emails.map(\.address), ["lina@pearlriver.example", "li.na@example.cn"])
        XCTAssertEqual(l.phones, [PhoneNumber("+86 20 8888 1234", label: "home")])
        XCTAssertEqual(l.extra("Birthday"), "3/14/1980")
        XCTAssertEqual(l.extra("Gender"), "Female")
    }

    func testHubSpot() throws {
        let reader = try CSVImportReader(path: Fixture.path("hubspot.csv"))
        XCTAssertEqual(reader.plan.preset, .hubspot)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 2)
        let m = all[0]
        XCTAssertEqual(m.externalID, "5101")
        XCTAssertEqual(m.name, "Mehdi Karimi")
        XCTAssertEqual(m.emails, [EmailAddress("mehdi.karimi@example.ir")])
        XCTAssertEqual(m.phones, [PhoneNumber("+98 21 2222 3333"), PhoneNumber("+98 912 111 2222", label: "mobile")])
        XCTAssertEqual(m.company, "Persepolis Trading")
        XCTAssertEqual(m.title, "CEO")
        XCTAssertEqual(m.lifecycle, .prospect, "HubSpot's opportunity is our prospect")
        XCTAssertEqual(m.source, "Offline Sources")
        XCTAssertNil(m.ownerLogin, "HubSpot names the owner, not a login")
        XCTAssertEqual(m.extra("Contact owner"), "Sara Example")
        XCTAssertEqual(m.extra("Create Date"), "2025-11-03 09:12")

        let j = all[1]
        XCTAssertEqual(j.company, "Wagner & Söhne")
        XCTAssertNil(j.lifecycle)
        XCTAssertEqual(j.extra("Lifecycle Stage"), "other", "a stage we have no equivalent for is kept")
    }

    func testPipedrive() throws {
        let reader = try CSVImportReader(path: Fixture.path("pipedrive.csv"))
        XCTAssertEqual(reader.plan.preset, .pipedrive)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 2)
        let l = all[0]
        XCTAssertEqual(l.externalID, "17")
        XCTAssertEqual(l.name, "Lukas Hoffmann")
        XCTAssertEqual(l.emails, [EmailAddress("lukas.hoffmann@bergwerk.example", label: "work"), EmailAddress("lukas@example.de", label: "home")])
        XCTAssertEqual(l.phones, [PhoneNumber("+49 221 444 5555", label: "work"), PhoneNumber("+49 152 3333 4444", label: "mobile")])
        XCTAssertEqual(l.company, "Bergwerk Maschinenbau")
        XCTAssertEqual(l.tags, ["Hot lead", "Messe 2026"])
        XCTAssertEqual(l.title, "Technical Buyer")
        XCTAssertEqual(l.extra("Person - Owner"), "Sara Example")
        let z = all[1]
        XCTAssertEqual(z.name, "張偉")
        XCTAssertEqual(z.phones, [PhoneNumber("+886 912 345 678", label: "mobile")])
        XCTAssertEqual(z.tags, ["Customer"])
    }

    func testAbookPlainCSVHasNoHeader() throws {
        let reader = try CSVImportReader(path: Fixture.path("abook.csv"))
        XCTAssertEqual(reader.plan.preset, .abookHeaderless)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 2, "the first row is a contact")
        XCTAssertEqual(all[0].line, 1)
        XCTAssertEqual(all[0].name, "Günter Müller")
        XCTAssertEqual(all[0].emails.map(\.address), ["guenter@granite-bau.de", "gm@example.org"])
        XCTAssertEqual(all[0].phones, [PhoneNumber("+49 30 1234567", label: "home")])
        XCTAssertEqual(all[0].notes, "met at the fair")
        XCTAssertEqual(all[0].extra("Nickname"), "gm")
        XCTAssertEqual(all[1].name, "Anna Schmidt")
        XCTAssertEqual(all[1].emails.map(\.address), ["anna.schmidt@nordlicht.de"])
    }

    func testAbookAllCSV() throws {
        let reader = try CSVImportReader(path: Fixture.path("abook_all.csv"))
        XCTAssertEqual(reader.plan.preset, .abook)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 1)
        let g = all[0]
        XCTAssertEqual(g.name, "Günter Müller")
        XCTAssertEqual(g.emails.map(\.address), ["guenter@granite-bau.de", "gm@example.org"])
        XCTAssertEqual(g.phones, [PhoneNumber("+49 30 1234567", label: "home"), PhoneNumber("+49 30 7654321", label: "work"),
                                  PhoneNumber("+49 171 2345678", label: "mobile")])
        XCTAssertEqual(g.tags, ["friends", "work"])
        XCTAssertEqual(g.extra("ADDRESS"), "Hauptstr. 5")
        XCTAssertEqual(g.extra("CITY"), "Berlin")
        XCTAssertEqual(g.extra("URL"), "https://granite-bau.de")
    }

    func testThunderbirdIsReadByItsColumnNames() throws {
        let reader = try CSVImportReader(path: Fixture.path("thunderbird.csv"))
        XCTAssertEqual(reader.plan.preset, .generic)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 1)
        let g = all[0]
        XCTAssertEqual(g.name, "Günter Müller")
        XCTAssertEqual(g.emails, [EmailAddress("guenter@granite-bau.de"), EmailAddress("gm@example.org")])
        XCTAssertEqual(g.phones, [PhoneNumber("+49 30 1234567", label: "work"), PhoneNumber("+49 171 2345678", label: "mobile")])
        XCTAssertEqual(g.company, "Granite Bau GmbH")
        XCTAssertEqual(g.title, "Einkaufsleiter")
        XCTAssertEqual(g.notes, "met at the fair")
        XCTAssertEqual(g.extra("Work City"), "Berlin")
        XCTAssertEqual(g.extra("Birth Year"), "1970")
    }

    func testOwnExportReimportsWithoutMapping() throws {
        let reader = try CSVImportReader(path: Fixture.path("own.csv"))
        XCTAssertEqual(reader.plan.preset, .ownExport)
        let all = records(try readAll(reader))
        XCTAssertEqual(all.count, 2)
        let g = all[0]
        XCTAssertEqual(g.externalID, "42")
        XCTAssertEqual(g.name, "Günter Müller")
        XCTAssertEqual(g.title, "Einkaufsleiter")
        XCTAssertEqual(g.company, "Granite Bau GmbH")
        XCTAssertEqual(g.lifecycle, .customer)
        XCTAssertEqual(g.ownerLogin, "sara")
        XCTAssertEqual(g.source, "fair 2026")
        XCTAssertEqual(g.tags, ["Kunden", "VIP"])
        XCTAssertEqual(g.notes, "Two lines:\nsecond one")
        XCTAssertEqual(g.createdAt, try Date("2026-03-01T09:30:00Z", strategy: .iso8601))
        XCTAssertEqual(g.updatedAt, try Date("2026-04-02T10:00:00Z", strategy: .iso8601))
        XCTAssertEqual(g.emails, [EmailAddress("guenter@granite-bau.de", label: "work"), EmailAddress("gm@example.org", label: "home")])
        XCTAssertEqual(g.phones, [PhoneNumber("+49 30 1234567", label: "work")])
        XCTAssertEqual(g.extras, [])
        XCTAssertEqual(all[1].line, 4)
        XCTAssertEqual(all[1].name, "سارا احمدی")
        XCTAssertEqual(all[1].lifecycle, .lead)
    }

    /// QA 38 #F3: our export with id, created_at and updated_at deleted (as
    /// one does in a spreadsheet) is no longer our export; its emails and
    /// phones went to the notes, unchecked and unmatched as duplicates.
    func testOurColumnNamesAreReadInAnyNamedColumnsFile() throws {
        let folder = try TempFolder()
        let path = try folder.write("trimmed.csv", """
            name,company,email_1,email_1_label,phone_1,phone_1_label,Hobby,updated_at
            Anna Berg,Acme,anna@acme.example,work,+49 30 1234567,mobile,chess,2026-04-02T10:00:00Z
            Bob Ek,Acme,bob@,,,,,

            """)
        let reader = try CSVImportReader(path: path)
        XCTAssertEqual(reader.plan.preset, .generic)
        let items = try readAll(reader)
        let anna = try XCTUnwrap(records(items).first)
        XCTAssertEqual(anna.emails, [EmailAddress("anna@acme.example", label: "work")])
        XCTAssertEqual(anna.phones, [PhoneNumber("+49 30 1234567", label: "mobile")])
        XCTAssertEqual(anna.updatedAt, try Date("2026-04-02T10:00:00Z", strategy: .iso8601))
        XCTAssertEqual(anna.extras.map(\.label), ["Hobby"], "only the column no field takes goes to the notes")
        XCTAssertEqual(problems(items).map(\.line), [3], "a bad address is refused, not kept in the notes")
        XCTAssertEqual(problems(items).first?.column, "email_1")
        XCTAssertEqual(ImportOpener.labelsKeptInNotes(reader: reader), ["Hobby"], "said in the summary")
    }

    func testTimesWithFractionsOffsetsOrTheBasicForm() throws {
        let expected = try Date("2026-03-01T09:30:00Z", strategy: .iso8601)
        XCTAssertEqual(RecordDraft.timestamp("2026-03-01T09:30:00Z"), expected)
        XCTAssertEqual(RecordDraft.timestamp("2026-03-01T10:30:00+01:00"), expected)
        XCTAssertEqual(RecordDraft.timestamp("2026-03-01T09:30:00.000Z"), expected)
        XCTAssertEqual(RecordDraft.timestamp("20260301T093000Z"), expected)
        XCTAssertNil(RecordDraft.timestamp("yesterday"))
        let folder = try TempFolder()
        let path = try folder.write("own.csv", ContactCSVColumns.fixed.joined(separator: ",") + "\n1,Anna,,,,,,,,soon,\n")
        XCTAssertEqual(problems(try readAll(CSVImportReader(path: path))),
                       [ImportProblem(line: 2, column: "created_at", message: "'soon' is not a time; expected ISO 8601 like 2026-03-01T09:30:00Z")])
    }

    func testOwnHeaderIsTheSharedColumns() {
        XCTAssertEqual(ContactCSVColumns.header(emails: 2, phones: 1).joined(separator: ","),
                       "id,name,title,company,lifecycle,owner,source,tags,notes,created_at,updated_at,email_1,email_1_label,email_2,email_2_label,phone_1,phone_1_label")
        XCTAssertTrue(ContactCSVColumns.isOwnExport(ContactCSVColumns.header(emails: 0, phones: 0)))
        XCTAssertFalse(ContactCSVColumns.isOwnExport(ContactCSVColumns.fixed + ["fax_1"]))
    }
}

/// This program's own exports of other kinds are not contacts: read by
/// their named columns, a deal row would become a contact named after the
/// person it is about. They are refused whole, as their JSON is.
final class OwnOtherExportTests: XCTestCase {
    func testOurDealsFollowUpsInteractionsAndCompaniesCSVAreRefused() throws {
        let folder = try TempFolder()
        for (kind, header) in [("deals", DealColumns.header), ("follow-ups", FollowUpColumns.header),
                               ("interactions", InteractionColumns.header), ("companies", CompanyColumns.header)] {
            let path = try folder.write("\(kind).csv", (header + ["a column added later"]).joined(separator: ",") + "\r\n"
                                        + Array(repeating: "x", count: header.count + 1).joined(separator: ",") + "\r\n")
            let error = fileError { try CSVImportReader(path: path) }
            XCTAssertEqual(error?.status, 65, kind)
            XCTAssertEqual(error?.line, 1)
            XCTAssertTrue(error?.message.hasPrefix("this is crm's CSV export of \(kind); only contacts can be imported") ?? false,
                          error?.message ?? "")
            // Mapped by hand, the file is read as the user says.
            XCTAssertNoThrow(try CSVImportReader(path: path, mapping: "\(header[1])=name"), kind)
        }
    }
}
