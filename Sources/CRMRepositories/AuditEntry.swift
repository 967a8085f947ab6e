import Foundation

/// Who changed what, when. Written in the same transaction as the change.
public struct AuditEntry: Sendable, Hashable {
    /// The row's id: newest entries have the largest; a page of the trail
    /// continues after the last id it showed.
    public let id: Int64
    public let at: Date
    public let userLogin: String?
    public let entity: String
    public let entityID: Int64
    public let action: String
    /// field → its value before and after
    public let changes: [String: AuditChange]

    public init(id: Int64 = 0, at: Date, userLogin: String?, entity: String, entityID: Int64, action: String,
                changes: [String: AuditChange]) {
        self.id = id; self.at = at; self.userLogin = userLogin; self.entity = entity; self.entityID = entityID
        self.action = action; self.changes = changes
    }
}

/// Which audit entries to list: every criterion given must hold.
public struct AuditFilter: Sendable, Hashable {
    /// "contact", "company", "deal", "follow-up", "interaction", ...
    public var entity: String?
    public var entityID: Int64?
    public var userLogin: String?
    public var action: String?
    /// Entries at or after this time.
    public var since: Date?
    /// Entries before this time.
    public var until: Date?

    public init(entity: String? = nil, entityID: Int64? = nil, userLogin: String? = nil, action: String? = nil,
                since: Date? = nil, until: Date? = nil) {
        self.entity = entity; self.entityID = entityID; self.userLogin = userLogin; self.action = action
        self.since = since; self.until = until
    }
}
