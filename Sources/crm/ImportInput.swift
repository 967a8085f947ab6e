import Foundation

/// What `crm import` reads, as a regular file it can open more than once:
/// the format and encoding are sniffed from the start of the file before it
/// is read through, so a pipe (`cat f.csv | crm import -`, `crm import
/// <(iconv …)`) or a FIFO would lose that start, or block on a second open.
/// Such an input is first copied, once, into a private temporary file (0600,
/// in a folder of its own, removed afterwards).
final class ImportInput {
    /// The path to read.
    let path: String
    /// What the user named ("-" for standard input), for messages.
    let named: String
    private var folder: String?

    init(_ named: String) throws {
        self.named = named
        if named == "-" {
            path = try Self.copy(from: FileHandle.standardInput, into: &folder)
            return
        }
        var info = stat()
        guard stat(named, &info) == 0 else {
            throw Failure("cannot read \(named): there is no such file", status: ExitCode.noInput)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: path = named
        case S_IFDIR: throw Failure("cannot read \(named): it is a folder; expected a CSV, vCard or JSON file", status: ExitCode.noInput)
        default:
            guard let handle = FileHandle(forReadingAtPath: named) else {
                throw Failure("cannot read \(named): \(String(cString: strerror(errno)))", status: ExitCode.noInput)
            }
            defer { try? handle.close() }
            path = try Self.copy(from: handle, into: &folder)
        }
    }

    deinit { if let folder { try? FileManager.default.removeItem(atPath: folder) } }

    private static func copy(from input: FileHandle, into folder: inout String?) throws -> String {
        let made = try Paths.makeTemporaryFolder("crm-import-input", purpose: "for the input read from a pipe")
        folder = made
        let target = made + "/input"
        let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw Failure("cannot keep the piped input in \(made): \(String(cString: strerror(errno)))", status: ExitCode.cantCreate)
        }
        let out = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        while true {
            let chunk = try input.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            try out.write(contentsOf: chunk)
        }
        return target
    }
}
