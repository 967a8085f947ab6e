import CRMCore
import CRMRepositories
import Foundation

extension PGError {
    /// The sentence for a server that cannot be reached.
    static let unreachableReason = "the PostgreSQL server cannot be reached: is it running, and are the host, port or socket folder right?"

    /// The neutral error the screens and the CLI understand: one sentence
    /// for people; the server's words stay in the diagnostic, for crm.log.
    /// `target` names the database (the connection string, password hidden).
    func repositoryError(target: String) -> RepositoryError {
        let d = diagnostic
        switch kind {
        case .libraryMissing:
            return .unavailable(path: target, reason: PGError.libraryMissingAdvice, d)
        case .badConnectionString:
            return .unavailable(path: target, reason: "the connection string does not parse (\(message)); write a URI like postgresql:///crm or key=value pairs like 'host=/run/postgresql dbname=crm'", d)
        case .connection where sqlState == "28000" && message.contains("is not permitted to log in"):
            // A deactivated CRM user's role is NOLOGIN (QA 33 #11): the
            // CRM's sentence, not the server's about passwords.
            let login = Self.firstQuoted(message) ?? "this user"
            return .unavailable(path: target, reason: UserRefusal.deactivated(login).description, d)
        case .connection where sqlState == "28000" || sqlState == "28P01":
            // The role the server names, else the one the string names: the
            // first quoted word may be the socket's path (QA 45 PG #3).
            let role = (Self.quoted(after: "user ", in: message) ?? Self.quoted(after: "role ", in: message)
                        ?? PGConnection.conninfoValue("user", of: target)).map { " as '\($0)'" } ?? ""
            if message.contains("no password supplied") {
                return .unavailable(path: target, reason: "the PostgreSQL server wants a password for the login\(role) and none was given: put it in ~/.pgpass (or PGPASSWORD)", d)
            }
            return .unavailable(path: target, reason: "the PostgreSQL server refused the login\(role): check the user name and password, or the server's pg_hba.conf", d)
        case .connection where Self.badValueKeyword(message) != nil:
            // libpq refuses a value of the string before it connects
            // ("invalid sslmode value", "invalid integer value "abc" for
            // connection option "port""): the string is wrong, the server fine.
            let keyword = Self.badValueKeyword(message) ?? "a keyword"
            let accepted = Self.acceptedValues[keyword].map { "expected \($0)" }
                ?? "see the parameter keywords in the libpq documentation"
            return .invalid(ValidationFailure([FieldError("connection string (--db or $CRM_DB)",
                "the value of \(keyword) is not one libpq accepts; \(accepted)")]))
        case .connection where sqlState == "3D000":
            let name = Self.firstQuoted(message) ?? "NAME"
            return .unavailable(path: target, reason: "the server has no such database: create it first (createdb \(PGConnection.clientOptions(target))\(name))", d)
        case .connection:
            return .unavailable(path: target, reason: Self.unreachableReason, d)
        case .statement:
            break
        }
        switch sqlState {
        // Raised by a schema step with a sentence for people (a missing extension, PGSchemaV30Search).
        case "CRMX1": return .unavailable(path: target, reason: message, d)
        case "40001", "40P01", "55P03", "57014": return .busy(d)
        case "25006": return .readOnly(d)
        case "53100": return .diskFull(d)
        case "XX001", "XX002": return .damaged(d)
        default:
            if isConnectionLost {
                return .unavailable(path: target, reason: "the connection to the PostgreSQL server was lost; nothing of the unfinished change was saved", d)
            }
            return .failed(d)
        }
    }

    /// What to do when libpq is not there (crm is not linked with it; it is
    /// loaded when a PostgreSQL database is first opened).
    public static let libraryMissingAdvice =
        "PostgreSQL databases need the libpq library, which could not be loaded: install it (Debian and Ubuntu: apt install libpq5)"

    /// The quoted word right after `prefix` ("user \"jan\"" → jan).
    static func quoted(after prefix: String, in message: String) -> String? {
        guard let r = message.range(of: prefix + "\"") else { return nil }
        let rest = message[r.upperBound...]
        guard let end = rest.firstIndex(of: "\""), end > rest.startIndex else { return nil }
        return String(rest[..<end])
    }

    /// The first "…" of the server's own words (after libpq's "FATAL:";
    /// before it libpq quotes the socket): the role or database it names
    /// (`role "zed" does not exist`, `database "nodb" does not exist`).
    static func firstQuoted(_ message: String) -> String? {
        let words = message.range(of: "FATAL:", options: .backwards).map { message[$0.upperBound...] } ?? message[...]
        let parts = words.split(separator: "\"", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    /// What libpq accepts for the keywords whose values are words (libpq's
    /// "Parameter Key Words"), for the sentence refusing another.
    static let acceptedValues: [String: String] = [
        "sslmode": "one of disable, allow, prefer, require, verify-ca, verify-full",
        "gssencmode": "one of disable, prefer, require",
        "channel_binding": "one of disable, prefer, require",
        "target_session_attrs": "one of any, read-write, read-only, primary, standby, prefer-standby",
        "load_balance_hosts": "one of disable, random",
        "port": "a port number such as 5432",
    ]

    /// The keyword whose value libpq refuses ("sslmode", "port"), when its
    /// message is about the connection string rather than the server.
    static func badValueKeyword(_ message: String) -> String? {
        for pattern in [#"for connection option "([a-z_]+)""#, #"invalid ([a-z_]+) value"#, #"invalid (port) number"#] {
            if let regex = try? NSRegularExpression(pattern: pattern),
               let m = regex.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)),
               let r = Range(m.range(at: 1), in: message), message[r] != "integer" {
                return String(message[r])
            }
        }
        return nil
    }
}
