import CRMCore
import Foundation

/// The kinds of record the trash holds.
public enum TrashKind: String, CaseIterable, Sendable, Comparable {
    case contact, company, deal
    case followUp = "follow-up"
    case interaction

    /// The kind a user typed: "deal", "deals", "followup", "follow_up", "Follow-Ups".
    public init?(parsing text: String) {
        var t = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        if t == "companies" { t = "company" } else if t.hasSuffix("s") { t.removeLast() }
        if t == "followup" { t = "follow-up" }
        self.init(rawValue: t)
    }

    /// The names `crm trash --kind` and `crm trash restore` take.
    public static let typedNames = "contact, company, deal, followup, interaction"

    /// Its place in the trash's order, when two records went at the same second.
    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: TrashKind, rhs: TrashKind) -> Bool { lhs.rank < rhs.rank }

    /// "contacts", "follow-ups": for counts.
    public func counted(_ n: Int) -> String {
        let plural = self == .company ? "companies" : "\(rawValue)s"
        return "\(n) \(n == 1 ? rawValue : plural)"
    }
}

/// One record in the trash: what it was, who put it there and when, and how
/// many records its restore brings back or links again.
public struct TrashEntry: Hashable, Sendable, Identifiable {
    public var kind: TrashKind
    public var id: Int64
    /// Its name or title (an interaction without a subject: its kind).
    public var title: String
    /// A word of context: a contact's company, a deal's customer, a follow-up's contact.
    public var detail: String
    public var deletedAt: Date
    /// The login of who deleted it (nil: unknown, as for rows deleted before the trash kept it).
    public var deletedBy: String?
    /// Records that went to the trash with it or lost their link to it.
    public var dependents: Int

    public init(kind: TrashKind, id: Int64, title: String, detail: String, deletedAt: Date, deletedBy: String?, dependents: Int) {
        self.kind = kind; self.id = id; self.title = title; self.detail = detail
        self.deletedAt = deletedAt; self.deletedBy = deletedBy; self.dependents = dependents
    }

    public var cursor: TrashCursor { TrashCursor(deletedAt: deletedAt, kind: kind, id: id) }
}

/// Where a trash page ends: the list runs newest first by (deleted at, kind, id).
public struct TrashCursor: Hashable, Sendable {
    public var deletedAt: Date
    public var kind: TrashKind
    public var id: Int64
    public init(deletedAt: Date, kind: TrashKind, id: Int64) { self.deletedAt = deletedAt; self.kind = kind; self.id = id }
}

/// What a restore brought back.
public struct TrashRestore: Hashable, Sendable {
    public var kind: TrashKind
    public var id: Int64
    public var title: String
    /// Dependents back from the trash with it, per kind.
    public var restored: [TrashKind: Int]
    /// Records linked to it again (a company's contacts and deals).
    public var relinked: [TrashKind: Int]
    /// Sentences about what did not come back as it was (a link to a record
    /// purged since, a contact linked to another company meanwhile).
    public var notes: [String]

    public init(kind: TrashKind, id: Int64, title: String, restored: [TrashKind: Int] = [:], relinked: [TrashKind: Int] = [:], notes: [String] = []) {
        self.kind = kind; self.id = id; self.title = title; self.restored = restored; self.relinked = relinked; self.notes = notes
    }

    /// "Restored deal "Renewal" with 2 follow-ups." plus its notes.
    public var sentence: String {
        var parts: [String] = []
        let back = restored.sorted { $0.key < $1.key }.filter { $0.value > 0 }.map { $0.key.counted($0.value) }
        if !back.isEmpty { parts.append("with \(back.joined(separator: " and "))") }
        let linked = relinked.sorted { $0.key < $1.key }.filter { $0.value > 0 }.map { $0.key.counted($0.value) }
        if !linked.isEmpty { parts.append("linked again to \(linked.joined(separator: " and "))") }
        let head = "Restored \(kind.rawValue) \"\(title)\"" + (parts.isEmpty ? "" : " " + parts.joined(separator: ", ")) + "."
        return ([head] + notes).joined(separator: " ")
    }
}

/// What a purge removed for good, per kind (dependents included).
public struct TrashPurge: Hashable, Sendable {
    public var removed: [TrashKind: Int]
    public init(removed: [TrashKind: Int] = [:]) { self.removed = removed }
    public var total: Int { removed.values.reduce(0, +) }
    public var sentence: String {
        guard total > 0 else { return "Nothing to purge: the trash holds nothing that old." }
        let parts = removed.sorted { $0.key < $1.key }.filter { $0.value > 0 }.map { $0.key.counted($0.value) }
        return "Purged for good: \(parts.joined(separator: ", "))."
    }
}

/// A trash action refused, with the sentence that says why and what to do.
public struct TrashRefusal: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Reason: Sendable, Equatable {
        /// No such record, or it is not in the trash.
        case notInTrash
        /// It went to the trash with another record; restore that one.
        case belongsToAnother
        /// Only an admin empties the trash.
        case notPermitted
        /// It was merged into another record, which holds its history now.
        case mergedAway
    }
    public let reason: Reason
    public let description: String
    public init(_ reason: Reason, _ description: String) { self.reason = reason; self.description = description }

    /// A record merged into another is not restored on its own (QA 27 #5):
    /// its history, deals and follow-ups moved to the survivor, so it would
    /// come back an empty copy, and the merge could then never be taken back.
    public static func mergedAway(_ kind: TrashKind, _ id: Int64, title: String, into survivor: Int64, survivorTitle: String) -> TrashRefusal {
        TrashRefusal(.mergedAway, """
            \(kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst()) \(id) ("\(title)") was merged into \(kind.rawValue) \(survivor) ("\(survivorTitle)"), \
            which holds its history, deals and follow-ups: restored alone it would be an empty copy. Only u right \
            after the merge, on the screen that made it, takes a merge back (one by crm merge cannot be)
            """)
    }
}

/// The trash of every kind of record. What "went with" a record:
/// a contact takes its follow-ups along (its interactions stay with it: its
/// history, read in the trash too); a deal its
/// follow-ups; a company unlinks its contacts and deals (they stay, without
/// the company). Restore brings back exactly what the delete took (not what
/// the user had deleted on its own before) and links again what it unlinked.
public protocol TrashRepository: AnyObject {
    /// A keyset page, newest first, of what the user deleted (records that
    /// went with another one are counted in its `dependents`, not listed).
    func entries(kind: TrashKind?, after cursor: TrashCursor?, limit: Int) throws -> [TrashEntry]
    /// How many entries the trash lists (of one kind, or all).
    func count(kind: TrashKind?) throws -> Int
    /// Moves a record (and what depends on it) to the trash: one transaction, audited.
    func trash(_ kind: TrashKind, _ id: Int64) throws
    /// Brings a record back with what went with it: one transaction, audited.
    /// Refused (`TrashRefusal`) when it is not in the trash or went there with another record.
    func restore(_ kind: TrashKind, _ id: Int64) throws -> TrashRestore
    /// Removes for good the entries (of one kind, or all) deleted before
    /// `before` (nil: all), with their dependents: one transaction, audited as
    /// one action. Only an admin may (`TrashRefusal.notPermitted`).
    func purge(kind: TrashKind?, deletedBefore before: Date?) throws -> TrashPurge
    /// The retention the admin set (`trash_days`): removes what was deleted
    /// more than `days` days ago, for any user who may write.
    func purgeExpired(days: Int) throws -> TrashPurge
    /// Where a record of this id is: live, in the trash, merged into
    /// another (contacts and companies), or not there at all.
    func whereabouts(_ kind: TrashKind, _ id: Int64) throws -> RecordWhereabouts
    /// The contacts in the trash (not merged away) with this phone number,
    /// compared as a live contact's are (international form, else digits),
    /// most recently deleted first: an incoming call whose number no live
    /// contact has may be a customer someone deleted (QA 30 #19).
    func contactsInTrash(withPhone number: String, limit: Int) throws -> [TrashEntry]
}

extension TrashRepository {
    /// Why `kind` `id` is no live record, as a sentence: where it went
    /// (`RecordWhereabouts.refusal`), or that there is none (it came back
    /// meanwhile, between the two reads).
    public func absence(_ kind: TrashKind, _ id: Int64) throws -> String {
        try whereabouts(kind, id).refusal(kind, id) ?? RecordWhereabouts.none(kind, id)
    }
}

/// Where a record is, for a sentence about an id that is not a live record
/// (QA 30 #18: a merged-away id said only "no contact").
public enum RecordWhereabouts: Equatable, Sendable {
    case live
    case inTrash
    case mergedInto(Int64)
    case missing

    /// Why `kind` `id` cannot be used, and what to use instead; nil when live.
    public func refusal(_ kind: TrashKind, _ id: Int64) -> String? {
        let name = Self.name(kind)
        switch self {
        case .live: return nil
        case .missing: return Self.none(kind, id)
        case .inTrash: return "\(name) \(id) is in the trash (crm trash restore \(kind.typedName) \(id) brings it back)"
        case .mergedInto(let survivor):
            return "\(name) \(id) was merged into \(name) \(survivor), which holds its history now: use \(survivor)"
        }
    }

    static func none(_ kind: TrashKind, _ id: Int64) -> String { "there is no \(name(kind)) with id \(id)" }
    static func name(_ kind: TrashKind) -> String { kind == .followUp ? "follow-up" : kind.rawValue }
}

extension TrashKind {
    /// As typed on the command line: "followup" for a follow-up.
    public var typedName: String { self == .followUp ? "followup" : rawValue }
}
