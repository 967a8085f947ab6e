import CRMCore
import CRMRepositories
import Foundation

/// The Pipeline and Forecast report figures on PostgreSQL, each one query,
/// ported from SQLiteDealReportRepository with the same meaning: counts and
/// sums are made by the server; Swift only reads them and splits the id lists.
public final class PGDealReportRepository: DealReportRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    /// A value a deal may hold; others make a sum out of range (nil), as on SQLite.
    private static let inRange = "d.value_minor BETWEEN 0 AND \(Money.maxMinorUnits)"

    /// Count, exact value sum (numeric), out-of-range count, Σ value × stage
    /// probability (numeric) and, with `ids`, the ids (else NULL: the page
    /// asks without them, Enter with them); `s` is the stage.
    private static func sumColumns(ids: Bool) -> String { """
        d.currency, count(*),
        sum(d.value_minor) FILTER (WHERE \(inRange)),
        count(*) FILTER (WHERE NOT (\(inRange))),
        sum(d.value_minor::numeric * s.probability) FILTER (WHERE \(inRange)),
        \(ids ? "string_agg(d.id::text, ',')" : "NULL")
        """ }

    private static func dealSum(_ row: PGRow, from i: Int) -> DealSum {
        let currency = Currency(stored: row.string(i))
        let outOfRange = row.int(i + 3) > 0
        let sum = outOfRange ? nil : (row.isNull(i + 2) ? 0 : PGReportSQL.whole(row.optionalString(i + 2)))
        // Σ value × percent, then ÷ 100 rounded half up, once (as SQLite).
        let weighted = outOfRange ? nil : (row.isNull(i + 4) ? 0 : PGReportSQL.whole(row.optionalString(i + 4)))
            .flatMap { $0.addingReportingOverflow(50).overflow ? nil : ($0 + 50) / 100 }
        return DealSum(currency: currency, count: row.int(i + 1), sum: sum.map { Money(minorUnits: $0, currency: currency) },
                       weighted: weighted.map { Money(minorUnits: $0, currency: currency) },
                       dealIDs: PGReportSQL.ids(row.optionalString(i + 5)))
    }

    struct Query {
        let sql: String
        let values: [any PGBindable]
    }

    static func openStageQuery(_ filter: ReportFilter, withIDs: Bool = false) -> Query {
        let f = PGReportConditions(filter)
        return Query(sql: """
            SELECT d.stage_id, \(sumColumns(ids: withIDs))
            FROM deals d JOIN stages s ON s.id = d.stage_id
            WHERE d.status = 'open' AND s.kind = 'open' AND \(f.sql)
            GROUP BY d.stage_id, d.currency
            """, values: f.values)
    }

    /// The open deals of a few stages: their range of the covering index
    /// deals_report_by_status, sorted by id.
    static func openDealsQuery(_ filter: ReportFilter, stageIDs: [Int64]) -> Query {
        let f = PGReportConditions(filter)
        return Query(sql: """
            SELECT d.id, d.currency
            FROM deals d JOIN stages s ON s.id = d.stage_id
            WHERE d.status = 'open' AND d.stage_id = ANY(?::bigint[]) AND s.kind = 'open' AND \(f.sql)
            ORDER BY d.id
            """, values: [PGReportSQL.array(stageIDs)] + f.values)
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
        let f = PGReportConditions(filter)
        return Query(sql: """
            SELECT d.pipeline_id, string_agg(d.id::text, ','), string_agg(d.id::text, ',') FILTER (WHERE d.status = 'won')
            FROM deals d WHERE d.created_at >= ?::bigint AND d.created_at < ?::bigint AND \(f.sql)
            GROUP BY d.pipeline_id
            """, values: [filter.start, filter.end] + f.values)
    }

    static func funnelQuery(_ filter: ReportFilter) -> Query {
        let f = PGReportConditions(filter)
        // How far each deal of the cohort got: the furthest open stage it
        // ever entered (history, and where it is now); a won deal got
        // through every stage.
        return Query(sql: """
            WITH cohort AS MATERIALIZED (
                SELECT d.id, d.pipeline_id, d.status,
                       greatest(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                          WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                                coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1)) AS reached
                FROM deals d WHERE d.created_at >= ?::bigint AND d.created_at < ?::bigint AND \(f.sql)
            )
            SELECT s.id, string_agg(k.id::text, ',')
            FROM cohort k JOIN stages s ON s.pipeline_id = k.pipeline_id AND s.kind = 'open' AND s.deleted_at IS NULL
                 AND (k.reached >= s.position OR k.status = 'won')
            GROUP BY s.id
            """, values: [filter.start, filter.end] + f.values)
    }

    public func funnel(_ filter: ReportFilter, withIDs: Bool) throws -> (cohorts: [CohortFigure], stages: [FunnelFigure]) {
        try storedFunnel(filter, withIDs: withIDs)
    }

    /// The funnel worked out from the stage history (before schema 43): the
    /// tests compare the stored figures with it.
    func funnelFromHistory(_ filter: ReportFilter) throws -> (cohorts: [CohortFigure], stages: [FunnelFigure]) {
        let cohort = Self.cohortQuery(filter), funnel = Self.funnelQuery(filter)
        let cohorts = try c.rows(cohort.sql, cohort.values) {
            CohortFigure(pipelineID: $0.int64(0), dealIDs: PGReportSQL.ids($0.optionalString(1)), wonIDs: PGReportSQL.ids($0.optionalString(2)))
        }
        let stages = try c.rows(funnel.sql, funnel.values) { FunnelFigure(stageID: $0.int64(0), dealIDs: PGReportSQL.ids($0.optionalString(1))) }
        return (cohorts, stages)
    }

    static func stageTimesQuery(_ filter: ReportFilter) -> Query {
        let f = PGReportConditions(filter)
        // A stay ends with a move out of the stage (entered at the latest
        // earlier row into it) or with the deal won or lost there (entered
        // at stage_entered_at). The median: the middle one or two stays.
        return Query(sql: """
            WITH stays AS MATERIALIZED (
                SELECT n.from_stage_id AS stage_id,
                       n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                       WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                         AND p.changed_at <= n.changed_at AND p.id < n.id) AS secs
                FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id
                WHERE n.changed_at >= ?::bigint AND n.changed_at < ?::bigint AND n.from_stage_id IS NOT NULL AND \(f.sql)
                UNION ALL
                SELECT d.stage_id, d.closed_at - d.stage_entered_at
                FROM deals d WHERE d.status IN ('won', 'lost') AND d.closed_at >= ?::bigint AND d.closed_at < ?::bigint AND \(f.sql)
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
        try storedStageTimes(filter)
    }

    /// The figure worked out from the stage history (before schema 43): the
    /// tests compare the stored figures with it.
    func stageTimesFromHistory(_ filter: ReportFilter) throws -> [StageTimeFigure] {
        let q = Self.stageTimesQuery(filter)
        return try c.rows(q.sql, q.values) { StageTimeFigure(stageID: $0.int64(0), stays: $0.int(1), medianDays: $0.double(2)) }
    }

    static func forecastQuery(_ filter: ReportFilter, bounds: [Date], withIDs: Bool = false) -> Query {
        let f = PGReportConditions(filter)
        var bucket = "CASE WHEN d.expected_close < ?::bigint THEN -1"
        for i in 1 ..< bounds.count { bucket += " WHEN d.expected_close < ?::bigint THEN \(i - 1)" }
        bucket += " ELSE \(bounds.count - 1) END"
        return Query(sql: """
            SELECT \(bucket) AS bucket, \(sumColumns(ids: withIDs))
            FROM deals d JOIN stages s ON s.id = d.stage_id
            WHERE d.status = 'open' AND d.expected_close IS NOT NULL AND \(f.sql)
            GROUP BY 1, d.currency
            """, values: bounds.map { $0 as any PGBindable } + f.values)
    }

    public func forecast(_ filter: ReportFilter, bounds: [Date], withIDs: Bool) throws -> [ForecastBucketFigure] {
        guard !bounds.isEmpty else { return [] }
        let q = Self.forecastQuery(filter, bounds: bounds, withIDs: withIDs)
        return try c.rows(q.sql, q.values) { ForecastBucketFigure(bucket: $0.int(0), figures: Self.dealSum($0, from: 1)) }
    }

    static func undatedQuery(_ filter: ReportFilter) -> Query {
        let f = PGReportConditions(filter)
        return Query(sql: """
            SELECT string_agg(d.id::text, ',') FROM deals d
            WHERE d.status = 'open' AND d.expected_close IS NULL AND \(f.sql)
            """, values: f.values)
    }

    public func openWithoutCloseDate(_ filter: ReportFilter) throws -> [Int64] {
        let q = Self.undatedQuery(filter)
        return try c.first(q.sql, q.values) { PGReportSQL.ids($0.optionalString(0)) } ?? []
    }

    /// Every query of the two pages, by name (the query-plan test reads them).
    static func queries(_ filter: ReportFilter, bounds: [Date]) -> [(String, Query)] {
        [("open stages", openStageQuery(filter)), ("funnel groups", funnelGroupsQuery(filter)), ("funnel stages", funnelStagesQuery),
         ("stage stays", stayCountsQuery(filter)), ("stage median", stayMedianQuery(filter, stageID: 1, count: 10)),
         ("forecast", forecastQuery(filter, bounds: bounds)), ("undated", undatedQuery(filter))]
    }
}

/// The records behind a report figure, in the order asked for.
public final class PGReportDrillRepository: ReportDrillRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    /// One statement for any number of ids (one array parameter); the rows
    /// come back in the order of `ids`.
    private func rows(_ ids: [Int64], _ sql: String, _ make: (PGRow) -> ReportDrillRow) throws -> [ReportDrillRow] {
        guard !ids.isEmpty else { return [] }
        var found: [Int64: ReportDrillRow] = [:]
        for row in try c.rows(sql, [PGReportSQL.array(ids)], make) { found[row.id] = row }
        return ids.compactMap { found[$0] }
    }

    public func dealRows(_ ids: [Int64]) throws -> [ReportDrillRow] {
        try rows(ids, """
            SELECT d.id, d.title, d.value_minor, d.currency, d.status, s.name, u.login, d.expected_close, d.contact_id
            FROM deals d JOIN stages s ON s.id = d.stage_id LEFT JOIN users u ON u.id = d.owner_id
            WHERE d.deleted_at IS NULL AND d.id = ANY(?::bigint[])
            """) { row in
            let money = Money(minorUnits: row.optionalInt64(2) ?? Money.unreadable, currency: Currency(stored: row.string(3)))
            let status = row.string(4)
            var parts: [ReportDrillPart] = [.text(status == "open" ? row.string(5) : "\(status) (\(row.string(5)))"), .money(money)]
            if let owner = row.optionalString(6) { parts.append(.text(owner)) }
            return ReportDrillRow(id: row.int64(0), title: row.string(1), parts: parts, contactID: row.optionalInt64(8))
        }
    }

    public func contactRows(_ ids: [Int64]) throws -> [ReportDrillRow] {
        try rows(ids, """
            SELECT ct.id, ct.name, ct.lifecycle, co.name, u.login
            FROM contacts ct LEFT JOIN companies co ON co.id = ct.company_id LEFT JOIN users u ON u.id = ct.owner_id
            WHERE ct.deleted_at IS NULL AND ct.id = ANY(?::bigint[])
            """) { row in
            ReportDrillRow(id: row.int64(0), title: row.string(1), texts: [row.string(2), row.optionalString(3), row.optionalString(4)],
                           contactID: row.int64(0))
        }
    }

    public func followUpRows(_ ids: [Int64]) throws -> [ReportDrillRow] {
        try rows(ids, """
            SELECT f.id, f.title, f.status, ct.name, u.login, f.contact_id, f.due_at
            FROM follow_ups f LEFT JOIN contacts ct ON ct.id = f.contact_id LEFT JOIN users u ON u.id = f.assignee_id
            WHERE f.deleted_at IS NULL AND f.id = ANY(?::bigint[])
            """) { row in
            ReportDrillRow(id: row.int64(0), title: row.string(1), texts: [row.string(2), row.optionalString(3), row.optionalString(4)],
                           contactID: row.optionalInt64(5), contactName: row.optionalString(3), due: row.optionalDate(6))
        }
    }

    public func followUpsByDue(_ ids: [Int64]) throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        return try c.rows("""
            SELECT id FROM follow_ups WHERE deleted_at IS NULL AND id = ANY(?::bigint[])
            ORDER BY due_at NULLS LAST, id
            """, [PGReportSQL.array(ids)]) { $0.int64(0) }
    }
}
