import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm audit`, the real binary as a script runs it, read against the
/// database it reports on.
extension CLITests {
    private func seedAudit() throws -> (dbPath: String, contactID: Int64) {
        let dbPath = path("audit.db")
        let sara = try Database(path: dbPath, login: "sara")
        var contact = try sara.contacts.create(Contact(name: "Lena \u{1b}[31mVogel", tags: ["vip"]))
        contact.tags = ["berlin", "vip"]
        contact = try sara.contacts.update(contact)
        _ = try Database(path: dbPath, login: "omid")
        // He takes Lena over from sara, which a rep may not: a manager for
        // that moment (set without an audit entry, so the trail is the
        // test's), a rep again for the rest.
        try sara.connection.run("UPDATE users SET role = 'manager' WHERE login = 'omid'")
        let omid = try Database(path: dbPath, login: "omid")
        contact.title = "Einkauf"
        contact.ownerID = omid.currentUser.id
        _ = try omid.contacts.update(contact)
        _ = try omid.companies.create(Company(name: "Granite"))
        try sara.connection.run("UPDATE users SET role = 'rep' WHERE login = 'omid'")
        return (dbPath, contact.id)
    }

    func testAuditJSONMatchesTheDatabase() throws {
        let (dbPath, contactID) = try seedAudit()
        let before = try Data(contentsOf: URL(fileURLWithPath: dbPath))
        let result = try crm("audit", "--entity", "contact", "--id", "\(contactID)", "--json", "--db", dbPath)
        XCTAssertEqual(result.status, 0, result.err)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]])
        let db = try Database(path: dbPath, mode: .read)
        let stored = try db.auditPage(AuditFilter(entity: "contact", entityID: contactID), after: nil, limit: 100)
        XCTAssertEqual(entries.count, stored.count)
        XCTAssertEqual(entries.map { ($0["id"] as? NSNumber)?.int64Value }, stored.map(\.id))
        XCTAssertEqual(entries.map { $0["user"] as? String }, stored.map(\.userLogin))
        XCTAssertEqual(entries.map { $0["action"] as? String }, ["update", "update", "create"])
        let newest = try XCTUnwrap(entries.first?["changes"] as? [String: [String: Any]])
        XCTAssertEqual(newest["title"]?["new"] as? String, "Einkauf")
        XCTAssertEqual((newest["owner"]?["new"] as? NSNumber)?.int64Value, try db.allUsers().first { $0.login == "omid" }?.id)
        let tags = try XCTUnwrap(entries[1]["changes"] as? [String: [String: Any]])
        XCTAssertEqual(tags["tags"]?["old"] as? [String], ["vip"], "a list is a JSON list")
        XCTAssertEqual(tags["tags"]?["new"] as? [String], ["berlin", "vip"])
        XCTAssertFalse(result.out.contains("\u{1b}"), "control characters are escaped")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dbPath)), before, "read-only")

        // The whole trail by whose entries: a manager's to read.
        _ = try Database(path: dbPath, login: "sara").users.add(login: "tester", name: "", role: .manager)
        let byUser = try crm("audit", "--user", "OMID", "--json", "--db", dbPath)
        let omids = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(byUser.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(Set(omids.compactMap { $0["user"] as? String }), ["omid"])
        XCTAssertEqual(Set(omids.compactMap { $0["entity"] as? String }), ["contact", "company"])
    }

    /// QA 41 #5: `W` refuses a rep the whole trail, and so does the CLI
    /// now (README: "The CLI refuses the same with exit 77 and the same
    /// sentence"); a record's own history stays anyone's, as `H` is.
    func testARepReadsARecordsHistoryButNotTheWholeTrail() throws {
        let (dbPath, contactID) = try seedAudit()
        // A login that is no user of the database reads none of it (QA 43:
        // it read the whole trail), as every other command refuses it.
        let stranger = try crm("audit", "--db", dbPath)
        XCTAssertEqual(stranger.status, 67, stranger.err)
        XCTAssertTrue(stranger.err.hasPrefix("crm: no user 'tester';"), stranger.err)
        // --as says who reads, when the system login is not the one in crm (QA 44).
        let asSara = try crm("audit", "--as", "sara", "--db", dbPath)
        XCTAssertEqual(asSara.status, 0, asSara.err)
        XCTAssertTrue(asSara.out.contains("update contact \(contactID)"), asSara.out)
        XCTAssertEqual(try crm("audit", "--as", "omid", "--db", dbPath).status, 77, "a rep, as anyone else")
        // QA 45 SC #1, #2: a login differing only in case is no new user
        // (a typo), and a rep whose login differs from an admin's only in
        // case (made before this rule) does not take the admin's place.
        let typo = try crm("log", "--db", dbPath, "--contact", "\(contactID)", "--type", "note", "--body", "x", "--user", "SARA")
        XCTAssertEqual(typo.status, 67, typo.err)
        XCTAssertTrue(typo.err.contains("did you mean 'sara'?"), typo.err)
        let old = try Database(path: dbPath, login: "sara")
        try old.connection.run("INSERT INTO users(login, name, created_at, role) VALUES ('Sara', 'Sara', 0, 'rep')")
        XCTAssertEqual(try crm("audit", "--as", "sara", "--db", dbPath).status, 0, "sara is the admin sara, not the rep Sara")
        let tester = try Database(path: dbPath, login: "tester")   // the login crm runs as here: a rep
        XCTAssertEqual(tester.currentUser.role, .rep)
        let whole = try crm("audit", "--db", dbPath)
        XCTAssertEqual(whole.status, 77, whole.err)
        XCTAssertEqual(whole.err, "crm: only a manager or an admin reads the whole audit trail; you are tester, a rep\n")
        XCTAssertEqual(try crm("audit", "--user", "omid", "--db", dbPath).status, 77)
        let one = try crm("audit", "--entity", "contact", "--id", "\(contactID)", "--db", dbPath)
        XCTAssertEqual(one.status, 0, one.err)
        XCTAssertTrue(one.out.contains("update contact \(contactID)"), one.out)
    }

    func testAuditTextAndBadInput() throws {
        let (dbPath, contactID) = try seedAudit()
        let text = try crm("audit", "--entity", "contact", "--id", "\(contactID)", "--db", dbPath)
        XCTAssertEqual(text.status, 0, text.err)
        XCTAssertTrue(text.out.contains("· omid · update contact \(contactID)"), text.out)
        XCTAssertTrue(text.out.contains("  owner: sara → omid"), text.out)
        XCTAssertTrue(text.out.contains("  tags: vip → berlin, vip"), text.out)
        XCTAssertTrue(text.out.contains("name: — → Lena ␛[31mVogel"), text.out)

        // The kinds' whole lists: a manager's to read.
        _ = try Database(path: dbPath, login: "sara").users.add(login: "tester", name: "", role: .manager)
        XCTAssertEqual(try crm("audit", "--user", "nobody", "--db", dbPath).status, 67)
        XCTAssertEqual(try crm("audit", "--entity", "planet", "--db", dbPath).status, 64)
        // Every kind the log holds can be picked (QA 27 #21), not records only.
        for kind in ["stage", "pipeline", "user", "import", "setting"] {
            XCTAssertEqual(try crm("audit", "--entity", kind, "--db", dbPath).status, 0, kind)
        }
        XCTAssertEqual(try crm("audit", "--id", "3", "--db", dbPath).status, 64)
        let since = try crm("audit", "--since", "next friday-ish", "--db", dbPath)
        XCTAssertEqual(since.status, 64, "a value that is no date is a usage error, as for every other --since")
        XCTAssertTrue(since.err.contains("--since"), since.err)
        let future = try crm("audit", "--since", "+3d", "--json", "--db", dbPath)
        XCTAssertEqual(future.out.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: ""), "[]")
    }
}
