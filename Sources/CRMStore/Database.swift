import CRMCore
import CRMRepositories
import CSQLite
import Foundation

/// The CRM database: one SQLite file in WAL mode. Opens (creating the folder
/// 0700 and the file 0600), migrates, and hands out the repositories, all
/// sharing this one connection and acting as `currentUser`.
public final class Database {
    public let connection: Connection
    public let path: String
    /// Where every timestamp the store writes comes from: the same clock as
    /// the screens', so tests move time without sleeping.
    public let clock: any Clock
    /// The user on whose behalf writes are made (audit log, stage history).
    public private(set) var currentUser: User
    /// The change feed's last look: data_version, the change counters, and
    /// how many rows this connection itself had written then.
    private var lastDataVersion: Int64 = 0
    private var lastCounters: [String: Int64]?
    private var lastOwnChanges: Int64 = 0

    public init(path: String, login: String? = nil, clock: any Clock = SystemClock()) throws {
        self.path = path
        self.clock = clock
        try Self.prepareFile(at: path)
        connection = try Connection(path: path)
        try Self.configure(connection)
        try Migrator.migrate(connection)
        currentUser = User(id: 0, login: "system")
        if let login {
            currentUser = try UserStore(db: self).findOrCreate(login: login)
        }
        lastDataVersion = try connection.dataVersion()
        lastCounters = try changeCounters()
        lastOwnChanges = sqlite3_total_changes64(connection.handle)
    }

    /// Switches the acting user (e.g. for a command that works for several).
    public func act(as login: String) throws {
        currentUser = try UserStore(db: self).findOrCreate(login: login)
    }

    static func prepareFile(at path: String) throws {
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !fm.fileExists(atPath: folder) {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if !fm.fileExists(atPath: path) {
            // Created here, 0600, before SQLite opens it: customer data is
            // never world-readable, not even for a moment.
            let fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0o600)
            if fd >= 0 { close(fd) }
        }
    }

    static func configure(_ c: Connection) throws {
        try c.execute("PRAGMA foreign_keys = ON")
        let mode = try switchToWAL(c)
        guard mode.lowercased() == "wal" else { throw Self.walUnavailable(path: c.path, mode: mode) }
        try c.execute("PRAGMA synchronous = NORMAL")
        try c.execute("PRAGMA temp_store = MEMORY")
        // 1 MiB of page cache: the operating system caches the file as well,
        // and on a shared server every user runs a crm. Measured at 100,000
        // contacts: reads stay under 1.3 ms p99 (0.5 ms with 16 MiB), and the
        // screen's peak RSS drops from 37 to 32 MiB. Bulk loads raise it.
        try c.execute("PRAGMA cache_size = -1000")
    }

    static func walUnavailable(path: String, mode: String) -> RepositoryError {
        .unavailable(path: path, reason: "cannot switch to WAL journal mode (got \(mode)); is it on a network file system?", nil)
    }

    /// `PRAGMA journal_mode = WAL`, retried for a while when busy. On a new
    /// file opened by several processes at the same moment, the switch can
    /// fail with SQLITE_BUSY at once, without waiting in the busy timeout,
    /// while another process reads the file (measured with SQLite 3.40: crm
    /// followups, 8 at a time on an empty file, 2 of 1,200 failed; a C loop
    /// doing only the pragmas, 35 of 2,400); one retry was always enough.
    /// Gives up after about 1.8 s with the error, as before.
    static func switchToWAL(_ c: Connection) throws -> String {
        var attempt = 0
        while true {
            do {
                return try c.text("PRAGMA journal_mode = WAL") ?? ""
            } catch RepositoryError.busy where attempt < 40 {
                attempt += 1
                usleep(useconds_t(min(attempt, 10) * 5_000))
            }
        }
    }

    /// Runs `body` (a bulk load into an empty database) with a rollback
    /// journal instead of the WAL, then goes back to WAL. In WAL mode every
    /// page of a freshly filled file is written twice — into the WAL, then by
    /// the checkpoint into the file (about 4 s of a 20 s demo fill at 100,000
    /// contacts); a rollback journal keeps only the pages that existed before,
    /// which for an empty database is almost none. A crash still leaves the
    /// database as it was. Needs the only connection to the file: if another
    /// one is open, the switch is refused and `body` just runs in WAL mode.
    public func withRollbackJournal<T>(if condition: Bool, _ body: () throws -> T) throws -> T {
        guard condition, (try? connection.text("PRAGMA journal_mode = DELETE"))?.lowercased() == "delete" else {
            return try body()
        }
        let result: T
        do {
            result = try body()
        } catch {
            _ = try? connection.text("PRAGMA journal_mode = WAL")
            throw error
        }
        let mode = try connection.text("PRAGMA journal_mode = WAL") ?? ""
        guard mode.lowercased() == "wal" else { throw Self.walUnavailable(path: path, mode: mode) }
        return result
    }

    public var schemaVersion: Int { Int((try? connection.scalar("PRAGMA user_version")) ?? 0) }
    public static var supportedSchemaVersion: Int { Migrator.latestVersion }

    /// "ok", or the problems `PRAGMA integrity_check` found.
    public func integrityCheck() throws -> [String] {
        try connection.rows("PRAGMA integrity_check") { $0.string(0) }
    }

    /// What other connections or processes changed since the last call: the
    /// question the screen asks on every idle tick. `PRAGMA data_version`
    /// answers "nothing" cheaply; only when it moved are the change counters
    /// (schema step 5) read and compared with the last ones seen.
    ///
    /// This connection's own writes are not reported: after them (its row
    /// count moved, data_version did not) the counters are taken as seen. When
    /// a colleague's commit and an own write fall between two calls, the own
    /// write's kinds are reported too: one reload more, never one less.
    public func pollChanges() throws -> ChangeSet {
        let version = try connection.dataVersion()
        let ownChanges = sqlite3_total_changes64(connection.handle)
        if version == lastDataVersion {
            if ownChanges != lastOwnChanges {
                lastCounters = try changeCounters()
                lastOwnChanges = ownChanges
            }
            return .none
        }
        let counters = try changeCounters()
        let last = lastCounters
        (lastDataVersion, lastCounters, lastOwnChanges) = (version, counters, ownChanges)
        guard let last else { return .unknown }
        var changes = ChangeSet.none
        for (kind, count) in counters where last[kind] != count { changes.formUnion(ChangeSet(kindNamed: kind)) }
        return changes
    }

    /// The per-kind change counters kept by the schema's triggers.
    func changeCounters() throws -> [String: Int64] {
        Dictionary(try connection.rows("SELECT kind, counter FROM change_counters") { ($0.string(0), $0.int64(1)) },
                   uniquingKeysWith: { a, _ in a })
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }

    // Repositories are made on each use: they hold the database strongly (so
    // `Database(...).contacts` is safe) and are cheap, since prepared statements
    // are cached by the connection, not by them.
    public var users: UserStore { UserStore(db: self) }
    public var companies: SQLiteCompanyRepository { SQLiteCompanyRepository(db: self) }
    public var contacts: SQLiteContactRepository { SQLiteContactRepository(db: self) }
    public var interactions: SQLiteInteractionRepository { SQLiteInteractionRepository(db: self) }
    public var pipelines: SQLitePipelineRepository { SQLitePipelineRepository(db: self) }
    public var deals: SQLiteDealRepository { SQLiteDealRepository(db: self) }
    public var followUps: SQLiteFollowUpRepository { SQLiteFollowUpRepository(db: self) }
    public var audit: AuditLog { AuditLog(db: self) }
}
