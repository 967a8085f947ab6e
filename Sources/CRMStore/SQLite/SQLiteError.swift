import CRMRepositories
import CSQLite

/// Turns an SQLite result code, its message and the statement into the
/// neutral error the screens understand; the SQL stays in the diagnostic.
enum SQLiteError {
    static func make(code: Int32, message: String, sql: String?, path: String) -> RepositoryError {
        let d = Diagnostic(engine: "SQLite", code: code, message: message, statement: sql)
        switch code & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy(d)
        case SQLITE_READONLY, SQLITE_PERM: return .readOnly(d)
        case SQLITE_FULL: return .diskFull(d)
        case SQLITE_NOTADB: return .notADatabase(path: path, d)
        case SQLITE_CORRUPT: return .damaged(d)
        case SQLITE_CANTOPEN: return .unavailable(path: path, reason: "cannot open the file: is its folder there, and may you read and write it?", d)
        case SQLITE_IOERR: return .unavailable(path: path, reason: "the file cannot be read or written", d)
        default: return .failed(d)
        }
    }
}
