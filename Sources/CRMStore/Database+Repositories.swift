import CRMCore
import CRMRepositories
import Foundation

// The SQLite engine as the screens see it: every repository of the seam.
extension Database: CRMRepositories {
    public var contactRepository: any ContactRepository { contacts }
    public var companyRepository: any CompanyRepository { companies }
    public var interactionRepository: any InteractionRepository { interactions }
    public var followUpRepository: any FollowUpRepository { followUps }
    public var dealRepository: any DealRepository { deals }
    public var pipelineRepository: any PipelineRepository { pipelines }
    public var agendaRepository: any AgendaRepository { agenda }
    public var importRepository: any ImportRepository { SQLiteImportRepository(db: self) }
    public var externalLogRepository: any ExternalLogRepository { SQLiteExternalLogRepository(db: self) }
    public var userRepository: any UserRepository { users }
    public var listingRepository: any ListingRepository { listings }
    public var displayName: String { (path as NSString).lastPathComponent }
    public func allUsers() throws -> [User] { try users.all() }
    public func user(id: Int64) throws -> User? { try users.get(id) }
    public func auditTrail(entity: String, id: Int64, limit: Int) throws -> [AuditEntry] {
        try audit.entries(entity: entity, id: id, limit: limit)
    }
    public var reassignRepository: any ReassignRepository { SQLiteReassigner(db: self) }
    public func auditPage(_ filter: AuditFilter, after: Int64?, limit: Int) throws -> [AuditEntry] {
        try audit.page(filter, after: after, limit: limit)
    }
    public var onWriteWait: ((WriteWait) -> Void)? {
        get { connection.onWriteWait }
        set { connection.onWriteWait = newValue }
    }
}

extension Database {
    public var export: SQLiteExportRepository { SQLiteExportRepository(db: self) }
    public var exportRepository: any ExportRepository { export }
}

extension Database {
    public var trash: SQLiteTrashRepository { SQLiteTrashRepository(db: self) }
    public var trashRepository: any TrashRepository { trash }
}

extension Database {
    public var dealReportRepository: any DealReportRepository { SQLiteDealReportRepository(db: self) }
    public var reportDrillRepository: any ReportDrillRepository { SQLiteReportDrillRepository(db: self) }
}
