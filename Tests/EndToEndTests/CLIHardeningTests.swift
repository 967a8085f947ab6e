import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The real binary against hostile or unusual files: stored escape
/// sequences, another program's database, planted links, a umask that would
/// make files readable, a user who may not write. What a script or a person
/// at a terminal would see, and what is left on disk afterwards.
final class CLIHardeningTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-hard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Other users (nobody) must be able to reach the files of some tests.
        chmod(folder.path, 0o755)
        guard FileManager.default.isExecutableFile(atPath: CLITests.binary.path) else {
            throw XCTSkip("crm binary not found at \(CLITests.binary.path); run `swift build` first")
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    struct Result {
        var status: Int32
        var out: String
        var err: String
        var outBytes: Data
        var errBytes: Data
    }

    var environment: [String: String] {
        ["HOME": folder.path, "XDG_DATA_HOME": path("data"), "XDG_STATE_HOME": path("state"), "XDG_CONFIG_HOME": path("config"),
         "TZ": "UTC", "LANG": "C.UTF-8", "USER": "tester", "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]
    }

    /// Runs crm (or, with `user`, crm as that Unix user through runuser).
    @discardableResult
    func crm(_ args: String..., user: String? = nil, umask mask: mode_t? = nil, env extra: [String: String] = [:]) throws -> Result {
        try crm(args, user: user, umask: mask, env: extra)
    }

    func crm(_ args: [String], user: String? = nil, umask mask: mode_t? = nil, env extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        let env = environment.merging(extra) { $1 }
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", "/usr/bin/env", "-i"] + env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                + [CLITests.binary.path] + args
        } else {
            process.executableURL = CLITests.binary
            process.arguments = args
            process.environment = env
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let old = mask.map { umask($0) }
        try process.run()
        if let old { umask(old) }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self), outBytes: outData, errBytes: errData)
    }

    /// The file's bytes and the names beside it that begin with its name
    /// (its -wal, -shm, -journal).
    func fingerprint(_ file: String) throws -> (Data, [String]) {
        let name = (file as NSString).lastPathComponent
        return (try Data(contentsOf: URL(fileURLWithPath: file)),
                try FileManager.default.contentsOfDirectory(atPath: (file as NSString).deletingLastPathComponent)
                    .filter { $0.hasPrefix(name) }.sorted())
    }

    /// A closed demo database (no -wal, no -shm beside it).
    func demoDatabase(_ name: String = "crm.db") throws -> String {
        let db = path(name)
        let demo = try crm("demo", "--db", db, "--contacts", "20", "--seed", "3")
        XCTAssertEqual(demo.status, 0, demo.err)
        return db
    }

    // MARK: 1. stored text never escapes to the terminal

    static let hostile = "\u{1b}]52;c;cm0gLXJmIH4=\u{07}\u{1b}]0;PWNED\u{07}Call back\u{9b}2J \u{202e}evil\u{2066}x\u{200f}\u{61c}\u{7f}"

    /// The bytes a terminal would act on: ESC, BEL, any other C0 control
    /// but newline, DEL, C1 and the bidi controls.
    func dangerous(_ text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { s in
            (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value)
                || (0x2066...0x2069).contains(s.value)
        }
    }

    func hostileDatabase() throws -> String {
        let db = try demoDatabase()
        let c = try Connection(path: db)
        try c.run("UPDATE follow_ups SET title = ?, due_at = ? WHERE id = (SELECT min(id) FROM follow_ups WHERE status = 'open')",
                  [Self.hostile, Date().addingTimeInterval(-600)])
        try c.run("UPDATE users SET login = ? WHERE login = 'omid'", ["om\u{1b}[2Jid\u{9b}"])
        return db
    }

    func testStoredEscapeSequencesNeverReachTheTerminal() throws {
        let db = try hostileDatabase()
        for command in ["followups", "agenda"] {
            let r = try crm(command, "--db", db)
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertTrue(r.out.contains("Call back"), r.out)
            XCTAssertTrue(r.out.contains("␛]0;PWNED␇"), "shown as visible symbols: \(r.out)")
            XCTAssertEqual(dangerous(r.out), [], "\(command) printed control characters")
        }
        // The error for an unknown --user names the nearest login: sanitised too.
        let unknown = try crm("followups", "--user", "OM\u{1b}[2JID\u{9b}", "--db", db)
        XCTAssertEqual(unknown.status, 67)
        XCTAssertTrue(unknown.err.contains("om␛[2Jid"), unknown.err)
        XCTAssertEqual(dangerous(unknown.err), [], unknown.err)
        // So is a file name in a message.
        let missing = try crm("check", "--db", path("x\u{1b}]0;T\u{07}.db"))
        XCTAssertEqual(missing.status, 66)
        XCTAssertEqual(dangerous(missing.err), [], missing.err)
    }

    func testJSONEscapesEveryControlCharacterAndKeepsTheText() throws {
        let db = try hostileDatabase()
        let r = try crm("followups", "--json", "--db", db)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(dangerous(r.out), [], "raw control characters in the JSON")
        for scalar in ["\u{200f}", "\u{61c}"] { XCTAssertFalse(r.out.contains(scalar), "bidi mark \(scalar.unicodeScalars.first!.value) left raw") }
        XCTAssertTrue(r.out.contains("\\u001B]52;c;") || r.out.contains("\\u001b]52;c;"), r.out)
        XCTAssertTrue(r.out.contains("\\u009B") && r.out.contains("\\u202E") && r.out.contains("\\u2066") && r.out.contains("\\u007F"), r.out)
        // Any JSON reader gets the stored text back exactly.
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: r.outBytes) as? [String: [[String: Any]]])
        let titles = object.values.flatMap { $0 }.compactMap { $0["title"] as? String }
        XCTAssertTrue(titles.contains(Self.hostile), "\(titles)")
        let logins = object.values.flatMap { $0 }.compactMap { $0["assignee"] as? String }
        XCTAssertTrue(logins.contains("om\u{1b}[2Jid\u{9b}") || !logins.contains { $0.hasPrefix("om") }, "\(logins)")
    }

    // MARK: 2. files

    func testReadOnlyCommandsChangeNothing() throws {
        let db = try demoDatabase()
        let before = try fingerprint(db)
        XCTAssertEqual(try crm("followups", "--db", db).status, 0)
        XCTAssertEqual(try crm("agenda", "--json", "--db", db).status, 0)
        XCTAssertEqual(try crm("check", "--db", db).status, 0)
        let typo = try crm("followups", "--user", "newcomer", "--db", db)
        XCTAssertEqual(typo.status, 67, typo.err)
        let after = try fingerprint(db)
        XCTAssertEqual(after.0, before.0, "the database changed")
        XCTAssertEqual(after.1, before.1, "files were made beside the database")
        XCTAssertEqual(try Connection(path: db, readOnly: true).scalar("SELECT count(*) FROM users WHERE login = 'newcomer'"), 0)
    }

    /// My call: an older schema is read as it is (every table the lists
    /// read is there since version 1), never upgraded by a read.
    func testOlderSchemaIsReadWithoutUpgrading() throws {
        let db = path("old.db")
        do {
            try Database.prepareFile(at: db)
            let c = try Connection(path: db)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 2)
            try c.run("INSERT INTO users(login, name, created_at) VALUES ('ana', 'Ana', 0)")
            try c.run("INSERT INTO follow_ups(assignee_id, title, due_at, created_at, updated_at) VALUES (1, 'Old task', ?, 0, 0)",
                      [Date().addingTimeInterval(-60)])
        }
        let before = try fingerprint(db)
        let r = try crm("followups", "--db", db)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("Old task"), r.out)
        XCTAssertEqual(try crm("agenda", "--db", db).status, 0)
        let check = try crm("check", "--db", db)
        XCTAssertEqual(check.status, 0, check.err)
        XCTAssertTrue(check.out.contains("schema version:  2"), check.out)
        let after = try fingerprint(db)
        XCTAssertEqual(after.0, before.0)
        XCTAssertEqual(after.1, before.1)
    }

    /// The trash is read from a file of a previous schema as the other
    /// read-only commands read it (QA 28 #10: it alone refused a file at
    /// 57); only a file from before the trash (schema 23) is refused.
    func testTheTrashOfAnOlderSchemaIsListedWithoutUpgrading() throws {
        for version in [Int64(23), 57] {
            let db = path("old\(version).db")
            do {
                try Database.prepareFile(at: db)
                let c = try Connection(path: db)
                try Database.configure(c)
                try Migrator.migrate(c, upTo: Int(version))
                try c.run("INSERT INTO users(login, name, created_at) VALUES ('ana', 'Ana', 0)")
                try c.run("INSERT INTO contacts(name, created_at, updated_at, deleted_at, deleted_by) VALUES ('Gone Person', 0, 0, 100, 1)")
            }
            let before = try fingerprint(db)
            let r = try crm("trash", "list", "--db", db)
            XCTAssertEqual(r.status, 0, "schema \(version): \(r.err)")
            XCTAssertTrue(r.out.contains("Gone Person") && r.out.contains("by ana"), "schema \(version): \(r.out)")
            let after = try fingerprint(db)
            XCTAssertEqual(after.0, before.0)
            XCTAssertEqual(after.1, before.1)
            XCTAssertEqual(try Connection(path: db, readOnly: true).scalar("PRAGMA user_version"), version)
        }

        let older = path("old22.db")
        do {
            try Database.prepareFile(at: older)
            let c = try Connection(path: older)
            try Database.configure(c)
            try Migrator.migrate(c, upTo: 22)
        }
        let refused = try crm("trash", "list", "--db", older)
        XCTAssertEqual(refused.status, 65, refused.out)
        XCTAssertTrue(refused.err.contains("has schema version 22, which has no trash yet"), refused.err)
    }

    func testAnotherProgramsDatabaseIsRefusedByEveryCommandAndLeftAlone() throws {
        let other = path("other.sqlite")
        do {
            let c = try Connection(path: other)
            _ = try c.text("PRAGMA journal_mode = WAL")
            try c.execute("CREATE TABLE bookmarks(url TEXT); INSERT INTO bookmarks VALUES ('https://example.org'); PRAGMA user_version = 7")
        }
        let text = path("notes.txt")
        try Data("just some text, not a database at all\n".utf8).write(to: URL(fileURLWithPath: text))
        for file in [other, text] {
            let before = try fingerprint(file)
            for args in [["followups"], ["agenda"], ["check"], ["demo", "--contacts", "5"]] {
                let r = try crm(args + ["--db", file])
                XCTAssertEqual(r.status, 65, "\(args) on \(file): \(r.err)")
                XCTAssertEqual(r.err, "crm: \(file) is not a crm database\n", "\(args)")
                let after = try fingerprint(file)
                XCTAssertEqual(after.0, before.0, "\(args) changed \(file)")
                XCTAssertEqual(after.1, before.1, "\(args) made files beside \(file)")
            }
        }
    }

    func testNewerSchemaMakesCheckExit65Too() throws {
        let db = try demoDatabase()
        try Connection(path: db).execute("PRAGMA user_version = 99")
        let check = try crm("check", "--db", db)
        XCTAssertEqual(check.status, 65, check.err)
        XCTAssertTrue(check.out.contains("schema version:  99"), check.out)
        XCTAssertTrue(check.err.contains("newer crm"), check.err)
        XCTAssertEqual(try crm("followups", "--db", db).status, 65)
    }

    func testALinkAtTheDatabasePathIsFollowedOnlyToACrmDatabase() throws {
        let victim = path("elsewhere/victim.db")
        try FileManager.default.createDirectory(atPath: path("elsewhere"), withIntermediateDirectories: true)
        let dangling = path("dangling.db")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: victim)
        let demo = try crm("demo", "--db", dangling, "--contacts", "5")
        XCTAssertEqual(demo.status, 73, demo.err)
        XCTAssertTrue(demo.err.contains("is a symbolic link to \(victim), which does not exist"), demo.err)
        XCTAssertEqual(demo.err.split(separator: "\n").count, 1, demo.err)
        XCTAssertEqual(try crm("followups", "--db", dangling).status, 66)
        XCTAssertEqual(try crm("check", "--db", dangling).status, 66)
        XCTAssertFalse(FileManager.default.fileExists(atPath: victim), "crm created a file through the link")

        let other = path("other.sqlite")
        try Connection(path: other).execute("CREATE TABLE t(x)")
        let toOther = path("to-other.db")
        try FileManager.default.createSymbolicLink(atPath: toOther, withDestinationPath: other)
        let refused = try crm("demo", "--db", toOther, "--contacts", "5")
        XCTAssertEqual(refused.status, 65, refused.err)
        XCTAssertTrue(refused.err.hasSuffix(" is not a crm database\n"), refused.err)
        XCTAssertEqual(refused.err.split(separator: "\n").count, 1, refused.err)

        let real = try demoDatabase("real.db")
        let toReal = path("to-real.db")
        try FileManager.default.createSymbolicLink(atPath: toReal, withDestinationPath: real)
        XCTAssertEqual(try crm("followups", "--db", toReal).status, 0)
        XCTAssertEqual(try crm("demo", "--db", toReal, "--contacts", "5", "--append").status, 0)
    }

    func testNewDatabaseIsPrivateWhateverTheUmask() throws {
        for mask: mode_t in [0o000, 0o022, 0o277] {
            let db = path("u\(mask)/crm.db")
            let r = try crm("demo", "--db", db, "--contacts", "5", umask: mask)
            XCTAssertEqual(r.status, 0, r.err)
            let mode = try FileManager.default.attributesOfItem(atPath: db)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o600, "umask \(String(mask, radix: 8))")
        }
    }

    func testTheLogIsNeverWrittenThroughALink() throws {
        let victim = path("victim.log")
        try FileManager.default.createDirectory(atPath: path("state/crm"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path("state/crm/crm.log"), withDestinationPath: victim)
        // A damaged database makes check write the engine's words to the log.
        let db = try demoDatabase()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: db))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try handle.close()
        _ = try crm("followups", "--db", db)
        XCTAssertFalse(FileManager.default.fileExists(atPath: victim))
    }

    /// The screen opens the log itself for its error output: a link planted
    /// there is refused with one sentence, and nothing is made at its target.
    func testTheScreenRefusesALinkAtItsLog() throws {
        let tmux = try TmuxSession()
        defer { tmux.close() }
        let db = tmux.path("crm.db")
        _ = try Database(path: db, login: "sara")
        let victim = tmux.path("victim.log")
        try FileManager.default.createDirectory(atPath: tmux.path(".local/state/crm"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tmux.path(".local/state/crm/crm.log"), withDestinationPath: victim)
        try tmux.startCRM("--db \(db) --user sara; echo exit=$?")
        let screen = try tmux.waitFor("crm to exit") { $0.range(of: "exit=[0-9]", options: .regularExpression) != nil }
        XCTAssertTrue(screen.contains("exit=73"), screen)
        XCTAssertTrue(screen.contains("it is a symbolic link"), screen)
        XCTAssertFalse(FileManager.default.fileExists(atPath: victim), "the log was written through the link")
    }

    /// Output that cannot be written is said, with EX_IOERR, never a trap:
    /// stdout on a full disk (/dev/full) or closed; an error message with
    /// stderr closed still leaves the exit status that tells it.
    func testOutputThatCannotBeWrittenEndsWithAnExitStatusNotACrash() throws {
        let db = try demoDatabase("team.db")
        let crm = "'\(CLITests.binary.path)'"
        func status(_ line: String) throws -> String {
            try Spawn.run(["/bin/sh", "-c", "\(line); echo \"status $?\""], outputIn: folder, environment: environment).output
        }
        XCTAssertEqual(try status("\(crm) contacts --db '\(db)' > /dev/full 2>/dev/null"), "status 74\n")
        XCTAssertEqual(try status("\(crm) contacts --db '\(db)' >&- 2>/dev/null"), "status 74\n")
        XCTAssertEqual(try status("\(crm) no-such-command 2>&-"), "status 64\n")
        // With stderr open, the sentence says what failed.
        let full = try Spawn.run(["/bin/sh", "-c", "\(crm) contacts --db '\(db)' 2>&1 >/dev/full"], outputIn: folder, environment: environment)
        XCTAssertTrue(full.output.hasPrefix("crm: cannot write the output"), full.output)
    }

    // MARK: 5. backups

    /// The README's backup command, run as written (with our paths), under
    /// the common umask 022: the copy holds customer data and must be 0600.
    func testReadmeBackupCommandMakesAPrivateFile() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let command = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("crm backup --db /srv/crm/team.db") },
                                    "no `crm backup --db /srv/crm/team.db ...` line in the README")
        let db = try demoDatabase("team.db")
        try FileManager.default.createDirectory(atPath: path("backup"), withIntermediateDirectories: true)
        let local = command.replacingOccurrences(of: "/srv/crm/team.db", with: db)
            .replacingOccurrences(of: "/backup/", with: path("backup") + "/")
            .replacingOccurrences(of: "crm backup", with: "'\(CLITests.binary.path)' backup")
        let shell = try Spawn.run(["/bin/sh", "-c", "umask 022; \(local)"], outputIn: folder)
        XCTAssertEqual(shell.status, 0, local)
        let copies = try FileManager.default.contentsOfDirectory(atPath: path("backup"))
        XCTAssertEqual(copies.count, 1, "\(copies)")
        let mode = try FileManager.default.attributesOfItem(atPath: path("backup/\(copies.first ?? "")"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "the backup command \(command) makes a file readable by others")
    }

    // MARK: 3. a user who may not write

    func requireRunuser() throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser"), getpwnam("nobody") != nil else {
            throw XCTSkip("needs root, runuser and the user nobody to test as a user without write permission (root ignores permissions)")
        }
    }

    /// A folder nobody may enter and keep their log in.
    func stateFolder(for user: String) throws -> String {
        let state = path("state-\(user)")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let pw = try XCTUnwrap(getpwnam(user))
        chown(state, pw.pointee.pw_uid, pw.pointee.pw_gid)
        return state
    }

    func testReadOnlyCommandsWorkForAUserWhoMayNotWrite() throws {
        try requireRunuser()
        let state = try stateFolder(for: "nobody")
        for writableFolder in [false, true] {
            let sub = path(writableFolder ? "open" : "closed")
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            chmod(sub, writableFolder ? 0o1777 : 0o755)
            let db = sub + "/crm.db"
            XCTAssertEqual(try crm("demo", "--db", db, "--contacts", "20").status, 0)
            chmod(db, 0o644)
            let before = try fingerprint(db)
            let env = ["HOME": state, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state]
            let r = try crm("followups", "--db", db, user: "nobody", env: env)
            XCTAssertEqual(r.status, 0, "folder writable: \(writableFolder): \(r.err)")
            XCTAssertTrue(r.out.contains("Overdue"), r.out)
            XCTAssertEqual(try crm("check", "--db", db, user: "nobody", env: env).status, 0)
            let after = try fingerprint(db)
            XCTAssertEqual(after.0, before.0)
            XCTAssertEqual(after.1, before.1, "a reader who may not write left files beside the database (they would block its owner)")
        }
    }
}
