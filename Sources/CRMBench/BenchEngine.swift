import CRMRepositories
import CRMStore
import CRMStorePostgres
import Foundation

/// Which engine a bench run drives: the bench's rows are measured through
/// `any CRMRepositories`, so the same key, path or load script runs on a
/// SQLite file and on a PostgreSQL database alike; only opening a session and
/// the few bench-only reads (`BenchSQL`) differ.
public enum BenchEngine: Equatable, Sendable {
    case sqlite(path: String)
    case postgres(conninfo: String)

    /// The column heading: "SQLite" or "PostgreSQL".
    public var title: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// A session acting as `login` (nil: the program itself, every right).
    public func open(login: String?) throws -> any CRMRepositories {
        switch self {
        case .sqlite(let path): return try Database(path: path, login: login)
        case .postgres(let conninfo): return try PostgresDatabase(conninfo: conninfo, login: login)
        }
    }
}

/// The bench's own reads (a row far down a list, the load run's check):
/// not repository capabilities, so plain SQL written once for both engines —
/// the tables and columns have the same names, `?` placeholders, and
/// `CAST(? AS bigint)` where a number is bound as text (both engines read it).
public enum BenchSQL {
    /// The rows of `sql`, each cell as text (nil for NULL), `columns` wide.
    public static func rows(_ repos: any CRMRepositories, _ sql: String, _ params: [String] = [],
                            columns: Int) throws -> [[String?]] {
        if let db = repos as? Database {
            return try db.connection.rows(sql, params) { row in (0..<columns).map { row.optionalString(Int32($0)) } }
        }
        if let db = repos as? PostgresDatabase {
            return try db.connection.rows(sql, params) { row in (0..<columns).map { row.values[$0] } }
        }
        throw RepositoryError.failed(.init(engine: "bench", code: 0, message: "the bench reads SQLite and PostgreSQL only"))
    }

    /// The first column of the first row as an integer.
    public static func integer(_ repos: any CRMRepositories, _ sql: String, _ params: [String] = []) throws -> Int64? {
        try rows(repos, sql, params, columns: 1).first?.first.flatMap { $0.flatMap { Int64($0) } }
    }
}
