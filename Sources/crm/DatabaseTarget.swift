import CRMStorePostgres
import Foundation

/// What `--db`, `CRM_DB`, and `crm migrate`'s `--from`/`--to` name: a file
/// path is an SQLite database; a `postgresql:` (or `postgres:`) URI or a
/// libpq key=value string (`host=/run/postgresql dbname=crm`) is PostgreSQL.
enum DatabaseTarget: Equatable {
    case sqlite(path: String)
    case postgres(conninfo: String)

    /// Throws a usage failure (64) naming `option` when a PostgreSQL string
    /// does not parse.
    static func parse(_ text: String, option: String) throws -> DatabaseTarget {
        // An empty value would become the current folder: say what is missing.
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Failure("\(option) is empty; expected a database file (e.g. ~/crm.db) or a PostgreSQL connection string",
                          status: ExitCode.usage)
        }
        guard looksLikePostgres(text) else {
            let path = Paths.expand(text)
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                throw Failure("\(option): \(path) is a folder, not a database file; name a file in it, e.g. \(path)/crm.db",
                              status: ExitCode.noInput)
            }
            return .sqlite(path: path)
        }
        do {
            try PGConnection.validate(text)
        } catch let error as PGError where error.kind == .libraryMissing {
            DiagnosticLog.write("\(option): \(PGConnection.redacted(text)): libpq: \(error.message)")
            throw Failure("\(option): \(PGError.libraryMissingAdvice) (\(error.message))", status: ExitCode.unavailable)
        } catch let error as PGError {
            // libpq's own words go to crm.log; the screen gets one sentence.
            DiagnosticLog.write("\(option): \(PGConnection.redacted(text)): \(error.message)")
            throw Failure("\(option): '\(PGConnection.redacted(text))' is not a PostgreSQL connection string; "
                          + "write a URI like postgresql:///crm or postgresql://host/crm?sslmode=require, "
                          + "or key=value pairs like 'host=/run/postgresql dbname=crm'",
                          status: ExitCode.usage)
        }
        return .postgres(conninfo: text)
    }

    static func looksLikePostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        if lower.hasPrefix("postgresql:") || lower.hasPrefix("postgres:") { return true }
        return text.firstMatch(of: /^\s*[A-Za-z_]+\s*=/) != nil
    }

    /// For messages: the path, or the connection string with any password hidden.
    var name: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let conninfo): PGConnection.redacted(conninfo)
        }
    }
}
