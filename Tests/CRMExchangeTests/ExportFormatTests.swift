import CRMCore
import CRMExchange
import CRMRepositories
import Foundation
import XCTest

final class ExportFormatTests: XCTestCase {
    func testTimesAreISO8601InUTC() {
        XCTAssertEqual(ExportTime.iso(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(ExportTime.iso(Date(timeIntervalSince1970: 1_709_210_096)), "2024-02-29T12:34:56Z")
        XCTAssertEqual(ExportTime.iso(Date(timeIntervalSince1970: -1)), "1969-12-31T23:59:59Z")
        XCTAssertEqual(ExportTime.basic(Date(timeIntervalSince1970: 1_709_210_096)), "20240229T123456Z")
    }

    func testJSONStringsEscapeWhatATerminalWouldObey() {
        XCTAssertEqual(JSONLine.encode(.string("a\"b\\c\nd\u{1B}[31m\u{9B}\u{202E}é")),
                       #""a\"b\\c\nd\u001B[31m\u009B\u202Eé""#)
        XCTAssertEqual(JSONLine.line([("type", .string("x")), ("n", .integer(-3)), ("r", JSONLine.real(0.5)), ("z", .null),
                                      ("a", .array([.string("t")]))]),
                       #"{"type":"x","n":-3,"r":0.5,"z":null,"a":["t"]}"# + "\n")
        XCTAssertEqual(JSONLine.encode(JSONLine.real(1)), "1.0")
        XCTAssertEqual(JSONLine.encode(JSONLine.real(.infinity)), "null")
    }

    func testMoneyIsInMajorUnitsWithoutGrouping() {
        XCTAssertEqual(ExportField.amount(Money(minorUnits: 1_234_567_89, currency: .eur)), .decimal("1234567.89"))
        XCTAssertEqual(ExportField.amount(Money(minorUnits: 5, currency: Currency("JPY")!)), .decimal("5"))
        XCTAssertEqual(ExportField.amount(Money(minorUnits: 1_234, currency: Currency("KWD")!)), .decimal("1.234"))
    }

    func testVCardAndAllOnlyInTheFormatsTheyHave() {
        XCTAssertThrowsError(try Exporter.check(kind: .deals, format: .vcard))
        XCTAssertThrowsError(try Exporter.check(kind: .all, format: .csv))
        XCTAssertNoThrow(try Exporter.check(kind: .contacts, format: .vcard))
        XCTAssertNoThrow(try Exporter.check(kind: .all, format: .json))
    }

    func testAContactsJSONExportReadsBackAsImportRecords() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let contact = Contact(id: 9, name: "Zhang Wei 张伟", title: "CEO",
                              emails: [EmailAddress("zw@example.cn", label: "work"), EmailAddress("z@example.org")],
                              phones: [PhoneNumber("+86 21 5555 0101", label: "mobile")], tags: ["asia", "vip"],
                              lifecycle: .customer, source: "fair", notes: "two\nlines",
                              createdAt: Date(timeIntervalSince1970: 1), updatedAt: Date(timeIntervalSince1970: 2), version: 3)
        let text = ExportHeader.line(kind: .contacts, schemaVersion: 11)
            + ContactJSON.line(ExportContact(contact: contact, companyName: "Shanghai Tea Ltd", ownerLogin: "li"))
            + "not json\n"
            + #"{"type":"contact","name":"Ana","lifecycle":"vip"}"# + "\n"
        let path = folder.appendingPathComponent("c.jsonl").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        var reader = try JSONContactReader(path: path)
        guard case .record(let record) = try reader.next() else { return XCTFail("expected a record") }
        XCTAssertEqual(record.line, 2)
        XCTAssertEqual(record.name, "Zhang Wei 张伟")
        XCTAssertEqual(record.company, "Shanghai Tea Ltd")
        XCTAssertEqual(record.emails, contact.emails)
        XCTAssertEqual(record.phones, contact.phones)
        XCTAssertEqual(record.tags, ["asia", "vip"])
        XCTAssertEqual(record.lifecycle, .customer)
        XCTAssertEqual(record.ownerLogin, "li")
        XCTAssertEqual(record.notes, "two\nlines")
        XCTAssertEqual(record.externalID, "crm:9")
        XCTAssertEqual(try reader.next(), .rejected(ImportProblem(line: 3, message: "not a JSON object")))
        XCTAssertEqual(try reader.next(), .rejected(ImportProblem(line: 4, column: "lifecycle",
                                                                   message: "'vip' is not one of lead, prospect, customer, former")))
        XCTAssertNil(try reader.next())

        let all = folder.appendingPathComponent("all.jsonl").path
        try ExportHeader.line(kind: .all, schemaVersion: 11).write(toFile: all, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try JSONContactReader(path: all)) { XCTAssertEqual(($0 as? ImportFileError)?.status, 65) }
        XCTAssertEqual(try ExportFileHeader.read(path: all)?.kind, .all)
        XCTAssertNil(try ExportFileHeader.read(path: "/etc/hostname"))
        XCTAssertThrowsError(try JSONContactReader(path: folder.appendingPathComponent("missing").path)) {
            XCTAssertEqual(($0 as? ImportFileError)?.status, 66)
        }
    }
}
