/// What a dry run remembers of the rows before the current one (ImportRun):
/// emails, phones and names at a company (ImportRowCheck.fileKeys) and
/// companies it would create ("c:" and the folded name), each with the
/// first line that had it. A real import finds those rows in the database; a
/// dry run writes nothing there, so it keeps them in a temporary table: the
/// connection keeps temporary tables in a file with a 1 MiB page cache
/// (Database.bound), so a dry run's memory stays flat however long the file
/// (a dictionary of them grew with every row). Temporary tables belong to
/// the connection, never to the database file: a dry run on a read-only
/// connection changes nothing.
enum DryRunKeys {
    static func create(_ c: Connection) throws {
        try c.execute("CREATE TEMP TABLE IF NOT EXISTS import_dry_run_keys(key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")
        try c.execute("DELETE FROM temp.import_dry_run_keys")
    }

    /// Dropped after the run, so the connection holds no temporary table
    /// (a real import later changes temp_store for its index builds, which
    /// SQLite refuses while one exists).
    static func drop(_ c: Connection) {
        try? c.execute("DROP TABLE IF EXISTS temp.import_dry_run_keys")
    }

    /// The first line that had `key`, if any.
    static func line(_ c: Connection, _ key: String) throws -> Int? {
        try c.scalar("SELECT line FROM temp.import_dry_run_keys WHERE key = ?", [key]).map(Int.init)
    }

    /// Remembers `key` at `line` unless known; whether it was new.
    static func insert(_ c: Connection, _ key: String, line: Int) throws -> Bool {
        try c.run("INSERT INTO temp.import_dry_run_keys(key, line) VALUES (?, ?) ON CONFLICT DO NOTHING", [key, line])
        return c.changes > 0
    }
}
