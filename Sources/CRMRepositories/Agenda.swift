import CRMCore
import Foundation

/// A contact who has gone longer without contact than their cadence allows.
public struct AttentionRow: Hashable, Sendable, Identifiable {
    public var contactID: Int64
    public var name: String
    public var companyName: String?
    public var lifecycle: Lifecycle
    public var lastInteractionAt: Date?
    /// When the cadence ran out: last contact (or creation) plus the cadence.
    public var dueAt: Date
    /// The rule that makes this contact most overdue.
    public var rule: CadenceRule
    public var id: Int64 { contactID }

    public init(contactID: Int64, name: String, companyName: String? = nil, lifecycle: Lifecycle, lastInteractionAt: Date? = nil, dueAt: Date, rule: CadenceRule) {
        self.contactID = contactID
        self.name = name
        self.companyName = companyName
        self.lifecycle = lifecycle
        self.lastInteractionAt = lastInteractionAt
        self.dueAt = dueAt
        self.rule = rule
    }
}

/// What the morning review asks of storage beyond plain follow-up rows:
/// counts for section headers, and contacts past their cadence.
public protocol AgendaRepository: AnyObject {
    /// Open follow-ups due in `[from, to)`, for one assignee or all.
    func countDue(from: Date?, to: Date?, assigneeID: Int64?) throws -> Int
    /// Contacts past any of `rules` at `now`, most overdue first; for one
    /// owner or all.
    func pastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?, limit: Int) throws -> [AttentionRow]
    func countPastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?) throws -> Int
}
