import CRMCore
import CRMRepositories
import Foundation

// What the kanban board needs beyond plain CRUD, on PostgreSQL: column
// totals, scrolling up a column, reordering, closing and reopening, lost reasons.
extension PGDealRepository {
    /// The board filter as SQL conditions on `d` (deals), with their values.
    /// The text finds a deal as SQLite's `deal_card_fts` does (schema 33):
    /// every word in the deal's title and lost reason, or every word in its
    /// company's texts, or every word in its contact's, from the one
    /// document of the card (`deals.card_words`, schema 34), whose three
    /// parts carry the weights A, B and C (`cardQuery`).
    static func conditions(_ filter: DealFilter) -> (sql: [String], values: [any PGBindable]) {
        var conds: [String] = []
        var values: [any PGBindable] = []
        if let owner = filter.ownerID { conds.append("d.owner_id = ?"); values.append(owner) }
        if let before = filter.closingBefore { conds.append("d.expected_close < ?"); values.append(before) }
        let query = SearchQuery(filter.text)
        if query.scope == .nothing { conds.append("false") }
        if let match = cardQuery(query) {
            conds.append("d.card_words @@ ?::tsquery")
            values.append(match)
        }
        return (conds, values)
    }

    /// The LIMIT of a page of cards: in the text (`PGConnection.limit`: one
    /// generic plan, not a plan on every run) unless the filter searches the
    /// cards' words, whose best plan depends on them: then bound (`values`).
    static func limit(_ count: Int, _ filter: DealFilter, _ values: inout [any PGBindable]) -> String {
        guard cardQuery(SearchQuery(filter.text)) == nil else {
            values.append(count)
            return "LIMIT ?"
        }
        return PGConnection.limit(count)
    }

    /// Every word of `query` in one of the card's three parts (nil when it
    /// has no words): `(… A) | (… B) | (… C)`.
    static func cardQuery(_ query: SearchQuery) -> String? {
        let parts = ["A", "B", "C"].compactMap { PGSearchDocument.query(query, weight: $0) }
        return parts.isEmpty ? nil : parts.map { "(\($0))" }.joined(separator: " | ")
    }

    public func card(_ dealID: Int64) throws -> DealCard? {
        try c.first("\(Self.cardSQL) WHERE d.id = ?", [dealID], Self.card)
    }

    public func cards(stageID: Int64, filter: DealFilter, before cursor: DealCursor, limit: Int) throws -> [DealCard] {
        let f = Self.conditions(filter)
        let conds = ["d.stage_id = ?", "d.deleted_at IS NULL", "d.status = 'open'"] + f.sql
            + ["(d.position, d.id) < (?::double precision, ?::bigint)"]
        var values: [any PGBindable] = [stageID] + f.values + [cursor.position, cursor.id]
        let limit = Self.limit(limit, filter, &values)
        return try c.rows("\(Self.cardSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY d.position DESC, d.id DESC \(limit)",
                          values, Self.card)
    }

    // MARK: totals

    /// A value a deal may hold, as SQL on `d` (bind `Money.maxMinorUnits`).
    private static let valueInRange = "(d.value_minor BETWEEN 0 AND ?::bigint)"

    /// Count and total per currency in the same two parts as on SQLite
    /// (value / 10^6 and value % 10^6, joined by `MillionParts`), so both
    /// engines give the same exact totals and flag the same out-of-range
    /// values. PostgreSQL's sum of bigints is numeric and cannot overflow,
    /// but the parts keep one rule for both engines.
    private static let totalsColumns = """
        d.currency, count(*),
        coalesce(sum(CASE WHEN \(valueInRange) THEN d.value_minor / 1000000 END), 0),
        coalesce(sum(CASE WHEN \(valueInRange) THEN d.value_minor % 1000000 END), 0),
        count(CASE WHEN \(valueInRange) THEN NULL ELSE 1 END)
        """
    private static var totalsBindings: [any PGBindable] { Array(repeating: Money.maxMinorUnits, count: 3) }

    private struct TotalsRow {
        var currency: String
        var count: Int
        var millions: Int64?
        var units: Int64?
        var outOfRange: Int

        init(_ row: PGRow, from i: Int) {
            currency = row.string(i)
            count = row.int(i + 1)
            // numeric beyond Int64 does not parse: out of range, as it is.
            millions = row.optionalInt64(i + 2)
            units = row.optionalInt64(i + 3)
            outOfRange = row.int(i + 4)
        }
    }

    private static func totals(stageID: Int64, rows: [TotalsRow], probability: Int) -> StageTotals {
        StageTotals(stageID: stageID, byCurrency: rows.map { row in
            let currency = Currency(stored: row.currency)
            var total: Money?
            if row.outOfRange == 0, let millions = row.millions, let units = row.units,
               let sum = MillionParts.join(millions, units) {
                total = Money(minorUnits: sum, currency: currency)
            }
            return CurrencyTotal(currency: currency, count: row.count, sum: total,
                                 weighted: total?.weighted(percent: probability))
        })
    }

    public func stageTotals(pipelineID: Int64, filter: DealFilter) throws -> [Int64: StageTotals] {
        if let owner = Self.storedTotalsOwner(filter) {
            return try storedTotals(pipelineID: pipelineID, owner: owner)
        }
        let f = Self.conditions(filter)
        let conds = ["d.pipeline_id = ?", "d.status = 'open'", "d.deleted_at IS NULL"] + f.sql
        // Each stage's probability comes in the same round trip (0 for a
        // deleted stage, which `stages(pipelineID:)` would not list).
        let rows = try c.rows((filter.text.isEmpty ? "" : PGConnection.plannedWithValues) + """
            SELECT d.stage_id, \(Self.totalsColumns),
                   (SELECT s.probability FROM stages s WHERE s.id = d.stage_id AND s.deleted_at IS NULL)
            FROM deals d
            WHERE \(conds.joined(separator: " AND ")) GROUP BY d.stage_id, d.currency ORDER BY d.stage_id, d.currency COLLATE "C"
            """, Self.totalsBindings + [pipelineID] + f.values) {
            (stage: $0.int64(0), totals: TotalsRow($0, from: 1), probability: $0.optionalInt64(6).map(Int.init) ?? 0)
        }
        return Dictionary(grouping: rows, by: \.stage).reduce(into: [:]) { result, group in
            result[group.key] = Self.totals(stageID: group.key, rows: group.value.map(\.totals),
                                            probability: group.value.first?.probability ?? 0)
        }
    }

    /// The stage and its totals in one round trip: no row, no such stage;
    /// a row without a currency, a stage without open deals.
    public func stageTotals(stageID: Int64, filter: DealFilter) throws -> StageTotals {
        if let owner = Self.storedTotalsOwner(filter) {
            return try storedTotals(stageID: stageID, owner: owner)
        }
        let f = Self.conditions(filter)
        let conds = ["d.pipeline_id = s.pipeline_id", "d.status = 'open'", "d.stage_id = s.id", "d.deleted_at IS NULL"] + f.sql
        let rows = try c.rows("""
            SELECT s.probability, t.* FROM stages s
            LEFT JOIN LATERAL (SELECT \(Self.totalsColumns) FROM deals d
                               WHERE \(conds.joined(separator: " AND ")) GROUP BY d.currency) t ON true
            WHERE s.id = ? ORDER BY t.currency COLLATE "C"
            """, Self.totalsBindings + f.values + [stageID]) { (probability: $0.int(0), totals: $0.isNull(1) ? nil : TotalsRow($0, from: 1)) }
        guard let stage = rows.first else { return .empty(stageID) }
        return Self.totals(stageID: stageID, rows: rows.compactMap(\.totals), probability: stage.probability)
    }

    // MARK: kept totals

    /// Whether the kept totals (`deal_board_totals`, schema 60) answer
    /// `filter`: everyone's deals or one owner's, with no search and no
    /// closing date (those sum the deals). `.some(nil)`: everyone's;
    /// `.some(id)`: that owner's; nil: not kept. Owner 0 is the table's
    /// "no owner", which `owner_id = 0` on the deals never finds: such a
    /// filter sums the deals. The same rule as SQLite's.
    static func storedTotalsOwner(_ filter: DealFilter) -> Int64?? {
        guard filter.closingBefore == nil, filter.ownerID != 0, SearchQuery(filter.text).scope == .everything else { return nil }
        return .some(filter.ownerID)
    }

    /// `totalsColumns` added up from the kept rows of each total (a few per
    /// stage: owners × currencies), where the deals' sums read one index
    /// entry per open deal (about 5,000 a column at 100,000 contacts).
    private static let storedTotalsColumns = "k.currency, sum(k.deals), sum(k.millions), sum(k.units), sum(k.out_of_range)"

    private func storedTotals(pipelineID: Int64, owner: Int64?) throws -> [Int64: StageTotals] {
        let rows = try c.rows("""
            SELECT k.stage_id, \(Self.storedTotalsColumns),
                   (SELECT s.probability FROM stages s WHERE s.id = k.stage_id AND s.deleted_at IS NULL)
            FROM deal_board_totals k
            WHERE k.pipeline_id = ?\(owner == nil ? "" : " AND k.owner_id = ?")
            GROUP BY k.stage_id, k.currency HAVING sum(k.deals) > 0 ORDER BY k.stage_id, k.currency COLLATE "C"
            """, [pipelineID] + (owner.map { [$0] } ?? [])) {
            (stage: $0.int64(0), totals: TotalsRow($0, from: 1), probability: $0.optionalInt64(6).map(Int.init) ?? 0)
        }
        return Dictionary(grouping: rows, by: \.stage).reduce(into: [:]) { result, group in
            result[group.key] = Self.totals(stageID: group.key, rows: group.value.map(\.totals),
                                            probability: group.value.first?.probability ?? 0)
        }
    }

    /// The stage and its kept totals in one round trip, as `stageTotals(stageID:filter:)`.
    private func storedTotals(stageID: Int64, owner: Int64?) throws -> StageTotals {
        let rows = try c.rows("""
            SELECT s.probability, t.* FROM stages s
            LEFT JOIN LATERAL (SELECT \(Self.storedTotalsColumns) FROM deal_board_totals k
                               WHERE k.pipeline_id = s.pipeline_id AND k.stage_id = s.id\(owner == nil ? "" : " AND k.owner_id = ?")
                               GROUP BY k.currency HAVING sum(k.deals) > 0) t ON true
            WHERE s.id = ? ORDER BY t.currency COLLATE "C"
            """, (owner.map { [$0] } ?? []) + [stageID]) { (probability: $0.int(0), totals: $0.isNull(1) ? nil : TotalsRow($0, from: 1)) }
        guard let stage = rows.first else { return .empty(stageID) }
        return Self.totals(stageID: stageID, rows: rows.compactMap(\.totals), probability: stage.probability)
    }

    // MARK: reorder

    public func reorder(_ dealID: Int64, by offset: Int, expectedVersion: Int64) throws -> Deal {
        try c.transaction {
            let old = try locked(dealID, version: expectedVersion, open: true)
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
            ? "SELECT position FROM deals d WHERE stage_id = ? AND status = 'open' AND deleted_at IS NULL AND (position, id) < (?::double precision, ?::bigint) ORDER BY position DESC, id DESC LIMIT 2"
            : "SELECT position FROM deals d WHERE stage_id = ? AND status = 'open' AND deleted_at IS NULL AND (position, id) > (?::double precision, ?::bigint) ORDER BY position, id LIMIT 2"
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
            var deal = try locked(dealID, version: expectedVersion)
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
                UPDATE deals SET status = ?, lost_reason = ?, closed_at = ?, updated_at = ?, search_words = ?::tsvector,
                       version = version + 1 WHERE id = ? AND version = ?
                """, [status.rawValue, reason, now, now, PGSearchWords.vector(deal.title, reason), dealID, expectedVersion])
            let stageName = try pipelines.stage(deal.stageID)?.name ?? "?"
            let subject = status == .won ? "\(deal.title): won (in \(stageName))" : "\(deal.title): lost (in \(stageName)) — \(reason)"
            try PGInteractionSearch.logStage(db, contactID: deal.contactID, companyID: deal.companyID, dealID: deal.id,
                                             subject: subject, at: now)
            var changes: [String: (String, String)] = ["status": ("open", status.rawValue)]
            if status == .lost { changes["lost reason"] = ("", reason) }
            try db.audit.record("deal", dealID, status.rawValue, changes: changes)
            return try get(dealID)!
        }
    }

    public func reopen(_ dealID: Int64, expectedVersion: Int64, stageEnteredAt: Date? = nil) throws -> Deal {
        try c.transaction {
            let deal = try locked(dealID, version: expectedVersion)
            guard deal.status != .open else { return deal }
            // Back in the stage it left: if that was a won/lost outcome stage
            // (moved there directly), to the pipeline's last open stage.
            var stageID = deal.stageID
            let usable = try c.integer("SELECT count(*) FROM stages WHERE id = ? AND kind = 'open' AND deleted_at IS NULL", [stageID]) ?? 0
            if usable == 0, let last = try pipelines.stages(pipelineID: deal.pipelineID).last(where: { $0.kind == .open }) {
                stageID = last.id
            }
            let now = db.clock.now
            // Kept only when it goes back to the very stage it was closed in.
            let entered = stageID == deal.stageID ? (stageEnteredAt ?? now) : now
            try c.run("""
                UPDATE deals SET status = 'open', lost_reason = '', closed_at = NULL, stage_id = ?, stage_entered_at = ?,
                       updated_at = ?, search_words = ?::tsvector, version = version + 1 WHERE id = ? AND version = ?
                """, [stageID, entered, now, PGSearchWords.vector(deal.title, ""), dealID, expectedVersion])
            if stageID != deal.stageID {
                try c.run("INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)",
                          [dealID, deal.stageID, stageID, now, me])
            }
            try PGInteractionSearch.logStage(db, contactID: deal.contactID, companyID: deal.companyID, dealID: deal.id,
                                             subject: "\(deal.title): reopened (was \(deal.status.rawValue))", at: now)
            try db.audit.record("deal", dealID, "reopen", changes: ["status": (deal.status.rawValue, "open")])
            return try get(dealID)!
        }
    }

    /// NULLS LAST: SQLite sorts a NULL below every value, so DESC puts it
    /// last. Grouped by an index-only scan of `deals_lost_reasons` (schema 45).
    static let lostReasonsSQL = """
        SELECT lost_reason FROM deals WHERE status = 'lost' AND deleted_at IS NULL AND lost_reason <> ''
        GROUP BY lost_reason ORDER BY count(*) DESC, max(closed_at) DESC NULLS LAST LIMIT ?
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
        let f = Self.conditions(filter)
        // `status <> 'open'` as written names the partial index `deals_closed_by_time`.
        var conds = ["d.pipeline_id = ?", "d.deleted_at IS NULL", "d.status <> 'open'"]
        var values: [any PGBindable] = [pipelineID]
        if let status { conds.append("d.status = ?"); values.append(status.rawValue) } else { conds.append("d.status IN ('won', 'lost')") }
        conds += f.sql
        values += f.values
        if let cursor {
            conds.append("(coalesce(d.closed_at, d.updated_at), d.id) \(backwards ? ">" : "<") (?::bigint, ?::bigint)")
            values += [cursor.closedAt, cursor.id] as [any PGBindable]
        }
        let order = backwards ? "ASC" : "DESC"
        let limit = Self.limit(limit, filter, &values)
        return try c.rows("""
            \(Self.cardSQL) WHERE \(conds.joined(separator: " AND "))
            ORDER BY coalesce(d.closed_at, d.updated_at) \(order), d.id \(order) \(limit)
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
