/// What a user may do in the CRM. The rule table lives here, in one place,
/// so the screens, the CLI and every helper (trash, audit, users) ask the
/// same question: `role.may(.emptyTrash)`.
///
/// On a shared SQLite file these roles prevent mistakes, not attacks:
/// anyone who may write the file can change it with any SQLite tool. The
/// PostgreSQL engine is to enforce them in the database itself.
public enum Role: String, CaseIterable, Sendable, Codable, Comparable {
    /// Works customers, deals, follow-ups and interactions.
    case rep
    /// A rep who also reassigns others' records and sees everyone's reports
    /// and the global audit trail.
    case manager
    /// A manager who also manages users, pipelines and stages, shared
    /// settings, and empties the trash.
    case admin

    /// How far up the ladder the role stands: rep < manager < admin.
    var rank: Int {
        switch self {
        case .rep: 0
        case .manager: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether this role may do `permission`.
    public func may(_ permission: Permission) -> Bool { self >= permission.minimumRole }

    /// The role named by `text` ("admin", "Manager", " rep "), or nil.
    public init?(parsing text: String) {
        self.init(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// "an admin", "a manager", "a rep": for sentences.
    public var withArticle: String { self == .admin ? "an admin" : "a \(rawValue)" }
}

/// Something a role may or may not do. Each case carries the least role that
/// may, and the sentence shown when someone below it tries.
public enum Permission: String, CaseIterable, Sendable {
    /// Customers, deals, follow-ups, interactions: the daily work.
    case workRecords
    /// Changing the owner or assignee of someone else's record, handing over
    /// a leaver's work in bulk.
    case reassignRecords
    /// Reports over everyone's records, not only one's own.
    case seeEveryonesReports
    /// The global audit trail (every user, every record).
    case readGlobalAudit
    /// Adding, renaming, re-roling, deactivating users.
    case manageUsers
    /// Pipelines and their stages: add, rename, reorder, delete.
    case managePipelines
    /// Stage win probabilities and rotting limits.
    case changeStageSettings
    /// Settings stored in the database that every user shares.
    case changeSharedSettings
    /// Emptying the trash or purging it for good.
    case emptyTrash

    /// The least role that may do this.
    public var minimumRole: Role {
        switch self {
        case .workRecords: .rep
        case .reassignRecords, .seeEveryonesReports, .readGlobalAudit: .manager
        case .manageUsers, .managePipelines, .changeStageSettings, .changeSharedSettings, .emptyTrash: .admin
        }
    }

    /// What it is, as the end of "only an admin …".
    public var activity: String {
        switch self {
        case .workRecords: "works records"
        case .reassignRecords: "reassigns others' records"
        case .seeEveryonesReports: "sees everyone's reports"
        case .readGlobalAudit: "reads the whole audit trail"
        case .manageUsers: "manages users"
        case .managePipelines: "changes pipelines and stages"
        case .changeStageSettings: "changes stage probabilities and rotting limits"
        case .changeSharedSettings: "changes shared settings"
        case .emptyTrash: "empties the trash"
        }
    }

    /// The reason shown beside a key or in a CLI refusal: "only an admin
    /// changes pipelines and stages" (a manager is also meant by "only a
    /// manager": the sentence names the least role).
    public var refusal: String {
        minimumRole == .manager ? "only a manager or an admin \(activity)" : "only \(minimumRole.withArticle) \(activity)"
    }

    /// Nil when `role` may; otherwise the refusal sentence.
    public func refusal(for role: Role) -> String? { role.may(self) ? nil : refusal }
}
