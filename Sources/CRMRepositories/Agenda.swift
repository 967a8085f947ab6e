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
    /// The contact's own cadence in days, when it has one: it overrides every
    /// rule of the settings (and `rule` then only carries the days).
    public var ownCadenceDays: Int?
    public var id: Int64 { contactID }
    /// Where this row stands in the list, for keyset paging.
    public var cursor: AgendaCursor { AgendaCursor(dueAt: dueAt, id: contactID) }

    /// The contact's version when read (marking keeps it).
    public var version: Int64 = 0
    /// Who owns the contact (everyone's mode shows it).
    public var ownerLogin: String?

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

/// A position in an agenda list ordered by (due, id): follow-ups by their due
/// time, Needs attention contacts by when their cadence ran out.
public struct AgendaCursor: Hashable, Sendable {
    public var dueAt: Date
    public var id: Int64
    public init(dueAt: Date, id: Int64) {
        self.dueAt = dueAt
        self.id = id
    }
}

/// A contact's own stay-in-touch settings, with the contact's version.
public struct ContactAttention: Hashable, Sendable {
    public var contactID: Int64
    public var cadenceDays: Int?
    public var snoozedUntil: Date?
    public var version: Int64
    public init(contactID: Int64, cadenceDays: Int?, snoozedUntil: Date?, version: Int64) {
        self.contactID = contactID
        self.cadenceDays = cadenceDays
        self.snoozedUntil = snoozedUntil
        self.version = version
    }

    /// Refuses an own cadence outside 1…3650 days (every engine, one contact or a set).
    public func validate() throws {
        if let days = cadenceDays, !(1...3650).contains(days) {
            throw RepositoryError.invalid(ValidationFailure([FieldError("cadence", "a number of days from 1 to 3650")]))
        }
    }

    /// A set update's plan, as every engine makes it: each contact of
    /// `versions` found in `current` at the version seen (else `stale(id)`
    /// is thrown), changed by `change` (its id and version kept), checked,
    /// and compared; every contact is checked before any is written, so a
    /// refusal leaves nothing half done.
    public static func plan(_ versions: [Int64: Int64], current: [Int64: ContactAttention],
                            change: (inout ContactAttention) -> Void, stale: (Int64) throws -> Error) throws
        -> [(before: ContactAttention, after: ContactAttention, changes: FieldChanges)] {
        try versions.keys.sorted().map { id in
            guard let before = current[id], before.version == versions[id] else { throw try stale(id) }
            var after = before
            change(&after)
            after.contactID = id
            after.version = before.version
            try after.validate()
            return (before, after, FieldChanges.attention(before, after))
        }
    }
}

/// An open follow-up's identity and the version it was seen at: what marking
/// every row of a section keeps (thousands of them, without their text).
public struct VersionedID: Hashable, Sendable {
    public var id: Int64
    public var version: Int64
    public init(id: Int64, version: Int64) {
        self.id = id
        self.version = version
    }
}

/// A due-time window `[from, to)` of open follow-ups (nil: unbounded).
public struct DueWindow: Hashable, Sendable {
    public var from: Date?
    public var to: Date?
    public init(from: Date?, to: Date?) {
        self.from = from
        self.to = to
    }
}

/// Today's section counts: follow-ups due in each window asked for, in
/// order, and the contacts past their cadence.
public struct AgendaCounts: Hashable, Sendable {
    public var due: [Int]
    public var pastCadence: Int
    public init(due: [Int], pastCadence: Int) {
        self.due = due
        self.pastCadence = pastCadence
    }
}

/// What the morning review asks of storage beyond plain follow-up rows:
/// counts for section headers, and contacts past their cadence.
public protocol AgendaRepository: AnyObject {
    /// Open follow-ups due in `[from, to)`, for one assignee or all; with
    /// `upTo`, counted no further than that many (the answer is then at
    /// most `upTo`: "that many or more" when it equals it).
    func countDue(from: Date?, to: Date?, assigneeID: Int64?, upTo limit: Int?) throws -> Int
    /// Every count Today's section headers show, read together (one round
    /// trip on PostgreSQL, where Today is built on every reload): for each
    /// of `windows`, `countDue` over it for `assigneeID`; and
    /// `countPastCadence(rules:now:ownerID: assigneeID)`. With `upTo`, each
    /// count (each window's, and past cadence's) stops at that many: Today
    /// at a million contacts counts lazily ("1000+") and exactly only when
    /// asked, as the contacts list does.
    func agendaCounts(windows: [DueWindow], assigneeID: Int64?, rules: [CadenceRule], now: Date, upTo limit: Int?) throws -> AgendaCounts
    /// Contacts past any of `rules` at `now`, most overdue first; for one
    /// owner or all.
    func pastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?, limit: Int) throws -> [AttentionRow]
    func countPastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?, upTo limit: Int?) throws -> Int
    /// One keyset page of open follow-ups due in `[from, to)` ordered by
    /// (due, id): after `cursor` going forward, before it going backward
    /// (nearest first); nil starts at the beginning or the end.
    func duePage(from: Date?, to: Date?, assigneeID: Int64?, cursor: AgendaCursor?, direction: PageDirection,
                 limit: Int) throws -> [FollowUpRow]
    /// How many open follow-ups due in `[from, to)` come before `cursor`: the
    /// position of a row kept across a reload.
    func duePosition(from: Date?, to: Date?, assigneeID: Int64?, cursor: AgendaCursor) throws -> Int
    /// How many Needs attention rows come before `cursor`.
    func attentionPosition(rules: [CadenceRule], now: Date, ownerID: Int64?, cursor: AgendaCursor) throws -> Int
    /// Every open follow-up due in `[from, to)` as id and version ("mark all").
    func dueIDs(from: Date?, to: Date?, assigneeID: Int64?) throws -> [VersionedID]
    /// One keyset page of Needs attention, ordered by (due, contact id). A
    /// contact's own cadence overrides the rules; a contact snoozed past
    /// `now` is left out.
    func attentionPage(rules: [CadenceRule], now: Date, ownerID: Int64?, cursor: AgendaCursor?, direction: PageDirection,
                       limit: Int) throws -> [AttentionRow]
    /// Every contact of Needs attention as id and version ("mark all").
    func attentionIDs(rules: [CadenceRule], now: Date, ownerID: Int64?) throws -> [VersionedID]
    func attention(contactID: Int64) throws -> ContactAttention?
    /// Saves a contact's own cadence and Needs attention snooze; refused as
    /// stale when `settings.version` is not the contact's current version.
    /// Audited on the contact; bumps its version.
    func setAttention(_ settings: ContactAttention) throws -> ContactAttention
    /// Saves the settings of every contact of `versions` (each at the
    /// version it was seen at) as `change` makes them, in the caller's
    /// transaction; refused as stale, naming the contact, when one moved on.
    /// Each contact as it was and as written. (Needs attention's bulk "not
    /// before", QA 29 #2: 53,000 contacts one by one held the file 30 s.)
    func setAttention(_ versions: [Int64: Int64], change: (inout ContactAttention) -> Void) throws
        -> [(before: ContactAttention, wrote: ContactAttention)]
}

extension AgendaRepository {
    /// One contact after another (an engine without a set statement for it).
    public func setAttention(_ versions: [Int64: Int64], change: (inout ContactAttention) -> Void) throws
        -> [(before: ContactAttention, wrote: ContactAttention)] {
        try versions.keys.sorted().map { id in
            guard var current = try attention(contactID: id) else { throw RepositoryError.notFound(entity: "contact", id: id) }
            let before = current
            current.version = versions[id]!
            change(&current)
            return (before, try setAttention(current))
        }
    }

    /// The exact counts (`crm followups`, `crm agenda`, tests).
    public func countDue(from: Date?, to: Date?, assigneeID: Int64?) throws -> Int {
        try countDue(from: from, to: to, assigneeID: assigneeID, upTo: nil)
    }

    public func agendaCounts(windows: [DueWindow], assigneeID: Int64?, rules: [CadenceRule], now: Date) throws -> AgendaCounts {
        try agendaCounts(windows: windows, assigneeID: assigneeID, rules: rules, now: now, upTo: nil)
    }

    public func countPastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?) throws -> Int {
        try countPastCadence(rules: rules, now: now, ownerID: ownerID, upTo: nil)
    }
}
