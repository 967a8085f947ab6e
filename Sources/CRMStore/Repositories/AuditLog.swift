import CRMCore
import CRMRepositories
import Foundation

public final class AuditLog {
    let db: Database
    init(db: Database) { self.db = db }

    func record(_ entity: String, _ id: Int64, _ action: String, changes: [String: (String, String)] = [:]) throws {
        var object: [String: [String]] = [:]
        for (field, (old, new)) in changes { object[field] = [old, new] }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try db.connection.run(
            "INSERT INTO audit_log(at, user_id, entity, entity_id, action, changes) VALUES (?, ?, ?, ?, ?, ?)",
            [db.clock.now, db.currentUser.id == 0 ? nil : db.currentUser.id, entity, id, action, String(decoding: data, as: UTF8.self)])
    }

    public func entries(entity: String, id: Int64, limit: Int = 50) throws -> [AuditEntry] {
        try db.connection.rows("""
            SELECT a.at, u.login, a.entity, a.entity_id, a.action, a.changes FROM audit_log a
            LEFT JOIN users u ON u.id = a.user_id
            WHERE a.entity = ? AND a.entity_id = ? ORDER BY a.id DESC LIMIT ?
            """, [entity, id, limit]) { row in
            let json = (try? JSONSerialization.jsonObject(with: Data(row.string(5).utf8))) as? [String: [String]] ?? [:]
            return AuditEntry(at: row.date(0), userLogin: row.optionalString(1), entity: row.string(2),
                              entityID: row.int64(3), action: row.string(4), changes: json)
        }
    }

    /// Builds the refusal for an update whose expected version is stale.
    func staleEdit(entity: String, table: String, id: Int64, expected: Int64) throws -> RepositoryError {
        let row = try db.connection.first("SELECT version, deleted_at FROM \(table) WHERE id = ?", [id]) {
            ($0.int64(0), $0.optionalInt64(1))
        }
        guard let (current, deletedAt) = row else { return .notFound(entity: entity, id: id) }
        let last = try entries(entity: entity, id: id, limit: 1).first
        let fields = try entries(entity: entity, id: id, limit: max(1, Int(current - expected)))
            .flatMap { $0.changes.keys }
        return .stale(StaleEdit(entity: entity, id: id, expectedVersion: expected, currentVersion: current,
                                changedBy: last?.userLogin, changedAt: last?.at,
                                changedFields: Array(Set(fields)).sorted(), deleted: deletedAt != nil))
    }
}

/// Collects the fields that differ between two versions of a record.
struct FieldChanges {
    private(set) var fields: [String: (String, String)] = [:]
    mutating func compare<T: Equatable>(_ name: String, _ old: T, _ new: T) {
        if old != new { fields[name] = ("\(old)", "\(new)") }
    }
    var isEmpty: Bool { fields.isEmpty }
}
