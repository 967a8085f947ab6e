import Foundation
import XCTest

/// Starts several programs at the same moment and waits for all of them: many
/// people on one server opening crm at once. posix_spawn + waitpid, like
/// `Spawn`. A program that needs a terminal (the screen) gets a
/// pseudo-terminal of its own, in a session of its own, and `keys` are typed
/// into it once `ready` shows in its output. Only the processes started here
/// are ever signalled, each by its pid, and only when the deadline passes.
enum Together {
    struct Program {
        var argv: [String]
        /// Run on a pseudo-terminal; `keys` are typed when `ready` appears.
        var terminal: (ready: String, keys: String)?
    }

    struct Outcome: CustomStringConvertible {
        /// The exit status; 128 + n for a signal; -1 when it had to be killed.
        var status: Int32
        var output: String
        var argv: [String]
        var description: String {
            let text = output.replacingOccurrences(of: "\u{1b}", with: "^[")
            return "\(argv.dropFirst().joined(separator: " ")) -> \(status): \(text.prefix(300))"
        }
    }

    private final class Child {
        let program: Program
        let pid: pid_t
        var master: Int32 = -1
        var outPath: String?
        var output = Data()
        var typed = false
        var status: Int32?
        init(program: Program, pid: pid_t, master: Int32, outPath: String?) {
            self.program = program
            self.pid = pid
            self.master = master
            self.outPath = outPath
        }
    }

    static func run(_ programs: [Program], environment: [String: String], folder: URL,
                    timeout: TimeInterval = 20) throws -> [Outcome] {
        var children: [Child] = []
        defer {
            // Whatever happened, nothing started here outlives the call.
            for child in children where child.status == nil {
                kill(child.pid, SIGKILL)
                var ws: Int32 = 0
                while waitpid(child.pid, &ws, 0) == -1 && errno == EINTR {}
            }
            for child in children {
                if child.master >= 0 { close(child.master) }
                if let path = child.outPath { unlink(path) }
            }
        }
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cEnv.forEach { free($0) } }
        // All prepared first, then spawned in one quick loop.
        for program in programs {
            children.append(try spawn(program, environment: cEnv, folder: folder))
        }
        let started = Date()
        let deadline = started.addingTimeInterval(timeout)
        while children.contains(where: { $0.status == nil }) && Date() < deadline {
            var fds = children.filter { $0.master >= 0 }.map { pollfd(fd: $0.master, events: Int16(POLLIN), revents: 0) }
            if fds.isEmpty {
                usleep(5_000)
            } else {
                _ = poll(&fds, nfds_t(fds.count), 10)
            }
            for child in children {
                drain(child)
                if let terminal = child.program.terminal, !child.typed, child.master >= 0 {
                    let seen = String(decoding: child.output, as: UTF8.self).contains(terminal.ready)
                    // Typed blind after a while if the marker never shows: the
                    // status then tells what happened.
                    if seen || Date().timeIntervalSince(started) > timeout / 2 {
                        child.typed = true
                        _ = terminal.keys.withCString { write(child.master, $0, strlen($0)) }
                    }
                }
                if child.status == nil {
                    var ws: Int32 = 0
                    let rc = waitpid(child.pid, &ws, WNOHANG)
                    if rc == child.pid {
                        // WEXITSTATUS / WTERMSIG, spelled out: the C macros do not import.
                        child.status = (ws & 0x7f) == 0 ? (ws >> 8) & 0xff : 128 + (ws & 0x7f)
                        drain(child)
                    }
                }
            }
        }
        return children.map { child in
            var output = child.output
            if let path = child.outPath, let data = FileManager.default.contents(atPath: path) { output = data }
            return Outcome(status: child.status ?? -1, output: String(decoding: output, as: UTF8.self), argv: child.program.argv)
        }
    }

    /// Reads what a terminal program has printed so far, without blocking.
    private static func drain(_ child: Child) {
        guard child.master >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(child.master, &buffer, buffer.count)
            if n > 0 {
                child.output.append(contentsOf: buffer[0..<n])
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                return
            } else {
                // 0, or EIO: every copy of the terminal's other end is closed.
                close(child.master)
                child.master = -1
                return
            }
        }
    }

    private static func spawn(_ program: Program, environment cEnv: [UnsafeMutablePointer<CChar>?], folder: URL) throws -> Child {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK)
        var master: Int32 = -1
        var outPath: String?
        if program.terminal != nil {
            // O_CLOEXEC: no other child may hold this end open.
            master = PTY.openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard master >= 0, PTY.grantpt(master) == 0, PTY.unlockpt(master) == 0, let name = PTY.name(master) else {
                if master >= 0 { close(master) }
                throw Spawn.Failure(description: "no pseudo-terminal: \(String(cString: strerror(errno)))")
            }
            var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
            _ = ioctl(master, UInt(TIOCSWINSZ), &size)
            _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
            // A session of its own (POSIX_SPAWN_SETSID, 0x80 in glibc), so
            // opening the terminal makes it the controlling one.
            flags |= 0x80
            posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
            posix_spawn_file_actions_adddup2(&actions, 0, 2)
        } else {
            let path = folder.appendingPathComponent("together-\(UUID().uuidString).out").path
            outPath = path
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let cArgs: [UnsafeMutablePointer<CChar>?] = program.argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program.argv[0], &actions, &attributes, cArgs, cEnv)
        guard rc == 0 else {
            if master >= 0 { close(master) }
            throw Spawn.Failure(description: "cannot run \(program.argv[0]): \(String(cString: strerror(rc)))")
        }
        return Child(program: program, pid: pid, master: master, outPath: outPath)
    }
}

/// The pseudo-terminal calls of the C library. Glibc declares them only for
/// _XOPEN_SOURCE, which Swift's import does not set, so they are looked up.
enum PTY {
    typealias IntToInt = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("\(name) is not in the C library")
        }
        return unsafeBitCast(pointer, to: type)
    }

    static let openpt = symbol("posix_openpt", as: IntToInt.self)
    static let grantpt = symbol("grantpt", as: IntToInt.self)
    static let unlockpt = symbol("unlockpt", as: IntToInt.self)
    private static let ptsnameR = symbol("ptsname_r", as: Name.self)

    static func name(_ fd: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        guard ptsnameR(fd, &buffer, buffer.count) == 0 else { return nil }
        return String(cString: buffer)
    }
}
