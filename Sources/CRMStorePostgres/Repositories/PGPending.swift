import CRMCore
import CRMRepositories
import Foundation

// PENDING (integration step of this session, replaced before it ends): the
// parts of the seam the PostgreSQL engine does not have yet. Each says so in
// one sentence instead of doing something else. Helpers replace these types
// with real ones in files of their own and delete them from this file.

func pgNotYet(_ what: String) -> RepositoryError {
    .unavailable(path: "PostgreSQL", reason: "\(what) is not available on PostgreSQL yet", nil)
}

public final class PGImportRepository: ImportRepository {
    let db: PostgresDatabase
    public init(db: PostgresDatabase) { self.db = db }
    public func importContacts(from source: inout any ImportSource, options: ImportOptions,
                               progress: ((ImportProgress) -> Void)?, onOutcome: (ImportOutcome) -> Void) throws -> ImportSummary {
        throw pgNotYet("import")
    }
    public func importBatches(limit: Int) throws -> [ImportBatch] { throw pgNotYet("import") }
    public func importBatch(_ id: Int64) throws -> ImportBatch? { throw pgNotYet("import") }
    public func undoImport(_ batchID: Int64, force: Bool) throws -> ImportUndoResult { throw pgNotYet("import") }
}
