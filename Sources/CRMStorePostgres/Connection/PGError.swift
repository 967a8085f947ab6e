import CRMRepositories
import Foundation

/// What libpq or the server said, as it said it: the SQLSTATE (five
/// characters, e.g. 40001 for a serialization failure), the message and the
/// statement. It becomes a `RepositoryError` at the seam (`repositoryError`),
/// whose sentence is for people; this text goes to crm.log only.
public struct PGError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or refused us (connection level).
        case connection
        /// A statement failed on the server (see `sqlState`).
        case statement
        /// The connection string does not parse.
        case badConnectionString
        /// libpq itself could not be loaded (not installed): nothing was tried.
        case libraryMissing
    }
    public let kind: Kind
    public let sqlState: String
    public let message: String
    /// The server's DETAIL line, e.g. which key a constraint found missing.
    public let detail: String?
    public let statement: String?

    public init(kind: Kind, sqlState: String = "", message: String, detail: String? = nil, statement: String? = nil) {
        self.kind = kind; self.sqlState = sqlState; self.message = message; self.detail = detail; self.statement = statement
    }

    public var description: String {
        let head = "PostgreSQL \(sqlState.isEmpty ? "" : sqlState + " ")\(message)"
        return statement.map { "\(head) (in: \($0))" } ?? head
    }

    /// Serialization failure or deadlock: the whole transaction may be tried again.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// The connection is gone (server restart, network cut, admin shutdown).
    public var isConnectionLost: Bool {
        kind == .connection || sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }

    public var diagnostic: Diagnostic {
        Diagnostic(engine: "PostgreSQL", code: Int32(sqlState.isEmpty ? "0" : String(sqlState.prefix(2))) ?? 0,
                   message: sqlState.isEmpty ? message : "\(sqlState): \(message)", statement: statement)
    }
}
