import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Every action that writes several rows commits whole or leaves nothing: the
/// last step is made to fail for real (a trigger that aborts, installed on the
/// real file), and nothing of the earlier steps may remain.
final class OneActionOneTransactionTests: XCTestCase {
    /// Makes every INSERT (or UPDATE) on `table` fail, as a full disk or a
    /// broken constraint would.
    func failWrites(to table: String, on db: Database, update: Bool = false) throws {
        try db.connection.execute("""
            CREATE TEMP TRIGGER fail_\(table) BEFORE \(update ? "UPDATE" : "INSERT") ON main.\(table)
            BEGIN SELECT RAISE(ABORT, 'injected failure'); END
            """)
    }

    func testDoneOutcomeAndNextFollowUpCommitTogetherOrNotAtAll() throws {
        let f = try TodayFixture()
        let ada = try f.contact("Ada Lovelace", company: "Analytical Engines")
        try f.followUp("Send the quote", for: ada, due: TodayFixture.date("2026-03-26T08:00:00Z"))
        f.app.start()
        try failWrites(to: "follow_ups", on: f.db)  // the third step, the next follow-up
        f.press(.char("x"))
        f.type("Will sign on Monday")
        f.press(.enter, .enter)
        XCTAssertEqual(try f.db.followUps.get(1)?.status, .open, "not marked done")
        XCTAssertEqual(try f.db.interactions.timeline(.contact(ada.id), before: nil, limit: 5).count, 0, "no outcome logged")
        let message = try XCTUnwrap(f.app.statusMessage?.text)
        XCTAssertFalse(message.contains("SQL") || message.contains("injected") || message.contains("TRIGGER"), message)
        XCTAssertNil(f.app.undoStack.last, "nothing happened, so nothing to undo")
    }

    func testEscAtTheOutcomeLeavesTheFollowUpOpen() throws {
        let f = try TodayFixture()
        let ada = try f.contact("Ada Lovelace")
        try f.followUp("Send the quote", for: ada, due: TodayFixture.date("2026-03-26T08:00:00Z"))
        f.app.start()
        f.press(.char("x"), .escape)
        XCTAssertEqual(try f.db.followUps.get(1)?.status, .open)
        XCTAssertEqual(f.app.statusMessage?.text, "Not marked done")
    }

    func testEditingADealAndItsStageIsOneUnit() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Fleet renewal")
        f.start()
        try failWrites(to: "deal_stage_history", on: f.db)  // the move, after the update
        f.press(.char("e"))
        f.press(.ctrl("u"))
        f.type("Fleet renewal 2027")
        f.press(.tab, .tab, .tab, .right)  // title → value → currency → stage: next one
        f.press(.ctrl("s"))
        let stored = try XCTUnwrap(f.db.deals.get(deal.id))
        XCTAssertEqual(stored.title, "Fleet renewal", "the edit went with the failed move")
        XCTAssertEqual(stored.stageID, f.stages[0].id)
        guard case .form(let form) = f.app.overlay else { return XCTFail("the form stays open with what was typed") }
        XCTAssertEqual(form["title"], "Fleet renewal 2027")
    }

    func testDeletingADealTakesItsFollowUpsToTheTrashInTheSameTransaction() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Fleet renewal")
        let fu = try f.db.followUps.create(FollowUp(dealID: deal.id, title: "Chase the PO", dueAt: Date()))
        f.start()
        f.press(.char("d"))
        guard case .confirm(let c)? = f.app.overlay else { return XCTFail("delete asks first") }
        XCTAssertEqual(c.question, "Delete deal Fleet renewal? Its open follow-up goes with it. It goes to the trash; u undoes. (y/n)")
        f.press(.char("y"))
        XCTAssertNotNil(try f.db.deals.get(deal.id)?.deletedAt)
        XCTAssertNotNil(try f.db.followUps.get(fu.id)?.deletedAt, "in the trash with its deal")
        XCTAssertEqual(try f.db.followUps.due(from: nil, to: nil, assigneeID: nil, limit: 10).count, 0, "gone from Today")
        f.press(.char("u"))
        XCTAssertNil(try f.db.deals.get(deal.id)?.deletedAt)
        XCTAssertNil(try f.db.followUps.get(fu.id)?.deletedAt)
        XCTAssertEqual(try f.db.followUps.get(fu.id)?.status, .open)
    }

    func testAFailedFollowUpTrashKeepsTheDeal() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Fleet renewal")
        _ = try f.db.followUps.create(FollowUp(dealID: deal.id, title: "Chase the PO", dueAt: Date()))
        f.start()
        try failWrites(to: "follow_ups", on: f.db, update: true)
        f.press(.char("d"), .char("y"))
        XCTAssertNil(try f.db.deals.get(deal.id)?.deletedAt, "the delete went with the failed follow-up write")
    }

    func testAColleaguesMoveIsNotMovedBack() throws {
        let f = try PipelineFixture()
        let omid = try Database(path: f.folder.appendingPathComponent("crm.db").path, login: "omid")
        let deal = try f.deal("Fleet renewal")
        f.start()
        f.press(.char("L"))  // Lead → Qualified
        let mine = try XCTUnwrap(f.db.deals.get(deal.id))
        XCTAssertEqual(mine.stageID, f.stages[1].id)
        _ = try omid.deals.move(deal.id, toStage: f.stages[2].id, expectedVersion: mine.version)
        f.press(.char("u"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[2].id, "Omid's move stands")
        let message = try XCTUnwrap(f.app.statusMessage?.text)
        XCTAssertTrue(message.hasPrefix("Not undone: omid moved Fleet renewal to Proposal at "), message)
        XCTAssertEqual(try f.db.deals.historyEntries(dealID: deal.id).count, 3, "creation and two moves; no move back")
    }

    func testAColleaguesEditOfAnotherFieldDoesNotStopMyMoveBeingUndone() throws {
        let f = try PipelineFixture()
        let omid = try Database(path: f.folder.appendingPathComponent("crm.db").path, login: "omid")
        let deal = try f.deal("Fleet renewal")
        f.start()
        f.press(.char("L"))
        var theirs = try XCTUnwrap(omid.deals.get(deal.id))
        theirs.title = "Fleet renewal (12 vans)"
        _ = try omid.deals.update(theirs)
        f.press(.char("u"))
        let stored = try XCTUnwrap(f.db.deals.get(deal.id))
        XCTAssertEqual(stored.stageID, f.stages[0].id)
        XCTAssertEqual(stored.title, "Fleet renewal (12 vans)")
    }

    func testDeletingAStageOnAFilteredBoardCountsAndMovesEveryDealAndUndoes() throws {
        let f = try PipelineFixture()
        for i in 1...5 { try f.deal("Rollout \(i)", stage: 2) }
        try f.deal("QA pilot", stage: 2)
        f.start(columns: 4, cards: 4)
        f.press(.char("/"))
        f.type("QA pilot")
        f.press(.enter)
        XCTAssertEqual(f.vm.focusColumn, 2, "Enter took the focus to Proposal, the column with the match")
        XCTAssertEqual(f.vm.columns[2].cards.map(\.deal.title), ["QA pilot"], "the board is filtered")
        f.press(.char("D"))
        guard case .prompt(let prompt)? = f.app.overlay else { return XCTFail("asks where the deals go") }
        XCTAssertEqual(prompt.title, "Delete stage Proposal? Its 6 open deals move to:")
        f.press(.enter)  // the neighbour, Qualified
        XCTAssertEqual(try f.db.deals.stageTotals(stageID: f.stages[1].id, filter: DealFilter()).count, 6)
        let undo = try XCTUnwrap(f.app.undoStack.last)
        XCTAssertEqual(undo.title, "delete of stage Proposal")
        f.press(.char("u"))
        XCTAssertEqual(try f.db.pipelines.stage(f.stages[2].id)?.name, "Proposal")
        XCTAssertEqual(try f.db.deals.stageTotals(stageID: f.stages[2].id, filter: DealFilter()).count, 6, "all six moved back")
        XCTAssertEqual(try f.db.deals.stageTotals(stageID: f.stages[1].id, filter: DealFilter()).count, 0)
    }

    func testUndoingAStageDeleteLeavesDealsAColleagueMovedSince() throws {
        let f = try PipelineFixture()
        let omid = try Database(path: f.folder.appendingPathComponent("crm.db").path, login: "omid")
        let kept = try f.deal("Rollout 1", stage: 2)
        try f.deal("Rollout 2", stage: 2)
        f.start(columns: 4, cards: 4)
        f.press(.char("l"), .char("l"), .char("D"), .enter)
        let moved = try XCTUnwrap(omid.deals.get(kept.id))
        _ = try omid.deals.move(kept.id, toStage: f.stages[3].id, expectedVersion: moved.version)
        f.press(.char("u"))
        XCTAssertEqual(try f.db.deals.get(kept.id)?.stageID, f.stages[3].id, "Omid's move stands")
        XCTAssertEqual(f.app.statusMessage?.text,
                       "Restored stage Proposal; moved back 1 deal, left 1 that colleagues moved or changed since")
    }

    func testUndoingAMoveOrAStageDeleteGivesBackTheDaysInStage() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Fleet renewal", stage: 2)
        let entered = Date(timeIntervalSince1970: 1_700_000_000)
        try f.db.connection.run("UPDATE deals SET stage_entered_at = ? WHERE id = ?", [entered, deal.id])
        f.start(columns: 4, cards: 4)
        f.press(.char("l"), .char("l"), .char("L"), .char("u"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[2].id)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageEnteredAt, entered, "undo of a move keeps the days in stage")

        let g = try PipelineFixture()
        let other = try g.deal("Depot rollout", stage: 2)
        try g.db.connection.run("UPDATE deals SET stage_entered_at = ? WHERE id = ?", [entered, other.id])
        g.start(columns: 4, cards: 4)
        g.press(.char("l"), .char("l"), .char("D"), .enter)
        XCTAssertEqual(try g.db.deals.get(other.id)?.stageID, g.stages[1].id, "moved by the delete")
        g.press(.char("u"))
        XCTAssertEqual(try g.db.deals.get(other.id)?.stageID, g.stages[2].id)
        XCTAssertEqual(try g.db.deals.get(other.id)?.stageEnteredAt, entered, "undo of a stage delete too")
    }
}
