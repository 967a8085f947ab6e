import CRMCore
import CRMRepositories
import CSQLite
import Foundation

/// The CRM database: one SQLite file in WAL mode. Opens (creating the folder
/// 0700 and the file 0600), migrates, and hands out the repositories, all
/// sharing this one connection and acting as `currentUser`.
public final class Database {
    /// How a file is opened.
    public enum OpenMode: Sendable {
        /// Creates the file if it is missing (0600, never through a symbolic
        /// link), migrates it and writes to it. Refuses a file or folder this
        /// user may not write, before SQLite opens anything.
        case write
        /// Reads only: never creates, migrates or changes a file (no WAL
        /// switch, no user). When nobody has the file open (no `-wal` and
        /// `-shm` beside it) it is read as it is, without the `-wal`/`-shm`
        /// files SQLite would otherwise leave behind, owned by this user.
        case read
        /// The screen: `.write` when the file (if it exists) and its folder
        /// are writable for this user, else `.read`.
        case writeIfPermitted
    }

    public private(set) var connection: Connection
    public let path: String
    /// True when this user may not write the file or its folder: the screen
    /// says so and offers no key that writes.
    public let isReadOnly: Bool
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
    /// When the connection reads the file without locks (see `.read`): the
    /// file as it was before opening, to notice a write meanwhile.
    private var snapshot: FileSnapshot?

    /// The region of phone numbers typed without `+`/`00` (the settings'
    /// `phone_region`): their international form is worked out with it.
    public let phoneRegion: PhoneRegion?
    /// Whether the file has `contact_phones.e164` (schema 9).
    public private(set) var hasPhoneE164 = false
    /// Whether the file has `contacts.sort_key` and `companies.sort_key`
    /// (schema 11); a file read as it is at an older schema sorts names as
    /// it did then (ASCII case-folded, then code point).
    public private(set) var hasSortKey = false
    /// Whether the file has the duplicate keys (`name_key`, `merged_into`:
    /// schema 13); a file read as it is at an older schema finds none.
    public private(set) var hasDuplicateKeys = false
    /// Whether the file has the search indexes of schema 12
    /// (`contacts_live_by_id`), which a search may name (INDEXED BY).
    public private(set) var hasLiveContactIndex = false
    /// Whether `interaction_fts` is keyed by timeline place (schema 30,
    /// `InteractionTimelineKey`); a file read as it is at an older schema
    /// keys it by interaction id and is searched as it was then.
    public private(set) var hasTimelineKeyedSearch = false
    /// Whether the file has `deal_card_fts` (schema 33), the board's search
    /// index; a file read as it is at an older schema is searched as it was
    /// then (three indexes).
    public private(set) var hasDealCardSearch = false
    /// Whether the file counts the rows of each duplicate key (schema 36),
    /// which the duplicates list walks; a file read as it is at an older
    /// schema is walked over every key, as then.
    public private(set) var hasDuplicateKeyCounts = false
    /// Schema 46: the name groups that list a pair (`contact_name_pairs`).
    public private(set) var hasNamePairGroups = false
    /// Schema 52: the board's column totals kept in `deal_board_totals`; a
    /// file read as it is at an older schema sums its open deals, as then.
    public internal(set) var hasBoardTotals = false
    /// Whether the file has `contact_name_words` (schema 25), which a
    /// one-word search reads its name-words rank from (`NameWordsRank`).
    public private(set) var hasNameWords = false
    /// Whether the file has the stored value tiers (`contacts.value_tier`:
    /// schema 29).
    public private(set) var hasValueTiers = false
    /// Keeps the stored value tiers in step (schema 29), with the shares and
    /// rates of the opener's settings.
    let valueTiers: ValueTierRecompute
    /// What the Customers report's temporary tables were last filled for
    /// (filter, policy, data version, changes): see CustomerReportCache.
    var customerReportCacheKey: String?
    /// The same for the RFM scores' tables, made only when a section needs them.
    var customerReportScoresKey: String?
    /// What the stored ranking keys' boundaries were last read for, and
    /// the boundaries (schema 48, CustomerRankKeys.prepareBounds).
    var customerRankBounds: (key: String, values: (rf: [SQLBindable], mDefault: [SQLBindable]))?
    /// Whether the Customers report reads the stored ranking keys where
    /// they apply (tests turn it off to compare both ways).
    var readsStoredRankKeys = true
    /// The value tier shares and exchange rates the stored tiers are worked
    /// out with (the settings' `tier.A`, `tier.B`, `rate.*`).
    public var valueTierPolicy: ValueTierPolicy {
        get { valueTiers.policy }
        set { valueTiers.policy = newValue }
    }

    /// `migrationProgress`: told before each upgrade step this process runs
    /// (a large file can take seconds per step; the CLI says so).
    /// What opening as a login nobody has yet does.
    public enum NewLogins: Sendable {
        /// Whatever the database's shared setting `create_users_on_first_use`
        /// says (off unless it is the demo database): the screen and the CLI.
        case asTheDatabaseSays
        /// Creates the user (a rep; the first user of a database is its
        /// admin): programs that fill a database, and test fixtures.
        case createOnFirstUse
    }

    /// `newLogins`: see `NewLogins`. A deactivated login is refused either way.
    public init(path: String, mode: OpenMode = .write, login: String? = nil, newLogins: NewLogins = .createOnFirstUse,
                clock: any Clock = SystemClock(),
                phoneRegion: PhoneRegion? = nil, valueTierPolicy: ValueTierPolicy = ValueTierPolicy(),
                migrationProgress: ((MigrationStep) -> Void)? = nil, phoneFillStarting: ((Int) -> Void)? = nil) throws {
        self.path = path
        self.clock = clock
        self.phoneRegion = phoneRegion
        let valueTiers = ValueTierRecompute(policy: valueTierPolicy)
        self.valueTiers = valueTiers
        let readOnly: Bool
        switch mode {
        case .write: readOnly = false
        case .read: readOnly = true
        case .writeIfPermitted: readOnly = !Self.mayWrite(path)
        }
        isReadOnly = readOnly
        // No login: the program itself (demo fill, import), with every right.
        currentUser = User(id: 0, login: "system", role: .admin)
        if readOnly {
            (connection, snapshot) = try Self.openReader(path)
            if let login { currentUser = try Self.reader(login, connection, refuseUnknown: newLogins == .asTheDatabaseSays) }
        } else {
            if !Self.mayWrite(path) {
                throw RepositoryError.readOnly(Diagnostic(engine: "crm", code: EACCES, message: "no write permission for \(path) or its folder"))
            }
            try Self.prepareFile(at: path)
            // Not SQLITE_OPEN_CREATE: the file exists now, and SQLite must
            // not create one at the end of a dangling symbolic link.
            connection = try Connection(path: path, create: false)
            let kind = try Self.identify(connection)
            try Self.refuse(kind, path: path)
            try Self.configure(connection)
            try Migrator.migrate(connection, progress: migrationProgress)
            if let phoneRegion { try PhoneE164Fill.run(connection, region: phoneRegion, starting: phoneFillStarting) }
            // Tags written in two cases after step 78 (an older crm beside this one).
            do { try TagCaseRepair.run(connection) } catch RepositoryError.busy {}
            connection.beforeCommit = { c in try valueTiers.recomputeIfStale(c) }
            // A file just upgraded to schema 29, or whose tiers were made
            // with other tier shares or rates, gets its tiers now.
            if try valueTiers.isOutOfDate(connection) {
                try connection.transaction { try valueTiers.recompute(connection) }
            }
            // The Customers report's stored interaction counts (schema 40)
            // move to today's window, so its corrections stay a day long.
            // Another writer holding the file only delays the move: the
            // figures are exact from any window, so opening goes on.
            do {
                try CustomerYearInteractions.moveWindow(connection, to: clock.now)
            } catch RepositoryError.busy {}
            // The at-risk list's stored activity window (schema 55), likewise.
            do {
                try CustomerActivity.moveWindow(connection, to: clock.now)
            } catch RepositoryError.busy {}
            if let login { currentUser = try UserStore(db: self).signIn(login: login, policy: newLogins) }
        }
        lastDataVersion = try connection.dataVersion()
        // A file read at an older schema may have no change counters yet.
        lastCounters = readOnly ? try? changeCounters() : try changeCounters()
        lastOwnChanges = sqlite3_total_changes64(connection.handle)
        // What this file's schema has, read in two statements (one walk of
        // the schema table, one of the contacts' columns) rather than one per
        // feature: each was a walk of all 500 schema rows at every start.
        let objects = Set(try connection.rows("""
            SELECT name FROM sqlite_master WHERE name IN ('phone_e164_fts', 'contacts_live_by_id', 'interactions_fts_delete',
            'contact_name_words', 'deal_card_fts', 'contact_name_keys_shared', 'contact_name_pairs', 'deal_board_totals')
            """) { $0.string(0) })
        let contactColumns = Set(try connection.rows(
            "SELECT name FROM pragma_table_info('contacts') WHERE name IN ('sort_key', 'merged_into', 'value_tier')") { $0.string(0) })
        // A file read as it is at an older schema has no international form
        // of its numbers: search then matches their digits only.
        hasPhoneE164 = objects.contains("phone_e164_fts")
        hasSortKey = contactColumns.contains("sort_key")
        hasDuplicateKeys = contactColumns.contains("merged_into")
        hasLiveContactIndex = objects.contains("contacts_live_by_id")
        hasTimelineKeyedSearch = objects.contains("interactions_fts_delete")
        hasNameWords = objects.contains("contact_name_words")
        hasValueTiers = contactColumns.contains("value_tier")
        hasDealCardSearch = objects.contains("deal_card_fts")
        hasDuplicateKeyCounts = objects.contains("contact_name_keys_shared")
        hasNamePairGroups = objects.contains("contact_name_pairs")
        hasBoardTotals = objects.contains("deal_board_totals")
    }

    /// Reads the file at `path` with `body` until one run saw it unchanged
    /// from start to end: a file read without locks (see `OpenMode.read`) may
    /// be written meanwhile by a crm that opens it, and then the read is done
    /// again, with locks if that crm is still there. For commands that read
    /// once and exit.
    public static func reading<T>(_ path: String, login: String? = nil, newLogins: NewLogins = .createOnFirstUse,
                                  clock: any Clock = SystemClock(),
                                  phoneRegion: PhoneRegion? = nil, _ body: (Database) throws -> T) throws -> T {
        try retryingReads(path) {
            let db = try Database(path: path, mode: .read, login: login, newLogins: newLogins, clock: clock, phoneRegion: phoneRegion)
            return (try body(db), db.unchangedSinceOpen)
        }
    }

    /// Runs `attempt` (which says whether the file stayed unchanged) until a
    /// run saw the file unchanged; an error counts only if the file did not
    /// move meanwhile (a torn read shows as a damaged file).
    static func retryingReads<T>(_ path: String, _ attempt: () throws -> (T, Bool)) throws -> T {
        var tries = 0
        while true {
            let before = FileSnapshot.of(path)
            do {
                let (result, unchanged) = try attempt()
                if unchanged { return result }
            } catch {
                if FileSnapshot.of(path) == before || tries >= 40 { throw error }
            }
            tries += 1
            if tries > 40 {
                throw RepositoryError.busy(Diagnostic(engine: "crm", code: 0, message: "\(path) kept changing while it was read"))
            }
            usleep(useconds_t(min(tries, 10) * 5_000))
        }
    }

    /// False when the file was written since this read-only connection
    /// opened it without locks (its reads may then mix old and new pages).
    public var unchangedSinceOpen: Bool {
        guard let snapshot else { return true }
        return FileSnapshot.of(path) == snapshot
    }

    /// What a file holds, as far as crm is concerned.
    public enum FileKind: Equatable, Sendable {
        /// No schema at all: a new file, crm's to fill.
        case empty
        case crm(version: Int)
        /// An SQLite database of another program.
        case foreign
    }

    /// Tables every crm database has had since schema version 1.
    static let coreTables: Set<String> = ["users", "contacts", "companies", "interactions", "follow_ups", "deals"]

    /// Reads (never writes) what kind of database `c` is, in one read
    /// transaction: another crm may be creating the schema meanwhile, and the
    /// version and the tables must come from the same moment.
    static func identify(_ c: Connection) throws -> FileKind {
        try c.execute("BEGIN DEFERRED")
        let version: Int, tables: Set<String>, objects: Int64
        do {
            version = Int(try c.scalar("PRAGMA user_version") ?? 0)
            tables = Set(try c.rows("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(0) })
            objects = try c.scalar("SELECT count(*) FROM sqlite_master") ?? 0
            try c.execute("COMMIT")
        } catch {
            try? c.execute("ROLLBACK")
            throw error
        }
        if version == 0, objects == 0 { return .empty }
        if version >= 1, coreTables.isSubset(of: tables) { return .crm(version: version) }
        return .foreign
    }

    /// What kind of database the file at `path` is, read without changing
    /// anything (as `OpenMode.read` does). Throws when it cannot be read.
    public static func kind(ofFileAt path: String) throws -> FileKind {
        try identify(openForReading(path).0)
    }

    /// Refuses another program's database, and a symbolic link to anything
    /// but an existing crm database (a link planted at the path must not
    /// make crm create or fill a file elsewhere).
    static func refuse(_ kind: FileKind, path: String) throws {
        let notCRM = RepositoryError.notADatabase(path: path, Diagnostic(engine: "crm", code: 0, message: "an SQLite file without crm's tables"))
        if kind == .foreign { throw notCRM }
        if kind == .empty && isSymbolicLink(path) { throw notCRM }
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// Whether this user may write the file (if it exists) and its folder
    /// (if it exists): SQLite needs both, for the file and its `-wal`.
    static func mayWrite(_ path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: path), access(path, W_OK) != 0 { return false }
        if !folder.isEmpty, FileManager.default.fileExists(atPath: folder), access(folder, W_OK) != 0 { return false }
        return true
    }

    /// Whether a crm has the file open: its `-wal` and `-shm` are beside it
    /// (SQLite keeps them beside the file a link points to).
    static func isOpenElsewhere(_ path: String) -> Bool {
        var real = path
        if let resolved = realpath(path, nil) {
            real = String(cString: resolved)
            free(resolved)
        }
        let fm = FileManager.default
        return fm.fileExists(atPath: real + "-wal") && fm.fileExists(atPath: real + "-shm")
    }

    /// A read-only connection: with locks when a crm has the file open (its
    /// `-wal` and `-shm` are there), else immutable, which creates nothing
    /// beside the file. The snapshot is nil for a connection with locks.
    static func openForReading(_ path: String) throws -> (Connection, FileSnapshot?) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RepositoryError.unavailable(path: path, reason: "there is no such file",
                                              Diagnostic(engine: "crm", code: SQLITE_CANTOPEN, message: "no file at \(path)"))
        }
        if isOpenElsewhere(path) {
            return (try Connection(path: path, readOnly: true), nil)
        }
        let before = FileSnapshot.of(path)
        return (try Connection(path: path, readOnly: true, immutable: true), before)
    }

    /// A read-only connection to a crm database, refusing anything else. An
    /// older schema is read as it is (every table the reads use is there
    /// since version 1); a newer one is refused. An empty file reads as an
    /// empty crm database: an in-memory one stands in for it, watched like
    /// a file read without locks, so a crm filling it is noticed.
    static func openReader(_ path: String) throws -> (Connection, FileSnapshot?) {
        let (c, snapshot) = try openForReading(path)
        let kind = try identify(c)
        try refuse(kind, path: path)
        if case .crm(let version) = kind, version > Migrator.latestVersion {
            throw RepositoryError.schemaTooNew(found: version, supported: Migrator.latestVersion, path: path)
        }
        try bound(c)
        guard kind == .empty else { return (c, snapshot) }
        let memory = try Connection(path: ":memory:")
        try Migrator.migrate(memory)
        return (memory, snapshot ?? FileSnapshot.of(path))
    }

    /// The acting user of a read-only connection: looked up, never created;
    /// a deactivated one is refused. An unknown login on a file that has no
    /// users yet reads as its admin-to-be (it would be created as such).
    /// `refuseUnknown`: an unknown login on a file that has users and does
    /// not create them on first use is refused, as a writer would refuse it.
    static func reader(_ login: String, _ c: Connection, refuseUnknown: Bool) throws -> User {
        if let user = try UserStore.find(login: login, c) { return try UserStore.admit(user) }
        let empty = (try c.scalar("SELECT count(*) FROM users") ?? 0) == 0
        if refuseUnknown, !empty, try !UserStore.createsUsersOnFirstUse(c) {
            throw UserRefusal.unknown(login, known: try c.rows("SELECT login FROM users WHERE \(try UserStore.activeCondition(c)) ORDER BY login") { $0.string(0) })
        }
        return User(id: 0, login: login, role: empty ? .admin : .rep)
    }

    /// Switches the acting user (e.g. for a command that works for several):
    /// known and active, or created as `newLogins` says.
    public func act(as login: String, newLogins: NewLogins = .createOnFirstUse) throws {
        currentUser = isReadOnly ? try Self.reader(login, connection, refuseUnknown: newLogins == .asTheDatabaseSays)
            : try UserStore(db: self).signIn(login: login, policy: newLogins)
    }

    /// A second connection to the same file, reading only (`.read`: never
    /// creates, migrates or writes), acting as this user with this clock,
    /// phone region and tier policy. SQLite connections are not shared
    /// between threads here, so work off the screen's thread reads through
    /// one of these; in WAL mode it reads beside this connection's writes.
    public func readSessionOpener() throws -> ReadSessionOpener {
        ReadSessionOpener { [path, clock, phoneRegion, valueTierPolicy, currentUser] in
            let session = try Database(path: path, mode: .read, clock: clock, phoneRegion: phoneRegion, valueTierPolicy: valueTierPolicy)
            session.currentUser = currentUser
            return session
        }
    }

    /// Reads the acting user again (after a change of their own role or login).
    func refreshCurrentUser() throws {
        guard currentUser.id != 0, let user = try users.get(currentUser.id) else { return }
        currentUser = user
    }

    /// Makes the folder (0700) and the file (0600, whatever the umask),
    /// never following a symbolic link at the file's name: O_EXCL refuses
    /// any name that exists, a dangling link included.
    static func prepareFile(at path: String) throws {
        let fm = FileManager.default
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !fm.fileExists(atPath: folder) {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        var st = stat()
        guard lstat(path, &st) != 0 else { return }
        // Created here, 0600, before SQLite opens it: customer data is
        // never world-readable, not even for a moment.
        let fd = open(path, O_CREAT | O_WRONLY | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd >= 0 {
            fchmod(fd, 0o600)
            close(fd)
        } else if errno != EEXIST {
            // EEXIST: another crm created it a moment ago.
            let reason = String(cString: strerror(errno))
            throw RepositoryError.unavailable(path: path, reason: "cannot create the file: \(reason)",
                                              Diagnostic(engine: "crm", code: SQLITE_CANTOPEN, message: "open(O_CREAT|O_EXCL): \(reason)"))
        }
    }

    static func configure(_ c: Connection) throws {
        try c.execute("PRAGMA foreign_keys = ON")
        let mode = try switchToWAL(c)
        guard mode.lowercased() == "wal" else { throw Self.walUnavailable(path: c.path, mode: mode) }
        try c.execute("PRAGMA synchronous = NORMAL")
        try bound(c)
    }

    /// The memory a connection may hold, whatever the query. 1 MiB of page
    /// cache: the operating system caches the file as well, and on a shared
    /// server every user runs a crm. Measured at 100,000 contacts: reads stay
    /// under 1.3 ms p99 (0.5 ms with 16 MiB), and the screen's peak RSS drops
    /// from 37 to 32 MiB. Bulk loads raise it.
    ///
    /// Temporary b-trees (a sort without an index, an IN (…) list, a
    /// DISTINCT) go to a temporary file, not to memory: in memory they have
    /// no bound, and at a million contacts one broad search materialised
    /// millions of rows there (peak RSS 142–194 MiB, "Flat at a million").
    /// In a file they get a page cache of their own, bounded like the main
    /// one; small ones never leave it. No memory-mapped I/O either: mapped
    /// pages of a multi-gigabyte file count as the process's resident memory.
    static func bound(_ c: Connection) throws {
        try c.execute("PRAGMA temp_store = FILE")
        try c.execute("PRAGMA cache_size = -1000")
        try c.execute("PRAGMA temp.cache_size = -1000")
        try c.execute("PRAGMA mmap_size = 0")
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

    /// Runs `body` with no journal and no syncing (`journal_mode = OFF`,
    /// `synchronous = OFF`), then puts the file back in WAL mode. ONLY for a
    /// file that is thrown away if anything goes wrong: a crash, or an
    /// error, in the middle leaves it damaged (nothing can be rolled back).
    /// The bench builds its database this way, under a temporary name that
    /// it gives the file only once the build is complete.
    public func withoutJournal<T>(_ body: () throws -> T) throws -> T {
        let mode = try connection.withDefensiveOff { try connection.text("PRAGMA journal_mode = OFF") } ?? ""
        guard mode.lowercased() == "off" else { throw Self.walUnavailable(path: path, mode: mode) }
        try connection.execute("PRAGMA synchronous = OFF")
        let result = try body()
        try connection.execute("PRAGMA synchronous = NORMAL")
        let wal = try connection.text("PRAGMA journal_mode = WAL") ?? ""
        guard wal.lowercased() == "wal" else { throw Self.walUnavailable(path: path, mode: wal) }
        return result
    }

    public var schemaVersion: Int { Int((try? connection.scalar("PRAGMA user_version")) ?? 0) }

    /// The contacts' columns as `SQLiteContactRepository.contact` reads them:
    /// a file read as it is from before schema 81 has no uid column. Looked
    /// up on first use, after any upgrade (a column, once there, stays).
    lazy var hasContactUIDs: Bool =
        ((try? connection.scalar("SELECT count(*) FROM pragma_table_info('contacts') WHERE name = 'uid'")) ?? 0) > 0
    var contactColumns: String { hasContactUIDs ? SQLiteContactRepository.columns : SQLiteContactRepository.columnsBeforeUID }
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
        if snapshot != nil && (!unchangedSinceOpen || Self.isOpenElsewhere(path)) {
            // Read without locks, and written since, or opened by a crm that
            // may write (its writes go to the -wal, which this connection
            // does not read): read it anew, with locks while that crm is there.
            let hooks = (connection.onWriteWait, connection.onCommit)
            (connection, snapshot) = try Self.openReader(path)
            (connection.onWriteWait, connection.onCommit) = hooks
            currentUser = try Self.reader(currentUser.login, connection, refuseUnknown: false)
            lastDataVersion = try connection.dataVersion()
            lastCounters = try? changeCounters()
            return .unknown
        }
        let version = try connection.dataVersion()
        let ownChanges = sqlite3_total_changes64(connection.handle)
        if version == lastDataVersion {
            if ownChanges != lastOwnChanges {
                lastCounters = try changeCounters()
                lastOwnChanges = ownChanges
            }
            return .none
        }
        // A file read at an older schema may have no change counters yet.
        let counters = isReadOnly ? ((try? changeCounters()) ?? [:]) : try changeCounters()
        let last = lastCounters
        (lastDataVersion, lastCounters, lastOwnChanges) = (version, counters, ownChanges)
        guard let last, !counters.isEmpty else { return .unknown }
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
    public var listings: SQLiteListingRepository { SQLiteListingRepository(db: self) }
    public var audit: AuditLog { AuditLog(db: self) }
}

/// What `stat` says about a file, to notice that it was written.
struct FileSnapshot: Equatable {
    let device, inode, size: UInt64
    let modified, changed: [Int]

    static func of(_ path: String) -> FileSnapshot? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileSnapshot(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: UInt64(st.st_size),
                            modified: [st.st_mtim.tv_sec, st.st_mtim.tv_nsec], changed: [st.st_ctim.tv_sec, st.st_ctim.tv_nsec])
    }
}
