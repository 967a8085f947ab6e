import CRMCore
import CRMRepositories
import Foundation

extension SQLiteCompanyRepository {
    /// What points at a company and moves with a merge.
    static let mergeLinks = [MergeMover.contacts, MergeMover.deals, MergeMover.interactions]

    public func mergePreview(keep: Int64, other: Int64) throws -> MergePreview {
        let counts = try c.first("""
            SELECT (SELECT count(*) FROM contacts WHERE company_id = ?1 AND deleted_at IS NULL),
                   (SELECT count(*) FROM interactions WHERE company_id = ?1 AND deleted_at IS NULL AND kind <> 'stage'),
                   (SELECT count(*) FROM deals WHERE company_id = ?1 AND deleted_at IS NULL)
            """, [other]) { ($0.int(0), $0.int(1), $0.int(2)) }
        guard let counts else { return MergePreview() }
        return MergePreview(interactions: counts.1, deals: counts.2, contacts: counts.0)
    }

    public func merge(into survivor: Company, other: Int64, otherVersion: Int64) throws -> MergeResult<Company> {
        try ValidationFailure.check(survivor.validate())
        let mover = MergeMover(db: db)
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
            let otherVersionNow = try mover.retire(table: "companies", entity: "company", id: other, expected: otherVersion,
                                                   into: survivor.id)
            try c.run("UPDATE companies SET version = version + 1, updated_at = ? WHERE id = ?", [db.clock.now, survivor.id])
            try db.audit.record("company", survivor.id, "merge", changes: ["merged_from": ("", "\(other) \(otherBefore.name)")])
            return MergeResult(survivorBefore: before, survivorVersion: try version(of: survivor.id),
                               otherBefore: otherBefore, otherVersion: otherVersionNow, moved: moved)
        }
    }

    public func undoMerge(_ result: MergeResult<Company>) throws {
        let mover = MergeMover(db: db)
        let survivorID = result.survivorBefore.id, otherID = result.otherBefore.id
        try c.transaction {
            let current = try version(of: survivorID)
            guard current == result.survivorVersion else {
                throw try db.audit.staleEdit(entity: "company", table: "companies", id: survivorID, expected: result.survivorVersion)
            }
            try mover.unretire(table: "companies", entity: "company", id: otherID, expected: result.otherVersion, survivor: survivorID)
            try mover.moveBack(result.moved, links: Self.mergeLinks, column: "company_id", survivor: survivorID, other: otherID)
            var back = result.survivorBefore
            back.version = current
            _ = try update(back)
            try db.audit.record("company", survivorID, "unmerge", changes: ["merged_from": ("\(otherID)", "")])
        }
    }

    private func version(of id: Int64) throws -> Int64 {
        try c.scalar("SELECT version FROM companies WHERE id = ?", [id]) ?? 0
    }
}
