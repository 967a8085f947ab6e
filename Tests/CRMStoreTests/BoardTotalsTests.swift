import CRMCore
import CRMDemo
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The board's column totals kept per pipeline, owner, stage and currency
/// (schema 52): after every kind of write that moves a deal between columns,
/// owners or currencies, changes its value or takes it off the board, the
/// table is exactly the GROUP BY of the live open deals, and the board reads
/// the same totals from it as from the deals themselves.
final class BoardTotalsTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!

    override func setUpWithError() throws {
        (db, folder) = try makeDatabase(login: DemoData.users[0].login)
        try DemoData.generate(into: db, contacts: 60, seed: 11)
    }

    override func tearDown() {
        db = nil
        folder = nil
    }

    /// The totals as the table holds them and as a recount of the deals makes them.
    private func assertTableIsTheRecount(_ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let kept = try db.connection.rows("""
            SELECT pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range FROM deal_board_totals
            ORDER BY 1, 2, 3, 4
            """, []) { row in (0..<8).map { row.string(Int32($0)) }.joined(separator: "|") }
        let counted = try db.connection.rows("""
            SELECT pipeline_id, coalesce(owner_id, 0), stage_id, currency, count(*),
                   coalesce(sum(CASE WHEN typeof(value_minor) = 'integer' AND value_minor BETWEEN 0 AND ? THEN value_minor / 1000000 END), 0),
                   coalesce(sum(CASE WHEN typeof(value_minor) = 'integer' AND value_minor BETWEEN 0 AND ? THEN value_minor % 1000000 END), 0),
                   count(CASE WHEN typeof(value_minor) = 'integer' AND value_minor BETWEEN 0 AND ? THEN NULL ELSE 1 END)
            FROM deals NOT INDEXED WHERE status = 'open' AND deleted_at IS NULL
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """, [Money.maxMinorUnits, Money.maxMinorUnits, Money.maxMinorUnits]) { row in (0..<8).map { row.string(Int32($0)) }.joined(separator: "|") }
        XCTAssertFalse(counted.isEmpty, what, file: file, line: line)
        XCTAssertEqual(kept, counted, what, file: file, line: line)
        // What the board reads: kept, and summed from the deals, for everyone and for each owner.
        let owners: [Int64?] = [nil] + (try db.connection.rows("SELECT DISTINCT owner_id FROM deals WHERE owner_id IS NOT NULL", []) { $0.int64(0) })
        for pipeline in try db.pipelines.pipelines() {
            for owner in owners {
                let filter = DealFilter(ownerID: owner)
                db.hasBoardTotals = true
                let fromTable = try db.deals.stageTotals(pipelineID: pipeline.id, filter: filter)
                let stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }
                let perStage = try stages.map { try db.deals.stageTotals(stageID: $0.id, filter: filter) }
                db.hasBoardTotals = false
                let fromDeals = try db.deals.stageTotals(pipelineID: pipeline.id, filter: filter)
                let perStageFromDeals = try stages.map { try db.deals.stageTotals(stageID: $0.id, filter: filter) }
                db.hasBoardTotals = true
                XCTAssertEqual(fromTable, fromDeals, "\(what): pipeline \(pipeline.id), owner \(String(describing: owner))", file: file, line: line)
                XCTAssertEqual(perStage, perStageFromDeals, "\(what): each stage, owner \(String(describing: owner))", file: file, line: line)
            }
        }
    }

    func testTheKeptTotalsFollowEveryWriteAndEqualTheDealsSums() throws {
        try assertTableIsTheRecount("after the demo fill")
        let pipeline = try XCTUnwrap(try db.pipelines.pipelines().first)
        let stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }
        // Open deals of the first stage first (the one moved a stage on), then of the others.
        let cards = try stages.flatMap { try db.deals.cards(stageID: $0.id, filter: DealFilter(), after: nil, limit: 6) }
        XCTAssertGreaterThanOrEqual(cards.count, 6)
        XCTAssertEqual(cards.first?.deal.stageID, stages[0].id)

        let moved = try db.deals.move(cards[0].id, toStage: stages[1].id, expectedVersion: cards[0].deal.version)
        try assertTableIsTheRecount("a deal moved a stage on")
        _ = try db.deals.moveBack(moved.id, toStage: stages[0].id, enteredAt: cards[0].deal.stageEnteredAt, expectedVersion: moved.version)
        try assertTableIsTheRecount("the move undone")

        let won = try db.deals.close(cards[1].id, as: .won, reason: "", expectedVersion: cards[1].deal.version)
        try assertTableIsTheRecount("a deal won")
        _ = try db.deals.reopen(won.id, expectedVersion: won.version)
        try assertTableIsTheRecount("the deal reopened")
        _ = try db.deals.close(cards[2].id, as: .lost, reason: "Price", expectedVersion: cards[2].deal.version)
        try assertTableIsTheRecount("a deal lost")

        var edited = try XCTUnwrap(try db.deals.get(cards[3].id))
        edited.value = Money(minorUnits: 12_345_678_90, currency: .usd)
        let other = try XCTUnwrap(try db.connection.first("SELECT id FROM users WHERE id <> ? ORDER BY id", [edited.ownerID ?? 0]) { $0.int64(0) })
        edited.ownerID = other
        edited = try db.deals.update(edited)
        try assertTableIsTheRecount("value, currency and owner edited")
        edited.ownerID = nil
        _ = try db.deals.update(edited)
        try assertTableIsTheRecount("the owner taken away")

        try db.trash.trash(.deal, cards[4].id)
        try assertTableIsTheRecount("a deal in the trash")
        _ = try db.trash.restore(.deal, cards[4].id)
        try assertTableIsTheRecount("the deal restored")
        try db.trash.trash(.deal, cards[5].id)
        _ = try db.trash.purge(kind: .deal, deletedBefore: nil)
        try assertTableIsTheRecount("a deal purged for good")

        let created = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[1].id, title: "New",
                                               value: Money(minorUnits: 99, currency: .eur)))
        try assertTableIsTheRecount("a deal created")
        // Values no form accepts, written by another connection: counted out of range.
        try db.connection.run("UPDATE deals SET value_minor = 1e300 WHERE id = ?", [created.id])
        try assertTableIsTheRecount("a REAL value")
        try db.connection.run("UPDATE deals SET value_minor = 99.0 WHERE id = ?", [created.id])
        try assertTableIsTheRecount("the same number as a REAL")
        try db.connection.run("UPDATE deals SET value_minor = 99 WHERE id = ?", [created.id])
        try assertTableIsTheRecount("back to an integer")
        try db.connection.run("UPDATE deals SET pipeline_id = ?, stage_id = ? WHERE id = ?",
                              [pipeline.id, stages[2].id, created.id])
        try assertTableIsTheRecount("moved by another connection")
        // Deleted for good by another connection (its stage history first: it refers to the deal).
        try db.connection.run("DELETE FROM deal_stage_history WHERE deal_id = ?", [created.id])
        try db.connection.run("DELETE FROM deals WHERE id = ?", [created.id])
        try assertTableIsTheRecount("deleted by another connection")
    }

    /// The step fills the table from the deals a file already has.
    func testTheUpgradeFillsTheTotalsOfTheDealsBefore() throws {
        try rewindSchema(db.connection, to: 47)
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'deal_board_totals'"), 0)
        let path = db.path
        db = nil
        db = try Database(path: path, login: DemoData.users[0].login)
        XCTAssertTrue(db.hasBoardTotals)
        try assertTableIsTheRecount("after the upgrade")
    }

    /// The board reads a few kept rows: no deal is read for its totals.
    func testTheBoardReadsTheKeptTotalsNotTheDeals() throws {
        let pipeline = try XCTUnwrap(try db.pipelines.pipelines().first)
        let stage = try XCTUnwrap(try db.pipelines.stages(pipelineID: pipeline.id).first)
        let owner = try XCTUnwrap(try db.connection.first("SELECT owner_id FROM deals WHERE owner_id IS NOT NULL", []) { $0.int64(0) })
        for (name, body) in [
            ("everyone's", { _ = try self.db.deals.stageTotals(pipelineID: pipeline.id, filter: DealFilter()) }),
            ("one owner's", { _ = try self.db.deals.stageTotals(pipelineID: pipeline.id, filter: DealFilter(ownerID: owner)) }),
            ("one stage", { _ = try self.db.deals.stageTotals(stageID: stage.id, filter: DealFilter()) }),
            ("one stage, one owner", { _ = try self.db.deals.stageTotals(stageID: stage.id, filter: DealFilter(ownerID: owner)) }),
        ] as [(String, () throws -> Void)] {
            db.connection.recordedSQL = []
            try body()
            let sql = db.connection.recordedSQL ?? []
            db.connection.recordedSQL = nil
            let totals = try XCTUnwrap(sql.first { $0.contains("deal_board_totals") }, name)
            let explain = try db.connection.prepare("EXPLAIN QUERY PLAN \(totals)")
            let plan = try explain.rows([SQLBindable](repeating: SQLValue.null, count: explain.parameterCount)) { $0.string(3) }
            XCTAssertTrue(plan.contains { $0.hasPrefix("SEARCH deal_board_totals USING PRIMARY KEY (pipeline_id=?") }, "\(name): \(plan)")
            XCTAssertFalse(sql.contains { $0.contains("FROM deals") }, "\(name): the deals were read\n\(sql)")
        }
    }
}
