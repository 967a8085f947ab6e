import CRMCore
import CRMRepositories
import Foundation

/// Writes many rows fast, for demo data, benchmarks and (later) imports: one
/// transaction, plain INSERTs through cached prepared statements, no audit
/// rows (a bulk load is not a user's edit), and, with `deferIndexing`, the
/// per-row insert triggers replaced by one set-based backfill per table at the
/// end (see InsertTrigger, and RowKeyTrigger for the derived keys' triggers).
/// The change counters (schema step 5) are bumped once per kind of record
/// loaded, not by a trigger per row (that cost a quarter of a 20,000-contact
/// demo fill). Values are written as given: callers validate.
///
///     try BulkLoader(database: db).load { loader in
///         let id = try loader.insert(company)
///         ...
///     }
public final class BulkLoader {
    let db: Database
    var c: Connection { db.connection }
    public let deferIndexing: Bool
    private var tagIDs: [String: Int64] = [:]
    /// The kinds of records this load wrote, for the change counters.
    private var loaded = ChangeSet.none

    /// Tables whose secondary indexes are dropped during the load and built
    /// again at the end: building an index by sorting once beats a million
    /// random inserts into it, when the load is large next to the table.
    public let rebuildIndexesOf: [String]

    /// Told the name and duration (ms) of each phase of a load, for
    /// benchmarks: "rows", "indexes", then each backfill by trigger name.
    public var onPhase: ((String, Double) -> Void)?

    /// The page cache during the load, in KiB. 256 MiB by default: demo
    /// fills touch index pages all over the file. An import asks for less, so
    /// its memory stays flat however long the file is (pages beyond the
    /// cache spill into the WAL, still uncommitted).
    public let cacheKiB: Int

    /// The in-memory size (KiB) each FTS5 table's pending terms may reach
    /// during the backfills before they are written out as a segment; nil:
    /// FTS5's own 1 MiB. A segment per MiB means thousands of segments for
    /// ten million interactions, merged again and again; 256 MiB cut the
    /// interaction index's build by a third (15.4 → 10.1 s of CPU at a
    /// million interactions). The setting is removed from each table's
    /// configuration before COMMIT, so the file is as a normal load leaves it.
    public var ftsHashKiB: Int?

    /// Columns this load writes NULL in every row (a demo fill: the trash
    /// time, the import batch, ...). A partial index of `rebuildIndexesOf`
    /// whose WHERE needs one of them IS NOT NULL stays in place during the
    /// load: no loaded row enters it, while building it again afterwards
    /// would read the whole table (ten million interactions) to find none.
    public var columnsLeftEmpty: Set<String> = []

    /// Whether `indexSQL` (a CREATE INDEX statement) has a WHERE clause one
    /// of whose AND-ed terms is `column IS NOT NULL` for a column in `columnsLeftEmpty`.
    static func staysEmpty(indexSQL: String, columnsLeftEmpty: Set<String>) -> Bool {
        guard !columnsLeftEmpty.isEmpty, let whereRange = indexSQL.range(of: " WHERE ", options: [.caseInsensitive, .backwards])
        else { return false }
        let terms = indexSQL[whereRange.upperBound...].components(separatedBy: " AND ")
        return terms.contains { term in
            let words = term.split(whereSeparator: \.isWhitespace).map { $0.uppercased() }
            return words.count == 4 && words[1...] == ["IS", "NOT", "NULL"] && columnsLeftEmpty.contains(words[0].lowercased())
        }
    }

    /// Whether the derived tables' insert triggers (DerivedTableTrigger) are
    /// replaced by one statement each at the end. Only for a load that
    /// inserts and changes nothing, as a demo fill; an import keeps them.
    public var suspendsDerivedTriggers = false

    /// Whether the rows the body writes skip the tables' CHECK constraints
    /// (`PRAGMA ignore_check_constraints` from the body's start to its end;
    /// back on before the backfills and COMMIT, and on a rollback). Only for
    /// a caller whose values satisfy them by construction, as an import's do:
    /// the loaded tables' only CHECKs are the contacts' `lifecycle IN (…)`,
    /// written from `Lifecycle`'s raw values, and `value_tier IN (…)`, which
    /// a load never writes (`columnsLeftEmpty`). SQLite builds a temporary
    /// b-tree of each IN list for every row it checks: two per contact, a
    /// twentieth of an import's processor time.
    public var skipsCheckConstraints = false

    /// Helper threads SQLite's sorter may use to build the rebuilt indexes
    /// (`PRAGMA threads`); 0 keeps the sort on this thread.
    public var sorterThreads = 0

    public init(database: Database, deferIndexing: Bool = true, rebuildIndexesOf: [String] = [], cacheKiB: Int = 262_144) {
        self.db = database
        self.deferIndexing = deferIndexing
        self.rebuildIndexesOf = rebuildIndexesOf
        self.cacheKiB = cacheKiB
    }

    /// The tables a bulk load writes many rows to: `rebuildIndexesOf` for a
    /// load that is large next to what the file holds (a demo or bench fill).
    public static let loadedTables = [
        "companies", "contacts", "contact_emails", "contact_phones", "contact_tags", "deals", "deal_stage_history",
        "interactions", "follow_ups",
    ]

    /// Runs `body` in one write transaction. With `deferIndexing`, the insert
    /// triggers are dropped first and recreated, after their backfills, before
    /// COMMIT; if `body` throws, the rollback restores them too. With
    /// `discard`, everything is done except the COMMIT: the transaction is
    /// rolled back (benchmarks measure inserts without keeping them).
    public func load<T>(discard: Bool = false, _ body: (BulkLoader) throws -> T) throws -> T {
        var discarded: T?
        do {
            return try c.transaction {
                pendingInteractions.removeAll()
                loaded = .none
                var phaseStart = DispatchTime.now().uptimeNanoseconds
                func phase(_ name: String) {
                    let now = DispatchTime.now().uptimeNanoseconds
                    onPhase?(name, Double(now - phaseStart) / 1e6)
                    phaseStart = now
                }
                var watermarks: [String: Int64] = [:]
                // A bulk load touches index pages all over the file; with the
                // normal 16 MB page cache they are written out and read back
                // again and again.
                let cacheSize = try c.scalar("PRAGMA cache_size") ?? -16000
                try c.execute("PRAGMA cache_size = \(-cacheKiB)")
                defer { try? c.execute("PRAGMA cache_size = \(cacheSize)") }
                if deferIndexing {
                    for trigger in InsertTrigger.all {
                        if trigger.backfillSQL != nil && watermarks[trigger.table] == nil {
                            // Table names come from our own constant list, not from input.
                            watermarks[trigger.table] = try c.scalar("SELECT coalesce(max(rowid), 0) FROM \(trigger.table)") ?? 0
                        }
                        try c.execute("DROP TRIGGER IF EXISTS \(trigger.name)")
                    }
                }
                // The key triggers, as the file defines them (RowKeyTrigger).
                var keyTriggers: [(trigger: RowKeyTrigger, sql: String, watermark: Int64)] = []
                if deferIndexing {
                    for trigger in RowKeyTrigger.all {
                        guard let sql = try c.first("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                                    [trigger.name], { $0.string(0) }) else { continue }
                        let watermark = try c.scalar("SELECT coalesce(max(rowid), 0) FROM \(trigger.table)") ?? 0
                        try c.execute("DROP TRIGGER \"\(trigger.name)\"")
                        keyTriggers.append((trigger, sql, watermark))
                    }
                }
                // The derived tables' triggers (DerivedTableTrigger), for a fill that asks.
                var derivedTriggers: [(trigger: DerivedTableTrigger, sql: [String], watermark: Int64)] = []
                if deferIndexing {
                    for trigger in DerivedTableTrigger.all where suspendsDerivedTriggers || trigger.everyLoad {
                        let sql = try trigger.names.compactMap { name in
                            try c.first("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name], { $0.string(0) })
                        }
                        // A file without one of them keeps them all, row by row.
                        guard sql.count == trigger.names.count else { continue }
                        let watermark = try c.scalar("SELECT coalesce(max(rowid), 0) FROM \(trigger.table)") ?? 0
                        for name in trigger.names { try c.execute("DROP TRIGGER \"\(name)\"") }
                        derivedTriggers.append((trigger, sql, watermark))
                    }
                }
                // The change counters' triggers, as the schema defines them,
                // are recreated before COMMIT (or restored by the rollback).
                let counterTriggers = try c.rows(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'change\\_counter\\_%' ESCAPE '\\'"
                ) { ($0.string(0), $0.string(1)) }
                for (name, _) in counterTriggers { try c.execute("DROP TRIGGER \"\(name)\"") }
                // The index definitions come from the schema itself, so they are
                // rebuilt exactly as they were.
                var indexes: [String] = []
                for table in rebuildIndexesOf {
                    let found = try c.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                                           [table]) { ($0.string(0), $0.string(1)) }
                    for (name, sql) in found where !Self.staysEmpty(indexSQL: sql, columnsLeftEmpty: columnsLeftEmpty) {
                        try c.execute("DROP INDEX \"\(name)\"")
                        indexes.append(sql)
                    }
                }
                deferredIndexes = []
                // Setting the flag expires the prepared statements; each is
                // compiled again (with or without the checks) on its next run.
                if skipsCheckConstraints { try c.execute("PRAGMA ignore_check_constraints = ON") }
                let result: T
                do {
                    result = try body(self)
                } catch {
                    // The connection outlives the load (the screen's :import).
                    if skipsCheckConstraints { try? c.execute("PRAGMA ignore_check_constraints = OFF") }
                    throw error
                }
                if skipsCheckConstraints { try c.execute("PRAGMA ignore_check_constraints = OFF") }
                try flushInteractions()
                phase("rows")
                for (trigger, sql, watermark) in keyTriggers {
                    try c.run(trigger.backfillSQL, [watermark])
                    try c.execute(sql)
                    phase(trigger.name)
                }
                let rebuilds = !indexes.isEmpty || !deferredIndexes.isEmpty
                try buildIndexes(indexes)
                try buildIndexes(deferredIndexes)
                deferredIndexes = []
                if rebuilds { phase("indexes") }
                for (trigger, sql, watermark) in derivedTriggers {
                    for backfill in trigger.backfills { try c.run(backfill, [watermark]) }
                    for create in sql { try c.execute(create) }
                    phase(trigger.names[0])
                }
                if deferIndexing {
                    // FTS5 merges segments while inserting ("automerge"); for one
                    // big backfill that merging is most of the cost (8.4 s → 4.9 s
                    // for 1M interactions). Later writes merge again as usual.
                    // Tables the schema made without an automerge setting of their
                    // own (FTS5's default, 4) are left without one again afterwards.
                    var ownAutomerge: Set<String> = []
                    for table in InsertTrigger.ftsTables
                    where try c.scalar("SELECT count(*) FROM \(table)_config WHERE k = 'automerge'") ?? 0 > 0 {
                        ownAutomerge.insert(table)
                    }
                    for table in InsertTrigger.ftsTables {
                        try c.execute("INSERT INTO \(table)(\(table), rank) VALUES ('automerge', 0)")
                        if let ftsHashKiB {
                            try c.execute("INSERT INTO \(table)(\(table), rank) VALUES ('hashsize', \(ftsHashKiB * 1024))")
                        }
                    }
                    for trigger in InsertTrigger.all {
                        if let backfill = trigger.backfillSQL {
                            try c.run(backfill, [watermarks[trigger.table] ?? 0])
                            phase(trigger.name)
                        }
                        try c.execute(trigger.createSQL)
                    }
                    for table in InsertTrigger.ftsTables {
                        try c.execute("INSERT INTO \(table)(\(table), rank) VALUES ('automerge', \(InsertTrigger.ftsAutomerge))")
                        if !ownAutomerge.contains(table) {
                            try c.withDefensiveOff { try c.execute("DELETE FROM \(table)_config WHERE k = 'automerge'") }
                        }
                        // Back to FTS5's default, which a table made by the schema
                        // has no row for. This connection's FTS5 keeps the large size
                        // until it closes: only bulk loads' connections ask for it.
                        if ftsHashKiB != nil {
                            try c.withDefensiveOff { try c.execute("DELETE FROM \(table)_config WHERE k = 'hashsize'") }
                        }
                    }
                }
                for (_, sql) in counterTriggers { try c.execute(sql) }
                for (name, kind) in ChangeSet.kinds where loaded.contains(kind) {
                    try c.run("UPDATE change_counters SET counter = counter + 1 WHERE kind = ?", [name])
                }
                if discard {
                    discarded = result
                    throw DiscardedLoad()
                }
                return result
            }
        } catch is DiscardedLoad {
            return discarded!
        }
    }

    /// Index definitions dropped by `deferIndexes` during this load, built
    /// again (from the same SQL) after the body, before the backfills.
    private var deferredIndexes: [String] = []

    /// Drops the plain secondary indexes of `tables`, except those named in
    /// `keeping`, until the body ends; they are then built again exactly as
    /// the schema defines them, in the same transaction (a rollback brings
    /// them back too). Sorting the table once beats a random insert into
    /// each index per row when the load is large next to the table; the
    /// caller keeps the indexes its own lookups need during the load.
    /// UNIQUE indexes are never dropped: they are constraints. Nor is a
    /// partial index no loaded row enters (`columnsLeftEmpty`): building it
    /// again would read the whole table to find the rows it had already.
    public func deferIndexes(of tables: [String], keeping: Set<String>) throws {
        for table in tables {
            let found = try c.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                                   [table]) { ($0.string(0), $0.string(1)) }
            for (name, sql) in found where !keeping.contains(name) && !sql.uppercased().contains("UNIQUE")
                && !Self.staysEmpty(indexSQL: sql, columnsLeftEmpty: columnsLeftEmpty) {
                try c.execute("DROP INDEX \"\(name)\"")
                deferredIndexes.append(sql)
            }
        }
    }

    /// Runs the CREATE INDEX statements `deferIndexes` (an import's) or
    /// `rebuildIndexesOf` put off.
    /// Each sorts the whole table, and the connection keeps temporary storage
    /// in memory (PRAGMA temp_store), which would hold that sort's spill in
    /// the heap: 90 MiB more for an index of a million contacts. For these
    /// builds it is on disk (deleted on close), so memory stays flat however
    /// large the table is.
    private func buildIndexes(_ statements: [String]) throws {
        guard !statements.isEmpty else { return }
        let tempStore = try c.scalar("PRAGMA temp_store") ?? 0
        // Refused only while temporary tables exist; the build then runs as before.
        try? c.execute("PRAGMA temp_store = FILE")
        defer { try? c.execute("PRAGMA temp_store = \(tempStore)") }
        let threads = try c.scalar("PRAGMA threads") ?? 0
        if sorterThreads > 0 { try c.execute("PRAGMA threads = \(sorterThreads)") }
        defer { try? c.execute("PRAGMA threads = \(threads)") }
        for sql in statements { try c.execute(sql) }
    }

    /// Inserts or finds a user by login.
    public func user(login: String, name: String, createdAt: Date) throws -> Int64 {
        loaded.insert(.users)
        // The first user of a database is its admin; the others are reps.
        try c.run("INSERT INTO users(login, name, created_at, role) "
                  + "VALUES (?, ?, ?, CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'rep' ELSE 'admin' END) ON CONFLICT(login) DO NOTHING",
                  [login, name, createdAt])
        return try c.scalar("SELECT id FROM users WHERE login = ?", [login]) ?? 0
    }

    /// `batchID`: the import batch that creates it (schema 14), nil otherwise.
    public func insert(_ company: Company, batchID: Int64? = nil) throws -> Int64 {
        loaded.insert(.companies)
        try c.run("""
            INSERT INTO companies(name, sort_key, name_key, domain, phone, address, notes, owner_id, created_at, updated_at, batch_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [company.name, NameSortKey.of(company.name), DuplicateKey.name(company.name), company.domain, company.phone, company.address, company.notes, company.ownerID,
                  company.createdAt, company.updatedAt, batchID])
        return c.lastInsertRowID
    }

    /// Inserts a contact with its emails, phones and tags. `batchID`: the
    /// import batch that creates it (schema 14), nil otherwise.
    public func insert(_ contact: Contact, lastInteractionAt: Date? = nil, batchID: Int64? = nil) throws -> Int64 {
        try insert(contact, keys: ContactKeys(contact, region: db.phoneRegion), lastInteractionAt: lastInteractionAt, batchID: batchID)
    }

    /// The same, with the contact's keys computed already (an import
    /// computes them once a row, for its duplicate lookup and this insert).
    func insert(_ contact: Contact, keys: ContactKeys, lastInteractionAt: Date? = nil, batchID: Int64? = nil) throws -> Int64 {
        loaded.insert(.contacts)
        // Bound value by value (no [SQLBindable] array per row): these four
        // statements run for every row of an import or a demo fill.
        let insert = try statement(&contactInsert, Self.contactInsertSQL)
        insert.reset()
        try insert.bind(1, contact.name)
        try insert.bind(2, keys.sortKey)
        try insert.bind(3, keys.nameKey)
        try insert.bind(4, contact.title)
        try insert.bind(5, contact.companyID)
        try insert.bind(6, contact.ownerID)
        try insert.bind(7, contact.lifecycle.rawValue)
        try insert.bind(8, contact.source)
        try insert.bind(9, contact.notes)
        try insert.bind(10, lastInteractionAt.map(Self.seconds))
        try insert.bind(11, Self.seconds(contact.createdAt))
        try insert.bind(12, Self.seconds(contact.updatedAt))
        try insert.bind(13, batchID)
        try insert.bind(14, contact.uid)
        while try insert.step() {}
        let id = c.lastInsertRowID
        if !contact.emails.isEmpty {
            let email = try statement(&emailInsert, "INSERT INTO contact_emails(contact_id, email, label, position) VALUES (?, ?, ?, ?)")
            for (i, address) in contact.emails.enumerated() {
                email.reset()
                try email.bind(1, id)
                try email.bind(2, address.address)
                try email.bind(3, address.label)
                try email.bind(4, Int64(i))
                while try email.step() {}
            }
        }
        if !contact.phones.isEmpty {
            let phone = try statement(&phoneInsert, """
                INSERT INTO contact_phones(contact_id, number, digits, e164, match_key, label, position) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for (i, (number, key)) in zip(contact.phones, keys.phones).enumerated() {
                phone.reset()
                try phone.bind(1, id)
                try phone.bind(2, number.number)
                try phone.bind(3, key.digits)
                try phone.bind(4, key.e164)
                try phone.bind(5, key.matchKey)
                try phone.bind(6, number.label)
                try phone.bind(7, Int64(i))
                while try phone.step() {}
            }
        }
        if !contact.tags.isEmpty {
            let tagged = try statement(&tagInsert, "INSERT INTO contact_tags(contact_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
            for tag in contact.tags {
                let tagID = try tagID(tag)
                tagged.reset()
                try tagged.bind(1, id)
                try tagged.bind(2, tagID)
                while try tagged.step() {}
            }
        }
        return id
    }

    /// The four inserts of a contact, kept here once prepared: the
    /// connection's cache would hash each statement's text again for every row.
    private var contactInsert: Statement?
    private var emailInsert: Statement?
    private var phoneInsert: Statement?
    private var tagInsert: Statement?

    private func statement(_ kept: inout Statement?, _ sql: String) throws -> Statement {
        if let kept { return kept }
        let prepared = try c.prepare(sql)
        kept = prepared
        return prepared
    }

    static let contactInsertSQL = """
        INSERT INTO contacts(name, sort_key, name_key, title, company_id, owner_id, lifecycle, source, notes, last_interaction_at,
                             created_at, updated_at, batch_id, uid)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    func tagID(_ typed: String) throws -> Int64 {
        // One tag per name whatever its letters' case (schema 78), its accents composed.
        let name = TagName.stored(typed)
        let key = TagName.key(name)
        if let id = tagIDs[key] { return id }
        try c.run("INSERT INTO tags(name) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM tags WHERE crm_tag_key(name) = crm_tag_key(?))",
                  [name, name])
        let id = try c.scalar("SELECT id FROM tags WHERE crm_tag_key(name) = crm_tag_key(?)", [name]) ?? 0
        tagIDs[key] = id
        return id
    }

    /// Inserts a pipeline and its stages (in the order given); returns the stages with their ids.
    public func insert(_ pipeline: Pipeline, stages: [Stage], createdAt: Date) throws -> (Pipeline, [Stage]) {
        loaded.insert(.pipelines)
        try c.run("INSERT INTO pipelines(name, position, created_at) VALUES (?, ?, ?)",
                  [pipeline.name, pipeline.position, createdAt])
        var saved = pipeline
        saved.id = c.lastInsertRowID
        saved.version = 1
        var out: [Stage] = []
        for (i, stage) in stages.enumerated() {
            try c.run("INSERT INTO stages(pipeline_id, name, position, probability, kind, rot_days) VALUES (?, ?, ?, ?, ?, ?)",
                      [saved.id, stage.name, i, stage.probability, stage.kind.rawValue, stage.rotDays])
            var s = stage
            s.id = c.lastInsertRowID
            s.pipelineID = saved.id
            s.position = i
            s.version = 1
            out.append(s)
        }
        return (saved, out)
    }

    /// An existing pipeline with this name and exactly these stages (any order), if there is one.
    public func pipeline(named name: String, stageNames: [String]) throws -> (Pipeline, [Stage])? {
        for pipeline in try db.pipelines.pipelines() where pipeline.name == name {
            let stages = try db.pipelines.stages(pipelineID: pipeline.id)
            if stages.map(\.name).sorted() == stageNames.sorted() { return (pipeline, stages) }
        }
        return nil
    }

    /// Inserts a deal and its stage history (`history` in time order, the first with no from-stage).
    public func insert(_ deal: Deal, history: [StageChange]) throws -> Int64 {
        loaded.insert(.deals)
        try c.run("""
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, expected_close, owner_id, contact_id,
                              company_id, status, lost_reason, stage_entered_at, position, created_at, updated_at, closed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [deal.pipelineID, deal.stageID, deal.title, deal.value.minorUnits, deal.value.currency.code,
                  deal.expectedClose, deal.ownerID, deal.contactID, deal.companyID, deal.status.rawValue,
                  deal.lostReason, deal.stageEnteredAt, deal.position, deal.createdAt, deal.updatedAt, deal.closedAt])
        let id = c.lastInsertRowID
        for change in history {
            try c.run("INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)",
                      [id, change.fromStageID, change.toStageID, change.changedAt, change.changedBy])
        }
        return id
    }

    /// A contact's change of lifecycle at a time (the history the reports
    /// read for conversion, retention and lifespan), as the contacts'
    /// trigger records an edit; `contactID` a contact this load inserted.
    public func insertLifecycleChange(contactID: Int64, from: Lifecycle, to: Lifecycle, at: Date, by: Int64?) throws {
        try c.run("""
            INSERT INTO contact_lifecycle_history(contact_id, from_lifecycle, to_lifecycle, changed_at, changed_by)
            VALUES (?, ?, ?, ?, ?)
            """, [contactID, from.rawValue, to.rawValue, at, by])
    }

    /// Queues an interaction; queued rows are written in batches sorted by
    /// (contact, time), so the inserts into `interactions_by_contact` walk its
    /// pages in order instead of jumping all over the file. The batch is
    /// written before `load` finishes its body; rowids follow the sorted order.
    public func insert(_ i: Interaction) throws {
        // A contact's last-contact time moves with its interactions.
        loaded.formUnion(i.contactID == nil ? .interactions : [.interactions, .contacts])
        pendingInteractions.append(i)
        if pendingInteractions.count >= Self.interactionBatch { try flushInteractions() }
    }

    /// Rows queued before they are sorted and written; bounds the memory a
    /// bulk load holds (about 25 MB at 100,000 typical interactions).
    static let interactionBatch = 100_000
    /// Rows per INSERT statement: one statement run per 32 rows instead of per
    /// row (384 parameters, far below SQLite's limit).
    static let rowsPerInsert = 32
    private var pendingInteractions: [Interaction] = []

    static let interactionColumns = """
        contact_id, company_id, deal_id, kind, direction, occurred_at, duration_s, outcome, subject, body, author_id, created_at
        """
    static func interactionInsertSQL(rows: Int) -> String {
        let one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        return "INSERT INTO interactions(\(interactionColumns)) VALUES " + Array(repeating: one, count: rows).joined(separator: ", ")
    }

    /// Writes the queued interactions, sorted by (contact, time) — by their
    /// queue position after that, so the order is the same on every run.
    func flushInteractions() throws {
        guard !pendingInteractions.isEmpty else { return }
        var order = Array(pendingInteractions.indices)
        pendingInteractions.withUnsafeBufferPointer { rows in
            order.sort { a, b in
                let x = rows[a], y = rows[b]
                if x.contactID != y.contactID { return (x.contactID ?? 0) < (y.contactID ?? 0) }
                if x.occurredAt != y.occurredAt { return x.occurredAt < y.occurredAt }
                return a < b
            }
        }
        let perStatement = Self.rowsPerInsert
        let batch = try c.prepare(Self.interactionInsertSQL(rows: perStatement))
        var start = 0
        while start < order.count {
            let n = min(perStatement, order.count - start)
            let statement = n == perStatement ? batch : try c.prepare(Self.interactionInsertSQL(rows: n))
            statement.reset()
            for k in 0..<n {
                let i = pendingInteractions[order[start + k]]
                let p = Int32(k * 12)
                try statement.bind(p + 1, i.contactID)
                try statement.bind(p + 2, i.companyID)
                try statement.bind(p + 3, i.dealID)
                try statement.bind(p + 4, i.kind.rawValue)
                try statement.bind(p + 5, i.direction.rawValue)
                try statement.bind(p + 6, Self.seconds(i.occurredAt))
                try statement.bind(p + 7, i.durationSeconds.map(Int64.init))
                try statement.bind(p + 8, i.outcome)
                try statement.bind(p + 9, i.subject)
                try statement.bind(p + 10, i.body)
                try statement.bind(p + 11, i.authorID)
                try statement.bind(p + 12, Self.seconds(i.createdAt))
            }
            while try statement.step() {}
            start += n
        }
        pendingInteractions.removeAll(keepingCapacity: true)
    }

    /// As `Date.sqlValue` stores it: whole seconds since 1970.
    static func seconds(_ date: Date) -> Int64 { date.wholeSecondsSince1970 }

    public func insert(_ f: FollowUp, createdBy: Int64?) throws {
        loaded.insert(.followUps)
        try c.run("""
            INSERT INTO follow_ups(contact_id, deal_id, assignee_id, title, note, due_at, status, done_at, created_by,
                                   created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [f.contactID, f.dealID, f.assigneeID, f.title, f.note, f.dueAt, f.status.rawValue, f.doneAt, createdBy,
                  f.createdAt, f.doneAt ?? f.createdAt])
    }
}

/// Thrown inside a discarded load's transaction to roll it back.
private struct DiscardedLoad: Error {}
