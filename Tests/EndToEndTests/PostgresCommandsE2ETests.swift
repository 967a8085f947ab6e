import CRMCore
import CRMRepositories
import CRMStorePostgres
import Foundation
import XCTest

/// The real binary's commands on a PostgreSQL database (`--db` and
/// `$CRM_DB` holding a connection string), and every way opening one can go
/// wrong: one sentence naming the setting, a sysexits status, libpq's words
/// only in crm.log.
final class PostgresCommandsE2ETests: XCTestCase {
    var run: CRMRun!

    override func setUpWithError() throws { run = try CRMRun.temporary("pgcommands") }
    override func tearDownWithError() throws { run.remove() }

    /// A demo team copied into a fresh server database (as an admin moves over).
    func migratedDemo(_ server: TestPostgresServer, contacts: Int = 60) throws -> String {
        let target = server.conninfo(database: try server.makeDatabase())
        XCTAssertEqual(try run.crm("demo", "--db", run.path("team.db"), "--contacts", "\(contacts)").status, 0)
        let moved = try run.crm("migrate", "--from", run.path("team.db"), "--to", target)
        XCTAssertEqual(moved.status, 0, moved.err)
        return target
    }

    func testTheCommandsReadAndWriteAServerDatabaseAsTheyDoAFile() throws {
        let server = try TestPostgresServer.require()
        let pg = try migratedDemo(server)
        let file = run.path("team.db")
        // The same reads give the same answers on both engines.
        for args in [["contacts", "--limit", "5"], ["companies", "--limit", "5"], ["timeline", "--limit", "5"], ["show", "contact", "1"],
                     ["show", "deal", "1"], ["query", "anna"], ["followups", "--all"], ["agenda"], ["duplicates", "--limit", "3"],
                     ["audit", "--entity", "contact", "--id", "1", "--limit", "5"], ["report", "pipeline", "--user", "sara"], ["user", "list"],
                     ["deals", "--limit", "5"], ["show", "company", "1"], ["export", "contacts"], ["export", "deals", "--format", "json"],
                     ["trash", "list"]] {
            let onFile = try run.crm(args + ["--db", file])
            let onServer = try run.crm(args + ["--db", pg])
            XCTAssertEqual(onServer.status, onFile.status, "\(args): \(onServer.err)")
            XCTAssertEqual(onServer.out, onFile.out, "\(args) prints the same on PostgreSQL")
        }
        // $CRM_DB names the server database as well as --db does.
        let viaEnvironment = try run.run(CLITests.binary.path, ["contacts", "--limit", "3"], extraEnvironment: ["CRM_DB": pg])
        XCTAssertEqual(viaEnvironment.status, 0, viaEnvironment.err)
        XCTAssertEqual(viaEnvironment.out, try run.crm("contacts", "--limit", "3", "--db", file).out)

        // Writes: a note logged as a named user (the superuser acts for the
        // program, so --user names who), audited as them.
        let logged = try run.crm("log", "--db", pg, "--user", "jan", "--contact", "1", "--type", "note", "--body", "Logged on the server")
        XCTAssertEqual(logged.status, 0, logged.err)
        let timeline = try run.crm("timeline", "--db", pg, "--contact", "1", "--limit", "1")
        XCTAssertTrue(timeline.out.contains("Logged on the server") && timeline.out.contains("jan"), timeline.out)
        let audit = try run.crm("audit", "--db", pg, "--entity", "interaction", "--limit", "1", "--json")
        XCTAssertTrue(audit.out.contains("\"user\" : \"jan\""), audit.out)

        // A user added on PostgreSQL is a database role of the CRM's group.
        let added = try run.crm("user", "add", "pgwire_rep", "--role", "rep", "--db", pg, "--user", "sara")
        XCTAssertEqual(added.status, 0, added.err)
        let admin = try PGConnection(pg)
        XCTAssertEqual(try admin.scalar("SELECT pg_has_role('pgwire_rep', 'crm_rep', 'MEMBER')::text"), "true")
        // Connected as that role, the rep is who the role is, whatever --user says.
        let asRep = pg.replacingOccurrences(of: "user=postgres", with: "user=pgwire_rep")
        let note = try run.crm("log", "--db", asRep, "--contact", "2", "--type", "note", "--body", "From the rep's own role")
        XCTAssertEqual(note.status, 0, note.err)
        XCTAssertTrue(try run.crm("timeline", "--db", pg, "--contact", "2", "--limit", "1").out.contains("pgwire_rep"))
        let spoof = try run.crm("log", "--db", asRep, "--user", "sara", "--contact", "2", "--type", "note", "--body", "x")
        XCTAssertEqual(spoof.status, 77, spoof.err)
        XCTAssertTrue(spoof.firstErrorLine.contains("you are connected to the database as 'pgwire_rep'"), spoof.err)
        // A rep may not manage users: the CRM's rule, on the server too.
        XCTAssertEqual(try run.crm("user", "add", "someone", "--db", asRep).status, 77)
        // The admin's other user commands change the role with the user.
        XCTAssertEqual(try run.crm("user", "set-role", "pgwire_rep", "manager", "--db", pg, "--user", "sara").status, 0)
        XCTAssertEqual(try admin.scalar("SELECT pg_has_role('pgwire_rep', 'crm_manager', 'MEMBER')::text"), "true")
        // A colleague's agenda is a filter, not an identity: a manager's own
        // role prints jan's lists as the owner's session does.
        for command in [["agenda", "--user", "jan"], ["followups", "--user", "jan", "--due", "overdue"]] {
            let theirs = try run.crm(command + ["--db", asRep])
            XCTAssertEqual(theirs.status, 0, "\(command): \(theirs.err)")
            XCTAssertEqual(theirs.out, try run.crm(command + ["--db", pg]).out, "\(command)")
        }
        let deactivated = try run.crm("user", "deactivate", "pgwire_rep", "--db", pg, "--user", "sara")
        XCTAssertEqual(deactivated.status, 0, deactivated.err)
        XCTAssertEqual(try admin.scalar("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = 'pgwire_rep'"), "false")
        let locked = try run.crm("contacts", "--db", asRep)
        XCTAssertEqual(locked.status, 77, "a deactivated user's role may not log in: \(locked.err)")
        XCTAssertTrue(locked.firstErrorLine.contains("the user 'pgwire_rep' is deactivated and cannot open the CRM; an admin reactivates it"),
                      "the CRM's sentence, not the server's about passwords (QA 33 #11): \(locked.err)")
        XCTAssertEqual(try run.crm("user", "reactivate", "pgwire_rep", "--db", pg, "--user", "sara").status, 0)
        XCTAssertEqual(try run.crm("contacts", "--limit", "1", "--db", asRep).status, 0)
        XCTAssertTrue(try run.crm("user", "list", "--db", pg).out.contains("pgwire_rep\tpgwire_rep\tmanager\tactive"))
        // A rename renames the login role, and says what that means for peer authentication (QA 33 #12).
        let renamed = try run.crm("user", "rename", "pgwire_rep", "pgwire_mgr", "--db", pg, "--user", "sara")
        XCTAssertEqual(renamed.status, 0, renamed.err)
        XCTAssertEqual(renamed.out, "renamed pgwire_rep to pgwire_mgr; everything they wrote carries the new login\n")
        XCTAssertTrue(renamed.err.contains("with peer authentication pgwire_rep can no longer connect") && renamed.err.contains("pg_ident.conf"),
                      renamed.err)
        XCTAssertEqual(try admin.scalar("SELECT count(*)::text FROM pg_roles WHERE rolname = 'pgwire_mgr'"), "1")
        let onFile = try run.crm("user", "rename", "jan", "jnovak", "--db", file, "--user", "sara")
        XCTAssertEqual(onFile.status, 0, onFile.err)
        XCTAssertEqual(onFile.err, "", "a file has no login roles to warn about")

        // Merging two contacts: the dry run changes nothing, the merge does it.
        let dry = try run.crm("merge", "contact", "1", "2", "--dry-run", "--db", pg, "--user", "sara")
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertTrue(dry.out.contains("Nothing written"), dry.out)
        XCTAssertEqual(try run.crm("show", "contact", "2", "--db", pg).status, 0, "still there after the dry run")
        let merged = try run.crm("merge", "contact", "1", "2", "--db", pg, "--user", "sara")
        XCTAssertEqual(merged.status, 0, merged.err)
        XCTAssertEqual(try run.crm("show", "contact", "2", "--db", pg).status, 1, "merged away")
    }

    /// QA 38 B-F1, F2, F3: a rename onto a role the server already has is
    /// one sentence (it was "unexpected error", 70); the superuser without
    /// --user is named by its role, not "system"; a user created on first
    /// use for a superuser's --user gets its login role and can connect.
    func testServerRolesInUserCommandsAndFirstUse() throws {
        let server = try TestPostgresServer.require()
        let pg = try migratedDemo(server)
        let admin = try PGConnection(pg)
        let tag = UUID().uuidString.prefix(8).lowercased()
        let clash = "clash_\(tag)", newbie = "newbie_\(tag)"
        _ = try admin.script("CREATE ROLE \(clash) LOGIN")

        let rename = try run.crm("user", "rename", "jan", clash, "--db", pg, "--user", "sara")
        XCTAssertEqual(rename.status, 65, rename.err)
        XCTAssertTrue(rename.firstErrorLine.contains("the database server already has a role '\(clash)', which is not a user here; choose another login"),
                      rename.err)
        XCTAssertTrue(try run.crm("user", "list", "--db", pg).out.contains("jan\t"), "nothing renamed")

        let report = try run.crm("report", "pipeline", "--db", pg)
        XCTAssertEqual(report.status, 67, report.err)
        XCTAssertTrue(report.firstErrorLine.contains("no user 'postgres'"), report.err)

        let logged = try run.crm("log", "--db", pg, "--user", newbie, "--contact", "1", "--type", "note", "--body", "first day")
        XCTAssertEqual(logged.status, 0, logged.err)
        XCTAssertEqual(try admin.scalar("SELECT pg_has_role($1, 'crm_rep', 'MEMBER')::text", [newbie]), "true")
        let own = try run.crm("contacts", "--limit", "1", "--db", pg.replacingOccurrences(of: "user=postgres", with: "user=\(newbie)"))
        XCTAssertEqual(own.status, 0, "the new user connects as their own role: \(own.err)")
        let list = try run.crm("user", "list", "--db", pg)
        XCTAssertTrue(list.err.contains("an unknown --user of its owner or a superuser"), list.err)

        // QA 45 #1: the whole audit trail is a manager's or an admin's on
        // the server too; a rep reads as its own role, whatever --as says.
        let asNewbie = pg.replacingOccurrences(of: "user=postgres", with: "user=\(newbie)")
        let whole = try run.crm("audit", "--limit", "3", "--db", asNewbie)
        XCTAssertEqual(whole.status, 77, whole.out + whole.err)
        XCTAssertEqual(whole.firstErrorLine, "crm: only a manager or an admin reads the whole audit trail; you are \(newbie), a rep")
        XCTAssertEqual(try run.crm("audit", "--entity", "contact", "--id", "1", "--db", asNewbie).status, 0, "a record's own history is anyone's")
        let posing = try run.crm("audit", "--limit", "1", "--as", "sara", "--db", asNewbie)
        XCTAssertEqual(posing.status, 77, posing.err)
        XCTAssertTrue(posing.firstErrorLine.contains("you read as the role you connect as, \(newbie)"), posing.err)
        XCTAssertEqual(try run.crm("audit", "--as", newbie, "--db", pg).status, 77, "the owner reading with a rep's rights")
        XCTAssertEqual(try run.crm("audit", "--as", "nobody_\(tag)", "--db", pg).status, 67)
        XCTAssertEqual(try run.crm("audit", "--limit", "1", "--db", pg).status, 0, "the owner reads the trail")
    }

    func testFileOnlyCommandsSayWhatToDoOnPostgreSQLAndMakeNoFile() throws {
        let server = try TestPostgresServer.require()
        let pg = server.conninfo(database: try server.makeDatabase())
        for (args, advice) in [(["check", "--db", pg], "pg_amcheck"), (["restore", "--yes", run.path("x.db"), "--db", pg], "pg_restore"),
                               (["demo", "--db", pg], "crm migrate --from demo.db")] {
            let result = try run.crm(args)
            XCTAssertEqual(result.status, 69, "\(args): \(result.err)")
            XCTAssertTrue(result.firstErrorLine.contains(advice), result.err)
            XCTAssertEqual(result.err.split(separator: "\n").count, 1, result.err)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: run.folder.path).filter { $0.contains("host=") || $0.hasPrefix("postgres") }, [])
    }

    func testEveryWayOpeningAServerDatabaseFailsIsOneSentenceAndAStatus() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeDatabase()
        let good = server.conninfo(database: name)
        XCTAssertEqual(try run.crm("contacts", "--db", good).status, 0, "an empty database opens (and gets its schema)")
        let admin = try PGConnection(good)

        @discardableResult
        func refused(_ args: [String], env: [String: String] = [:], status: Int32, saying words: [String],
                     file: StaticString = #filePath, line: UInt = #line) throws -> CRMRun.Result {
            let result = try run.run(CLITests.binary.path, args, extraEnvironment: env)
            XCTAssertEqual(result.status, status, result.err, file: file, line: line)
            XCTAssertEqual(result.err.split(separator: "\n").count, 1, "one sentence: \(result.err)", file: file, line: line)
            for word in words { XCTAssertTrue(result.firstErrorLine.contains(word), "\(word) in: \(result.err)", file: file, line: line) }
            for libpq in ["FATAL", "ERROR:", "connection to server", "SQLSTATE", "IPv6"] {
                XCTAssertFalse(result.err.contains(libpq), "no libpq text on screen: \(result.err)", file: file, line: line)
            }
            return result
        }

        // A URI that does not parse: a usage error naming where it came from.
        try refused(["contacts", "--db", "postgresql://[oops/crm"], status: 64, saying: ["--db", "is not a PostgreSQL connection string"])
        try refused(["contacts"], env: ["CRM_DB": "host=/tmp dbname=crm colour=blue"], status: 64,
                    saying: ["$CRM_DB", "is not a PostgreSQL connection string"])
        // A value libpq refuses (QA 27 #18): the string is wrong, not the server.
        try refused(["contacts", "--db", server.conninfo(database: name) + " sslmode=bogus"], status: 64,
                    saying: ["connection string (--db or $CRM_DB)", "the value of sslmode", "expected one of disable, allow, prefer, require, verify-ca, verify-full"])
        try refused(["contacts", "--db", server.conninfo(database: name) + " connect_timeout=x"], status: 64,
                    saying: ["the value of connect_timeout"])
        try refused(["contacts", "--db", server.conninfo(database: name) + " port=abc"], status: 64,
                    saying: ["the value of port", "expected a port number such as 5432"])
        // No server there.
        try refused(["followups", "--db", "host=\(run.path("no-server")) dbname=crm"], status: 69, saying: ["--db", "cannot be reached"])
        // A role the server does not know (as wrong credentials are told).
        try refused(["contacts", "--db", server.conninfo(database: name, user: "nobody_\(getpid())")], status: 77,
                    saying: ["refused the login as 'nobody_\(getpid())'", "user name and password"])
        // A database the server does not have.
        try refused(["contacts", "--db", server.conninfo(database: "missing_\(getpid())")], status: 69, saying: ["createdb -h \(server.folder) -p \(server.port) -U postgres missing_\(getpid())"])
        // A role of the server that no CRM admin added.
        let stranger = "stranger_\(getpid())"
        try admin.execute("CREATE ROLE \(stranger) LOGIN")
        try refused(["contacts", "--db", server.conninfo(database: name, user: stranger)], status: 67,
                    saying: ["no user '\(stranger)'", "crm user add"])
        // A database written by a newer crm is left as it is.
        let newer = server.conninfo(database: try server.makeDatabase())
        XCTAssertEqual(try run.crm("contacts", "--db", newer).status, 0)
        try PGConnection(newer).execute("INSERT INTO crm_schema(version, applied_at) VALUES (999, 0)")
        try refused(["log", "--db", newer, "--contact", "1", "--type", "note", "--body", "x"], status: 65, saying: ["schema version 999", "Upgrade crm"])
        // The search extensions, when the database's owner may not create them.
        let bare = try server.makeDatabase()
        let owner = "owner_\(getpid())"
        try admin.execute("CREATE ROLE \(owner) LOGIN CREATEROLE")
        let bareAdmin = try PGConnection(server.conninfo(database: bare))
        try bareAdmin.execute("ALTER DATABASE \(bare) OWNER TO \(owner)")
        try bareAdmin.execute("GRANT ALL ON SCHEMA public TO \(owner)")
        try bareAdmin.execute("REVOKE CREATE ON DATABASE \(bare) FROM \(owner)")
        try refused(["contacts", "--db", server.conninfo(database: bare, user: owner)], status: 69,
                    saying: ["unaccent", "pg_trgm", "CREATE EXTENSION"])

        // A role that may not create tables, first to open a new database
        // (QA 33 #9): who sets it up, and 69, not "unexpected error" (70).
        let fresh = try server.makeDatabase()
        let early = "early_\(getpid())"
        try admin.execute("CREATE ROLE \(early) LOGIN")
        try PGConnection(server.conninfo(database: fresh)).execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        try refused(["contacts", "--db", server.conninfo(database: fresh, user: early)], status: 69,
                    saying: ["not set up for crm yet", "its owner (", "opening it once"])
        XCTAssertEqual(try PGConnection(server.conninfo(database: fresh)).scalar("SELECT to_regclass('crm_schema') IS NULL"), "t",
                       "nothing made")

        // The database's owner without CREATEROLE (QA 45 PG #4): crm's users
        // are roles, so the set-up is refused before anything is made.
        let owned = try server.makeDatabase()
        let plain = "plain_\(getpid())"
        try admin.execute("CREATE ROLE \(plain) LOGIN")
        let ownedAdmin = try PGConnection(server.conninfo(database: owned))
        try ownedAdmin.execute("ALTER DATABASE \(owned) OWNER TO \(plain)")
        try ownedAdmin.execute("GRANT ALL ON SCHEMA public TO \(plain)")
        try refused(["contacts", "--db", server.conninfo(database: owned, user: plain)], status: 69,
                    saying: ["not set up for crm yet", "your role (\(plain)) may not create roles", "ALTER ROLE \(plain) CREATEROLE"])
        XCTAssertEqual(try ownedAdmin.scalar("SELECT to_regclass('crm_schema') IS NULL"), "t", "nothing made")

        // The server's own words are in the user's crm.log.
        let log = try String(contentsOfFile: run.path("state/crm/crm.log"), encoding: .utf8)
        XCTAssertTrue(log.contains("28000") || log.contains("does not exist"), log)
        // A refused value too, with the string it was in (QA 33 #16).
        XCTAssertTrue(log.contains("sslmode=bogus") && log.contains("the value of sslmode"), log)
    }
}
