import CRMCore
import CRMRepositories
import Foundation

/// A database restored from another server's dump (QA 30 #7). Roles belong
/// to the server, not to a database, so `pg_dump` leaves out the CRM's group
/// roles (crm_rep, crm_manager, crm_admin) and the users' login roles; the
/// dump's grants to them fail on restore, and so would every statement that
/// names them. Opened by its owner or a superuser (the program), such a
/// database gets them back: schema 30's role statements as shipped (the
/// groups and their grants, all idempotent) and a login role for every CRM
/// user, in one transaction. Anyone else is told what to do.
enum PGRolesRepair {
    static func run(_ c: PGConnection) throws {
        let mayMake = try c.first("""
            SELECT coalesce((SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user), false)
            """) { $0.bool(0) } ?? false
        guard mayMake else {
            throw UserRefusal(.notPermitted, "this server has not the CRM's roles (crm_rep, crm_manager, crm_admin): a database "
                              + "restored from another server's dump? Open it once as a superuser (or a role with CREATEROLE) "
                              + "and crm makes them and its users' login roles again")
        }
        try c.transaction {
            try c.script(groupsAndGrants)
            // Schema 30's grants cover every table: the derived ones are the
            // database's own again (schema 76), once the step has run.
            if try PGMigrator.currentVersion(c) >= 76 { try c.script(PGSchemaV76DerivedTablesKeptByTheDatabase.revokes) }
            let users = try c.rows("SELECT login, role, active FROM users ORDER BY id") { ($0.string(0), $0.string(1), $0.bool(2)) }
            for (login, role, active) in users {
                try PGDatabaseRoles.enroll(c, login: login, role: Role(rawValue: role) ?? .rep, active: active)
            }
        }
    }

    /// Schema 30's statements on the roles themselves: the groups and the
    /// grants (the policies and functions that name them travel in a dump).
    static var groupsAndGrants: String {
        let sql = PGSchemaV30Roles.sql
        guard let end = sql.range(of: "-- Deleting contacts and companies for good") else { return sql }
        return String(sql[..<end.lowerBound])
    }
}
