import CRMViewModels
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs `$VISUAL` or `$EDITOR` on a text, through a private temporary file.
///
/// The command runs the way git runs it: `sh -c "$EDITOR \"$@\"" sh FILE`,
/// so `EDITOR="vim -u NONE"` or `EDITOR="'/opt/My Editor/edit' --wait"`
/// work, and the file name is never spliced into the command line. The
/// editor runs in crm's own process group (Foundation's `Process` would give
/// it a group of its own, and a full-screen editor then stops on its first
/// read from the terminal).
enum ExternalEditor {
    static var command: String? {
        let env = ProcessInfo.processInfo.environment
        return [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty }
    }

    /// The edited text, or what went wrong: the editor could not start,
    /// exited non-zero or was killed, or the file is gone. The caller keeps
    /// the field's text on a failure.
    static func edit(_ text: String, command: String? = ExternalEditor.command) -> EditorResult {
        guard let command else { return .failed("no editor: set $EDITOR") }
        // A folder of our own (0700) and a new file in it (0600): a note
        // about a customer is nobody else's business, and nothing planted in
        // the shared temporary folder is followed.
        var template = Array((NSTemporaryDirectory() + "/crm-edit-XXXXXX").utf8CString)
        guard let folderPointer = mkdtemp(&template) else {
            return .failed("the editor was not started: no temporary folder (\(String(cString: strerror(errno))))")
        }
        let folder = String(cString: folderPointer)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/crm-note.txt"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .failed("the editor was not started: \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.isEmpty ? 0 : write(fd, bytes, bytes.count)
        close(fd)
        guard written == bytes.count else { return .failed("the editor was not started: the text could not be written") }

        switch run(["/bin/sh", "-c", command + " \"$@\"", "sh", path]) {
        case .notStarted(let e):
            return .failed("the editor could not be started (\(String(cString: strerror(e))))")
        case .exited(127):
            return .failed("the editor \u{201C}\(command)\u{201D} was not found")
        case .exited(126):
            return .failed("the editor \u{201C}\(command)\u{201D} could not be run")
        case .exited(let status) where status > 128 && status <= 128 + 64:
            // sh reports an editor killed by signal N as 128 + N.
            return .failed("the editor was stopped by signal \(status - 128)")
        case .exited(let status) where status != 0:
            return .failed("the editor exited with status \(status)")
        case .killed(let signal):
            return .failed("the editor was stopped by signal \(signal)")
        case .exited:
            break
        }
        let back = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard back >= 0 else {
            return .failed(errno == ENOENT ? "the editor deleted the file" : "the edited file cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { close(back) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(back, &buffer, buffer.count)
            if n < 0, errno == EINTR { continue }
            if n < 0 { return .failed("the edited file cannot be read (\(String(cString: strerror(errno))))") }
            if n == 0 { break }
            data.append(buffer, count: n)
        }
        return .edited(String(decoding: data, as: UTF8.self))
    }

    enum Exit: Equatable { case notStarted(Int32), exited(Int32), killed(Int32) }

    /// Runs a program with the terminal and the environment of this process,
    /// in this process group, and waits for it.
    static func run(_ arguments: [String]) -> Exit {
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], nil, nil, &argv, &envp)
        guard spawned == 0 else { return .notStarted(spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .notStarted(errno) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(signal)
    }
}
