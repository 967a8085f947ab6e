import CRMCore
import CRMStore
import Foundation
import XCTest

/// The morning review in the real binary, in a real terminal (tmux), on a
/// real database seeded with overdue and due follow-ups: complete three (one
/// with an outcome and a next follow-up), snooze one to tomorrow, undo the
/// snooze; then every affected row is checked in the database, and
/// `crm followups --due today --json` must list what the screen's Today
/// section shows.
final class TodayEndToEndTests: XCTestCase {
    func testMorningReviewInTmux() throws {
        let t = try AgendaTmux(width: 110, height: 30)
        defer { t.close() }
        let dbPath = t.path("crm.db")
        let now = Date()
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let endOfDay = utc.date(byAdding: .day, value: 1, to: utc.startOfDay(for: now))!
        if endOfDay.timeIntervalSince(now) < 600 { throw XCTSkip("too close to midnight UTC for a stable Today section") }

        // Seed: three overdue, one due later today, one next week.
        let ids: [String: Int64]
        do {
            let db = try Database(path: dbPath, login: "ana")
            let ana = db.currentUser.id
            func person(_ name: String, _ company: String) throws -> Contact {
                let co = try db.companies.create(Company(name: company))
                return try db.contacts.create(Contact(name: name, companyID: co.id, ownerID: ana, lifecycle: .customer))
            }
            let ada = try person("Ada Lovelace", "Analytical Engines")
            let bob = try person("Bob Müller", "Müller GmbH")
            let chen = try person("陈伟", "Shenzhen Parts")
            let eve = try person("Eve Adams", "Adams & Co")
            func due(_ title: String, _ c: Contact, _ at: Date) throws -> Int64 {
                try db.followUps.create(FollowUp(contactID: c.id, assigneeID: ana, title: title, dueAt: at)).id
            }
            ids = [
                "quote": try due("Send the quote", ada, now.addingTimeInterval(-2 * 86_400)),
                "renewal": try due("Call about renewal", bob, now.addingTimeInterval(-86_400)),
                "delivery": try due("Confirm delivery", chen, now.addingTimeInterval(-3 * 3600)),
                "demo": try due("Demo of the module", eve, now.addingTimeInterval(endOfDay.timeIntervalSince(now) / 2)),
                "invoice": try due("Check the invoice", ada, now.addingTimeInterval(3 * 86_400)),
            ]
        }
        let demoDue = Date(timeIntervalSince1970: floor(now.addingTimeInterval(endOfDay.timeIntervalSince(now) / 2).timeIntervalSince1970))

        try t.startCRM("--db \(dbPath) --user ana")
        try t.waitFor(text: "Overdue (3)")
        try t.waitFor(text: "▸ Ada Lovelace")

        // 1. Done with an outcome and the next follow-up (+7d accepted with Enter).
        try t.keys("x")
        try t.waitFor(text: "Outcome with Ada Lovelace")
        try t.type("Will sign on Monday")
        try t.keys("Enter")
        try t.waitFor(text: "Next follow-up \"Send the quote\"")
        try t.waitFor(text: "→ ")
        try t.keys("Enter")
        try t.waitFor(text: "Overdue (2)")
        try t.waitFor(text: "▸ Bob Müller")

        // 2 and 3. Done, no outcome, no next follow-up.
        try t.keys("x")
        try t.waitFor(text: "Outcome with Bob Müller")
        try t.keys("Enter")
        try t.waitFor(text: "Next follow-up")
        try t.keys("Escape")
        // Wait for the prompt to close: a key sent at once after Esc would
        // arrive as Alt-key.
        try t.waitFor("the prompt to close") { !$0.contains("Next follow-up") }
        try t.waitFor(text: "▸ 陈伟")
        try t.keys("x")
        try t.waitFor(text: "Outcome with 陈伟")
        try t.keys("Enter")
        try t.waitFor(text: "Next follow-up")
        try t.keys("Escape")
        try t.waitFor("the prompt to close") { !$0.contains("Next follow-up") }
        try t.waitFor(text: "Overdue (0)")
        try t.waitFor(text: "▸ Eve Adams")

        // 4. Snooze the one due today to tomorrow morning, 5. undo that.
        try t.keys("s")
        try t.waitFor(text: "Snooze")
        try t.type("2")
        try t.waitFor(text: "09:00")
        try t.keys("Enter")
        try t.waitFor(text: "Today (0)")
        try t.keys("u")
        try t.waitFor(text: "Today (1)")
        let screen = try t.waitFor(text: "Undone: snoozed Demo of the module")
        XCTAssertTrue(screen.contains("Demo of the module"), screen)

        // What the screen's Today section lists.
        let lines = screen.components(separatedBy: "\n")
        let start = lines.firstIndex { $0.contains("Today (1)") }!
        let end = lines.firstIndex { $0.contains("Upcoming") }!
        let onScreen = lines[(start + 1)..<end].filter { $0.contains("Demo of the module") }
        XCTAssertEqual(onScreen.count, 1, screen)

        try t.keys("q")
        try t.waitFor("the shell prompt") { !$0.contains("Overdue") && $0.contains("#") || $0.contains("$ ") }

        // The database, row by row.
        let db = try Database(path: dbPath)
        let quote = try XCTUnwrap(db.followUps.get(ids["quote"]!))
        XCTAssertEqual(quote.status, .done)
        XCTAssertNotNil(quote.doneAt)
        for key in ["renewal", "delivery"] {
            XCTAssertEqual(try db.followUps.get(ids[key]!)?.status, .done, key)
        }
        let demo = try XCTUnwrap(db.followUps.get(ids["demo"]!))
        XCTAssertEqual(demo.status, .open)
        XCTAssertEqual(demo.dueAt, demoDue)  // the snooze was undone
        XCTAssertEqual(demo.version, 3)      // created, snoozed, put back
        XCTAssertEqual(try db.followUps.get(ids["invoice"]!)?.status, .open)

        let adaID = quote.contactID!
        let logged = try db.interactions.timeline(.contact(adaID), before: nil, limit: 10)
        XCTAssertEqual(logged.count, 1)
        XCTAssertEqual(logged.first?.interaction.outcome, "Will sign on Monday")
        XCTAssertEqual(logged.first?.interaction.subject, "Send the quote")
        let next = try db.followUps.open(contactID: adaID).map(\.followUp)
        XCTAssertEqual(next.map(\.title), ["Check the invoice", "Send the quote"])
        let nextDay = utc.date(byAdding: .day, value: 7, to: utc.startOfDay(for: now))!
        XCTAssertEqual(next[1].dueAt, utc.date(bySettingHour: 9, minute: 0, second: 0, of: nextDay))
        for key in ["renewal", "delivery"] {
            let contact = try db.followUps.get(ids[key]!)!.contactID!
            XCTAssertEqual(try db.interactions.timeline(.contact(contact), before: nil, limit: 5).count, 0, key)
        }

        // The CLI agrees with the screen.
        let (status, output) = try t.run(["followups", "--due", "today", "--json", "--db", dbPath])
        XCTAssertEqual(status, 0, output)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]], output)
        XCTAssertEqual(json.map { $0["title"] as? String }, ["Demo of the module"])
        XCTAssertEqual(json.first?["id"] as? Int, Int(ids["demo"]!))
        XCTAssertEqual(json.first?["contact"] as? String, "Eve Adams")
    }
}

/// A private tmux server for one test (`tmux -L <unique>`), killed by name at
/// the end; keys in with send-keys, the screen out with capture-pane, polled
/// with a timeout and printed on failure.
final class AgendaTmux {
    let socket: String
    let folder: URL
    private var closed = false

    static var crmBinary: String {
        if let path = ProcessInfo.processInfo.environment["CRM_BINARY"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("crm").path
    }

    init(width: Int, height: Int) throws {
        socket = "crm-today-\(getpid())-\(UUID().uuidString.prefix(8))"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard FileManager.default.isExecutableFile(atPath: Self.crmBinary) else {
            throw XCTSkip("crm binary not found at \(Self.crmBinary); run `swift build` first")
        }
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "main", "bash --norc --noprofile"])
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Pinned zone and locale, a private config and data folder.
    var environment: [String: String] {
        ["TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "screen-256color",
         "XDG_CONFIG_HOME": folder.path + "/config", "XDG_DATA_HOME": folder.path + "/data", "HOME": folder.path]
    }

    func startCRM(_ arguments: String) throws {
        let env = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        try tmux(["send-keys", "-t", "main", "-l", "env \(env) \(Self.crmBinary) \(arguments)"])
        try tmux(["send-keys", "-t", "main", "Enter"])
    }

    func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", "main"] + keys) }
    func type(_ text: String) throws { try tmux(["send-keys", "-t", "main", "-l", text]) }
    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", "main"]) }

    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 5, file: StaticString = #filePath, line: UInt = #line,
                 _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            usleep(50_000)
        }
        XCTFail("timed out after \(timeout) s waiting for \(what); the screen was:\n\(last)", file: file, line: line)
        throw XCTSkip("gave up waiting for \(what)")
    }

    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 5, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// Runs crm outside tmux with the same environment; (status, stdout).
    func run(_ arguments: [String]) throws -> (Int32, String) {
        try Self.spawn([Self.crmBinary] + arguments, environment: environment)
    }

    /// Runs a tmux command and returns what it printed.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try Self.spawn(["/usr/bin/env", "tmux", "-L", socket] + arguments, environment: nil).output
    }

    /// posix_spawn + waitpid, output through a file. Foundation's Process is
    /// not used for tmux: the server that new-session starts inherits the
    /// client's descriptors, and waitUntilExit was seen to hang on it.
    static func spawn(_ argv: [String], environment: [String: String]?) throws -> (status: Int32, output: String) {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("crm-spawn-\(UUID().uuidString)").path
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let cEnv = env.map { strdup($0) } + [nil]
        defer { cEnv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "cannot run \(argv[0])"]) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // WEXITSTATUS, which does not import.
        return ((status >> 8) & 0xff, output)
    }
}
