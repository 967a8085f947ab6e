import CRMCore
import CRMRepositories
import Foundation

/// SQLiteContactRepository+Merge on PostgreSQL.
extension PGContactRepository {
    /// What points at a contact and moves with a merge.
    static let mergeLinks = [PGMergeMover.interactions, PGMergeMover.deals, PGMergeMover.followUps]

    public func mergePreview(keep: Int64, other: Int64) throws -> MergePreview {
        let counts = try c.query("""
            SELECT (SELECT count(*) FROM interactions WHERE contact_id = $1::bigint AND deleted_at IS NULL AND kind <> 'stage'),
                   (SELECT count(*) FROM deals WHERE contact_id = $1::bigint AND deleted_at IS NULL),
                   (SELECT count(*) FROM follow_ups WHERE contact_id = $1::bigint AND deleted_at IS NULL AND status = 'open'),
                   (SELECT count(*) FROM follow_ups WHERE contact_id = $1::bigint AND deleted_at IS NULL),
                   (SELECT count(*) FROM contacts o, contacts k WHERE o.id = $1::bigint AND k.id = $2::bigint
                    AND o.company_id IS NOT NULL AND k.company_id IS NULL)
            """, [other, keep]).first.map { ($0.int(0), $0.int(1), $0.int(2), $0.int(3), $0.int(4)) }
        guard let counts else { return MergePreview() }
        return MergePreview(interactions: counts.0, deals: counts.1, openFollowUps: counts.2, followUps: counts.3,
                            companyLinks: counts.4)
    }

    public func merge(into survivor: Contact, other: Int64, otherVersion: Int64) throws -> MergeResult<Contact> {
        try ValidationFailure.check(survivor.validate())
        let mover = PGMergeMover(db: db)
        return try c.transaction {
            try mover.requireTwo(table: "contacts", entity: "contact", keep: survivor.id, other: other)
            guard let before = try get(survivor.id), before.version == survivor.version else {
                throw try db.audit.staleEdit(entity: "contact", table: "contacts", id: survivor.id, expected: survivor.version)
            }
            guard let otherBefore = try get(other), otherBefore.version == otherVersion else {
                throw try db.audit.staleEdit(entity: "contact", table: "contacts", id: other, expected: otherVersion)
            }
            _ = try update(survivor)
            let moved = try mover.move(Self.mergeLinks, column: "contact_id", from: other, to: survivor.id)
            let otherVersionNow = try mover.retire(table: "contacts", entity: "contact", id: other, expected: otherVersion,
                                                   into: survivor.id)
            // The survivor's version moves on even when no field of its own
            // changed (its timeline did), and the audit says what was merged into it.
            try c.run("UPDATE contacts SET version = version + 1, updated_at = ?::bigint WHERE id = ?::bigint", [db.clock.now, survivor.id])
            try db.audit.record("contact", survivor.id, "merge", changes: ["merged_from": ("", "\(other) \(otherBefore.name)")])
            return MergeResult(survivorBefore: before, survivorVersion: try mover.version(table: "contacts", of: survivor.id),
                               otherBefore: otherBefore, otherVersion: otherVersionNow, moved: moved)
        }
    }

    public func undoMerge(_ result: MergeResult<Contact>) throws {
        let mover = PGMergeMover(db: db)
        let survivorID = result.survivorBefore.id, otherID = result.otherBefore.id
        try c.transaction {
            let current = try mover.version(table: "contacts", of: survivorID)
            guard current == result.survivorVersion else {
                throw try db.audit.staleEdit(entity: "contact", table: "contacts", id: survivorID, expected: result.survivorVersion)
            }
            try mover.unretire(table: "contacts", entity: "contact", id: otherID, expected: result.otherVersion, survivor: survivorID)
            try mover.moveBack(result.moved, links: Self.mergeLinks, column: "contact_id", survivor: survivorID, other: otherID)
            var back = result.survivorBefore
            back.version = current
            _ = try update(back)
            try db.audit.record("contact", survivorID, "unmerge", changes: ["merged_from": ("\(otherID)", "")])
        }
    }
}
