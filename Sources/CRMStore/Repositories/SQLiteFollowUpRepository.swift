import CRMCore
import CRMRepositories
import Foundation

public final class SQLiteFollowUpRepository: FollowUpRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    /// A file of a schema before 19 (read as it is by `crm followups`) has
    /// no cancel reason yet: an empty one is read in its place.
    var columns: String {
        """
        f.id, f.contact_id, f.deal_id, f.assignee_id, f.title, f.note, f.due_at, f.status, f.done_at, f.created_at,
        f.deleted_at, f.version, \(db.schemaVersion >= 19 ? "f.cancel_reason" : "''")
        """
    }

    static func followUp(_ row: Row) -> FollowUp {
        FollowUp(id: row.int64(0), contactID: row.optionalInt64(1), dealID: row.optionalInt64(2),
                 assigneeID: row.optionalInt64(3), title: row.string(4), note: row.string(5), dueAt: row.date(6),
                 status: FollowUpStatus(rawValue: row.string(7)) ?? .open, doneAt: row.optionalDate(8),
                 createdAt: row.date(9), deletedAt: row.optionalDate(10), version: row.int64(11),
                 cancelReason: row.string(12))
    }

    var rowSQL: String { """
        SELECT \(columns), ct.name, co.name, d.title, u.login, ct.last_interaction_at FROM follow_ups f
        LEFT JOIN contacts ct ON ct.id = f.contact_id
        LEFT JOIN deals d ON d.id = f.deal_id
        LEFT JOIN companies co ON co.id = coalesce(ct.company_id, d.company_id)
        LEFT JOIN users u ON u.id = f.assignee_id
        """
    }

    static func row(_ row: Row) -> FollowUpRow {
        FollowUpRow(followUp: followUp(row), contactName: row.optionalString(13), companyName: row.optionalString(14),
                    dealTitle: row.optionalString(15), assigneeLogin: row.optionalString(16),
                    lastInteractionAt: row.optionalDate(17))
    }

    public func create(_ followUp: FollowUp) throws -> FollowUp {
        try ValidationFailure.check(followUp.validate())
        return try c.transaction {
            try db.audit.refuseTrashed([("contact", "contacts", followUp.contactID), ("deal", "deals", followUp.dealID)])
            let me: Int64? = db.currentUser.storedID
            try c.run("""
                INSERT INTO follow_ups(contact_id, deal_id, assignee_id, title, note, due_at, status, done_at, created_by,
                                       created_at, updated_at, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [followUp.contactID, followUp.dealID, followUp.assigneeID ?? me, followUp.title, followUp.note,
                      followUp.dueAt, followUp.status.rawValue, followUp.doneAt, me, db.clock.now, db.clock.now,
                      followUp.cancelReason])
            let id = c.lastInsertRowID
            try db.audit.record("follow-up", id, "create", changes: ["title": ("", followUp.title)])
            return try get(id)!
        }
    }

    public func get(_ id: Int64) throws -> FollowUp? {
        try c.first("SELECT \(columns) FROM follow_ups f WHERE f.id = ?", [id], Self.followUp)
    }

    public func update(_ followUp: FollowUp) throws -> FollowUp {
        try ValidationFailure.check(followUp.validate())
        return try c.transaction {
            guard let old = try get(followUp.id), old.deletedAt == nil, old.version == followUp.version else {
                throw try db.audit.staleEdit(entity: "follow-up", table: "follow_ups", id: followUp.id, expected: followUp.version)
            }
            let changes = FieldChanges.followUp(old, followUp)
            if changes.isEmpty { return old }
            try UserRefusal.checkReassigning(from: old.assigneeID, to: followUp.assigneeID, by: db.currentUser, what: "\"\(old.title)\"")
            var row = followUp
            row.doneAt = followUp.status == .open ? nil : (followUp.doneAt ?? db.clock.now)
            try write(row, changes: changes)
            return try get(followUp.id)!
        }
    }

    /// A set of any size, `FollowUpSetWrite.chunk` rows at a time: first
    /// every row's version is checked (ids and versions only, so a stale row
    /// refuses the set before anything is written, even inside a caller's
    /// transaction, where a throw rolls nothing back by itself); then one
    /// statement reads a chunk, and each changed row is written and audited
    /// by prepared statements (on SQLite a statement is a function call, so
    /// a set of 20,000 is a few seconds at most, one transaction: colleagues
    /// wait that long, never see half). Only a chunk's rows are in memory at
    /// once, and what was written is kept as plain values (issue 16).
    public func update(_ rows: [VersionedID], change: (inout FollowUpSetFields) -> Void) throws -> FollowUpSetWrite {
        guard !rows.isEmpty else { return FollowUpSetWrite() }
        let rows = FollowUpSetWrite.ascending(rows)
        let set = "SELECT \(columns) FROM follow_ups f WHERE f.id IN (SELECT value FROM json_each(?)) ORDER BY f.id"
        let versions = """
            SELECT f.id, CASE WHEN f.deleted_at IS NULL THEN f.version ELSE -1 END FROM follow_ups f
            WHERE f.id IN (SELECT value FROM json_each(?)) ORDER BY f.id
            """
        let chunks = stride(from: rows.startIndex, to: rows.endIndex, by: FollowUpSetWrite.chunk).map {
            rows[$0..<min($0 + FollowUpSetWrite.chunk, rows.endIndex)]
        }
        let idList = { (chunk: ArraySlice<VersionedID>) in "[" + chunk.map { String($0.id) }.joined(separator: ",") + "]" }
        return try c.transaction {
            for chunk in chunks {
                let found = try c.rows(versions, [idList(chunk)]) { VersionedID(id: $0.int64(0), version: $0.int64(1)) }
                if let stale = FollowUpSetWrite.firstStale(chunk, found) {
                    throw try db.audit.staleEdit(entity: "follow-up", table: "follow_ups", id: stale.id, expected: stale.version)
                }
            }
            var result = FollowUpSetWrite(expected: rows.count)
            for chunk in chunks {
                let read = try c.rows(set, [idList(chunk)], Self.followUp)
                var next = read.startIndex
                for seen in chunk {
                    // Both in ascending id order: a row missing from the read was deleted for good.
                    guard next < read.endIndex, read[next].id == seen.id, read[next].deletedAt == nil,
                          read[next].version == seen.version else {
                        throw try db.audit.staleEdit(entity: "follow-up", table: "follow_ups", id: seen.id, expected: seen.version)
                    }
                    let before = read[next]
                    next += 1
                    var fields = FollowUpSetFields(before)
                    change(&fields)
                    var after = fields.applied(to: before)
                    try ValidationFailure.check(after.validate())
                    after.doneAt = after.status == .open ? nil : (after.doneAt ?? db.clock.now)
                    let changes = FieldChanges.followUp(before, after)
                    if changes.isEmpty {
                        result.appendUnchanged()
                        continue
                    }
                    try UserRefusal.checkReassigning(from: before.assigneeID, to: after.assigneeID, by: db.currentUser,
                                                     what: "\"\(before.title)\"")
                    try write(after, changes: changes)
                    result.append(version: before.version + 1, before: FollowUpSetFields(before), after: FollowUpSetFields(after))
                }
            }
            return result
        }
    }

    /// Writes `row` (seen at its version, `doneAt` settled) and its audit
    /// entry; inside the caller's transaction.
    private func write(_ row: FollowUp, changes: FieldChanges) throws {
        try c.run("""
            UPDATE follow_ups SET contact_id = ?, deal_id = ?, assignee_id = ?, title = ?, note = ?, due_at = ?,
                   status = ?, done_at = ?, cancel_reason = ?, updated_at = ?, version = version + 1
            WHERE id = ? AND version = ?
            """, [row.contactID, row.dealID, row.assigneeID, row.title, row.note,
                  row.dueAt, row.status.rawValue, row.doneAt, row.cancelReason, db.clock.now, row.id, row.version])
        // Read at this version inside the same transaction: nobody else wrote it.
        guard c.changes == 1 else { throw RepositoryError.notFound(entity: "follow-up", id: row.id) }
        try db.audit.record("follow-up", row.id, "update", values: changes.values)
    }

    public func delete(_ id: Int64) throws {
        try db.trash.trash(.followUp, id)
    }

    public func delete(_ id: Int64, expectedVersion: Int64) throws {
        try c.transaction {
            guard let old = try get(id), old.deletedAt == nil, old.version == expectedVersion else {
                throw try db.audit.staleEdit(entity: "follow-up", table: "follow_ups", id: id, expected: expectedVersion)
            }
            try db.trash.trash(.followUp, id)
        }
    }

    public func restore(_ id: Int64) throws {
        // With what went to the trash with it (see SQLiteTrashRepository).
        _ = try db.trash.restore(.followUp, id)
    }

    public func due(from: Date?, to: Date?, assigneeID: Int64?, limit: Int) throws -> [FollowUpRow] {
        var conds = ["f.deleted_at IS NULL", "f.status = 'open'"]
        var values: [SQLBindable] = []
        if let assigneeID { conds.append("f.assignee_id = ?"); values.append(assigneeID) }
        if let from { conds.append("f.due_at >= ?"); values.append(from) }
        if let to { conds.append("f.due_at < ?"); values.append(to) }
        values.append(limit)
        return try c.rows("\(rowSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY f.due_at, f.id LIMIT ?",
                          values, Self.row)
    }

    public func open(contactID: Int64) throws -> [FollowUpRow] {
        try c.rows("""
            \(rowSQL) WHERE f.contact_id = ? AND f.status = 'open' AND f.deleted_at IS NULL ORDER BY f.due_at, f.id
            """, [contactID], Self.row)
    }

    public func open(dealID: Int64) throws -> [FollowUpRow] {
        try c.rows("""
            \(rowSQL) WHERE f.deal_id = ? AND f.status = 'open' AND f.deleted_at IS NULL ORDER BY f.due_at, f.id
            """, [dealID], Self.row)
    }
}
