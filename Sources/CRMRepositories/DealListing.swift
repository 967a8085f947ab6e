import CRMCore
import Foundation

/// Which deals a board shows.
public struct DealFilter: Hashable, Sendable {
    public var ownerID: Int64?
    public var text: String
    public var closingBefore: Date?
    public init(ownerID: Int64? = nil, text: String = "", closingBefore: Date? = nil) {
        self.ownerID = ownerID; self.text = text; self.closingBefore = closingBefore
    }
}

/// Keyset position within a stage column.
public struct DealCursor: Hashable, Sendable {
    public var position: Double
    public var id: Int64
    public init(position: Double, id: Int64) { self.position = position; self.id = id }
}

/// A deal as a kanban card or a list row shows it.
public struct DealCard: Hashable, Sendable, Identifiable {
    public var deal: Deal
    public var contactName: String?
    public var companyName: String?
    public var ownerLogin: String?
    public var stageName: String
    public var lastInteractionAt: Date?
    public var id: Int64 { deal.id }
    public var cursor: DealCursor { DealCursor(position: deal.position, id: deal.id) }

    public init(deal: Deal, contactName: String? = nil, companyName: String? = nil, ownerLogin: String? = nil, stageName: String, lastInteractionAt: Date? = nil) {
        self.deal = deal
        self.contactName = contactName
        self.companyName = companyName
        self.ownerLogin = ownerLogin
        self.stageName = stageName
        self.lastInteractionAt = lastInteractionAt
    }
}
