import CRMCore
import CRMRepositories
import Foundation

/// Reassigning a marked selection of contacts or deals on PostgreSQL, as
/// SQLiteReassigner does: one transaction, each record audited as a
/// "reassign" of its owner, refused whole (nothing written) for an unknown or
/// deactivated new owner, a record gone, or a rep handing over what is not
/// theirs; and undone record by record, where a record someone changed since
/// stays as they left it and the undo says who changed what.
///
/// On a database whose roles are enforced (a rep signed in as their own
/// database role), the server also refuses a rep's undo of a hand-over:
/// the records are the colleague's by then; that is a `UserRefusal` too.
///
/// Each record is read `FOR UPDATE`, so a session editing it at the same
/// moment waits for this transaction and then sees the new version (and is
/// refused as stale) instead of writing over the new owner.
public final class PGReassigner: ReassignRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    /// Table, the column that names the record, and the audit's entity name.
    /// Our own constants: they are put into SQL, never anything typed.
    private static func table(_ kind: ReassignItem.Kind) -> (table: String, name: String, entity: String) {
        switch kind {
        case .contact: ("contacts", "name", "contact")
        case .deal: ("deals", "title", "deal")
        }
    }

    public func reassign(_ items: [ReassignItem], to ownerID: Int64) throws -> Reassignment {
        try db.transaction {
            guard let target = try PGUserRepository(db: db).get(ownerID) else { throw RepositoryError.notFound(entity: "user", id: ownerID) }
            guard target.isActive else {
                throw UserRefusal(.deactivated, "\(target.login) is deactivated: choose an active user as the new owner")
            }
            let me = db.currentUser
            var moved: [ReassignedRecord] = []
            var unchanged = 0
            for item in items {
                let t = Self.table(item.kind)
                let row = try c.first("SELECT owner_id, \(t.name), deleted_at FROM \(t.table) WHERE id = ?::bigint FOR UPDATE", [item.id]) {
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
                let version = try c.integer("""
                    UPDATE \(t.table) SET owner_id = ?::bigint, updated_at = ?::bigint, version = version + 1 WHERE id = ?::bigint
                    RETURNING version
                    """, [ownerID, db.clock.now, item.id]) ?? 0
                try db.audit.record(t.entity, item.id, "reassign", values: ["owner": AuditChange(AuditValue.of(owner), .int(ownerID))])
                moved.append(ReassignedRecord(item: item, name: name, fromOwnerID: owner, version: version))
            }
            return Reassignment(toOwnerID: ownerID, toLogin: target.login, moved: moved, unchanged: unchanged)
        }
    }

    public func undoReassign(_ reassignment: Reassignment) throws -> ReassignUndo {
        try db.transaction {
            var restored = 0
            var refused: [(name: String, stale: StaleEdit)] = []
            for record in reassignment.moved {
                let t = Self.table(record.item.kind)
                // Only the version this reassignment wrote is put back: the
                // version check is the write itself.
                let changed: Int
                do {
                    changed = try c.run("""
                        UPDATE \(t.table) SET owner_id = ?::bigint, updated_at = ?::bigint, version = version + 1
                        WHERE id = ?::bigint AND version = ?::bigint AND deleted_at IS NULL
                        """, [record.fromOwnerID, db.clock.now, record.item.id, record.version])
                } catch where c.lastError?.sqlState == "42501" {
                    // The database's roles (crm_check_reassign): a rep signed
                    // in as their own role may give a record away but not take
                    // a colleague's, and after the hand-over it is the
                    // colleague's. Nothing of the undo is kept.
                    let me = db.currentUser
                    throw UserRefusal(.notPermitted, "\(record.name) is \(reassignment.toLogin)'s now and the database lets only a "
                                      + "manager or an admin move it back; you are \(me.login), \(me.role.withArticle)")
                }
                if changed == 1 {
                    try db.audit.record(t.entity, record.item.id, "reassign",
                                        values: ["owner": AuditChange(.int(reassignment.toOwnerID), AuditValue.of(record.fromOwnerID))])
                    restored += 1
                } else if case .stale(let edit) = try db.audit.staleEdit(entity: t.entity, table: t.table, id: record.item.id,
                                                                          expected: record.version) {
                    refused.append((record.name, edit))
                } else {
                    // Purged since: nothing to put back.
                    refused.append((record.name, StaleEdit(entity: t.entity, id: record.item.id, expectedVersion: record.version,
                                                           currentVersion: 0, changedBy: nil, changedAt: nil, changedFields: [],
                                                           deleted: true)))
                }
            }
            return ReassignUndo(restored: restored, refused: refused)
        }
    }
}
