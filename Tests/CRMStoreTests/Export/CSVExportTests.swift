import CRMCore
import CRMDemo
import CRMExchange
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// `crm export KIND --format csv` checked against the database it came from.
final class CSVExportTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!

    override func setUpWithError() throws {
        // One contact with more emails and phones than any demo contact, with
        // text that needs quoting; one in the trash (not exported).
        (db, folder) = try makeExportDemo(contacts: 60, seed: 5, editing: 4) { c in
            c.name = "Ольга \"Olga\" Petrova, PhD"
            c.notes = "first line\r\nsecond, line"
            c.emails += [EmailAddress("o3@example.ru", label: "x"), EmailAddress("o4@example.ru"), EmailAddress("o5@example.ru")]
            c.phones += [PhoneNumber("+7 495 000 00 01", label: "fax"), PhoneNumber("+7 495 000 00 02"),
                         PhoneNumber("+7 495 000 00 03"), PhoneNumber("+7 495 000 00 04")]
        }
        try db.contacts.delete(5)
    }

    func csv(_ kind: ExportKind, pageSize: Int = 500) throws -> [[String]] {
        var out = ""
        try Exporter(repository: db.export, pageSize: pageSize).run(kind: kind, format: .csv) { out += $0 }
        XCTAssertFalse(out.hasPrefix("\u{FEFF}"), "no byte-order mark")
        XCTAssertTrue(out.hasSuffix("\r\n"))
        return RFC4180.parse(out)
    }

    func table(_ kind: ExportKind) throws -> (header: [String], rows: [[String: String]]) {
        let records = try csv(kind)
        let header = try XCTUnwrap(records.first)
        for r in records { XCTAssertEqual(r.count, header.count, "every record has every column") }
        return (header, records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    func testContactsHaveTheSharedHeaderAndEveryLiveContactWithItsDetails() throws {
        let (header, rows) = try table(.contacts)
        // Contact 4 has the most: its demo ones plus those added above.
        let most = try XCTUnwrap(db.contacts.get(4))
        XCTAssertGreaterThanOrEqual(most.emails.count, 4)
        XCTAssertEqual(header, ContactCSVColumns.header(emails: most.emails.count, phones: most.phones.count))
        XCTAssertTrue(ContactCSVColumns.isOwnExport(header))
        let live = try XCTUnwrap(db.connection.scalar("SELECT count(*) FROM contacts WHERE deleted_at IS NULL"))
        XCTAssertEqual(rows.count, Int(live))
        XCTAssertFalse(rows.contains { $0["id"] == "5" }, "the trash is not exported")
        XCTAssertEqual(try csv(.contacts, pageSize: 7), try csv(.contacts), "paging loses or repeats nothing")
        let users = Dictionary(uniqueKeysWithValues: try db.allUsers().map { ($0.id, $0.login) })
        for row in rows {
            let id = try XCTUnwrap(Int64(row["id"] ?? ""))
            let c = try XCTUnwrap(db.contacts.get(id))
            XCTAssertEqual(row["name"], c.name)
            XCTAssertEqual(row["title"], c.title)
            XCTAssertEqual(row["company"], try c.companyID.flatMap { try db.companies.get($0)?.name } ?? "")
            XCTAssertEqual(row["lifecycle"], c.lifecycle.rawValue)
            XCTAssertEqual(row["owner"], c.ownerID.flatMap { users[$0] } ?? "")
            XCTAssertEqual(row["source"], c.source)
            XCTAssertEqual(row["tags"], c.tags.joined(separator: ", "))
            XCTAssertEqual(row["notes"], c.notes)
            XCTAssertEqual(row["created_at"], ExportTime.iso(c.createdAt))
            XCTAssertEqual(row["updated_at"], ExportTime.iso(c.updatedAt))
            for n in 1...most.emails.count {
                XCTAssertEqual(row["email_\(n)"], n <= c.emails.count ? c.emails[n - 1].address : "")
                XCTAssertEqual(row["email_\(n)_label"], n <= c.emails.count ? c.emails[n - 1].label : "")
            }
            for n in 1...most.phones.count {
                XCTAssertEqual(row["phone_\(n)"], n <= c.phones.count ? c.phones[n - 1].number : "")
                XCTAssertEqual(row["phone_\(n)_label"], n <= c.phones.count ? c.phones[n - 1].label : "")
            }
        }
        XCTAssertEqual(rows.first { $0["id"] == "4" }?["notes"], "first line\r\nsecond, line")
    }

    func testCompaniesDealsInteractionsAndFollowUps() throws {
        let companies = try table(.companies)
        XCTAssertEqual(companies.header, CompanyColumns.header)
        XCTAssertEqual(companies.rows.count, Int(try XCTUnwrap(db.connection.scalar("SELECT count(*) FROM companies WHERE deleted_at IS NULL"))))
        for row in companies.rows {
            let c = try XCTUnwrap(db.companies.get(Int64(row["id"]!)!))
            XCTAssertEqual([row["name"], row["domain"], row["phone"]], [c.name, c.domain, c.phone])
        }

        let deals = try table(.deals)
        XCTAssertEqual(deals.header, DealColumns.header)
        XCTAssertEqual(deals.rows.count, Int(try XCTUnwrap(db.connection.scalar("SELECT count(*) FROM deals WHERE deleted_at IS NULL"))))
        for row in deals.rows {
            let d = try XCTUnwrap(db.deals.get(Int64(row["id"]!)!))
            let stage = try XCTUnwrap(db.pipelines.stage(d.stageID))
            let pipeline = try XCTUnwrap(db.pipelines.pipelines().first { $0.id == d.pipelineID })
            XCTAssertEqual(row["title"], d.title)
            XCTAssertEqual(row["stage"], stage.name)
            XCTAssertEqual(row["pipeline"], pipeline.name)
            XCTAssertEqual(row["probability"], String(stage.probability))
            XCTAssertEqual(row["status"], d.status.rawValue)
            XCTAssertEqual(row["currency"], d.value.currency.code)
            XCTAssertEqual(try Money.parse(row["value"]!, currency: d.value.currency), d.value)
            XCTAssertEqual(row["contact_id"], d.contactID.map(String.init) ?? "")
            XCTAssertEqual(row["company_id"], d.companyID.map(String.init) ?? "")
            XCTAssertEqual(row["closed_at"], d.closedAt.map(ExportTime.iso) ?? "")
        }

        let interactions = try table(.interactions)
        XCTAssertEqual(interactions.header, InteractionColumns.header)
        XCTAssertEqual(interactions.rows.count,
                       Int(try XCTUnwrap(db.connection.scalar("SELECT count(*) FROM interactions WHERE deleted_at IS NULL"))))
        for row in interactions.rows.prefix(200) {
            let i = try XCTUnwrap(db.interactions.get(Int64(row["id"]!)!))
            XCTAssertEqual([row["kind"], row["direction"], row["subject"], row["body"], row["outcome"], row["occurred_at"]],
                           [i.kind.rawValue, i.direction.rawValue, i.subject, i.body, i.outcome, ExportTime.iso(i.occurredAt)])
            XCTAssertEqual(row["duration_s"], i.durationSeconds.map(String.init) ?? "")
        }

        let followUps = try table(.followups)
        XCTAssertEqual(followUps.header, FollowUpColumns.header)
        XCTAssertEqual(followUps.rows.count,
                       Int(try XCTUnwrap(db.connection.scalar("SELECT count(*) FROM follow_ups WHERE deleted_at IS NULL"))))
        for row in followUps.rows {
            let f = try XCTUnwrap(db.followUps.get(Int64(row["id"]!)!))
            XCTAssertEqual([row["title"], row["note"], row["status"], row["due_at"]],
                           [f.title, f.note, f.status.rawValue, ExportTime.iso(f.dueAt)])
        }
    }
}

/// A strict RFC 4180 reader for the tests (the import's own reader lives
/// on another branch): quoted fields with "" inside, CRLF records.
enum RFC4180 {
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let s = scalars.popFirst() {
            if quoted {
                if s == "\"" {
                    if scalars.first == "\"" { field.unicodeScalars.append("\""); scalars.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(s)
                }
            } else if s == "\"" {
                quoted = true
            } else if s == "," {
                record.append(field); field = ""
            } else if s == "\r" && scalars.first == "\n" {
                scalars.removeFirst()
                record.append(field); field = ""
                records.append(record); record = []
            } else {
                field.unicodeScalars.append(s)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}
