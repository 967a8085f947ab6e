import CRMCore
import CRMRepositories
import Foundation

// What the kanban board needs beyond plain CRUD: column totals, scrolling up a
// column, reordering within it, closing and reopening deals, lost reasons.
extension SQLiteDealRepository {
    /// The board filter as SQL conditions on `d` (deals), with their values.
    /// `place`: where the deals asked for are, as words of `deal_card_fts`'s
    /// `place` column (`s12 AND open`), so a search reads that index for
    /// those deals only; nil for anywhere.
    func conditions(_ filter: DealFilter, place: String? = nil) -> (sql: [String], values: [SQLBindable]) {
        var conds: [String] = []
        var values: [SQLBindable] = []
        if let owner = filter.ownerID { conds.append("d.owner_id = ?"); values.append(owner) }
        if let before = filter.closingBefore { conds.append("d.expected_close < ?"); values.append(before) }
        let query = SearchQuery(filter.text)
        if query.scope == .nothing { conds.append("0") }
        if let match = query.ftsMatch {
            if db.hasDealCardSearch {
                // What a card shows: the deal's title, its company, its contact,
                // each asked for every word, from one index of deals (schema 33).
                conds.append("d.id IN (SELECT rowid FROM deal_card_fts WHERE deal_card_fts MATCH ?)")
                values.append(Self.cardMatch(match, place: place))
            } else {
                // A file read as it is at an older schema: the three indexes.
                conds.append("""
                    (d.id IN (SELECT rowid FROM deal_fts WHERE deal_fts MATCH ?)
                     OR d.company_id IN (SELECT rowid FROM company_fts WHERE company_fts MATCH ?)
                     OR d.contact_id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?))
                    """)
                values += [match, match, match]
            }
        }
        return (conds, values)
    }

    /// `match` asked of each group of `deal_card_fts`'s columns apart: all
    /// the words in the deal's texts, or all in its company's, or all in its
    /// contact's, as the three indexes of each were asked before; never some
    /// words in one and the rest in another.
    static func cardMatch(_ match: String, place: String? = nil) -> String {
        let words = [
            "{title lost_reason}",
            "{company_name company_domain company_notes}",
            "{contact_name contact_company contact_emails contact_extra}",
        ].map { "\($0) : (\(match))" }.joined(separator: " OR ")
        guard let place else { return words }
        return "(\(words)) AND place : (\(place))"
    }

    public func card(_ dealID: Int64) throws -> DealCard? {
        try c.first("\(Self.cardSQL) WHERE d.id = ?", [dealID], Self.card)
    }

    public func cards(stageID: Int64, filter: DealFilter, before cursor: DealCursor, limit: Int) throws -> [DealCard] {
        let f = conditions(filter, place: "s\(stageID) AND open")
        let conds = ["d.stage_id = ?", "d.deleted_at IS NULL", "d.status = 'open'"] + f.sql + ["(d.position, d.id) < (?, ?)"]
        let values: [SQLBindable] = [stageID] + f.values + [cursor.position, cursor.id, limit]
        return try c.rows("\(Self.cardSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY d.position DESC, d.id DESC LIMIT ?",
                          values, Self.card)
    }

    // MARK: totals

    /// A value a deal may hold, as SQL on `d` (bind `Money.maxMinorUnits`).
    private static let valueInRange = "(typeof(d.value_minor) = 'integer' AND d.value_minor BETWEEN 0 AND ?)"

    /// Count and total per currency, summed so that no stored value can make
    /// SQLite fail the read (its integer sum() raises "integer overflow",
    /// which emptied the whole board): only values a deal may hold (0 to
    /// 10^15 − 1) are added, in two parts, value / 10^6 and value % 10^6, each
    /// below 10^6; an integer sum of either stays exact for 9.2 × 10^12 rows,
    /// more than a deals table can hold. Other values (negative, too large, not
    /// a whole number) are counted apart and make their currency's total out
    /// of range. Everything reads from the covering index `deals_board_totals`
    /// (`deals_board_by_owner` for one owner's deals; both schema 45).
    private static let totalsColumns = """
        d.currency, count(*),
        sum(CASE WHEN \(valueInRange) THEN d.value_minor / 1000000 END),
        sum(CASE WHEN \(valueInRange) THEN d.value_minor % 1000000 END),
        count(CASE WHEN \(valueInRange) THEN NULL ELSE 1 END)
        """
    private static var totalsBindings: [SQLBindable] { Array(repeating: Money.maxMinorUnits, count: 3) }

    /// One currency's row of the totals query, from column `i` on.
    private struct TotalsRow {
        var currency: String
        var count: Int
        var millions: Int64
        var units: Int64
        var outOfRange: Int

        init(_ row: Row, from i: Int32) {
            currency = row.string(i)
            count = row.int(i + 1)
            millions = row.int64(i + 2)
            units = row.int64(i + 3)
            outOfRange = row.int(i + 4)
        }
    }

    /// Joins the parts with checked arithmetic: a sum beyond Int64 (more than
    /// 9,223 deals near the largest value) or with an out-of-range value in
    /// it is nil, shown as out of range. Probability is per stage, so the
    /// weighted sum is the stage's sum weighted once (`Money.weighted`, exact,
    /// rounded half up). Codes are kept exactly as stored: "XYZ" and "EUR"
    /// are two totals, never one.
    private static func totals(stageID: Int64, rows: [TotalsRow], probability: Int) -> StageTotals {
        StageTotals(stageID: stageID, byCurrency: rows.map { row in
            let currency = Currency(stored: row.currency)
            let total = row.outOfRange > 0 ? nil : MillionParts.join(row.millions, row.units).map { Money(minorUnits: $0, currency: currency) }
            return CurrencyTotal(currency: currency, count: row.count, sum: total,
                                 weighted: total?.weighted(percent: probability))
        })
    }

    public func stageTotals(pipelineID: Int64, filter: DealFilter) throws -> [Int64: StageTotals] {
        let rows: [(stage: Int64, totals: TotalsRow)]
        if let owner = storedTotalsOwner(filter) {
            rows = try c.rows("""
                SELECT stage_id, \(Self.storedTotalsColumns) FROM deal_board_totals
                WHERE pipeline_id = ?\(owner == nil ? "" : " AND owner_id = ?") GROUP BY stage_id, currency HAVING sum(deals) > 0
                """, [pipelineID] + (owner.map { [$0] } ?? [])) { (stage: $0.int64(0), totals: TotalsRow($0, from: 1)) }
        } else {
            let f = conditions(filter, place: "p\(pipelineID) AND open")
            let conds = ["d.pipeline_id = ?", "d.status = 'open'", "d.deleted_at IS NULL"] + f.sql
            rows = try c.rows("""
                SELECT d.stage_id, \(Self.totalsColumns) FROM deals d
                WHERE \(conds.joined(separator: " AND ")) GROUP BY d.stage_id, d.currency
                """, Self.totalsBindings + [pipelineID] + f.values) { (stage: $0.int64(0), totals: TotalsRow($0, from: 1)) }
        }
        let probabilities = Dictionary(uniqueKeysWithValues: try db.pipelines.stages(pipelineID: pipelineID).map { ($0.id, $0.probability) })
        return Dictionary(grouping: rows, by: \.stage).reduce(into: [:]) { result, group in
            result[group.key] = Self.totals(stageID: group.key, rows: group.value.map(\.totals),
                                            probability: probabilities[group.key] ?? 0)
        }
    }

    public func stageTotals(stageID: Int64, filter: DealFilter) throws -> StageTotals {
        guard let stage = try db.pipelines.stage(stageID) else { return .empty(stageID) }
        let rows: [TotalsRow]
        if let owner = storedTotalsOwner(filter) {
            rows = try c.rows("""
                SELECT \(Self.storedTotalsColumns) FROM deal_board_totals
                WHERE pipeline_id = ? AND stage_id = ?\(owner == nil ? "" : " AND owner_id = ?")
                GROUP BY currency HAVING sum(deals) > 0
                """, [stage.pipelineID, stageID] + (owner.map { [$0] } ?? [])) { TotalsRow($0, from: 0) }
        } else {
            let f = conditions(filter, place: "s\(stageID) AND open")
            let conds = ["d.pipeline_id = ?", "d.status = 'open'", "d.stage_id = ?", "d.deleted_at IS NULL"] + f.sql
            rows = try c.rows("""
                SELECT \(Self.totalsColumns) FROM deals d
                WHERE \(conds.joined(separator: " AND ")) GROUP BY d.currency
                """, Self.totalsBindings + [stage.pipelineID, stageID] + f.values) { TotalsRow($0, from: 0) }
        }
        return Self.totals(stageID: stageID, rows: rows, probability: stage.probability)
    }

    /// The same columns as `totalsColumns`, added up from the totals kept
    /// per pipeline, owner, stage and currency (schema 52: a few rows
    /// whatever the number of deals, where the query reads one index entry
    /// per open deal, 134,599 for one pipeline at a million contacts).
    private static let storedTotalsColumns = "currency, sum(deals), sum(millions), sum(units), sum(out_of_range)"

    /// Whether the kept totals answer `filter`: everyone's deals or one
    /// owner's, with no search and no closing date (those read the deals).
    /// `.some(nil)`: everyone's; `.some(id)`: that owner's; nil: not kept.
    /// (Owner 0 is the table's "no owner", which the query's
    /// `owner_id = 0` never finds: such a filter reads the deals.)
    private func storedTotalsOwner(_ filter: DealFilter) -> Int64?? {
        guard db.hasBoardTotals, filter.closingBefore == nil, filter.ownerID != 0,
              SearchQuery(filter.text).scope == .everything else { return nil }
        return .some(filter.ownerID)
    }

    // MARK: reorder

    public func reorder(_ dealID: Int64, by offset: Int, expectedVersion: Int64) throws -> Deal {
        try c.transaction {
            guard let old = try get(dealID), old.deletedAt == nil, old.status == .open, old.version == expectedVersion else {
                throw try db.audit.staleEdit(entity: "deal", table: "deals", id: dealID, expected: expectedVersion)
            }
            guard offset != 0, var target = try newPosition(for: old, up: offset < 0) else { return old }
            if target.needsRenumber {
                // Repeated halving ran out of room between two neighbours (or
                // they share a position): renumber the column 1, 2, 3... once.
                try renumber(stageID: old.stageID)
                guard let fresh = try get(dealID), let again = try newPosition(for: fresh, up: offset < 0) else { return old }
                target = again
            }
            try c.run("UPDATE deals SET position = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                      [target.position, db.clock.now, dealID])
            try db.audit.record("deal", dealID, "reorder", changes: ["position": ("\(old.position)", "\(target.position)")])
            return try get(dealID)!
        }
    }

    /// The position halfway between the next two cards in the direction of
    /// travel (or one beyond the last); nil at the edge of the column.
    private func newPosition(for deal: Deal, up: Bool) throws -> (position: Double, needsRenumber: Bool)? {
        let sql = up
            ? "SELECT position FROM deals d WHERE stage_id = ? AND status = 'open' AND deleted_at IS NULL AND (position, id) < (?, ?) ORDER BY position DESC, id DESC LIMIT 2"
            : "SELECT position FROM deals d WHERE stage_id = ? AND status = 'open' AND deleted_at IS NULL AND (position, id) > (?, ?) ORDER BY position, id LIMIT 2"
        let neighbours = try c.rows(sql, [deal.stageID, deal.position, deal.id]) { $0.double(0) }
        guard let near = neighbours.first else { return nil }
        let far = neighbours.count > 1 ? neighbours[1] : near + (up ? -2 : 2)
        let mid = (near + far) / 2
        let between = up ? (mid < near && mid > far) : (mid > near && mid < far)
        return (mid, !between)
    }

    private func renumber(stageID: Int64) throws {
        try c.run("""
            WITH ranked AS (
                SELECT id, row_number() OVER (ORDER BY position, id) AS n FROM deals
                WHERE stage_id = ? AND status = 'open' AND deleted_at IS NULL)
            UPDATE deals SET position = ranked.n FROM ranked WHERE deals.id = ranked.id
            """, [stageID])
    }

    // MARK: won, lost, reopen

    public func close(_ dealID: Int64, as status: DealStatus, reason: String, expectedVersion: Int64) throws -> Deal {
        precondition(status != .open, "close(_:as:) takes .won or .lost; use reopen")
        let reason = status == .lost ? reason.trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return try c.transaction {
            guard var deal = try get(dealID), deal.deletedAt == nil, deal.version == expectedVersion else {
                throw try db.audit.staleEdit(entity: "deal", table: "deals", id: dealID, expected: expectedVersion)
            }
            guard deal.status == .open else {
                throw ValidationFailure([FieldError("status", "is already \(deal.status.rawValue)")])
            }
            deal.status = status
            deal.lostReason = reason
            // Only what closing changes: a deal whose stored value or currency
            // is out of range (flagged on screen) can still be won or lost.
            try ValidationFailure.check(deal.validate().filter { $0.field != "value" && $0.field != "currency" })
            let now = db.clock.now
            try c.run("""
                UPDATE deals SET status = ?, lost_reason = ?, closed_at = ?, updated_at = ?, version = version + 1
                WHERE id = ? AND version = ?
                """, [status.rawValue, reason, now, now, dealID, expectedVersion])
            let stageName = try db.pipelines.stage(deal.stageID)?.name ?? "?"
            let subject = status == .won ? "\(deal.title): won (in \(stageName))" : "\(deal.title): lost (in \(stageName)) — \(reason)"
            try logStageEvent(deal, subject: subject, at: now)
            var changes: [String: (String, String)] = ["status": ("open", status.rawValue)]
            if status == .lost { changes["lost reason"] = ("", reason) }
            try db.audit.record("deal", dealID, status.rawValue, changes: changes)
            return try get(dealID)!
        }
    }

    public func reopen(_ dealID: Int64, expectedVersion: Int64, stageEnteredAt: Date? = nil) throws -> Deal {
        try c.transaction {
            guard let deal = try get(dealID), deal.deletedAt == nil, deal.version == expectedVersion else {
                throw try db.audit.staleEdit(entity: "deal", table: "deals", id: dealID, expected: expectedVersion)
            }
            guard deal.status != .open else { return deal }
            // Back in the stage it left: if that was a won/lost outcome stage
            // (moved there directly), to the pipeline's last open stage.
            var stageID = deal.stageID
            let usable = try c.scalar("SELECT count(*) FROM stages WHERE id = ? AND kind = 'open' AND deleted_at IS NULL", [stageID]) ?? 0
            if usable == 0, let last = try db.pipelines.stages(pipelineID: deal.pipelineID).last(where: { $0.kind == .open }) {
                stageID = last.id
            }
            let now = db.clock.now
            // Kept only when it goes back to the very stage it was closed in.
            let entered = stageID == deal.stageID ? (stageEnteredAt ?? now) : now
            try c.run("""
                UPDATE deals SET status = 'open', lost_reason = '', closed_at = NULL, stage_id = ?, stage_entered_at = ?,
                       updated_at = ?, version = version + 1 WHERE id = ? AND version = ?
                """, [stageID, entered, now, dealID, expectedVersion])
            if stageID != deal.stageID {
                try c.run("INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)",
                          [dealID, deal.stageID, stageID, now, me])
            }
            try logStageEvent(deal, subject: "\(deal.title): reopened (was \(deal.status.rawValue))", at: now)
            try db.audit.record("deal", dealID, "reopen", changes: ["status": (deal.status.rawValue, "open")])
            return try get(dealID)!
        }
    }

    /// A 'stage' interaction, so closing and reopening show in the deal's,
    /// the contact's and the company's timelines like moves do.
    private func logStageEvent(_ deal: Deal, subject: String, at now: Date) throws {
        try c.run("""
            INSERT INTO interactions(contact_id, company_id, deal_id, kind, direction, occurred_at, subject, author_id, created_at)
            VALUES (?, ?, ?, 'stage', '', ?, ?, ?, ?)
            """, [deal.contactID, deal.companyID, deal.id, now, subject, me, now])
    }

    /// The reasons grouped in the order of `deals_lost_reasons` (schema 45),
    /// from the index alone: no lost deal's row is read.
    static let lostReasonsSQL = """
        SELECT lost_reason FROM deals WHERE status = 'lost' AND deleted_at IS NULL AND lost_reason != ''
        GROUP BY lost_reason ORDER BY count(*) DESC, max(closed_at) DESC LIMIT ?
        """

    public func lostReasons(limit: Int) throws -> [String] {
        try c.rows(Self.lostReasonsSQL, [limit]) { $0.string(0) }
    }

    public func closedDeals(pipelineID: Int64, status: DealStatus?, filter: DealFilter, after cursor: ClosedDealCursor?,
                            limit: Int) throws -> [DealCard] {
        try closedDeals(pipelineID: pipelineID, status: status, filter: filter, from: cursor, backwards: false, limit: limit)
    }

    public func closedDeals(pipelineID: Int64, status: DealStatus?, filter: DealFilter, before cursor: ClosedDealCursor?,
                            limit: Int) throws -> [DealCard] {
        // Read from the list's end towards its start along the same index
        // (its other direction), so the last page costs what the first does.
        try closedDeals(pipelineID: pipelineID, status: status, filter: filter, from: cursor, backwards: true, limit: limit)
            .reversed()
    }

    /// One keyset page of the won/lost list: after `cursor` in list order
    /// (most recently closed first), or before it read backwards.
    private func closedDeals(pipelineID: Int64, status: DealStatus?, filter: DealFilter, from cursor: ClosedDealCursor?,
                             backwards: Bool, limit: Int) throws -> [DealCard] {
        let f = conditions(filter, place: "p\(pipelineID) AND \(status?.rawValue ?? "(won OR lost)")")
        // `status <> 'open'` as written names the closed deals of the partial
        // index `deals_closed_by_time` (schema 30), whose order is the list's.
        var conds = ["d.pipeline_id = ?", "d.deleted_at IS NULL", "d.status <> 'open'"]
        var values: [SQLBindable] = [pipelineID]
        if let status { conds.append("d.status = ?"); values.append(status.rawValue) } else { conds.append("d.status IN ('won', 'lost')") }
        conds += f.sql
        values += f.values
        if let cursor {
            conds.append("(coalesce(d.closed_at, d.updated_at), d.id) \(backwards ? ">" : "<") (?, ?)")
            values += [cursor.closedAt, cursor.id] as [SQLBindable]
        }
        values.append(limit)
        let order = backwards ? "ASC" : "DESC"
        return try c.rows("""
            \(Self.cardSQL) WHERE \(conds.joined(separator: " AND "))
            ORDER BY coalesce(d.closed_at, d.updated_at) \(order), d.id \(order) LIMIT ?
            """, values, Self.card)
    }

    public func historyEntries(dealID: Int64) throws -> [StageHistoryEntry] {
        try c.rows("""
            SELECT h.deal_id, h.from_stage_id, h.to_stage_id, h.changed_at, h.changed_by, fs.name, ts.name, u.login
            FROM deal_stage_history h
            LEFT JOIN stages fs ON fs.id = h.from_stage_id
            JOIN stages ts ON ts.id = h.to_stage_id
            LEFT JOIN users u ON u.id = h.changed_by
            WHERE h.deal_id = ? ORDER BY h.changed_at, h.id
            """, [dealID]) {
            StageHistoryEntry(change: StageChange(dealID: $0.int64(0), fromStageID: $0.optionalInt64(1), toStageID: $0.int64(2),
                                                  changedAt: $0.date(3), changedBy: $0.optionalInt64(4)),
                              fromStageName: $0.optionalString(5), toStageName: $0.string(6), changedByLogin: $0.optionalString(7))
        }
    }
}
