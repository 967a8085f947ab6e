import CRMCore
import CRMRepositories
import Foundation

/// SQLiteCompanyRepository+Merge on PostgreSQL. The contacts that move are
/// found by the survivor's name from then on (their search documents).
extension PGCompanyRepository {
    /// What points at a company and moves with a merge.
    static let mergeLinks = [PGMergeMover.contacts, PGMergeMover.deals, PGMergeMover.interactions]

    public func mergePreview(keep: Int64, other: Int64) throws -> MergePreview {
        let counts = try c.query("""
            SELECT (SELECT count(*) FROM contacts WHERE company_id = $1::bigint AND deleted_at IS NULL),
                   (SELECT count(*) FROM interactions WHERE company_id = $1::bigint AND deleted_at IS NULL AND kind <> 'stage'),
                   (SELECT count(*) FROM deals WHERE company_id = $1::bigint AND deleted_at IS NULL)
            """, [other]).first.map { ($0.int(0), $0.int(1), $0.int(2)) }
        guard let counts else { return MergePreview() }
        return MergePreview(interactions: counts.1, deals: counts.2, contacts: counts.0)
    }

    public func merge(into survivor: Company, other: Int64, otherVersion: Int64) throws -> MergeResult<Company> {
        try ValidationFailure.check(survivor.validate())
        let mover = PGMergeMover(db: db)
        return try c.transaction {
            try mover.requireTwo(table: "companies", entity: "company", keep: survivor.id, other: other)
            guard let before = try get(survivor.id), before.version == survivor.version else {
                throw try db.audit.staleEdit(entity: "company", table: "companies", id: survivor.id, expected: survivor.version)
            }
            guard let otherBefore = try get(other), otherBefore.version == otherVersion else {
                throw try db.audit.staleEdit(entity: "company", table: "companies", id: other, expected: otherVersion)
            }
            _ = try update(survivor)
            let moved = try mover.move(Self.mergeLinks, column: "company_id", from: other, to: survivor.id)
            try PGSearchDocument.refreshContacts(c, ids: moved.filter { $0.entity == "contact" }.map(\.id))
            let otherVersionNow = try mover.retire(table: "companies", entity: "company", id: other, expected: otherVersion,
                                                   into: survivor.id)
            try c.run("UPDATE companies SET version = version + 1, updated_at = ?::bigint WHERE id = ?::bigint", [db.clock.now, survivor.id])
            try db.audit.record("company", survivor.id, "merge", changes: ["merged_from": ("", "\(other) \(otherBefore.name)")])
            return MergeResult(survivorBefore: before, survivorVersion: try mover.version(table: "companies", of: survivor.id),
                               otherBefore: otherBefore, otherVersion: otherVersionNow, moved: moved)
        }
    }

    public func undoMerge(_ result: MergeResult<Company>) throws {
        let mover = PGMergeMover(db: db)
        let survivorID = result.survivorBefore.id, otherID = result.otherBefore.id
        try c.transaction {
            let current = try mover.version(table: "companies", of: survivorID)
            guard current == result.survivorVersion else {
                throw try db.audit.staleEdit(entity: "company", table: "companies", id: survivorID, expected: result.survivorVersion)
            }
            try mover.unretire(table: "companies", entity: "company", id: otherID, expected: result.otherVersion, survivor: survivorID)
            try mover.moveBack(result.moved, links: Self.mergeLinks, column: "company_id", survivor: survivorID, other: otherID)
            try PGSearchDocument.refreshContacts(c, ids: result.moved.filter { $0.entity == "contact" }.map(\.id))
            var back = result.survivorBefore
            back.version = current
            _ = try update(back)
            try db.audit.record("company", survivorID, "unmerge", changes: ["merged_from": ("\(otherID)", "")])
        }
    }
}
