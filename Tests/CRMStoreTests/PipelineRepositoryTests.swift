import CRMCore
import CRMRepositories
@testable import CRMStore
import XCTest

/// The board's store operations on a real SQLite file.
final class PipelineRepositoryTests: XCTestCase {
    private func pipeline(_ db: Database, stages: Int = 3) throws -> (Pipeline, [Stage]) {
        let names = ["Lead", "Qualified", "Proposal", "Negotiation"]
        let p = try db.pipelines.createPipeline("Sales", stages: (0..<stages).map {
            Stage(pipelineID: 0, name: names[$0], position: $0, probability: [10, 25, 50, 75][$0])
        })
        return (p, try db.pipelines.stages(pipelineID: p.id))
    }

    private func deal(_ db: Database, _ p: Pipeline, _ stage: Stage, _ title: String, _ minor: Int64 = 100_00, _ currency: Currency = .eur) throws -> Deal {
        try db.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: title, value: Money(minorUnits: minor, currency: currency)))
    }

    func testStagesComeWithWonAndLostOutcomes() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        let (_, stages) = try pipeline(db)
        XCTAssertEqual(stages.map(\.kind), [.open, .open, .open, .won, .lost])
    }

    func testTotalsPerStageAndCurrencyFollowTheFilter() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        let (p, stages) = try pipeline(db)
        _ = try deal(db, p, stages[2], "Alpha", 1000_00)
        _ = try deal(db, p, stages[2], "Beta", 333_33)
        _ = try deal(db, p, stages[2], "Gamma", 50_00, .usd)
        let totals = try db.deals.stageTotals(pipelineID: p.id, filter: DealFilter())
        let proposal = try XCTUnwrap(totals[stages[2].id])
        XCTAssertEqual(proposal.count, 3)
        XCTAssertEqual(proposal.byCurrency.map(\.currency.code), ["EUR", "USD"])
        XCTAssertEqual(proposal.byCurrency[0].sum?.minorUnits, 1333_33)
        XCTAssertEqual(proposal.byCurrency[0].weighted?.minorUnits, 666_67, "half of 1333.33, rounded half up")
        XCTAssertEqual(try db.deals.stageTotals(stageID: stages[2].id, filter: DealFilter(text: "beta")).count, 1)
        XCTAssertNil(totals[stages[0].id], "empty stages have no rows")
    }

    func testReorderPlacesBetweenNeighboursAndRenumbersWhenOutOfRoom() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        let (p, stages) = try pipeline(db)
        let a = try deal(db, p, stages[0], "A"), b = try deal(db, p, stages[0], "B"), c = try deal(db, p, stages[0], "C")
        func order() throws -> [String] { try db.deals.cards(stageID: stages[0].id, filter: DealFilter(), after: nil, limit: 10).map(\.deal.title) }
        var moved = try db.deals.reorder(c.id, by: -1, expectedVersion: c.version)
        XCTAssertEqual(try order(), ["A", "C", "B"])
        XCTAssertGreaterThan(moved.position, a.position)
        XCTAssertLessThan(moved.position, b.position)
        XCTAssertThrowsError(try db.deals.reorder(c.id, by: -1, expectedVersion: c.version), "stale version") { error in
            guard case RepositoryError.stale = error else { return XCTFail("\(error)") }
        }
        // Back and forth until halving runs out of room: the order holds.
        for _ in 0..<80 {
            moved = try db.deals.reorder(c.id, by: 1, expectedVersion: moved.version)
            moved = try db.deals.reorder(c.id, by: -1, expectedVersion: moved.version)
        }
        XCTAssertEqual(try order(), ["A", "C", "B"])
        let top = try db.deals.reorder(a.id, by: -1, expectedVersion: try XCTUnwrap(db.deals.get(a.id)).version)
        XCTAssertEqual(top.version, try XCTUnwrap(db.deals.get(a.id)).version, "already first: nothing written")
    }

    func testCloseReopenAndLostReasons() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        let (p, stages) = try pipeline(db)
        let d1 = try deal(db, p, stages[1], "One"), d2 = try deal(db, p, stages[1], "Two"), d3 = try deal(db, p, stages[1], "Three")
        XCTAssertThrowsError(try db.deals.close(d1.id, as: .lost, reason: "  ", expectedVersion: d1.version))
        _ = try db.deals.close(d1.id, as: .lost, reason: "Price", expectedVersion: d1.version)
        _ = try db.deals.close(d2.id, as: .lost, reason: "Timing", expectedVersion: d2.version)
        _ = try db.deals.close(d3.id, as: .lost, reason: "Price", expectedVersion: d3.version)
        XCTAssertEqual(try db.deals.lostReasons(limit: 5), ["Price", "Timing"])
        let lost = try db.deals.closedDeals(pipelineID: p.id, status: .lost, filter: DealFilter(), after: nil, limit: 2)
        XCTAssertEqual(lost.count, 2)
        let rest = try db.deals.closedDeals(pipelineID: p.id, status: .lost, filter: DealFilter(), after: lost.last!.closedCursor, limit: 2)
        XCTAssertEqual(Set((lost + rest).map(\.id)), [d1.id, d2.id, d3.id])
        // Backwards from the end: the same list's last rows, in list order.
        let all = lost + rest
        let tail = try db.deals.closedDeals(pipelineID: p.id, status: .lost, filter: DealFilter(), before: nil, limit: 2)
        XCTAssertEqual(tail.map(\.id), all.suffix(2).map(\.id))
        let head = try db.deals.closedDeals(pipelineID: p.id, status: .lost, filter: DealFilter(), before: tail[0].closedCursor, limit: 2)
        XCTAssertEqual(head.map(\.id), all.prefix(1).map(\.id))
        let current = try XCTUnwrap(db.deals.get(d2.id))
        XCTAssertEqual(current.stageID, stages[1].id, "a closed deal keeps the stage it was closed in")
        let reopened = try db.deals.reopen(d2.id, expectedVersion: current.version)
        XCTAssertEqual(reopened.status, .open)
        XCTAssertEqual(reopened.lostReason, "")
        XCTAssertNil(reopened.closedAt)
        let subjects = try db.interactions.timeline(.deal(d2.id), before: nil, limit: 5).map(\.interaction.subject)
        XCTAssertEqual(subjects, ["Two: reopened (was lost)", "Two: lost (in Qualified) — Timing"])
    }

    func testStageManagement() throws {
        let (db, _folder) = try makeDatabase(); _ = _folder
        let (p, stages) = try pipeline(db)
        let d = try deal(db, p, stages[1], "Mover")
        let added = try db.pipelines.addStage(Stage(pipelineID: p.id, name: "Demo", position: 0, probability: 30), after: stages[1].id)
        var open = try db.pipelines.stages(pipelineID: p.id).filter { $0.kind == .open }
        XCTAssertEqual(open.map(\.name), ["Lead", "Qualified", "Demo", "Proposal"])
        var edited = added
        edited.name = "Live demo"
        edited.rotDays = 10
        edited = try db.pipelines.updateStage(edited)
        XCTAssertEqual(edited.rotDays, 10)
        XCTAssertThrowsError(try db.pipelines.updateStage(added), "stale stage edit") { error in
            guard case RepositoryError.stale = error else { return XCTFail("\(error)") }
        }
        try db.pipelines.moveStage(added.id, by: -1)
        open = try db.pipelines.stages(pipelineID: p.id).filter { $0.kind == .open }
        XCTAssertEqual(open.map(\.name), ["Lead", "Live demo", "Qualified", "Proposal"])
        let won = try XCTUnwrap(db.pipelines.stages(pipelineID: p.id).first { $0.kind == .won })
        XCTAssertThrowsError(try db.pipelines.deleteStage(stages[1].id, movingDealsTo: won.id), "deals only go to open stages")
        XCTAssertThrowsError(try db.pipelines.deleteStage(won.id, movingDealsTo: stages[0].id), "outcomes stay")
        try db.pipelines.deleteStage(stages[1].id, movingDealsTo: added.id)
        XCTAssertEqual(try db.deals.get(d.id)?.stageID, added.id)
        XCTAssertEqual(try db.deals.historyEntries(dealID: d.id).map(\.toStageName), ["Qualified", "Live demo"])
        XCTAssertEqual(try db.pipelines.stages(pipelineID: p.id).filter { $0.kind == .open }.map(\.name), ["Lead", "Live demo", "Proposal"])
    }
}
