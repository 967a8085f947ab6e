@testable import CRMStore
import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Lists sorted by name follow each script's alphabet (ContactSort.name,
/// NameSortKey), through the repositories on real files: pages of 3 forward
/// and backward, countBefore, search paging and the company list.
final class NameOrderTests: XCTestCase {
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
    private func database(with names: [String]) throws -> (Database, TempFolder) {
        let (db, folder) = try makeDatabase()
        let scrambled = names.indices.sorted { ($0 * 7) % names.count < ($1 * 7) % names.count }
        for i in scrambled { _ = try db.contacts.create(Contact(name: names[i])) }
        return (db, folder)
    }

    /// Pages of 3 forward, then backward from the last row; countBefore of every row.
    private func assertPages(_ db: Database, _ expected: [String], filter: ContactFilter = .init(),
                             file: StaticString = #filePath, line: UInt = #line) throws {
        var forward: [ContactSummary] = []
        var cursor: ContactCursor?
        while true {
            let page = try db.contacts.list(sort: .name, filter: filter, cursor: cursor, direction: .forward, limit: 3)
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
            let page = try db.contacts.list(sort: .name, filter: filter, cursor: cursor, direction: .backward, limit: 3)
            if page.isEmpty { break }
            backward = page + backward
            cursor = page.first!.cursor(for: .name)
        }
        XCTAssertEqual(backward.map(\.name), expected, "backward", file: file, line: line)
        for (i, row) in forward.enumerated() {
            XCTAssertEqual(try db.contacts.countBefore(sort: .name, filter: filter, cursor: row.cursor(for: .name)), i,
                           "countBefore \(row.name)", file: file, line: line)
        }
    }

    func testGermanOrder() throws {
        let (db, _folder) = try database(with: Self.german)
        _ = _folder
        try assertPages(db, Self.german)
    }

    func testPersianOrder() throws {
        let (db, _folder) = try database(with: Self.persian)
        _ = _folder
        try assertPages(db, Self.persian)
    }

    func testMixedScripts() throws {
        let (db, _folder) = try database(with: Self.mixed)
        _ = _folder
        try assertPages(db, Self.mixed)
    }

    func testEqualNamesAreOrderedByID() throws {
        let (db, _folder) = try makeDatabase()
        _ = _folder
        var ids: [Int64] = []
        for name in ["Schäfer", "Otto", "Schäfer", "Otto", "Schäfer"] {
            ids.append(try db.contacts.create(Contact(name: name)).id)
        }
        try assertPages(db, ["Otto", "Otto", "Schäfer", "Schäfer", "Schäfer"])
        let all = try db.contacts.list(sort: .name, filter: .init(), cursor: nil, direction: .forward, limit: 10)
        XCTAssertEqual(all.map(\.id), [ids[1], ids[3], ids[0], ids[2], ids[4]])
    }

    func testSearchPagesInTheSameOrder() throws {
        let (db, _folder) = try database(with: Self.german + ["Bernd Schmidt"])
        _ = _folder
        // "sch" finds the three Sch… names, sorted by name, and after them (a
        // word of his name, not its start) Bernd Schmidt.
        try assertPages(db, ["Schafer", "Schäfer", "Schröder", "Bernd Schmidt"], filter: ContactFilter(text: "sch"))
    }

    func testARenameMovesTheRow() throws {
        let (db, _folder) = try makeDatabase()
        _ = _folder
        _ = try db.contacts.create(Contact(name: "Schröder"))
        let x = try db.contacts.create(Contact(name: "Zacharias"))
        var renamed = x
        renamed.name = "Schäfer"
        _ = try db.contacts.update(renamed)
        try assertPages(db, ["Schäfer", "Schröder"])
        // A writer that leaves the key out (the triggers key it).
        try db.connection.run("INSERT INTO contacts(name, created_at, updated_at) VALUES ('Ärger', 0, 0)")
        try db.connection.run("UPDATE contacts SET name = 'Zoë' WHERE id = ?", [x.id])
        try assertPages(db, ["Ärger", "Schröder", "Zoë"])
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contacts WHERE sort_key IS NOT crm_sortkey(name)"), 0)
    }

    func testCompanyListFollowsTheSameOrder() throws {
        let (db, _folder) = try makeDatabase()
        _ = _folder
        var bosch: Int64 = 0
        let names = ["Zeiss", "Öl AG", "Otto GmbH", "Ärzte eG", "Bosch", "پارس", "بانک", "Яндекс"]
        for name in names {
            let company = try db.companies.create(Company(name: name))
            if name == "Bosch" { bosch = company.id }
        }
        var seen: [String] = []
        var cursor: (name: String, id: Int64)?
        while true {
            let page = try db.companies.list(after: cursor, limit: 3)
            if page.isEmpty { break }
            seen += page.map(\.name)
            cursor = (page.last!.name, page.last!.id)
        }
        XCTAssertEqual(seen, ["Ärzte eG", "Bosch", "Öl AG", "Otto GmbH", "Zeiss", "Яндекс", "بانک", "پارس"])
        // A search pages after its cursor in the same order.
        let found = try db.companies.search("o", after: ("Bosch", bosch), limit: 9)
        XCTAssertEqual(found.map(\.name), ["Öl AG", "Otto GmbH"])
    }

    func testMigrationFromSchema9FillsOldRows() throws {
        let folder = TempFolder()
        let path = folder.path("v9.db")
        do {
            try Database.prepareFile(at: path)
            let c = try Connection(path: path)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 9)
            for name in Self.german.reversed() {
                try c.run("INSERT INTO contacts(name, created_at, updated_at) VALUES (?, 0, 0)", [name])
            }
            try c.run("INSERT INTO companies(name, created_at, updated_at) VALUES ('Öl AG', 0, 0), ('Otto GmbH', 0, 0)")
        }
        // Read as it is, the old file sorts as before: ASCII without case, then code point.
        try Database.reading(path) { old in
            XCTAssertFalse(old.hasSortKey)
            let rows = try old.contacts.list(sort: .name, filter: .init(), cursor: nil, direction: .forward, limit: 3)
            // Equal without ASCII case: by id (inserted in reverse).
            XCTAssertEqual(rows.map(\.name), ["anna", "Anna", "Masse"])
            let next = try old.contacts.list(sort: .name, filter: .init(), cursor: rows.last!.cursor(for: .name),
                                             direction: .forward, limit: 2)
            // ß (U+00DF) after every ASCII letter.
            XCTAssertEqual(next.map(\.name), ["Mast", "Maßmann"])
        }
        let db = try Database(path: path, login: "tester")
        XCTAssertTrue(db.hasSortKey)
        XCTAssertEqual(try db.connection.scalar("PRAGMA user_version"), Int64(Database.supportedSchemaVersion))
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM contacts WHERE sort_key IS NULL"), 0)
        let keys = try db.connection.rows("SELECT name, sort_key FROM contacts") { ($0.string(0), $0.string(1)) }
        for (name, key) in keys { XCTAssertEqual(key, NameSortKey.of(name), name) }
        try assertPages(db, Self.german)
        XCTAssertEqual(try db.companies.list(after: nil, limit: 5).map(\.name), ["Öl AG", "Otto GmbH"])
    }
}
