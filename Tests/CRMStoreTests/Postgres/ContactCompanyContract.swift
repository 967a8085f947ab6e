import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// One engine opened for the contract, as one user.
struct ContractSession {
    let contacts: any ContactRepository
    let companies: any CompanyRepository
    let audit: (_ entity: String, _ id: Int64) throws -> [AuditEntry]
    let clock: ManualClock
    /// ListingRepository's contacts, email addresses and companies by ids.
    let records: (_ contacts: [Int64], _ companies: [Int64]) throws -> ([Contact], [Int64: [String]], [Company])
}

/// The checks, written once; ContactCompanyContractSQLiteTests and
/// ContactCompanyContractPostgresTests run every one on their engine, and
/// the search corpus is compared across both.
struct ContactCompanyContract {
    /// A fresh database (the same one for every login of one check).
    let open: () throws -> (_ login: String) throws -> ContractSession

    func checkCreateGetUpdateAndAudit() throws {
        let s = try open()("sara")
        let acme = try s.companies.create(Company(name: "Acme GmbH", domain: "acme.de"))
        var ada = try s.contacts.create(Contact(name: "Ada Lovelace", title: "CTO", companyID: acme.id,
                                                emails: [EmailAddress("ada@acme.de", label: "work")],
                                                phones: [PhoneNumber("+49 30 1234567", label: "office")],
                                                tags: ["vip", "Berlin"], notes: "met at the fair"))
        XCTAssertEqual(ada.version, 1)
        XCTAssertEqual(ada.tags, ["Berlin", "vip"])
        XCTAssertEqual(ada.emails.map(\.address), ["ada@acme.de"])
        XCTAssertEqual(ada.phones.map(\.label), ["office"])
        ada.title = "CEO"
        ada.tags = ["vip"]
        ada = try s.contacts.update(ada)
        XCTAssertEqual(ada.version, 2)
        let entries = try s.audit("contact", ada.id)
        XCTAssertEqual(entries.map(\.action), ["update", "create"])
        XCTAssertEqual(entries.first?.changes["title"], AuditChange(.text("CTO"), .text("CEO")))
        XCTAssertEqual(entries.first.map { Set($0.changes.keys) }, ["title", "tags"])
        XCTAssertEqual(entries.first?.userLogin, "sara")
        XCTAssertEqual(try s.contacts.allTags(), ["Berlin", "vip"])
        // Nothing changed: no new version, no audit record.
        XCTAssertEqual(try s.contacts.update(ada).version, 2)
        XCTAssertEqual(try s.audit("contact", ada.id).count, 2)
    }

    func checkAStaleEditIsRefusedWithWhoAndWhat() throws {
        let db = try open()
        let sara = try db("sara")
        let ada = try sara.contacts.create(Contact(name: "Ada"))
        var first = ada
        first.notes = "first"
        _ = try sara.contacts.update(first)
        var second = ada
        second.title = "late"
        XCTAssertThrowsError(try sara.contacts.update(second)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedBy, "sara")
            XCTAssertEqual(stale.changedFields, ["notes"])
            XCTAssertEqual(stale.currentVersion, 2)
        }
        let acme = try sara.companies.create(Company(name: "Acme"))
        var renamed = acme
        renamed.name = "Acme Ltd"
        _ = try sara.companies.update(renamed)
        XCTAssertThrowsError(try sara.companies.update(acme)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedFields, ["name"])
        }
    }

    func checkTrashAndRestoreKeepTheLinks() throws {
        let s = try open()("sara")
        let acme = try s.companies.create(Company(name: "Acme"))
        let ada = try s.contacts.create(Contact(name: "Ada", companyID: acme.id))
        try s.companies.delete(acme.id)
        XCTAssertNil(try s.contacts.get(ada.id)?.companyID, "a trashed company's contacts are unlinked")
        XCTAssertEqual(try s.contacts.search("acme", filter: ContactFilter(), limit: 10).map(\.name), [])
        XCTAssertEqual(try s.audit("company", acme.id).first?.changes["unlinked contact"]?.new, .text("\(ada.id)"))
        try s.companies.restore(acme.id)
        XCTAssertEqual(try s.contacts.get(ada.id)?.companyID, acme.id)
        XCTAssertEqual(try s.contacts.search("acme", filter: ContactFilter(), limit: 10).map(\.name), ["Ada"])
        try s.contacts.delete(ada.id)
        XCTAssertEqual(try s.contacts.deleted(limit: 10).map(\.name), ["Ada"])
        XCTAssertEqual(try s.contacts.count(filter: ContactFilter()), 0)
        XCTAssertThrowsError(try s.contacts.delete(ada.id))
        try s.contacts.restore(ada.id)
        XCTAssertNil(try s.contacts.get(ada.id)?.deletedAt)
        XCTAssertEqual(try s.audit("contact", ada.id).map(\.action), ["restore", "delete", "create"])
    }

    /// A small team's list: every sort, filter and page, as rows.
    static let people: [(name: String, company: Int?, tags: [String], lifecycle: Lifecycle, phone: String?, email: String?, notes: String)] = [
        ("Anna Schmidt", 0, ["vip"], .customer, "+49 171 5551234", "anna@acme.de", ""),
        ("anna", nil, [], .lead, nil, nil, ""),
        ("Annabelle Ng", 1, [], .lead, "030 5556789", nil, "prefers email"),
        ("Hanna Anner", nil, ["vip"], .prospect, nil, "hanna@annex.io", "met Anna at a fair"),
        ("José Müller", 0, [], .customer, "+34 91 7170000", "jose@example.es", ""),
        ("Ève Durand", nil, ["Paris"], .lead, nil, nil, "ANNA's friend"),
        ("علی كريمي", 1, [], .lead, "0912 345 6789", nil, "تهران"),
        ("李秀英", nil, ["中国"], .lead, nil, nil, "客户希望下周安排演示。"),
        ("Seán O'Brien", 0, [], .former, "+353 1 555 0101", "sean@obrien.ie", "golf"),
        ("Zoë Ølsen", nil, [], .lead, "555 12", nil, ""),
        ("Mark Twain", 1, ["writer"], .lead, "0171 9988776", nil, "call 171 at noon"),
        ("Émile Zola", nil, [], .customer, nil, "emile@zola.fr", "naturalisme"),
    ]

    /// Fills the database with `people` at Acme GmbH and Annex Ltd, one a
    /// minute (so the created order is distinct), and interactions' times.
    func fill(_ s: ContractSession) throws -> [Int64] {
        let companies = [try s.companies.create(Company(name: "Acme GmbH", domain: "acme.de")),
                         try s.companies.create(Company(name: "Annex Ltd", domain: "annex.io", notes: "kundenservice"))]
        var ids: [Int64] = []
        for p in Self.people {
            s.clock.advance(by: 60)
            let contact = try s.contacts.create(Contact(name: p.name, companyID: p.company.map { companies[$0].id },
                                                        emails: p.email.map { [EmailAddress($0)] } ?? [],
                                                        phones: p.phone.map { [PhoneNumber($0)] } ?? [], tags: p.tags,
                                                        lifecycle: p.lifecycle, notes: p.notes))
            ids.append(contact.id)
        }
        return ids
    }

    /// Every row of a list read in pages of `size`, forward, and then back
    /// from its end: both must give the same rows.
    func pages(_ s: ContractSession, _ sort: ContactSort, _ filter: ContactFilter, size: Int) throws -> [String] {
        var rows: [ContactSummary] = []
        var cursor: ContactCursor?
        while true {
            let page = try s.contacts.list(sort: sort, filter: filter, cursor: cursor, direction: .forward, limit: size)
            rows += page
            guard page.count == size, let last = page.last else { break }
            cursor = ContactCursor(last, sort: sort)
        }
        var back: [ContactSummary] = []
        cursor = nil
        var first = true
        while first || cursor != nil {
            first = false
            let page = try s.contacts.list(sort: sort, filter: filter, cursor: cursor, direction: .backward, limit: size)
            back = page + back
            cursor = page.count == size ? page.first.map { ContactCursor($0, sort: sort) } : nil
        }
        let names = rows.map(\.name)
        XCTAssertEqual(back.map(\.name), names, "backward pages of \(sort) \(filter)")
        // A row's place is its index in the list.
        for (i, row) in rows.enumerated() where i % 3 == 0 {
            XCTAssertEqual(try s.contacts.countBefore(sort: sort, filter: filter, cursor: ContactCursor(row, sort: sort)), i)
        }
        XCTAssertEqual(try s.contacts.count(filter: filter), rows.count)
        return names
    }

    /// Everything the list and search show for the corpus, one line a row:
    /// compared between the engines by the test classes.
    func listingsAndSearches() throws -> [String] {
        let s = try open()("sara")
        _ = try fill(s)
        var out: [String] = []
        let filters: [ContactFilter] = [ContactFilter(), ContactFilter(tag: "VIP"), ContactFilter(lifecycle: .customer),
                                        ContactFilter(companyID: 1), ContactFilter(text: "anna"), ContactFilter(lifecycle: .lead, text: "171")]
        for sort in [ContactSort.name, .created, .lastInteraction] {
            for filter in filters {
                for size in [1, 2, 5] {
                    out.append("\(sort) \(filter.text)|\(filter.tag ?? "")|\(filter.lifecycle?.rawValue ?? "")|\(filter.companyID ?? 0) /\(size): "
                               + (try pages(s, sort, filter, size: size)).joined(separator: ", "))
                }
            }
        }
        let upTo = try s.contacts.count(filter: ContactFilter(), upTo: 5)
        out.append("count upTo 5: \(upTo.value) exact \(upTo.isExact)")
        for query in Self.queries {
            let rows = try s.contacts.search(query, filter: ContactFilter(), limit: 50)
            out.append("search \(query): " + rows.map { row in
                "\(row.name) [\(row.match.map { "\($0.rank) \($0.field?.rawValue ?? "-") \($0.text)" } ?? "")]"
                    + (row.matchedPhone.map { " ☎\($0)" } ?? "")
            }.joined(separator: "; "))
            out.append("count \(query): \(try s.contacts.count(filter: ContactFilter(text: query)))")
            out.append("companies \(query): " + (try s.companies.search(query, after: nil, limit: 10)).map(\.name).joined(separator: ", "))
        }
        out.append("companies: " + (try s.companies.list(after: nil, limit: 10)).map(\.name).joined(separator: ", "))
        out.append("companies after Acme: " + (try s.companies.list(after: ("Acme GmbH", 1), limit: 10)).map(\.name).joined(separator: ", "))
        out.append("find: \(try s.companies.find(name: "acme gmbh")?.name ?? "-")")
        // Whole records by ids, in the order asked, unknown ids left out.
        let (contacts, emails, companies) = try s.records([12, 3, 999, 1, 4], [2, 77, 1])
        out.append("records: " + contacts.map { "\($0.id) \($0.name) \($0.emails.map(\.address)) \($0.phones.map(\.number)) \($0.tags)" }
            .joined(separator: "; "))
        out.append("addresses: \(emails.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
        out.append("companies by id: \(companies.map(\.name))")
        XCTAssertEqual(contacts.map(\.id), [12, 3, 1, 4])
        XCTAssertEqual(try s.contacts.get(1), contacts.last(where: { $0.id == 1 }))
        return out
    }

    /// Queries from the SQLite search tests: prefixes, accents, Persian and
    /// Arabic letter forms, CJK runs, phone fragments and forms, punctuation.
    static let queries = [
        "anna", "Anna Schmidt", "ann", "anna sch", "an", "schmidt", "ANNA", "annex", "acme", "kunden",
        "jose", "josé", "muller", "MÜLLER", "eve", "zoe", "olsen", "emile", "zola fr",
        "علی", "علي", "كريمي", "کریمی", "تهران",
        "秀英", "李", "李秀英", "演示", "下周安排", "中国",
        "o'brien", "obrien", "brien", "sean", "seán o",
        "171", "55", "555", "+49 171", "0171 99", "0171 9988776", "0912 345 6789", "+34 91", "0049 171 5551234", "7170",
        "vip", "writer", "paris", "fair", "naturalisme", "email", "acme.de", "anna@", "hanna@annex.io",
        "--", "   ", "\"", "a*", "NEAR(x", "col:abc", "-x", "*",
    ]

    /// Duplicates and merges of the corpus plus a few look-alikes, one line
    /// each: compared between the engines.
    func duplicatesAndMerges() throws -> [String] {
        let s = try open()("sara")
        let ids = try fill(s)
        var out: [String] = []
        let acme = try XCTUnwrap(s.companies.find(name: "ACME GMBH"))
        let twin = try s.contacts.create(Contact(name: "anna  SCHMIDT", companyID: acme.id, emails: [EmailAddress("ANNA@acme.de")],
                                                 phones: [PhoneNumber("0171 5551234")]))
        _ = try s.contacts.create(Contact(name: "Mark Twain", companyID: 2, phones: [PhoneNumber("+49 171 9988776")]))
        _ = try s.contacts.create(Contact(name: "Other", emails: [EmailAddress("Hanna@Annex.io")]))
        _ = try s.companies.create(Company(name: "ACME gmbh", domain: "ACME.de"))
        let probe = DuplicateProbe(name: "Anna Schmidt", companyID: acme.id, emails: ["anna@ACME.de"], phones: ["+49 171 5551234"])
        out.append("probe: " + (try s.contacts.possibleDuplicates(of: probe, limit: 10)).map { "\($0.name) \($0.reasons)" }.joined(separator: "; "))
        func pairs(_ read: (DuplicateCursor?, Int) throws -> [DuplicatePair], size: Int) throws -> String {
            var all: [DuplicatePair] = []
            var cursor: DuplicateCursor?
            while true {
                let page = try read(cursor, size)
                all += page
                guard page.count == size, let last = page.last else { break }
                cursor = last.cursor
            }
            return all.map { "\($0.first.name)+\($0.second.name) \($0.reasons)" }.joined(separator: "; ")
        }
        for size in [1, 2, 10] {
            out.append("contact pairs /\(size): " + (try pairs({ try s.contacts.duplicatePairs(after: $0, limit: $1) }, size: size)))
            out.append("company pairs /\(size): " + (try pairs({ try s.companies.duplicatePairs(after: $0, limit: $1) }, size: size)))
        }
        let preview = try s.contacts.mergePreview(keep: ids[0], other: twin.id)
        out.append("preview: \(preview)")
        var keep = try XCTUnwrap(s.contacts.get(ids[0]))
        keep.emails += [EmailAddress("ANNA@acme.de")]
        let merged = try s.contacts.merge(into: keep, other: twin.id, otherVersion: twin.version)
        out.append("merged: \(merged.survivorVersion) \(merged.otherVersion) \(try s.contacts.get(twin.id)?.deletedAt != nil)")
        out.append("audit: " + (try s.audit("contact", ids[0])).map { "\($0.action) \($0.changes.keys.sorted())" }.joined(separator: "; "))
        XCTAssertThrowsError(try s.contacts.merge(into: keep, other: twin.id, otherVersion: twin.version))
        try s.contacts.undoMerge(merged)
        out.append("undone: \(try s.contacts.get(twin.id)?.deletedAt == nil) \(try s.contacts.get(ids[0])?.emails.map(\.address) ?? [])")
        let annex = try XCTUnwrap(s.companies.find(name: "annex ltd"))
        let result = try s.companies.merge(into: acme, other: annex.id, otherVersion: annex.version)
        out.append("company merge moved: \(result.moved.map(\.entity))")
        out.append("search annex after merge: " + (try s.contacts.search("annex", filter: ContactFilter(), limit: 20)).map(\.name).joined(separator: ", "))
        out.append("search acme after merge: " + (try s.contacts.search("acme", filter: ContactFilter(), limit: 20)).map(\.name).joined(separator: ", "))
        try s.companies.undoMerge(result)
        out.append("search annex after undo: " + (try s.contacts.search("annex", filter: ContactFilter(), limit: 20)).map(\.name).joined(separator: ", "))
        return out
    }

    func checkACompanyRenameAndDetailChangesReachTheSearch() throws {
        let s = try open()("sara")
        var acme = try s.companies.create(Company(name: "Acme"))
        var ada = try s.contacts.create(Contact(name: "Ada", companyID: acme.id))
        acme.name = "Globex"
        acme = try s.companies.update(acme)
        XCTAssertEqual(try s.contacts.search("globex", filter: ContactFilter(), limit: 5).map(\.name), ["Ada"])
        XCTAssertEqual(try s.contacts.search("acme", filter: ContactFilter(), limit: 5).map(\.name), [])
        XCTAssertEqual(try s.companies.search("glob", after: nil, limit: 5).map(\.name), ["Globex"])
        ada.emails = [EmailAddress("lovelace@engine.org")]
        ada.phones = [PhoneNumber("+44 20 7946 0958")]
        ada.tags = ["mathematics"]
        ada = try s.contacts.update(ada)
        XCTAssertEqual(try s.contacts.search("engine", filter: ContactFilter(), limit: 5).first?.match?.field, .email)
        XCTAssertEqual(try s.contacts.search("7946", filter: ContactFilter(), limit: 5).first?.matchedPhone, "+44 20 7946 0958")
        XCTAssertEqual(try s.contacts.search("math", filter: ContactFilter(), limit: 5).first?.match?.field, .tag)
        ada.tags = []
        _ = try s.contacts.update(ada)
        XCTAssertEqual(try s.contacts.search("math", filter: ContactFilter(), limit: 5).map(\.name), [])
    }
}

extension ContactCursor {
    /// The cursor of `row` in `sort` (a search's rank from its match).
    init(_ row: ContactSummary, sort: ContactSort) {
        let key: Key = switch sort {
        case .name: .text(NameSortKey.of(row.name))
        case .lastInteraction: .seconds(Int64(row.lastInteractionAt?.timeIntervalSince1970 ?? 0))
        case .created: .seconds(Int64(row.createdAt.timeIntervalSince1970))
        }
        self.init(key: key, id: row.id, rank: row.match?.rank.rawValue ?? 0)
    }
}

enum ContractEngines {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static func sqlite() -> ContactCompanyContract {
        ContactCompanyContract(open: {
            let folder = TempFolder()
            let clock = ManualClock(start)
            return { login in
                let db = try Database(path: folder.path("crm.db"), login: login, clock: clock, phoneRegion: PhoneRegion(code: "DE"))
                _ = folder
                return ContractSession(contacts: db.contacts, companies: db.companies,
                                       audit: { try db.audit.entries(entity: $0, id: $1) }, clock: clock,
                                       records: { (try db.listings.contacts(ids: $0), try db.listings.emailAddresses(contactIDs: $0),
                                                   try db.listings.companies(ids: $1)) })
            }
        })
    }

    static func postgres() throws -> ContactCompanyContract {
        let server = try TestPostgresServer.require()
        return ContactCompanyContract(open: {
            let info = server.conninfo(database: try server.makeMigratedDatabase())
            let clock = ManualClock(start)
            return { login in
                let db = try PostgresDatabase(conninfo: info, login: login, clock: clock)
                db.phoneRegion = PhoneRegion(code: "DE")
                let listing = PGListingRepository(db: db)
                return ContractSession(contacts: PGContactRepository(db: db), companies: PGCompanyRepository(db: db),
                                       audit: { try db.audit.entries(entity: $0, id: $1) }, clock: clock,
                                       records: { (try listing.contacts(ids: $0), try listing.emailAddresses(contactIDs: $0),
                                                   try listing.companies(ids: $1)) })
            }
        })
    }
}

final class ContactCompanyContractSQLiteTests: XCTestCase {
    let contract = ContractEngines.sqlite()
    func testCreateGetUpdateAndAudit() throws { try contract.checkCreateGetUpdateAndAudit() }
    func testAStaleEditIsRefusedWithWhoAndWhat() throws { try contract.checkAStaleEditIsRefusedWithWhoAndWhat() }
    func testTrashAndRestoreKeepTheLinks() throws { try contract.checkTrashAndRestoreKeepTheLinks() }
    func testACompanyRenameAndDetailChangesReachTheSearch() throws { try contract.checkACompanyRenameAndDetailChangesReachTheSearch() }
    func testTheCorpusFindsWhatTheSearchTestsExpect() throws {
        let lines = try contract.listingsAndSearches()
        func line(_ prefix: String) -> String { lines.first { $0.hasPrefix(prefix) } ?? "" }
        XCTAssertTrue(line("search 秀英: ").contains("李秀英"))
        XCTAssertTrue(line("search 演示: ").contains("李秀英 [otherField note"))
        XCTAssertTrue(line("search علي: ").contains("علی كريمي"), line("search علي: "))
        XCTAssertTrue(line("search josé: ").contains("José Müller"))
        XCTAssertTrue(line("search anna: ").hasPrefix("search anna: anna [exactName"))
        XCTAssertTrue(line("search +49 171: ").contains("☎+49 171 5551234"))
        XCTAssertEqual(line("search --: "), "search --: ")
    }
    func testDuplicatesAndMerges() throws {
        let lines = try contract.duplicatesAndMerges()
        XCTAssertTrue(lines[0].hasPrefix("probe: Anna Schmidt"), lines[0])
        XCTAssertTrue(lines.contains { $0.hasPrefix("contact pairs /1: Anna Schmidt+anna  SCHMIDT") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("company pairs /1: Acme GmbH+ACME gmbh") }, "\(lines)")
        if ProcessInfo.processInfo.environment["PRINT_CORPUS"] != nil { print(lines.joined(separator: "\n")) }
        XCTAssertTrue(lines.contains("undone: true [\"anna@acme.de\"]"), "\(lines)")
    }
}

final class ContactCompanyContractPostgresTests: XCTestCase {
    func contract() throws -> ContactCompanyContract { try ContractEngines.postgres() }
    func testCreateGetUpdateAndAudit() throws { try contract().checkCreateGetUpdateAndAudit() }
    func testAStaleEditIsRefusedWithWhoAndWhat() throws { try contract().checkAStaleEditIsRefusedWithWhoAndWhat() }
    func testTrashAndRestoreKeepTheLinks() throws { try contract().checkTrashAndRestoreKeepTheLinks() }
    func testACompanyRenameAndDetailChangesReachTheSearch() throws { try contract().checkACompanyRenameAndDetailChangesReachTheSearch() }

    /// Duplicates (probe and pairs, every page size) and merges, as on SQLite.
    func testDuplicatesAndMergesAsOnSQLite() throws {
        let expected = try ContractEngines.sqlite().duplicatesAndMerges()
        let found = try contract().duplicatesAndMerges()
        XCTAssertEqual(found.count, expected.count)
        for (e, f) in zip(expected, found) { XCTAssertEqual(f, e) }
    }

    /// Every list, page, count and search of the corpus, line for line as SQLite gives it.
    func testTheCorpusListsAndSearchesAsOnSQLite() throws {
        let expected = try ContractEngines.sqlite().listingsAndSearches()
        let found = try contract().listingsAndSearches()
        if ProcessInfo.processInfo.environment["PRINT_CORPUS"] != nil { print(found.filter { $0.hasPrefix("search") || $0.hasPrefix("companies") }.joined(separator: "\n")) }
        XCTAssertEqual(found.count, expected.count)
        for (e, f) in zip(expected, found) { XCTAssertEqual(f, e) }
    }
}
