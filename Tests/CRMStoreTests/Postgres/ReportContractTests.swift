import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The report repositories of both engines over the same hand-made rows:
/// every figure below is worked out by hand from `ReportContract.fixture`
/// and must come out the same on SQLite and on PostgreSQL.
///
/// November 2026 (UTC), "now" 20 Nov 12:00. Pipeline 100: Lead (101, 10 %),
/// Qualified (102, 25 %), Proposal (103, 50 %), won (104), lost (105).
/// Owner 1 is the signed-in user, 50 is rep2. day(n) = n Nov 00:00 UTC.
///
///     1 open   Lead        1,000.05 EUR  created d2, closes d25
///     2 open   Qualified   2,000.00 EUR  created d2, Lead→Qualified d4, closes 10 Dec
///     3 open   Proposal    4,000.00 EUR  created d2, →Qualified d3, →Proposal d6, no close date
///     4 won    Qualified   3,000.00 EUR  created d2, →Qualified d5, won d9
///     5 lost   Lead          500.00 EUR  created d2, lost d8 " price "
///     6 lost   Lead          700.00 USD  rep2, created d3, lost d12 "timing"
///     7 won    Proposal    1,000.00 USD  rep2, created d1, →Proposal d10, won d21
///     8 open   Lead          250.00 USD  rep2, created 20 Oct, closes d10 (passed)
///     9 deleted Lead      99,999.00 EUR  created d2
///    10 lost   Qualified     100.00 EUR  created d2 there, lost d15 "price"
struct ReportContract {
    struct Engine {
        let run: (String) throws -> Void
        let deals: any DealReportRepository
        let drill: any ReportDrillRepository
        let winLoss: any WinLossReportRepository
        let people: any PeopleReportRepository
    }
    let engine: Engine

    static func day(_ n: Int, month: Int = 11) -> Int64 {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return Int64(cal.date(from: DateComponents(year: 2026, month: month, day: n))!.timeIntervalSince1970)
    }
    static func date(_ n: Int, month: Int = 11) -> Date { Date(timeIntervalSince1970: Double(day(n, month: month))) }
    static let now = Date(timeIntervalSince1970: Double(day(20) + 12 * 3600))
    static let november = ReportFilter(start: date(1), end: date(1, month: 12), now: now)

    func fixture() throws {
        let d = Self.day
        try engine.run("INSERT INTO users(id, login, name, role, created_at) VALUES (50, 'rep2', 'Rep Two', 'rep', 0)")
        try engine.run("INSERT INTO pipelines(id, name, position, created_at) VALUES (100, 'Deals', 9, 0)")
        for (id, name, pos, prob, kind) in [(101, "Lead", 0, 10, "open"), (102, "Qualified", 1, 25, "open"), (103, "Proposal", 2, 50, "open"),
                                            (104, "Won", 3, 100, "won"), (105, "Lost", 4, 0, "lost")] {
            try engine.run("INSERT INTO stages(id, pipeline_id, name, position, probability, kind) VALUES (\(id), 100, '\(name)', \(pos), \(prob), '\(kind)')")
        }
        // id, stage, value, currency, owner, status, created, entered, closed, expected, reason, deleted
        let deals: [(Int, Int, Int64, String, Int, String, Int64, Int64, Int64?, Int64?, String, Int64?)] = [
            (1, 101, 100_005, "EUR", 1, "open", d(2, 11), d(2, 11), nil, d(25, 11), "", nil),
            (2, 102, 200_000, "EUR", 1, "open", d(2, 11), d(4, 11), nil, d(10, 12), "", nil),
            (3, 103, 400_000, "EUR", 1, "open", d(2, 11), d(6, 11), nil, nil, "", nil),
            (4, 102, 300_000, "EUR", 1, "won", d(2, 11), d(5, 11), d(9, 11), nil, "", nil),
            (5, 101, 50_000, "EUR", 1, "lost", d(2, 11), d(2, 11), d(8, 11), nil, " price ", nil),
            (6, 101, 70_000, "USD", 50, "lost", d(3, 11), d(3, 11), d(12, 11), nil, "timing", nil),
            (7, 103, 100_000, "USD", 50, "won", d(1, 11), d(10, 11), d(21, 11), nil, "", nil),
            (8, 101, 25_000, "USD", 50, "open", d(20, 10), d(20, 10), nil, d(10, 11), "", nil),
            (9, 101, 9_999_900, "EUR", 1, "open", d(2, 11), d(2, 11), nil, nil, "", d(3, 11)),
            (10, 102, 10_000, "EUR", 1, "lost", d(2, 11), d(2, 11), d(15, 11), nil, "price", nil),
        ]
        func sql(_ v: Int64?) -> String { v.map(String.init) ?? "NULL" }
        for x in deals {
            try engine.run("""
                INSERT INTO deals(id, pipeline_id, stage_id, title, value_minor, currency, owner_id, status, created_at, updated_at,
                                  stage_entered_at, closed_at, expected_close, lost_reason, deleted_at)
                VALUES (\(x.0), 100, \(x.1), 'D\(x.0)', \(x.2), '\(x.3)', \(x.4), '\(x.5)', \(x.6), \(x.6), \(x.7), \(sql(x.8)),
                        \(sql(x.9)), '\(x.10)', \(sql(x.11)))
                """)
        }
        // The stage history in the order it happened (ids ascending).
        let history: [(Int, Int?, Int, Int64)] = [
            (1, nil, 101, d(2, 11)), (2, nil, 101, d(2, 11)), (3, nil, 101, d(2, 11)), (4, nil, 101, d(2, 11)), (5, nil, 101, d(2, 11)),
            (6, nil, 101, d(3, 11)), (7, nil, 101, d(1, 11)), (8, nil, 101, d(20, 10)), (10, nil, 102, d(2, 11)), (9, nil, 101, d(2, 11)),
            (3, 101, 102, d(3, 11)), (2, 101, 102, d(4, 11)), (4, 101, 102, d(5, 11)), (3, 102, 103, d(6, 11)), (7, 101, 103, d(10, 11)),
        ]
        for (i, h) in history.enumerated() {
            try engine.run("INSERT INTO deal_stage_history(id, deal_id, from_stage_id, to_stage_id, changed_at) VALUES (\(i + 1), \(h.0), \(h.1.map(String.init) ?? "NULL"), \(h.2), \(h.3))")
        }
    }

    func checkWinLoss() throws {
        let weeks = [ReportBucket(start: Self.date(1), end: Self.date(11)), ReportBucket(start: Self.date(11), end: Self.date(1, month: 12))]
        XCTAssertEqual(try engine.winLoss.closedTallies(Self.november, buckets: weeks), [
            ClosedDealTally(bucket: 0, currency: .eur, won: 1, wonMinor: 300_000, lost: 1, lostMinor: 50_000, wonIDs: [4], lostIDs: [5]),
            ClosedDealTally(bucket: 1, currency: .eur, lost: 1, lostMinor: 10_000, lostIDs: [10]),
            ClosedDealTally(bucket: 1, currency: Currency("USD")!, won: 1, wonMinor: 100_000, lost: 1, lostMinor: 70_000, wonIDs: [7], lostIDs: [6]),
        ])
        // Cycles 7 and 20 days: median 13.5, nearest-rank p90 the 2nd.
        XCTAssertEqual(try engine.winLoss.salesCycle(Self.november), SalesCycle(wonDeals: 2, medianDays: 13.5, p90Days: 20, dealIDs: [4, 7]))
        XCTAssertEqual(try engine.winLoss.lostReasons(Self.november), [
            LostReasonTally(reason: "price", deals: 2, dealIDs: [5, 10]), LostReasonTally(reason: "timing", deals: 1, dealIDs: [6]),
        ])
        XCTAssertEqual(try engine.winLoss.openDeals(Self.november), [.eur: 3, Currency("USD")!: 1])
        var rep2 = Self.november
        rep2.ownerIDs = [50]
        XCTAssertEqual(try engine.winLoss.closedTallies(rep2, buckets: weeks).map(\.currency), [Currency("USD")!])
        XCTAssertEqual(try engine.winLoss.openDeals(rep2), [Currency("USD")!: 1])
        var euro = Self.november
        euro.currency = .eur
        XCTAssertEqual(try engine.winLoss.salesCycle(euro), SalesCycle(wonDeals: 1, medianDays: 7, p90Days: 7, dealIDs: [4]))
        XCTAssertEqual(try engine.winLoss.salesCycle(ReportFilter(start: Self.date(1, month: 12), end: Self.date(2, month: 12), now: Self.now)),
                       SalesCycle(wonDeals: 0, medianDays: nil, p90Days: nil, dealIDs: []))
    }

    func checkPipelineAndForecast() throws {
        let usd = Currency("USD")!
        func sum(_ c: Currency, _ n: Int, _ v: Int64, _ w: Int64, _ ids: [Int64]) -> DealSum {
            DealSum(currency: c, count: n, sum: Money(minorUnits: v, currency: c), weighted: Money(minorUnits: w, currency: c), dealIDs: ids)
        }
        // 100,005 × 10 % = 10,000.5, rounded half up once.
        XCTAssertEqual(try engine.deals.openStageFigures(Self.november).sorted { ($0.stageID, $0.figures.currency) < ($1.stageID, $1.figures.currency) }, [
            StageFigure(stageID: 101, figures: sum(.eur, 1, 100_005, 10_001, [1])),
            StageFigure(stageID: 101, figures: sum(usd, 1, 25_000, 2_500, [8])),
            StageFigure(stageID: 102, figures: sum(.eur, 1, 200_000, 50_000, [2])),
            StageFigure(stageID: 103, figures: sum(.eur, 1, 400_000, 200_000, [3])),
        ])
        let funnel = try engine.deals.funnel(Self.november)
        XCTAssertEqual(funnel.cohorts, [CohortFigure(pipelineID: 100, dealIDs: [1, 2, 3, 4, 5, 6, 7, 10], wonIDs: [4, 7])])
        XCTAssertEqual(funnel.stages.sorted { $0.stageID < $1.stageID }, [
            FunnelFigure(stageID: 101, dealIDs: [1, 2, 3, 4, 5, 6, 7, 10]), FunnelFigure(stageID: 102, dealIDs: [2, 3, 4, 7, 10]),
            FunnelFigure(stageID: 103, dealIDs: [3, 4, 7]),
        ])
        // Lead stays 1, 2, 3, 9 (moves) and 6, 9 (closed there): median 4.5;
        // Qualified 3 (move), 4, 13 (closed): 4; Proposal 11.
        XCTAssertEqual(try engine.deals.stageTimes(Self.november).sorted { $0.stageID < $1.stageID }, [
            StageTimeFigure(stageID: 101, stays: 6, medianDays: 4.5), StageTimeFigure(stageID: 102, stays: 3, medianDays: 4),
            StageTimeFigure(stageID: 103, stays: 1, medianDays: 11),
        ])
        let bounds = [Self.now, Self.date(1, month: 12), Self.date(1, month: 12).addingTimeInterval(31 * 86_400)]
        XCTAssertEqual(try engine.deals.forecast(Self.november, bounds: bounds).sorted { $0.bucket < $1.bucket }, [
            ForecastBucketFigure(bucket: -1, figures: sum(usd, 1, 25_000, 2_500, [8])),
            ForecastBucketFigure(bucket: 0, figures: sum(.eur, 1, 100_005, 10_001, [1])),
            ForecastBucketFigure(bucket: 1, figures: sum(.eur, 1, 200_000, 50_000, [2])),
        ])
        XCTAssertEqual(try engine.deals.openWithoutCloseDate(Self.november), [3])
        var filtered = Self.november
        filtered.ownerIDs = [50]
        filtered.pipelineIDs = [100]
        XCTAssertEqual(try engine.deals.openStageFigures(filtered).map(\.figures.dealIDs), [[8]])
        XCTAssertEqual(try engine.deals.funnel(filtered).cohorts.map(\.dealIDs), [[6, 7]])
    }

    func checkDrillAndPeople() throws {
        let rows = try engine.drill.dealRows([7, 9, 3])
        XCTAssertEqual(rows.map(\.id), [7, 3], "in the order asked for, the deleted one left out")
        XCTAssertEqual(rows.map(\.title), ["D7", "D3"])
        XCTAssertTrue(rows[0].detail.hasPrefix("won (Proposal) · "), rows[0].detail)
        XCTAssertTrue(rows[0].detail.hasSuffix(" · rep2"), rows[0].detail)
        XCTAssertEqual(try engine.drill.dealRows([]), [])
        let people = try engine.people.deals(Self.november, users: [1, 50])
        XCTAssertEqual(people[1], PersonDeals(open: 3, won: 1, lost: 2, wonMinor: [.eur: 300_000], closedIDs: [4, 5, 10]))
        XCTAssertEqual(people[50], PersonDeals(open: 1, won: 1, lost: 1, wonMinor: [Currency("USD")!: 100_000], closedIDs: [6, 7]))
        XCTAssertEqual(try engine.people.deals(Self.november, users: [50]).keys.sorted(), [50])
    }
}

final class SQLiteReportContractTests: XCTestCase {
    private func contract() throws -> (ReportContract, Any) {
        let (db, folder) = try makeDatabase()
        let engine = ReportContract.Engine(run: { try db.connection.run($0) }, deals: db.dealReportRepository,
                                           drill: db.reportDrillRepository, winLoss: db.winLossReport, people: db.peopleReport)
        let contract = ReportContract(engine: engine)
        try contract.fixture()
        return (contract, (db, folder))
    }
    func testWinLoss() throws { let (c, keep) = try contract(); try c.checkWinLoss(); _ = keep }
    func testPipelineAndForecast() throws { let (c, keep) = try contract(); try c.checkPipelineAndForecast(); _ = keep }
    func testDrillAndPeople() throws { let (c, keep) = try contract(); try c.checkDrillAndPeople(); _ = keep }
}

final class PGReportContractTests: XCTestCase {
    private func contract() throws -> (ReportContract, Any) {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let engine = ReportContract.Engine(run: { try db.connection.run($0) }, deals: PGDealReportRepository(db: db),
                                           drill: PGReportDrillRepository(db: db), winLoss: PGWinLossReport(db: db),
                                           people: PGPeopleReport(db: db))
        let contract = ReportContract(engine: engine)
        try contract.fixture()
        return (contract, db)
    }
    func testWinLoss() throws { let (c, keep) = try contract(); try c.checkWinLoss(); _ = keep }
    func testPipelineAndForecast() throws { let (c, keep) = try contract(); try c.checkPipelineAndForecast(); _ = keep }
    func testDrillAndPeople() throws { let (c, keep) = try contract(); try c.checkDrillAndPeople(); _ = keep }
}
