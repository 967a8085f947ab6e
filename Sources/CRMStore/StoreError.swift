import CRMCore
import Foundation

/// What a repository call can fail with, in terms a screen can show.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The record was changed by someone else since it was read: the edit is
    /// refused, never applied over theirs.
    case stale(StaleEdit)
    case notFound(entity: String, id: Int64)
    case invalid(ValidationFailure)
    case schemaTooNew(found: Int, supported: Int, path: String)
    case walUnavailable(path: String, mode: String)
    case sqlite(SQLiteError)

    public var description: String {
        switch self {
        case .stale(let s): return s.description
        case .notFound(let entity, let id): return "\(entity) \(id) does not exist (deleted meanwhile?)"
        case .invalid(let v): return v.description
        case .schemaTooNew(let found, let supported, let path):
            return "\(path) has schema version \(found), but this crm understands versions up to \(supported): it was written by a newer crm. Upgrade crm; the database was not changed."
        case .walUnavailable(let path, let mode):
            return "\(path): cannot switch to WAL journal mode (got \(mode)); is it on a network file system?"
        case .sqlite(let e): return e.description
        }
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

    public var description: String {
        let who = changedBy ?? "someone else"
        if deleted { return "\(entity) was deleted by \(who) meanwhile; your change was not saved" }
        let fields = changedFields.isEmpty ? "" : " (\(changedFields.joined(separator: ", ")))"
        return "\(entity) was changed by \(who) meanwhile\(fields); your change was not saved"
    }
}
