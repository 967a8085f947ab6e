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

public final class PGExportRepository: ExportRepository {
    let db: PostgresDatabase
    var snapshots: PGSnapshotStore { PGSnapshotStore(db: db) }
    public init(db: PostgresDatabase) { self.db = db }
    public func consistentRead<T>(_ body: () throws -> T) throws -> T { try snapshots.consistentRead(body) }
    public func contactFieldCounts() throws -> ContactFieldCounts { throw pgNotYet("export") }
    public func contacts(after id: Int64?, limit: Int) throws -> [ExportContact] { throw pgNotYet("export") }
    public func companies(after id: Int64?, limit: Int) throws -> [ExportCompany] { throw pgNotYet("export") }
    public func deals(after id: Int64?, limit: Int) throws -> [ExportDeal] { throw pgNotYet("export") }
    public func interactions(after id: Int64?, limit: Int) throws -> [ExportInteraction] { throw pgNotYet("export") }
    public func followUps(after id: Int64?, limit: Int) throws -> [ExportFollowUp] { throw pgNotYet("export") }
    public var snapshotSchemaVersion: Int { snapshots.snapshotSchemaVersion }
    public func snapshotRows(_ table: SnapshotTable, after key: [SnapshotValue]?, limit: Int) throws -> [SnapshotRow] {
        try snapshots.snapshotRows(table, after: key, limit: limit)
    }
    public func snapshotCount(_ table: SnapshotTable) throws -> Int { try snapshots.snapshotCount(table) }
    public func loadSnapshot(schemaVersion: Int, _ next: () throws -> SnapshotRow?) throws -> SnapshotLoadResult {
        try snapshots.loadSnapshot(schemaVersion: schemaVersion, next)
    }
}

public final class PGReassigner: ReassignRepository {
    let db: PostgresDatabase
    public init(db: PostgresDatabase) { self.db = db }
    public func reassign(_ items: [ReassignItem], to ownerID: Int64) throws -> Reassignment { throw pgNotYet("reassigning") }
    public func undoReassign(_ reassignment: Reassignment) throws -> ReassignUndo { throw pgNotYet("reassigning") }
}

extension PGListingRepository: ListingRepository {
    public func deals(_ filter: DealListFilter, afterID: Int64?, limit: Int) throws -> [DealCard] { throw pgNotYet("listing deals") }
    public func openFollowUps(companyID: Int64) throws -> [FollowUpRow] { throw pgNotYet("a company's follow-ups") }
}
