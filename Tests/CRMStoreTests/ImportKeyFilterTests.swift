import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// A large import skips the duplicate lookups of a row none of whose keys
/// it has seen (`ImportKeyFilter`). It must decide every row as the lookups
/// alone do: the same outcomes and, table by table, the same database.
final class ImportKeyFilterTests: XCTestCase {
    func testTheFilterHasEveryKeyItWasGivenAndFoldsAnAddressAsNocaseDoes() throws {
        let (db, folder) = try makeDatabase()
        _ = folder
        let acme = try db.companies.create(Company(name: "Acme"))
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", companyID: acme.id, emails: [EmailAddress("Ada@Example.org")],
                                           phones: [PhoneNumber("+49 30 1234567")]))
        let filter = try ImportKeyFilter.made(from: db.connection)
        func keys(_ contact: Contact) -> ContactKeys { ContactKeys(contact, region: nil) }
        let byEmail = Contact(name: "Somebody", emails: [EmailAddress(" ada@EXAMPLE.org ")])
        XCTAssertTrue(filter.mayMatch(byEmail, keys: keys(byEmail), companyID: nil, companyName: ""), "ASCII case and spaces around")
        let byPhone = Contact(name: "Somebody", phones: [PhoneNumber("+49301234567")])
        XCTAssertTrue(filter.mayMatch(byPhone, keys: keys(byPhone), companyID: nil, companyName: ""))
        let byName = Contact(name: "ADA lovelace")
        XCTAssertTrue(filter.mayMatch(byName, keys: keys(byName), companyID: acme.id, companyName: "Acme"))
        XCTAssertFalse(filter.mayMatch(byName, keys: keys(byName), companyID: acme.id + 1, companyName: "Other"),
                       "the same name at another company is no duplicate")
        XCTAssertTrue(filter.mayMatch(byName, keys: keys(byName), companyID: nil, companyName: "ACME GmbH"),
                      "a company not found by name is looked up by its key")
        // NOCASE folds ASCII letters only: 'RENÉ' is 'renÉ', and so for the filter.
        var folded = ImportKeyFilter()
        let stored = Contact(name: "X", emails: [EmailAddress("RENÉ@x.org")])
        folded.insert(stored, keys: keys(stored))
        XCTAssertEqual(try db.connection.scalar("SELECT 'RENÉ@x.org' = 'renÉ@X.Org' COLLATE NOCASE"), 1)
        let probe = Contact(name: "Y", emails: [EmailAddress("renÉ@X.Org")])
        XCTAssertTrue(folded.mayMatch(probe, keys: keys(probe), companyID: nil, companyName: ""))

        var many = ImportKeyFilter()
        for i in 0..<20_000 {
            let c = Contact(name: "P \(i)", emails: [EmailAddress("p\(i)@example.com")], phones: [PhoneNumber("+1 555 \(1_000_000 + i)")])
            many.insert(c, keys: keys(c))
        }
        var reported = 0
        for i in 0..<20_000 {
            let seen = Contact(name: "Q", emails: [EmailAddress("P\(i)@EXAMPLE.COM")])
            XCTAssertTrue(many.mayMatch(seen, keys: keys(seen), companyID: nil, companyName: ""), "never misses a key: \(i)")
            let unseen = Contact(name: "Q", emails: [EmailAddress("q\(i)@example.com")])
            if many.mayMatch(unseen, keys: keys(unseen), companyID: nil, companyName: "") { reported += 1 }
        }
        print("ImportKeyFilter: \(reported) of 20000 absent addresses reported present (40,000 keys held)")
    }

    /// Rows 1–5,600 into a file with contacts: past row 5,000 the import
    /// uses the filter. Later rows repeat an earlier row's address in
    /// another case, its number spelled otherwise, its name at its company,
    /// an existing contact's address, and a number only a merge gave that
    /// contact. With the filter and without, the outcomes and every table
    /// must be the same, under each duplicate policy.
    func testAnImportDecidesAndWritesTheSameWithTheFilterAsWithoutIt() throws {
        for policy in [DuplicatePolicy.skip, .merge, .create] {
            let with = try importFile(policy: policy, filter: true)
            let without = try importFile(policy: policy, filter: false)
            XCTAssertEqual(with.summary, without.summary, "\(policy)")
            XCTAssertEqual(with.outcomes.count, without.outcomes.count, "\(policy)")
            for (a, b) in zip(with.outcomes, without.outcomes) where a != b {
                XCTFail("\(policy): \(a) ≠ \(b)")
                break
            }
            XCTAssertEqual(with.tables.keys.sorted(), without.tables.keys.sorted())
            for table in with.tables.keys.sorted() where with.tables[table] != without.tables[table] {
                let a = with.tables[table] ?? [], b = without.tables[table] ?? []
                let first = zip(a, b).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "\(a.count) rows ≠ \(b.count) rows"
                XCTFail("\(policy): table \(table) differs: \(first)")
            }
            XCTAssertGreaterThan(with.summary.created, 5_000, "\(policy)")
            if policy != .create { XCTAssertGreaterThan(with.summary.merged + with.summary.skipped, 200, "\(policy)") }
            if policy == .merge {
                XCTAssertGreaterThan(with.tables["import_merges"]?.count ?? 0, 10, "existing contacts were merged into")
            }
        }
    }

    struct Imported {
        var outcomes: [String] = []
        var summary = ImportSummary()
        var tables: [String: [String]] = [:]
    }

    func importFile(policy: DuplicatePolicy, filter: Bool) throws -> Imported {
        let folder = TempFolder()
        let clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        let db = try Database(path: folder.path("crm.db"), login: "sara", clock: clock)
        let firma = try db.companies.create(Company(name: "Firma Ärger 3"))
        for k in 0..<30 {
            _ = try db.contacts.create(Contact(name: "Existing \(k)", companyID: k % 2 == 0 ? firma.id : nil,
                                               emails: [EmailAddress("existing\(k)@x.org")]))
        }
        var rows: [ImportRow] = []
        for i in 0..<5_600 {
            var name = "Person \(i)", company = i % 7 == 0 ? "" : "Firma Ärger \(i / 40)"
            var emails = i % 4 == 3 ? [] : [EmailAddress("p\(i)@example.com")]
            var phones = i % 3 == 2 ? [] : [PhoneNumber("+49 30 \(2_000_000 + i)")]
            if i >= 5_100 {
                switch i % 10 {
                case 0: (name, emails, phones) = ("Other \(i)", [EmailAddress("P\(i - 5_000)@Example.COM")], [])
                case 1: (name, emails, phones) = ("Other \(i)", [], [PhoneNumber("+4930\(2_000_000 + i - 3_001)")])
                case 2: (name, company, emails, phones) = ("PERSON \(i - 1_002)", "firma ärger \((i - 1_002) / 40)", [], [])
                case 3: (name, emails, phones) = ("Newcomer \(i)", [EmailAddress("EXISTING\(i % 30)@x.org")], [PhoneNumber("+49 40 \(7_000_000 + i)")])
                case 4: (name, company, emails, phones) = ("Late \(i)", "", [], [PhoneNumber("+49 40 \(7_000_000 + i - 1)")])
                case 5: (name, company, emails, phones) = ("Existing \(i % 30)", "Firma Ärger 3", [], [])
                // Its name at the company a merge (case 3) may have given it.
                case 6: (name, company, emails, phones) = ("existing \((i - 3) % 30)", "Firma Ärger \((i - 3) / 40)", [], [])
                default: break
                }
            }
            rows.append(.contact(ImportContact(line: i + 2, name: name, company: company, emails: emails, phones: phones,
                                               tags: i % 5 == 0 ? ["vip"] : [])))
        }
        var source: any ImportSource = ImportRows(rows)
        let repository = SQLiteImportRepository(db: db)
        repository.usesKeyFilter = filter
        var out = Imported()
        out.summary = try repository.importContacts(from: &source, options: ImportOptions(label: "big.csv", onDuplicate: policy),
                                                    progress: nil) { out.outcomes.append("\($0)") }
        out.tables = try tables(db)
        return out
    }

    /// Every table's rows as text (virtual tables through their shadow tables), sorted.
    func tables(_ db: Database) throws -> [String: [String]] {
        let c = db.connection
        let names = try c.rows("""
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
              AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name
            """) { $0.string(0) }
        var out: [String: [String]] = [:]
        for name in names {
            let columns = try c.rows("SELECT name FROM pragma_table_info(?) ORDER BY cid", [name]) { $0.string(0) }
            let select = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
            out[name] = try c.rows("SELECT \(select) FROM \"\(name)\"") { $0.string(0) }.sorted()
        }
        return out
    }
}
