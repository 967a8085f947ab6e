@testable import CRMStore
import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Schema 10 keys the names of an older file (the orders themselves are
/// checked on both engines: NameOrderContract).
final class NameOrderTests: XCTestCase {
    func testMigrationFromSchema9FillsOldRows() throws {
        let folder = TempFolder()
        let path = folder.path("v9.db")
        do {
            try Database.prepareFile(at: path)
            let c = try Connection(path: path)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 9)
            for name in NameOrderContract.german.reversed() {
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
        try NameOrderContract(store: .sqlite()).assertPages(db, NameOrderContract.german)
        XCTAssertEqual(try db.companies.list(after: nil, limit: 5).map(\.name), ["Öl AG", "Otto GmbH"])
    }
}
