import CRMCore
import CRMDemo
import CRMExchange
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// What `crm export` writes, read back by the import's own readers without a
/// mapping: every field of every contact arrives.
final class ReimportTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!

    override func setUpWithError() throws {
        (db, folder) = try makeExportDemo(contacts: 80, seed: 9, editing: 1) { c in
            c.name = "Müller, Günter; \"GM\""
            c.notes = "Zeile 1\nZeile 2, mit Komma; und Semikolon \\ Backslash\n" + String(repeating: "یادداشت ", count: 30)
            c.title = "CTO, Berlin"
            c.emails.append(EmailAddress("gm@verein.de", label: "Verein"))
        }
    }

    func exportFile(_ format: ExportFormat, version: VCardWriter.Version = .v4) throws -> String {
        let path = folder.path("contacts-\(format.rawValue)-\(version.rawValue)")
        var text = ""
        try Exporter(repository: db.export, vcardVersion: version).run(kind: .contacts, format: format) { text += $0 }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func records(_ reader: some ImportReader) throws -> [ImportRecord] {
        var reader = reader
        var out: [ImportRecord] = []
        while let item = try reader.next() {
            switch item {
            case .record(let r): out.append(r)
            case .rejected(let problem): XCTFail("rejected: \(problem)")
            }
        }
        return out
    }

    func liveContacts() throws -> [ExportContact] {
        try db.export.contacts(after: nil, limit: 10_000)
    }

    func testOurCSVIsReadBackWithoutAMapping() throws {
        let reader = try CSVImportReader(path: try exportFile(.csv))
        XCTAssertEqual(reader.plan.preset, .ownExport)
        let read = try records(reader)
        let contacts = try liveContacts()
        XCTAssertEqual(read.count, contacts.count)
        for (r, row) in zip(read, contacts) {
            let c = row.contact
            XCTAssertEqual(r.name, c.name)
            XCTAssertEqual(r.title, c.title)
            XCTAssertEqual(r.company, row.companyName ?? "")
            // The CSV reader writes labels in lower case and trims values.
            XCTAssertEqual(r.emails.map(\.address), c.emails.map(\.address))
            XCTAssertEqual(r.emails.map { $0.label.lowercased() }, c.emails.map { $0.label.lowercased() })
            XCTAssertEqual(r.phones.map(\.number), c.phones.map(\.number))
            XCTAssertEqual(r.phones.map { $0.label.lowercased() }, c.phones.map { $0.label.lowercased() })
            XCTAssertEqual(r.tags, c.tags)
            XCTAssertEqual(r.lifecycle, c.lifecycle)
            XCTAssertEqual(r.source, c.source)
            XCTAssertTrue(r.notesWithExtras.hasPrefix(c.notes.trimmingCharacters(in: .whitespaces)), "notes of \(c.name)")
            XCTAssertEqual(r.ownerLogin, row.ownerLogin)
        }
    }

    func testOurVCardsAreReadBackInBothVersions() throws {
        let contacts = try liveContacts()
        for version in VCardWriter.Version.allCases {
            let read = try records(try VCardImportReader(path: try exportFile(.vcard, version: version)))
            XCTAssertEqual(read.count, contacts.count)
            for (r, row) in zip(read, contacts) {
                let c = row.contact
                XCTAssertEqual(r.name, c.name, "vCard \(version.rawValue)")
                XCTAssertEqual(r.title, c.title)
                XCTAssertEqual(r.company, row.companyName ?? "")
                XCTAssertEqual(r.emails.map(\.address), c.emails.map(\.address), "vCard \(version.rawValue): \(c.name)")
                XCTAssertEqual(r.phones.map(\.number), c.phones.map(\.number), "vCard \(version.rawValue): \(c.name)")
                XCTAssertEqual(r.tags, c.tags)
                XCTAssertTrue(r.notesWithExtras.hasPrefix(c.notes.trimmingCharacters(in: .whitespaces)), "vCard \(version.rawValue): notes of \(c.name)")
            }
        }
    }

    func testOurContactsJSONIsReadBack() throws {
        let read = try records(try JSONContactReader(path: try exportFile(.json)))
        let contacts = try liveContacts()
        XCTAssertEqual(read.count, contacts.count)
        for (r, row) in zip(read, contacts) {
            XCTAssertEqual([r.name, r.title, r.company, r.notes], [row.contact.name, row.contact.title, row.companyName ?? "", row.contact.notes])
            XCTAssertEqual(r.emails, row.contact.emails)
            XCTAssertEqual(r.phones, row.contact.phones)
        }
    }
}
