import Foundation

/// A program run as a child process for `crm bench`, measured from outside:
/// the wall time from spawn to exit and the child's own peak resident memory
/// (`wait4`'s rusage, which counts that one child only), so figures are
/// measured, not estimated from inside the process.
struct ChildRun {
    let status: Int32
    let seconds: Double
    /// ru_maxrss: the most resident memory the child held, in KiB.
    let maxRSSKiB: Int
    /// The child's processor time, user + system: on a machine shared with
    /// other work it varies far less than the wall time.
    let cpuSeconds: Double

    var exitedCleanly: Bool { status == 0 }
    var maxRSSMiB: Double { Double(maxRSSKiB) / 1024 }

    /// Runs `binary` with `args`; stdin from `stdin` (a file) or /dev/null,
    /// stdout to the open descriptor `stdout` or /dev/null, stderr to the
    /// file `stderr` (made 0600) or /dev/null.
    static func run(_ binary: String, _ args: [String], stdin: String? = nil, stdout: Int32? = nil,
                    stderr: String? = nil) throws -> ChildRun {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin ?? "/dev/null", O_RDONLY, 0)
        if let stdout {
            posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
        } else {
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr ?? "/dev/null",
                                         stderr == nil ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
        let argv = ([binary] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawnp(&pid, binary, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure("cannot run \(binary): \(String(cString: strerror(spawned)))", status: ExitCode.software) }
        var wstatus: Int32 = 0
        var usage = rusage()
        while wait4(pid, &wstatus, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure("waiting for \(binary): \(String(cString: strerror(errno)))", status: ExitCode.software) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // WIFEXITED / WEXITSTATUS, which Swift does not import (macros).
        let status = (wstatus & 0x7f) == 0 ? (wstatus >> 8) & 0xff : 128 + (wstatus & 0x7f)
        func inSeconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return ChildRun(status: status, seconds: seconds, maxRSSKiB: Int(usage.ru_maxrss),
                        cpuSeconds: inSeconds(usage.ru_utime) + inSeconds(usage.ru_stime))
    }

    /// This very program, to run a subcommand of it as a child.
    static var ownBinary: String? {
        Bundle.main.executablePath ?? (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    }
}
