import CRMCore
import Foundation

/// What the follow-ups list shows: any statuses, any dates, narrowed by
/// assignee, customer (a contact, a company, or part of either's name), deal
/// (one, or part of its title) and a due range `[from, to)`. Nil: no limit.
public struct FollowUpFilter: Equatable, Sendable {
    public var statuses: Set<FollowUpStatus>
    public var assigneeID: Int64?
    public var contactID: Int64?
    public var companyID: Int64?
    public var dealID: Int64?
    /// Part of the contact's or the company's name (case-insensitive).
    public var customerText: String?
    /// Part of the deal's title (case-insensitive).
    public var dealText: String?
    public var from: Date?
    public var to: Date?

    public init(statuses: Set<FollowUpStatus> = [.open], assigneeID: Int64? = nil, contactID: Int64? = nil,
                companyID: Int64? = nil, dealID: Int64? = nil, customerText: String? = nil, dealText: String? = nil,
                from: Date? = nil, to: Date? = nil) {
        self.statuses = statuses
        self.assigneeID = assigneeID
        self.contactID = contactID
        self.companyID = companyID
        self.dealID = dealID
        self.customerText = customerText
        self.dealText = dealText
        self.from = from
        self.to = to
    }
}

/// Where a page of the follow-ups list ends: the sort key of its last row
/// (due, then id), so the next page starts right after it at any depth.
public struct FollowUpCursor: Hashable, Sendable {
    public let dueAt: Date
    public let id: Int64

    public init(dueAt: Date, id: Int64) {
        self.dueAt = dueAt
        self.id = id
    }

    public init(_ row: FollowUpRow) {
        self.init(dueAt: row.followUp.dueAt, id: row.id)
    }
}
