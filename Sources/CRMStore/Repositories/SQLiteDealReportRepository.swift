import CRMCore
import CRMRepositories
import Foundation

/// The Pipeline and Forecast report figures, each one query over indexes:
/// sums and counts are made by SQLite, and Swift only joins the parts of a
/// sum (see `sumColumns`) and splits the id lists for the drill-down.
public final class SQLiteDealReportRepository: DealReportRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    /// The filter as conditions on `d` (deals), with their values.
    static func conditions(_ filter: ReportFilter) -> (sql: String, values: [SQLBindable]) {
        var conds = ["d.deleted_at IS NULL"]
        var values: [SQLBindable] = []
        if !filter.pipelineIDs.isEmpty {
            conds.append("d.pipeline_id IN (\(placeholders(filter.pipelineIDs.count)))")
            values += filter.pipelineIDs.map { $0 as SQLBindable }
        }
        if !filter.ownerIDs.isEmpty {
            conds.append("d.owner_id IN (\(placeholders(filter.ownerIDs.count)))")
            values += filter.ownerIDs.map { $0 as SQLBindable }
        }
        if let currency = filter.currency {
            conds.append("d.currency = ?")
            values.append(currency.code)
        }
        return (conds.joined(separator: " AND "), values)
    }

    static func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

    /// A value a deal may hold (bind `Money.maxMinorUnits`).
    private static let inRange = "(typeof(d.value_minor) = 'integer' AND d.value_minor BETWEEN 0 AND ?)"

    /// Count, value and weighted value of the rows grouped, summed so that
    /// no stored value can make the read fail (SQLite's integer sum() raises
    /// on overflow): only values a deal may hold are added, in two parts
    /// (value / 10^6 and value % 10^6) that stay exact for any number of
    /// deals; others are counted apart and make the sum out of range. The
    /// weighted parts carry value × probability (percent); `s` is the stage.
    /// `ids`: the deals' ids as the last column (else NULL there: the
    /// page asks without them, Enter with them).
    private static func sumColumns(ids: Bool) -> String { """
        d.currency, count(*),
        sum(CASE WHEN \(inRange) THEN d.value_minor / 1000000 END),
        sum(CASE WHEN \(inRange) THEN d.value_minor % 1000000 END),
        count(CASE WHEN \(inRange) THEN NULL ELSE 1 END),
        sum(CASE WHEN \(inRange) THEN (d.value_minor / 1000000) * s.probability END),
        sum(CASE WHEN \(inRange) THEN (d.value_minor % 1000000) * s.probability END),
        \(ids ? "group_concat(d.id)" : "NULL")
        """ }
    private static var sumBindings: [SQLBindable] { Array(repeating: Money.maxMinorUnits, count: 5) }

    /// The sum columns read from column `i` on.
    private static func dealSum(_ row: Row, from i: Int32) -> DealSum {
        let currency = Currency(stored: row.string(i))
        let count = row.int(i + 1)
        let outOfRange = row.int(i + 4) > 0
        let sum = outOfRange ? nil : MillionParts.join(row.int64(i + 2), row.int64(i + 3))
        // Σ value × percent, then ÷ 100 rounded half up, once.
        let weighted = outOfRange ? nil : MillionParts.join(row.int64(i + 5), row.int64(i + 6)).map { ($0 + 50) / 100 }
        return DealSum(currency: currency, count: count, sum: sum.map { Money(minorUnits: $0, currency: currency) },
                       weighted: weighted.map { Money(minorUnits: $0, currency: currency) },
                       dealIDs: ids(row.optionalString(i + 7)))
    }

    /// "3,1,2" (group_concat) as sorted ids: read byte by byte, as a page
    /// of 30,000 deals carries as many ids and splitting the text into
    /// substrings first cost more than the query.
    static func ids(_ text: String?) -> [Int64] { ReportIDText.ids(text) }

    /// One statement and its values: each query is made here, so the test
    /// of its query plan reads the very SQL the page runs.
    struct Query {
        let sql: String
        let values: [SQLBindable]
    }

    static func openStageQuery(_ filter: ReportFilter, withIDs: Bool = false) -> Query {
        let f = conditions(filter)
        // The open deals of each stage, through the covering board index.
        return Query(sql: """
            SELECT d.stage_id, \(sumColumns(ids: withIDs))
            FROM deals d JOIN stages s ON s.id = d.stage_id
            WHERE d.status = 'open' AND s.kind = 'open' AND \(f.sql)
            GROUP BY d.stage_id, d.currency
            """, values: sumBindings + f.values)
    }

    /// The open deals of a few stages: one range of the covering index
    /// deals_report_by_status per stage, sorted by id.
    static func openDealsQuery(_ filter: ReportFilter, stageIDs: [Int64]) -> Query {
        let f = conditions(filter)
        return Query(sql: """
            SELECT d.id, d.currency
            FROM deals d JOIN stages s ON s.id = d.stage_id
            WHERE d.status = 'open' AND d.stage_id IN (\(placeholders(stageIDs.count))) AND s.kind = 'open' AND \(f.sql)
            ORDER BY d.id
            """, values: stageIDs.map { $0 as SQLBindable } + f.values)
    }

    public func openDeals(_ filter: ReportFilter, stageIDs: [Int64]) throws -> [(id: Int64, currency: Currency)] {
        guard !stageIDs.isEmpty else { return [] }
        let q = Self.openDealsQuery(filter, stageIDs: stageIDs)
        return try c.rows(q.sql, q.values) { (id: $0.int64(0), currency: Currency(stored: $0.string(1))) }
    }

    public func openStageFigures(_ filter: ReportFilter, withIDs: Bool) throws -> [StageFigure] {
        let q = Self.openStageQuery(filter, withIDs: withIDs)
        return try c.rows(q.sql, q.values) { StageFigure(stageID: $0.int64(0), figures: Self.dealSum($0, from: 1)) }
    }

    static func cohortQuery(_ filter: ReportFilter) -> Query {
        let f = conditions(filter)
        return Query(sql: """
            SELECT d.pipeline_id, group_concat(d.id), group_concat(CASE WHEN d.status = 'won' THEN d.id END)
            FROM deals d WHERE d.created_at >= ? AND d.created_at < ? AND \(f.sql)
            GROUP BY d.pipeline_id
            """, values: [filter.start, filter.end] + f.values)
    }

    static func funnelQuery(_ filter: ReportFilter) -> Query {
        let f = conditions(filter)
        // How far each deal of the cohort got: the furthest open stage it
        // ever entered (its history, and where it is now); a won deal got
        // through every stage. Materialised: inlined, the furthest stage of
        // each deal was worked out again for every stage it is joined with.
        return Query(sql: """
            WITH cohort AS MATERIALIZED (
                SELECT d.id, d.pipeline_id, d.status,
                       max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                     WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                           coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1)) AS reached
                FROM deals d WHERE d.created_at >= ? AND d.created_at < ? AND \(f.sql)
            )
            SELECT s.id, group_concat(k.id)
            FROM cohort k JOIN stages s ON s.pipeline_id = k.pipeline_id AND s.kind = 'open' AND s.deleted_at IS NULL
                 AND (k.reached >= s.position OR k.status = 'won')
            GROUP BY s.id
            """, values: [filter.start, filter.end] + f.values)
    }

    /// A file read at an older schema (no stored stages entered) works the
    /// funnel out from the history, with the ids whatever `withIDs` says.
    public func funnel(_ filter: ReportFilter, withIDs: Bool) throws -> (cohorts: [CohortFigure], stages: [FunnelFigure]) {
        if hasStagesSeen { return try storedFunnel(filter, withIDs: withIDs) }
        let cohort = Self.cohortQuery(filter), funnel = Self.funnelQuery(filter)
        let cohorts = try c.rows(cohort.sql, cohort.values) {
            CohortFigure(pipelineID: $0.int64(0), dealIDs: Self.ids($0.optionalString(1)), wonIDs: Self.ids($0.optionalString(2)))
        }
        let stages = try c.rows(funnel.sql, funnel.values) { FunnelFigure(stageID: $0.int64(0), dealIDs: Self.ids($0.optionalString(1))) }
        return (cohorts, stages)
    }

    static func stageTimesQuery(_ filter: ReportFilter) -> Query {
        let f = conditions(filter)
        // A stay ends with a move out of the stage (a history row with
        // from_stage_id, whose entry is the latest row into that stage
        // before it) or with the deal won or lost there (entered at
        // stage_entered_at). The median: the middle one or two of each
        // stage's stays in order. Materialised, so each stay's length is
        // worked out once, not once per use of it.
        return Query(sql: """
            WITH stays AS MATERIALIZED (
                SELECT n.from_stage_id AS stage_id,
                       n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                       WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                         AND p.changed_at <= n.changed_at AND p.id < n.id) AS secs
                FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id
                WHERE n.changed_at >= ? AND n.changed_at < ? AND n.from_stage_id IS NOT NULL AND \(f.sql)
                UNION ALL
                SELECT d.stage_id, d.closed_at - d.stage_entered_at
                FROM deals d WHERE d.status IN ('won', 'lost') AND d.closed_at >= ? AND d.closed_at < ? AND \(f.sql)
            ), ranked AS (
                SELECT stage_id, secs, row_number() OVER (PARTITION BY stage_id ORDER BY secs) AS rn,
                       count(*) OVER (PARTITION BY stage_id) AS n
                FROM stays WHERE secs IS NOT NULL AND secs >= 0
            )
            SELECT stage_id, max(n), avg(secs) / 86400.0 FROM ranked
            WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY stage_id
            """, values: [filter.start, filter.end] + f.values + [filter.start, filter.end] + f.values)
    }

    public func stageTimes(_ filter: ReportFilter) throws -> [StageTimeFigure] {
        if hasStays { return try storedStageTimes(filter) }
        let q = Self.stageTimesQuery(filter)
        return try c.rows(q.sql, q.values) { StageTimeFigure(stageID: $0.int64(0), stays: $0.int(1), medianDays: $0.double(2)) }
    }

    static func forecastQuery(_ filter: ReportFilter, bounds: [Date], withIDs: Bool = false) -> Query {
        let f = conditions(filter)
        // The bucket as a CASE over the bounds: one pass over the open deals
        // in expected-close order (index deals_open_by_close).
        var bucket = "CASE WHEN d.expected_close < ? THEN -1"
        for i in 1 ..< bounds.count { bucket += " WHEN d.expected_close < ? THEN \(i - 1)" }
        bucket += " ELSE \(bounds.count - 1) END"
        return Query(sql: """
            SELECT \(bucket) AS bucket, \(sumColumns(ids: withIDs))
            FROM deals d JOIN stages s ON s.id = d.stage_id
            WHERE d.status = 'open' AND d.expected_close IS NOT NULL AND \(f.sql)
            GROUP BY bucket, d.currency
            """, values: bounds.map { $0 as SQLBindable } + sumBindings + f.values)
    }

    public func forecast(_ filter: ReportFilter, bounds: [Date], withIDs: Bool) throws -> [ForecastBucketFigure] {
        guard !bounds.isEmpty else { return [] }
        let q = Self.forecastQuery(filter, bounds: bounds, withIDs: withIDs)
        return try c.rows(q.sql, q.values) { ForecastBucketFigure(bucket: $0.int(0), figures: Self.dealSum($0, from: 1)) }
    }

    static func undatedQuery(_ filter: ReportFilter) -> Query {
        let f = conditions(filter)
        return Query(sql: """
            SELECT group_concat(d.id) FROM deals d
            WHERE d.status = 'open' AND d.expected_close IS NULL AND \(f.sql)
            """, values: f.values)
    }

    public func openWithoutCloseDate(_ filter: ReportFilter) throws -> [Int64] {
        let q = Self.undatedQuery(filter)
        return try c.first(q.sql, q.values) { Self.ids($0.optionalString(0)) } ?? []
    }

    /// Every query of the two pages, by name (the query-plan test reads
    /// them): on a file at schema 35, and the two a file read at an older
    /// schema runs instead.
    static func queries(_ filter: ReportFilter, bounds: [Date]) -> [(String, Query)] {
        [("open stages", openStageQuery(filter)), ("open stages with ids", openStageQuery(filter, withIDs: true)),
         ("open deals of two stages", openDealsQuery(filter, stageIDs: [1, 2])),
         ("funnel groups", funnelGroupsQuery(filter)), ("funnel groups with ids", funnelGroupsQuery(filter, withIDs: true)),
         ("funnel stages", funnelStagesQuery),
         ("stage stays", stayCountsQuery(filter)), ("stage median", stayMedianQuery(filter, stageID: 1, count: 10)),
         ("forecast", forecastQuery(filter, bounds: bounds)), ("forecast with ids", forecastQuery(filter, bounds: bounds, withIDs: true)),
         ("undated", undatedQuery(filter)), ("cohort before schema 35", cohortQuery(filter)), ("funnel before schema 35", funnelQuery(filter)),
         ("stage times before schema 35", stageTimesQuery(filter))]
    }
}

/// The records behind a report figure, in the order asked for.
public final class SQLiteReportDrillRepository: ReportDrillRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    /// Reads `ids` in chunks (SQLite binds at most 32,766 values a
    /// statement): `sql` gets the chunk's placeholders.
    private func chunked<T>(_ ids: [Int64], _ sql: (String) -> String, _ make: (Row) -> T) throws -> [T] {
        var found: [T] = []
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start ..< min(ids.count, start + 500)])
            found += try c.rows(sql(SQLiteDealReportRepository.placeholders(chunk.count)), chunk, make)
            start += chunk.count
        }
        return found
    }

    /// The rows of `ids`, in the order of `ids`.
    private func rows(_ ids: [Int64], _ sql: (String) -> String, _ make: (Row) -> ReportDrillRow) throws -> [ReportDrillRow] {
        let found = Dictionary(try chunked(ids, sql, make).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { found[$0] }
    }

    public func dealRows(_ ids: [Int64]) throws -> [ReportDrillRow] {
        try rows(ids, { """
            SELECT d.id, d.title, d.value_minor, d.currency, d.status, s.name, u.login, d.expected_close, d.contact_id
            FROM deals d JOIN stages s ON s.id = d.stage_id LEFT JOIN users u ON u.id = d.owner_id
            WHERE d.deleted_at IS NULL AND d.id IN (\($0))
            """ }) { row in
            let money = Money(minorUnits: row.exactInt64(2, otherwise: Money.unreadable), currency: Currency(stored: row.string(3)))
            let status = row.string(4)
            var parts: [ReportDrillPart] = [.text(status == "open" ? row.string(5) : "\(status) (\(row.string(5)))"), .money(money)]
            if let owner = row.optionalString(6) { parts.append(.text(owner)) }
            return ReportDrillRow(id: row.int64(0), title: row.string(1), parts: parts, contactID: row.optionalInt64(8))
        }
    }

    public func contactRows(_ ids: [Int64]) throws -> [ReportDrillRow] {
        try rows(ids, { """
            SELECT ct.id, ct.name, ct.lifecycle, co.name, u.login
            FROM contacts ct LEFT JOIN companies co ON co.id = ct.company_id LEFT JOIN users u ON u.id = ct.owner_id
            WHERE ct.deleted_at IS NULL AND ct.id IN (\($0))
            """ }) { row in
            ReportDrillRow(id: row.int64(0), title: row.string(1), texts: [row.string(2), row.optionalString(3), row.optionalString(4)],
                           contactID: row.int64(0))
        }
    }

    public func followUpRows(_ ids: [Int64]) throws -> [ReportDrillRow] {
        try rows(ids, { """
            SELECT f.id, f.title, f.status, ct.name, u.login, f.contact_id, f.due_at
            FROM follow_ups f LEFT JOIN contacts ct ON ct.id = f.contact_id LEFT JOIN users u ON u.id = f.assignee_id
            WHERE f.deleted_at IS NULL AND f.id IN (\($0))
            """ }) { row in
            ReportDrillRow(id: row.int64(0), title: row.string(1), texts: [row.string(2), row.optionalString(3), row.optionalString(4)],
                           contactID: row.optionalInt64(5), contactName: row.optionalString(3), due: row.optionalDate(6))
        }
    }

    public func followUpsByDue(_ ids: [Int64]) throws -> [Int64] {
        try chunked(ids, { "SELECT id, coalesce(due_at, 9223372036854775807) FROM follow_ups WHERE deleted_at IS NULL AND id IN (\($0))" }) {
            (id: $0.int64(0), due: $0.int64(1))
        }.sorted { ($0.due, $0.id) < ($1.due, $1.id) }.map(\.id)
    }
}
