import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where drafts are kept: the app writes one while work is typed (every few
/// seconds, so even `kill -9` or a power cut loses little) and on every way
/// out that is not a save, deletes it once it is saved or discarded, and
/// offers what it finds at the start.
public protocol DraftKeeping: AnyObject {
    /// Writes (or replaces) the draft with this id.
    func save(_ draft: Draft) throws
    func delete(id: String) throws
    /// The drafts of this database and user, newest first.
    func load() throws -> [Draft]
}

public enum DraftStoreError: Error, CustomStringConvertible, Equatable {
    case unsafeFolder(path: String, reason: String)
    case system(path: String, call: String, errno: Int32)

    public var description: String {
        switch self {
        case .unsafeFolder(let path, let reason): "cannot keep drafts in \(path): \(reason)"
        case .system(let path, let call, let e): "cannot keep drafts in \(path): \(call): \(String(cString: strerror(e)))"
        }
    }
}

/// Drafts as files in the user's own folder (`$XDG_DATA_HOME/crm/drafts`,
/// 0700), one file per draft (0600), named by a hash of the database path and
/// the user so that the same user on the same database finds them again and
/// nobody else's are offered. Files are written to a new temporary name
/// (O_CREAT|O_EXCL|O_NOFOLLOW) and renamed into place, so a planted symlink
/// is never followed and a draft is never half written.
public final class DraftStore: DraftKeeping {
    public let folder: String
    public let database: String
    public let user: String

    /// `database`: the database's path as the program opened it (made
    /// absolute; symlinks resolved when the file exists).
    public init(folder: String, database: String, user: String) {
        self.folder = folder
        self.database = Self.canonical(database)
        self.user = user
    }

    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What is written: the draft and whose it is, and which process wrote
    /// it (absent in drafts written before drafts were kept while typing).
    struct Envelope: Codable {
        var database: String
        var user: String
        var draft: Draft
        var pid: Int32?
        var host: String?
    }

    /// This machine's name: a pid says nothing about another machine's processes.
    static let host: String = {
        var name = [CChar](repeating: 0, count: 256)
        return gethostname(&name, name.count) == 0 ? String(cString: name) : ""
    }()

    /// Whether the draft is the live work of another process still running
    /// here (the same user in a second terminal): drafts are kept while
    /// typing, so that one's are not offered, and not restored twice.
    static func isLiveElsewhere(_ envelope: Envelope) -> Bool {
        guard let pid = envelope.pid, pid != getpid(), envelope.host == host else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Names start with this: 16 hex digits of FNV-1a over database and user.
    var prefix: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (database + "\u{0}" + user).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-"
    }

    func fileName(_ id: String) throws -> String {
        // Ids are ours (UUIDs); anything else could name a path.
        guard !id.isEmpty, id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x2d }) else {
            throw DraftStoreError.unsafeFolder(path: folder, reason: "\"\(id)\" is not a draft id")
        }
        return prefix + id + ".draft"
    }

    public func save(_ draft: Draft) throws {
        let name = try fileName(draft.id)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = try encoder.encode(Envelope(database: database, user: user, draft: draft, pid: getpid(), host: Self.host))
        let dir = try openFolder(create: true)
        defer { close(dir) }
        let temporary = ".\(name).\(getpid()).tmp"
        let fd = openat(dir, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DraftStoreError.system(path: folder, call: "create \(temporary)", errno: errno) }
        var failure: DraftStoreError?
        _ = fchmod(fd, 0o600)  // whatever the umask
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .system(path: folder, call: "write \(temporary)", errno: errno)
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = .system(path: folder, call: "fsync \(temporary)", errno: errno) }
        close(fd)
        // rename(2) replaces whatever is at the name, a symlink included, without following it.
        if failure == nil, renameat(dir, temporary, dir, name) != 0 { failure = .system(path: folder, call: "rename \(temporary)", errno: errno) }
        if let failure {
            unlinkat(dir, temporary, 0)
            throw failure
        }
        _ = fsync(dir)
    }

    public func delete(id: String) throws {
        let name = try fileName(id)
        guard let dir = try? openFolder(create: false) else { return }
        defer { close(dir) }
        if unlinkat(dir, name, 0) != 0, errno != ENOENT {
            throw DraftStoreError.system(path: folder, call: "delete \(name)", errno: errno)
        }
    }

    public func load() throws -> [Draft] {
        guard let dir = try openFolderIfPresent() else { return [] }
        defer { close(dir) }
        let names = entries(dir)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        var drafts: [Draft] = []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".draft") {
            guard let data = readFile(dir, name),
                  let envelope = try? decoder.decode(Envelope.self, from: data),
                  envelope.database == database, envelope.user == user,
                  (try? fileName(envelope.draft.id)) == name, !Self.isLiveElsewhere(envelope) else { continue }
            drafts.append(envelope.draft)
        }
        return drafts.sorted { $0.savedAt > $1.savedAt }
    }

    /// The names in the folder opened as `dir` (not looked up by path again).
    private func entries(_ dir: Int32) -> [String] {
        let copy = dup(dir)
        guard copy >= 0 else { return [] }
        guard let stream = fdopendir(copy) else {
            close(copy)
            return []
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
            }
            names.append(name)
        }
        return names
    }

    /// A regular file's bytes, never through a symlink.
    private func readFile(_ dir: Int32, _ name: String) -> Data? {
        let fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size < 16 << 20 else { return nil }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            data.append(buffer, count: n)
        }
        return data
    }

    private func openFolderIfPresent() throws -> Int32? {
        var info = stat()
        if lstat(folder, &info) != 0, errno == ENOENT { return nil }
        return try openFolder(create: false)
    }

    /// The drafts folder, opened without following a symlink: it must be a
    /// folder of this user's that nobody else may enter (made 0700 if it was not).
    private func openFolder(create: Bool) throws -> Int32 {
        if create {
            let parent = (folder as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw DraftStoreError.unsafeFolder(path: folder, reason: "cannot create \(parent)")
            }
            if mkdir(folder, 0o700) != 0, errno != EEXIST {
                throw DraftStoreError.system(path: folder, call: "mkdir", errno: errno)
            }
        }
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP || e == ENOTDIR { throw DraftStoreError.unsafeFolder(path: folder, reason: "it is a symlink or not a folder") }
            throw DraftStoreError.system(path: folder, call: "open", errno: e)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let e = errno
            close(fd)
            throw DraftStoreError.system(path: folder, call: "stat", errno: e)
        }
        guard info.st_uid == geteuid() else {
            close(fd)
            throw DraftStoreError.unsafeFolder(path: folder, reason: "it belongs to someone else")
        }
        if info.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o700) }
        return fd
    }
}
