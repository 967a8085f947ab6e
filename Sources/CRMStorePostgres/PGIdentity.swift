import CRMRepositories
import Foundation

/// Who a PostgreSQL session acts as. With peer authentication over the Unix
/// socket the server has checked the operating-system login, and the
/// database role (`session_user`) is that login: it is the CRM user, and
/// `--user` cannot make it anyone else (the grants of its role decide what
/// it may do, whatever program it uses).
///
/// Two kinds of session may name another CRM user: a database superuser and
/// the database's owner. They are the program acting for itself or for
/// someone (migrations, moves, demo fills, benches, an administrator's
/// script) and can change any row with psql anyway, so refusing them would
/// protect nothing. A CRM admin is a person, not the program: an admin
/// acting as a colleague would forge the audit trail, so they are refused
/// like everyone else.
enum PGIdentity {
    struct Session {
        /// The database role the server authenticated.
        let role: String
        /// A superuser or the database's owner.
        let isProgram: Bool
        /// A member of one of the CRM's group roles (crm_rep and up).
        let isCRMUser: Bool
        /// The server has the CRM's three group roles (not so for a
        /// database restored from another server's dump: PGRolesRepair).
        let hasGroups: Bool
    }

    /// In one round trip; membership is asked only of groups that exist
    /// (pg_has_role refuses a role the server does not have).
    static func session(_ c: PGConnection) throws -> Session {
        let row = try c.first("""
            SELECT session_user::text,
                   coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
                   OR session_user = (SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()),
                   CASE WHEN g.n = 3 THEN pg_has_role(session_user, 'crm_rep', 'USAGE') ELSE false END,
                   g.n = 3
            FROM (SELECT count(*) AS n FROM pg_roles WHERE rolname IN ('crm_rep', 'crm_manager', 'crm_admin')) g
            """) { ($0.string(0), $0.bool(1), $0.bool(2), $0.bool(3)) }
        guard let row else { throw RepositoryError.notFound(entity: "session", id: 0) }
        return Session(role: row.0, isProgram: row.1, isCRMUser: row.2, hasGroups: row.3)
    }

    /// The CRM login this session opens as: `requested` for the program
    /// (nil: the program itself), else the role, refusing any other name.
    static func login(requested: String?, session: Session) throws -> String? {
        if session.isProgram { return requested }
        if let requested, requested != session.role {
            throw UserRefusal(.notPermitted, "you are connected to the database as '\(session.role)', so you open the CRM as \(session.role), not as '\(requested)': leave out --user, or connect as that user")
        }
        // A role of the server that no admin added to the CRM.
        guard session.isCRMUser else { throw UserRefusal.unknown(session.role, known: []) }
        return session.role
    }
}
