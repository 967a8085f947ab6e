import CRMCore
import CRMRepositories
import Foundation

/// Follow-ups on PostgreSQL, as `SQLiteFollowUpRepository` keeps them: the
/// same rows, versions, stale refusals and audit records ("follow-up").
public final class PGFollowUpRepository: FollowUpRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    static let columns = """
        f.id, f.contact_id, f.deal_id, f.assignee_id, f.title, f.note, f.due_at, f.status, f.done_at, f.created_at,
        f.deleted_at, f.version, f.cancel_reason
        """

    static func followUp(_ row: PGRow) -> FollowUp {
        FollowUp(id: row.int64(0), contactID: row.optionalInt64(1), dealID: row.optionalInt64(2),
                 assigneeID: row.optionalInt64(3), title: row.string(4), note: row.string(5), dueAt: row.date(6),
                 status: FollowUpStatus(rawValue: row.string(7)) ?? .open, doneAt: row.optionalDate(8),
                 createdAt: row.date(9), deletedAt: row.optionalDate(10), version: row.int64(11),
                 cancelReason: row.string(12))
    }

    static let rowSQL = """
        SELECT \(columns), ct.name, co.name, d.title, u.login, ct.last_interaction_at FROM follow_ups f
        LEFT JOIN contacts ct ON ct.id = f.contact_id
        LEFT JOIN deals d ON d.id = f.deal_id
        LEFT JOIN companies co ON co.id = coalesce(ct.company_id, d.company_id)
        LEFT JOIN users u ON u.id = f.assignee_id
        """

    static func row(_ row: PGRow) -> FollowUpRow {
        FollowUpRow(followUp: followUp(row), contactName: row.optionalString(13), companyName: row.optionalString(14),
                    dealTitle: row.optionalString(15), assigneeLogin: row.optionalString(16),
                    lastInteractionAt: row.optionalDate(17))
    }

    public func create(_ followUp: FollowUp) throws -> FollowUp {
        try ValidationFailure.check(followUp.validate())
        return try c.transaction {
            try db.audit.refuseTrashed([("contact", "contacts", followUp.contactID), ("deal", "deals", followUp.dealID)])
            let me: Int64? = db.currentUser.storedID
            guard let id = try c.integer("""
                INSERT INTO follow_ups(contact_id, deal_id, assignee_id, title, note, due_at, status, done_at, created_by,
                                       created_at, updated_at, cancel_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [followUp.contactID, followUp.dealID, followUp.assigneeID ?? me, followUp.title, followUp.note,
                      followUp.dueAt, followUp.status.rawValue, followUp.doneAt, me, db.clock.now, db.clock.now,
                      followUp.cancelReason]) else {
                throw RepositoryError.notFound(entity: "follow-up", id: 0)
            }
            try db.audit.record("follow-up", id, "create", changes: ["title": ("", followUp.title)])
            return try get(id)!
        }
    }

    public func get(_ id: Int64) throws -> FollowUp? {
        try c.first("SELECT \(Self.columns) FROM follow_ups f WHERE f.id = ?", [id], Self.followUp)
    }

    /// The follow-up locked for this transaction if it is live and at
    /// `version`, else the stale refusal (who, which fields) or not found.
    private func locked(_ id: Int64, version: Int64) throws -> FollowUp {
        guard let old = try c.first("SELECT \(Self.columns) FROM follow_ups f WHERE f.id = ? FOR UPDATE", [id], Self.followUp),
              old.deletedAt == nil, old.version == version else {
            throw try db.audit.staleEdit(entity: "follow-up", table: "follow_ups", id: id, expected: version)
        }
        return old
    }

    public func update(_ followUp: FollowUp) throws -> FollowUp {
        try ValidationFailure.check(followUp.validate())
        return try c.transaction {
            let old = try locked(followUp.id, version: followUp.version)
            let changes = FieldChanges.followUp(old, followUp)
            if changes.isEmpty { return old }
            let doneAt: Date? = followUp.status == .open ? nil : (followUp.doneAt ?? db.clock.now)
            try c.run("""
                UPDATE follow_ups SET contact_id = ?, deal_id = ?, assignee_id = ?, title = ?, note = ?, due_at = ?,
                       status = ?, done_at = ?, cancel_reason = ?, updated_at = ?, version = version + 1
                WHERE id = ? AND version = ?
                """, [followUp.contactID, followUp.dealID, followUp.assigneeID, followUp.title, followUp.note,
                      followUp.dueAt, followUp.status.rawValue, doneAt, followUp.cancelReason, db.clock.now, followUp.id,
                      followUp.version])
            try db.audit.record("follow-up", followUp.id, "update", values: changes.values)
            return try get(followUp.id)!
        }
    }

    /// `update` for a set of rows in a few statements per
    /// `FollowUpSetWrite.chunk` rows (Today's bulk done, snooze, reassign
    /// sent five or more round trips per row): each chunk's rows locked and
    /// checked at the version they were seen at in one statement (in id
    /// order, as one at a time locked them), all before anything is
    /// written; then each chunk read, changed in one UPDATE from
    /// arrays that checks each version again, and audited in one round trip,
    /// one row each as `update` writes. Only a chunk's rows are in memory at
    /// once, and what was written is kept as plain values (issue 16).
    public func update(_ rows: [VersionedID], change: (inout FollowUpSetFields) -> Void) throws -> FollowUpSetWrite {
        guard !rows.isEmpty else { return FollowUpSetWrite() }
        let rows = FollowUpSetWrite.ascending(rows)
        let chunks = stride(from: rows.startIndex, to: rows.endIndex, by: FollowUpSetWrite.chunk).map {
            rows[$0..<min($0 + FollowUpSetWrite.chunk, rows.endIndex)]
        }
        return try c.transaction {
            // Every row locked and its version checked first (ids and
            // versions only): a stale row refuses the set before anything is
            // written, even inside a caller's transaction.
            for chunk in chunks {
                let found = try c.rows("""
                    SELECT f.id, CASE WHEN f.deleted_at IS NULL THEN f.version ELSE -1 END FROM follow_ups f
                    WHERE f.id = ANY(?::bigint[]) ORDER BY f.id FOR UPDATE
                    """, [PGArrayLiteral.integers(chunk.map(\.id))]) { VersionedID(id: $0.int64(0), version: $0.int64(1)) }
                if let stale = FollowUpSetWrite.firstStale(chunk, found) {
                    throw try db.audit.staleEdit(entity: "follow-up", table: "follow_ups", id: stale.id, expected: stale.version)
                }
            }
            var result = FollowUpSetWrite(expected: rows.count)
            for chunk in chunks { try update(chunk, change: change, into: &result) }
            return result
        }
    }

    private func update(_ chunk: ArraySlice<VersionedID>, change: (inout FollowUpSetFields) -> Void,
                        into result: inout FollowUpSetWrite) throws {
        let read = try c.rows("SELECT \(Self.columns) FROM follow_ups f WHERE f.id = ANY(?::bigint[]) ORDER BY f.id",
                              [PGArrayLiteral.integers(chunk.map(\.id))], Self.followUp)
        var next = read.startIndex
        var writing: [(before: FollowUp, after: FollowUp, changes: FieldChanges)] = []
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
            } else {
                writing.append((before, after, changes))
            }
        }
        guard !writing.isEmpty else { return }
        let seconds = { (date: Date?) in date?.pgText.flatMap { Int64($0) } }
        let rows = writing.map(\.after)
        // Only the fields a set update changes (FollowUpSetFields): no text is sent.
        let wrote = try c.run("""
            UPDATE follow_ups f SET assignee_id = v.assignee_id, due_at = v.due_at, status = v.status, done_at = v.done_at,
                   updated_at = ?::bigint, version = f.version + 1
            FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[])
                 AS v(id, assignee_id, due_at, status, done_at, version)
            WHERE f.id = v.id AND f.version = v.version
            """, [db.clock.now, PGArrayLiteral.integers(rows.map(\.id)), PGArrayLiteral.integers(rows.map(\.assigneeID)),
                  PGArrayLiteral.integers(rows.map { seconds($0.dueAt) }), PGArrayLiteral.texts(rows.map(\.status.rawValue)),
                  PGArrayLiteral.integers(rows.map { seconds($0.doneAt) }), PGArrayLiteral.integers(rows.map(\.version))])
        // Locked above at these versions: every row is written.
        guard wrote == rows.count else { throw RepositoryError.notFound(entity: "follow-up", id: 0) }
        let audited = try c.sendPipeline(try writing.map {
            try db.audit.recordStatement("follow-up", $0.after.id, "update", values: $0.changes.values)
        })
        for result in audited { try db.audit.recorded(result) }
        for row in writing {
            result.append(version: row.before.version + 1, before: FollowUpSetFields(row.before), after: FollowUpSetFields(row.after))
        }
    }

    public func delete(_ id: Int64) throws {
        try PGTrash(db: db).trash(.followUp, id)
    }

    public func delete(_ id: Int64, expectedVersion: Int64) throws {
        try c.transaction {
            _ = try locked(id, version: expectedVersion)
            try PGTrash(db: db).trash(.followUp, id)
        }
    }

    public func restore(_ id: Int64) throws {
        _ = try PGTrash(db: db).restore(.followUp, id)
    }

    public func due(from: Date?, to: Date?, assigneeID: Int64?, limit: Int) throws -> [FollowUpRow] {
        var conds = ["f.deleted_at IS NULL", "f.status = 'open'"]
        var values: [any PGBindable] = []
        if let assigneeID { conds.append("f.assignee_id = ?"); values.append(assigneeID) }
        if let from { conds.append("f.due_at >= ?"); values.append(from) }
        if let to { conds.append("f.due_at < ?"); values.append(to) }
        let limit = PGConnection.limit(limit, &values)
        return try c.rows("\(Self.rowSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY f.due_at, f.id \(limit)",
                          values, Self.row)
    }

    public func open(contactID: Int64) throws -> [FollowUpRow] {
        try c.rows(Self.openForContactSQL, [contactID], Self.row)
    }

    static let openForContactSQL = "\(rowSQL) WHERE f.contact_id = ? AND f.status = 'open' AND f.deleted_at IS NULL ORDER BY f.due_at, f.id"

    public func open(dealID: Int64) throws -> [FollowUpRow] {
        try c.rows("""
            \(Self.rowSQL) WHERE f.deal_id = ? AND f.status = 'open' AND f.deleted_at IS NULL ORDER BY f.due_at, f.id
            """, [dealID], Self.row)
    }

    // MARK: the follow-ups list, keyset paged on (due_at, id)

    public func list(_ filter: FollowUpFilter, after: FollowUpCursor?, limit: Int) throws -> [FollowUpRow] {
        var (conds, values) = Self.conditions(filter)
        if let after {
            conds.append("(f.due_at, f.id) > (?::bigint, ?::bigint)")
            values += [after.dueAt, after.id] as [any PGBindable]
        }
        let limit = Self.limit(limit, filter, &values)
        return try c.rows("\(Self.rowSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY f.due_at, f.id \(limit)",
                          values, Self.row)
    }

    public func list(_ filter: FollowUpFilter, before: FollowUpCursor, limit: Int) throws -> [FollowUpRow] {
        var (conds, values) = Self.conditions(filter)
        conds.append("(f.due_at, f.id) < (?::bigint, ?::bigint)")
        values += [before.dueAt, before.id] as [any PGBindable]
        let limit = Self.limit(limit, filter, &values)
        return try c.rows("\(Self.rowSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY f.due_at DESC, f.id DESC \(limit)",
                          values, Self.row).reversed()
    }

    public func count(_ filter: FollowUpFilter) throws -> Int {
        let (conds, values) = Self.conditions(filter)
        let needsJoins = filter.companyID != nil || !(filter.customerText ?? "").isEmpty || !(filter.dealText ?? "").isEmpty
        let joins = needsJoins ? """
            LEFT JOIN contacts ct ON ct.id = f.contact_id
            LEFT JOIN deals d ON d.id = f.deal_id
            LEFT JOIN companies co ON co.id = coalesce(ct.company_id, d.company_id)
            """ : ""
        return Int(try c.integer("SELECT count(*) FROM follow_ups f \(joins) WHERE \(conds.joined(separator: " AND "))", values) ?? 0)
    }

    /// The WHERE clause of a filter, every value bound; the joins are those
    /// of `rowSQL` (ct, d, co).
    /// The LIMIT of a page of the list: in the text (`PGConnection.limit`:
    /// one generic plan) unless a customer's or a deal's words are looked
    /// for (LIKE), whose best plan depends on them: then bound (`values`).
    static func limit(_ count: Int, _ filter: FollowUpFilter, _ values: inout [any PGBindable]) -> String {
        let searching = [filter.customerText, filter.dealText].contains { !($0?.trimmingCharacters(in: .whitespaces).isEmpty ?? true) }
        guard searching else { return PGConnection.limit(count, &values) }
        values.append(count)
        return "LIMIT ?"
    }

    static func conditions(_ filter: FollowUpFilter) -> ([String], [any PGBindable]) {
        var conds = ["f.deleted_at IS NULL"]
        var values: [any PGBindable] = []
        let statuses = FollowUpStatus.allCases.filter { filter.statuses.contains($0) }
        if statuses.count < FollowUpStatus.allCases.count {
            // No status at all lists nothing, rather than everything.
            conds.append(statuses.isEmpty ? "false" : "f.status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))")
            values += statuses.map(\.rawValue)
        }
        if let id = filter.assigneeID { conds.append("f.assignee_id = ?"); values.append(id) }
        if let id = filter.contactID { conds.append("f.contact_id = ?"); values.append(id) }
        if let id = filter.dealID { conds.append("f.deal_id = ?"); values.append(id) }
        if let id = filter.companyID { conds.append("co.id = ?"); values.append(id) }
        if let text = filter.customerText?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            conds.append("(\(PGASCIIText.lower("ct.name")) LIKE ? OR \(PGASCIIText.lower("co.name")) LIKE ?)")
            values += [PGASCIIText.likePattern(text), PGASCIIText.likePattern(text)]
        }
        if let text = filter.dealText?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            conds.append("\(PGASCIIText.lower("d.title")) LIKE ?")
            values.append(PGASCIIText.likePattern(text))
        }
        if let from = filter.from { conds.append("f.due_at >= ?"); values.append(from) }
        if let to = filter.to { conds.append("f.due_at < ?"); values.append(to) }
        return (conds, values)
    }
}
