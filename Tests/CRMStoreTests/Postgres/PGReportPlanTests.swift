import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The report queries on a book of 10,000 deals over three years, 1,000
/// contacts and 10,000 interactions (made by generate_series, then
/// ANALYZE): their plans are printed, and a month's deals are read through
/// an index, not by reading every deal. Times are printed, never asserted.
final class PGReportPlanTests: XCTestCase {
    func testReportQueriesReadAMonthThroughIndexes() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let c = db.connection
        let t0: Int64 = 1_704_067_200 // 2024-01-01 UTC
        // Three years of rows, a row every `step` seconds: enough for the
        // planner to prefer an index for a month, and few enough that the
        // triggers keeping the stored figures fill it in seconds.
        let rows = 10_000, step = 9_600
        _ = try c.script("""
            INSERT INTO users(id, login, created_at) SELECT g, 'u' || g, 0 FROM generate_series(2, 10) g;
            INSERT INTO pipelines(id, name, created_at) VALUES (100, 'Deals', 0);
            INSERT INTO stages(id, pipeline_id, name, position, probability) SELECT 100 + g, 100, 'S' || g, g, g * 10 FROM generate_series(0, 4) g;
            INSERT INTO contacts(id, name, lifecycle, owner_id, created_at, updated_at)
                SELECT g, 'C' || g, (ARRAY['lead','customer','customer','former'])[1 + g % 4], 1 + g % 10, \(t0), \(t0)
                FROM generate_series(1, \(rows / 10)) g;
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, owner_id, contact_id, status, created_at, updated_at,
                              stage_entered_at, closed_at, expected_close, lost_reason)
                SELECT 100, 100 + g % 5, 'D' || g, (g % 997) * 1000, (ARRAY['EUR','USD'])[1 + g % 2], 1 + g % 10, 1 + g % \(rows / 10),
                       (ARRAY['open','won','lost'])[1 + g % 3], \(t0) + g * \(step), \(t0) + g * \(step), \(t0) + g * \(step),
                       CASE WHEN g % 3 = 0 THEN NULL ELSE \(t0) + g * \(step) + 86400 * (g % 40) END,
                       CASE WHEN g % 3 = 0 THEN \(t0) + g * \(step) + 86400 * 30 END, CASE WHEN g % 3 = 2 THEN 'price' ELSE '' END
                FROM generate_series(1, \(rows)) g;
            INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at)
                SELECT id, NULL, stage_id, created_at FROM deals;
            INSERT INTO interactions(contact_id, kind, occurred_at, created_at, author_id)
                SELECT 1 + g % \(rows / 10), 'call', \(t0) + g * \(step), \(t0) + g * \(step), 1 + g % 10 FROM generate_series(1, \(rows)) g;
            INSERT INTO follow_ups(title, due_at, status, assignee_id, created_at, updated_at)
                SELECT 'F' || g, \(t0) + g * \(step), (ARRAY['open','done'])[1 + g % 2], 1 + g % 10, \(t0), \(t0) FROM generate_series(1, \(rows)) g;
            ANALYZE;
            """)
        let month = ReportFilter(start: Date(timeIntervalSince1970: Double(t0 + 700 * 86_400)),
                                 end: Date(timeIntervalSince1970: Double(t0 + 730 * 86_400)),
                                 now: Date(timeIntervalSince1970: Double(t0 + 720 * 86_400)))
        let bounds = (0 ..< 12).map { Date(timeIntervalSince1970: Double(t0 + Int64(720 + 30 * $0) * 86_400)) }
        for (name, q) in PGDealReportRepository.queries(month, bounds: bounds) {
            let plan = try c.query("EXPLAIN " + PGConnection.numbered(q.sql), q.values).rows.map { $0.string(0) }.joined(separator: "\n")
            print("plan of \(name):\n\(plan)")
            if ["funnel groups", "stage stays", "stage median"].contains(name) {
                XCTAssertFalse(plan.contains("Seq Scan on deals"), "\(name) reads every deal:\n\(plan)")
                XCTAssertFalse(plan.contains("deal_stage_history"), "\(name) works from the stage history:\n\(plan)")
            }
        }
        // The stored figures (schema 43) are read through their indexes:
        // a period's stays by time, a stage's median in length order, the
        // People counts per day by primary key, the overdue list from an
        // assignee's follow-ups; no table is read whole (the edges of a
        // period take whichever index of the time the planner likes).
        try c.run("SET enable_seqscan = off")
        let users = Array(Int64(1) ... 10)
        let weeks = (0 ..< 5).map { ReportBucket(start: month.start.addingTimeInterval(Double($0) * 7 * 86_400),
                                                 end: min(month.end, month.start.addingTimeInterval(Double($0 + 1) * 7 * 86_400))) }
        let stored: [(String, String, [any PGBindable], [String])] = [
            ("stage stays", PGDealReportRepository.stayCountsQuery(month).sql, PGDealReportRepository.stayCountsQuery(month).values,
             ["report_stage_stays_by_time"]),
            ("stage median", PGDealReportRepository.stayMedianQuery(month, stageID: 101, count: 10).sql,
             PGDealReportRepository.stayMedianQuery(month, stageID: 101, count: 10).values, ["report_stage_stays_by_stage"]),
            // Enter on a stage's row: those stages' range of the index alone.
            ("open deals of two stages", PGDealReportRepository.openDealsQuery(month, stageIDs: [101, 102]).sql,
             PGDealReportRepository.openDealsQuery(month, stageIDs: [101, 102]).values, ["stage_id = ANY"]),
            ("funnel groups", PGDealReportRepository.funnelGroupsQuery(month).sql, PGDealReportRepository.funnelGroupsQuery(month).values,
             ["report_deal_seen_pkey", "using deals_"]),
            ("people interactions", PGPeopleReport.interactionsQuery(month, users: users).sql,
             PGPeopleReport.interactionsQuery(month, users: users).values, ["report_interaction_days_pkey"]),
            ("people follow-ups", PGPeopleReport.followUpsQuery(month, users: users).sql,
             PGPeopleReport.followUpsQuery(month, users: users).values, ["report_follow_up_days_pkey"]),
            ("overdue", PGPeopleReport.overdueQuery(month, users: users).sql, PGPeopleReport.overdueQuery(month, users: users).values,
             ["follow_ups_by_"]),
            // The month's weeks: one range of the closed deals, not every closed deal against every week.
            ("closed tallies", PGWinLossReport.closedTalliesQuery(month, buckets: weeks).sql,
             PGWinLossReport.closedTalliesQuery(month, buckets: weeks).values, ["closed_at >= '"]),
        ]
        for (name, sql, values, indexes) in stored {
            let plan = try c.query("EXPLAIN " + PGConnection.numbered(sql), values).rows.map { $0.string(0) }.joined(separator: "\n")
            print("plan of \(name) (stored figures):\n\(plan)")
            for index in indexes { XCTAssertTrue(plan.contains(index), "\(name) does not read \(index):\n\(plan)") }
            XCTAssertFalse(plan.contains("Seq Scan"), "\(name) reads a whole table:\n\(plan)")
        }
        try c.run("RESET enable_seqscan")
        // Schema 43's deal indexes carry the id, so the open deals per stage
        // (and a period's created or closed deals) with the ids behind each
        // figure can be read from the index alone: on the bench database the
        // open deals went from a scan of every deal (158 ms) to an index-only
        // scan (32 ms). Whether the planner takes it depends on the table's
        // visibility map (VACUUM), so the indexes' columns are checked here.
        for index in ["deals_report_by_status", "deals_report_by_created", "deals_by_status_closed"] {
            let definition = try c.query("SELECT indexdef FROM pg_indexes WHERE indexname = $1", [index]).rows.map { $0.string(0) }
            XCTAssertTrue(definition.first?.contains(", id) WHERE") ?? false, "\(index) lacks the id: \(definition)")
        }
        let rules = [CadenceRule(.lifecycle(.customer), days: 30)]
        let figures: [(String, () throws -> Void)] = [
            ("open stages", { _ = try PGDealReportRepository(db: db).openStageFigures(month) }),
            ("funnel", { _ = try PGDealReportRepository(db: db).funnel(month) }),
            ("stage times", { _ = try PGDealReportRepository(db: db).stageTimes(month) }),
            ("forecast", { _ = try PGDealReportRepository(db: db).forecast(month, bounds: bounds) }),
            ("closed tallies", { _ = try PGWinLossReport(db: db).closedTallies(month, buckets: [ReportBucket(start: month.start, end: month.end)]) }),
            ("sales cycle", { _ = try PGWinLossReport(db: db).salesCycle(month) }),
            ("lost reasons", { _ = try PGWinLossReport(db: db).lostReasons(month) }),
            ("people deals", { _ = try PGPeopleReport(db: db).deals(month, users: users) }),
            ("people interactions", { _ = try PGPeopleReport(db: db).interactions(month, users: users) }),
            ("people follow-ups", { _ = try PGPeopleReport(db: db).followUps(month, users: users) }),
            ("stay in touch", { _ = try PGPeopleReport(db: db).stayInTouch(month, rules: rules, users: users) }),
            ("conversions", { _ = try PGPeopleReport(db: db).conversions(month, users: users) }),
            ("top customers", { _ = try PGCustomerReportRepository(db: db).topCustomers(month, policy: ValueTierPolicy(), limit: 20) }),
            ("tiers", { _ = try PGCustomerReportRepository(db: db).tiers(month, policy: ValueTierPolicy()) }),
            ("retention", { _ = try PGCustomerReportRepository(db: db).retention(month) }),
            ("at risk", { _ = try PGCustomerReportRepository(db: db).atRisk(month, rules: rules, windowDays: 90, limit: 20) }),
            ("tier recompute", { try PGCustomerReportRepository(db: db).recomputeValueTiers(policy: ValueTierPolicy()) }),
        ]
        for (name, run) in figures {
            let start = Date()
            try run()
            print(String(format: "%@: %.1f ms at %d deals", name, Date().timeIntervalSince(start) * 1000, rows))
        }
    }
}
