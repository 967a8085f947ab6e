import CRMCore
import Foundation

/// A follow-up as agenda lists show it: with the customer, company and the
/// customer's last interaction.
public struct FollowUpRow: Hashable, Sendable, Identifiable {
    public var followUp: FollowUp
    public var contactName: String?
    public var companyName: String?
    public var dealTitle: String?
    public var assigneeLogin: String?
    public var lastInteractionAt: Date?
    public var id: Int64 { followUp.id }

    public init(followUp: FollowUp, contactName: String? = nil, companyName: String? = nil, dealTitle: String? = nil, assigneeLogin: String? = nil, lastInteractionAt: Date? = nil) {
        self.followUp = followUp
        self.contactName = contactName
        self.companyName = companyName
        self.dealTitle = dealTitle
        self.assigneeLogin = assigneeLogin
        self.lastInteractionAt = lastInteractionAt
    }
}
