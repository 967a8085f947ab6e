import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The Pipeline and Forecast report queries read deals and their history
/// through indexes: no query scans the whole deals table or the whole stage
/// history, with or without pipeline, owner and currency filters.
final class ReportQueryPlanTests: XCTestCase {
    func testEveryReportQueryUsesAnIndex() throws {
        let (db, folder) = try makeDatabase()
        _ = folder
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
                                                                         Stage(pipelineID: 0, name: "Won?", position: 1, probability: 90)])
        let stages = try db.pipelines.stages(pipelineID: pipeline.id)
        for i in 0 ..< 50 {
            _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[i % 2].id, title: "Deal \(i)",
                                         value: Money(minorUnits: Int64(i) * 100, currency: .eur),
                                         expectedClose: Date().addingTimeInterval(Double(i) * 86400)))
        }
        let now = Date()
        let bounds = (0 ... 6).map { now.addingTimeInterval(Double($0) * 30 * 86400) }
        let filters = [
            ReportFilter(start: now.addingTimeInterval(-30 * 86400), end: now, now: now),
            ReportFilter(start: now.addingTimeInterval(-30 * 86400), end: now, pipelineIDs: [pipeline.id], ownerIDs: [db.currentUser.id],
                         currency: .eur, now: now),
        ]
        for filter in filters {
            for (name, query) in SQLiteDealReportRepository.queries(filter, bounds: bounds) {
                let plan = try db.connection.rows("EXPLAIN QUERY PLAN " + query.sql, query.values) { $0.string(3) }
                // "SCAN d" alone reads every deal; "SCAN d USING (COVERING) INDEX …" reads an index.
                let scans = plan.filter { detail in
                    (detail.hasPrefix("SCAN d") || detail.hasPrefix("SCAN n") || detail.hasPrefix("SCAN deal_stage_history")
                     || detail.hasPrefix("SCAN deals")) && !detail.contains("INDEX")
                }
                if ProcessInfo.processInfo.environment["SHOW_PLANS"] == "1" { print(name, plan) }
                XCTAssertEqual(scans, [], "\(name) (\(filter.pipelineIDs.isEmpty ? "no filter" : "filtered")): \(plan.joined(separator: " | "))")
            }
        }
    }

    /// Schema 31: unfiltered (the page everyone opens first), each query
    /// reads the index made for it, covering, so no deal or history row is
    /// read from the table.
    func testThePipelineAndForecastQueriesReadTheirCoveringIndexes() throws {
        let (db, folder) = try makeDatabase()
        _ = folder
        let now = Date()
        let bounds = (0 ... 6).map { now.addingTimeInterval(Double($0) * 30 * 86400) }
        let filter = ReportFilter(start: now.addingTimeInterval(-365 * 86400), end: now, now: now)
        let expected = [
            "open stages": ["COVERING INDEX deals_report_by_status"],
            "open stages with ids": ["COVERING INDEX deals_report_by_status"],
            // Enter on a stage's row: that stage's range of the index alone.
            "open deals of two stages": ["COVERING INDEX deals_report_by_status (status=? AND stage_id=?)"],
            // Schema 56: the stages each deal entered, by primary key; schema 35: the stored stays.
            "funnel groups": ["COVERING INDEX deals_report_by_created", "SEARCH r USING INTEGER PRIMARY KEY"],
            "funnel groups with ids": ["COVERING INDEX deals_report_by_created", "SEARCH r USING INTEGER PRIMARY KEY"],
            "funnel stages": ["SCAN s"],  // the board's few stages
            "cohort before schema 35": ["COVERING INDEX deals_report_by_created"],
            "stage stays": ["COVERING INDEX report_stage_stays_by_time"],
            "stage median": ["COVERING INDEX report_stage_stays_by_stage"],
            "funnel before schema 35": ["COVERING INDEX deals_report_by_created", "COVERING INDEX deal_stage_history_by_deal_stage"],
            "stage times before schema 35": ["COVERING INDEX deal_stage_history_moves_by_time",
                                             "COVERING INDEX deal_stage_history_by_deal_stage"],
            "forecast": ["COVERING INDEX deals_report_by_status"],
            "forecast with ids": ["COVERING INDEX deals_report_by_status"],
            "undated": ["COVERING INDEX deals_report_by_status"],
        ]
        for (name, query) in SQLiteDealReportRepository.queries(filter, bounds: bounds) {
            let plan = try db.connection.rows("EXPLAIN QUERY PLAN " + query.sql, query.values) { $0.string(3) }.joined(separator: " | ")
            for index in try XCTUnwrap(expected[name], name) {
                XCTAssertTrue(plan.contains(index), "\(name) should read \(index): \(plan)")
            }
        }
    }

    /// The People page's interaction and follow-up counts (schema 32): the
    /// whole UTC days of a period are ranges of the per-day counts' primary
    /// keys, the two edges and the overdue list ranges of the report
    /// indexes; interactions and follow-ups are never scanned.
    func testPeopleCountsReadThePerDayCountsAndIndexRanges() throws {
        let (db, folder) = try makeDatabase()
        _ = folder
        let omid = try db.users.findOrCreate(login: "omid")
        let contact = try db.contacts.create(Contact(name: "Someone"))
        for i in 0 ..< 40 {
            _ = try db.interactions.log(Interaction(contactID: contact.id, kind: .call, occurredAt: Date().addingTimeInterval(Double(-i) * 86_400),
                                                    authorID: i % 2 == 0 ? omid.id : db.currentUser.id))
            _ = try db.followUps.create(FollowUp(contactID: contact.id, assigneeID: omid.id, title: "t",
                                                 dueAt: Date().addingTimeInterval(Double(-i) * 86_400)))
        }
        let now = Date()
        let users = [db.currentUser.id, omid.id]
        for days in [30.0, 365.0] {
            let filter = ReportFilter(start: now.addingTimeInterval(-days * 86_400 - 1234), end: now, now: now)
            let queries = [("interactions", SQLitePeopleReport.interactionsQuery(filter, users: users, days: true)),
                           ("follow-ups", SQLitePeopleReport.followUpsQuery(filter, users: users, days: true)),
                           ("overdue", SQLitePeopleReport.overdueQuery(filter, users: users)),
                           ("overdue with ids", SQLitePeopleReport.overdueQuery(filter, users: users, withIDs: true))]
            for (name, query) in queries {
                let plan = try db.connection.rows("EXPLAIN QUERY PLAN " + query.sql, query.values) { $0.string(3) }
                if ProcessInfo.processInfo.environment["SHOW_PLANS"] == "1" { print(name, plan) }
                // Every read of a table (i, f, the counts d) is a range of an index or primary key.
                let reads = plan.filter { detail in ["SEARCH i ", "SEARCH f ", "SEARCH d ", "SCAN i", "SCAN f", "SCAN d"].contains { detail.hasPrefix($0) } }
                XCTAssertFalse(reads.isEmpty, "\(name): \(plan)")
                XCTAssertEqual(reads.filter { !$0.hasPrefix("SEARCH") || !($0.contains("INDEX") || $0.contains("PRIMARY KEY")) }, [],
                               "\(name), \(days) days: \(plan.joined(separator: " | "))")
                if name.hasPrefix("overdue") {
                    XCTAssertTrue(plan.contains { $0.contains("follow_ups_by_assignee ") }, "the overdue ids from the assignee's index: \(plan)")
                } else {
                    XCTAssertTrue(plan.contains { $0.hasPrefix("SEARCH d USING PRIMARY KEY") }, "\(name) reads the per-day counts: \(plan)")
                }
            }
        }
    }
}
