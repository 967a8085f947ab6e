/// What another user (or process) changed since the screen last asked: the
/// kinds of records whose tables were written. The screen reloads only the
/// panes that read one of them.
///
/// `.none`: nothing changed. `.unknown`: the engine cannot tell which tables
/// changed (the first poll, an engine without per-table counters), so
/// everything may have changed: it contains every kind.
public struct ChangeSet: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Contacts with their emails, phones and tags (and their last-contact
    /// time, which a new interaction moves).
    public static let contacts = ChangeSet(rawValue: 1 << 0)
    public static let companies = ChangeSet(rawValue: 1 << 1)
    public static let interactions = ChangeSet(rawValue: 1 << 2)
    public static let followUps = ChangeSet(rawValue: 1 << 3)
    /// Deals and their stage history.
    public static let deals = ChangeSet(rawValue: 1 << 4)
    /// Pipelines and their stages.
    public static let pipelines = ChangeSet(rawValue: 1 << 5)
    public static let users = ChangeSet(rawValue: 1 << 6)

    public static let none: ChangeSet = []
    public static let unknown: ChangeSet = [.contacts, .companies, .interactions, .followUps, .deals, .pipelines, .users]

    /// Each kind with the name engines use for it (the SQLite change counters').
    public static let kinds: [(name: String, kind: ChangeSet)] = [
        ("contacts", .contacts), ("companies", .companies), ("interactions", .interactions), ("follow_ups", .followUps),
        ("deals", .deals), ("pipelines", .pipelines), ("users", .users),
    ]

    /// The kind an engine calls `name`; `.unknown` for a name it does not know.
    public init(kindNamed name: String) {
        self = Self.kinds.first { $0.name == name }?.kind ?? .unknown
    }

    /// True when any of `kinds` changed: whether a pane reading them must reload.
    public func touches(_ kinds: ChangeSet) -> Bool { !isDisjoint(with: kinds) }

    public var description: String {
        if isEmpty { return "none" }
        if self == .unknown { return "unknown" }
        return Self.kinds.filter { contains($0.kind) }.map(\.name).joined(separator: ", ")
    }
}
