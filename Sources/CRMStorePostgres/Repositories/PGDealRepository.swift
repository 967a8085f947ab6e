import CRMCore
import CRMRepositories
import Foundation

/// Deals on PostgreSQL, as `SQLiteDealRepository` keeps them: the same rows,
/// stage history, 'stage' timeline entries, versions and audit records. A
/// write takes its row with `UPDATE … WHERE id = $1 AND version = $2` (or a
/// `FOR UPDATE` read first), so of two sessions moving one deal the second
/// waits, then is refused as stale with who moved it and what changed.
public final class PGDealRepository: DealRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }
    var me: Int64? { db.currentUser.storedID }
    var pipelines: PGPipelineRepository { PGPipelineRepository(db: db) }

    static let columns = """
        d.id, d.pipeline_id, d.stage_id, d.title, d.value_minor, d.currency, d.expected_close, d.owner_id, d.contact_id,
        d.company_id, d.status, d.lost_reason, d.stage_entered_at, d.position, d.created_at, d.updated_at, d.closed_at,
        d.deleted_at, d.version
        """

    static func deal(_ row: PGRow) -> Deal {
        Deal(id: row.int64(0), pipelineID: row.int64(1), stageID: row.int64(2), title: row.string(3),
             value: Money(minorUnits: row.optionalInt64(4) ?? Money.unreadable, currency: Currency(stored: row.string(5))),
             expectedClose: row.optionalDate(6), ownerID: row.optionalInt64(7), contactID: row.optionalInt64(8),
             companyID: row.optionalInt64(9), status: DealStatus(rawValue: row.string(10)) ?? .open,
             lostReason: row.string(11), stageEnteredAt: row.date(12), position: row.double(13),
             createdAt: row.date(14), updatedAt: row.date(15), closedAt: row.optionalDate(16),
             deletedAt: row.optionalDate(17), version: row.int64(18))
    }

    /// The contact's, company's and owner's names are read by key, each a
    /// subquery of its own, not a LEFT JOIN: the planner then orders a join
    /// of two tables (deals, stages), not five, weighing every index of
    /// contacts in each order: 0.8 ms instead of 2.5 ms for a board column
    /// at 100,000 contacts, paid on each of a statement's first runs.
    static let cardSQL = """
        SELECT \(columns), (SELECT ct.name FROM contacts ct WHERE ct.id = d.contact_id),
               (SELECT co.name FROM companies co WHERE co.id = d.company_id),
               (SELECT u.login FROM users u WHERE u.id = d.owner_id), s.name,
               (SELECT max(occurred_at) FROM interactions i WHERE i.deal_id = d.id AND i.deleted_at IS NULL AND i.kind <> 'stage')
        FROM deals d
        JOIN stages s ON s.id = d.stage_id
        """

    static func card(_ row: PGRow) -> DealCard {
        DealCard(deal: deal(row), contactName: row.optionalString(19), companyName: row.optionalString(20),
                 ownerLogin: row.optionalString(21), stageName: row.string(22), lastInteractionAt: row.optionalDate(23))
    }

    public func create(_ deal: Deal) throws -> Deal {
        try ValidationFailure.check(deal.validate())
        return try c.transaction {
            try db.audit.refuseTrashed([("stage", "stages", deal.stageID), ("contact", "contacts", deal.contactID),
                                        ("company", "companies", deal.companyID)])
            let now = db.clock.now
            let position = try bottomPosition(inStage: deal.stageID)
            guard let id = try c.integer("""
                INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, expected_close, owner_id, contact_id,
                                  company_id, status, lost_reason, stage_entered_at, position, created_at, updated_at, closed_at,
                                  search_words)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::tsvector) RETURNING id
                """, [deal.pipelineID, deal.stageID, deal.title, deal.value.minorUnits, deal.value.currency.code,
                      deal.expectedClose, deal.ownerID ?? me, deal.contactID, deal.companyID, deal.status.rawValue,
                      deal.lostReason, now, position, now, now, deal.status == .open ? nil : now,
                      PGSearchWords.vector(deal.title, deal.lostReason)]) else {
                throw RepositoryError.notFound(entity: "deal", id: 0)
            }
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

    /// The deal locked for this transaction, if it is live and at `version`;
    /// else the stale refusal (who changed it, which fields) or not found.
    func locked(_ id: Int64, version: Int64, open: Bool = false) throws -> Deal {
        guard let old = try c.first("SELECT \(Self.columns) FROM deals d WHERE d.id = ? FOR UPDATE", [id], Self.deal),
              old.deletedAt == nil, old.version == version, !open || old.status == .open else {
            throw try db.audit.staleEdit(entity: "deal", table: "deals", id: id, expected: version)
        }
        return old
    }

    public func update(_ deal: Deal) throws -> Deal {
        try ValidationFailure.check(deal.validate())
        return try c.transaction {
            let old = try locked(deal.id, version: deal.version)
            let changes = FieldChanges.deal(old, deal)
            if changes.isEmpty { return old }
            // A contact or company picked in the form and trashed meanwhile.
            try db.audit.refuseTrashed([("contact", "contacts", deal.contactID == old.contactID ? nil : deal.contactID),
                                        ("company", "companies", deal.companyID == old.companyID ? nil : deal.companyID)])
            let closedAt: Date? = deal.status == .open ? nil : (old.status == deal.status ? old.closedAt : db.clock.now)
            try c.run("""
                UPDATE deals SET title = ?, value_minor = ?, currency = ?, expected_close = ?, owner_id = ?, contact_id = ?,
                       company_id = ?, status = ?, lost_reason = ?, position = ?, closed_at = ?, updated_at = ?,
                       search_words = ?::tsvector, version = version + 1 WHERE id = ? AND version = ?
                """, [deal.title, deal.value.minorUnits, deal.value.currency.code, deal.expectedClose, deal.ownerID,
                      deal.contactID, deal.companyID, deal.status.rawValue, deal.lostReason, deal.position, closedAt,
                      db.clock.now, PGSearchWords.vector(deal.title, deal.lostReason), deal.id, deal.version])
            try db.audit.record("deal", deal.id, "update", values: changes.values)
            return try get(deal.id)!
        }
    }

    public func delete(_ id: Int64) throws {
        try PGTrash(db: db).trash(.deal, id)
    }

    public func restore(_ id: Int64) throws {
        // With what went to the trash with it (see PGTrash).
        _ = try PGTrash(db: db).restore(.deal, id)
    }

    public func cards(stageID: Int64, filter: DealFilter, after cursor: DealCursor?, limit: Int) throws -> [DealCard] {
        let f = Self.conditions(filter)
        var conds = ["d.stage_id = ?", "d.deleted_at IS NULL", "d.status = 'open'"] + f.sql
        var values: [any PGBindable] = [stageID] + f.values
        if let cursor {
            conds.append("(d.position, d.id) > (?::double precision, ?::bigint)")
            values.append(cursor.position)
            values.append(cursor.id)
        }
        let limit = Self.limit(limit, filter, &values)
        return try c.rows("\(Self.cardSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY d.position, d.id \(limit)",
                          values, Self.card)
    }

    /// Every column's page in one statement: the columns and their cursors
    /// as arrays, each column's page a LATERAL keyset read on the same index
    /// as `cards(stageID:filter:after:limit:)` (a column without a cursor
    /// starts below every position: -Infinity, and every id is above the
    /// smallest bigint).
    public func cards(columns: [(stageID: Int64, after: DealCursor?)], filter: DealFilter, limit: Int) throws -> [Int64: [DealCard]] {
        guard !columns.isEmpty else { return [:] }
        let statement = Self.columnsStatement(columns, filter: filter, limit: limit)
        var pages = Dictionary(uniqueKeysWithValues: columns.map { ($0.stageID, [DealCard]()) })
        // A search: planned with its words (walk a column or ask GIN, as they find many or few).
        let sql = (filter.text.isEmpty ? "" : PGConnection.plannedWithValues) + statement.sql
        for card in try c.rows(sql, statement.values, Self.card) { pages[card.deal.stageID, default: []].append(card) }
        return pages
    }

    /// The statement of `cards(columns:filter:limit:)` (`?` placeholders),
    /// apart so a test can EXPLAIN it.
    static func columnsStatement(_ columns: [(stageID: Int64, after: DealCursor?)], filter: DealFilter, limit: Int)
        -> (sql: String, values: [any PGBindable]) {
        let f = conditions(filter)
        let conds = ["d.stage_id = w.stage_id", "d.deleted_at IS NULL", "d.status = 'open'"] + f.sql
            + ["(d.position, d.id) > (coalesce(w.position, '-Infinity'::double precision), coalesce(w.id, -9223372036854775808))"]
        let values: [any PGBindable] = [PGArrayLiteral.integers(columns.map(\.stageID)), PGArrayLiteral.doubles(columns.map { $0.after?.position }),
                                        PGArrayLiteral.integers(columns.map { $0.after?.id })] + f.values
        // The limit in the text (`PGConnection.limit`): a search's columns are
        // sent unprepared and planned with their words anyway.
        return ("""
            SELECT page.* FROM unnest(?::bigint[], ?::double precision[], ?::bigint[]) AS w(stage_id, position, id)
            CROSS JOIN LATERAL (\(cardSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY d.position, d.id \(PGConnection.limit(limit))) page
            """, values)
    }

    public func deals(contactID: Int64) throws -> [DealCard] {
        try c.rows(Self.contactDealsSQL, [contactID], Self.card)
    }

    static let contactDealsSQL = "\(cardSQL) WHERE d.contact_id = ? AND d.deleted_at IS NULL ORDER BY d.status <> 'open', d.updated_at DESC"

    public func deals(companyID: Int64) throws -> [DealCard] {
        try c.rows("\(Self.cardSQL) WHERE d.company_id = ? AND d.deleted_at IS NULL ORDER BY d.status <> 'open', d.updated_at DESC",
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
            // The deal and both stages in one round trip (a move is a key on
            // the board: each statement of it is a wait for the server); the
            // stage it is in read by the deal's id, as the first read found it.
            // (No FOR SHARE: it needs UPDATE on stages, which a rep's role
            // does not have; a stage deleted meanwhile is seen here.)
            let stageSQL = "SELECT \(PGPipelineRepository.stageColumns), deleted_at IS NOT NULL FROM stages WHERE id = ANY(?::bigint[])"
            let read = try c.sendPipeline([
                .numbered("SELECT \(Self.columns) FROM deals d WHERE d.id = ?", [dealID]),
                .numbered("""
                    SELECT \(PGPipelineRepository.stageColumns), deleted_at IS NOT NULL FROM stages
                    WHERE id = ? OR id = (SELECT d.stage_id FROM deals d WHERE d.id = ?)
                    """, [stageID, dealID]),
            ])
            guard let old = read[0].first.map(Self.deal), old.deletedAt == nil, old.version == expectedVersion else {
                throw try db.audit.staleEdit(entity: "deal", table: "deals", id: dealID, expected: expectedVersion)
            }
            var stages = read[1].map { (PGPipelineRepository.stage($0), $0.bool(8)) }
            if !stages.contains(where: { $0.0.id == old.stageID }) {
                // Moved by a colleague between the two reads (each its own
                // snapshot): the stage the first read saw, read again.
                stages = try c.rows(stageSQL, [PGReportSQL.array([old.stageID, stageID])]) { (PGPipelineRepository.stage($0), $0.bool(8)) }
            }
            guard let from = stages.first(where: { $0.0.id == old.stageID })?.0, let target = stages.first(where: { $0.0.id == stageID }),
                  target.0.pipelineID == old.pipelineID else {
                throw RepositoryError.notFound(entity: "stage", id: stageID)
            }
            // A form or board opened before a colleague deleted the stage:
            // never a deal in a stage no board shows.
            if target.1 { try db.audit.refuseTrashed([("stage", "stages", stageID)]) }
            let to = target.0
            if from.id == to.id { return old }
            let now = db.clock.now
            let status: DealStatus = to.kind == .won ? .won : (to.kind == .lost ? .lost : .open)
            // The version check is the write itself: of two sessions moving
            // this deal at once, the second waits for the first's row lock,
            // then matches no row and is refused below. Its place is the
            // bottom of the new stage (bottomPositionSQL, in the same statement).
            let updated = try c.first("""
                UPDATE deals SET stage_id = ?, status = ?, stage_entered_at = ?,
                       position = coalesce(?::double precision, (\(Self.bottomPositionSQL)), 1), updated_at = ?,
                       closed_at = CASE WHEN ?::text = 'open' THEN NULL ELSE ?::bigint END, version = version + 1
                WHERE id = ? AND version = ? AND deleted_at IS NULL RETURNING \(Self.columns.replacingOccurrences(of: "d.", with: ""))
                """, [stageID, status.rawValue, enteredAt ?? now, position, stageID, now, status.rawValue, now, dealID, expectedVersion], Self.deal)
            guard let updated else {
                throw try db.audit.staleEdit(entity: "deal", table: "deals", id: dealID, expected: expectedVersion)
            }
            // The history row, the move in the deal's, the contact's and the
            // company's timelines, and the audit row: one round trip.
            let written = try c.sendPipeline([
                .numbered("INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)",
                          [dealID, from.id, to.id, now, me]),
                PGInteractionSearch.logStageStatement(db, contactID: old.contactID, companyID: old.companyID, dealID: dealID,
                                                      subject: "\(old.title): \(from.name) → \(to.name)", at: now),
                try db.audit.recordStatement("deal", dealID, "move", values: ["stage": AuditChange(.text(from.name), .text(to.name))]),
            ])
            try db.audit.recorded(written[2])
            return updated
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
