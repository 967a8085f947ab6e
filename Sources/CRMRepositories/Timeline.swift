import CRMCore
import Foundation

/// Whose timeline: one contact, a company (its own and its contacts'), a deal, or everything.
public enum TimelineScope: Hashable, Sendable {
    case contact(Int64)
    case company(Int64)
    case deal(Int64)
    case all(TimelineFilter)
}

/// Filters for the global timeline.
public struct TimelineFilter: Hashable, Sendable {
    public var kinds: Set<InteractionKind>
    public var authorID: Int64?
    public var from: Date?
    public var to: Date?
    public var text: String
    /// Only this contact's, company's or deal's interactions (`crm timeline
    /// --contact`): the other filters combine with them.
    public var contactID: Int64?
    public var companyID: Int64?
    public var dealID: Int64?

    public init(kinds: Set<InteractionKind> = [], authorID: Int64? = nil, from: Date? = nil, to: Date? = nil, text: String = "",
                contactID: Int64? = nil, companyID: Int64? = nil, dealID: Int64? = nil) {
        self.kinds = kinds; self.authorID = authorID; self.from = from; self.to = to; self.text = text
        self.contactID = contactID; self.companyID = companyID; self.dealID = dealID
    }
}

/// Keyset position in a newest-first timeline.
public struct TimelineCursor: Hashable, Sendable {
    public var occurredAt: Date
    public var id: Int64
    public init(occurredAt: Date, id: Int64) { self.occurredAt = occurredAt; self.id = id }
}

/// An interaction as a timeline shows it, with the names it refers to.
public struct TimelineEntry: Hashable, Sendable, Identifiable {
    public var interaction: Interaction
    public var authorLogin: String?
    public var contactName: String?
    public var dealTitle: String?
    /// The name of the interaction's company (its contact's, when logged on a contact).
    public var companyName: String?

    public var id: Int64 { interaction.id }
    public var cursor: TimelineCursor { TimelineCursor(occurredAt: interaction.occurredAt, id: interaction.id) }

    public init(interaction: Interaction, authorLogin: String? = nil, contactName: String? = nil, dealTitle: String? = nil,
                companyName: String? = nil) {
        self.interaction = interaction
        self.companyName = companyName
        self.authorLogin = authorLogin
        self.contactName = contactName
        self.dealTitle = dealTitle
    }
}
