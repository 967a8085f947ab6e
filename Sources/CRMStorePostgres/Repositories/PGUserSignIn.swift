import CRMCore
import CRMRepositories
import Foundation

/// Who may open the CRM on PostgreSQL, by the same rules as on SQLite: a
/// known, active login; the first user of a new database becomes its admin;
/// after that an unknown login is created only when the shared setting
/// `create_users_on_first_use` is on, else refused with the nearest login.
struct PGUserSignIn {
    let db: PostgresDatabase

    static let columns = "id, login, name, role, active"

    static func user(_ row: PGRow) -> User {
        User(id: row.int64(0), login: row.string(1), name: row.string(2),
             role: Role(rawValue: row.string(3)) ?? .rep, isActive: row.int64(4) != 0)
    }

    func find(login: String) throws -> User? {
        try db.connection.first("SELECT \(Self.columns) FROM users WHERE login = ?", [login], Self.user)
    }

    func all() throws -> [User] {
        try db.connection.rows("SELECT \(Self.columns) FROM users ORDER BY login", [], Self.user)
    }

    /// Found without writing, or created in one transaction; safe when two
    /// processes sign in the same new login at once (the insert does nothing
    /// for the second, and both read the same row back).
    func signIn(login: String) throws -> User {
        try ValidationFailure.check(User.validate(login: login))
        if let user = try find(login: login) { return try Self.admit(user) }
        return try db.connection.transaction {
            // Serialises first sign-ins, so "the first user is the admin" holds
            // when two people open a new database at the same moment.
            try db.connection.run("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
            if let user = try find(login: login) { return try Self.admit(user) }
            let count = try db.connection.integer("SELECT count(*) FROM users") ?? 0
            try UserRefusal.refuseCaseVariant(login, among: try all())
            let role: Role
            if count == 0 {
                role = .admin
            } else if try createsUsersOnFirstUse() {
                role = .rep
            } else {
                throw UserRefusal.unknown(login, known: try all().filter(\.isActive).map(\.login))
            }
            try db.connection.run("INSERT INTO users(login, name, created_at, role) VALUES (?, ?, ?, ?) ON CONFLICT (login) DO NOTHING",
                                  [login, login, db.clock.now, role.rawValue])
            guard let user = try find(login: login) else { throw RepositoryError.notFound(entity: "user", id: 0) }
            try enrollIfSomeoneElse(login: login, role: role)
            try db.audit.record("user", user.id, "create", changes: ["login": ("", login), "role": ("", role.rawValue)])
            return user
        }
    }

    /// A user created for someone other than the session (a superuser's
    /// `--user newguy`) gets its login role as `crm user add` gives one, so
    /// the person can then connect as themselves (QA 38 B-F3: listed as
    /// active, refused by the server). The session's own role exists; a
    /// session that may not create roles leaves it to an admin (`crm user
    /// set-role` or `reactivate` then creates it).
    private func enrollIfSomeoneElse(login: String, role: Role) throws {
        let c = db.connection
        guard try c.scalar("SELECT session_user::text") != login,
              try c.first("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user", [], { $0.bool(0) }) == true
        else { return }
        try PGDatabaseRoles.enroll(c, login: login, role: role)
    }

    static func admit(_ user: User) throws -> User {
        guard user.isActive else { throw UserRefusal.deactivated(user.login) }
        return user
    }

    func createsUsersOnFirstUse() throws -> Bool {
        try db.connection.scalar("SELECT value FROM shared_settings WHERE key = 'create_users_on_first_use'") == "1"
    }
}
