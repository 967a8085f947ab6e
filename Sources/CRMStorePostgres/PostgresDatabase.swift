import CRMCore
import CRMRepositories
import Foundation

/// The PostgreSQL engine: one session on a PostgreSQL database, acting as one
/// user. Opening it brings the schema up to date (or refuses a newer one) and
/// signs the user in. Its repositories (PG*Repository) read and write through
/// `connection`; each user action is one transaction (`transaction { }`).
///
/// The connection string is a URI (`postgresql:///crm`,
/// `postgresql://host/crm?sslmode=require`) or key=value pairs
/// (`host=/run/postgresql dbname=crm`); see `PostgresTarget`.
public final class PostgresDatabase {
    public let connection: PGConnection
    /// The connection string with any password hidden, for messages.
    public var target: String { connection.target }
    public let clock: any Clock
    /// As given (password included): a read session opens its own connection with it.
    let conninfo: String
    public internal(set) var currentUser: User
    /// The region national phone numbers are read in (their international
    /// form, and search by a national number), as `Database.phoneRegion`.
    public var phoneRegion: PhoneRegion?

    /// `login`: who acts; nil is the program itself (demo fill, migration),
    /// with every right, as on SQLite. Only the program (a superuser or the
    /// database's owner) may name a login other than its database role; for
    /// everyone else the role is the login (see `PGIdentity`).
    /// `liveRefresh`: how `pollChanges` learns of others' writes.
    /// `valueTierPolicy`: the opener's tier shares and rates (the settings'
    /// `tier.A`, `tier.B`, `rate.*`), as SQLite's `Database(valueTierPolicy:)`:
    /// stored tiers made with another policy are worked out again on opening.
    /// `personByDefault`: with no `login`, a superuser's or the owner's
    /// session acts as the CRM user named like its role (a person at the
    /// screen or running a command), not as the program.
    public init(conninfo: String, login: String? = nil, clock: any Clock = SystemClock(),
                liveRefresh: PGChangeFeed.Mode = .fromEnvironment,
                valueTierPolicy: ValueTierPolicy = ValueTierPolicy(), personByDefault: Bool = false) throws {
        self.clock = clock
        self.conninfo = conninfo
        self.valueTierPolicy = valueTierPolicy
        connection = try PGConnection(conninfo)
        currentUser = User(id: 0, login: "system", role: .admin)
        try PGMigrator.migrate(connection, target: connection.target)
        connection.recordsCommitTokens = true
        connection.reconnectsAutomatically = true
        // Who this is, before anything reads a CRM table (a role no admin
        // added may read none of them). A database restored from another
        // server's dump finds none of the server's roles its grants and
        // policies name: they are made first (PGRolesRepair).
        var session = try PGIdentity.session(connection)
        if !session.hasGroups {
            try PGRolesRepair.run(connection)
            session = try PGIdentity.session(connection)
        }
        let acting = try PGIdentity.login(requested: login ?? (personByDefault && session.isProgram ? session.role : nil), session: session)
        changeFeed = try PGChangeFeed(connection: connection, mode: liveRefresh)
        if let acting {
            if !session.isProgram, try PGUserSignIn(db: self).find(login: acting) == nil {
                // A role of the server that no admin added to the CRM.
                throw UserRefusal.unknown(acting, known: [])
            }
            currentUser = try PGUserSignIn(db: self).signIn(login: acting)
        }
        pruneCommitTokens()
        try bringValueTiersInLine()
        try moveInteractionWindow()
        connection.catalogWarmUp = PGConnection.warmUp(tables: Self.screenTables)
        connection.warmCatalogs()
    }

    /// The tables the screens read on nearly every key: their catalog
    /// entries are loaded when the session opens (`PGConnection.warmUp`).
    static let screenTables = ["contacts", "companies", "deals", "stages", "pipelines", "interactions", "follow_ups", "users",
                               "contact_emails", "contact_phones", "contact_tags", "tags", "contact_search", "deal_board_totals"]

    /// The Customers report's stored interaction counts (schema 40) move to
    /// today's window, so its corrections stay a day long; as a SQLite
    /// writer does when it opens the file. A hot standby keeps the stored
    /// ones, and a session that cannot have the window's row within the
    /// move's lock timeout leaves it to the next: the figures are exact from
    /// any window.
    private func moveInteractionWindow() throws {
        do {
            try PGCustomerYearInteractions.moveWindow(connection, to: clock.now)
        } catch where ["25006", "55P03"].contains(connection.lastError?.sqlState ?? "") {
            // read_only_sql_transaction (a hot standby), lock_not_available.
        }
        // The at-risk list's stored activity window (schema 55), likewise.
        do {
            try PGCustomerActivity.moveWindow(connection, to: clock.now)
        } catch where ["25006", "55P03"].contains(connection.lastError?.sqlState ?? "") {}
    }

    /// The tier shares and rates this session's stored tiers are worked out
    /// with (see `init`); `recomputeValueTiers(policy:)` changes it.
    public internal(set) var valueTierPolicy: ValueTierPolicy

    /// Tiers made with another policy than this opener's (or left stale) are
    /// worked out again, as a SQLite writer does when it opens the file; the
    /// commits after that keep them in step (PGSchemaV30ValueTiers). A
    /// server that takes no writes (a read replica) keeps the stored ones.
    private func bringValueTiersInLine() throws {
        let tiers = PGValueTierRecompute(policy: valueTierPolicy)
        guard try tiers.isOutOfDate(connection) else { return }
        do {
            try tiers.recompute(connection)
        } catch where connection.lastError?.sqlState == "25006" {
            // read_only_sql_transaction: a hot standby.
        }
    }

    /// A program session (the database's owner, a superuser) that reads
    /// acts as the CRM user named like its role when there is one, found
    /// and never created (a read writes nothing): `crm report` run by an
    /// owner who is an admin reads as that admin (QA 33 #7: "no user
    /// 'system'"). Otherwise it stays the program, named by its role: a
    /// command that needs a CRM user then says "no user 'root'", not the
    /// placeholder "system" nobody logs in as (QA 38 B-F2).
    public func readAsSessionRole() throws {
        guard currentUser.id == 0, let role = try connection.scalar("SELECT session_user::text") else { return }
        if let user = try PGUserSignIn(db: self).find(login: role) { currentUser = try PGUserSignIn.admit(user) }
        else { currentUser = User(id: 0, login: role, role: currentUser.role) }
    }

    /// Gives the stored numbers still without an international form one,
    /// in `phoneRegion` (nothing without a region): once per database and
    /// region, on an open that may write (see `PGPhoneE164Fill`). `starting`
    /// is told how many are pending, when some are. A failure (a colleague
    /// holding a row past the lock timeout) leaves the rest for next time.
    @discardableResult
    public func fillPhoneE164(starting: ((Int) -> Void)? = nil) throws -> Int {
        guard let phoneRegion else { return 0 }
        return try PGPhoneE164Fill.run(connection, region: phoneRegion, starting: starting)
    }

    /// Others' changes since the last call (see `PGChangeFeed`).
    public let changeFeed: PGChangeFeed

    /// What other sessions changed since the last call: the question the
    /// screen asks on every idle tick; `.none` costs no query while the
    /// LISTEN connection is up. This session's own writes are not reported.
    /// A server found away is tried once per call (see `reconnectingOnce`).
    public func pollChanges() throws -> ChangeSet { try connection.reconnectingOnce { try changeFeed.poll() } }

    /// Told when a write waits: here, while a lost connection to the server
    /// is re-established ("reconnecting…", then reconnected or gave up).
    public var onWriteWait: ((WriteWait) -> Void)? {
        get { connection.onConnectionWait }
        set { connection.onConnectionWait = newValue }
    }

    /// Commit tokens are needed only while a reconnect may ask about them
    /// (seconds); a week's are kept. Admins' and the program's sessions tidy
    /// them (a rep may not delete them); a refusal here is of no consequence.
    private func pruneCommitTokens() {
        let cutoff = Int64(Date().timeIntervalSince1970) - 7 * 86_400
        _ = try? connection.execute("DELETE FROM crm_commits WHERE committed_at < $1::bigint", [cutoff])
    }

    public static var supportedSchemaVersion: Int { PGMigrator.latestVersion }

    /// Brings the database at `conninfo` to the latest schema and does
    /// nothing else (nobody signs in, no stored window moves): the steps
    /// that opening it would run. For a database kept as a template: the
    /// tests copy one migrated database (CREATE DATABASE … TEMPLATE) rather
    /// than run every step for each of theirs.
    public static func migrateSchema(conninfo: String) throws {
        let connection = try PGConnection(conninfo)
        try PGMigrator.migrate(connection, target: connection.target)
    }
    public var schemaVersion: Int { (try? PGMigrator.currentVersion(connection)) ?? 0 }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }

    public var audit: PGAuditLog { PGAuditLog(db: self) }
}
