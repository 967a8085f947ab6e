import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// One fresh database on one engine for the duplicates key counts (SQLite
/// step 36, PostgreSQL step 38): the repositories, and the counts each
/// engine keeps next to the counts made from the rows at that moment.
struct DuplicateKeyCountEngine {
    let repositories: any CRMRepositories
    /// Per count table: (kept, made fresh), each "key=n" for n > 0, keys
    /// as the list compares them (email addresses ASCII case folded).
    let counts: () throws -> [(table: String, kept: [String], made: [String])]
}

/// The duplicates list after every kind of write, written once: the kept
/// counts equal a fresh count after each write, and the list (read forward
/// and from its end) is the same transcript on both engines.
struct DuplicateKeyCountContract {
    let fresh: () throws -> DuplicateKeyCountEngine

    func checkCountsFollowEveryKindOfWrite() throws -> [String] {
        let e = try fresh()
        let r = e.repositories
        var out: [String] = []
        func check(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
            for t in try e.counts() {
                XCTAssertEqual(t.kept, t.made, "\(t.table) after \(step)", file: file, line: line)
            }
            let forward = try Self.walk(after: r.contactRepository)
            XCTAssertEqual(try Self.walk(before: r.contactRepository), forward, "read from the end after \(step)", file: file, line: line)
            out.append("\(step): " + forward.joined(separator: "; "))
            let companies = try Self.walk(after: r.companyRepository)
            XCTAssertEqual(try Self.walk(before: r.companyRepository), companies, "companies from the end after \(step)",
                           file: file, line: line)
            out.append("\(step) companies: " + companies.joined(separator: "; "))
        }
        let contacts = r.contactRepository
        let acme = try r.companyRepository.create(Company(name: "Acme GmbH", domain: "acme.de"))
        let acme2 = try r.companyRepository.create(Company(name: "ACME gmbh", domain: "ACME.DE"))
        let other = try r.companyRepository.create(Company(name: "Alpenblick", domain: "alpen.at"))
        func make(_ name: String, _ company: Int64?, _ emails: [String], _ phones: [String]) throws -> Contact {
            try contacts.create(Contact(name: name, companyID: company, emails: emails.map { EmailAddress($0) },
                                        phones: phones.map { PhoneNumber($0) }))
        }
        let anna = try make("Anna Schmidt", acme.id, ["anna@acme.de"], ["+49 171 5551234"])
        var twin = try make("anna SCHMIDT", acme.id, ["ANNA@acme.de"], ["0171 5551234"])
        let bert = try make("Bert Brecht", other.id, ["bert@alpen.at"], ["+43 1 5550000"])
        var bert2 = try make("Bert  brecht", other.id, ["b.brecht@alpen.at"], ["+49 30 1112223"])
        let cleo = try make("Cleo", nil, ["cleo@x.io", "c@x.io"], ["+49 30 1112223"])
        try check("created")

        // Edits: an address, a number, a name, a company.
        twin.emails = [EmailAddress("twin@acme.de")]
        twin = try contacts.update(twin)
        try check("edited an email")
        twin.phones = [PhoneNumber("+43 1 5550000")]
        twin = try contacts.update(twin)
        try check("edited a phone")
        bert2.name = "Berta Brecht"
        bert2 = try contacts.update(bert2)
        try check("edited a name")
        twin.companyID = other.id
        twin.name = "Bert Brecht"
        twin = try contacts.update(twin)
        try check("edited a company")

        // The trash: out of the list, back in, then gone for good.
        try r.trashRepository.trash(.contact, bert.id)
        try check("trashed")
        _ = try r.trashRepository.restore(.contact, bert.id)
        try check("restored")
        try contacts.delete(cleo.id)
        _ = try r.trashRepository.purge(kind: .contact, deletedBefore: nil)
        try check("purged")

        // A merge moves the other's keys to the survivor; undone, they come back.
        var keep = try XCTUnwrap(try contacts.get(anna.id))
        keep.emails += [EmailAddress("anna.s@acme.de")]
        let merged = try contacts.merge(into: keep, other: twin.id, otherVersion: twin.version)
        try check("merged")
        try contacts.undoMerge(merged)
        try check("merge undone")
        let companyMerge = try r.companyRepository.merge(into: acme, other: acme2.id, otherVersion: acme2.version)
        try check("companies merged")
        try r.companyRepository.undoMerge(companyMerge)
        try check("company merge undone")

        // An import: new rows, one of them a look-alike written as new.
        let (summary, _) = try ImportContract.run(r, [
            ImportContract.row(2, "Dora Dux", company: "Alpenblick", emails: ["BERT@alpen.at"], phones: ["+49 30 9990001"]),
            ImportContract.row(3, "Ede Eck", company: "Acme GmbH", emails: ["ede@acme.de"], phones: ["+49 30 9990001"]),
            ImportContract.row(4, "Anna Schmidt", company: "Acme GmbH", emails: ["anna@ACME.de"]),
            // Ede's namesake (words in another order) shares nothing else: a name pair.
            ImportContract.row(5, "Eck Ede", company: "Acme GmbH", emails: ["eck@acme.de"]),
        ], ImportOptions(label: "more.csv", format: "csv", onDuplicate: .create))
        try check("imported")
        _ = try r.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
        try check("import undone")
        return out
    }

    /// The list, every pair, read forward a few pairs at a time.
    static func walk(after repo: any ContactRepository) throws -> [String] {
        try walk { try repo.duplicatePairs(after: $0, limit: $1) }
    }

    static func walk(after repo: any CompanyRepository) throws -> [String] {
        try walk { try repo.duplicatePairs(after: $0, limit: $1) }
    }

    static func walk(before repo: any ContactRepository) throws -> [String] {
        try walkBack { try repo.duplicatePairs(before: $0, limit: $1) }
    }

    static func walk(before repo: any CompanyRepository) throws -> [String] {
        try walkBack { try repo.duplicatePairs(before: $0, limit: $1) }
    }

    private static func line(_ p: DuplicatePair) -> String { "\(p.first.name)+\(p.second.name) \(p.reasons)" }

    private static func walk(_ read: (DuplicateCursor?, Int) throws -> [DuplicatePair]) throws -> [String] {
        var out: [String] = []
        var cursor: DuplicateCursor?
        while true {
            let page = try read(cursor, 2)
            out += page.map(line)
            guard page.count == 2, let last = page.last, out.count < 100 else { return out }
            cursor = last.cursor
        }
    }

    private static func walkBack(_ read: (DuplicateCursor?, Int) throws -> [DuplicatePair]) throws -> [String] {
        var out: [String] = []
        var cursor: DuplicateCursor?
        while true {
            let page = try read(cursor, 2)
            out = page.map(line) + out
            guard page.count == 2, let first = page.first, out.count < 100 else { return out }
            cursor = first.cursor
        }
    }
}

enum DuplicateKeyCountEngines {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func sqlite() -> DuplicateKeyCountContract {
        DuplicateKeyCountContract(fresh: {
            let folder = TempFolder()
            let db = try Database(path: folder.path("crm.db"), login: "sara", clock: ManualClock(start),
                                  phoneRegion: PhoneRegion(code: "DE"))
            return DuplicateKeyCountEngine(repositories: db, counts: {
                _ = folder
                return try pairs.map { table, kept, made in
                    (table, try db.connection.rows(kept) { "\($0.string(0))=\($0.int64(1))" },
                     try db.connection.rows(made) { "\($0.string(0))=\($0.int64(1))" })
                }
            })
        })
    }

    static func postgres() throws -> DuplicateKeyCountContract {
        let server = try TestPostgresServer.require()
        return DuplicateKeyCountContract(fresh: {
            let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "sara",
                                          clock: ManualClock(start))
            db.phoneRegion = PhoneRegion(code: "DE")
            return DuplicateKeyCountEngine(repositories: db, counts: {
                try pgPairs.map { table, kept, made in
                    (table, try db.connection.rows(kept) { "\($0.string(0))=\($0.int64(1))" },
                     try db.connection.rows(made) { "\($0.string(0))=\($0.int64(1))" })
                }
            })
        })
    }

    /// SQLite: (table, its rows, the same counted from contact_emails/phones/contacts).
    static let pairs: [(String, String, String)] = [
        ("contact_email_key_counts", "SELECT lower(email), n FROM contact_email_key_counts WHERE n > 0 ORDER BY 1",
         "SELECT lower(email), count(*) FROM contact_emails GROUP BY email COLLATE NOCASE ORDER BY 1"),
        ("contact_phone_key_counts", "SELECT match_key, n FROM contact_phone_key_counts WHERE n > 0 ORDER BY 1",
         "SELECT match_key, count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY 1 ORDER BY 1"),
        ("contact_name_key_counts", "SELECT name_key || '@' || company_id, n FROM contact_name_key_counts WHERE n > 0 ORDER BY 1",
         """
         SELECT name_key || '@' || company_id, count(*) FROM contacts WHERE name_key IS NOT NULL AND company_id IS NOT NULL
         GROUP BY name_key, company_id ORDER BY 1
         """),
        // Schema 46: the name groups that list a pair, beside the groups the
        // members' definition gives at this moment.
        ("contact_name_pairs", "SELECT name_key || '@' || company_id, 1 FROM contact_name_pairs ORDER BY 1",
         "SELECT DISTINCT name_key || '@' || company_id, 1 FROM contact_name_pair_members ORDER BY 1"),
    ]

    /// PostgreSQL: the same, keys in byte order.
    static let pgPairs: [(String, String, String)] = [
        ("contact_email_key_counts", "SELECT email, n FROM contact_email_key_counts WHERE n > 0 ORDER BY 1",
         "SELECT \(PGDuplicates.nocase("email")), count(*) FROM contact_emails GROUP BY 1 ORDER BY 1"),
        ("contact_phone_key_counts", "SELECT match_key, n FROM contact_phone_key_counts WHERE n > 0 ORDER BY match_key COLLATE \"C\"",
         "SELECT match_key, count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY 1 ORDER BY match_key COLLATE \"C\""),
        ("contact_name_key_counts", "SELECT name_key || '@' || company_id AS k, n FROM contact_name_key_counts WHERE n > 0 ORDER BY (name_key || '@' || company_id) COLLATE \"C\"",
         """
         SELECT name_key || '@' || company_id AS k, count(*) FROM contacts WHERE name_key IS NOT NULL AND company_id IS NOT NULL
         GROUP BY name_key, company_id ORDER BY (name_key || '@' || company_id) COLLATE "C"
         """),
        ("contact_name_pairs", "SELECT name_key || '@' || company_id, 1 FROM contact_name_pairs ORDER BY (name_key || '@' || company_id) COLLATE \"C\"",
         """
         SELECT DISTINCT name_key || '@' || company_id, 1, (name_key || '@' || company_id) COLLATE "C"
         FROM contact_name_pair_members ORDER BY 3
         """),
    ]
}

final class DuplicateKeyCountContractSQLiteTests: XCTestCase {
    func testCountsFollowEveryKindOfWrite() throws {
        let lines = try DuplicateKeyCountEngines.sqlite().checkCountsFollowEveryKindOfWrite()
        if ProcessInfo.processInfo.environment["PRINT_CORPUS"] != nil { print(lines.joined(separator: "\n")) }
        // The list saw the writes: the look-alikes listed, the merged one gone.
        XCTAssertTrue(lines.contains { $0.hasPrefix("created: Anna Schmidt+anna SCHMIDT") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("imported: ") && $0.contains("Dora Dux") }, "\(lines)")
    }
}

final class DuplicateKeyCountContractPostgresTests: XCTestCase {
    /// The same counts after the same writes, and the same list, line for line, as on SQLite.
    func testCountsFollowEveryKindOfWriteAsOnSQLite() throws {
        let expected = try DuplicateKeyCountEngines.sqlite().checkCountsFollowEveryKindOfWrite()
        let found = try DuplicateKeyCountEngines.postgres().checkCountsFollowEveryKindOfWrite()
        XCTAssertEqual(found.count, expected.count)
        for (e, f) in zip(expected, found) { XCTAssertEqual(f, e) }
    }
}
