import CRMCore
import CRMRepositories
import CRMStore
import CRMStorePostgres
import Foundation
import XCTest

/// `crm migrate` as an admin runs it: the real binary copies a demo team's
/// SQLite file into a fresh PostgreSQL database on the throwaway server, and
/// back into a new SQLite file; the lossless export of the copy equals the
/// original's line for line, and every refusal is one sentence and a sysexits status.
final class MigrateE2ETests: XCTestCase {
    var run: CRMRun!
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        run = CRMRun(folder: folder)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// QA 34 #1: a file written by a crm before schema 78 may hold "Über"
    /// and "über" as two tags, which PostgreSQL keeps as one: the move is
    /// refused with what to do, nothing is copied, and once the file was
    /// opened by this crm (which merges them) it moves.
    func testTagsDifferingOnlyInTheirCaseAreMergedBeforeAMove() throws {
        let server = try TestPostgresServer.require()
        let target = server.conninfo(database: try server.makeDatabase())
        let file = path("tags.db")
        try "Name,Email,Tags\nAnna Eins,eins@example.de,Über\n".write(toFile: path("tags.csv"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try run.crm("import", path("tags.csv"), "--db", file).status, 0)
        // As a file of schema 77 is: without the column step 81 adds (its
        // triggers call crm's functions, which the sqlite3 shell lacks).
        do { try Database(path: file, login: "tester").connection.execute("ALTER TABLE contacts DROP COLUMN uid") }
        let older = try run.run("/usr/bin/sqlite3", [file, "INSERT INTO tags(name) VALUES ('über'); PRAGMA user_version = 77;"])
        XCTAssertEqual(older.status, 0, older.err)
        let refused = try run.crm("migrate", "--from", file, "--to", target)
        XCTAssertEqual(refused.status, 65, refused.err)
        XCTAssertTrue(refused.firstErrorLine.contains("'über' differs from another tag only in its letters' case"), refused.err)
        XCTAssertTrue(refused.firstErrorLine.contains("crm --db FILE"), refused.err)
        XCTAssertFalse(refused.err.contains("line 0"), refused.err)
        XCTAssertEqual(try PGConnection(target).integer("SELECT count(*) FROM contacts"), 0, "nothing copied")
        _ = try Database(path: file, login: "tester")
        let moved = try run.crm("migrate", "--from", file, "--to", target)
        XCTAssertEqual(moved.status, 0, moved.err)
        XCTAssertTrue(moved.out.contains("every count equal"), moved.out)
        let tagged = try run.crm("contacts", "--tag", "ÜBER", "--db", target)
        XCTAssertTrue(tagged.out.contains("Anna Eins"), tagged.out + tagged.err)
    }

    func testATeamMovesToPostgreSQLAndBackWithoutLosingARow() throws {
        let server = try TestPostgresServer.require()
        let target = server.conninfo(database: try server.makeDatabase())
        XCTAssertEqual(try run.crm("demo", "--db", path("team.db"), "--contacts", "120").status, 0)

        let there = try run.crm("migrate", "--from", path("team.db"), "--to", target)
        XCTAssertEqual(there.status, 0, there.err)
        XCTAssertTrue(there.out.contains("every count equal"), there.out)
        XCTAssertTrue(there.out.contains("contacts                             120         120"), there.out)
        XCTAssertFalse(there.out.contains("DIFFERS"))
        // The copy's duplicates key counts (schema 38) are counted once
        // after the rows, as each row's trigger would have kept them, and
        // the Duplicates list is the original's.
        let pg = try PGConnection(target)
        for (kept, made) in [
            ("SELECT email, n FROM contact_email_key_counts WHERE n > 0",
             "SELECT translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE \"C\", count(*) FROM contact_emails GROUP BY 1"),
            ("SELECT match_key, n FROM contact_phone_key_counts WHERE n > 0",
             "SELECT match_key, count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY 1"),
            ("SELECT name_key || '@' || company_id, n FROM contact_name_key_counts WHERE n > 0",
             "SELECT name_key || '@' || company_id, count(*) FROM contacts WHERE name_key IS NOT NULL AND company_id IS NOT NULL GROUP BY name_key, company_id"),
        ] {
            XCTAssertGreaterThan(try pg.integer("SELECT count(*) FROM (\(kept)) k") ?? 0, 20, kept)
            XCTAssertEqual(try pg.integer("SELECT count(*) FROM ((\(kept)) EXCEPT (\(made))) k"), 0, kept)
            XCTAssertEqual(try pg.integer("SELECT count(*) FROM ((\(made)) EXCEPT (\(kept))) k"), 0, made)
        }
        // The name groups that list a pair (step 46), decided once after the copy.
        let groups = ("SELECT name_key, company_id FROM contact_name_pairs",
                      "SELECT DISTINCT name_key, company_id FROM contact_name_pair_members")
        XCTAssertEqual(try pg.integer("SELECT count(*) FROM ((\(groups.0)) EXCEPT (\(groups.1))) k"), 0, groups.0)
        XCTAssertEqual(try pg.integer("SELECT count(*) FROM ((\(groups.1)) EXCEPT (\(groups.0))) k"), 0, groups.1)
        let listed = try run.crm("duplicates", "--db", path("team.db"), "--limit", "1000")
        let listedThere = try run.crm("duplicates", "--db", target, "--limit", "1000")
        XCTAssertEqual(listedThere.status, 0, listedThere.err)
        XCTAssertEqual(listedThere.out, listed.out)

        let back = try run.crm("migrate", "--from", target, "--to", path("laptop.db"))
        XCTAssertEqual(back.status, 0, back.err)
        let mode = try FileManager.default.attributesOfItem(atPath: path("laptop.db"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)

        for (db, out) in [("team.db", "a.json"), ("laptop.db", "b.json")] {
            XCTAssertEqual(try run.crm("export", "all", "--format", "json", "--db", path(db), "--out", path(out)).status, 0)
        }
        let original = try String(contentsOfFile: path("a.json"), encoding: .utf8).split(separator: "\n").dropFirst()
        let copy = try String(contentsOfFile: path("b.json"), encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertGreaterThan(original.count, 1000)
        XCTAssertEqual(Array(original), Array(copy), "every row, id and value came back as it was")
    }

    func testRefusalsAreOneSentenceWithTheirStatus() throws {
        let server = try TestPostgresServer.require()
        let target = server.conninfo(database: try server.makeDatabase())
        XCTAssertEqual(try run.crm("demo", "--db", path("team.db"), "--contacts", "20").status, 0)
        XCTAssertEqual(try run.crm("migrate", "--from", path("team.db"), "--to", target).status, 0)

        let again = try run.crm("migrate", "--from", path("team.db"), "--to", target)
        XCTAssertEqual(again.status, 73)
        XCTAssertTrue(again.firstErrorLine.contains("is not empty") && again.firstErrorLine.contains("nothing was copied"), again.err)

        let exists = try run.crm("migrate", "--from", target, "--to", path("team.db"))
        XCTAssertEqual(exists.status, 73)
        XCTAssertTrue(exists.firstErrorLine.contains("it exists"), exists.err)

        let garbled = try run.crm("migrate", "--from", path("team.db"), "--to", "postgresql://[oops")
        XCTAssertEqual(garbled.status, 64)
        XCTAssertTrue(garbled.firstErrorLine.contains("is not a PostgreSQL connection string"), garbled.err)

        let noDatabase = try run.crm("migrate", "--from", path("team.db"), "--to", server.conninfo(database: "no_such_db"))
        XCTAssertEqual(noDatabase.status, 69)
        XCTAssertTrue(noDatabase.firstErrorLine.contains("createdb"), noDatabase.err)

        let noServer = try run.crm("migrate", "--from", path("team.db"), "--to", "host=\(path("nowhere")) dbname=crm")
        XCTAssertEqual(noServer.status, 69)
        XCTAssertTrue(noServer.firstErrorLine.contains("cannot be reached"), noServer.err)
        for result in [again, exists, garbled, noDatabase, noServer] {
            XCTAssertEqual(result.err.split(separator: "\n").count, 1, "one sentence, no libpq text: \(result.err)")
        }
    }

    func testABackupWithPgDumpRestoresToTheSameRows() throws {
        let server = try TestPostgresServer.require()
        let live = server.conninfo(database: try server.makeDatabase())
        XCTAssertEqual(try run.crm("demo", "--db", path("team.db"), "--contacts", "40").status, 0)
        XCTAssertEqual(try run.crm("migrate", "--from", path("team.db"), "--to", live).status, 0)

        let backup = try run.crm("backup", "--db", live, path("team.dump"))
        XCTAssertEqual(backup.status, 0, backup.err)
        XCTAssertTrue(backup.out.contains("checked with pg_restore --list"), backup.out)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path("team.dump"))[.posixPermissions] as? Int, 0o600)
        XCTAssertEqual(try run.crm("backup", "--db", live, path("team.dump")).status, 73, "an existing file is kept")
        // A symbolic link is refused even with --force, as for SQLite, and left as it was.
        XCTAssertEqual(symlink(path("elsewhere.dump"), path("link.dump")), 0)
        let overLink = try run.crm("backup", "--force", "--db", live, path("link.dump"))
        XCTAssertEqual(overLink.status, 73, overLink.err)
        XCTAssertTrue(overLink.firstErrorLine.contains("it is a symbolic link"), overLink.err)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path("link.dump")), path("elsewhere.dump"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("elsewhere.dump")))
        // The hint names the same server, so it can be pasted (QA 38 B-F5).
        let options = "-h \(server.folder) -p \(server.port) -U postgres "
        XCTAssertTrue(backup.out.contains("restore with:    createdb \(options)crm_restored && pg_restore \(options)--no-owner --dbname=crm_restored"),
                      backup.out)
        // pg_dump refuses a CRM role (here a rep) the tables with
        // row-level security: refused with who may back up, exit 77,
        // nothing written.
        XCTAssertEqual(try run.crm("user", "add", "backup_rep", "--role", "rep", "--db", live, "--user", "sara").status, 0)
        let asRep = try run.crm("backup", "--db", live.replacingOccurrences(of: "user=postgres", with: "user=backup_rep"), path("rep.dump"))
        XCTAssertEqual(asRep.status, 77, asRep.err)
        XCTAssertTrue(asRep.firstErrorLine.contains("make the backup as the database's owner or a superuser"), asRep.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("rep.dump")))

        let restored = server.conninfo(database: try server.makeDatabase())
        let pgRestore = try XCTUnwrap(["/usr/bin/pg_restore"] + ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .map { "/usr/lib/postgresql/\($0)/bin/pg_restore" }).first { FileManager.default.isExecutableFile(atPath: $0) }
        let put = try run.run(try XCTUnwrap(pgRestore), ["--dbname=\(restored)", "--no-owner", path("team.dump")])
        XCTAssertEqual(put.status, 0, put.err)
        XCTAssertEqual(try run.crm("migrate", "--from", restored, "--to", path("restored.db")).status, 0)
        for (db, out) in [("team.db", "a.json"), ("restored.db", "b.json")] {
            XCTAssertEqual(try run.crm("export", "all", "--format", "json", "--db", path(db), "--out", path(out)).status, 0)
        }
        XCTAssertEqual(try String(contentsOfFile: path("a.json"), encoding: .utf8).split(separator: "\n").dropFirst(),
                       try String(contentsOfFile: path("b.json"), encoding: .utf8).split(separator: "\n").dropFirst())
    }

    func testCommandsNamingAnUnreachableServerSaySoAndMakeNoFile() throws {
        let result = try run.crm("contacts", "--db", "host=\(path("no-server")) dbname=crm")
        XCTAssertEqual(result.status, 69)
        XCTAssertTrue(result.firstErrorLine.contains("cannot be reached"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("host=\(path("no-server")) dbname=crm")))
        let env = try run.run(CLITests.binary.path, ["agenda"], extraEnvironment: ["CRM_DB": "host=\(path("no-server")) dbname=crm"])
        XCTAssertEqual(env.status, 69)
        XCTAssertTrue(env.firstErrorLine.contains("($CRM_DB)"), env.err)
    }
}
