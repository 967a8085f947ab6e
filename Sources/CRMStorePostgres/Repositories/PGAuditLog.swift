import CRMCore
import CRMRepositories
import Foundation

/// The audit log on PostgreSQL: the same rows as on SQLite (who, when, which
/// entity, what changed as a JSON object of [old, new]).
public final class PGAuditLog {
    let db: PostgresDatabase
    init(db: PostgresDatabase) { self.db = db }

    /// Records one action; `changes` holds texts (a name before and after).
    func record(_ entity: String, _ id: Int64, _ action: String, changes: [String: (String, String)] = [:]) throws {
        try record(entity, id, action, values: changes.mapValues { AuditChange(.text($0.0), .text($0.1)) })
    }

    /// Records one action with its values as the JSON values they are.
    /// Written only while the user is active (as on SQLite): a user
    /// deactivated while their screen was open has every action refused.
    func record(_ entity: String, _ id: Int64, _ action: String, values: [String: AuditChange]) throws {
        let statement = try recordStatement(entity, id, action, values: values)
        try recorded(db.connection.query(statement.sql, statement.params))
    }

    /// `record`'s statement, for a write that sends it in one round trip
    /// with its own (`PGConnection.sendPipeline`); `recorded` checks its result.
    func recordStatement(_ entity: String, _ id: Int64, _ action: String,
                         values: [String: AuditChange]) throws -> PGConnection.Pipelined {
        let me: Int64? = db.currentUser.storedID
        return .numbered("""
            INSERT INTO audit_log(at, user_id, entity, entity_id, action, changes)
            SELECT ?::bigint, ?::bigint, ?::text, ?::bigint, ?::text, ?::text
            WHERE ?::bigint IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = ?::bigint AND active = 1)
            """, [db.clock.now, me, entity, id, action, try AuditValue.json(of: values), me, me])
    }

    /// No row written: the user was deactivated while their screen was open.
    func recorded(_ result: PGRows) throws {
        if result.affected == 0 { throw UserRefusal.deactivatedMeanwhile(db.currentUser.login) }
    }

    public func entries(entity: String, id: Int64, limit: Int = 50) throws -> [AuditEntry] {
        try page(AuditFilter(entity: entity, entityID: id), after: nil, limit: limit)
    }

    /// Entries matching `filter`, newest first, keyset-paged on the row id.
    public func page(_ filter: AuditFilter, after: Int64?, limit: Int) throws -> [AuditEntry] {
        var conditions: [String] = []
        var bindings: [any PGBindable] = []
        if let entity = filter.entity { conditions.append("a.entity = ?"); bindings.append(entity) }
        if let id = filter.entityID { conditions.append("a.entity_id = ?"); bindings.append(id) }
        if let login = filter.userLogin { conditions.append("lower(u.login) = lower(?)"); bindings.append(login) }
        if let action = filter.action { conditions.append("a.action = ?"); bindings.append(action) }
        if let since = filter.since { conditions.append("a.at >= ?"); bindings.append(since) }
        if let until = filter.until { conditions.append("a.at < ?"); bindings.append(until) }
        if let after { conditions.append("a.id < ?"); bindings.append(after) }
        bindings.append(max(0, limit))
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // The conditions are our own fixed fragments; every value is bound.
        return try db.connection.rows("""
            SELECT a.id, a.at, u.login, a.entity, a.entity_id, a.action, a.changes FROM audit_log a
            LEFT JOIN users u ON u.id = a.user_id
            \(whereClause) ORDER BY a.id DESC LIMIT ?
            """, bindings) { row in
            AuditEntry(id: row.int64(0), at: row.date(1), userLogin: row.optionalString(2), entity: row.string(3),
                       entityID: row.int64(4), action: row.string(5), changes: AuditValue.changes(fromJSON: row.string(6)))
        }
    }

    /// Builds the refusal for an update whose expected version is stale:
    /// who changed the record last, when, and which fields since `expected`.
    /// `table` is one of our own table names, never outside text.
    func staleEdit(entity: String, table: String, id: Int64, expected: Int64) throws -> RepositoryError {
        let row = try db.connection.first("SELECT version, deleted_at FROM \(table) WHERE id = ?", [id]) {
            ($0.int64(0), $0.optionalInt64(1))
        }
        guard let (current, deletedAt) = row else { return .notFound(entity: entity, id: id) }
        return try StaleEdit.refusal(entity: entity, id: id, expected: expected, current: current, deleted: deletedAt != nil) {
            try entries(entity: entity, id: id, limit: $0)
        }
    }

    /// Refuses a new row that would hang on a record in the trash (a note or
    /// a follow-up on a contact a colleague trashed a moment ago): the
    /// refusal names who put it there and when, as a stale edit does, and
    /// the form keeps what was typed. A record that is gone altogether is
    /// `notFound`. Table names are this module's own, never input.
    func refuseTrashed(_ records: [(entity: String, table: String, id: Int64?)]) throws {
        for record in records {
            guard let id = record.id else { continue }
            let row = try db.connection.first("SELECT version, deleted_at FROM \(record.table) WHERE id = ?", [id]) {
                ($0.int64(0), $0.optionalInt64(1))
            }
            guard let (version, deletedAt) = row else { throw RepositoryError.notFound(entity: record.entity, id: id) }
            guard deletedAt != nil else { continue }
            // The newest entry of its trail is the delete: who and when.
            throw try StaleEdit.refusal(entity: record.entity, id: id, expected: version - 1, current: version, deleted: true) {
                try entries(entity: record.entity, id: id, limit: $0)
            }
        }
    }
}
