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
    public internal(set) var currentUser: User
    /// The region national phone numbers are read in (their international
    /// form, and search by a national number), as `Database.phoneRegion`.
    public var phoneRegion: PhoneRegion?

    /// `login`: who acts; nil is the program itself (demo fill, migration),
    /// with every right, as on SQLite.
    public init(conninfo: String, login: String? = nil, clock: any Clock = SystemClock()) throws {
        self.clock = clock
        connection = try PGConnection(conninfo)
        currentUser = User(id: 0, login: "system", role: .admin)
        try PGMigrator.migrate(connection, target: connection.target)
        if let login { currentUser = try PGUserSignIn(db: self).signIn(login: login) }
    }

    public static var supportedSchemaVersion: Int { PGMigrator.latestVersion }
    public var schemaVersion: Int { (try? PGMigrator.currentVersion(connection)) ?? 0 }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try connection.transaction(body)
    }

    public var audit: PGAuditLog { PGAuditLog(db: self) }
}
