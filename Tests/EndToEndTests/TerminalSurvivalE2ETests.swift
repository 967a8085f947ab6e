import CRMCore
import CRMStore
import Foundation
import XCTest

/// The terminal survives anything: a crash gives it back in its normal modes,
/// a terminal that goes away ends the program, bytes that are not UTF-8 do
/// not swallow what follows them, a terminal that cannot show the screen is
/// said so in one line, Ctrl-L repaints over garbage, and Ctrl-C never
/// throws typed text away unasked. The real binary, in tmux or on a
/// pseudo-terminal of its own.
final class TerminalSurvivalE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var dbPath: String!

    override func setUpWithError() throws {
        tmux = try TmuxSession()
        dbPath = tmux.path("crm.db")
        let db = try Database(path: dbPath, login: "sara")
        _ = try db.contacts.create(Contact(name: "Ada Lovelace"))
    }

    override func tearDown() {
        tmux?.close()
    }

    var logPath: String { tmux.path(".local/state/crm/crm.log") }

    /// A shell script that runs crm and then reports its exit status and the
    /// terminal modes. Run by sh, not typed into the interactive bash: bash
    /// itself puts its terminal modes back after a job dies of a signal,
    /// which would hide what crm left behind.
    func script(_ name: String, environment extra: String = "", arguments: String) throws -> String {
        let env = tmux.environment.merging(["XDG_STATE_HOME": ""]) { _, new in new }
            .filter { !$0.value.isEmpty }
            .sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let path = tmux.path(name)
        try """
            env \(env) \(extra) '\(TmuxSession.crmBinary)' \(arguments)
            echo "status=$?"
            stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo "<modes"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    // MARK: 1. a trap

    func testATrapGivesTheTerminalBackAndTheLogNamesTheSignal() throws {
        try tmux.shell("sh \(try script("trap.sh", environment: "CRM_TEST_TRAP=1", arguments: "--db \(dbPath!) --user sara"))")
        let screen = try tmux.waitFor("the shell's report after the crash", timeout: 60) { $0.contains("<modes") }
        XCTAssertTrue(screen.contains("icanon echo <modes"), "the terminal is back in its normal modes:\n\(screen)")
        XCTAssertFalse(screen.contains("-icanon") || screen.contains("-echo"), screen)
        XCTAssertTrue(screen.contains("crm stopped by SIG"), "the user is told what happened:\n\(screen)")
        XCTAssertTrue(screen.contains("status=132") || screen.contains("status=133"),
                      "crm died of the trap itself (SIGILL, or SIGTRAP on arm64):\n\(screen)")
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        XCTAssertTrue(log.contains("Fatal error: CRM_TEST_TRAP"), log)
        XCTAssertTrue(log.contains("stopped by SIGILL") || log.contains("stopped by SIGTRAP"), "the log names the signal:\n\(log)")
    }

    // MARK: 2. a terminal that goes away

    func testATerminalClosedWithoutSIGHUPEndsTheProgram() throws {
        let crm = try PseudoTerminal([TmuxSession.crmBinary, "--db", dbPath, "--user", "sara"], environment: tmux.environment)
        XCTAssertTrue(crm.waitFor("Today"), "the screen came up: \(crm.text.suffix(300))")
        crm.hangUpWithoutSignal()
        // Generous: under load a debug build is slow, but a spinning loop never ends.
        let status = crm.waitForExit(timeout: 30)
        XCTAssertEqual(status, 74, "crm ends with EX_IOERR once its terminal is gone, instead of spinning")
    }

    // MARK: 3. bytes that are not UTF-8

    func testALatin1ByteBecomesAReplacementCharacterAndTheRestArrives() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("2")
        try tmux.waitFor(text: "Ada Lovelace")
        try tmux.keys("n")
        try tmux.waitFor(text: "Ctrl-S save")
        // "café au lait" from a Latin-1 terminal: é is the single byte E9.
        let bytes = Array("caf".utf8) + [0xE9] + Array(" au lait".utf8)
        try tmux.tmux(["send-keys", "-t", "main", "-H"] + bytes.map { String(format: "%02x", $0) })
        try tmux.waitFor(text: "caf\u{FFFD} au lait")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "Logged")
        let db = try Database(path: dbPath)
        let ada = try XCTUnwrap(db.contacts.search("ada", filter: .init(), limit: 1).first)
        let note = try XCTUnwrap(db.interactions.timeline(.contact(ada.id), before: nil, limit: 1).first)
        XCTAssertTrue(note.interaction.body.contains("caf\u{FFFD} au lait") || note.interaction.subject.contains("caf\u{FFFD} au lait"),
                      "\(note.interaction)")
    }

    // MARK: 4. a terminal that cannot show the screen

    func testTermDumbUnsetOrUnknownIsSaidInOneLineAndExits78() throws {
        for term in ["dumb", nil, "no-such-terminal-h9"] as [String?] {
            var environment = tmux.environment
            environment["TERM"] = term
            let fresh = tmux.path("fresh-\(term ?? "unset").db")
            let crm = try PseudoTerminal([TmuxSession.crmBinary, "--db", fresh], environment: environment)
            let status = crm.waitForExit(timeout: 30)
            let said = crm.text
            XCTAssertEqual(status, 78, "TERM=\(term ?? "(unset)"): \(said)")
            XCTAssertFalse(said.contains("\u{1b}"), "nothing drawn before the message: \(said.debugDescription)")
            let lines = said.split(whereSeparator: \.isNewline)
            XCTAssertEqual(lines.count, 1, said)
            XCTAssertTrue(said.contains(term.map { "TERM=\($0)" } ?? "TERM is not set"), said)
            XCTAssertTrue(said.contains("TERM=xterm-256color"), "a usable value is named: \(said)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: fresh), "no database made for a screen that cannot show")
        }
    }

    // MARK: 5. Ctrl-L

    func testCtrlLWipesWhatAnotherProgramWroteOverTheScreen() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try tmux.waitFor(text: "1 Today")
        // Another program writes onto the terminal: `write`, a background job.
        let tty = try tmux.tmux(["display-message", "-p", "-t", "main", "#{pane_tty}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let fd = open(tty, O_WRONLY | O_NOCTTY)
        XCTAssertGreaterThanOrEqual(fd, 0, "cannot open \(tty)")
        _ = "\u{1b}[6;10HGARBAGE FROM ELSEWHERE\u{1b}[12;30HMORE GARBAGE".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        try tmux.waitFor(text: "GARBAGE FROM ELSEWHERE")
        try tmux.keys("C-l")
        // One condition: right after the clear the screen is blank for a
        // moment (no garbage, no view either); what counts is the redraw.
        try tmux.waitFor("the garbage gone and the screen whole again") { !$0.contains("GARBAGE") && $0.contains("1 Today") }
    }

    // MARK: 6. Ctrl-C

    func testCtrlCInAHalfTypedNoteAsksAndKeepsTheTextThenQuitsFromTheView() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("2")
        try tmux.waitFor(text: "Ada Lovelace")
        try tmux.keys("n")
        try tmux.waitFor(text: "Ctrl-S save")
        try tmux.type("Promised a quote by Fri")
        try tmux.keys("C-c")
        let asked = try tmux.waitFor(text: "Discard what you typed?")
        XCTAssertTrue(asked.contains("Promised a quote by Fri"), "the text is still there:\n\(asked)")
        try tmux.keys("Right")   // any key but y: keep editing
        try tmux.waitFor("the question gone") { !$0.contains("Discard what you typed?") && $0.contains("Ctrl-S save") }
        try tmux.type("day")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "Logged")
        let db = try Database(path: dbPath)
        let ada = try XCTUnwrap(db.contacts.search("ada", filter: .init(), limit: 1).first)
        let note = try XCTUnwrap(db.interactions.timeline(.contact(ada.id), before: nil, limit: 1).first)
        XCTAssertTrue("\(note.interaction.subject) \(note.interaction.body)".contains("Promised a quote by Friday"), "\(note.interaction)")

        // Over a view, with nothing typed, Ctrl-C quits as q does.
        try tmux.keys("C-c")
        try tmux.waitFor("the shell back") { !$0.contains("Ada Lovelace") }
        try tmux.shell("echo exit=$?")
        try tmux.waitFor(text: "exit=0")
    }
}
