import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm backup` and `crm restore`, run as the real binary next to other
/// processes that have the database open and write to it.
final class BackupE2ETests: XCTestCase {
    var run: CRMRun!
    var db: String { run.path("crm.db") }

    override func setUpWithError() throws {
        run = try CRMRun.temporary("backup")
        let filled = try run.crm("demo", "--db", db, "--contacts", "100")
        XCTAssertEqual(filled.status, 0, filled.err)
    }

    override func tearDown() { run.remove() }

    func mode(_ path: String) -> mode_t {
        var st = stat()
        lstat(path, &st)
        return st.st_mode & 0o777
    }

    func contacts(_ path: String) throws -> Int {
        try Database.reading(path) { try $0.counts().contacts }
    }

    func testBackupWhileAnotherProcessWritesIsConsistentAndDoesNotHoldTheWriterUp() throws {
        // A second crm appends 3,000 contacts in one transaction meanwhile.
        let writer = Process()
        writer.executableURL = CLITests.binary
        writer.arguments = ["demo", "--db", db, "--append", "--contacts", "3000"]
        writer.environment = run.environment
        writer.standardOutput = FileHandle.nullDevice
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        var copies = 0
        repeat {
            let copy = run.path("copy-\(copies).db")
            let result = try run.crm("backup", "--db", db, copy)
            XCTAssertEqual(result.status, 0, result.err)
            XCTAssertTrue(result.out.contains("integrity:       ok"), result.out)
            XCTAssertEqual(mode(copy), 0o600)
            XCTAssertEqual(try IntegrityReport.check(path: copy).problems, [])
            // One moment of the file: before the writer's commit or after it, never between.
            let n = try contacts(copy)
            XCTAssertTrue(n == 100 || n == 3100, "copy \(copies) holds \(n) contacts")
            XCTAssertTrue(result.out.contains("holds:           \(n) contacts"), result.out)
            copies += 1
        } while writer.isRunning && copies < 50
        writer.waitUntilExit()
        XCTAssertEqual(writer.terminationStatus, 0, "the writer failed while backups ran")
        XCTAssertEqual(try contacts(db), 3100)
    }

    func testBackupDoesNotWaitForAnOpenWriteTransactionAndLeavesItOut() throws {
        // This process holds the write lock with an uncommitted row while crm backs up.
        let holder = try Database(path: db, login: "sara")
        let copy = run.path("copy.db")
        let result = try holder.transaction {
            _ = try holder.contacts.create(Contact(name: "Uncommitted Person"))
            return try run.crm("backup", "--db", db, copy)
        }
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try contacts(copy), 100)
        XCTAssertEqual(try contacts(db), 101)
    }

    func testBackupRefusesALinkAnExistingFileAndTheDatabaseItself() throws {
        let elsewhere = run.path("elsewhere.db")
        let link = run.path("link.db")
        XCTAssertEqual(symlink(elsewhere, link), 0)
        for args in [[link], [link, "--force"]] {
            let result = try run.crm(["backup", "--db", db] + args)
            XCTAssertEqual(result.status, 73, result.err)
            XCTAssertTrue(result.firstErrorLine.contains("symbolic link"), result.err)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: elsewhere), "a backup was written through the link")

        let existing = run.path("existing.db")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
        let refused = try run.crm("backup", "--db", db, existing)
        XCTAssertEqual(refused.status, 73, refused.err)
        XCTAssertTrue(refused.firstErrorLine.contains("--force"), refused.err)
        XCTAssertEqual(FileManager.default.contents(atPath: existing), Data("keep me".utf8))
        let forced = try run.crm("backup", "--db", db, existing, "--force")
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertEqual(try contacts(existing), 100)
        XCTAssertEqual(mode(existing), 0o600)

        XCTAssertEqual(try run.crm("backup", "--db", db, db).status, 64)
        // No temporary file is left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: run.folder.path)
        XCTAssertEqual(names.filter { $0.contains(".tmp-") }, [])
    }

    func testRestoreRefusedWhileOpenThenDoneWithYesKeepingTheOldFile() throws {
        let backup = run.path("backup.db")
        XCTAssertEqual(try run.crm("backup", "--db", db, backup).status, 0)
        // Changes after the backup, by sara, with her session still open.
        var session: Database? = try Database(path: db, login: "sara")
        _ = try session!.contacts.create(Contact(name: "Added After The Backup"))
        let refused = try run.crm("restore", backup, "--db", db, "--yes")
        XCTAssertEqual(refused.status, 75, refused.err)
        let line = refused.firstErrorLine
        XCTAssertTrue(line.contains("is open") && line.contains("pid \(getpid())"), line)
        XCTAssertTrue(line.contains("active in the last 15 minutes: sara"), line)
        XCTAssertEqual(try contacts(db), 101, "a refused restore changed the database")

        // Without a terminal and without --yes it asks for --yes.
        session = nil
        let unasked = try run.crm("restore", backup, "--db", db)
        XCTAssertEqual(unasked.status, 64, unasked.err)
        XCTAssertTrue(unasked.firstErrorLine.contains("--yes"), unasked.err)

        // A team's file, shared through its group (QA 45 IO #3): the
        // restored file keeps its mode and group.
        XCTAssertEqual(chmod(db, 0o660), 0)
        let group: gid_t = getuid() == 0 ? 100 : getgid()
        XCTAssertEqual(chown(db, uid_t.max, group), 0)
        let restored = try run.crm("restore", backup, "--db", db, "--yes")
        XCTAssertEqual(restored.status, 0, restored.err)
        XCTAssertEqual(try contacts(db), 100)
        XCTAssertEqual(mode(db), 0o660)
        var info = stat()
        XCTAssertEqual(stat(db, &info), 0)
        XCTAssertEqual(info.st_gid, group)
        let kept = try FileManager.default.contentsOfDirectory(atPath: run.folder.path).filter { $0.hasPrefix("crm.db.before-restore-") }
        XCTAssertEqual(kept.count, 1, "\(kept)")
        XCTAssertEqual(mode(run.path(kept[0])), 0o660, "the old file keeps its mode under its new name")
        XCTAssertEqual(try contacts(run.path(kept[0])), 101)
        XCTAssertEqual(try IntegrityReport.check(path: db).problems, [])
        // The backup itself is left as it was, and crm opens the result.
        XCTAssertEqual(try contacts(backup), 100)
        XCTAssertEqual(try run.crm("check", "--db", db).status, 0)
    }

    func testRestoreRefusesADamagedOrForeignFile() throws {
        let backup = run.path("backup.db")
        XCTAssertEqual(try run.crm("backup", "--db", db, backup).status, 0)
        let before = FileManager.default.contents(atPath: db)
        // Damaged: the second half of the file is cut off.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        bytes = bytes.prefix(bytes.count / 2)
        let cut = run.path("cut.db")
        try bytes.write(to: URL(fileURLWithPath: cut))
        let damaged = try run.crm("restore", cut, "--db", db, "--yes")
        XCTAssertEqual(damaged.status, 65, damaged.err)
        XCTAssertTrue(damaged.firstErrorLine.contains("cut.db"), damaged.err)
        // Not a database at all.
        let text = run.path("notes.txt")
        try Data(String(repeating: "not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: text))
        let foreign = try run.crm("restore", text, "--db", db, "--yes")
        XCTAssertEqual(foreign.status, 65, foreign.err)
        XCTAssertEqual(try run.crm("restore", run.path("missing.db"), "--db", db, "--yes").status, 66)
        // An empty file passes SQLite's integrity check, but holds no crm
        // database: restoring it would leave one without users (QA 43 #1).
        let empty = run.path("empty.db")
        FileManager.default.createFile(atPath: empty, contents: Data())
        let nothing = try run.crm("restore", empty, "--db", db, "--yes")
        XCTAssertEqual(nothing.status, 65, nothing.err)
        XCTAssertEqual(nothing.firstErrorLine, "crm: \(empty) is not a crm database")
        // Nor is one backed up: nothing to back up, said of the source.
        let copy = try run.crm("backup", "--db", empty, run.path("of-empty.db"))
        XCTAssertEqual(copy.status, 65, copy.err)
        XCTAssertEqual(copy.firstErrorLine, "crm: \(empty) is not a crm database")
        XCTAssertFalse(FileManager.default.fileExists(atPath: run.path("of-empty.db")))
        // Written by a newer crm: a schema version this one does not know.
        let newer = run.path("newer.db")
        try FileManager.default.copyItem(atPath: backup, toPath: newer)
        try Connection(path: newer, create: false).execute("PRAGMA user_version = 999")
        let tooNew = try run.crm("restore", newer, "--db", db, "--yes")
        XCTAssertEqual(tooNew.status, 65, tooNew.err)
        XCTAssertTrue(tooNew.firstErrorLine.contains("999"), tooNew.err)
        // Backed up, the newer file is named, not the copy it would have made (QA 43 #13).
        let newerCopy = try run.crm("backup", "--db", newer, run.path("newer-copy.db"))
        XCTAssertEqual(newerCopy.status, 65, newerCopy.err)
        XCTAssertTrue(newerCopy.firstErrorLine.hasPrefix("crm: \(newer) has schema version 999"), newerCopy.err)
        XCTAssertEqual(FileManager.default.contents(atPath: db), before, "a refused restore changed the database")
        let names = try FileManager.default.contentsOfDirectory(atPath: run.folder.path)
        XCTAssertEqual(names.filter { $0.contains("before-restore") || $0.contains(".tmp-") }, [])
    }

    func testRestoreAsksOnTheTerminalAndNoLeavesTheDatabaseAlone() throws {
        let backup = run.path("backup.db")
        XCTAssertEqual(try run.crm("backup", "--db", db, backup).status, 0)
        XCTAssertEqual(try run.crm("demo", "--db", db, "--append", "--contacts", "5").status, 0)
        let environment = run.environment
        for (answer, status, count) in [("n", Int32(1), 105), ("", Int32(1), 105), ("y", Int32(0), 100)] {
            let terminal = try PseudoTerminal([CLITests.binary.path, "restore", backup, "--db", db], environment: environment)
            XCTAssertTrue(terminal.waitFor("[y/N]"), String(decoding: terminal.output, as: UTF8.self))
            terminal.type(answer + "\r")
            XCTAssertEqual(terminal.waitForExit(), status, String(decoding: terminal.output, as: UTF8.self))
            XCTAssertEqual(try contacts(db), count, "after answering \"\(answer)\"")
        }
    }
}
