import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm duplicates` and `crm merge`, the real binary as a script runs it.
extension CLITests {
    private func seedDuplicates() throws -> (dbPath: String, older: Int64, newer: Int64) {
        let dbPath = path("dups.db")
        let db = try Database(path: dbPath, login: "tester")
        // The team: an unknown --user is refused (exit 67) since roles came.
        _ = try db.users.findOrCreate(login: "sara")
        let granite = try db.companies.create(Company(name: "Granite Bau", domain: "granite.example"))
        let older = try db.contacts.create(Contact(name: "Günter Müller", companyID: granite.id, emails: [EmailAddress("g@granite.de")]))
        let newer = try db.contacts.create(Contact(name: "Gunter \u{1b}[31mMuller", title: "Einkauf",
                                                   emails: [EmailAddress("G@GRANITE.DE")]))
        _ = try db.interactions.log(Interaction(contactID: newer.id, kind: .call, subject: "hello"))
        _ = try db.companies.create(Company(name: "Granite Bau GmbH", domain: "granite.example"))
        return (dbPath, older.id, newer.id)
    }

    func testDuplicatesJSONParses() throws {
        let (dbPath, older, newer) = try seedDuplicates()
        let before = try Data(contentsOf: URL(fileURLWithPath: dbPath))
        let result = try crm("duplicates", "--json", "--db", dbPath)
        XCTAssertEqual(result.status, 0, result.err)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let contacts = try XCTUnwrap(object["contacts"] as? [[String: Any]])
        XCTAssertEqual(contacts.count, 1)
        XCTAssertEqual((contacts[0]["first"] as? [String: Any])?["id"] as? Int64, older)
        XCTAssertEqual((contacts[0]["second"] as? [String: Any])?["id"] as? Int64, newer)
        // Control characters from the database are escaped, never raw.
        XCTAssertFalse(result.out.contains("\u{1b}"))
        XCTAssertEqual((contacts[0]["second"] as? [String: Any])?["name"] as? String, "Gunter \u{1b}[31mMuller")
        let reasons = try XCTUnwrap(contacts[0]["reasons"] as? [[String: Any]])
        XCTAssertEqual(reasons.first?["reason"] as? String, "same email")
        XCTAssertEqual(reasons.first?["value"] as? String, "g@granite.de")
        let companies = try XCTUnwrap(object["companies"] as? [[String: Any]])
        XCTAssertEqual(companies.first?["strength"] as? String, "same domain")
        XCTAssertEqual((object["more"] as? [String: Bool])?["contacts"], false)
        // Read-only: the file is unchanged.
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dbPath)), before)

        let text = try crm("duplicates", "--db", dbPath, "--limit", "1")
        XCTAssertTrue(text.out.contains("#\(older) Günter Müller · Granite Bau  =  #\(newer) Gunter ␛[31mMuller   same email g@granite.de"),
                      text.out)
        XCTAssertEqual(try crm("duplicates", "--limit", "0", "--db", dbPath).status, 64)
    }

    func testMergeDryRunWritesNothingAndMergeMoves() throws {
        let (dbPath, older, newer) = try seedDuplicates()
        let dry = try crm("merge", "contact", "\(older)", "\(newer)", "--dry-run", "--db", dbPath)
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertTrue(dry.out.contains("moves     1 interaction"), dry.out)
        XCTAssertTrue(dry.out.contains("Nothing written"), dry.out)
        let merged = try crm("merge", "contact", "\(older)", "\(newer)", "--db", dbPath, "--user", "sara")
        XCTAssertEqual(merged.status, 0, merged.err)
        let db = try Database(path: dbPath, mode: .read)
        XCTAssertEqual(try db.contacts.get(older)?.title, "Einkauf")
        XCTAssertNotNil(try db.contacts.get(newer)?.deletedAt)
        XCTAssertEqual(try db.auditTrail(entity: "contact", id: older, limit: 1).first?.userLogin, "sara")
        // The merged-away id says where its history went (QA 30 #18).
        let again = try crm("merge", "contact", "\(older)", "\(newer)", "--db", dbPath)
        XCTAssertEqual(again.status, 1)
        let survivor = "contact \(newer) was merged into contact \(older), which holds its history now: use \(older)"
        XCTAssertEqual(again.err, "crm: \(survivor)\n")
        let shown = try crm("show", "contact", "\(newer)", "--db", dbPath)
        XCTAssertEqual(shown.status, 1)
        XCTAssertEqual(shown.err, "crm: \(survivor)\n")
        let logged = try crm("log", "--contact", "\(newer)", "--type", "note", "--body", "x", "--db", dbPath)
        XCTAssertEqual(logged.err, "crm: \(survivor); nothing was logged\n")
        XCTAssertEqual(try crm("show", "contact", "\(older)", "--db", dbPath).status, 0)
        XCTAssertEqual(try crm("merge", "contact", "5", "--db", dbPath).status, 64)
    }
}
