import CRMCore
import CRMRepositories
import Foundation

/// `crm import` and `:import` on PostgreSQL: a file's contacts into the
/// database as one batch in ONE transaction (a failure or a killed process
/// leaves nothing), with the same decisions, rows, batch bookkeeping and
/// audit entry as SQLiteImportRepository. A dry run takes the same decisions
/// in a transaction that is rolled back, writing nothing.
public final class PGImportRepository: ImportRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    public func importContacts(from source: inout any ImportSource, options: ImportOptions,
                               progress: ((ImportProgress) -> Void)?, onOutcome: (ImportOutcome) -> Void) throws -> ImportSummary {
        var run = try PGImportRun(db: db, options: options)
        var started = false
        do {
            // One attempt only: the rows are read as they stream in, so a
            // transaction cannot be run again after a serialization failure
            // or a lost connection; the import says so and nothing is written.
            return try c.transaction(attempts: 1) {
                guard !started else { throw Self.interrupted }
                started = true
                if !options.dryRun { try run.begin() }
                try run.readAll(&source, progress: progress, onOutcome: onOutcome)
                if options.dryRun { throw DryRunFinished() }
                // All or nothing: one rejected row refuses the lot unless asked
                // to skip them (the rollback takes the batch row with it).
                if run.summary.rejected > 0 && !options.skipInvalid { throw ImportRefused(summary: run.summary) }
                try run.finish(onOutcome: onOutcome)
                return run.summary
            }
        } catch is DryRunFinished {
            return run.summary
        }
    }

    /// Ends a dry run's transaction by rolling it back.
    private struct DryRunFinished: Error {}

    static let interrupted = RepositoryError.unavailable(
        path: "PostgreSQL", reason: "the connection to the server was lost during the import; nothing was imported, run it again", nil)

    public func importBatches(limit: Int) throws -> [ImportBatch] {
        try c.rows("\(Self.batchSelect) ORDER BY b.id DESC LIMIT ?::bigint", [limit], Self.batch)
    }

    public func importBatch(_ id: Int64) throws -> ImportBatch? {
        try c.first("\(Self.batchSelect) WHERE b.id = ?::bigint", [id], Self.batch)
    }

    static let batchSelect = """
        SELECT b.id, b.label, b.format, u.login, b.created_at, b.rows_read, b.created_count, b.merged_count,
               b.skipped_count, b.rejected_count, b.companies_created, b.undone_at, v.login
        FROM import_batches b LEFT JOIN users u ON u.id = b.user_id LEFT JOIN users v ON v.id = b.undone_by
        """

    static func batch(_ row: PGRow) -> ImportBatch {
        ImportBatch(id: row.int64(0), label: row.string(1), format: row.string(2), userLogin: row.optionalString(3),
                    at: row.date(4), rowsRead: Int(row.int64(5)), created: Int(row.int64(6)), merged: Int(row.int64(7)),
                    skipped: Int(row.int64(8)), rejected: Int(row.int64(9)), companiesCreated: Int(row.int64(10)),
                    undoneAt: row.optionalDate(11), undoneBy: row.optionalString(12))
    }
}
