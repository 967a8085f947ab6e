import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// Real Unix users on one database, as the README's team set-up has them
/// (a shared group, the folder 2770, the file 660), and a user who may only
/// read: the real binary in tmux, started for each user with runuser. The
/// users and the group are made in set-up and removed in tear-down.
final class TeamPermissionsE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var users: [String] = []
    var group: String?

    override func setUpWithError() throws {
        let tools = ["/usr/sbin/runuser", "/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/sbin/groupadd", "/usr/sbin/groupdel"]
        guard geteuid() == 0, tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("needs root with runuser, useradd and groupadd: permissions can only be tested as other users (root ignores them)")
        }
        tmux = try TmuxSession()
        // The other users must reach the binary's folder tree and ours.
        chmod(tmux.folder.path, 0o755)
    }

    override func tearDownWithError() throws {
        tmux?.close()
        for user in users { _ = try? Spawn.run(["/usr/sbin/userdel", "-f", user], outputIn: FileManager.default.temporaryDirectory) }
        if let group { _ = try? Spawn.run(["/usr/sbin/groupdel", group], outputIn: FileManager.default.temporaryDirectory) }
    }

    func run(_ argv: String...) throws {
        let r = try Spawn.run(argv, outputIn: tmux.folder)
        if r.status != 0 { throw Spawn.Failure(description: "\(argv.joined(separator: " ")) exited \(r.status)") }
    }

    /// A new Unix user (no home, no login shell), in `group` if given.
    func makeUser(_ prefix: String, group: String? = nil) throws -> String {
        let name = prefix + UUID().uuidString.prefix(6).lowercased()
        try run("/usr/sbin/useradd", "-M", "-s", "/usr/sbin/nologin", name)
        users.append(name)
        if let group { try run("/usr/sbin/usermod", "-a", "-G", group, name) }
        return name
    }

    /// The user's own folder for the log and settings, as $XDG_STATE_HOME
    /// and $XDG_CONFIG_HOME would be in their home.
    func privateFolder(for user: String) throws -> String {
        let folder = tmux.path("home-\(user)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pw = try XCTUnwrap(getpwnam(user))
        chown(folder, pw.pointee.pw_uid, pw.pointee.pw_gid)
        chmod(folder, 0o700)
        return folder
    }

    /// Starts crm on `db` as the Unix user `user` (umask 077: the strictest
    /// a person may have) in tmux window `window` (nil: the main one).
    func startCRM(as user: String, db: String, window: String?) throws {
        let home = try privateFolder(for: user)
        let env = ["TZ=UTC", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=screen-256color", "EDITOR=", "PATH=/usr/bin:/bin",
                   "HOME=\(home)", "XDG_STATE_HOME=\(home)/state", "XDG_CONFIG_HOME=\(home)/config", "XDG_DATA_HOME=\(home)/data"]
        let command = "runuser -u \(user) -- /bin/sh -c 'umask 077; exec env -i \(env.joined(separator: " ")) "
            + "\(TmuxSession.crmBinary) --db \(db) --user \(user)'"
        if let window {
            try tmux.tmux(["new-window", "-d", "-n", window, "bash --norc --noprofile"])
            try tmux.tmux(["resize-window", "-t", window, "-x", "\(tmux.width)", "-y", "\(tmux.height)"])
            try tmux.shell(command, window: window)
        } else {
            try tmux.shell(command)
        }
    }

    func logNote(_ text: String, window: String) throws {
        try tmux.keys("n", window: window)
        try tmux.waitFor(text: "Log for Ada Lovelace", window: window)
        try tmux.type(text, window: window)
        try tmux.keys("C-s", window: window)
        try tmux.waitFor(text: "Logged note for Ada Lovelace", window: window)
    }

    func quit(window: String) throws {
        try tmux.keys("q", window: window)
        try tmux.waitFor("crm to quit", window: window) { !$0.contains("1 Today") }
    }

    func mode(_ path: String) throws -> (mode: Int, gid: gid_t) {
        var st = stat()
        guard stat(path, &st) == 0 else { throw Spawn.Failure(description: "no \(path)") }
        return (Int(st.st_mode & 0o7777), st.st_gid)
    }

    /// Two colleagues, each with their own account and umask 077, on the
    /// README's set-up: both save notes, while the other has the file open
    /// and after the other quit; the -wal and -shm the first one made do not
    /// lock the second one out.
    func testTwoUsersOnTheTeamSetUpBothSaveNotes() throws {
        let team = "crmt" + UUID().uuidString.prefix(6).lowercased()
        try run("/usr/sbin/groupadd", team)
        group = team
        let alice = try makeUser("crma", group: team)
        let bob = try makeUser("crmb", group: team)

        let srv = tmux.path("srv")
        let db = srv + "/team.db"
        do {
            let setup = try Database(path: db, login: "admin")
            _ = try setup.contacts.create(Contact(name: "Ada Lovelace"))
            // The admin adds the team (`crm user add`): unknown logins are refused.
            _ = try setup.users.add(login: alice, name: "", role: .rep)
            _ = try setup.users.add(login: bob, name: "", role: .rep)
        }
        // The README's words, as the admin types them.
        try run("/bin/sh", "-c", "chgrp -R \(team) \(srv) && chmod 2770 \(srv) && chmod 660 \(db)")

        try startCRM(as: alice, db: db, window: nil)
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("2")
        try tmux.waitFor(text: "Ada Lovelace")
        try logNote("Note from alice", window: "main")

        // What alice's crm made beside the file is the team's, not hers alone.
        let teamGID = try XCTUnwrap(getgrnam(team)).pointee.gr_gid
        for file in [db + "-wal", db + "-shm"] {
            let m = try mode(file)
            XCTAssertEqual(m.gid, teamGID, "\(file) is not in the team's group")
            XCTAssertEqual(m.mode & 0o060, 0o060, "\(file) is \(String(m.mode, radix: 8)): the group may not write it")
        }

        try startCRM(as: bob, db: db, window: "bob")
        let bobScreen = try tmux.waitFor(text: "1 Today", window: "bob")
        XCTAssertFalse(bobScreen.contains("read-only"), "bob may write: \(bobScreen)")
        try tmux.keys("2", window: "bob")
        try tmux.waitFor(text: "Ada Lovelace", window: "bob")
        try logNote("Note from bob", window: "bob")
        // Alice sees it without doing anything.
        try tmux.waitFor(text: "Note from bob", window: "main")

        try quit(window: "main")
        try logNote("Bob again, alice gone", window: "bob")
        try quit(window: "bob")

        let check = try Database(path: db, mode: .read)
        let entries = try check.interactions.timeline(.all(TimelineFilter()), before: nil, limit: 10)
        let notes = Dictionary(entries.map { ($0.interaction.body, $0.authorLogin ?? "") }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(notes["Note from alice"], alice)
        XCTAssertEqual(notes["Note from bob"], bob)
        XCTAssertEqual(notes["Bob again, alice gone"], bob)
        XCTAssertEqual(try mode(db).mode, 0o660, "the database's mode changed")
    }

    /// A user who may read the file but not write it (nor its folder) gets
    /// the screen in read-only mode: it says so, writing keys say why they
    /// do nothing, and the file is left exactly as it was.
    func testAReadOnlyDatabaseOpensAReadOnlyScreen() throws {
        let reader = try makeUser("crmr")
        let folder = tmux.path("ro")
        let db = folder + "/crm.db"
        do {
            let setup = try Database(path: db, login: "ana")
            // A user of the database (unknown logins are refused), who may only read its file.
            _ = try setup.users.add(login: reader, name: "", role: .rep)
            let ada = try setup.contacts.create(Contact(name: "Ada Lovelace"))
            _ = try setup.followUps.create(FollowUp(contactID: ada.id, assigneeID: setup.currentUser.id, title: "Send the quote",
                                                    dueAt: Date().addingTimeInterval(-3_600)))
        }
        chmod(folder, 0o755)
        chmod(db, 0o644)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))

        try startCRM(as: reader, db: db, window: nil)
        let top = try tmux.waitFor(text: "read-only")
        XCTAssertTrue(top.split(separator: "\n").first?.contains("read-only") ?? false, top)
        try tmux.keys("m")  // everyone's follow-ups
        try tmux.waitFor(text: "Send the quote")
        try tmux.keys("x")
        try tmux.waitFor(text: "Done: the database is read-only for you")
        try tmux.keys("2")
        try tmux.waitFor(text: "Ada Lovelace")
        try tmux.keys("n")
        try tmux.waitFor(text: "meeting…: the database is read-only for you")
        XCTAssertFalse(try tmux.screen().contains("Log for Ada Lovelace"))
        try quit(window: "main")

        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["crm.db"])
    }
}
