import CRMRepositories
import CSQLite
import Foundation

/// One SQLite connection, owned by one thread of work. Wraps the C API the way
/// GRDB does: typed errors, statements finalised in deinit, a statement cache,
/// and transactions whose writes take the lock up front (BEGIN IMMEDIATE) so
/// two writers never deadlock on a lock upgrade.
public final class Connection {
    let handle: OpaquePointer
    public let path: String
    private var cache: [String: Statement] = [:]
    /// Every statement prepared while not nil, in order: the query-plan
    /// tests read what a repository call ran and EXPLAIN it.
    var recordedSQL: [String]?
    private var transactionDepth = 0
    /// Called after every committed write transaction on this connection.
    public var onCommit: (() -> Void)?
    /// Run inside every outermost write transaction just before its COMMIT
    /// (an error rolls the transaction back): work that must be committed
    /// with the writes that made it necessary (see ValueTierRecompute).
    var beforeCommit: ((Connection) throws -> Void)?
    /// Waits for another connection's write lock (see `BusyWait`).
    let busy: BusyWait

    /// How long a write waits for another writer before it fails with
    /// `RepositoryError.busy`. 5 s: an ordinary save holds the lock for
    /// milliseconds, so 5 s is a wide margin even on a slow shared disk; the
    /// screen cannot take keys while it waits (it says so after 300 ms), and
    /// the one long holder there is — a bulk import — outlasts any timeout,
    /// so waiting longer would only keep a person frozen longer.
    public static let defaultBusyTimeoutMs: Int32 = 5000
    /// A command run by a script or a hook (`crm log` from a softphone's
    /// hang-up) waits longer: nobody sits frozen in front of it, and a call
    /// not logged because a colleague's bulk action of 20,000 follow-ups held
    /// the file for 10 s is lost for good (QA 28 #1).
    public static let commandBusyTimeoutMs: Int32 = 60_000

    /// `readOnly`: SQLite may not write the file. `create`: make the file if
    /// it is missing (read-write only). `immutable`: read the file as it is,
    /// without locks and without the `-wal`/`-shm` files SQLite otherwise
    /// creates beside a WAL database even to read it (see `Database.OpenMode`).
    public init(path: String, readOnly: Bool = false, create: Bool = true, immutable: Bool = false,
                busyTimeoutMs: Int32 = Connection.defaultBusyTimeoutMs) throws {
        var db: OpaquePointer?
        var flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0))) | SQLITE_OPEN_NOMUTEX
        var name = path
        if immutable {
            flags |= SQLITE_OPEN_URI
            name = "file:" + Self.uriEscaped(path) + "?immutable=1"
        }
        let rc = sqlite3_open_v2(name, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError.make(code: rc, message: message, sql: nil, path: path)
        }
        self.handle = db
        self.path = path
        self.busy = BusyWait(timeout: .milliseconds(Int(busyTimeoutMs)))
        sqlite3_extended_result_codes(db, 1)
        busy.install(on: db)
        _ = crm_sqlite_db_config_defensive(db)
        // The search triggers call it (schema 8 on): without it no row could be written.
        var registered = FoldFunction.register(on: db)
        // The sort key triggers call it (schema 11 on).
        if registered == SQLITE_OK { registered = SortKeyFunction.register(on: db) }
        // The duplicate name key triggers call it (schema 13 on).
        if registered == SQLITE_OK { registered = NameKeyFunction.register(on: db) }
        // Timeline search checks words longer than the prefix indexes with it (schema 30).
        if registered == SQLITE_OK { registered = WordPrefixFunction.register(on: db) }
        // Tags are found by it, every letter's case folded (schema 78 on).
        if registered == SQLITE_OK { registered = TagKeyFunction.register(on: db) }
        if registered == SQLITE_OK { registered = ComposingMarkFunction.register(on: db) }
        // The name-words triggers call it (schema 25 on): FTS5's own tokenizer.
        if registered == SQLITE_OK { registered = crm_register_fts_words(db) }
        guard registered == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(db))
            throw SQLiteError.make(code: registered, message: message, sql: nil, path: path)
        }
    }

    /// A path as the path part of an SQLite URI: `%`, `?` and `#` (and
    /// anything outside printable ASCII) percent-encoded.
    static func uriEscaped(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte > 0x20 && byte < 0x7F && !"%?#".contains(c) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Told when a write has waited 300 ms for another writer's lock, and
    /// when that wait ends. Runs inside the waiting call: no queries from it.
    public var onWriteWait: ((WriteWait) -> Void)? {
        get { busy.onWait }
        set { busy.onWait = newValue }
    }

    /// How long a write waits for another writer before giving up.
    public var busyTimeoutMs: Int32 {
        get { Int32(BusyWait.milliseconds(busy.timeout)) }
        set { busy.timeout = .milliseconds(Int(newValue)) }
    }

    func error(_ rc: Int32, sql: String?) -> RepositoryError {
        SQLiteError.make(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
    }

    /// Runs one or more statements that take no parameters (schema, pragmas).
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        busy.settle(rc)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(message)
            throw SQLiteError.make(code: rc, message: text, sql: sql, path: path)
        }
    }

    /// A prepared statement for `sql`, kept and reused: preparing is the
    /// expensive part of a small query.
    public func prepare(_ sql: String) throws -> Statement {
        recordedSQL?.append(sql)
        if let cached = cache[sql] { return cached }
        let statement = try Statement(connection: self, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// The SQL of every statement prepared so far (tests read their query plans).
    var preparedSQL: [String] { Array(cache.keys) }

    public func run(_ sql: String, _ values: [SQLBindable] = []) throws {
        try prepare(sql).run(values)
    }

    public func rows<T>(_ sql: String, _ values: [SQLBindable] = [], _ transform: (Row) throws -> T) throws -> [T] {
        try prepare(sql).rows(values, transform)
    }

    public func first<T>(_ sql: String, _ values: [SQLBindable] = [], _ transform: (Row) throws -> T) throws -> T? {
        try prepare(sql).first(values, transform)
    }

    public func scalar(_ sql: String, _ values: [SQLBindable] = []) throws -> Int64? {
        try prepare(sql).scalar(values)
    }

    public func text(_ sql: String, _ values: [SQLBindable] = []) throws -> String? {
        try prepare(sql).first(values) { $0.optionalString(0) } ?? nil
    }

    /// True outside any transaction (sqlite3_get_autocommit).
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
    /// Rows changed by this connection since it opened (sqlite3_total_changes):
    /// with `dataVersion`, tells whether anything changed since a figure was made.
    public var totalChanges: Int { Int(sqlite3_total_changes(handle)) }

    /// Runs `body` in a transaction. Writes use BEGIN IMMEDIATE; nested calls
    /// join the outer transaction. Rolled back if `body` throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth = 1
        do {
            let result = try body()
            try beforeCommit?(self)
            transactionDepth = 0
            try execute("COMMIT")
            onCommit?()
            return result
        } catch {
            transactionDepth = 0
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` with the defensive flag off (on again afterwards): FTS5's
    /// shadow tables may then be written directly, and `journal_mode = OFF`
    /// is honoured (defensive mode silently keeps the old mode). Only for
    /// BulkLoader's own settings on the search indexes and for
    /// `Database.withoutJournal`, on a throwaway file.
    func withDefensiveOff<T>(_ body: () throws -> T) throws -> T {
        _ = crm_sqlite_db_config_set_defensive(handle, 0)
        defer { _ = crm_sqlite_db_config_set_defensive(handle, 1) }
        return try body()
    }

    /// `PRAGMA data_version`: changes when another connection commits. Cheap
    /// enough to call on every 100 ms tick of the screen loop.
    public func dataVersion() throws -> Int64 {
        try scalar("PRAGMA data_version") ?? 0
    }
}
