import Foundation

/// Who changed what, when. Written in the same transaction as the change.
public struct AuditEntry: Sendable, Hashable {
    public let at: Date
    public let userLogin: String?
    public let entity: String
    public let entityID: Int64
    public let action: String
    /// field → (old, new)
    public let changes: [String: [String]]

    public init(at: Date, userLogin: String?, entity: String, entityID: Int64, action: String, changes: [String: [String]]) {
        self.at = at; self.userLogin = userLogin; self.entity = entity; self.entityID = entityID
        self.action = action; self.changes = changes
    }
}
