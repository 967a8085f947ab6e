import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// A large import (past `ImportRun.deferIndexesAfter`) suspends the per-row
/// triggers — the search indexes' (InsertTrigger) and the derived keys'
/// (RowKeyTrigger) — and does their work set-based before COMMIT. What it
/// leaves must be what the same contacts make when created one by one through
/// the contact repository, where every trigger runs per row.
final class ImportDerivedTablesTests: XCTestCase {
    struct Person {
        let name: String
        let company: String
        let email: String?
        let phone: String?
        let tags: [String]
        let lifecycle: Lifecycle
    }

    /// Names with accents, Persian letters and repeated words; companies
    /// shared by 40 people, spelled the same way; phones in international and
    /// local form (no E.164 without a region) and none; a few customers.
    func people(_ count: Int) -> [Person] {
        let given = ["Günter", "Ada", "علی", "Zoë", "Li", "Omid"]
        let family = ["Müller", "Lovelace", "کریمی", "García", "Wei", "Rahimi"]
        // Every 50th person has the name and company of the one before,
        // and no address or number of theirs: a name group that lists a
        // pair in the Duplicates list (contact_name_pairs, schema 46).
        func name(_ i: Int) -> String { "\(given[i % given.count]) \(family[(i / 6) % family.count]) \(i)" }
        func company(_ i: Int) -> String { i % 9 == 0 ? "" : "Firma Ärger \(i / 40)" }
        return (0..<count).map { i in
            let namesake = i % 50 == 49
            return Person(name: name(namesake ? i - 1 : i),
                          company: company(namesake ? i - 1 : i),
                          email: i % 4 == 3 ? nil : "p\(i)@example.com",
                          phone: i % 3 == 2 ? nil : (i % 2 == 0 ? "+49 30 \(2_000_000 + i)" : "030 \(4_000_000 + i)"),
                          tags: i % 5 == 0 ? ["vip", "Messe 2024"] : [],
                          lifecycle: i % 11 == 0 ? .customer : .lead)
        }
    }

    /// Every derived value the insert triggers keep, in a stable order.
    func derived(_ db: Database) throws -> [String: [String]] {
        let queries = [
            "contacts": "SELECT id || '|' || name || '|' || sort_key || '|' || name_key || '|' || coalesce(company_id, '-') || '|' || lifecycle FROM contacts ORDER BY id",
            "companies": "SELECT id || '|' || name || '|' || sort_key || '|' || name_key FROM companies ORDER BY id",
            "emails": "SELECT id || '|' || contact_id || '|' || email || '|' || position FROM contact_emails ORDER BY id",
            "phones": "SELECT id || '|' || contact_id || '|' || number || '|' || digits || '|' || coalesce(e164, '-') || '|' || match_key FROM contact_phones ORDER BY id",
            "tags": "SELECT ct.contact_id || '|' || t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id ORDER BY 1",
            "name words": "SELECT word || '|' || sort_key || '|' || contact_id FROM contact_name_words ORDER BY word, sort_key, contact_id",
            "contact_fts": "SELECT rowid || '|' || name || '|' || company || '|' || emails || '|' || extra FROM contact_fts ORDER BY rowid",
            "company_fts": "SELECT rowid || '|' || name || '|' || domain || '|' || notes FROM company_fts ORDER BY rowid",
            "phone_fts": "SELECT rowid || '|' || digits FROM phone_fts ORDER BY rowid",
            "phone_e164_fts": "SELECT rowid || '|' || e164 FROM phone_e164_fts ORDER BY rowid",
            "value tiers": "SELECT stale || '|' || coalesce(policy, 'none') FROM value_tier_state",
            "email key counts": "SELECT lower(email) || '|' || n FROM contact_email_key_counts ORDER BY lower(email)",
            "phone key counts": "SELECT match_key || '|' || n FROM contact_phone_key_counts ORDER BY match_key",
            "name key counts": "SELECT name_key || '|' || company_id || '|' || n FROM contact_name_key_counts ORDER BY name_key, company_id",
            "name pairs": "SELECT name_key || '|' || company_id FROM contact_name_pairs ORDER BY name_key, company_id",
        ]
        var out: [String: [String]] = [:]
        for (name, sql) in queries { out[name] = try db.connection.rows(sql) { $0.string(0) } }
        // A contact's tags reach its search text through group_concat, in
        // whatever order the query plan reads them (the import builds the
        // tag indexes at the end); a search sees words, not their order.
        out["contact_fts"] = out["contact_fts"]?.map { $0.split(separator: " ").sorted().joined(separator: " ") }
        return out
    }

    func schema(_ db: Database) throws -> [String] {
        try db.connection.rows("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name") { $0.string(0) }
    }

    func testALargeImportLeavesTheDerivedTablesThatRowByRowWritesMake() throws {
        let people = people(ImportRun.deferIndexesAfter + 700)
        let (imported, folderA) = try makeDatabase(login: "sara")
        let (oneByOne, folderB) = try makeDatabase(login: "sara")
        _ = (folderA, folderB)
        // Both start with the tiers up to date under a made-up policy: a
        // customer's arrival marks them stale, and the hook before COMMIT
        // recomputes them (and records the policy).
        for db in [imported, oneByOne] { try db.connection.run("UPDATE value_tier_state SET stale = 0, policy = 'before'") }
        let before = try schema(imported)

        var source: any ImportSource = ImportRows(people.enumerated().map { i, p in
            .contact(ImportContact(line: i + 2, name: p.name, company: p.company, emails: p.email.map { [EmailAddress($0)] } ?? [],
                                   phones: p.phone.map { [PhoneNumber($0)] } ?? [], tags: p.tags, lifecycle: p.lifecycle))
        })
        let summary = try imported.importRepository.importContacts(from: &source, options: ImportOptions(label: "big.csv", onDuplicate: .create),
                                                                   progress: nil) { _ in }
        XCTAssertEqual(summary.created, people.count)

        var companies: [String: Int64] = [:]
        for p in people {
            var companyID: Int64?
            if !p.company.isEmpty {
                if companies[p.company] == nil { companies[p.company] = try oneByOne.companies.create(Company(name: p.company)).id }
                companyID = companies[p.company]
            }
            _ = try oneByOne.contacts.create(Contact(name: p.name, companyID: companyID, emails: p.email.map { [EmailAddress($0)] } ?? [],
                                                     phones: p.phone.map { [PhoneNumber($0)] } ?? [], tags: p.tags,
                                                     lifecycle: p.lifecycle))
        }

        let a = try derived(imported), b = try derived(oneByOne)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for key in a.keys.sorted() {
            XCTAssertFalse(a[key]!.isEmpty, key)
            XCTAssertEqual(a[key]!.count, b[key]!.count, key)
            for (x, y) in zip(a[key]!, b[key]!) where x != y {
                XCTFail("\(key) differs from what row-by-row writes make: \(x) ≠ \(y)")
                break
            }
        }
        XCTAssertNotEqual(a["value tiers"], ["0|before"], "a customer arrived: the tiers were marked stale and recomputed")
        for table in ["contact_fts", "company_fts", "phone_fts", "phone_e164_fts"] {
            XCTAssertNoThrow(try imported.connection.execute("INSERT INTO \(table)(\(table)) VALUES ('integrity-check')"), table)
        }
        XCTAssertEqual(try imported.integrityCheck(), ["ok"])
        XCTAssertEqual(try schema(imported), before, "every suspended trigger is back as the file defined it")

        // The triggers work again for an ordinary write after the import.
        let later = try imported.contacts.create(Contact(name: "Zoë Ärger", phones: [PhoneNumber("+49 30 9999999")], lifecycle: .customer))
        XCTAssertEqual(try imported.connection.scalar("SELECT count(*) FROM contact_name_words WHERE contact_id = ?", [later.id]), 2)
        XCTAssertEqual(try imported.connection.scalar(
            "SELECT count(*) FROM contact_phones WHERE contact_id = ? AND match_key = coalesce(nullif(e164, ''), digits)", [later.id]), 1)
    }

    /// The duplicate key counts (schema 36) are made again before COMMIT
    /// for every key a new row has; a merge meanwhile gives a company to a
    /// contact of this batch and to an older one, which the update trigger
    /// counts as it happens. The counts must still be those of the rows.
    func testKeyCountsAfterAnImportThatMergesAreThoseOfTheRows() throws {
        let (db, folder) = try makeDatabase(login: "sara")
        _ = folder
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        _ = try db.contacts.create(Contact(name: "Paula Berg", emails: [EmailAddress("p@berg.de")]))
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", companyID: granite.id, emails: [EmailAddress("ADA@x.org")]))
        func row(_ line: Int, _ name: String, company: String = "", email: String, phone: String? = nil) -> ImportRow {
            .contact(ImportContact(line: line, name: name, company: company, emails: [EmailAddress(email)],
                                   phones: phone.map { [PhoneNumber($0)] } ?? []))
        }
        var source: any ImportSource = ImportRows([
            row(2, "Omid Rahimi", email: "omid@x.org", phone: "+49 30 5550101"),
            row(3, "Omid Rahimi", company: "Granite Bau", email: "omid@x.org", phone: "+49 30 5550102"),
            row(4, "Paula Berg", company: "Granite Bau", email: "P@Berg.de", phone: "+49 30 5550101"),
            row(5, "Ada Lovelace", company: "Granite Bau", email: "ada@x.org"),
            row(6, "Li Wei", company: "Granite Bau", email: "li@x.org", phone: "030 5550101"),
        ])
        let summary = try db.importRepository.importContacts(from: &source, options: ImportOptions(label: "m.csv", onDuplicate: .merge),
                                                             progress: nil) { _ in }
        XCTAssertEqual(summary.merged, 3)
        let c = db.connection
        let pairs: [(String, String)] = [
            ("SELECT lower(email) || '=' || n FROM contact_email_key_counts WHERE n > 0 ORDER BY 1",
             "SELECT lower(email) || '=' || count(*) FROM contact_emails GROUP BY email COLLATE NOCASE ORDER BY 1"),
            ("SELECT match_key || '=' || n FROM contact_phone_key_counts WHERE n > 0 ORDER BY 1",
             "SELECT match_key || '=' || count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY match_key ORDER BY 1"),
            ("SELECT name_key || '@' || company_id || '=' || n FROM contact_name_key_counts WHERE n > 0 ORDER BY 1",
             """
             SELECT name_key || '@' || company_id || '=' || count(*) FROM contacts
             WHERE name_key IS NOT NULL AND company_id IS NOT NULL GROUP BY name_key, company_id ORDER BY 1
             """),
            // Schema 46: the name groups that list a pair (an import's merge adds addresses).
            ("SELECT name_key || '@' || company_id FROM contact_name_pairs ORDER BY 1",
             "SELECT DISTINCT name_key || '@' || company_id FROM contact_name_pair_members ORDER BY 1"),
        ]
        func assertCountsAreThoseOfTheRows(_ when: String) throws {
            for (stored, made) in pairs {
                XCTAssertEqual(try c.rows(stored) { $0.string(0) }, try c.rows(made) { $0.string(0) }, "\(when): \(stored)")
            }
        }
        try assertCountsAreThoseOfTheRows("after the import")
        XCTAssertEqual(try c.scalar("SELECT n FROM contact_email_key_counts WHERE email = 'ada@x.org'"), 1, "merged, not added")
        XCTAssertEqual(try c.scalar("SELECT max(n) FROM contact_name_key_counts"), 1, "each merged contact counted once at its company")
        // The undo (row by row, every trigger on) takes the batch's keys back out.
        _ = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
        try assertCountsAreThoseOfTheRows("after the undo")
        XCTAssertEqual(try c.scalar("SELECT count(*) FROM contact_name_key_counts WHERE n > 0"), 1, "Ada at Granite, as before")
    }

    /// Each recount seeks the key's index for the new rows' keys, which a
    /// list of them (LIST SUBQUERY) feeds; never a scan of the whole table
    /// per key.
    func testTheKeyCountRecountsSeekTheKeysIndexes() throws {
        let (db, folder) = try makeDatabase()
        _ = folder
        let indexes = ["contact_email_key_counts_insert": "contact_emails_by_email",
                       "contact_phone_key_counts_insert": "contact_phones_by_match",
                       "contact_name_key_counts_insert": "contacts_by_name_key"]
        for trigger in RowKeyTrigger.keyCounts {
            let plan = try db.connection.rows("EXPLAIN QUERY PLAN " + trigger.backfillSQL, [Int64(0)]) { $0.string(3) }.joined(separator: "\n")
            let index = try XCTUnwrap(indexes[trigger.name])
            XCTAssertTrue(plan.contains("SEARCH \(trigger.table) USING COVERING INDEX \(index)"), plan)
            XCTAssertTrue(plan.contains("LIST SUBQUERY"), plan)
            XCTAssertFalse(plan.contains("SCAN"), plan)
        }
    }
}
