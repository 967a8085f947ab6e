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

public final class PGTrashRepository: TrashRepository {
    let db: PostgresDatabase
    public init(db: PostgresDatabase) { self.db = db }
    public func entries(kind: TrashKind?, after cursor: TrashCursor?, limit: Int) throws -> [TrashEntry] { throw pgNotYet("the trash list") }
    public func count(kind: TrashKind?) throws -> Int { throw pgNotYet("the trash list") }
    public func trash(_ kind: TrashKind, _ id: Int64) throws { try PGTrash(db: db).trash(kind, id) }
    public func restore(_ kind: TrashKind, _ id: Int64) throws -> TrashRestore { try PGTrash(db: db).restore(kind, id) }
    public func purge(kind: TrashKind?, deletedBefore before: Date?) throws -> TrashPurge { throw pgNotYet("emptying the trash") }
    public func purgeExpired(days: Int) throws -> TrashPurge { throw pgNotYet("emptying the trash") }
}

extension PGListingRepository: ListingRepository {
    public func deals(_ filter: DealListFilter, afterID: Int64?, limit: Int) throws -> [DealCard] { throw pgNotYet("listing deals") }
    public func openFollowUps(companyID: Int64) throws -> [FollowUpRow] { throw pgNotYet("a company's follow-ups") }
}
