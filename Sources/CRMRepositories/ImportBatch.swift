import Foundation

/// One import as it was recorded: what `crm import --list` shows and
/// `crm import --undo ID` takes back.
public struct ImportBatch: Sendable, Equatable {
    public var id: Int64
    /// The file's name.
    public var label: String
    public var format: String
    public var userLogin: String?
    public var at: Date
    public var rowsRead: Int
    public var created: Int
    public var merged: Int
    public var skipped: Int
    public var rejected: Int
    public var companiesCreated: Int
    public var undoneAt: Date?
    public var undoneBy: String?

    public init(id: Int64, label: String, format: String, userLogin: String?, at: Date, rowsRead: Int, created: Int,
                merged: Int, skipped: Int, rejected: Int, companiesCreated: Int, undoneAt: Date?, undoneBy: String?) {
        self.id = id; self.label = label; self.format = format; self.userLogin = userLogin; self.at = at
        self.rowsRead = rowsRead; self.created = created; self.merged = merged; self.skipped = skipped
        self.rejected = rejected; self.companiesCreated = companiesCreated; self.undoneAt = undoneAt; self.undoneBy = undoneBy
    }

    /// "sara imported 12,004 contacts from google.csv" (the audit log's words).
    public var sentence: String {
        var s = "\(userLogin ?? "someone") imported \(Self.count(created, "contact")) from \(label)"
        if merged > 0 { s += ", merged \(Self.count(merged, "duplicate"))" }
        return s
    }

    /// "2026-11-29 10:42 UTC": how import lists and refusals give a time.
    public static func utc(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: date)
    }

    /// "12,004 contacts", "1 contact" ("3 companies" with its `plural`).
    public static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.locale = Locale(identifier: "en_US_POSIX")
        f.groupingSeparator = ","
        f.usesGroupingSeparator = true
        return "\(f.string(from: NSNumber(value: n)) ?? String(n)) \(n == 1 ? noun : plural ?? noun + "s")"
    }
}

/// What undoing a batch did.
public struct ImportUndoResult: Sendable, Equatable {
    /// Contacts the batch created, removed.
    public var contactsRemoved = 0
    /// Contacts the batch created that others have since linked interactions,
    /// deals or follow-ups to: moved to the trash instead (only with `force`).
    public var contactsTrashed = 0
    /// Existing contacts the batch merged into, put back as they were.
    public var mergesReverted = 0
    public var companiesRemoved = 0
    /// Companies the batch created that others use now: kept.
    public var companiesKept: [String] = []

    public init() {}
}

/// Undo refused: records of the batch were changed since by someone, or
/// the batch was undone already. Says who changed what, and when: the
/// times are spelled by whoever shows the refusal (`text(times:)`: the
/// settings' calendar and time zone), UTC when nobody says.
public struct ImportUndoRefusal: Error, Sendable, CustomStringConvertible {
    /// The sentence and one line per changed record, times spelled by `time`.
    private let compose: @Sendable (_ time: (Date) -> String) -> (message: String, changes: [String])
    /// Refused for the user's role, not for the batch (the CLI's exit 77).
    public let notPermitted: Bool

    public init(notPermitted: Bool = false,
                _ compose: @escaping @Sendable (_ time: (Date) -> String) -> (message: String, changes: [String])) {
        self.compose = compose; self.notPermitted = notPermitted
    }

    /// The sentence and its lines, with times as `time` spells them.
    public func text(times time: (Date) -> String) -> (message: String, changes: [String]) { compose(time) }
    /// The sentence, times in UTC.
    public var message: String { compose(ImportBatch.utc).message }
    /// One line per changed record: "Ada Lovelace (#12): changed by omid at 2026-11-29 10:42 UTC (title)".
    public var changes: [String] { compose(ImportBatch.utc).changes }
    public var description: String { message }
}

/// A record of an import batch someone changed since the import, as an
/// undo refusal names it.
public enum ImportRecordChange: Sendable, Equatable {
    /// Edited or deleted: the record's newest audit entry says by whom and when.
    case changed(id: Int64, name: String, newest: AuditEntry?)
    /// Interactions, deals or follow-ups were linked to it; `newest`: the
    /// newest of them whose creation the audit log holds.
    case linked(id: Int64, name: String, newest: LinkedRecord?)

    /// "Ada Lovelace (#12): changed by omid at 2026-11-29 10:42 UTC (title)".
    public func line(times time: (Date) -> String) -> String {
        switch self {
        case .changed(let id, let name, let entry):
            let who = entry?.userLogin ?? "someone"
            let what = entry.map { $0.action == "delete" ? "deleted" : "changed" } ?? "changed"
            let fields = (entry?.changes.keys.sorted()).map { $0.isEmpty ? "" : " (\($0.joined(separator: ", ")))" } ?? ""
            let when = entry.map { " at \(time($0.at))" } ?? ""
            return "\(name) (#\(id)): \(what) by \(who)\(when)\(fields)"
        case .linked(let id, let name, let newest?):
            // QA 40 #5: who added what, as a changed record says it.
            return "\(name) (#\(id)): \(newest.what) added by \(newest.by ?? "someone") at \(time(newest.at)) since the import"
        case .linked(let id, let name, nil):
            return "\(name) (#\(id)): interactions, deals or follow-ups were added to it since the import"
        }
    }
}

/// A record linked to an imported contact after the import, as the audit
/// log recorded its creation: an interaction (its kind), a deal or a follow-up.
public struct LinkedRecord: Sendable, Equatable {
    /// "interaction", "deal" or "follow-up", as the audit log names them.
    public let entity: String
    /// The interaction's kind ("note", "call", …); nil for the others.
    public let kind: String?
    public let by: String?
    public let at: Date

    public init(entity: String, kind: String?, by: String?, at: Date) {
        self.entity = entity
        self.kind = kind
        self.by = by
        self.at = at
    }

    /// "a note", "an email", "a deal", "a follow-up".
    public var what: String {
        let noun = entity == "interaction" ? (kind ?? "interaction") : entity
        return (noun.first.map { "aeiou".contains($0) } == true ? "an " : "a ") + noun
    }

    /// The newest creation, among a contact's interactions, deals and
    /// follow-ups, that the audit log holds; the contact's id is bound three
    /// times. The same text on both engines (`?` becomes `$n` on PostgreSQL).
    public static let newestSQL = """
        SELECT a.entity, i.kind, u.login, a.at FROM audit_log a
        LEFT JOIN users u ON u.id = a.user_id
        LEFT JOIN interactions i ON a.entity = 'interaction' AND i.id = a.entity_id
        WHERE a.action = 'create' AND (
            (a.entity = 'interaction' AND a.entity_id IN (SELECT id FROM interactions WHERE contact_id = ?))
         OR (a.entity = 'deal' AND a.entity_id IN (SELECT id FROM deals WHERE contact_id = ?))
         OR (a.entity = 'follow-up' AND a.entity_id IN (SELECT id FROM follow_ups WHERE contact_id = ?)))
        ORDER BY a.id DESC LIMIT 1
        """
}
