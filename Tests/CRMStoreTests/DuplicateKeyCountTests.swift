import CRMCore
import CRMDemo
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The duplicate keys' row counts (schema 36), which the duplicates list
/// walks: kept in step by every kind of write, and the list they give the
/// same as the walk over every key (a file read at an older schema).
final class DuplicateKeyCountTests: XCTestCase {
    private func contact(_ db: Database, _ name: String, company: Int64? = nil, emails: [String] = [],
                         phones: [String] = []) throws -> Contact {
        var c = Contact(name: name, companyID: company)
        c.emails = emails.map { EmailAddress($0) }
        c.phones = phones.map { PhoneNumber($0) }
        return try db.contacts.create(c)
    }

    /// What the count tables hold, next to the counts made from the rows themselves.
    private func assertCountsMatchTheRows(_ db: Database, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        let pairs: [(String, String)] = [
            ("SELECT lower(email), n FROM contact_email_key_counts WHERE n > 0 ORDER BY 1",
             "SELECT lower(email), count(*) FROM contact_emails GROUP BY email COLLATE NOCASE ORDER BY 1"),
            ("SELECT match_key, n FROM contact_phone_key_counts WHERE n > 0 ORDER BY 1",
             "SELECT match_key, count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY 1 ORDER BY 1"),
            ("SELECT name_key || '@' || company_id, n FROM contact_name_key_counts WHERE n > 0 ORDER BY 1",
             "SELECT name_key || '@' || company_id, count(*) FROM contacts WHERE name_key IS NOT NULL AND company_id IS NOT NULL GROUP BY name_key, company_id ORDER BY 1"),
            // Schema 46: the name groups that list a pair.
            ("SELECT name_key || '@' || company_id, 1 FROM contact_name_pairs ORDER BY 1",
             "SELECT DISTINCT name_key || '@' || company_id, 1 FROM contact_name_pair_members ORDER BY 1"),
        ]
        for (stored, made) in pairs {
            let a = try c.rows(stored) { "\($0.string(0))=\($0.int64(1))" }
            let b = try c.rows(made) { "\($0.string(0))=\($0.int64(1))" }
            XCTAssertEqual(a, b, stored, file: file, line: line)
        }
    }

    func testCountsFollowInsertsEditsTheTrashPurgesAndMerges() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        let other = try db.companies.create(Company(name: "Alpenblick"))
        let a = try contact(db, "Günter Müller", company: granite.id, emails: ["g@granite.de"], phones: ["+49 30 5550101"])
        var b = try contact(db, "Gunter Muller", company: granite.id, emails: ["G@Granite.de"], phones: ["+49 30 5550101"])
        let d = try contact(db, "Paula", emails: ["p@x.de"], phones: ["+49 40 999999"])
        try assertCountsMatchTheRows(db)
        XCTAssertEqual(try db.connection.scalar("SELECT n FROM contact_email_key_counts WHERE email = 'G@GRANITE.DE'"), 2)

        // An edit: another name, company, address and number.
        b.name = "Paula Schmidt"
        b.companyID = other.id
        b.emails = [EmailAddress("p@x.de")]
        b.phones = [PhoneNumber("+49 40 999999")]
        b = try db.contacts.update(b)
        try assertCountsMatchTheRows(db)
        XCTAssertEqual(try db.connection.scalar("SELECT n FROM contact_email_key_counts WHERE email = 'g@granite.de'"), 1)

        // The trash keeps the rows (and their counts); the list leaves them out.
        try db.contacts.delete(d.id)
        try assertCountsMatchTheRows(db)
        XCTAssertTrue(try db.contacts.duplicatePairs(after: nil, limit: 10).isEmpty)
        // Purged for good: the rows and their counts go.
        _ = try db.trash.purgeExpired(days: 0)
        try assertCountsMatchTheRows(db)

        // A merge moves the loser's keys to the survivor.
        let c2 = try contact(db, "Günter Müller", company: granite.id, emails: ["g2@granite.de"])
        let survivor = try XCTUnwrap(try db.contacts.get(a.id))
        _ = try db.contacts.merge(into: survivor, other: c2.id, otherVersion: c2.version)
        try assertCountsMatchTheRows(db)
    }

    /// The demo fill (the bench's fast path: indexes dropped and built
    /// again, the key triggers suspended) leaves the counts right too.
    func testCountsAreRightAfterTheFastDemoFill() throws {
        let folder = TempFolder()
        let db = try Database(path: folder.path("fast.db"))
        _ = try DemoData.generate(into: db, contacts: 400, seed: 7, throwawayFile: true)
        try assertCountsMatchTheRows(db)
        XCTAssertGreaterThan(try db.connection.scalar("SELECT count(*) FROM contact_email_key_counts") ?? 0, 300)
    }

    func testTheCountedWalkListsWhatTheWalkOverEveryKeyLists() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        let companies = try (0..<4).map { try db.companies.create(Company(name: "Company \($0)")).id }
        let names = ["Anna Berg", "Bo Chan", "Cleo Dunn", "Dan Eck", "Eva Falk"]
        var n = 0
        for round in 0..<3 {
            for (i, name) in names.enumerated() {
                n += 1
                let email = i % 2 == 0 ? "\(name.prefix(3).lowercased())@example.com" : "only\(n)@example.com"
                let phone = i % 3 == 0 ? "+49 30 55501\(i)" : "+49 30 6\(n)0000\(round)"
                let c = try contact(db, name, company: companies[(i + round) % 2], emails: [round == 1 ? email.uppercased() : email],
                                    phones: [phone])
                if n % 7 == 0 { try db.contacts.delete(c.id) }
            }
        }
        let repo = SQLiteContactRepository(db: db)
        XCTAssertTrue(db.hasDuplicateKeyCounts)
        func walk(_ tiers: [DuplicateFinder.Tier], before: Bool, limit: Int) throws -> [[Int64]] {
            var out: [[Int64]] = []
            var cursor: DuplicateCursor?
            let finder = DuplicateFinder(db: db)
            while true {
                let page = before
                    ? try finder.pairs(tiers: tiers, before: cursor, limit: limit, shared: repo.sharedReasons, record: repo.duplicateRecord)
                    : try finder.pairs(tiers: tiers, after: cursor, limit: limit, shared: repo.sharedReasons, record: repo.duplicateRecord)
                guard !page.isEmpty else { break }
                out += (before ? page.reversed() : page).map { [$0.first.id, $0.second.id] }
                cursor = before ? page.first?.cursor : page.last?.cursor
                XCTAssertLessThan(out.count, 200)
            }
            return before ? out.reversed() : out
        }
        let scanned = try walk(SQLiteContactRepository.scannedTiers, before: false, limit: 100)
        XCTAssertFalse(scanned.isEmpty)
        for limit in [1, 2, 100] {
            XCTAssertEqual(try walk(SQLiteContactRepository.countedTiers, before: false, limit: limit), scanned, "after, \(limit) a page")
            XCTAssertEqual(try walk(SQLiteContactRepository.countedTiers, before: true, limit: limit), scanned, "before, \(limit) a page")
            // Schema 46: the names walk only the groups that list a pair.
            XCTAssertEqual(try walk(SQLiteContactRepository.listedTiers, before: false, limit: limit), scanned, "listed, after, \(limit) a page")
            XCTAssertEqual(try walk(SQLiteContactRepository.listedTiers, before: true, limit: limit), scanned, "listed, before, \(limit) a page")
        }
    }

    /// Each reason's walk reads the partial index of its shared keys, never every key.
    func testTheWalksReadOnlyTheSharedKeys() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        // A batch of pairs' reasons: each read by the pairs' ids, never a table.
        for sql in [SQLiteContactRepository.sharedEmailsSQL, SQLiteContactRepository.sharedPhonesSQL,
                    SQLiteContactRepository.sharedNamesSQL] {
            let lines = try db.connection.rows("EXPLAIN QUERY PLAN " + sql, ["[[1,2],[3,4]]"]) { $0.string(3) }
            XCTAssertEqual(lines.filter { $0.hasPrefix("SCAN") && !$0.contains("json_each") && $0 != "SCAN p" }, [],
                           lines.joined(separator: "\n"))
        }
        XCTAssertTrue(db.hasNamePairGroups)
        let walks = SQLiteContactRepository.countedTiers.map { ($0, "_keys_shared") }
            + SQLiteContactRepository.listedTiers.map { ($0, $0.strength == .name ? "USING PRIMARY KEY" : "_keys_shared") }
        for (tier, index) in walks {
            for sql in [tier.sql, tier.reverseSQL] {
                let lines = try db.connection.rows("EXPLAIN QUERY PLAN " + sql, ["m", 0, 10]) { $0.string(3) }
                let plan = lines.joined(separator: "\n")
                XCTAssertTrue(plan.contains(index), plan)
                // Only the few groups found are scanned (the CTEs), never a table.
                XCTAssertEqual(lines.filter { $0.hasPrefix("SCAN") && !["SCAN g", "SCAN found"].contains($0) }, [], plan)
            }
        }
    }

    /// Schema 46: a name group is listed while one of its contacts shares
    /// neither an address nor a number with the group's oldest, and follows
    /// every write that changes that: an address or a number added, changed or
    /// removed, the oldest trashed and restored, a rename.
    func testNamePairGroupsFollowAddressesNumbersAndTheTrash() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        let acme = try db.companies.create(Company(name: "Acme"))
        var a = try contact(db, "Ida Roth", company: acme.id, emails: ["ida@acme.de"])
        var b = try contact(db, "Roth Ida", company: acme.id, emails: ["roth@acme.de"])
        func listed(file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
            try assertCountsMatchTheRows(db, file: file, line: line)
            let names = try db.contacts.duplicatePairs(after: nil, limit: 10).filter { $0.cursor.strength == .name }
            let stored = try db.connection.scalar("SELECT count(*) FROM contact_name_pairs") ?? -1
            XCTAssertEqual(names.isEmpty ? 0 : 1, stored, "the list and the stored mark", file: file, line: line)
            return stored
        }
        XCTAssertEqual(try listed(), 1)
        b.emails.append(EmailAddress("IDA@acme.de"))
        b = try db.contacts.update(b)
        XCTAssertEqual(try listed(), 0, "listed under the shared address")
        b.emails = [EmailAddress("roth@acme.de")]
        b = try db.contacts.update(b)
        XCTAssertEqual(try listed(), 1, "the address removed")
        a.phones = [PhoneNumber("+49 30 5550199")]
        a = try db.contacts.update(a)
        XCTAssertEqual(try listed(), 1, "a number of its own")
        b.phones = [PhoneNumber("+49 30 5550199")]
        b = try db.contacts.update(b)
        XCTAssertEqual(try listed(), 0, "listed under the shared number")
        try db.trash.trash(.contact, a.id)
        XCTAssertEqual(try listed(), 0, "one live contact left")
        _ = try db.trash.restore(.contact, a.id)
        XCTAssertEqual(try listed(), 0)
        b.phones = [PhoneNumber("+49 30 5550200")]
        b = try db.contacts.update(b)
        XCTAssertEqual(try listed(), 1, "the number changed")
        b.name = "Bea Roth"
        b = try db.contacts.update(b)
        XCTAssertEqual(try listed(), 0, "renamed out of the group")
        let c = try contact(db, "Ida  ROTH", company: acme.id)
        XCTAssertEqual(try listed(), 1, "a new namesake")
        try db.contacts.delete(c.id)
        _ = try db.trash.purgeExpired(days: 0)
        XCTAssertEqual(try listed(), 0, "purged")
    }
}
