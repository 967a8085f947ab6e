import CRMCore
import Foundation

/// One user's deals: open now, won and lost in the period, value won per currency.
public struct PersonDeals: Equatable, Sendable {
    public var open: Int = 0
    public var won: Int = 0
    public var lost: Int = 0
    public var wonMinor: [Currency: Int64] = [:]
    /// The deals won or lost in the period; empty when not asked for
    /// (`withIDs: false`).
    public var closedIDs: [Int64] = []

    public init(open: Int = 0, won: Int = 0, lost: Int = 0, wonMinor: [Currency: Int64] = [:], closedIDs: [Int64] = []) {
        self.open = open
        self.won = won
        self.lost = lost
        self.wonMinor = wonMinor
        self.closedIDs = closedIDs
    }
}

/// One assignee's follow-ups due in the period (cancelled ones left out).
public struct PersonFollowUps: Equatable, Sendable {
    public var due: Int = 0
    /// Done at or before their due time.
    public var onTime: Int = 0
    /// Done after their due time.
    public var late: Int = 0
    /// Still open and due before now.
    public var overdue: Int = 0
    /// Those overdue ones; empty when not asked for (`withIDs: false`).
    public var overdueIDs: [Int64] = []

    public init(due: Int = 0, onTime: Int = 0, late: Int = 0, overdue: Int = 0, overdueIDs: [Int64] = []) {
        self.due = due
        self.onTime = onTime
        self.late = late
        self.overdue = overdue
        self.overdueIDs = overdueIDs
    }
}

/// One owner's customers that have a stay-in-touch cadence (their own, else
/// the settings' rules), and those last spoken to longer ago than it.
public struct PersonStayInTouch: Equatable, Sendable {
    public var customers: Int = 0
    public var notInTouch: Int = 0
    /// Those not in touch; empty when not asked for (`withIDs: false`).
    public var notInTouchIDs: [Int64] = []

    public init(customers: Int = 0, notInTouch: Int = 0, notInTouchIDs: [Int64] = []) {
        self.customers = customers
        self.notInTouch = notInTouch
        self.notInTouchIDs = notInTouchIDs
    }
}

/// One owner's leads: turned into customers in the period, given up
/// (to former) in the period, and still lead or prospect now.
public struct PersonConversion: Equatable, Sendable {
    public var converted: Int = 0
    public var disqualified: Int = 0
    public var stillOpen: Int = 0
    public var convertedIDs: [Int64] = []

    public init(converted: Int = 0, disqualified: Int = 0, stillOpen: Int = 0, convertedIDs: [Int64] = []) {
        self.converted = converted
        self.disqualified = disqualified
        self.stillOpen = stillOpen
        self.convertedIDs = convertedIDs
    }
}

/// The figures of the "People" report page, per user id, computed by the
/// engine over indexes. `users` names the rows wanted (the filter's owners,
/// or everyone); a user with nothing to count is absent from the answer.
public protocol PeopleReportRepository: AnyObject {
    /// Deals by owner (the filter's pipelines and currency apply);
    /// `withIDs`: with the ids of those won or lost (what Enter lists).
    func deals(_ filter: ReportFilter, users: [Int64], withIDs: Bool) throws -> [Int64: PersonDeals]
    /// Calls, emails, meetings, notes and messages logged in the period, by author.
    func interactions(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: [InteractionKind: Int]]
    /// Follow-ups due in the period, by assignee; "overdue" is against
    /// `filter.now`. `withIDs`: with the overdue ones' ids (what Enter
    /// lists); the page counts them only (11,000 at 100,000 contacts).
    func followUps(_ filter: ReportFilter, users: [Int64], withIDs: Bool) throws -> [Int64: PersonFollowUps]
    /// Customers by owner, measured at `filter.now` against their cadence:
    /// the contact's own, else the shortest of `rules` that applies.
    /// `withIDs`: with the ids of those not in touch (30,000 at 100,000
    /// contacts: the page counts them only).
    func stayInTouch(_ filter: ReportFilter, rules: [CadenceRule], users: [Int64], withIDs: Bool) throws -> [Int64: PersonStayInTouch]
    /// Lifecycle changes in the period (contact_lifecycle_history), by the contact's owner.
    func conversions(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: PersonConversion]
}

extension PeopleReportRepository {
    /// The figures with the ids Enter lists.
    public func deals(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: PersonDeals] {
        try deals(filter, users: users, withIDs: true)
    }

    public func followUps(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: PersonFollowUps] {
        try followUps(filter, users: users, withIDs: true)
    }

    public func stayInTouch(_ filter: ReportFilter, rules: [CadenceRule], users: [Int64]) throws -> [Int64: PersonStayInTouch] {
        try stayInTouch(filter, rules: rules, users: users, withIDs: true)
    }
}
