import CRMCore
import Foundation

/// What a repository call can fail with, whatever the engine: a short sentence
/// for the screen and the CLI (`description`), and the engine's own words (the
/// statement, its code and message) in `diagnostic`, for `crm.log` only.
public enum RepositoryError: Error, CustomStringConvertible, Sendable {
    /// The record was changed by someone else since it was read: the edit is
    /// refused, never applied over theirs.
    case stale(StaleEdit)
    case notFound(entity: String, id: Int64)
    case invalid(ValidationFailure)
    /// Another process held the write lock for longer than we wait for it.
    case busy(Diagnostic)
    case readOnly(Diagnostic)
    case diskFull(Diagnostic)
    /// The file is not a database of any kind this engine reads.
    case notADatabase(path: String, Diagnostic)
    case damaged(Diagnostic)
    case schemaTooNew(found: Int, supported: Int, path: String)
    /// The database cannot be opened or used at all (missing, no permission,
    /// an unusable file system); `reason` says which.
    case unavailable(path: String, reason: String, Diagnostic?)
    /// Anything else the engine reported: a bug or an unexpected state.
    case failed(Diagnostic)

    public var description: String {
        switch self {
        case .stale(let s): return s.description
        case .notFound(let entity, _): return "The \(entity) no longer exists: someone deleted it meanwhile"
        case .invalid(let v): return v.description
        case .busy:
            return Self.busyReason + ". Nothing was changed; try again in a moment"
        case .readOnly: return "The database is read-only for you: nothing can be saved (check the file's permissions)"
        case .diskFull: return "The disk is full: nothing was saved. Free some space and try again"
        case .notADatabase(let path, _): return "\(path) is not a crm database"
        case .damaged: return "The database file is damaged; run 'crm check' and restore a backup"
        case .schemaTooNew(let found, let supported, let path):
            return "\(path) has schema version \(found), but this crm understands versions up to \(supported): it was written by a newer crm. Upgrade crm; the database was not changed."
        case .unavailable(let path, let reason, _): return "cannot use \(path): \(reason)"
        case .failed: return "The database reported an unexpected error; nothing was changed (details in crm.log)"
        }
    }

    /// The engine's words, for the log: never shown on the screen.
    public var diagnostic: Diagnostic? {
        switch self {
        case .busy(let d), .readOnly(let d), .diskFull(let d), .damaged(let d), .failed(let d): return d
        case .notADatabase(_, let d): return d
        case .unavailable(_, _, let d): return d
        case .stale, .notFound, .invalid, .schemaTooNew: return nil
        }
    }

    /// The first half of `.busy`'s sentence, for screens that go on to say
    /// which key tries again.
    public static let busyReason = "The database is busy: another user's save is still running"

    /// True when trying the same action again later may work.
    public var isTransient: Bool {
        if case .busy = self { return true }
        return false
    }
}

/// What the engine said, as it said it.
public struct Diagnostic: Sendable, CustomStringConvertible {
    public let engine: String
    public let code: Int32
    public let message: String
    /// The statement that failed, when there was one.
    public let statement: String?

    public init(engine: String, code: Int32, message: String, statement: String? = nil) {
        self.engine = engine; self.code = code; self.message = message; self.statement = statement
    }

    public var description: String {
        let head = "\(engine) error \(code): \(message)"
        return statement.map { "\(head) (in: \($0))" } ?? head
    }
}

/// The details of a refused stale edit: who changed the record, when, and
/// which fields, so the user can reload or review instead of overwriting.
public struct StaleEdit: Sendable, CustomStringConvertible {
    public let entity: String
    public let id: Int64
    public let expectedVersion: Int64
    public let currentVersion: Int64
    public let changedBy: String?
    public let changedAt: Date?
    public let changedFields: [String]
    /// Deleted by someone else rather than edited.
    public let deleted: Bool
    /// The record it was merged into, when the delete was a merge (a
    /// colleague merged the duplicate being edited into its survivor).
    public let mergedInto: Int64?

    public init(entity: String, id: Int64, expectedVersion: Int64, currentVersion: Int64, changedBy: String?,
                changedAt: Date?, changedFields: [String], deleted: Bool, mergedInto: Int64? = nil) {
        self.entity = entity; self.id = id; self.expectedVersion = expectedVersion; self.currentVersion = currentVersion
        self.changedBy = changedBy; self.changedAt = changedAt; self.changedFields = changedFields; self.deleted = deleted
        self.mergedInto = mergedInto
    }

    public var description: String { sentence(time: nil) }

    /// The refusal in words; with `time` (the screen's way of writing a
    /// moment, in the user's calendar and zone) it also says when, as
    /// "changed by omid at 2026-03-14 15:04".
    /// " at 2026-03-14 15:04" when the change's time is known and `time`
    /// writes it; " meanwhile" otherwise.
    public func when(time: ((Date) -> String)?) -> String {
        changedAt.flatMap { at in time.map { " at " + $0(at) } } ?? " meanwhile"
    }

    /// What happened, without what it means for the change: "the
    /// follow-up was changed by reza at 19:06 (due)".
    public func change(time: ((Date) -> String)?) -> String {
        let who = changedBy ?? "someone else"
        let fields = changedFields.isEmpty ? "" : " (\(changedFields.joined(separator: ", ")))"
        return deleted ? "the \(entity) was deleted by \(who)\(when(time: time))" : "the \(entity) was changed by \(who)\(when(time: time))\(fields)"
    }

    public func sentence(time: ((Date) -> String)?) -> String {
        let who = changedBy ?? "someone else"
        let when = self.when(time: time)
        if deleted, let mergedInto {
            return "The \(entity) was merged into \(entity) #\(mergedInto) by \(who)\(when); your change was not saved (make it there)"
        }
        if deleted { return "The \(entity) was deleted by \(who)\(when); your change was not saved" }
        let fields = changedFields.isEmpty ? "" : " (\(changedFields.joined(separator: ", ")))"
        return "The \(entity) was changed by \(who)\(when)\(fields); your change was not saved"
    }
}

extension StaleEdit {
    /// The refusal for an edit that expected `expected` of a record now at
    /// `current`, told from the record's audit trail: who changed it last,
    /// when, and which fields since. `recent(n)` gives the record's `n`
    /// newest audit entries, newest first (each engine reads its own log).
    public static func refusal(entity: String, id: Int64, expected: Int64, current: Int64, deleted: Bool,
                               recent: (Int) throws -> [AuditEntry]) rethrows -> RepositoryError {
        // One read: the newest of the entries since `expected` is the last change.
        let since = try recent(max(1, Int(current - expected)))
        let fields = since.flatMap { $0.changes.keys }
        // A merge is a delete that names its survivor (MergeMover's entry).
        let merge = deleted ? since.first.flatMap { $0.action == "merge" ? $0.changes["merged_into"]?.new : nil } : nil
        let survivor = merge.flatMap { $0.int64 ?? Int64($0.display) }
        return .stale(StaleEdit(entity: entity, id: id, expectedVersion: expected, currentVersion: current,
                                changedBy: since.first?.userLogin, changedAt: since.first?.at,
                                changedFields: Array(Set(fields)).sorted(), deleted: deleted, mergedInto: survivor))
    }
}
