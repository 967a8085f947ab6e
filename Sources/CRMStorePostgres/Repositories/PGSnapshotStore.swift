import CRMCore
import CRMRepositories
import Foundation

/// The lossless copy (`SnapshotTable`) on PostgreSQL: every row of every
/// table a user can see, read page by page in key order, and loaded into an
/// empty database with the same ids — what `crm migrate` moves between the
/// engines, and what `crm export all --format json` writes.
///
/// Table and column names in the SQL below come from `SnapshotTable.all`, our
/// own constant list, never from input; every value is bound.
public struct PGSnapshotStore {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }

    public init(db: PostgresDatabase) { self.db = db }

    public var snapshotSchemaVersion: Int { db.schemaVersion }

    public func snapshotRows(_ table: SnapshotTable, after key: [SnapshotValue]?, limit: Int) throws -> [SnapshotRow] {
        let keyList = table.key.joined(separator: ", ")
        var sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name)"
        var values: [any PGBindable] = []
        if let key {
            sql += " WHERE (\(keyList)) > (\(Array(repeating: "?", count: key.count).joined(separator: ", ")))"
            values = key.map(Self.bindable)
        }
        sql += " ORDER BY \(keyList) LIMIT ?"
        values.append(limit)
        let result = try c.query(PGConnection.numbered(sql), values)
        return result.rows.map { row in
            SnapshotRow(table: table, values: table.columns.indices.map { Self.value(row, $0, type: result.columnTypes[$0]) })
        }
    }

    /// How many rows `table` holds, trash included.
    public func snapshotCount(_ table: SnapshotTable) throws -> Int {
        Int(try c.integer("SELECT count(*) FROM \(table.name)") ?? 0)
    }

    /// Runs `body` in one read-only transaction that sees one moment of the
    /// database (REPEATABLE READ), so a copy is consistent while others write.
    public func consistentRead<T>(_ body: () throws -> T) throws -> T {
        guard !c.inTransaction else { return try body() }
        return try c.transaction {
            try c.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try body()
        }
    }

    /// The value by its column's type, as SQLite's copy holds it: integers
    /// as integers, double precision as reals, everything else as text.
    static func value(_ row: PGRow, _ i: Int, type: UInt32) -> SnapshotValue {
        guard let text = row.optionalString(i) else { return .null }
        switch type {
        case 20, 21, 23: return Int64(text).map(SnapshotValue.integer) ?? .text(text)
        case 700, 701: return Double(text).map(SnapshotValue.real) ?? .text(text)
        default: return .text(text)
        }
    }

    static func bindable(_ value: SnapshotValue) -> any PGBindable {
        switch value {
        case .null: PGNull()
        case .integer(let v): v
        case .real(let v): v
        case .text(let v): v
        }
    }

    /// Triggers that write a contact's last-interaction time as interactions
    /// go in: off for the load (a trashed interaction later than every live
    /// one would move it); the time is recounted once from the loaded rows
    /// instead (`recountLastContactSQL`).
    static let suspendedTriggers = ["interactions_touch_contact", "interactions_untouch_contact",
                                    // Counted for every contact at once after the rows (schema 40).
                                    "contact_year_interactions_insert",
                                    // Each customer counted once after the rows (schema 55).
                                    "customer_activity_interaction_insert"]

    /// The board totals' triggers (schema 60): off for the load, the totals
    /// summed once after it (a grouped upsert per batch of deals otherwise).
    static let boardTotalsTriggers = ["deal_board_totals_insert", "deal_board_totals_update", "deal_board_totals_delete"]

    /// The stored won values' marking triggers (schema 67): off for the load,
    /// every customer's sums counted once after it (a mark per won deal and
    /// customer, all refreshed at the COMMIT, otherwise).
    static let wonValuesTriggers = [("deals", "customer_won_values_deal_insert"), ("deals", "customer_won_values_deal_update"),
                                    ("deals", "customer_won_values_deal_delete"), ("contacts", "customer_won_values_contact_insert"),
                                    ("contacts", "customer_won_values_contact_update"), ("contacts", "customer_won_values_contact_delete")]

    /// Every contact's stored last contact time set to what the triggers keep
    /// (`crm_untouch_contact`: its latest live interaction that is no stage
    /// move, NULL without one), as SQLite's `StoredLastContact.recountSQL`
    /// does: one grouped pass over the interactions, and only the contacts
    /// whose time differs are written. A copy written by hand or another tool
    /// may carry none, or a stale one (QA 31 #10); one crm wrote changes nothing.
    static let recountLastContactSQL = """
        UPDATE contacts c SET last_interaction_at = l.latest
        FROM contacts c2
        LEFT JOIN (SELECT contact_id, max(occurred_at) AS latest FROM interactions
                   WHERE deleted_at IS NULL AND kind <> 'stage' AND contact_id IS NOT NULL
                   GROUP BY contact_id) l ON l.contact_id = c2.id
        WHERE c2.id = c.id AND c.last_interaction_at IS DISTINCT FROM l.latest
        """

    /// The row triggers that keep the lifecycle history's spans (schema 70).
    static let lifecycleSpansTriggers = [("contact_lifecycle_history", "lifecycle_spans_history"), ("contacts", "lifecycle_spans_contact")]

    /// The stored ranking keys' triggers (schema 69): off for the load, every
    /// customer's key row made once after it (from the copied contacts, the
    /// recounted window and won values and the history).
    static let rankKeysTriggers = [("contacts", "customer_rank_keys_contact_insert"), ("contacts", "customer_rank_keys_contact_update"),
                                   ("contacts", "customer_rank_keys_contact_delete"),
                                   ("contact_year_interactions", "customer_rank_keys_year_insert"),
                                   ("contact_year_interactions", "customer_rank_keys_year_update"),
                                   ("contact_year_interactions", "customer_rank_keys_year_delete"),
                                   ("contact_lifecycle_history", "customer_rank_keys_since_insert"),
                                   ("contact_lifecycle_history", "customer_rank_keys_since_update"),
                                   ("contact_lifecycle_history", "customer_rank_keys_since_delete")]

    /// Rows per INSERT: one round trip per batch, not per row.
    static let batchRows = 400

    /// Loads the rows `next` gives (in `SnapshotTable.all` order) into this
    /// database, which must hold no records yet, in one transaction.
    public func loadSnapshot(schemaVersion: Int, _ next: () throws -> SnapshotRow?) throws -> SnapshotLoadResult {
        guard schemaVersion <= PostgresDatabase.supportedSchemaVersion else {
            throw SnapshotLoadError.schemaTooNew(found: schemaVersion, supported: PostgresDatabase.supportedSchemaVersion)
        }
        // The rows come from a stream read once. The transaction runs its
        // body again after a lost connection: that attempt would load only
        // the rows not read yet and blame the source for the references to
        // the rest (QA 29 #19). A second attempt says what happened instead.
        var begun = false
        let result = try c.transaction(attempts: 1) {
            guard !begun else { throw SnapshotLoadError.connectionLost }
            begun = true
            var holding: [String] = []
            for table in SnapshotTable.all where table.name != "users" && table.name != "shared_settings" {
                let onlyOthers = table.name == "audit_log" ? " WHERE entity <> 'user'" : ""
                if try c.scalar("SELECT EXISTS (SELECT 1 FROM \(table.name)\(onlyOthers))") == "t" { holding.append(table.name) }
            }
            guard holding.isEmpty else { throw SnapshotLoadError.notEmpty(tables: holding) }
            // Opening the database may have made its first user (and audited
            // that); the copy's users come with their own ids instead.
            try c.run("DELETE FROM audit_log")
            try c.run("DELETE FROM users")
            try c.run("DELETE FROM shared_settings")
            // References are checked once all rows are in: a row may point to
            // a later one of its own table (a merged contact to its survivor).
            // The foreign keys are taken off and put back after the rows (all
            // inside this transaction): putting one back checks every row
            // with one join, where a deferred check runs one lookup per row
            // and reference (tens of minutes for a million interactions).
            let foreignKeys = ForeignKeys.dropAll(c)
            try c.run("SET CONSTRAINTS ALL DEFERRED")
            for name in Self.suspendedTriggers { try c.run("ALTER TABLE interactions DISABLE TRIGGER \(name)") }
            try PGDuplicateKeyCounts.suspend(c)
            try PGReportStoredFigures.suspend(c)
            for name in Self.boardTotalsTriggers { try c.run("ALTER TABLE deals DISABLE TRIGGER \(name)") }
            for (table, name) in Self.wonValuesTriggers { try c.run("ALTER TABLE \(table) DISABLE TRIGGER \(name)") }
            for (table, name) in Self.lifecycleSpansTriggers { try c.run("ALTER TABLE \(table) DISABLE TRIGGER \(name)") }
            for (table, name) in Self.rankKeysTriggers { try c.run("ALTER TABLE \(table) DISABLE TRIGGER \(name)") }
            var counts: [String: Int] = [:]
            var batch: [SnapshotRow] = []
            func flush() throws {
                guard let first = batch.first else { return }
                try insert(batch, into: first.table)
                counts[first.table.type, default: 0] += batch.count
                batch.removeAll(keepingCapacity: true)
            }
            while let row = try next() {
                guard row.values.count == row.table.columns.count else {
                    throw SnapshotLoadError.badRow(line: row.line, type: row.table.type,
                                                   message: "expected \(row.table.columns.count) values, got \(row.values.count)")
                }
                if let first = batch.first, first.table != row.table || first.absent != row.absent || batch.count >= Self.batchRows {
                    try flush()
                }
                batch.append(row)
            }
            try flush()
            // Statistics of the rows just loaded, before anything plans a query
            // over them: the value tiers' recompute at the commit and the
            // reference checks below were planned for empty tables (index
            // lookups in loops) and ran for tens of minutes at 100,000
            // contacts. ANALYZE counts this transaction's own rows. The copied
            // tables by name: a bare ANALYZE also analyses the server's shared
            // catalogs (pg_authid…) and holds their lock to COMMIT, so a second
            // `crm migrate` into another database of the server waited for
            // this whole load at its own ANALYZE.
            try c.run("ANALYZE " + SnapshotTable.all.map(\.name).joined(separator: ", "))
            // Before the customers' figures below are counted from it.
            try c.run(Self.recountLastContactSQL)
            // The lifecycle history's spans (schema 70), counted once from
            // the copied rows rather than again for each row of a contact.
            try c.run("SELECT crm_lifecycle_spans_recount_all()")
            // Its statistics were taken before the spans were written (the
            // ANALYZE above): the reports plan their ranges from these.
            try c.run("ANALYZE contact_lifecycle_history")
            for (table, name) in Self.lifecycleSpansTriggers { try c.run("ALTER TABLE \(table) ENABLE TRIGGER \(name)") }
            // The won values per customer (schema 67), counted once from the
            // copied rows before the tiers' deferred recompute ranks them: it
            // runs at SET CONSTRAINTS ALL IMMEDIATE below, not at the COMMIT.
            try c.run("SELECT crm_customer_won_values_recount()")
            try c.run("ANALYZE customer_won_values")
            // Each sum's tier and every contact's from them (schema 74), with
            // the database's stored policy, as the next won deal's commit would.
            try c.run("SELECT crm_value_tier_rank_all()")
            for (table, name) in Self.wonValuesTriggers { try c.run("ALTER TABLE \(table) ENABLE TRIGGER \(name)") }
            do {
                // In a savepoint: after a refusal the row at fault is looked up.
                try c.transaction {
                    try foreignKeys.restore(c)
                    try c.run("SET CONSTRAINTS ALL IMMEDIATE")
                }
            } catch let error as RepositoryError where c.lastError?.sqlState == "23503" {
                let refused = c.lastError
                throw Self.missingReference(refused, c) ?? error
            }
            for name in Self.suspendedTriggers { try c.run("ALTER TABLE interactions ENABLE TRIGGER \(name)") }
            // The duplicates key counts, counted once from the copied rows.
            try PGDuplicateKeyCounts.resume(c)
            try PGDuplicateKeyCounts.rebuild(c)
            try PGCustomerYearInteractions.recountAll(c)
            try PGCustomerActivity.recountAll(c)
            // The ranking keys (schema 69), once the window's counts and the
            // won values are counted.
            try c.run("SELECT crm_customer_rank_keys_recount()")
            try c.run("ANALYZE customer_rank_keys")
            for (table, name) in Self.rankKeysTriggers { try c.run("ALTER TABLE \(table) ENABLE TRIGGER \(name)") }
            // The People and Pipeline reports' stored figures (schema 43).
            try PGReportStoredFigures.resume(c)
            try PGReportStoredFigures.recountAll(c)
            // The board's column totals (schema 60), summed once from the copied deals.
            for name in Self.boardTotalsTriggers { try c.run("ALTER TABLE deals ENABLE TRIGGER \(name)") }
            try c.run("SELECT crm_deal_board_totals_recount()")
            try c.run("ANALYZE deal_board_totals")
            // The search documents are made by the engine (as it writes a
            // contact), so a copy that came as rows gets them all at once.
            try db.rebuildSearchDocuments()
            _ = try PGInteractionSearch.indexMissing(c)
            _ = try PGInteractionSearch.indexMissingDeals(c)
            // Each CRM user of the copy gets its database role and group, so
            // the roles hold on the server from the first login.
            try PGUserRepository(db: db).enrollAll()
            // New rows get ids after the copy's highest.
            for table in SnapshotTable.all where table.key == ["id"] {
                try c.run("SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM \(table.name)), false)")
            }
            return SnapshotLoadResult(counts: SnapshotTable.all.map { ($0.type, counts[$0.type] ?? 0) })
        }
        // The spans' count rewrote every history row: until autovacuum comes
        // by, the reports' ranges read each row's page as well as the index
        // (retention 35 → 8 ms at 100,000 contacts after a VACUUM). VACUUM
        // runs only outside a transaction, so after the COMMIT; the copy is
        // complete whether it runs or not.
        try? c.run("VACUUM (ANALYZE) contact_lifecycle_history")
        return result
    }

    /// One multi-row INSERT for rows of one table with the same columns. A
    /// refused batch is tried again row by row (each in a savepoint) to name
    /// the row at fault with its line.
    private func insert(_ rows: [SnapshotRow], into table: SnapshotTable) throws {
        let present = table.columns.indices.filter { !rows[0].absent.contains(table.columns[$0]) }
        let derived = Self.derivedKeys[table.name] ?? []
        let nameIndex = table.columns.firstIndex(of: "name")
        let names = (present.map { table.columns[$0] } + derived.map(\.column)).joined(separator: ", ")
        let width = present.count + derived.count
        func statement(_ count: Int) -> String {
            var n = 0
            let tuples = (0..<count).map { _ in
                "(" + (0..<width).map { _ in n += 1; return "$\(n)" }.joined(separator: ", ") + ")"
            }
            return "INSERT INTO \(table.name)(\(names)) VALUES " + tuples.joined(separator: ", ")
        }
        func values(_ row: SnapshotRow) -> [any PGBindable] {
            var out = present.map { Self.bindable(row.values[$0]) }
            if let nameIndex, case .text(let name) = row.values[nameIndex] {
                out += derived.map { $0.make(name) }
            } else {
                out += derived.map { _ in PGNull() }
            }
            return out
        }
        do {
            try c.transaction { _ = try c.query(statement(rows.count), rows.flatMap(values)) }
        } catch let batchError as RepositoryError {
            guard case .failed = batchError else { throw batchError }
            for row in rows {
                do {
                    try c.transaction { _ = try c.query(statement(1), values(row)) }
                } catch let error as RepositoryError {
                    guard case .failed = error else { throw error }
                    if table.name == "tags", c.lastError?.sqlState == "23505", let nameIndex, case .text(let name) = row.values[nameIndex] {
                        // A file last written by a crm before schema 78 may
                        // hold "Über" and "über" as two tags (QA 34 #1).
                        throw SnapshotLoadError.badRow(line: row.line, type: table.type, message: "'\(name)' differs from another tag "
                            + "only in its letters' case, and one tag per name is kept whatever the case: open the SQLite file once with "
                            + "this crm to write (crm --db FILE, then q), which merges such tags, and copy it again (a JSON copy: "
                            + "import it into a new SQLite file first)")
                    }
                    let message = c.lastError.map { [$0.message, $0.detail].compactMap { $0 }.joined(separator: ": ") } ?? "\(error)"
                    throw SnapshotLoadError.badRow(line: row.line, type: table.type, message: message)
                }
            }
            throw batchError
        }
    }

    /// Keys the engine derives from a name when it writes one (on SQLite
    /// triggers call the same CRMCore functions): the name order and the
    /// duplicate check's key.
    static let derivedKeys: [String: [(column: String, make: @Sendable (String) -> String)]] = [
        "contacts": [("sort_key", { NameSortKey.of($0) }), ("name_key", { DuplicateKey.name($0) })],
        "companies": [("sort_key", { NameSortKey.of($0) }), ("name_key", { DuplicateKey.name($0) })],
    ]

    /// "the contact with id 7 refers to a row of companies that is not in the
    /// file", from the server's words for a deferred foreign-key failure.
    /// The server names the key's column and the value nobody has; the row
    /// that holds it is looked up (the table and column only when they are
    /// ones of our own list, so nothing of the message reaches SQL unchecked).
    static func missingReference(_ error: PGError?, _ c: PGConnection) -> SnapshotLoadError? {
        guard let error else { return nil }
        let table = error.message.firstMatch(of: /on table "(\w+)"/).map { String($0.1) } ?? "?"
        let detail = error.detail ?? ""
        let refers = detail.firstMatch(of: /in table "(\w+)"/).map { String($0.1) } ?? "?"
        let known = SnapshotTable.all.first { $0.name == table }
        var id: Int64?
        if let key = detail.firstMatch(of: /Key \((\w+)\)=\((-?\d+)\)/), let known,
           known.columns.contains(String(key.1)), known.key == ["id"] {
            id = try? c.integer("SELECT id FROM \(known.name) WHERE \(key.1) = ?::bigint ORDER BY id LIMIT 1", [String(key.2)])
        }
        return .missingReference(type: known?.type ?? table, id: id, refersTo: refers)
    }
}

/// The schema's foreign keys, as the catalog states them, taken off for a
/// bulk load and put back after it (which checks every row at once).
/// The statements are made by the server from its catalog (`%I` quotes the
/// names), never from input.
struct ForeignKeys {
    let restoring: [String]

    /// Only the tables' owner may (the program's `crm migrate`); an admin
    /// loading a copy through their own role keeps the keys, checked at the
    /// end one row at a time: slower, the same result.
    static func dropAll(_ c: PGConnection) -> ForeignKeys {
        (try? c.transaction { try take(c) }) ?? ForeignKeys(restoring: [])
    }

    private static func take(_ c: PGConnection) throws -> ForeignKeys {
        let keys = try c.rows("""
            SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
            FROM pg_constraint
            WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
            ORDER BY conrelid::regclass::text, conname
            """) { ($0.string(0), $0.string(1)) }
        for (drop, _) in keys { try c.run(drop) }
        return ForeignKeys(restoring: keys.map(\.1))
    }

    func restore(_ c: PGConnection) throws {
        for statement in restoring { try c.run(statement) }
    }
}
