import CRMCore

/// What the contacts screen shows beside the list for one contact: the
/// record, its deals, its open follow-ups, its value tier and the first page
/// of its timeline. Read together (`ContactRepository.pane`), so an engine
/// that pays a round trip per statement pays one for the pane.
public struct ContactPane: Sendable {
    public var contact: Contact
    /// As `DealRepository.deals(contactID:)`.
    public var deals: [DealCard]
    /// As `FollowUpRepository.open(contactID:)`.
    public var openFollowUps: [FollowUpRow]
    /// As `CustomerReportRepository.valueTier(contactID:)`.
    public var valueTier: ValueTier?
    /// As `InteractionRepository.timeline(.contact(id), before: nil, limit:)`.
    public var timeline: [TimelineEntry]

    public init(contact: Contact, deals: [DealCard], openFollowUps: [FollowUpRow], valueTier: ValueTier?, timeline: [TimelineEntry]) {
        self.contact = contact
        self.deals = deals
        self.openFollowUps = openFollowUps
        self.valueTier = valueTier
        self.timeline = timeline
    }
}
