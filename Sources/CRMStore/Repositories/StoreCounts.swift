import CRMRepositories
import Foundation

/// How much a database holds (deleted rows not counted): for summaries,
/// `crm bench` and demo-data checks.
public struct StoreCounts: Sendable, Equatable {
    public var users = 0
    public var companies = 0
    public var contacts = 0
    public var deals = 0
    public var interactions = 0
    public var followUps = 0
}

extension Database {
    public func counts() throws -> StoreCounts {
        func count(_ sql: String) throws -> Int { Int(try connection.scalar(sql) ?? 0) }
        return StoreCounts(
            users: try count("SELECT count(*) FROM users"),
            companies: try count("SELECT count(*) FROM companies WHERE deleted_at IS NULL"),
            contacts: try count("SELECT count(*) FROM contacts WHERE deleted_at IS NULL"),
            deals: try count("SELECT count(*) FROM deals WHERE deleted_at IS NULL"),
            interactions: try count("SELECT count(*) FROM interactions WHERE deleted_at IS NULL AND kind != 'stage'"),
            followUps: try count("SELECT count(*) FROM follow_ups WHERE deleted_at IS NULL AND status = 'open'"))
    }
}
