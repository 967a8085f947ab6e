import CRMCore
import CRMRepositories
import Foundation

/// Audit entries in words, the same on the screen and in `crm audit`:
/// when (in the user's calendar and time zone), who, what was done to which
/// record, and each field from what to what. Owner and assignee ids read as
/// logins; times stored as ISO 8601 UTC read in the user's calendar.
public struct AuditText {
    public let timeFormat: TimeFormat
    /// user id → login, for owner and assignee values.
    public let logins: [Int64: String]

    public init(timeFormat: TimeFormat, users: [User]) {
        self.timeFormat = timeFormat
        self.logins = Dictionary(users.map { ($0.id, $0.login) }, uniquingKeysWith: { a, _ in a })
    }

    /// The kinds of record `crm audit --entity` and the audit view filter by,
    /// as the user names them and as the log stores them.
    public static let entityKinds: [(name: String, stored: String)] = [
        ("contact", "contact"), ("company", "company"), ("deal", "deal"),
        ("followup", "follow-up"), ("interaction", "interaction"),
        // What the log holds besides records (QA 27 #21): the board's
        // stages and pipelines, users and hand-overs, imports, settings.
        ("stage", "stage"), ("pipeline", "pipeline"), ("user", "user"), ("import", "import"), ("setting", "setting"),
    ]

    /// "2026-11-29 16:59 · sara · update contact 12".
    public func heading(_ entry: AuditEntry) -> String {
        // An import is recorded as action "import" on the batch: "import batch 3", not "import import 3".
        let what = entry.entity == "import" ? "batch" : entry.entity
        // A user is named by login too: "deactivate user 2" said nothing of who (QA 41 #6).
        let login = entry.entity == "user" ? logins[entry.entityID].map { " (\($0))" } ?? "" : ""
        return "\(timeFormat.full(entry.at)) · \(entry.userLogin ?? "system") · \(entry.action) \(what) \(entry.entityID)\(login)"
    }

    /// One line per changed field, sorted by field: "owner: omid → sara".
    public func fieldLines(_ entry: AuditEntry) -> [String] {
        entry.changes.keys.sorted().map { field in
            let change = entry.changes[field]!
            return "\(field): \(value(change.old, field: field)) → \(value(change.new, field: field))"
        }
    }

    /// A value as the user reads it.
    public func value(_ value: AuditValue, field: String) -> String {
        if ["owner", "assignee", "author"].contains(field), let id = value.int64 {
            return logins[id] ?? "user \(id)"
        }
        if case .text(let text) = value, let date = Self.isoDate(text) { return timeFormat.full(date) }
        return value.display
    }

    /// A time the audit log stores ("2026-11-29T16:59:12Z"), or nil.
    static func isoDate(_ text: String) -> Date? {
        guard text.count == 20, text.hasSuffix("Z"), text.dropFirst(10).first == "T" else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.date(from: text)
    }
}
