import CRMCore
import CRMRepositories

/// Everything the details pane shows about one contact.
public struct ContactDetail {
    public var contact: Contact
    public var companyName: String?
    public var ownerLogin: String?
    public var deals: [DealCard]
    public var followUps: [FollowUpRow]
    /// The stored value tier (nil: none — not a customer, or no won value).
    public var valueTier: ValueTier? = nil
}

/// Everything the details pane shows about one company.
public struct CompanyDetail {
    public var company: Company
    public var ownerLogin: String?
    public var contacts: [ContactSummary]
    public var deals: [DealCard]
}
