import CRMCore
import CRMRepositories
import Foundation

// The PostgreSQL engine as the screens and commands see it: every repository
// of the seam. Each repository is a thin value over this session's one
// connection, made on use (none keeps state of its own, and none may hold
// the database strongly from a stored property of it).
extension PostgresDatabase: CRMRepositories {
    public var contactRepository: any ContactRepository { PGContactRepository(db: self) }
    public var companyRepository: any CompanyRepository { PGCompanyRepository(db: self) }
    public var interactionRepository: any InteractionRepository { PGInteractionRepository(db: self) }
    public var followUpRepository: any FollowUpRepository { PGFollowUpRepository(db: self) }
    public var dealRepository: any DealRepository { PGDealRepository(db: self) }
    public var pipelineRepository: any PipelineRepository { PGPipelineRepository(db: self) }
    public var agendaRepository: any AgendaRepository { PGAgendaRepository(db: self) }
    public var importRepository: any ImportRepository { PGImportRepository(db: self) }
    public var externalLogRepository: any ExternalLogRepository { PGExternalLogRepository(db: self) }
    public var exportRepository: any ExportRepository { PGExportRepository(db: self) }
    public var reassignRepository: any ReassignRepository { PGReassigner(db: self) }
    public var trashRepository: any TrashRepository { PGTrashRepository(db: self) }
    public var userRepository: any UserRepository { PGUserRepository(db: self) }
    public var listingRepository: any ListingRepository { PGListingRepository(db: self) }

    /// The database's name as the connection string gives it (no password).
    public var displayName: String { DatabaseName.of(conninfo: target) }
    /// Rights are the server's business (grants and policies): a session that
    /// may not write a table is refused by the server with a sentence.
    public var isReadOnly: Bool { false }

    public func allUsers() throws -> [User] { try PGUserRepository(db: self).all() }
    public func user(id: Int64) throws -> User? { try PGUserRepository(db: self).get(id) }
    public func auditTrail(entity: String, id: Int64, limit: Int) throws -> [AuditEntry] {
        try audit.entries(entity: entity, id: id, limit: limit)
    }
    public func auditPage(_ filter: AuditFilter, after: Int64?, limit: Int) throws -> [AuditEntry] {
        try audit.page(filter, after: after, limit: limit)
    }

    /// A second session on the same database, acting as the same user, for
    /// the report worker's thread: its own connection (libpq connections are
    /// used by one thread at a time), polling rather than listening (it never
    /// asks for changes).
    public func readSessionOpener() throws -> ReadSessionOpener {
        // Known to be away: said at once, not after connect_timeout's 10 s
        // with the keyboard held (QA 37 #4: `5` during an outage).
        if connection.gaveUpReconnecting || !connection.isOpen {
            throw RepositoryError.unavailable(path: connection.target, reason: PGError.unreachableReason, nil)
        }
        let login: String? = currentUser.id == 0 ? nil : currentUser.login
        return ReadSessionOpener { [conninfo, clock, valueTierPolicy, phoneRegion] in
            let session = try PostgresDatabase(conninfo: conninfo, login: login, clock: clock, liveRefresh: .poll,
                                               valueTierPolicy: valueTierPolicy)
            session.phoneRegion = phoneRegion
            return session
        }
    }
}

/// The short name of a PostgreSQL database for the status bar: `dbname` of a
/// key=value string, the path of a URI, or the whole (redacted) text.
enum DatabaseName {
    static func of(conninfo: String) -> String {
        if let range = conninfo.range(of: "://") {
            let rest = conninfo[range.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return conninfo }
            let name = rest[rest.index(after: slash)...].prefix { $0 != "?" }
            return name.isEmpty ? conninfo : String(name).removingPercentEncoding ?? String(name)
        }
        for pair in conninfo.split(separator: " ") where pair.hasPrefix("dbname=") {
            return String(pair.dropFirst("dbname=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        return conninfo
    }
}
