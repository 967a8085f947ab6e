import Foundation
import XCTest

/// One program on a pseudo-terminal that is not its controlling terminal, so
/// closing our end (the master) makes its reads fail without any SIGHUP: a
/// terminal that just goes away. Also shows every byte the program wrote.
/// Only this process is ever signalled, by its pid, and only if it is still
/// running when the test is done with it.
final class PseudoTerminal {
    let pid: pid_t
    private var master: Int32
    private(set) var output = Data()
    private(set) var status: Int32?

    init(_ argv: [String], environment: [String: String], rows: UInt16 = 24, columns: UInt16 = 80) throws {
        master = PTY.openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, PTY.grantpt(master) == 0, PTY.unlockpt(master) == 0, let name = PTY.name(master) else {
            if master >= 0 { close(master) }
            throw Spawn.Failure(description: "no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // O_NOCTTY, and no new session: the terminal never becomes the
        // program's controlling one, so nothing sends it SIGHUP.
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR | O_NOCTTY, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard rc == 0 else {
            close(master)
            throw Spawn.Failure(description: "cannot run \(argv[0]): \(String(cString: strerror(rc)))")
        }
        self.pid = pid
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var ws: Int32 = 0
            while waitpid(pid, &ws, 0) == -1 && errno == EINTR {}
        }
        if master >= 0 { close(master) }
    }

    var text: String { String(decoding: output, as: UTF8.self) }

    /// Reads what the program has written so far, without blocking.
    func drain() {
        guard master >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(master, &buffer, buffer.count)
            guard n > 0 else { return }
            output.append(contentsOf: buffer[0..<n])
        }
    }

    /// Types `text` into the terminal.
    func type(_ text: String) {
        _ = text.withCString { write(master, $0, strlen($0)) }
    }

    /// Waits until the output contains `marker`, reading as it comes.
    @discardableResult
    func waitFor(_ marker: String, timeout: TimeInterval = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            drain()
            if text.contains(marker) { return true }
            if exited() { drain(); return text.contains(marker) }
            usleep(20_000)
        } while Date() < deadline
        return false
    }

    /// Closes our end: the terminal is gone.
    func hangUpWithoutSignal() {
        drain()
        close(master)
        master = -1
    }

    /// The exit status (128 + n after signal n) once the program has ended
    /// within `timeout`, else nil (the program is then still running).
    func waitForExit(timeout: TimeInterval = 15) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            drain()
            if exited() { drain(); return status }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }

    private func exited() -> Bool {
        if status != nil { return true }
        var ws: Int32 = 0
        guard waitpid(pid, &ws, WNOHANG) == pid else { return false }
        // WEXITSTATUS / WTERMSIG, spelled out: the C macros do not import.
        status = (ws & 0x7f) == 0 ? (ws >> 8) & 0xff : 128 + (ws & 0x7f)
        return true
    }
}
