import CRMRepositories
import CRMStore
import Foundation
import XCTest

final class MigrationTests: XCTestCase {
    func testNewDatabaseIsMigratedToLatestVersionWithWAL() throws {
        let (db, folder) = try makeDatabase()
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion)
        XCTAssertEqual(try db.connection.text("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try db.connection.scalar("PRAGMA foreign_keys"), 1)
        XCTAssertEqual(try db.integrityCheck(), ["ok"])
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path("crm.db"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testReopenIsIdempotentAndKeepsData() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        do {
            let db = try Database(path: path, login: "a")
            _ = try db.contacts.create(.init(name: "Ada"))
        }
        let again = try Database(path: path, login: "a")
        XCTAssertEqual(again.schemaVersion, Database.supportedSchemaVersion)
        XCTAssertEqual(try again.contacts.count(filter: .init()), 1)
        XCTAssertEqual(try again.users.all().map(\.login), ["a"])
    }

    func testDatabaseFromNewerBinaryIsRefusedAndLeftAlone() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        do {
            let db = try Database(path: path)
            try db.connection.execute("PRAGMA user_version = 99")
        }
        XCTAssertThrowsError(try Database(path: path)) { error in
            guard case RepositoryError.schemaTooNew(let found, let supported, _) = error else {
                return XCTFail("expected schemaTooNew, got \(error)")
            }
            XCTAssertEqual(found, 99)
            XCTAssertEqual(supported, Database.supportedSchemaVersion)
            XCTAssertTrue("\(error)".contains("newer crm"))
        }
        let c = try Connection(path: path)
        XCTAssertEqual(try c.scalar("PRAGMA user_version"), 99)
    }

    func testFolderIsCreatedPrivate() throws {
        let folder = TempFolder()
        let path = folder.path("nested/deeper/crm.db")
        _ = try Database(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path("nested/deeper"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o700)
    }
}
