import CRMCore
import CRMRepositories
import Foundation

/// The database side of a CRM user (see `PGSchemaV30Roles`): a login role
/// named as users.login, member of the group role of its CRM role
/// (crm_rep, crm_manager, crm_admin), able to log in while the user is
/// active. Role statements are transactional in PostgreSQL, so each change
/// commits or rolls back with the users row it goes with.
///
/// Needs a session allowed to manage roles: a superuser, or an admin's login
/// role (created with CREATEROLE and the groups WITH ADMIN OPTION for that
/// reason). A superuser role of the same name (the DBA's) is never altered.
enum PGDatabaseRoles {
    static func group(_ role: Role) -> String { "crm_\(role.rawValue)" }

    /// Makes `login` a login role in `role`'s group only, creating it if the
    /// server has none of that name.
    static func enroll(_ c: PGConnection, login: String, role: Role, active: Bool = true) throws {
        let name = try quoted(login, c)
        guard let isSuper = try c.first("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [login], { $0.bool(0) }) else {
            try c.script("CREATE ROLE \(name) \(active ? "LOGIN" : "NOLOGIN")")
            return try setGroup(c, login: login, role: role)
        }
        guard !isSuper else { return }
        try c.script("ALTER ROLE \(name) \(active ? "LOGIN" : "NOLOGIN")")
        try setGroup(c, login: login, role: role)
    }

    /// Membership in exactly `role`'s group (rights of the lower roles come
    /// through the groups' nesting). An admin also manages roles: CREATEROLE,
    /// and every group with ADMIN OPTION, which granting needs from PostgreSQL 16.
    static func setGroup(_ c: PGConnection, login: String, role: Role) throws {
        let name = try quoted(login, c)
        if try c.first("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [login], { $0.bool(0) }) == true { return }
        for other in Role.allCases where try isDirectMember(c, login: login, of: group(other)) {
            try c.script("REVOKE \(group(other)) FROM \(name)")
        }
        if role == .admin {
            try c.script("GRANT crm_rep, crm_manager, crm_admin TO \(name) WITH ADMIN OPTION")
            try c.script("ALTER ROLE \(name) CREATEROLE")
        } else {
            try c.script("GRANT \(group(role)) TO \(name)")
            try c.script("ALTER ROLE \(name) NOCREATEROLE")
        }
    }

    /// Whether `login` may log in (deactivating a user revokes LOGIN).
    static func setLogin(_ c: PGConnection, login: String, allowed: Bool) throws {
        guard try c.first("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [login], { $0.bool(0) }) == false else { return }
        try c.script("ALTER ROLE \(try quoted(login, c)) \(allowed ? "LOGIN" : "NOLOGIN")")
    }

    static func rename(_ c: PGConnection, from old: String, to new: String) throws {
        guard try c.first("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [old], { $0.bool(0) }) == false else { return }
        if try c.scalar("SELECT session_user::text") == old {
            throw UserRefusal(.conflict, "you are connected as \(old): another admin renames you (PostgreSQL cannot rename the role of a connected session)")
        }
        // A role of the server by the new name (not a CRM user: rename
        // checked that) cannot be renamed onto (QA 38 B-F1: "unexpected error").
        if try c.first("SELECT 1 FROM pg_roles WHERE rolname = $1", [new], { $0.int64(0) }) != nil {
            throw UserRefusal(.conflict, "the database server already has a role '\(new)', which is not a user here; "
                              + "choose another login (`crm user add \(new)` makes that role a user of its own)")
        }
        try c.script("ALTER ROLE \(try quoted(old, c)) RENAME TO \(try quoted(new, c))")
    }

    static func isDirectMember(_ c: PGConnection, login: String, of group: String) throws -> Bool {
        try c.scalar("""
            SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
            WHERE g.rolname = $1 AND u.rolname = $2
            """, [group, login]) != "0"
    }

    /// `name` as a quoted identifier, by the server (role statements take no
    /// parameters, so the name is quoted, never spliced raw).
    static func quoted(_ name: String, _ c: PGConnection) throws -> String {
        guard let text = try c.scalar("SELECT quote_ident($1)", [name]) else { throw RepositoryError.notFound(entity: "role", id: 0) }
        return text
    }
}
