import CRMRepositories
import CSQLite
import Foundation

/// `crm backup` and `crm restore` on the file level: a consistent copy taken
/// while others keep working, and putting a checked copy back in place.
public enum DatabaseBackup {
    /// What a finished copy holds.
    public struct Summary: Sendable {
        public var bytes: Int64
        public var schemaVersion: Int
        public var counts: StoreCounts
    }

    /// Why a backup or restore did not happen, for the CLI to say.
    public enum Refusal: Error, Equatable {
        /// Something is at the target and may not be replaced (a link, a
        /// folder, or a file without `replace`).
        case targetExists(String, reason: String)
        case cannotCreate(String, reason: String)
        /// The copy (or the backup to restore) failed its check.
        case damaged(String, problems: [String])
    }

    /// Copies the database at `source` to `target` with SQLite's online
    /// backup API in one step: one read transaction, so the copy is one
    /// moment of the file, and in WAL mode a writer in another process is not
    /// held up by it (measured: see README, Backups). The copy is written to
    /// a fresh 0600 file beside `target` (mkstemp: O_EXCL, never through a
    /// link), switched to a single file (journal_mode=DELETE), checked with
    /// `PRAGMA integrity_check`, and only then given its name: no half-written
    /// or unchecked file ever stands at `target`. `replace`: an existing
    /// regular file at `target` is replaced; a link or a folder never is.
    public static func backup(from source: String, to target: String, replace: Bool) throws -> Summary {
        try refuseTarget(target, replace: replace)
        let temporary = try makeTemporary(beside: target)
        // After link(2) the copy has its own name; the temporary one goes.
        defer { unlink(temporary) }
        try Database.retryingReads(source) {
            let (from, snapshot) = try Database.openForReading(source)
            try refuseSource(try Database.identify(from), path: source)
            try truncate(temporary)
            try copy(from, to: temporary)
            // Read without locks (nobody had it open): a crm that opened and
            // wrote it meanwhile may have torn the copy; then copy again.
            return ((), snapshot == nil || FileSnapshot.of(source) == snapshot)
        }
        let summary = try check(temporary, name: target)
        // link(2) fails when the name exists: nothing at `target` is
        // replaced unless asked, even if it appeared a moment ago.
        if replace {
            try refuseTarget(target, replace: true)
            guard rename(temporary, target) == 0 else { throw Refusal.cannotCreate(target, reason: errnoText()) }
        } else {
            guard link(temporary, target) == 0 else {
                if errno == EEXIST { throw Refusal.targetExists(target, reason: "a file is there") }
                throw Refusal.cannotCreate(target, reason: errnoText())
            }
        }
        return summary
    }

    /// What `backup` will not copy: another program's file, an empty one (a
    /// "backup" of nothing would later restore as a database without
    /// users, QA 43 #1), one written by a newer crm (said of the source,
    /// not of the copy it would have become).
    static func refuseSource(_ kind: Database.FileKind, path: String) throws {
        try Database.refuse(kind, path: path)
        switch kind {
        case .empty:
            throw RepositoryError.notADatabase(path: path, Diagnostic(engine: "crm", code: 0, message: "an empty file: no crm data to back up"))
        case .crm(let version) where version > Migrator.latestVersion:
            throw RepositoryError.schemaTooNew(found: version, supported: Migrator.latestVersion, path: path)
        default: break
        }
    }

    /// Checks the crm database at `path` (integrity, schema version) and
    /// counts what it holds; `name` is how messages call it.
    public static func check(_ path: String, name: String) throws -> Summary {
        let report: IntegrityReport
        do {
            report = try IntegrityReport.check(path: path)
        } catch RepositoryError.damaged {
            throw Refusal.damaged(name, problems: ["the file is damaged"])
        } catch RepositoryError.notADatabase(_, let d) {
            throw RepositoryError.notADatabase(path: name, d)
        }
        // An empty file passes the integrity check, but restoring it would
        // leave a database with no schema and no users (QA 43 #1).
        if report.schemaVersion == 0 {
            throw RepositoryError.notADatabase(path: name, Diagnostic(engine: "crm", code: 0, message: "an empty file, not a crm backup"))
        }
        guard report.isOK else { throw Refusal.damaged(name, problems: report.problems) }
        if report.schemaVersion > Migrator.latestVersion {
            throw RepositoryError.schemaTooNew(found: report.schemaVersion, supported: Migrator.latestVersion, path: name)
        }
        let counts = try Database.reading(path) { try $0.counts() }
        var st = stat()
        stat(path, &st)
        return Summary(bytes: Int64(st.st_size), schemaVersion: report.schemaVersion, counts: counts)
    }

    /// The backup API, all pages in one step, then the copy made a single
    /// file that any SQLite opens as it is.
    static func copy(_ from: Connection, to path: String) throws {
        let to = try Connection(path: path, create: false)
        guard let backup = sqlite3_backup_init(to.handle, "main", from.handle, "main") else {
            throw SQLiteError.make(code: sqlite3_extended_errcode(to.handle), message: String(cString: sqlite3_errmsg(to.handle)),
                                   sql: "sqlite3_backup_init", path: path)
        }
        let stepped = sqlite3_backup_step(backup, -1)
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            let code = stepped == SQLITE_DONE ? finished : stepped
            throw SQLiteError.make(code: code, message: String(cString: sqlite3_errstr(code)), sql: "sqlite3_backup_step", path: path)
        }
        _ = try to.text("PRAGMA journal_mode = DELETE")
    }

    // MARK: restore

    /// Puts the checked backup at `backup` in place of the database at
    /// `database`, which nobody may have open (the caller looked, with
    /// `openers`). The old file is checkpointed (its `-wal` folded in) and
    /// renamed to `<database>.before-restore-<stamp>`; the backup is copied
    /// (never moved) to a file beside the database, given the old file's
    /// mode and group (0600 when there was none), and renamed over it.
    /// Returns the name the old file now has (nil when there was none).
    public static func restore(_ backup: String, over database: String, stamp: String) throws -> String? {
        let temporary = try makeTemporary(beside: database)
        var placed = false
        defer { if !placed { unlink(temporary) } }
        let from = try Connection(path: backup, readOnly: true, immutable: true)
        try copy(from, to: temporary)
        _ = try check(temporary, name: backup)
        // The restored file takes the mode, group (and, for root, owner) of
        // the file it replaces: a team's database is shared through its
        // group (QA 45 IO #3: it became 0600 of whoever restored it, and
        // every colleague was locked out). A new database stays 0600.
        var old = stat()
        if lstat(database, &old) == 0, (old.st_mode & S_IFMT) == S_IFREG {
            chmod(temporary, old.st_mode & 0o7777 & ~0o7000)
            if chown(temporary, getuid() == 0 ? old.st_uid : uid_t.max, old.st_gid) != 0 {
                _ = chown(temporary, uid_t.max, old.st_gid)
            }
        }
        var kept: String?
        if FileManager.default.fileExists(atPath: database) {
            // The last connection to close folds the -wal into the file and
            // deletes it, so the renamed file is whole on its own.
            do {
                let old = try Connection(path: database, create: false)
                _ = try old.text("PRAGMA wal_checkpoint(TRUNCATE)")
            }
            let name = "\(database).before-restore-\(stamp)"
            guard !FileManager.default.fileExists(atPath: name), rename(database, name) == 0 else {
                throw Refusal.cannotCreate(name, reason: FileManager.default.fileExists(atPath: name) ? "it exists" : errnoText())
            }
            // The old database under its new name keeps its mode: the same
            // people may read it as could read it a moment ago.
            kept = name
        }
        // A -wal left beside the old name would be read into the new file.
        unlink(database + "-wal")
        unlink(database + "-shm")
        guard rename(temporary, database) == 0 else {
            let reason = errnoText()
            // The old file goes back where it was: never no database at all.
            if let kept { rename(kept, database) }
            throw Refusal.cannotCreate(database, reason: reason)
        }
        placed = true
        return kept
    }

    // MARK: who has it open

    /// A process that has the database open, found by the read lock every
    /// SQLite connection holds on the `-shm` file while it is open in WAL
    /// mode (/proc/locks lists each lock with its process).
    public struct Opener: Sendable, Equatable {
        public var pid: Int32
        /// The system user the process runs as.
        public var user: String
        /// Its command line, as far as /proc shows it to us.
        public var command: String
        public var since: Date?
    }

    /// The processes (other than this one) holding a lock on the database's
    /// `-shm` file or on the file itself. Nil when this cannot be known
    /// (no /proc/locks): the caller must then assume someone may.
    public static func openers(of database: String) -> [Opener]? {
        guard let locks = procText("/proc/locks") else { return nil }
        // Matched by inode: on overlay and bind mounts the device /proc/locks
        // names is not the one stat(2) reports.
        var inodes: Set<String> = []
        for path in [database + "-shm", database] {
            var st = stat()
            if stat(path, &st) == 0 { inodes.insert(String(UInt64(st.st_ino))) }
        }
        var pids: Set<Int32> = []
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // "1: POSIX  ADVISORY  READ 1234 08:01:5678 128 128" (a "->" marks a waiting lock).
            guard !fields.contains("->"),
                  let at = fields.firstIndex(where: { $0.split(separator: ":").count == 3 && inodes.contains(String($0.split(separator: ":")[2])) }),
                  at > 0, let pid = Int32(fields[at - 1]), pid > 0, pid != getpid() else { continue }
            pids.insert(pid)
        }
        return pids.sorted().map(opener)
    }

    /// A file of /proc read to its end. Foundation's String(contentsOfFile:)
    /// trusts the size stat(2) gives, 0 for /proc, and stops after one 4 KiB
    /// read: on a busy server /proc/locks is longer than that, and an open
    /// database past the first page went unseen (a restore over it).
    static func procText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    static func opener(_ pid: Int32) -> Opener {
        var st = stat()
        let known = stat("/proc/\(pid)", &st) == 0
        let user = known ? (getpwuid(st.st_uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(st.st_uid)") : "?"
        let raw = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let command = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
        let since = known ? Date(timeIntervalSince1970: TimeInterval(st.st_ctim.tv_sec)) : nil
        return Opener(pid: pid, user: user, command: command.isEmpty ? "?" : command, since: since)
    }

    // MARK: files

    /// Refuses a link or folder at `target`, and any file unless `replace`.
    public static func refuseTarget(_ target: String, replace: Bool) throws {
        var st = stat()
        guard lstat(target, &st) == 0 else { return }
        switch st.st_mode & S_IFMT {
        case S_IFLNK: throw Refusal.targetExists(target, reason: "it is a symbolic link, which crm never writes through")
        case S_IFDIR: throw Refusal.targetExists(target, reason: "it is a folder; name the backup file")
        case S_IFREG: if !replace { throw Refusal.targetExists(target, reason: "a file is there; add --force to replace it") }
        default: throw Refusal.targetExists(target, reason: "it is not a regular file")
        }
    }

    /// A new empty 0600 file beside `path` (mkstemp: O_CREAT|O_EXCL).
    static func makeTemporary(beside path: String) throws -> String {
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array("\(folder.isEmpty ? "." : folder)/.\((path as NSString).lastPathComponent).tmp-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw Refusal.cannotCreate(path, reason: errnoText()) }
        fchmod(fd, 0o600)
        close(fd)
        return String(cString: template)
    }

    static func truncate(_ path: String) throws {
        guard Glibc.truncate(path, 0) == 0 else { throw Refusal.cannotCreate(path, reason: errnoText()) }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

extension AuditLog {
    /// Who wrote since `date`, and when last: the people "active in the last
    /// minutes" a restore names.
    public func writers(since date: Date) throws -> [(login: String, last: Date)] {
        try db.connection.rows("""
            SELECT u.login, max(a.at) FROM audit_log a JOIN users u ON u.id = a.user_id
            WHERE a.at >= ? GROUP BY u.login ORDER BY max(a.at) DESC
            """, [date]) { ($0.string(0), $0.date(1)) }
    }
}
