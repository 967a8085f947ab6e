import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file a command writes whole or not at all (`crm export --out`):
/// written to a new temporary name in the same folder (O_CREAT|O_EXCL|
/// O_NOFOLLOW, 0600 whatever the umask), flushed to disk, then put at its
/// name. Without `replace`, a name that exists (a file, or a symbolic link,
/// even a dangling one) is refused, checked again at the last moment by
/// link(2), which never replaces; with it, rename(2) replaces what is there,
/// a symbolic link itself, never the file it points to. A failure or an
/// interruption before that leaves at most the temporary file, which
/// `discard` removes.
final class OutputFile {
    let path: String
    let replace: Bool
    private let folder: Int32
    private let name: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private static let flushAt = 256 * 1024

    /// The open temporary file, for a child process to write into.
    var descriptor: Int32 { fd }

    init(path: String, replace: Bool, command: String = "crm export") throws {
        self.path = path
        self.replace = replace
        let folderPath = (path as NSString).deletingLastPathComponent
        name = (path as NSString).lastPathComponent
        guard !name.isEmpty, name != ".", name != ".." else {
            throw Failure("--out \(path): name a file, not a folder", status: ExitCode.usage)
        }
        var st = stat()
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                throw Failure("--out \(path) is a folder; name a file", status: ExitCode.cantCreate)
            }
            if !replace {
                let what = switch st.st_mode & S_IFMT {
                case S_IFLNK: "a symbolic link"
                case S_IFREG: "a file"
                case S_IFCHR, S_IFBLK: "a device"
                default: "not a regular file"
                }
                throw Failure("\(path) exists (\(what)); \(command) does not overwrite it unless you add --force", status: ExitCode.cantCreate)
            }
        }
        folder = open(folderPath.isEmpty ? "." : folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else {
            throw Failure("cannot write \(path): its folder \(folderPath): \(String(cString: strerror(errno)))", status: ExitCode.cantCreate)
        }
        temporary = ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        fd = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            close(folder)
            throw Failure("cannot create a file beside \(path): \(reason)", status: ExitCode.cantCreate)
        }
        _ = fchmod(fd, 0o600)
        OutputFile.removeOnSignal(folderPath.isEmpty ? temporary : folderPath + "/" + temporary)
    }

    deinit {
        if fd >= 0 { discard() }
        close(folder)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushAt { try flush() }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure("cannot write \(path): \(String(cString: strerror(errno)))", status: ExitCode.ioError)
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Puts the finished file at its name.
    func commit() throws {
        try flush()
        guard fsync(fd) == 0 else { throw Failure("cannot write \(path): \(String(cString: strerror(errno)))", status: ExitCode.ioError) }
        close(fd)
        fd = -1
        OutputFile.removeOnSignal(nil)
        if replace {
            guard renameat(folder, temporary, folder, name) == 0 else {
                let reason = String(cString: strerror(errno))
                unlinkat(folder, temporary, 0)
                throw Failure("cannot put the file at \(path): \(reason)", status: ExitCode.cantCreate)
            }
        } else {
            // link(2) fails with EEXIST if something appeared at the name meanwhile.
            guard linkat(folder, temporary, folder, name, 0) == 0 else {
                let code = errno
                unlinkat(folder, temporary, 0)
                if code == EEXIST {
                    throw Failure("\(path) appeared while the export was written; it was left as it is (add --force to replace it)",
                                  status: ExitCode.cantCreate)
                }
                throw Failure("cannot put the file at \(path): \(String(cString: strerror(code)))", status: ExitCode.cantCreate)
            }
            unlinkat(folder, temporary, 0)
        }
        _ = fsync(folder)
    }

    /// Removes the temporary file: nothing is left of an export that failed.
    func discard() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlinkat(folder, temporary, 0)
        OutputFile.removeOnSignal(nil)
    }

    /// The temporary file a Ctrl-C (SIGINT), SIGTERM or SIGHUP removes
    /// before the program ends as that signal says, so an interrupted
    /// export leaves nothing behind. A C string, set before the handler is
    /// installed: unlink(2) and raise(3) are async-signal-safe.
    nonisolated(unsafe) static var pending: UnsafeMutablePointer<CChar>?

    static func removeOnSignal(_ path: String?) {
        let old = pending
        pending = path.map { strdup($0) }
        free(old)
        guard path != nil else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { sig in
                if let path = OutputFile.pending { unlink(path) }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }
}

/// Standard output for an export, buffered. Exported text is data: it goes
/// out byte for byte into a pipe or a file. Only when stdout is a terminal
/// is each line passed through the screen's sanitiser (control characters
/// and escape sequences become visible symbols), since there a stored escape
/// sequence would be executed by the terminal rather than kept as data.
final class ExportStdout {
    let sanitize: Bool
    private var buffer: [UInt8] = []

    init(sanitize: Bool = isatty(STDOUT_FILENO) == 1) { self.sanitize = sanitize }

    func write(_ text: String) throws {
        if sanitize {
            buffer.append(contentsOf: Output.sanitizedLines(text).utf8)
        } else {
            buffer.append(contentsOf: text.utf8)
        }
        if buffer.count >= 64 * 1024 { try flush() }
    }

    func flush() throws {
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    // A reader that went away (crm export | head) ends the export quietly.
                    if errno == EPIPE { throw ExportStdout.Closed() }
                    throw Failure("cannot write to standard output: \(String(cString: strerror(errno)))", status: ExitCode.ioError)
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    struct Closed: Error {}
}
