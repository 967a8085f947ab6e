import CRMCore
import CRMRepositories
import Foundation

/// The Pipeline page's funnel and median days per stage read from what
/// schema 43 keeps (PGSchemaV43ReportStoredFigures): each deal's furthest
/// stage and each finished stay's length, as SQLite reads its step 35
/// tables (SQLiteDealReportRepository+Stays), instead of working them out
/// from the stage history of every deal at each look (about 500 ms over a
/// year at 30,000 deals).
extension PGDealReportRepository {
    /// The filter as conditions on the stays `s`, which carry copies of
    /// their deal's trash state, owner, pipeline and currency (`s.live`
    /// also names the partial indexes).
    static func stayConditions(_ filter: ReportFilter) -> (sql: String, values: [any PGBindable]) {
        var conds = ["s.live"]
        var values: [any PGBindable] = []
        if !filter.ownerIDs.isEmpty {
            conds.append("s.owner_id = ANY(?::bigint[])")
            values.append(PGReportSQL.array(filter.ownerIDs))
        }
        if !filter.pipelineIDs.isEmpty {
            conds.append("s.pipeline_id = ANY(?::bigint[])")
            values.append(PGReportSQL.array(filter.pipelineIDs))
        }
        if let currency = filter.currency {
            conds.append("s.currency = ?")
            values.append(currency.code)
        }
        return (conds.joined(separator: " AND "), values)
    }

    /// The stays that ended in the period, per stage: one range of report_stage_stays_by_time.
    static func stayCountsQuery(_ filter: ReportFilter) -> Query {
        let f = stayConditions(filter)
        return Query(sql: """
            SELECT s.stage_id, count(*) FROM report_stage_stays s
            WHERE s.left_at >= ?::bigint AND s.left_at < ?::bigint AND \(f.sql)
            GROUP BY s.stage_id
            """, values: [filter.start, filter.end] + f.values)
    }

    /// The median of a stage's `count` stays of the period: the middle one
    /// (odd count) or the mean of the middle two, read in length order from
    /// report_stage_stays_by_stage, which stops there: no sort.
    static func stayMedianQuery(_ filter: ReportFilter, stageID: Int64?, count: Int) -> Query {
        let f = stayConditions(filter)
        // `=`, not IS NOT DISTINCT FROM, which no index serves.
        let stage = stageID == nil ? "s.stage_id IS NULL" : "s.stage_id = ?::bigint"
        return Query(sql: """
            SELECT avg(secs) / 86400.0 FROM (
                SELECT s.secs FROM report_stage_stays s
                WHERE \(stage) AND s.left_at >= ?::bigint AND s.left_at < ?::bigint AND \(f.sql)
                ORDER BY s.secs LIMIT ?::bigint OFFSET ?::bigint) m
            """, values: (stageID.map { [$0 as any PGBindable] } ?? []) + [filter.start, filter.end] + f.values
                + [2 - count % 2, (count - 1) / 2])
    }

    func storedStageTimes(_ filter: ReportFilter) throws -> [StageTimeFigure] {
        let counts = Self.stayCountsQuery(filter)
        let perStage = try c.rows(counts.sql, counts.values) { ($0.optionalInt64(0), $0.int(1)) }
        return try perStage.map { stageID, count in
            let q = Self.stayMedianQuery(filter, stageID: stageID, count: count)
            let median = try c.first(q.sql, q.values) { $0.double(0) } ?? 0
            return StageTimeFigure(stageID: stageID ?? 0, stays: count, medianDays: median)
        }
    }

    /// The funnel from the stages each deal entered (report_deal_seen): the
    /// cohort is one range of deals_report_by_created, each deal's stages one
    /// primary key look-up, and the deals come grouped by pipeline, outcome
    /// and the stages they entered (a few distinct texts), each id once;
    /// ReportFunnelGroups works out how far each group got from where the
    /// stages stand now and makes the stages' figures of them.
    static func funnelGroupsQuery(_ filter: ReportFilter, withIDs: Bool = false) -> Query {
        let f = PGReportConditions(filter)
        return Query(sql: """
            SELECT d.pipeline_id, d.status = 'won', r.stages, count(*), \(withIDs ? "string_agg(d.id::text, ',')" : "NULL")
            FROM deals d LEFT JOIN report_deal_seen r ON r.deal_id = d.id
            WHERE d.created_at >= ?::bigint AND d.created_at < ?::bigint AND \(f.sql)
            GROUP BY 1, 2, 3
            """, values: [filter.start, filter.end] + f.values)
    }

    /// The open stages, with their place on the board; the deleted ones too
    /// (not rows of the funnel, but a deal that entered one got that far).
    static var funnelStagesQuery: Query { Query(sql: """
        SELECT s.id, s.pipeline_id, s.position, s.deleted_at IS NULL FROM stages s WHERE s.kind = 'open'
        """, values: []) }

    func storedFunnel(_ filter: ReportFilter, withIDs: Bool) throws -> (cohorts: [CohortFigure], stages: [FunnelFigure]) {
        let q = Self.funnelGroupsQuery(filter, withIDs: withIDs)
        let groups = try c.rows(q.sql, q.values) {
            ReportSeenGroup(pipelineID: $0.int64(0), won: $0.bool(1), stages: $0.optionalString(2), count: $0.int(3),
                            dealIDs: PGReportSQL.ids($0.optionalString(4)))
        }
        guard !groups.isEmpty else { return ([], []) }
        let stages = try c.rows(Self.funnelStagesQuery.sql, []) {
            ReportOpenStage(id: $0.int64(0), pipelineID: $0.int64(1), position: $0.int64(2), live: $0.bool(3))
        }
        return ReportFunnelGroups.figures(seen: groups, openStages: stages)
    }
}
