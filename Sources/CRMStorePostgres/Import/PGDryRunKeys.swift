import CRMCore
import CRMRepositories
import Foundation

/// What a dry run remembers of the rows before the current one, as SQLite's
/// DryRunKeys: emails, phones and names at a company (ImportRowCheck.fileKeys)
/// and companies it would create ("c:" and the folded name),
/// each with the first line that had it. A real import finds those rows in
/// the database; a dry run writes nothing there, so it keeps them in a
/// temporary table of its own session, dropped with the dry run's
/// transaction (rolled back): the memory of a dry run stays flat however
/// long the file. Where the server allows no temporary table (a read-only
/// session or a standby), they are kept in memory instead: correct, and
/// only as large as the file's distinct emails and phones.
final class PGDryRunKeys {
    private let c: PGConnection
    /// Nil while the temporary table is used.
    private var memory: [String: Int]?

    init(_ c: PGConnection) throws {
        self.c = c
        do {
            // A savepoint: a refusal leaves the dry run's transaction usable.
            try c.transaction {
                try c.execute("CREATE TEMP TABLE IF NOT EXISTS import_dry_run_keys(key text PRIMARY KEY, line bigint NOT NULL) ON COMMIT DROP")
                try c.execute("DELETE FROM import_dry_run_keys")
            }
        } catch {
            memory = [:]
        }
    }

    /// The first line that had `key`, if any.
    func line(_ key: String) throws -> Int? {
        if let memory { return memory[key] }
        return try c.integer("SELECT line FROM import_dry_run_keys WHERE key = ?", [key]).map(Int.init)
    }

    /// Remembers `key` at `line` unless known; whether it was new.
    func insert(_ key: String, line: Int) throws -> Bool {
        if memory != nil {
            guard memory?[key] == nil else { return false }
            memory?[key] = line
            return true
        }
        return try c.run("INSERT INTO import_dry_run_keys(key, line) VALUES (?, ?::bigint) ON CONFLICT DO NOTHING", [key, line]) > 0
    }

    /// The earlier row of the file this one repeats (ImportRowCheck.fileKeys).
    func fileDuplicate(_ keys: [(key: String, reason: String)]) throws -> ImportDuplicate? {
        try ImportRowCheck.fileDuplicate(keys, line: line)
    }

    func remember(_ keys: [(key: String, reason: String)], line: Int) throws {
        for (key, _) in keys { _ = try insert(key, line: line) }
    }
}
