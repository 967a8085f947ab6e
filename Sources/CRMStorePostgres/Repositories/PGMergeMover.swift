import CRMCore
import CRMRepositories
import Foundation

/// SQLite's MergeMover on PostgreSQL: the records that point at the
/// merged-away row move to the survivor (each with its version bumped and an
/// audit row), and undo moves exactly those back. Table and column names
/// are our own constants, never input.
struct PGMergeMover {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }

    /// A table whose rows point at the merged record, by `column`.
    struct Link {
        let entity: String
        let table: String
        let hasUpdatedAt: Bool
    }

    static let interactions = Link(entity: "interaction", table: "interactions", hasUpdatedAt: false)
    static let deals = Link(entity: "deal", table: "deals", hasUpdatedAt: true)
    static let followUps = Link(entity: "follow-up", table: "follow_ups", hasUpdatedAt: true)
    static let contacts = Link(entity: "contact", table: "contacts", hasUpdatedAt: true)

    /// Moves every row of each link (in the trash too) whose `column` is `from` to `to`.
    func move(_ links: [Link], column: String, from: Int64, to: Int64) throws -> [MovedRecord] {
        var moved: [MovedRecord] = []
        for link in links {
            let ids = try c.rows("SELECT id FROM \(link.table) WHERE \(column) = ?::bigint ORDER BY id", [from]) { $0.int64(0) }
            for id in ids {
                try write(link, column: column, id: id, value: to)
                try db.audit.record(link.entity, id, "update", values: [column.replacingOccurrences(of: "_id", with: ""): AuditChange(.int(from), .int(to))])
                let version = try c.integer("SELECT version FROM \(link.table) WHERE id = ?::bigint", [id]) ?? 0
                moved.append(MovedRecord(entity: link.entity, id: id, version: version))
            }
        }
        return moved
    }

    /// Moves `moved` back from `survivor` to `other`; refused, naming the
    /// record and who changed it, when one is no longer as the merge left it.
    func moveBack(_ moved: [MovedRecord], links: [Link], column: String, survivor: Int64, other: Int64) throws {
        for record in moved {
            guard let link = links.first(where: { $0.entity == record.entity }) else { continue }
            let row = try c.first("SELECT \(column), version FROM \(link.table) WHERE id = ?::bigint", [record.id]) {
                ($0.optionalInt64(0), $0.int64(1))
            }
            guard let (owner, version) = row, owner == survivor, version == record.version else {
                throw try db.audit.staleEdit(entity: link.entity, table: link.table, id: record.id, expected: record.version)
            }
            try write(link, column: column, id: record.id, value: other)
            try db.audit.record(link.entity, record.id, "update",
                                values: [column.replacingOccurrences(of: "_id", with: ""): AuditChange(.int(survivor), .int(other))])
        }
    }

    private func write(_ link: Link, column: String, id: Int64, value: Int64) throws {
        if link.hasUpdatedAt {
            try c.run("UPDATE \(link.table) SET \(column) = ?::bigint, version = version + 1, updated_at = ?::bigint WHERE id = ?::bigint",
                      [value, db.clock.now, id])
        } else {
            try c.run("UPDATE \(link.table) SET \(column) = ?::bigint, version = version + 1 WHERE id = ?::bigint", [value, id])
        }
    }

    /// Sends the merged-away row to the trash with its pointer to the
    /// survivor; its version must still be `expected`.
    func retire(table: String, entity: String, id: Int64, expected: Int64, into survivor: Int64) throws -> Int64 {
        // Who merged it is who put it in the trash, as a delete records.
        let user: Int64? = db.currentUser.storedID
        let changed = try c.run("""
            UPDATE \(table) SET deleted_at = ?::bigint, deleted_by = ?::bigint, merged_into = ?::bigint, version = version + 1
            WHERE id = ?::bigint AND version = ?::bigint AND deleted_at IS NULL
            """, [db.clock.now, user, survivor, id, expected])
        guard changed == 1 else { throw try db.audit.staleEdit(entity: entity, table: table, id: id, expected: expected) }
        try db.audit.record(entity, id, "merge", changes: ["merged_into": ("", "\(survivor)")])
        return try c.integer("SELECT version FROM \(table) WHERE id = ?::bigint", [id]) ?? 0
    }

    /// Takes a retired row out of the trash, if it is still as the merge left it.
    func unretire(table: String, entity: String, id: Int64, expected: Int64, survivor: Int64) throws {
        let changed = try c.run("""
            UPDATE \(table) SET deleted_at = NULL, deleted_by = NULL, merged_into = NULL, version = version + 1
            WHERE id = ?::bigint AND version = ?::bigint AND merged_into = ?::bigint AND deleted_at IS NOT NULL
            """, [id, expected, survivor])
        guard changed == 1 else { throw try db.audit.staleEdit(entity: entity, table: table, id: id, expected: expected) }
        try db.audit.record(entity, id, "unmerge", changes: ["merged_into": ("\(survivor)", "")])
    }

    /// Refuses a merge of a record with itself or with a record in the trash.
    func requireTwo(table: String, entity: String, keep: Int64, other: Int64) throws {
        guard keep != other else {
            throw RepositoryError.invalid(ValidationFailure([FieldError("other", "is the same \(entity); expected two different ones")]))
        }
        for id in [keep, other] {
            let live = try c.integer("SELECT count(*) FROM \(table) WHERE id = ?::bigint AND deleted_at IS NULL", [id]) ?? 0
            if live == 0 { throw RepositoryError.notFound(entity: entity, id: id) }
        }
    }

    func version(table: String, of id: Int64) throws -> Int64 {
        try c.integer("SELECT version FROM \(table) WHERE id = ?::bigint", [id]) ?? 0
    }
}
