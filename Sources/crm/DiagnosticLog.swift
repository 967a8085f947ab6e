import CRMTerminal
import Foundation

/// The user's log file: the engine's own words (the SQL, the error codes)
/// are written here, never on the terminal. Created 0600 in a 0700 folder,
/// without following a symlink planted at its name.
enum DiagnosticLog {
    static func write(_ line: String) {
        let folder = Paths.stateFolder
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let fd = openForAppending()
        guard fd >= 0 else { return }
        defer { close(fd) }
        let stamp = ISO8601DateFormatter().string(from: Date())
        // One line, whatever the engine's words hold: a stored escape
        // sequence in a statement must not reach whoever reads the log.
        let text = "\(stamp) crm[\(getpid())]: \(TextSanitizer.singleLine(line))\n"
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
    }

    /// The log, opened to append: made 0600 whatever the umask, and never
    /// through a symbolic link (O_NOFOLLOW). -1 with errno set on failure.
    static func openForAppending() -> Int32 {
        let fd = open(Paths.logFile, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd >= 0 {
            fchmod(fd, 0o600)
            return fd
        }
        guard errno == EEXIST else { return -1 }
        return open(Paths.logFile, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
    }

    /// Makes the log's folder so the screen can open the log itself.
    static func prepare() throws -> String {
        do {
            try FileManager.default.createDirectory(atPath: Paths.stateFolder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            let reason = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? Error)?.localizedDescription ?? error.localizedDescription
            throw Failure("cannot create \(Paths.stateFolder) for your log: \(reason); set XDG_STATE_HOME to a folder you may write",
                          status: ExitCode.cantCreate)
        }
        // Made here (0600 whatever the umask) so the screen, which opens it
        // again for its error output, finds a private file.
        let fd = openForAppending()
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link; crm writes its log only to a plain file"
                : String(cString: strerror(errno))
            throw Failure("cannot open your log \(Paths.logFile): \(reason)", status: ExitCode.cantCreate)
        }
        close(fd)
        return Paths.logFile
    }
}
