import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// Nothing typed is lost, with the real binary in a real terminal: half a
/// note or half a call note survives a SIGHUP (the SSH link dropped) or a
/// SIGTERM, and the next start offers it back; a failing `$EDITOR` keeps the
/// text and says so.
final class DraftsE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var dbPath: String!
    var guenter: Contact!
    var draftsFolder: String { tmux.folder.path + "/data/crm/drafts" }

    override func setUpWithError() throws {
        tmux = try TmuxSession(width: 100, height: 30)
        dbPath = tmux.path("crm.db")
        let db = try Database(path: dbPath, login: "sara")
        let company = try db.companies.create(Company(name: "Müller GmbH"))
        guenter = try db.contacts.create(Contact(name: "Günter Müller", companyID: company.id, phones: [PhoneNumber("+49 171 5550101")]))
    }

    override func tearDown() {
        tmux?.close()
    }

    /// Starts crm as sara in the main window; when it ends, the shell prints
    /// "crm-exited-<status>".
    func startCRM(env extra: [String: String] = [:], window: String = "main") throws {
        let env = tmux.environment.merging(extra) { $1 }
        let prefix = "env " + env.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted($0.value))" }.joined(separator: " ")
        try tmux.shell("clear; \(prefix) \(TmuxSession.crmBinary) --db \(dbPath!) --user sara; echo crm-exited-$?", window: window)
        try tmux.waitFor(text: "1 Today", window: window)
    }

    func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    func crmPID(window: String = "main") throws -> pid_t { try tmux.crmPID(window: window) }

    func draftFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: draftsFolder)) ?? []).filter { $0.hasSuffix(".draft") }
    }

    func mode(_ path: String) -> Int {
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0, path)
        return Int(info.st_mode & 0o7777)
    }

    func interactions() throws -> [Interaction] {
        let db = try Database(path: dbPath)
        return try db.interactions.timeline(.contact(guenter.id), before: nil, limit: 10).map(\.interaction)
    }

    func testHalfANoteSurvivesAHangupAndComesBackAtTheNextStart() throws {
        try startCRM()
        try tmux.keys("2")
        try tmux.waitFor(text: "Günter Müller")
        try tmux.keys("n")
        try tmux.waitFor(text: "Log for Günter Müller")
        try tmux.type("Asked for a discount on the röntgen unit, half of")
        try tmux.waitFor(text: "half of")

        // The SSH link drops.
        kill(try crmPID(), SIGHUP)
        try tmux.waitFor(text: "crm-exited-129")
        XCTAssertEqual(draftFiles().count, 1)
        XCTAssertEqual(mode(draftsFolder), 0o700)
        XCTAssertEqual(draftFiles().first.map { mode(draftsFolder + "/" + $0) }, 0o600)
        XCTAssertEqual(try interactions(), [], "nothing saved")

        // The next start by the same user on the same database offers it.
        try startCRM()
        try tmux.waitFor(text: "Restore the form \u{201C}Log for Günter Müller\u{201D} you were filling in at")
        try tmux.waitFor(text: "Asked for a discount on the röntgen unit, half of")
        try tmux.waitFor(text: "Enter restore · d discard")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Restored what you had typed")
        try tmux.waitFor(text: "Log for Günter Müller")
        try tmux.type(" the list price")
        try tmux.waitFor(text: "half of the list price")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "Logged note for Günter Müller")
        XCTAssertEqual(try interactions().map(\.body), ["Asked for a discount on the röntgen unit, half of the list price"])
        XCTAssertEqual(draftFiles(), [], "saved: the draft is gone")

        try tmux.keys("q")
        try tmux.waitFor(text: "crm-exited-0")
        XCTAssertEqual(draftFiles(), [])
    }

    /// kill -9 gives no way out to keep anything: the draft kept while typing
    /// (every few seconds) is what the next start offers.
    func testHalfANoteSurvivesAKill9() throws {
        try startCRM()
        try tmux.keys("2")
        try tmux.waitFor(text: "Günter Müller")
        try tmux.keys("n")
        try tmux.waitFor(text: "Log for Günter Müller")
        try tmux.type("Wants the blue model, delivery in March")
        try tmux.waitFor(text: "delivery in March")
        // Polled, not slept on: the tick keeps it within a few seconds.
        let deadline = Date().addingTimeInterval(30)
        func kept() -> Bool {
            draftFiles().contains { name in
                ((try? String(contentsOfFile: draftsFolder + "/" + name, encoding: .utf8)) ?? "").contains("delivery in March")
            }
        }
        while !kept() && Date() < deadline { usleep(50_000) }
        XCTAssertTrue(kept(), "kept while typing")
        XCTAssertEqual(draftFiles().first.map { mode(draftsFolder + "/" + $0) }, 0o600)

        kill(try crmPID(), SIGKILL)
        try tmux.waitFor(text: "crm-exited-137")
        try tmux.shell("stty sane; clear")  // nobody gave the terminal back
        try startCRM()
        try tmux.waitFor(text: "Restore the form \u{201C}Log for Günter Müller\u{201D} you were filling in at")
        try tmux.waitFor(text: "Wants the blue model, delivery in March")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Restored what you had typed")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "Logged note for Günter Müller")
        XCTAssertEqual(try interactions().map(\.body), ["Wants the blue model, delivery in March"])
        XCTAssertEqual(draftFiles(), [], "saved: the draft is gone")
    }

    func testHalfACallNoteSurvivesATermAndTheCallKeepsItsRealStart() throws {
        try startCRM()
        try tmux.keys("2")
        try tmux.waitFor(text: "Günter Müller")
        let beforeCall = Date()
        try tmux.keys("c")
        try tmux.waitFor(text: "Call · Günter Müller")
        let afterCall = Date()
        try tmux.type("Wants 40 units, ")
        try tmux.waitFor(text: "Wants 40 units")
        kill(try crmPID(), SIGTERM)
        try tmux.waitFor(text: "crm-exited-143")
        XCTAssertEqual(draftFiles().count, 1)
        // Time goes by before the restart (a pause, not a wait for anything):
        // the restored call must count it.
        let pause = 3 - Date().timeIntervalSince(afterCall)
        if pause > 0 { Thread.sleep(forTimeInterval: pause) }

        try startCRM()
        try tmux.waitFor(text: "Restore the call with Günter Müller you were logging at")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Call · Günter Müller")
        try tmux.waitFor(text: "Wants 40 units,")
        try tmux.type("by Friday")
        try tmux.waitFor(text: "Wants 40 units, by Friday")
        let beforeSave = Date()
        try tmux.keys("C-s")
        try tmux.waitFor(text: "call with Günter Müller")
        let afterSave = Date()

        let call = try XCTUnwrap(interactions().first)
        XCTAssertEqual(call.kind, .call)
        XCTAssertEqual(call.body, "Wants 40 units, by Friday")
        // Stored in whole seconds: the real start, not the restart.
        XCTAssertGreaterThanOrEqual(call.occurredAt, beforeCall.addingTimeInterval(-1))
        XCTAssertLessThanOrEqual(call.occurredAt, afterCall.addingTimeInterval(1))
        let duration = try XCTUnwrap(call.durationSeconds)
        XCTAssertGreaterThanOrEqual(duration, 2)
        XCTAssertGreaterThanOrEqual(Double(duration), beforeSave.timeIntervalSince(afterCall) - 1, "the timer counted from the real start")
        XCTAssertLessThanOrEqual(Double(duration), afterSave.timeIntervalSince(beforeCall) + 1)
        XCTAssertEqual(draftFiles(), [])
    }

    func testAFailingEditorKeepsTheTextAndSaysSo() throws {
        // An editor at a path with a space, called with an argument; what it
        // does is read from a file, so one run of crm meets each failure.
        let folder = tmux.folder.path + "/my editor"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = folder + "/edit note"
        let control = tmux.folder.path + "/editor-mode"
        try """
        #!/bin/sh
        # called as: edit --note FILE
        echo "$@" > \(quoted(tmux.folder.path + "/editor-args"))
        case "$(cat \(quoted(control)))" in
          fail) echo "junk from the editor" >> "$2"; exit 1 ;;
          delete) rm -f "$2" ;;
          append) printf '%s — edited\\n' "$(cat "$2")" > "$2.new" && mv "$2.new" "$2" ;;
        esac
        """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        func editorWill(_ mode: String) throws { try mode.write(toFile: control, atomically: true, encoding: .utf8) }

        try startCRM(env: ["EDITOR": "\(quoted(script)) --note"])
        try tmux.keys("2")
        try tmux.waitFor(text: "Günter Müller")
        try tmux.keys("n")
        try tmux.waitFor(text: "Log for Günter Müller")
        try tmux.type("Half a note")
        try tmux.waitFor(text: "Half a note")

        try editorWill("fail")
        try tmux.keys("C-x")
        var screen = try tmux.waitFor(text: "The editor exited with status 1: the text is as it was, and it is kept as a draft")
        XCTAssertTrue(screen.contains("Half a note"), screen)
        XCTAssertFalse(screen.contains("junk"), screen)
        XCTAssertEqual(draftFiles().count, 1)

        try editorWill("delete")
        try tmux.keys("C-x")
        screen = try tmux.waitFor(text: "The editor deleted the file: the text is as it was, and it is kept as a draft")
        XCTAssertTrue(screen.contains("Half a note"), screen)
        XCTAssertEqual(draftFiles().count, 1, "the same draft, kept again")

        try editorWill("append")
        try tmux.keys("C-x")
        try tmux.waitFor(text: "Half a note — edited")
        let args = try String(contentsOfFile: tmux.folder.path + "/editor-args", encoding: .utf8)
        XCTAssertTrue(args.hasPrefix("--note /"), args)
        try tmux.keys("C-s")
        try tmux.waitFor(text: "Logged note for Günter Müller")
        XCTAssertEqual(try interactions().map(\.body), ["Half a note — edited"])
        XCTAssertEqual(draftFiles(), [], "saved: the draft is gone")
    }

    func testATagTypedInAPromptSurvivesTheTerminalClosing() throws {
        let db = try Database(path: dbPath, login: "sara")
        var tagged = guenter!
        tagged.tags = ["vip"]
        _ = try db.contacts.update(tagged)
        _ = try db.contacts.create(Contact(name: "Ada Lovelace"))

        // crm in a terminal of its own, which is then closed (the pane's
        // shell and crm get SIGHUP from the terminal itself, not from us).
        try tmux.tmux(["new-window", "-d", "-n", "doomed", "bash --norc --noprofile"])
        try tmux.tmux(["resize-window", "-t", "doomed", "-x", "100", "-y", "30"])
        try startCRM(window: "doomed")
        try tmux.keys("2", window: "doomed")
        try tmux.waitFor(text: "Ada Lovelace", window: "doomed")
        try tmux.keys("t", window: "doomed")
        try tmux.waitFor(text: "Filter by tag", window: "doomed")
        try tmux.type("vi", window: "doomed")
        try tmux.waitFor("the typed tag", window: "doomed") { $0.contains("vi") && $0.contains("Filter by tag") }
        let pid = try crmPID(window: "doomed")
        try tmux.tmux(["kill-window", "-t", "doomed"])
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0 || draftFiles().isEmpty, Date() < deadline { usleep(50_000) }
        XCTAssertNotEqual(kill(pid, 0), 0, "crm ended with its terminal")
        XCTAssertEqual(draftFiles().count, 1, "the typed tag was kept")

        try startCRM()
        try tmux.waitFor(text: "Restore your answer to \u{201C}Filter by tag (empty: all tags)\u{201D} from")
        try tmux.keys("Enter")
        try tmux.waitFor("the prompt back with its text") { $0.contains("Filter by tag") && $0.contains("vi") }
        try tmux.type("p")
        try tmux.keys("Enter")
        try tmux.waitFor("only the vip listed") { $0.contains("Günter Müller") && !$0.contains("Ada Lovelace") }
        XCTAssertEqual(draftFiles(), [])
    }
}
