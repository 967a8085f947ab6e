import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The figures a report page asks for without their ids (`withIDs: false`:
/// the open deals of Pipeline and Forecast, the funnel, People's closed
/// deals, overdue follow-ups and customers out of touch) are the very figures asked with them, the ids
/// left out; asked with them, the ids are those of ReportContract's and
/// CustomerReportContract's hand-worked fixtures. On both engines.
struct ReportCountedFiguresContract {
    let deals: ReportContract
    let people: CustomerReportContract

    func fixtures() throws {
        try deals.fixture()
        try people.fixture()
    }

    /// The same figures, every id list emptied.
    static func withoutIDs(_ figures: [StageFigure]) -> [StageFigure] {
        figures.map { var f = $0; f.figures.dealIDs = []; return f }
    }

    func checkDealFiguresWithoutIDs() throws {
        let repo = deals.engine.deals
        let filter = ReportContract.november
        let byStage = { (a: StageFigure, b: StageFigure) in (a.stageID, a.figures.currency) < (b.stageID, b.figures.currency) }
        let with = try repo.openStageFigures(filter, withIDs: true).sorted(by: byStage)
        let without = try repo.openStageFigures(filter, withIDs: false).sorted(by: byStage)
        XCTAssertEqual(with.map(\.figures.dealIDs), [[1], [8], [2], [3]])
        XCTAssertEqual(without, Self.withoutIDs(with))
        XCTAssertEqual(try repo.openStageFigures(filter), with, "without the argument: with the ids, as before")
        // Enter on a row reads its stages' deals alone: the ids of those
        // stages' figures, ascending, each with the currency it was counted in.
        for stages in [[with[0].stageID], with.map(\.stageID), [with[0].stageID, 999_999], []] {
            let figures = with.filter { stages.contains($0.stageID) }
            let listed = try repo.openDeals(filter, stageIDs: stages)
            XCTAssertEqual(listed.map(\.id), figures.flatMap(\.figures.dealIDs).sorted(), "open deals of \(stages)")
            for currency in Set(figures.map(\.figures.currency)) {
                XCTAssertEqual(listed.filter { $0.currency == currency }.map(\.id),
                               figures.filter { $0.figures.currency == currency }.flatMap(\.figures.dealIDs).sorted(),
                               "open deals of \(stages) in \(currency)")
            }
        }

        let funnel = try repo.funnel(filter, withIDs: false)
        XCTAssertEqual(funnel.cohorts, [CohortFigure(pipelineID: 100, count: 8, wonCount: 2)])
        XCTAssertEqual(funnel.stages.sorted { $0.stageID < $1.stageID },
                       [FunnelFigure(stageID: 101, count: 8), FunnelFigure(stageID: 102, count: 5), FunnelFigure(stageID: 103, count: 3)])
        XCTAssertEqual(try repo.funnel(filter, withIDs: true).cohorts.map(\.dealIDs), [[1, 2, 3, 4, 5, 6, 7, 10]])

        let bounds = [ReportContract.now, ReportContract.date(1, month: 12), ReportContract.date(1, month: 12).addingTimeInterval(31 * 86_400)]
        let forecast = try repo.forecast(filter, bounds: bounds, withIDs: true).sorted { $0.bucket < $1.bucket }
        XCTAssertEqual(forecast.map(\.figures.dealIDs), [[8], [1], [2]])
        XCTAssertEqual(try repo.forecast(filter, bounds: bounds, withIDs: false).sorted { $0.bucket < $1.bucket },
                       forecast.map { var f = $0; f.figures.dealIDs = []; return f })
    }

    func checkPeopleFiguresWithoutIDs() throws {
        let closed = try deals.engine.people.deals(ReportContract.november, users: [1, 50], withIDs: false)
        XCTAssertEqual(closed[1], PersonDeals(open: 3, won: 1, lost: 2, wonMinor: [.eur: 300_000]))
        XCTAssertEqual(try deals.engine.people.deals(ReportContract.november, users: [1, 50], withIDs: true)[50]?.closedIDs, [6, 7])
        let repo = people.people
        let p = CustomerReportContract.period
        XCTAssertEqual(try repo.followUps(p, users: [1, 2], withIDs: false),
                       [1: PersonFollowUps(due: 4, onTime: 1, late: 1, overdue: 1, overdueIDs: [])])
        XCTAssertEqual(try repo.followUps(p, users: [1, 2], withIDs: true)[1]?.overdueIDs, [3])
        let rules = [CadenceRule(.lifecycle(.customer), days: 7), CadenceRule(.tag("vip"), days: 3)]
        XCTAssertEqual(try repo.stayInTouch(p, rules: rules, users: [1, 2], withIDs: false), [
            1: PersonStayInTouch(customers: 5, notInTouch: 5, notInTouchIDs: []),
            2: PersonStayInTouch(customers: 1, notInTouch: 1, notInTouchIDs: []),
        ])
        XCTAssertEqual(try repo.stayInTouch(p, rules: rules, users: [1, 2], withIDs: true).mapValues(\.notInTouchIDs),
                       [1: [1, 2, 3, 6, 7], 2: [4]])
        XCTAssertEqual(try repo.stayInTouch(p, rules: [CadenceRule(.tier(.b), days: 30)], users: [1], withIDs: false)[1],
                       PersonStayInTouch(customers: 2, notInTouch: 2, notInTouchIDs: []))
    }
}

final class SQLiteReportCountedFiguresContractTests: XCTestCase {
    private func contract() throws -> (ReportCountedFiguresContract, Any) {
        // Two files: the two fixtures use the same ids.
        let (db, folder) = try makeDatabase()
        let (db2, folder2) = try makeDatabase()
        let contract = ReportCountedFiguresContract(
            deals: ReportContract(engine: ReportContract.Engine(run: { try db.connection.run($0) }, deals: db.dealReportRepository,
                                                                drill: db.reportDrillRepository, winLoss: db.winLossReport,
                                                                people: db.peopleReport)),
            people: CustomerReportContract(run: { try db2.connection.run($0) }, report: db2.customerReports, people: db2.peopleReport))
        try contract.fixtures()
        return (contract, (db, folder, db2, folder2))
    }
    func testDealFiguresWithoutIDs() throws { let (c, keep) = try contract(); try c.checkDealFiguresWithoutIDs(); _ = keep }
    func testPeopleFiguresWithoutIDs() throws { let (c, keep) = try contract(); try c.checkPeopleFiguresWithoutIDs(); _ = keep }
}

final class PGReportCountedFiguresContractTests: XCTestCase {
    private func contract() throws -> (ReportCountedFiguresContract, Any) {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let db2 = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let contract = ReportCountedFiguresContract(
            deals: ReportContract(engine: ReportContract.Engine(run: { try db.connection.run($0) }, deals: PGDealReportRepository(db: db),
                                                                drill: PGReportDrillRepository(db: db), winLoss: PGWinLossReport(db: db),
                                                                people: PGPeopleReport(db: db))),
            people: CustomerReportContract(run: { try db2.connection.run($0) }, report: PGCustomerReportRepository(db: db2),
                                           people: PGPeopleReport(db: db2)))
        try contract.fixtures()
        return (contract, (db, db2))
    }
    func testDealFiguresWithoutIDs() throws { let (c, keep) = try contract(); try c.checkDealFiguresWithoutIDs(); _ = keep }
    func testPeopleFiguresWithoutIDs() throws { let (c, keep) = try contract(); try c.checkPeopleFiguresWithoutIDs(); _ = keep }
}
