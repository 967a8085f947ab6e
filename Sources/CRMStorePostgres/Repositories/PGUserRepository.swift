import CRMCore
import CRMRepositories
import Foundation

/// The users of a PostgreSQL database, their roles, and handing a leaver's
/// work over: SQLite's `UserStore`, with the same rules, refusals and audit,
/// and with each user's database role kept in step in the same transaction
/// (`PGDatabaseRoles`): adding a user creates its login role in its CRM
/// role's group, a new role changes the membership, deactivating revokes
/// LOGIN, reactivating gives it back.
public final class PGUserRepository: UserRepository {
    let db: PostgresDatabase
    public init(db: PostgresDatabase) { self.db = db }

    var c: PGConnection { db.connection }

    public func find(login: String) throws -> User? { try PGUserSignIn(db: db).find(login: login) }

    public func get(_ id: Int64) throws -> User? {
        try c.first("SELECT \(PGUserSignIn.columns) FROM users WHERE id = ?", [id], PGUserSignIn.user)
    }

    public func all() throws -> [User] { try PGUserSignIn(db: db).all() }

    public func add(login: String, name: String, role: Role) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        try ValidationFailure.check(User.validate(login: login))
        return try c.transaction {
            // "Ali" beside "ali" reads as one person in every list: refused.
            if let existing = try all().first(where: { $0.login.lowercased() == login.lowercased() }) {
                throw UserRefusal(.conflict, "there is already a user '\(existing.login)'\(existing.isActive ? "" : " (deactivated: `crm user reactivate \(existing.login)`)")")
            }
            let display = name.trimmingCharacters(in: .whitespaces)
            try c.run("INSERT INTO users(login, name, created_at, role) VALUES (?, ?, ?, ?)",
                      [login, display.isEmpty ? login : display, db.clock.now, role.rawValue])
            let user = try required(login)
            try PGDatabaseRoles.enroll(c, login: login, role: role)
            try db.audit.record("user", user.id, "create", changes: ["login": ("", login), "name": ("", user.name), "role": ("", role.rawValue)])
            return user
        }
    }

    public func rename(login: String, to newLogin: String) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        try ValidationFailure.check(User.validate(login: newLogin))
        return try c.transaction {
            let user = try required(login)
            if newLogin == login { return user }
            if let other = try all().first(where: { $0.login.lowercased() == newLogin.lowercased() && $0.id != user.id }) {
                throw UserRefusal(.conflict, "there is already a user '\(other.login)'; choose another login")
            }
            try c.run("UPDATE users SET login = ? WHERE id = ?", [newLogin, user.id])
            try PGDatabaseRoles.rename(c, from: login, to: newLogin)
            try db.audit.record("user", user.id, "update", changes: ["login": (login, newLogin)])
            try refreshCurrentUser()
            return try required(newLogin)
        }
    }

    public func setName(login: String, name: String) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        let display = name.trimmingCharacters(in: .whitespaces)
        return try c.transaction {
            let user = try required(login)
            let new = display.isEmpty ? user.login : display
            guard new != user.name else { return user }
            try c.run("UPDATE users SET name = ? WHERE id = ?", [new, user.id])
            try db.audit.record("user", user.id, "update", changes: ["name": (user.name, new)])
            return try required(login)
        }
    }

    public func setRole(login: String, role: Role) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        return try c.transaction {
            let user = try required(login)
            guard user.role != role else { return user }
            if try user.role == .admin && user.isActive && activeAdmins() == 1 {
                let who = user.id == db.currentUser.id ? "you are" : "\(login) is"
                throw UserRefusal(.conflict, "\(who) the last active admin: make another user admin first (`crm user set-role LOGIN admin`), then change this role")
            }
            try c.run("UPDATE users SET role = ? WHERE id = ?", [role.rawValue, user.id])
            try PGDatabaseRoles.enroll(c, login: login, role: role, active: user.isActive)
            try db.audit.record("user", user.id, "update", changes: ["role": (user.role.rawValue, role.rawValue)])
            try refreshCurrentUser()
            return try required(login)
        }
    }

    public func deactivate(login: String, handover plan: HandoverPlan) throws -> (User, Handover?) {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        return try c.transaction {
            let user = try required(login)
            guard user.isActive else {
                throw UserRefusal(.conflict, "\(login) is already deactivated; `crm user handover \(login) --reassign-to LOGIN` moves what they still own")
            }
            if try user.role == .admin && activeAdmins() == 1 {
                throw UserRefusal(.conflict, "\(login) is the last active admin: make another user admin first (`crm user set-role LOGIN admin`)")
            }
            let handover = plan.isEmpty ? nil : try moveRecords(from: user, plan: plan, deactivating: true)
            try c.run("UPDATE users SET active = 0 WHERE id = ?", [user.id])
            try PGDatabaseRoles.setLogin(c, login: login, allowed: false)
            try db.audit.record("user", user.id, "deactivate", changes: ["active": ("true", "false")])
            return (try required(login), handover)
        }
    }

    public func reactivate(login: String) throws -> User {
        try UserRefusal.check(.manageUsers, for: db.currentUser)
        return try c.transaction {
            let user = try required(login)
            guard !user.isActive else { return user }
            try c.run("UPDATE users SET active = 1 WHERE id = ?", [user.id])
            try PGDatabaseRoles.enroll(c, login: login, role: user.role)
            try db.audit.record("user", user.id, "reactivate", changes: ["active": ("false", "true")])
            return try required(login)
        }
    }

    public func createsUsersOnFirstUse() throws -> Bool { try PGUserSignIn(db: db).createsUsersOnFirstUse() }

    public func setCreatesUsersOnFirstUse(_ on: Bool) throws {
        try UserRefusal.check(.changeSharedSettings, for: db.currentUser)
        try c.transaction {
            let old = try createsUsersOnFirstUse()
            guard old != on else { return }
            try c.run("INSERT INTO shared_settings(key, value) VALUES ('create_users_on_first_use', ?) "
                      + "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [on ? "1" : "0"])
            try db.audit.record("setting", 0, "update", changes: ["create_users_on_first_use": ("\(old)", "\(on)")])
        }
    }

    /// Gives every user of the CRM its database role (after `crm migrate`
    /// brought users over from SQLite, or a restore): the program's work,
    /// one transaction, unaudited (no CRM user changed).
    public func enrollAll() throws {
        try c.transaction {
            for user in try all() { try PGDatabaseRoles.enroll(c, login: user.login, role: user.role, active: user.isActive) }
        }
    }

    /// The user `login`, or the refusal naming the nearest one.
    func required(_ login: String) throws -> User {
        if let user = try find(login: login) { return user }
        throw UserRefusal.unknown(login, known: try all().map(\.login))
    }

    func activeAdmins() throws -> Int64 {
        try c.integer("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1") ?? 0
    }

    func refreshCurrentUser() throws {
        guard db.currentUser.id != 0, let user = try get(db.currentUser.id) else { return }
        db.currentUser = user
    }
}
