import CRMCore
import CRMRepositories
import Foundation

public final class SQLiteDealRepository: DealRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }
    var me: Int64? { db.currentUser.storedID }

    static let columns = """
        d.id, d.pipeline_id, d.stage_id, d.title, d.value_minor, d.currency, d.expected_close, d.owner_id, d.contact_id,
        d.company_id, d.status, d.lost_reason, d.stage_entered_at, d.position, d.created_at, d.updated_at, d.closed_at,
        d.deleted_at, d.version
        """

    /// A deal as stored, whoever wrote it: a currency code that is not ISO
    /// 4217 stays as it is (flagged, never taken for EUR), and a value that is
    /// not a whole number of minor units reads as `Money.unreadable`, out of
    /// range, so the screens flag it instead of showing a rounded or zero amount.
    static func deal(_ row: Row) -> Deal {
        Deal(id: row.int64(0), pipelineID: row.int64(1), stageID: row.int64(2), title: row.string(3),
             value: Money(minorUnits: row.exactInt64(4, otherwise: Money.unreadable), currency: Currency(stored: row.string(5))),
             expectedClose: row.optionalDate(6), ownerID: row.optionalInt64(7), contactID: row.optionalInt64(8),
             companyID: row.optionalInt64(9), status: DealStatus(rawValue: row.string(10)) ?? .open,
             lostReason: row.string(11), stageEnteredAt: row.date(12), position: row.double(13),
             createdAt: row.date(14), updatedAt: row.date(15), closedAt: row.optionalDate(16),
             deletedAt: row.optionalDate(17), version: row.int64(18))
    }

    static let cardSQL = """
        SELECT \(columns), ct.name, co.name, u.login, s.name,
               (SELECT max(occurred_at) FROM interactions i WHERE i.deal_id = d.id AND i.deleted_at IS NULL AND i.kind != 'stage')
        FROM deals d
        LEFT JOIN contacts ct ON ct.id = d.contact_id
        LEFT JOIN companies co ON co.id = d.company_id
        LEFT JOIN users u ON u.id = d.owner_id
        JOIN stages s ON s.id = d.stage_id
        """

    static func card(_ row: Row) -> DealCard {
        DealCard(deal: deal(row), contactName: row.optionalString(19), companyName: row.optionalString(20),
                 ownerLogin: row.optionalString(21), stageName: row.string(22), lastInteractionAt: row.optionalDate(23))
    }

    public func create(_ deal: Deal) throws -> Deal {
        try ValidationFailure.check(deal.validate())
        return try c.transaction {
            // A form opened before a colleague deleted the stage: refused
            // with who and when, never a deal in a stage no board shows.
            try db.audit.refuseTrashed([("stage", "stages", deal.stageID), ("contact", "contacts", deal.contactID),
                                        ("company", "companies", deal.companyID)])
            let now = db.clock.now
            let position = try bottomPosition(inStage: deal.stageID)
            try c.run("""
                INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, expected_close, owner_id, contact_id,
                                  company_id, status, lost_reason, stage_entered_at, position, created_at, updated_at, closed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [deal.pipelineID, deal.stageID, deal.title, deal.value.minorUnits, deal.value.currency.code,
                      deal.expectedClose, deal.ownerID ?? me, deal.contactID, deal.companyID, deal.status.rawValue,
                      deal.lostReason, now, position, now, now, deal.status == .open ? nil : now])
            let id = c.lastInsertRowID
            try c.run("INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at, changed_by) VALUES (?, NULL, ?, ?, ?)",
                      [id, deal.stageID, now, me])
            try db.audit.record("deal", id, "create", changes: ["title": ("", deal.title)])
            return try get(id)!
        }
    }

    /// A position below every card of the stage: new and moved deals land there.
    /// Below every deal of the stage, open, closed or in the trash (so a
    /// restored deal never shares a position): one step into
    /// `deals_by_stage_position` (schema 45), not a scan of the stage's deals.
    static let bottomPositionSQL = "SELECT coalesce(max(position), 0) + 1 FROM deals WHERE stage_id = ?"

    func bottomPosition(inStage stageID: Int64) throws -> Double {
        try c.first(Self.bottomPositionSQL, [stageID]) { $0.double(0) } ?? 1
    }

    public func get(_ id: Int64) throws -> Deal? {
        try c.first("SELECT \(Self.columns) FROM deals d WHERE d.id = ?", [id], Self.deal)
    }

    public func update(_ deal: Deal) throws -> Deal {
        try ValidationFailure.check(deal.validate())
        return try c.transaction {
            guard let old = try get(deal.id), old.deletedAt == nil, old.version == deal.version else {
                throw try db.audit.staleEdit(entity: "deal", table: "deals", id: deal.id, expected: deal.version)
            }
            let changes = FieldChanges.deal(old, deal)
            if changes.isEmpty { return old }
            try UserRefusal.checkReassigning(from: old.ownerID, to: deal.ownerID, by: db.currentUser, what: old.title)
            // A contact or company picked in the form and trashed meanwhile.
            try db.audit.refuseTrashed([("contact", "contacts", deal.contactID == old.contactID ? nil : deal.contactID),
                                        ("company", "companies", deal.companyID == old.companyID ? nil : deal.companyID)])
            let closedAt: Date? = deal.status == .open ? nil : (old.status == deal.status ? old.closedAt : db.clock.now)
            try c.run("""
                UPDATE deals SET title = ?, value_minor = ?, currency = ?, expected_close = ?, owner_id = ?, contact_id = ?,
                       company_id = ?, status = ?, lost_reason = ?, position = ?, closed_at = ?, updated_at = ?,
                       version = version + 1 WHERE id = ? AND version = ?
                """, [deal.title, deal.value.minorUnits, deal.value.currency.code, deal.expectedClose, deal.ownerID,
                      deal.contactID, deal.companyID, deal.status.rawValue, deal.lostReason, deal.position, closedAt,
                      db.clock.now, deal.id, deal.version])
            try db.audit.record("deal", deal.id, "update", values: changes.values)
            return try get(deal.id)!
        }
    }

    public func delete(_ id: Int64) throws {
        try db.trash.trash(.deal, id)
    }

    public func restore(_ id: Int64) throws {
        // With what went to the trash with it (see SQLiteTrashRepository).
        _ = try db.trash.restore(.deal, id)
    }

    /// A statement costs SQLite a function call, not a round trip: each
    /// column's page as `cards(stageID:filter:after:limit:)` reads it.
    public func cards(columns: [(stageID: Int64, after: DealCursor?)], filter: DealFilter, limit: Int) throws -> [Int64: [DealCard]] {
        var pages: [Int64: [DealCard]] = [:]
        for column in columns {
            pages[column.stageID] = try cards(stageID: column.stageID, filter: filter, after: column.after, limit: limit)
        }
        return pages
    }

    public func cards(stageID: Int64, filter: DealFilter, after cursor: DealCursor?, limit: Int) throws -> [DealCard] {
        let f = conditions(filter, place: "s\(stageID) AND open")
        var conds = ["d.stage_id = ?", "d.deleted_at IS NULL", "d.status = 'open'"] + f.sql
        var values: [SQLBindable] = [stageID] + f.values
        if let cursor {
            conds.append("(d.position, d.id) > (?, ?)")
            values.append(cursor.position)
            values.append(cursor.id)
        }
        values.append(limit)
        return try c.rows("\(Self.cardSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY d.position, d.id LIMIT ?",
                          values, Self.card)
    }

    public func deals(contactID: Int64) throws -> [DealCard] {
        try c.rows("\(Self.cardSQL) WHERE d.contact_id = ? AND d.deleted_at IS NULL ORDER BY d.status != 'open', d.updated_at DESC",
                   [contactID], Self.card)
    }

    public func deals(companyID: Int64) throws -> [DealCard] {
        try c.rows("\(Self.cardSQL) WHERE d.company_id = ? AND d.deleted_at IS NULL ORDER BY d.status != 'open', d.updated_at DESC",
                   [companyID], Self.card)
    }

    public func move(_ dealID: Int64, toStage stageID: Int64, expectedVersion: Int64) throws -> Deal {
        try move(dealID, toStage: stageID, enteredAt: nil, expectedVersion: expectedVersion)
    }

    public func moveBack(_ dealID: Int64, toStage stageID: Int64, enteredAt: Date, position: Double?, expectedVersion: Int64) throws -> Deal {
        try move(dealID, toStage: stageID, enteredAt: enteredAt, position: position, expectedVersion: expectedVersion)
    }

    /// `enteredAt`: when the deal entered `stageID`; nil for now.
    /// `position`: its place in the column; nil for the bottom.
    private func move(_ dealID: Int64, toStage stageID: Int64, enteredAt: Date?, position: Double? = nil, expectedVersion: Int64) throws -> Deal {
        try c.transaction {
            guard let old = try get(dealID), old.deletedAt == nil, old.version == expectedVersion else {
                throw try db.audit.staleEdit(entity: "deal", table: "deals", id: dealID, expected: expectedVersion)
            }
            guard let from = try db.pipelines.stage(old.stageID), let to = try db.pipelines.stage(stageID),
                  to.pipelineID == old.pipelineID else {
                throw RepositoryError.notFound(entity: "stage", id: stageID)
            }
            try db.audit.refuseTrashed([("stage", "stages", stageID)])
            if from.id == to.id { return old }
            let now = db.clock.now
            let status: DealStatus = to.kind == .won ? .won : (to.kind == .lost ? .lost : .open)
            let position = try position ?? bottomPosition(inStage: stageID)
            try c.run("""
                UPDATE deals SET stage_id = ?, status = ?, stage_entered_at = ?, position = ?, updated_at = ?,
                       closed_at = CASE WHEN ? = 'open' THEN NULL ELSE ? END, version = version + 1
                WHERE id = ? AND version = ?
                """, [stageID, status.rawValue, enteredAt ?? now, position, now, status.rawValue, now, dealID, expectedVersion])
            try c.run("INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)",
                      [dealID, from.id, to.id, now, me])
            // The move shows in the deal's, the contact's and the company's timelines.
            try c.run("""
                INSERT INTO interactions(contact_id, company_id, deal_id, kind, direction, occurred_at, subject, author_id, created_at)
                VALUES (?, ?, ?, 'stage', '', ?, ?, ?, ?)
                """, [old.contactID, old.companyID, dealID, now, "\(old.title): \(from.name) → \(to.name)", me, now])
            try db.audit.record("deal", dealID, "move", changes: ["stage": (from.name, to.name)])
            return try get(dealID)!
        }
    }

    public func history(dealID: Int64) throws -> [StageChange] {
        try c.rows("""
            SELECT deal_id, from_stage_id, to_stage_id, changed_at, changed_by FROM deal_stage_history
            WHERE deal_id = ? ORDER BY changed_at, id
            """, [dealID]) {
            StageChange(dealID: $0.int64(0), fromStageID: $0.optionalInt64(1), toStageID: $0.int64(2),
                        changedAt: $0.date(3), changedBy: $0.optionalInt64(4))
        }
    }
}
