import Foundation
import XCTest

/// The real `crm` binary in a real terminal: a private tmux server per test
/// (`tmux -L <unique>`), driven with send-keys and read with capture-pane,
/// polling with a timeout like fzf's test helper. The server is killed by
/// name when the session is closed, so tests never touch another server.
final class TmuxSession {
    let socket: String
    let folder: URL
    private var closed = false

    /// Where the `crm` binary is: next to the test bundle (both live in the
    /// same build folder), unless CRM_BINARY says otherwise.
    static var crmBinary: String {
        if let path = ProcessInfo.processInfo.environment["CRM_BINARY"] { return path }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = testBinary.deletingLastPathComponent()
        // On Linux the runner is `<build>/crmPackageTests.xctest`.
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("crm").path
    }

    let width: Int
    let height: Int

    init(width: Int = 120, height: Int = 40) throws {
        self.width = width
        self.height = height
        socket = "crm-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard FileManager.default.isExecutableFile(atPath: Self.crmBinary) else {
            throw XCTSkip("crm binary not found at \(Self.crmBinary); run `swift build` first")
        }
        // The first window runs a plain shell; tests start crm in it or in new windows.
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "main", "bash --norc --noprofile"])
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        // Where the server listened, asked before it goes (tmux leaves the
        // socket file behind, and thousands of test runs add up).
        let socketPath = (try? tmux(["display-message", "-p", "#{socket_path}"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try? tmux(["kill-server"])
        if let socketPath, socketPath.hasSuffix("/" + socket) { try? FileManager.default.removeItem(atPath: socketPath) }
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The environment every crm run gets: pinned time zone, UTF-8, a known
    /// terminal, private config and data folders, no $EDITOR.
    var environment: [String: String] {
        ["TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "screen-256color", "EDITOR": "", "HOME": folder.path,
         "XDG_CONFIG_HOME": folder.path + "/config", "XDG_DATA_HOME": folder.path + "/data",
         "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    }

    private var environmentPrefix: String {
        "env " + environment.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
    }

    /// Runs crm outside tmux (a subcommand) with the same environment.
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Spawn.run([Self.crmBinary] + arguments, outputIn: folder, environment: environment)
    }

    /// Types a command line into the shell of `window`.
    func shell(_ command: String, window: String = "main") throws {
        try tmux(["send-keys", "-t", window, "-l", command])
        try tmux(["send-keys", "-t", window, "Enter"])
    }

    /// Starts crm in a new window running `arguments` (or in "main" when `window` is nil).
    func startCRM(_ arguments: String, window: String? = nil) throws {
        let command = "\(environmentPrefix) \(Self.crmBinary) \(arguments)"
        if let window {
            try tmux(["new-window", "-d", "-n", window, "bash --norc --noprofile"])
            try tmux(["resize-window", "-t", window, "-x", "\(width)", "-y", "\(height)"])
            try shell(command, window: window)
        } else {
            try shell(command)
        }
    }

    /// The crm process this test started in `window`: the child of the pane's
    /// shell that runs the binary. Signals go to it by pid, never by name.
    func crmPID(window: String = "main") throws -> pid_t {
        let shell = try tmux(["display-message", "-p", "-t", window, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let binary = URL(fileURLWithPath: Self.crmBinary).resolvingSymlinksInPath().path
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
            for child in children.split(separator: " ") {
                if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child)/exe"), exe == binary,
                   let pid = pid_t(child) {
                    return pid
                }
            }
            usleep(50_000)
        }
        throw XCTSkip("the crm process was not found under the shell \(shell)")
    }

    /// Sends tmux key names ("Enter", "C-s", "Escape") or literal text.
    func keys(_ keys: String..., window: String = "main") throws {
        try tmux(["send-keys", "-t", window] + keys)
    }

    func type(_ text: String, window: String = "main") throws {
        try tmux(["send-keys", "-t", window, "-l", text])
    }

    /// Every screen captured so far, in order: for assertions about what a
    /// person could have seen at any moment ("never any SQL").
    private(set) var captured: [String] = []

    func screen(window: String = "main") throws -> String {
        let text = try tmux(["capture-pane", "-p", "-t", window])
        captured.append(text)
        return text
    }

    /// Waits until `predicate` holds for the screen; fails printing the screen.
    @discardableResult
    func waitFor(_ what: String, window: String = "main", timeout: TimeInterval = 5,
                 file: StaticString = #filePath, line: UInt = #line,
                 _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen(window: window)
            if predicate(last) { return last }
            usleep(50_000)
        }
        XCTFail("timed out after \(timeout) s waiting for \(what); the screen was:\n\(last)", file: file, line: line)
        throw XCTSkip("gave up waiting for \(what)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(text: String, window: String = "main", timeout: TimeInterval = 5,
                 file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitFor("\"\(text)\"", window: window, timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try Spawn.run(["tmux", "-L", socket] + arguments, outputIn: folder).output
    }
}
