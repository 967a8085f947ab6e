import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// The board's column totals after every write that moves value between
/// columns, owners or currencies, or takes it off the board and back: both
/// engines keep them in a table (SQLite schema 52, PostgreSQL 60) and must
/// show the same figures, worked out by hand below, as the deals hold.
/// Run by SQLiteBoardTotalsContractTests and PostgresBoardTotalsContractTests.
struct BoardTotalsContract {
    let fixture: EngineFixture

    /// A board as "stage: CUR count sum weighted" per currency, for everyone
    /// or one owner; each stage's own read (`stageTotals(stageID:)`, what a
    /// move reads for its two columns) must say the same as the pipeline's.
    private func board(_ s: EngineSession, _ p: Pipeline, owner: Int64? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let filter = DealFilter(ownerID: owner)
        let totals = try s.deals.stageTotals(pipelineID: p.id, filter: filter)
        var out: [String] = []
        for stage in try s.pipelines.stages(pipelineID: p.id) {
            let one = try s.deals.stageTotals(stageID: stage.id, filter: filter)
            XCTAssertEqual(one, totals[stage.id] ?? .empty(stage.id), "\(stage.name): its own read", file: file, line: line)
            guard let column = totals[stage.id] else { continue }
            out.append("\(stage.name): " + column.byCurrency.map {
                "\($0.currency.code) \($0.count) \($0.sum.map { "\($0.minorUnits)" } ?? "out of range") w\($0.weighted.map { "\($0.minorUnits)" } ?? "-")"
            }.joined(separator: ", "))
        }
        return out
    }

    func totalsFollowEveryWriteThatMovesValue() throws {
        let sara = try fixture.open("sara"), omid = try fixture.open("omid")
        let p = try sara.pipelines.createPipeline("Sales", stages: [("Lead", 10), ("Qualified", 25), ("Proposal", 50)].enumerated().map {
            Stage(pipelineID: 0, name: $0.element.0, position: $0.offset, probability: $0.element.1)
        })
        let renewals = try sara.pipelines.createPipeline("Renewals", stages: [Stage(pipelineID: 0, name: "Due", position: 0, probability: 40)])
        let stages = try sara.pipelines.stages(pipelineID: p.id)
        let (lead, qualified, proposal) = (stages[0], stages[1], stages[2])
        let due = try XCTUnwrap(sara.pipelines.stages(pipelineID: renewals.id).first)
        func deal(_ stage: Stage, _ title: String, _ minor: Int64, _ currency: Currency, owner: Int64) throws -> Deal {
            try sara.deals.create(Deal(pipelineID: stage.pipelineID, stageID: stage.id, title: title,
                                       value: Money(minorUnits: minor, currency: currency), ownerID: owner))
        }
        var a = try deal(lead, "A", 100_00, .eur, owner: sara.userID)
        var b = try deal(lead, "B", 250_50, .eur, owner: omid.userID)
        var c = try deal(qualified, "C", 40_00, .usd, owner: sara.userID)
        var d = try deal(proposal, "Dragon", 1000_00, .eur, owner: omid.userID)
        _ = try deal(due, "E", 70_00, .eur, owner: sara.userID)
        func current(_ x: Deal) throws -> Deal { try XCTUnwrap(sara.deals.get(x.id)) }

        XCTAssertEqual(try board(sara, p), ["Lead: EUR 2 35050 w3505", "Qualified: USD 1 4000 w1000", "Proposal: EUR 1 100000 w50000"])
        XCTAssertEqual(try board(sara, p, owner: sara.userID), ["Lead: EUR 1 10000 w1000", "Qualified: USD 1 4000 w1000"])
        XCTAssertEqual(try board(sara, p, owner: omid.userID), ["Lead: EUR 1 25050 w2505", "Proposal: EUR 1 100000 w50000"])
        XCTAssertEqual(try board(sara, renewals), ["Due: EUR 1 7000 w2800"], "each pipeline its own totals")

        // Moved a stage on (`L`): out of one column, into the next, its currency beside the one there.
        a = try sara.deals.move(a.id, toStage: qualified.id, expectedVersion: a.version)
        XCTAssertEqual(try board(sara, p), ["Lead: EUR 1 25050 w2505", "Qualified: EUR 1 10000 w2500, USD 1 4000 w1000",
                                            "Proposal: EUR 1 100000 w50000"])
        XCTAssertEqual(try board(sara, p, owner: sara.userID), ["Qualified: EUR 1 10000 w2500, USD 1 4000 w1000"])

        // Value and currency changed: 250.50 EUR becomes 300.00 USD in the same column.
        b.value = Money(minorUnits: 300_00, currency: .usd)
        b = try sara.deals.update(b)
        XCTAssertEqual(try board(sara, p), ["Lead: USD 1 30000 w3000", "Qualified: EUR 1 10000 w2500, USD 1 4000 w1000",
                                            "Proposal: EUR 1 100000 w50000"])
        // Handed to another owner: the same column, the other owner's totals.
        c.ownerID = omid.userID
        c = try sara.deals.update(c)
        XCTAssertEqual(try board(sara, p, owner: sara.userID), ["Qualified: EUR 1 10000 w2500"])
        XCTAssertEqual(try board(sara, p, owner: omid.userID), ["Lead: USD 1 30000 w3000", "Qualified: USD 1 4000 w1000",
                                                                "Proposal: EUR 1 100000 w50000"])
        // A write that moves no value (a title, a place in the column) leaves them.
        c.title = "C renamed"
        c = try sara.deals.update(c)
        c = try sara.deals.reorder(c.id, by: 1, expectedVersion: c.version)
        let afterEdits = ["Lead: USD 1 30000 w3000", "Qualified: EUR 1 10000 w2500, USD 1 4000 w1000", "Proposal: EUR 1 100000 w50000"]
        XCTAssertEqual(try board(sara, p), afterEdits)

        // The trash takes a deal off the board; restoring it puts it back.
        try sara.deals.delete(d.id)
        XCTAssertEqual(try board(sara, p), ["Lead: USD 1 30000 w3000", "Qualified: EUR 1 10000 w2500, USD 1 4000 w1000"])
        try sara.deals.restore(d.id)
        d = try current(d)
        XCTAssertEqual(try board(sara, p), afterEdits)

        // Won and lost leave the column; reopened comes back.
        c = try sara.deals.close(c.id, as: .won, reason: "", expectedVersion: c.version)
        b = try sara.deals.close(b.id, as: .lost, reason: "Price", expectedVersion: b.version)
        XCTAssertEqual(try board(sara, p), ["Qualified: EUR 1 10000 w2500", "Proposal: EUR 1 100000 w50000"])
        b = try sara.deals.reopen(b.id, expectedVersion: b.version)
        XCTAssertEqual(try board(sara, p), ["Lead: USD 1 30000 w3000", "Qualified: EUR 1 10000 w2500", "Proposal: EUR 1 100000 w50000"])

        // A stage deleted moves its deals (the won one too, not counted) to
        // another in one write; taking the delete back moves them home.
        let deletion = try sara.pipelines.deleteStage(qualified.id, movingDealsTo: proposal.id)
        XCTAssertEqual(Set(deletion.moved.map(\.dealID)), [a.id, c.id])
        XCTAssertEqual(try board(sara, p), ["Lead: USD 1 30000 w3000", "Proposal: EUR 2 110000 w55000"])
        XCTAssertEqual(try sara.pipelines.restoreStage(deletion), StageRestore(movedBack: 2, kept: 0))
        XCTAssertEqual(try board(sara, p), ["Lead: USD 1 30000 w3000", "Qualified: EUR 1 10000 w2500", "Proposal: EUR 1 100000 w50000"])

        // The other pipeline's column never moved; a deal created there counts there only.
        _ = try deal(due, "F", 5_00, .usd, owner: omid.userID)
        XCTAssertEqual(try board(sara, renewals), ["Due: EUR 1 7000 w2800, USD 1 500 w200"])
        XCTAssertEqual(try board(sara, p), ["Lead: USD 1 30000 w3000", "Qualified: EUR 1 10000 w2500", "Proposal: EUR 1 100000 w50000"])

        // A search still sums the deals it finds.
        XCTAssertEqual(try sara.deals.stageTotals(pipelineID: p.id, filter: DealFilter(text: "drag")).mapValues(\.count), [proposal.id: 1])
        XCTAssertEqual(try sara.deals.stageTotals(stageID: proposal.id, filter: DealFilter(text: "drag")).count, 1)
        XCTAssertEqual(try sara.deals.stageTotals(stageID: 999, filter: DealFilter()), .empty(999))
    }
}

final class SQLiteBoardTotalsContractTests: XCTestCase {
    func testTotalsFollowEveryWriteThatMovesValue() throws {
        try BoardTotalsContract(fixture: .sqlite()).totalsFollowEveryWriteThatMovesValue()
    }
}

final class PostgresBoardTotalsContractTests: XCTestCase {
    func testTotalsFollowEveryWriteThatMovesValue() throws {
        try BoardTotalsContract(fixture: .postgres()).totalsFollowEveryWriteThatMovesValue()
    }
}
