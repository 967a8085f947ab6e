import Foundation

public enum FollowUpStatus: String, CaseIterable, Sendable, Codable {
    case open, done, cancelled
}

/// Something someone has to do by a certain time, usually about a customer or a deal.
public struct FollowUp: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var contactID: Int64?
    public var dealID: Int64?
    public var assigneeID: Int64?
    public var title: String
    public var note: String
    public var dueAt: Date
    public var status: FollowUpStatus
    public var doneAt: Date?
    public var createdAt: Date
    public var deletedAt: Date?
    public var version: Int64
    /// Why it was cancelled ("customer bought elsewhere"); empty otherwise.
    public var cancelReason: String

    public init(id: Int64 = 0, contactID: Int64? = nil, dealID: Int64? = nil, assigneeID: Int64? = nil,
                title: String, note: String = "", dueAt: Date, status: FollowUpStatus = .open, doneAt: Date? = nil,
                createdAt: Date = Date(), deletedAt: Date? = nil, version: Int64 = 0, cancelReason: String = "") {
        self.id = id; self.contactID = contactID; self.dealID = dealID; self.assigneeID = assigneeID
        self.title = title; self.note = note; self.dueAt = dueAt; self.status = status; self.doneAt = doneAt
        self.createdAt = createdAt; self.deletedAt = deletedAt; self.version = version; self.cancelReason = cancelReason
    }

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(title, "title", max: 300, into: &errors)
        Check.length(note, "note", max: 100_000, into: &errors)
        Check.length(cancelReason, "reason", max: 1_000, into: &errors)
        return errors
    }
}
