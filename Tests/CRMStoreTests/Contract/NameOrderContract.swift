@testable import CRMStore
import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Lists sorted by name follow each script's alphabet (ContactSort.name,
/// NameSortKey), through the repositories on both engines: pages of 3 forward
/// and backward, countBefore, search paging and the company list.
final class NameOrderContract {
    let store: ContractStore
    init(store: ContractStore) { self.store = store }

    /// A German order, written out by hand.
    static let german = [
        "Anna", "anna", "Ärger", "Masse", "Maßmann", "Mast", "Mueller", "Muller", "Müller", "Otto", "Öztürk",
        "Schafer", "Schäfer", "Schröder", "Übel", "Ursula", "Zimmer",
    ]

    /// A Persian order, written out by hand: ز before ژ, و before ه, Arabic
    /// ي and ك as ی and ک, آ as ا, harakat ignored (مُحَمَّد as محمد).
    static let persian = [
        "آرش", "بهرام", "پریسا", "تینا", "جواد", "چنگیز", "حسن", "خسرو", "داریوش", "زهرا", "ژاله", "سارا",
        "شیرین", "عباس", "علي", "غلام", "فرهاد", "کاوه", "كريم", "گلناز", "لیلا", "مُحَمَّد", "مریم", "نادر",
        "وحید", "هادی", "یاسمن",
    ]

    /// Across scripts: digits, Latin, Greek, Cyrillic in its alphabet (ё
    /// with е, й after и), Persian, then CJK.
    static let mixed = [
        "123 GmbH", "Émile", "Zoë", "Ωmega", "Анна", "Елена", "Ёлка", "Иван", "Йод", "Яна", "علی", "张伟",
    ]

    /// Creates `names` in a scrambled order, so an order by id proves nothing.
    private func database(with names: [String]) throws -> any CRMRepositories {
        let db = try store.open("tester")
        let scrambled = names.indices.sorted { ($0 * 7) % names.count < ($1 * 7) % names.count }
        for i in scrambled { _ = try db.contactRepository.create(Contact(name: names[i])) }
        return db
    }

    /// Pages of 3 forward, then backward from the last row; countBefore of every row.
    func assertPages(_ db: any CRMRepositories, _ expected: [String], filter: ContactFilter = .init(),
                             file: StaticString = #filePath, line: UInt = #line) throws {
        var forward: [ContactSummary] = []
        var cursor: ContactCursor?
        while true {
            let page = try db.contactRepository.list(sort: .name, filter: filter, cursor: cursor, direction: .forward, limit: 3)
            if page.isEmpty { break }
            XCTAssertLessThanOrEqual(page.count, 3, file: file, line: line)
            forward += page
            cursor = page.last!.cursor(for: .name)
        }
        XCTAssertEqual(forward.map(\.name), expected, "forward", file: file, line: line)
        guard let last = forward.last else { return }
        var backward: [ContactSummary] = [last]
        cursor = last.cursor(for: .name)
        while true {
            let page = try db.contactRepository.list(sort: .name, filter: filter, cursor: cursor, direction: .backward, limit: 3)
            if page.isEmpty { break }
            backward = page + backward
            cursor = page.first!.cursor(for: .name)
        }
        XCTAssertEqual(backward.map(\.name), expected, "backward", file: file, line: line)
        for (i, row) in forward.enumerated() {
            XCTAssertEqual(try db.contactRepository.countBefore(sort: .name, filter: filter, cursor: row.cursor(for: .name)), i,
                           "countBefore \(row.name)", file: file, line: line)
        }
    }

    func germanOrder() throws {
        let db = try database(with: Self.german)
        try assertPages(db, Self.german)
    }

    func persianOrder() throws {
        let db = try database(with: Self.persian)
        try assertPages(db, Self.persian)
    }

    func mixedScripts() throws {
        let db = try database(with: Self.mixed)
        try assertPages(db, Self.mixed)
    }

    func equalNamesAreOrderedByID() throws {
        let db = try store.open("tester")
        var ids: [Int64] = []
        for name in ["Schäfer", "Otto", "Schäfer", "Otto", "Schäfer"] {
            ids.append(try db.contactRepository.create(Contact(name: name)).id)
        }
        try assertPages(db, ["Otto", "Otto", "Schäfer", "Schäfer", "Schäfer"])
        let all = try db.contactRepository.list(sort: .name, filter: .init(), cursor: nil, direction: .forward, limit: 10)
        XCTAssertEqual(all.map(\.id), [ids[1], ids[3], ids[0], ids[2], ids[4]])
    }

    func searchPagesInTheSameOrder() throws {
        let db = try database(with: Self.german + ["Bernd Schmidt"])
        // "sch" finds the three Sch… names, sorted by name, and after them (a
        // word of his name, not its start) Bernd Schmidt.
        try assertPages(db, ["Schafer", "Schäfer", "Schröder", "Bernd Schmidt"], filter: ContactFilter(text: "sch"))
    }

    func aRenameMovesTheRow() throws {
        let db = try store.open("tester")
        _ = try db.contactRepository.create(Contact(name: "Schröder"))
        let x = try db.contactRepository.create(Contact(name: "Zacharias"))
        var renamed = x
        renamed.name = "Schäfer"
        _ = try db.contactRepository.update(renamed)
        try assertPages(db, ["Schäfer", "Schröder"])
        // A writer that leaves the key out (SQLite's triggers key it; on
        // PostgreSQL every write of a name goes through the repositories).
        guard let sqlite = db as? Database else { return }
        try sqlite.connection.run("INSERT INTO contacts(name, created_at, updated_at) VALUES ('Ärger', 0, 0)")
        try sqlite.connection.run("UPDATE contacts SET name = 'Zoë' WHERE id = ?", [x.id])
        try assertPages(db, ["Ärger", "Schröder", "Zoë"])
        XCTAssertEqual(try sqlite.connection.scalar("SELECT count(*) FROM contacts WHERE sort_key IS NOT crm_sortkey(name)"), 0)
    }

    func companyListFollowsTheSameOrder() throws {
        let db = try store.open("tester")
        var bosch: Int64 = 0
        let names = ["Zeiss", "Öl AG", "Otto GmbH", "Ärzte eG", "Bosch", "پارس", "بانک", "Яндекс"]
        for name in names {
            let company = try db.companyRepository.create(Company(name: name))
            if name == "Bosch" { bosch = company.id }
        }
        var seen: [String] = []
        var cursor: (name: String, id: Int64)?
        while true {
            let page = try db.companyRepository.list(after: cursor, limit: 3)
            if page.isEmpty { break }
            seen += page.map(\.name)
            cursor = (page.last!.name, page.last!.id)
        }
        XCTAssertEqual(seen, ["Ärzte eG", "Bosch", "Öl AG", "Otto GmbH", "Zeiss", "Яндекс", "بانک", "پارس"])
        // A search pages after its cursor in the same order.
        let found = try db.companyRepository.search("o", after: ("Bosch", bosch), limit: 9)
        XCTAssertEqual(found.map(\.name), ["Öl AG", "Otto GmbH"])
    }
}

final class SQLiteNameOrderTests: XCTestCase {
    func contract() throws -> NameOrderContract { NameOrderContract(store: .sqlite()) }

    func testGermanOrder() throws { try contract().germanOrder() }
    func testPersianOrder() throws { try contract().persianOrder() }
    func testMixedScripts() throws { try contract().mixedScripts() }
    func testEqualNamesAreOrderedByID() throws { try contract().equalNamesAreOrderedByID() }
    func testSearchPagesInTheSameOrder() throws { try contract().searchPagesInTheSameOrder() }
    func testARenameMovesTheRow() throws { try contract().aRenameMovesTheRow() }
    func testCompanyListFollowsTheSameOrder() throws { try contract().companyListFollowsTheSameOrder() }
}

final class PGNameOrderTests: XCTestCase {
    func contract() throws -> NameOrderContract { NameOrderContract(store: try .postgres()) }

    func testGermanOrder() throws { try contract().germanOrder() }
    func testPersianOrder() throws { try contract().persianOrder() }
    func testMixedScripts() throws { try contract().mixedScripts() }
    func testEqualNamesAreOrderedByID() throws { try contract().equalNamesAreOrderedByID() }
    func testSearchPagesInTheSameOrder() throws { try contract().searchPagesInTheSameOrder() }
    func testARenameMovesTheRow() throws { try contract().aRenameMovesTheRow() }
    func testCompanyListFollowsTheSameOrder() throws { try contract().companyListFollowsTheSameOrder() }
}
