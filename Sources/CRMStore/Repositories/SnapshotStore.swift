import CRMCore
import CRMRepositories
import CSQLite
import Foundation

/// The lossless copy (`SnapshotTable`): every row of every table a user can
/// see, read page by page in key order, and loaded back into an empty
/// database with the same ids.
///
/// Table and column names in the SQL below come from `SnapshotTable.all`, our
/// own constant list, never from input; every value is bound.
struct SnapshotStore {
    let db: Database
    var c: Connection { db.connection }

    func rows(_ table: SnapshotTable, after key: [SnapshotValue]?, limit: Int) throws -> [SnapshotRow] {
        let keyList = table.key.joined(separator: ", ")
        // A file read as it is from before a step that added a column (crm
        // migrate reads one): that column reads as NULL, its default.
        let present = Set(try c.rows("SELECT name FROM pragma_table_info(?)", [table.name]) { $0.string(0) })
        let columns = table.columns.map { present.contains($0) ? $0 : "NULL" }
        var sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table.name)"
        var values: [SQLBindable] = []
        if let key {
            sql += " WHERE (\(keyList)) > (\(Array(repeating: "?", count: key.count).joined(separator: ", ")))"
            values = key.map(Self.sqlValue)
        }
        sql += " ORDER BY \(keyList) LIMIT ?"
        values.append(limit)
        return try c.rows(sql, values) { row in
            SnapshotRow(table: table, values: (0..<Int32(table.columns.count)).map { Self.value(row, $0) })
        }
    }

    /// The value as stored, by its storage class (a text in an integer column
    /// stays text), so the copy is exactly what the file holds.
    static func value(_ row: Row, _ i: Int32) -> SnapshotValue {
        switch sqlite3_column_type(row.handle, i) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(row.int64(i))
        case SQLITE_FLOAT: .real(row.double(i))
        default: .text(row.string(i))
        }
    }

    static func sqlValue(_ value: SnapshotValue) -> SQLValue {
        switch value {
        case .null: .null
        case .integer(let v): .integer(v)
        case .real(let v): .real(v)
        case .text(let v): .text(v)
        }
    }

    /// Triggers that write a contact's last-interaction time as interactions
    /// go in: suspended for the load (a trashed interaction later than every
    /// live one would move it), and the time recounted once from the loaded
    /// interactions instead. Recreated from their own stored SQL before COMMIT.
    static let suspendedTriggers = ["interactions_touch_contact", "interactions_untouch_contact"]

    func load(schemaVersion: Int, _ next: () throws -> SnapshotRow?) throws -> SnapshotLoadResult {
        guard schemaVersion <= Database.supportedSchemaVersion else {
            throw SnapshotLoadError.schemaTooNew(found: schemaVersion, supported: Database.supportedSchemaVersion)
        }
        return try c.transaction {
            // Users alone do not count: opening a new file makes its user
            // (and audits that). They go, and the copy's users come with their ids.
            var holding: [String] = []
            for table in SnapshotTable.all where table.name != "users" && table.name != "shared_settings" {
                let onlyOthers = table.name == "audit_log" ? " WHERE entity <> 'user'" : ""
                if try c.scalar("SELECT EXISTS (SELECT 1 FROM \(table.name)\(onlyOthers))") == 1 { holding.append(table.name) }
            }
            guard holding.isEmpty else { throw SnapshotLoadError.notEmpty(tables: holding) }
            try c.run("DELETE FROM audit_log")
            try c.run("DELETE FROM users")
            // The new file's shared settings are its defaults; the copy's replace them.
            try c.run("DELETE FROM shared_settings")
            // References are checked once all rows are in (this PRAGMA lasts
            // until the end of the transaction): a row may point to a later
            // one of its own table.
            try c.execute("PRAGMA defer_foreign_keys = ON")
            let triggers = try c.rows("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
                                      Self.suspendedTriggers) { ($0.string(0), $0.string(1)) }
            for (name, _) in triggers { try c.execute("DROP TRIGGER \(name)") }
            var counts: [String: Int] = [:]
            var statements: [String: Statement] = [:]
            while let row = try next() {
                let table = row.table
                guard row.values.count == table.columns.count else {
                    throw SnapshotLoadError.badRow(line: row.line, type: table.type,
                                                   message: "expected \(table.columns.count) values, got \(row.values.count)")
                }
                // The columns the line has (all of them, unless the copy is older
                // than a column): the others take their defaults.
                let present = table.columns.indices.filter { !row.absent.contains(table.columns[$0]) }
                let cacheKey = row.absent.isEmpty ? table.name : table.name + "-" + row.absent.sorted().joined(separator: ",")
                let statement: Statement
                if let cached = statements[cacheKey] {
                    statement = cached
                } else {
                    let names = present.map { table.columns[$0] }.joined(separator: ", ")
                    let marks = Array(repeating: "?", count: present.count).joined(separator: ", ")
                    statement = try c.prepare("INSERT INTO \(table.name)(\(names)) VALUES (\(marks))")
                    statements[cacheKey] = statement
                }
                do {
                    try statement.run(present.map { Self.sqlValue(row.values[$0]) })
                } catch RepositoryError.failed(let d) where [SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_TOOBIG].contains(d.code & 0xff) {
                    // The row's fault; a busy, full or damaged file is not.
                    throw SnapshotLoadError.badRow(line: row.line, type: table.type, message: Self.reason(d.message))
                }
                counts[table.type, default: 0] += 1
            }
            if let broken = try c.first("PRAGMA foreign_key_check", [], { ($0.string(0), $0.optionalInt64(1), $0.string(2)) }) {
                let type = SnapshotTable.all.first { $0.name == broken.0 }?.type ?? broken.0
                throw SnapshotLoadError.missingReference(type: type, id: broken.1, refersTo: broken.2)
            }
            // The copy's stored last contact times are not trusted: a file
            // written by hand or by another tool may have none (or stale ones)
            // for contacts with interactions, and the reports that read them
            // would then disagree with those that count (QA 31 #10). A copy
            // crm wrote holds what this gives, and nothing is written for it.
            try c.run(StoredLastContact.recountSQL)
            for (_, sql) in triggers { try c.execute(sql) }
            // A copy from before version 22 holds audit values as Swift texts
            // ("Optional(3)"): the same conversion an upgrade runs. A newer
            // copy is kept byte for byte.
            if schemaVersion < 22 { try c.execute(SchemaV22AuditJSONValues.sql) }
            return SnapshotLoadResult(counts: SnapshotTable.all.map { ($0.type, counts[$0.type] ?? 0) })
        }
    }

    /// What SQLite said about a refused row, in words a person can act on.
    static func reason(_ message: String) -> String {
        // Tags are one per name whatever the case of their letters (schema 78).
        if message.contains("tags.name") { return "a tag of this name, whatever the case of its letters, comes earlier in the file: each tag once" }
        if message.contains("UNIQUE") || message.contains("PRIMARY KEY") { return "its id (or login or name) comes twice in the file: \(message)" }
        return message
    }
}
