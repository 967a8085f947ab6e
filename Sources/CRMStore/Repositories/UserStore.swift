import CRMCore
import CRMRepositories
import Foundation

/// The users of a database, their roles, and handing a leaver's work over.
///
/// Who may open the CRM: a known, active login. The first user of a new
/// database is created as its admin; after that an unknown login is created
/// only when the shared setting `create_users_on_first_use` is on (the demo
/// database), else refused with the nearest login as a suggestion.
public final class UserStore: UserRepository {
    let db: Database
    init(db: Database) { self.db = db }

    /// The columns a user is read with. A file read as it is at a schema
    /// older than 21 has no roles: everyone reads as an active admin, as the
    /// upgrade would make them.
    static func columns(_ c: Connection) throws -> String {
        let hasRoles = (try c.scalar("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'role'") ?? 0) > 0
        return hasRoles ? "id, login, name, role, active" : "id, login, name, 'admin', 1"
    }

    static func user(_ row: Row) -> User {
        User(id: row.int64(0), login: row.string(1), name: row.string(2),
             role: Role(rawValue: row.string(3)) ?? .rep, isActive: row.int64(4) != 0)
    }

    static func find(login: String, _ c: Connection) throws -> User? {
        try c.first("SELECT \(try columns(c)) FROM users WHERE login = ?", [login], user)
    }

    /// The user `login` opening the CRM: found (and refused when
    /// deactivated), or created when `create` allows and the database does.
    /// Safe when several processes open crm as the same new login at once:
    /// the insert does nothing if another one got there first, and the row
    /// is read back either way, so all of them get the same user.
    func signIn(login: String, policy: Database.NewLogins) throws -> User {
        try ValidationFailure.check(User.validate(login: login))
        // Found without writing: the common case takes no write lock.
        if let user = try find(login: login) { return try Self.admit(user) }
        return try db.connection.transaction {
            if let user = try find(login: login) { return try Self.admit(user) }
            let count = try db.connection.scalar("SELECT count(*) FROM users") ?? 0
            try UserRefusal.refuseCaseVariant(login, among: try all())
            let role: Role
            if count == 0 {
                role = .admin
            } else if try policy == .createOnFirstUse || createsUsersOnFirstUse() {
                role = .rep
            } else {
                throw UserRefusal.unknown(login, known: try all().filter(\.isActive).map(\.login))
            }
            try db.connection.run("INSERT INTO users(login, name, created_at, role) VALUES (?, ?, ?, ?) ON CONFLICT(login) DO NOTHING",
                                  [login, login, db.clock.now, role.rawValue])
            guard let user = try find(login: login) else { throw RepositoryError.notFound(entity: "user", id: 0) }
            try db.audit.record("user", user.id, "create", changes: ["login": ("", login), "role": ("", role.rawValue)])
            return user
        }
    }

    /// The user `login`, created (a rep; the first is the admin) if there is
    /// none: for programs that fill a database (bench data, fixtures), not
    /// for a person opening the CRM (`signIn` checks who may).
    public func findOrCreate(login: String, name: String = "") throws -> User {
        if let user = try find(login: login) { return user }
        let user = try signIn(login: login, policy: .createOnFirstUse)
        return name.isEmpty || name == user.name ? user : try db.connection.transaction {
            try db.connection.run("UPDATE users SET name = ? WHERE id = ?", [name, user.id])
            return try required(login)
        }
    }

    static func admit(_ user: User) throws -> User {
        guard user.isActive else { throw UserRefusal.deactivated(user.login) }
        return user
    }

    public func find(login: String) throws -> User? { try Self.find(login: login, db.connection) }

    public func get(_ id: Int64) throws -> User? {
        try db.connection.first("SELECT \(try Self.columns(db.connection)) FROM users WHERE id = ?", [id], Self.user)
    }

    public func all() throws -> [User] {
        try db.connection.rows("SELECT \(try Self.columns(db.connection)) FROM users ORDER BY login", [], Self.user)
    }

    // MARK: administration (admin only)

    public func add(login: String, name: String, role: Role) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        try ValidationFailure.check(User.validate(login: login))
        return try db.connection.transaction {
            // "Ali" beside "ali" reads as one person in every list: refused.
            if let existing = try all().first(where: { $0.login.lowercased() == login.lowercased() }) {
                throw UserRefusal(.conflict, "there is already a user '\(existing.login)'\(existing.isActive ? "" : " (deactivated: `crm user reactivate \(existing.login)`)")")
            }
            let display = name.trimmingCharacters(in: .whitespaces)
            try db.connection.run("INSERT INTO users(login, name, created_at, role) VALUES (?, ?, ?, ?)",
                                  [login, display.isEmpty ? login : display, db.clock.now, role.rawValue])
            let user = try required(login)
            try db.audit.record("user", user.id, "create", changes: ["login": ("", login), "name": ("", user.name), "role": ("", role.rawValue)])
            return user
        }
    }

    public func rename(login: String, to newLogin: String) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        try ValidationFailure.check(User.validate(login: newLogin))
        return try db.connection.transaction {
            let user = try required(login)
            if newLogin == login { return user }
            if let other = try all().first(where: { $0.login.lowercased() == newLogin.lowercased() && $0.id != user.id }) {
                throw UserRefusal(.conflict, "there is already a user '\(other.login)'; choose another login")
            }
            try db.connection.run("UPDATE users SET login = ? WHERE id = ?", [newLogin, user.id])
            try db.audit.record("user", user.id, "update", changes: ["login": (login, newLogin)])
            try db.refreshCurrentUser()
            return try required(newLogin)
        }
    }

    public func setName(login: String, name: String) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        let display = name.trimmingCharacters(in: .whitespaces)
        return try db.connection.transaction {
            let user = try required(login)
            let new = display.isEmpty ? user.login : display
            guard new != user.name else { return user }
            try db.connection.run("UPDATE users SET name = ? WHERE id = ?", [new, user.id])
            try db.audit.record("user", user.id, "update", changes: ["name": (user.name, new)])
            return try required(login)
        }
    }

    public func setRole(login: String, role: Role) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        return try db.connection.transaction {
            let user = try required(login)
            guard user.role != role else { return user }
            if try user.role == .admin && user.isActive && activeAdmins() == 1 {
                let who = user.id == db.currentUser.id ? "you are" : "\(login) is"
                throw UserRefusal(.conflict, "\(who) the last active admin: make another user admin first (`crm user set-role LOGIN admin`), then change this role")
            }
            try db.connection.run("UPDATE users SET role = ? WHERE id = ?", [role.rawValue, user.id])
            try db.audit.record("user", user.id, "update", changes: ["role": (user.role.rawValue, role.rawValue)])
            try db.refreshCurrentUser()
            return try required(login)
        }
    }

    public func deactivate(login: String, handover plan: HandoverPlan) throws -> (User, Handover?) {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        return try db.connection.transaction {
            let user = try required(login)
            guard user.isActive else {
                throw UserRefusal(.conflict, "\(login) is already deactivated; `crm user handover \(login) --reassign-to LOGIN` moves what they still own")
            }
            if try user.role == .admin && activeAdmins() == 1 {
                throw UserRefusal(.conflict, "\(login) is the last active admin: make another user admin first (`crm user set-role LOGIN admin`)")
            }
            let handover = plan.isEmpty ? nil : try moveRecords(from: user, plan: plan, deactivating: true)
            try db.connection.run("UPDATE users SET active = 0 WHERE id = ?", [user.id])
            try db.audit.record("user", user.id, "deactivate", changes: ["active": ("true", "false")])
            return (try required(login), handover)
        }
    }

    public func reactivate(login: String) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        return try db.connection.transaction {
            let user = try required(login)
            guard !user.isActive else { return user }
            try db.connection.run("UPDATE users SET active = 1 WHERE id = ?", [user.id])
            try db.audit.record("user", user.id, "reactivate", changes: ["active": ("false", "true")])
            return try required(login)
        }
    }

    public func createsUsersOnFirstUse() throws -> Bool { try Self.createsUsersOnFirstUse(db.connection) }

    /// A file older than schema 21 created users on first use.
    static func createsUsersOnFirstUse(_ c: Connection) throws -> Bool {
        guard (try c.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'shared_settings'") ?? 0) > 0 else { return true }
        return try c.text("SELECT value FROM shared_settings WHERE key = 'create_users_on_first_use'") == "1"
    }

    /// Which users are active, at any schema.
    static func activeCondition(_ c: Connection) throws -> String {
        (try c.scalar("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'active'") ?? 0) > 0 ? "active = 1" : "1"
    }

    public func setCreatesUsersOnFirstUse(_ on: Bool) throws {
        try UserRefusal.check(.changeSharedSettings, for: db.currentUser)
        try db.connection.transaction {
            let old = try createsUsersOnFirstUse()
            guard old != on else { return }
            try db.connection.run("INSERT INTO shared_settings(key, value) VALUES ('create_users_on_first_use', ?) "
                                  + "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [on ? "1" : "0"])
            try db.audit.record("setting", 0, "update", changes: ["create_users_on_first_use": ("\(old)", "\(on)")])
        }
    }

    /// The user `login`, or the refusal naming the nearest one.
    func required(_ login: String) throws -> User {
        if let user = try find(login: login) { return user }
        throw UserRefusal.unknown(login, known: try all().map(\.login))
    }

    func activeAdmins() throws -> Int64 {
        try db.connection.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1") ?? 0
    }
}
