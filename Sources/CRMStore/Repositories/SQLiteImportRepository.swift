import CRMCore
import CRMRepositories
import Foundation

/// `crm import` and `:import`: a file's contacts into the database as one
/// batch, in one transaction, through the bulk path (BulkLoader: cached
/// prepared inserts, the search-index triggers replaced by one set-based
/// backfill at the end). A dry run takes the same decisions on a read-only
/// connection and writes nothing.
public final class SQLiteImportRepository: ImportRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    /// The page cache of an import (KiB): enough for the indexes' hot pages,
    /// small enough that a million rows take the memory of ten thousand.
    static let cacheKiB = 8_192

    /// Whether a large import skips the lookups of rows `ImportKeyFilter`
    /// rules out; off only in tests that compare an import with and without it.
    var usesKeyFilter = true

    /// Told each phase of a real import and its duration (ms): BulkLoader's
    /// ("rows", the indexes built again, each backfill), and within "rows"
    /// the time spent reading the file and looking duplicates up. For `crm
    /// bench --only import`, which asks its `crm import` child for them
    /// (CRM_BENCH_IMPORT_PHASES); nil otherwise, and then nothing is timed.
    nonisolated(unsafe) public static var onPhase: ((String, Double) -> Void)?

    /// The contacts' columns an import leaves NULL in every row it writes.
    static let columnsLeftEmpty: Set<String> = ["deleted_at", "cadence_days", "attention_snoozed_until", "value_tier"]

    public func importContacts(from source: inout any ImportSource, options: ImportOptions,
                               progress: ((ImportProgress) -> Void)?, onOutcome: (ImportOutcome) -> Void) throws -> ImportSummary {
        HeapTrim.keepFreedMemory()
        var run = try ImportRun(db: db, options: options)
        run.usesKeyFilter = usesKeyFilter
        run.timesPhases = Self.onPhase != nil
        if options.dryRun || db.isReadOnly {
            guard options.dryRun else {
                throw RepositoryError.readOnly(Diagnostic(engine: "crm", code: 0, message: "import on a read-only database"))
            }
            try run.readAll(&source, progress: progress, onOutcome: onOutcome)
            return run.summary
        }
        let loader = BulkLoader(database: db, deferIndexing: true, cacheKiB: Self.cacheKiB)
        // What an import never writes in a row it creates or merges: the
        // trash time, a cadence, a snooze, a value tier (the nightly
        // recompute sets those). Partial indexes that need one of them stay.
        loader.columnsLeftEmpty = Self.columnsLeftEmpty
        // Its rows meet the contacts' CHECKs by construction (a lifecycle
        // from the enum, no value tier), so SQLite need not test them per row.
        loader.skipsCheckConstraints = true
        loader.onPhase = Self.onPhase
        return try loader.load { loader in
            try run.begin(loader)
            try run.readAll(&source, progress: progress, onOutcome: onOutcome)
            Self.onPhase?("rows: reading the file", run.readingMs)
            Self.onPhase?("rows: duplicate lookups (\(run.lookups) rows looked up)", run.lookupMs)
            // All or nothing: one rejected row refuses the lot unless asked
            // to skip them (the rollback takes the batch row with it).
            if run.summary.rejected > 0 && !options.skipInvalid { throw ImportRefused(summary: run.summary) }
            try run.finish()
            return run.summary
        }
    }

    public func importBatches(limit: Int) throws -> [ImportBatch] {
        guard try hasBatches() else { return [] }
        return try c.rows("\(Self.batchSelect) ORDER BY b.id DESC LIMIT ?", [limit], Self.batch)
    }

    public func importBatch(_ id: Int64) throws -> ImportBatch? {
        guard try hasBatches() else { return nil }
        return try c.first("\(Self.batchSelect) WHERE b.id = ?", [id], Self.batch)
    }

    /// A file read as it is at an older schema has no batches table.
    private func hasBatches() throws -> Bool {
        (try c.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'import_batches'") ?? 0) > 0
    }

    static let batchSelect = """
        SELECT b.id, b.label, b.format, u.login, b.created_at, b.rows_read, b.created_count, b.merged_count,
               b.skipped_count, b.rejected_count, b.companies_created, b.undone_at, v.login
        FROM import_batches b LEFT JOIN users u ON u.id = b.user_id LEFT JOIN users v ON v.id = b.undone_by
        """

    static func batch(_ row: Row) -> ImportBatch {
        ImportBatch(id: row.int64(0), label: row.string(1), format: row.string(2), userLogin: row.optionalString(3),
                    at: row.date(4), rowsRead: row.int(5), created: row.int(6), merged: row.int(7), skipped: row.int(8),
                    rejected: row.int(9), companiesCreated: row.int(10), undoneAt: row.optionalDate(11),
                    undoneBy: row.optionalString(12))
    }
}
