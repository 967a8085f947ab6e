import CRMCore
import CRMRepositories
import Foundation

/// Reassigning a marked selection of contacts or deals in one transaction,
/// and undoing it record by record: a record someone changed since stays as
/// they left it, and the undo says who changed what.
final class SQLiteReassigner: ReassignRepository {
    let db: Database
    init(db: Database) { self.db = db }

    /// Table, the column that names the record, and the audit's entity name.
    /// Our own constants: they are put into SQL, never anything typed.
    private static func table(_ kind: ReassignItem.Kind) -> (table: String, name: String, entity: String) {
        switch kind {
        case .contact: ("contacts", "name", "contact")
        case .deal: ("deals", "title", "deal")
        }
    }

    func reassign(_ items: [ReassignItem], to ownerID: Int64) throws -> Reassignment {
        try db.transaction {
            guard let target = try db.users.get(ownerID) else { throw RepositoryError.notFound(entity: "user", id: ownerID) }
            guard target.isActive else {
                throw UserRefusal(.deactivated, "\(target.login) is deactivated: choose an active user as the new owner")
            }
            let me = db.currentUser
            var moved: [ReassignedRecord] = []
            var unchanged = 0
            for item in items {
                let t = Self.table(item.kind)
                let row = try db.connection.first("SELECT owner_id, \(t.name), deleted_at FROM \(t.table) WHERE id = ?", [item.id]) {
                    ($0.optionalInt64(0), $0.string(1), $0.optionalInt64(2))
                }
                guard let (owner, name, deletedAt) = row, deletedAt == nil else {
                    throw RepositoryError.notFound(entity: t.entity, id: item.id)
                }
                if owner == ownerID { unchanged += 1; continue }
                // A rep hands over their own records; others' need a manager.
                if owner != me.id, let reason = Permission.reassignRecords.refusal(for: me.role) {
                    throw UserRefusal(.notPermitted, "\(name) is not yours: \(reason); you are \(me.login), \(me.role.withArticle)")
                }
                try db.connection.run("UPDATE \(t.table) SET owner_id = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                                      [ownerID, db.clock.now, item.id])
                try db.audit.record(t.entity, item.id, "reassign", values: ["owner": AuditChange(AuditValue.of(owner), .int(ownerID))])
                let version = try db.connection.scalar("SELECT version FROM \(t.table) WHERE id = ?", [item.id]) ?? 0
                moved.append(ReassignedRecord(item: item, name: name, fromOwnerID: owner, version: version))
            }
            return Reassignment(toOwnerID: ownerID, toLogin: target.login, moved: moved, unchanged: unchanged)
        }
    }

    func undoReassign(_ reassignment: Reassignment) throws -> ReassignUndo {
        try db.transaction {
            var restored = 0
            var refused: [(name: String, stale: StaleEdit)] = []
            for record in reassignment.moved {
                let t = Self.table(record.item.kind)
                // Only the version this reassignment wrote is put back.
                try db.connection.run(
                    "UPDATE \(t.table) SET owner_id = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND deleted_at IS NULL",
                    [record.fromOwnerID, db.clock.now, record.item.id, record.version])
                if db.connection.changes == 1 {
                    try db.audit.record(t.entity, record.item.id, "reassign",
                                        values: ["owner": AuditChange(.int(reassignment.toOwnerID), AuditValue.of(record.fromOwnerID))])
                    restored += 1
                } else if case .stale(let edit) = try db.audit.staleEdit(entity: t.entity, table: t.table, id: record.item.id,
                                                                          expected: record.version) {
                    refused.append((record.name, edit))
                } else {
                    refused.append((record.name, StaleEdit(entity: t.entity, id: record.item.id, expectedVersion: record.version,
                                                           currentVersion: 0, changedBy: nil, changedAt: nil, changedFields: [],
                                                           deleted: true)))
                }
            }
            return ReassignUndo(restored: restored, refused: refused)
        }
    }
}
