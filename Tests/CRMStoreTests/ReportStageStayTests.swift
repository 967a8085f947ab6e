import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The Pipeline report's stored stays (schema 35) and the stages each deal
/// entered (schema 56) stay exactly what a recount from the stage history
/// and the deals gives, after
/// every kind of write that can change them; and the figures read from them
/// (median days per stage, the funnel) are those of the queries that work
/// them out from the history, for every period and filter tried.
final class ReportStageStayTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!
    var clock: ManualClock!
    var pipeline: Pipeline!
    var stages: [Stage] = []
    var omid: User!

    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    override func setUpWithError() throws {
        folder = TempFolder()
        clock = ManualClock(Self.start)
        db = try Database(path: folder.path("crm.db"), login: "boss", clock: clock)
        omid = try db.users.findOrCreate(login: "omid")
        pipeline = try db.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Qualified", position: 1, probability: 30),
            Stage(pipelineID: 0, name: "Proposal", position: 2, probability: 60),
            Stage(pipelineID: 0, name: "Negotiation", position: 3, probability: 80),
        ])
        stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }
    }

    override func tearDown() {
        db = nil
        folder = nil
    }

    /// The stored rows against a recount with the definitions of the
    /// queries they replace.
    func assertStoredMatchesRecount(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        let stored = try c.rows("""
            SELECT deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency FROM report_stage_stays
            ORDER BY deal_id, history_id, stage_id
            """) { row in (0 ..< 9).map { row.optionalString(Int32($0)) ?? "-" }.joined(separator: " ") }
        let counted = try c.rows("""
            SELECT deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency FROM (
                SELECT n.deal_id, n.id AS history_id, n.from_stage_id AS stage_id, n.changed_at AS left_at,
                       n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                       WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                         AND p.changed_at <= n.changed_at AND p.id < n.id) AS secs,
                       d.deleted_at IS NULL AS live, d.owner_id, d.pipeline_id, d.currency
                FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id WHERE n.from_stage_id IS NOT NULL
                UNION ALL
                SELECT d.id, NULL, d.stage_id, d.closed_at, d.closed_at - d.stage_entered_at, d.deleted_at IS NULL,
                       d.owner_id, d.pipeline_id, d.currency
                FROM deals d WHERE d.status IN ('won', 'lost'))
            WHERE secs IS NOT NULL AND secs >= 0
            ORDER BY deal_id, history_id, stage_id
            """) { row in (0 ..< 9).map { row.optionalString(Int32($0)) ?? "-" }.joined(separator: " ") }
        XCTAssertEqual(stored, counted, "stays after \(step)", file: file, line: line)
        // The stages each deal entered (schema 56), ascending.
        let seen = try c.rows("SELECT deal_id, stages FROM report_deal_seen ORDER BY 1") { "\($0.int64(0)) \($0.string(1))" }
        var entered: [Int64: Set<Int64>] = [:]
        _ = try c.rows("""
            SELECT h.deal_id, h.to_stage_id FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id
            UNION SELECT d.id, d.stage_id FROM deals d
            """) { entered[$0.int64(0), default: []].insert($0.int64(1)) }
        let seenCounted = entered.keys.sorted().map { "\($0) " + entered[$0, default: []].sorted().map(String.init).joined(separator: ",") }
        XCTAssertEqual(seen, seenCounted, "stages entered after \(step)", file: file, line: line)
        try assertFiguresMatchTheHistoryQueries(step, file: file, line: line)
    }

    /// The page's figures from the stored rows equal those of the queries
    /// over the history, for several periods and filters.
    func assertFiguresMatchTheHistoryQueries(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let repo = db.dealReportRepository
        let now = clock.now
        var filters: [ReportFilter] = []
        for (from, to) in [(-400.0, 1.0), (-3.0, 0.5), (-1.0, 1.0)] {
            let start = now.addingTimeInterval(from * 86_400), end = now.addingTimeInterval(to * 86_400)
            filters.append(ReportFilter(start: start, end: end, now: now))
            filters.append(ReportFilter(start: start, end: end, ownerIDs: [omid.id], now: now))
            filters.append(ReportFilter(start: start, end: end, pipelineIDs: [pipeline.id], currency: .eur, now: now))
        }
        for filter in filters {
            let old = SQLiteDealReportRepository.stageTimesQuery(filter)
            let expected = try db.connection.rows(old.sql, old.values) {
                StageTimeFigure(stageID: $0.int64(0), stays: $0.int(1), medianDays: $0.double(2))
            }.sorted { $0.stageID < $1.stageID }
            XCTAssertEqual(try repo.stageTimes(filter).sorted { $0.stageID < $1.stageID }, expected,
                           "median days per stage after \(step)", file: file, line: line)
            let oldFunnel = SQLiteDealReportRepository.funnelQuery(filter)
            let expectedFunnel = try db.connection.rows(oldFunnel.sql, oldFunnel.values) {
                "\($0.int64(0)): \(SQLiteDealReportRepository.ids($0.optionalString(1)))"
            }.sorted()
            let funnel = try repo.funnel(filter).stages.map { "\($0.stageID): \($0.dealIDs)" }.sorted()
            XCTAssertEqual(funnel, expectedFunnel, "funnel after \(step)", file: file, line: line)
        }
    }

    func deal(_ title: String, stage: Int = 0, owner: Int64? = nil, currency: Currency = .eur) throws -> Deal {
        try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[stage].id, title: title,
                                 value: Money(minorUnits: 1_000_00, currency: currency), ownerID: owner,
                                 stageEnteredAt: clock.now, createdAt: clock.now, updatedAt: clock.now))
    }

    @discardableResult
    func move(_ id: Int64, to stage: Int, after hours: Double) throws -> Deal {
        clock.advance(by: hours * 3_600)
        let current = try XCTUnwrap(db.deals.get(id))
        return try db.deals.move(id, toStage: stages[stage].id, expectedVersion: current.version)
    }

    func testEveryWriteKeepsTheStaysAndReachesExact() throws {
        try assertStoredMatchesRecount("nothing")
        let a = try deal("A"), b = try deal("B", owner: omid.id), c = try deal("C", currency: .usd)
        try assertStoredMatchesRecount("creating deals")
        try move(a.id, to: 1, after: 5)
        try move(a.id, to: 2, after: 30)
        try move(b.id, to: 2, after: 2)
        try move(c.id, to: 1, after: 1)
        try assertStoredMatchesRecount("moves forward")
        try move(a.id, to: 1, after: 12)
        try move(a.id, to: 3, after: 50)
        try assertStoredMatchesRecount("moves back and on")
        let entered = try XCTUnwrap(db.deals.get(b.id)).stageEnteredAt
        try move(b.id, to: 0, after: 3)
        let back = try XCTUnwrap(db.deals.get(b.id))
        _ = try db.deals.moveBack(b.id, toStage: stages[2].id, enteredAt: entered, expectedVersion: back.version)
        try assertStoredMatchesRecount("a move taken back")

        clock.advance(by: 7_200)
        let wonA = try db.deals.close(a.id, as: .won, reason: "", expectedVersion: try XCTUnwrap(db.deals.get(a.id)).version)
        _ = try db.deals.close(c.id, as: .lost, reason: "price", expectedVersion: try XCTUnwrap(db.deals.get(c.id)).version)
        try assertStoredMatchesRecount("won and lost")
        clock.advance(by: 600)
        _ = try db.deals.reopen(a.id, expectedVersion: wonA.version)
        try assertStoredMatchesRecount("reopened")
        try move(a.id, to: 2, after: 4)
        _ = try db.deals.close(a.id, as: .won, reason: "", expectedVersion: try XCTUnwrap(db.deals.get(a.id)).version)
        try assertStoredMatchesRecount("won again")

        // The copies of the deal's columns: owner, currency, trash.
        var edited = try XCTUnwrap(db.deals.get(c.id))
        edited.ownerID = omid.id
        edited.value = Money(minorUnits: 5_00, currency: .eur)
        _ = try db.deals.update(edited)
        try assertStoredMatchesRecount("an edit of owner and currency")
        _ = try db.reassignRepository.reassign([ReassignItem(.deal, b.id)], to: db.currentUser.id)
        try assertStoredMatchesRecount("reassignment")
        try db.deals.delete(b.id)
        try assertStoredMatchesRecount("the trash")
        try db.deals.restore(b.id)
        try assertStoredMatchesRecount("a restore")
        try db.deals.delete(c.id)
        _ = try db.trash.purge(kind: nil, deletedBefore: nil)
        try assertStoredMatchesRecount("a purge")

        // Stages: reordered, another kind, deleted with their deals moved.
        try db.pipelines.moveStage(stages[3].id, by: -2)
        try assertStoredMatchesRecount("a stage reordered")
        let d = try deal("D", stage: 1)
        try move(d.id, to: 2, after: 1)
        let deletion = try db.pipelines.deleteStage(stages[2].id, movingDealsTo: stages[0].id)
        try assertStoredMatchesRecount("a stage deleted")
        _ = try db.pipelines.restoreStage(deletion)
        try assertStoredMatchesRecount("a stage restored")
    }

    /// A file at schema 33 gets its stays and reaches from the migration,
    /// the same as the triggers keep.
    func testTheMigrationFillsTheStaysFromTheHistory() throws {
        let a = try deal("A"), b = try deal("B", owner: omid.id)
        try move(a.id, to: 1, after: 5)
        try move(a.id, to: 2, after: 8)
        try move(b.id, to: 3, after: 1)
        _ = try db.deals.close(b.id, as: .lost, reason: "timing", expectedVersion: try XCTUnwrap(db.deals.get(b.id)).version)
        try rewindSchema(db.connection, to: 33)
        db = nil
        db = try Database(path: folder.path("crm.db"), login: "boss", clock: clock)
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion)
        XCTAssertGreaterThan(try db.connection.scalar("SELECT count(*) FROM report_stage_stays") ?? 0, 0)
        try assertStoredMatchesRecount("the migration")
    }
}
