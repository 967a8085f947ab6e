import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// How files are opened: read-only opens change nothing, not even beside the
/// file; another program's database and planted links are refused; a new
/// file is private whatever the umask.
final class OpenModeTests: XCTestCase {
    var folder: TempFolder!

    override func setUp() { folder = TempFolder() }
    override func tearDown() { folder = nil }

    /// The file's bytes and the names in its folder: what "left alone" means.
    func fingerprint(_ path: String) throws -> (Data, [String]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent).sorted()
        return (try Data(contentsOf: URL(fileURLWithPath: path)), names)
    }

    func assertUnchanged(_ path: String, since before: (Data, [String]), file: StaticString = #filePath, line: UInt = #line) throws {
        let after = try fingerprint(path)
        XCTAssertEqual(after.0, before.0, "the file's bytes changed", file: file, line: line)
        XCTAssertEqual(after.1, before.1, "files appeared or went beside it", file: file, line: line)
    }

    /// A crm database nobody has open: closed, so no -wal or -shm beside it.
    func closedDatabase(_ name: String = "crm.db", upTo version: Int? = nil) throws -> String {
        let path = folder.path(name)
        if let version {
            try Database.prepareFile(at: path)
            let c = try Connection(path: path)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: version)
            try c.run("INSERT INTO users(login, name, created_at) VALUES ('ana', 'Ana', 0)")
            try c.run("INSERT INTO contacts(name, created_at, updated_at) VALUES ('Ada Lovelace', 0, 0)")
        } else {
            let db = try Database(path: path, login: "ana")
            _ = try db.contacts.create(Contact(name: "Ada Lovelace"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        return path
    }

    func testReadModeChangesNothingAndCreatesNoUser() throws {
        let path = try closedDatabase()
        let before = try fingerprint(path)
        do {
            let db = try Database(path: path, mode: .read, login: "newcomer")
            XCTAssertTrue(db.isReadOnly)
            XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), 1)
            XCTAssertEqual(db.currentUser.login, "newcomer")
            XCTAssertEqual(try db.users.all().map(\.login), ["ana"], "a read never creates a user")
            XCTAssertThrowsError(try db.contacts.create(Contact(name: "Grace"))) { error in
                guard case RepositoryError.readOnly = error else { return XCTFail("expected readOnly, got \(error)") }
            }
        }
        try assertUnchanged(path, since: before)
    }

    func testReadModeOnAMissingFileCreatesNothing() throws {
        let path = folder.path("none.db")
        XCTAssertThrowsError(try Database(path: path, mode: .read))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testOlderSchemaIsReadAsItIsWithoutMigrating() throws {
        let path = try closedDatabase(upTo: 3)
        let before = try fingerprint(path)
        do {
            let db = try Database(path: path, mode: .read)
            XCTAssertEqual(db.schemaVersion, 3)
            XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), 1)
            XCTAssertEqual(try db.pollChanges(), .none)
        }
        try assertUnchanged(path, since: before)
    }

    func testNewerSchemaIsRefusedInReadMode() throws {
        let path = try closedDatabase()
        try Connection(path: path).execute("PRAGMA user_version = 99")
        XCTAssertThrowsError(try Database(path: path, mode: .read)) { error in
            guard case RepositoryError.schemaTooNew(99, _, _) = error else { return XCTFail("expected schemaTooNew, got \(error)") }
        }
    }

    func testEmptyFileReadsAsAnEmptyDatabase() throws {
        let path = folder.path("empty.db")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let db = try Database(path: path, mode: .read)
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, 0)
    }

    /// Another program's SQLite file, in WAL mode (the hard case: SQLite
    /// makes -wal and -shm even to read one): refused in every mode, left
    /// byte for byte as it was, nothing made beside it.
    func testAnotherProgramsDatabaseIsRefusedAndLeftAlone() throws {
        let path = folder.path("other.sqlite")
        do {
            let c = try Connection(path: path)
            _ = try c.text("PRAGMA journal_mode = WAL")
            try c.execute("CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('mine'); PRAGMA user_version = 3")
        }
        let before = try fingerprint(path)
        for mode in [Database.OpenMode.read, .write, .writeIfPermitted] {
            XCTAssertThrowsError(try Database(path: path, mode: mode, login: "ana"), "\(mode)") { error in
                guard case RepositoryError.notADatabase = error else { return XCTFail("\(mode): expected notADatabase, got \(error)") }
                XCTAssertEqual("\(error)", "\(path) is not a crm database")
            }
            try assertUnchanged(path, since: before)
        }
        XCTAssertThrowsError(try IntegrityReport.check(path: path))
        try assertUnchanged(path, since: before)
        XCTAssertEqual(try Database.kind(ofFileAt: path), .foreign)
    }

    func testADanglingLinkAtThePathIsNeverFollowed() throws {
        let target = folder.path("elsewhere/victim.db")
        try FileManager.default.createDirectory(atPath: folder.path("elsewhere"), withIntermediateDirectories: true)
        let link = folder.path("crm.db")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertThrowsError(try Database(path: link, login: "ana"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "the link's target must not be created")
    }

    func testALinkIsFollowedOnlyToACrmDatabase() throws {
        let real = try closedDatabase("real.db")
        let link = folder.path("link.db")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        XCTAssertEqual(try Database(path: link, login: "ana").contacts.count(filter: ContactFilter()), 1)
        XCTAssertEqual(try Database(path: link, mode: .read).contacts.count(filter: ContactFilter()), 1)

        // A link to an empty file would make crm fill a file elsewhere.
        let empty = folder.path("empty")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: nil))
        let emptyLink = folder.path("empty-link.db")
        try FileManager.default.createSymbolicLink(atPath: emptyLink, withDestinationPath: empty)
        for mode in [Database.OpenMode.read, .write] {
            XCTAssertThrowsError(try Database(path: emptyLink, mode: mode)) { error in
                guard case RepositoryError.notADatabase = error else { return XCTFail("expected notADatabase, got \(error)") }
            }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: empty)).count, 0)
    }

    func testNewFileIs0600WhateverTheUmask() throws {
        for mask: mode_t in [0o022, 0o277, 0o000] {
            let path = folder.path("new-\(mask).db")
            let old = umask(mask)
            defer { umask(old) }
            _ = try Database(path: path)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o600, "umask \(String(mask, radix: 8))")
        }
    }

    /// The screen on a read-only file sees a colleague's writes: a file read
    /// without locks is read anew once it changed.
    func testReadModeSeesAnotherConnectionsWrite() throws {
        let path = try closedDatabase()
        let reader = try Database(path: path, mode: .read)
        XCTAssertEqual(try reader.pollChanges(), .none)
        do {
            let writer = try Database(path: path, login: "omid")
            _ = try writer.contacts.create(Contact(name: "Grace Hopper"))
            XCTAssertFalse(try reader.pollChanges().isEmpty)
            XCTAssertEqual(try reader.contacts.count(filter: ContactFilter()), 2)
            _ = try writer.contacts.create(Contact(name: "Jürgen Müller"))
            XCTAssertFalse(try reader.pollChanges().isEmpty)
            XCTAssertEqual(try reader.contacts.count(filter: ContactFilter()), 3)
        }
    }
}
