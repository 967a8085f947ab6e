import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMViewModels
import XCTest

final class PipelineViewModelTests: XCTestCase {
    func testMoveNextAndPreviousStageFollowsTheDealAndRecordsHistory() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Acme renewal")
        f.start()
        XCTAssertEqual(f.vm.focusedCard?.id, deal.id)
        f.press(.char("L"), .char("L"))
        XCTAssertEqual(f.vm.focusColumn, 2, "the focus follows the deal")
        XCTAssertEqual(f.vm.focusedCard?.id, deal.id)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[2].id)
        f.press(.char("H"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[1].id)
        XCTAssertEqual(f.vm.columns[1].totals.count, 1)
        XCTAssertEqual(f.vm.columns[2].totals.count, 0)
        let history = try f.db.deals.historyEntries(dealID: deal.id)
        XCTAssertEqual(history.map(\.toStageName), ["Lead", "Qualified", "Proposal", "Qualified"])
        XCTAssertEqual(history.last?.changedByLogin, "alice")
        // Undo moves it back where it was.
        f.press(.char("u"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[2].id)
    }

    func testMoveOfADealSomeoneElseJustMovedIsRefused() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Contested")
        f.start()
        // Another user (another connection to the same file) moves it first.
        let other = try Database(path: f.db.path, login: "bob")
        _ = try other.deals.move(deal.id, toStage: f.stages[3].id, expectedVersion: deal.version)
        f.press(.char("L"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[3].id, "bob's move stands")
        let message = try XCTUnwrap(f.app.statusMessage)
        XCTAssertEqual(message.kind, .warning)
        XCTAssertTrue(message.text.contains("bob moved this deal"), message.text)
        XCTAssertEqual(f.vm.columns[3].totals.count, 1, "the board reloaded to show bob's move")
    }

    func testSavingOverAColleaguesWinKeepsTheDealWonAndWritesOnlyMyField() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Contested value", stage: 1)
        f.start()
        f.press(.char("l"))
        XCTAssertEqual(f.vm.focusedCard?.id, deal.id)
        f.press(.char("e"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("e opens the deal form") }
        form.focus(field: "value")
        f.press(.ctrl("u"))
        for ch in "30000" { f.press(.char(ch)) }
        // Bob marks it lost, with a reason, while the form is open.
        let bob = try Database(path: f.db.path, login: "bob")
        _ = try bob.deals.close(deal.id, as: .lost, reason: "Budget cut", expectedVersion: deal.version)
        f.press(.ctrl("s"))
        XCTAssertEqual(form.conflict?.changedBy, "bob", "refused as stale, naming bob")
        f.press(.ctrl("o"))
        XCTAssertNil(f.app.overlay, "saved over bob's change")
        let stored = try XCTUnwrap(try f.db.deals.get(deal.id))
        XCTAssertEqual(stored.value.minorUnits, 30_000_00, "my field")
        XCTAssertEqual(stored.status, .lost, "bob's outcome stands: the form does not hold the status")
        XCTAssertEqual(stored.lostReason, "Budget cut")
    }

    /// QA 40 #1: after Ctrl-R took the colleague's version, the reading
    /// beside Value still said "→ 30,000.00 EUR", the amount just dropped,
    /// while the field (and the save) held the stored one.
    func testTakingTheColleaguesVersionUpdatesTheReadingBesideTheValue() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Contested value", stage: 1, value: 26_000_00)
        f.start()
        f.press(.char("l"))
        f.press(.char("e"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("e opens the deal form") }
        func hint() -> String { form.fields.first { $0.name == "value" }?.hint ?? "" }
        form.focus(field: "value")
        f.press(.ctrl("u"))
        f.type("30000")
        XCTAssertEqual(hint(), "→ 30,000.00 EUR")
        let bob = try Database(path: f.db.path, login: "bob")
        _ = try bob.deals.move(deal.id, toStage: f.stages[2].id, expectedVersion: deal.version)
        f.press(.ctrl("s"))
        XCTAssertEqual(form.conflict?.changedBy, "bob")
        f.press(.ctrl("r"), .char("y"))
        XCTAssertEqual(form["value"], "26,000.00")
        XCTAssertEqual(hint(), "→ 26,000.00 EUR", "the reading follows the reloaded text")
        // Nothing differs from the stored version now: Esc closes at once.
        f.press(.escape)
        XCTAssertNil(f.app.overlay)
    }

    /// QA 42: Esc after a board search put the focus on the column's first
    /// card, and the next `w` marked that one won. The deal found stays in
    /// focus on the whole board, whether Esc ends the typing or clears a kept
    /// search; Enter first moved the focus to the column with the match.
    func testClearingASearchKeepsTheDealFoundInFocus() throws {
        let f = try PipelineFixture(stageCount: 3)
        for i in 1...9 { try f.deal("Rollout \(i)", stage: 1) }
        try f.deal("Zeppelin hangar", stage: 1)
        f.start(columns: 3, cards: 4)
        f.press(.char("/"))
        f.type("zeppelin")
        f.press(.enter)
        XCTAssertEqual(f.vm.focusColumn, 1)
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Zeppelin hangar")
        f.press(.escape)
        XCTAssertEqual(f.vm.filter.text, "", "the search is cleared")
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Zeppelin hangar", "past the first screenful of its column")
        f.press(.char("/"))
        f.type("zeppelin")
        f.press(.escape)
        XCTAssertEqual(f.vm.filter.text, "")
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Zeppelin hangar")
    }

    /// QA 27 #7: the stage chosen in an open deal form is deleted by an
    /// admin before Ctrl-S. The save is refused on the Stage field (who
    /// deleted it), the rest of what was typed stays, and another stage saves.
    func testAStageDeletedWhileTheFormIsOpenIsRefusedOnItsFieldAndAnotherSaves() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Riverbend licences")
        f.start()
        f.press(.char("e"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("e opens the deal form") }
        form.focus(field: "title")
        f.press(.ctrl("u"))
        f.type("Riverbend licences 2027")
        form.focus(field: "stage")
        f.press(.right, .right)
        let chosen = try XCTUnwrap(form["stage"])
        let stage = try XCTUnwrap(f.stages.first { $0.name == chosen })
        let target = try XCTUnwrap(f.stages.first { $0.kind == .open && $0.id != stage.id })
        let bob = try Database(path: f.db.path, login: "bob")
        _ = try bob.pipelines.deleteStage(stage.id, movingDealsTo: target.id)
        f.press(.ctrl("s"))
        XCTAssertNil(form.conflict, "the deal itself is not stale")
        XCTAssertTrue(form.fields.first { $0.name == "stage" }?.error?.hasPrefix("stage: deleted by bob") ?? false,
                      form.fields.first { $0.name == "stage" }?.error ?? "no error on Stage")
        XCTAssertEqual(form["title"], "Riverbend licences 2027", "what was typed stays")
        XCTAssertEqual(try f.db.deals.get(deal.id)?.title, "Riverbend licences", "nothing saved")
        form.focus(field: "stage")
        f.press(.left)
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, "another stage saves")
        XCTAssertEqual(try f.db.deals.get(deal.id)?.title, "Riverbend licences 2027")
    }

    /// QA 33 #10: the form shows the close date as a day; editing only the
    /// value must not write the date back as that day's midnight, or the
    /// audit and a colleague's stale-edit message name a field nobody touched.
    func testEditingOnlyTheValueLeavesTheCloseDateAsStored() throws {
        let f = try PipelineFixture()
        var deal = try f.deal("Upgrade", value: 19_200_00)
        deal.expectedClose = Date(timeIntervalSince1970: 1_795_654_800)  // 2026-11-26 01:00 UTC
        deal = try f.db.deals.update(deal)
        f.start()
        f.press(.char("e"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("e opens the deal form") }
        XCTAssertEqual(form["close"], "2026-11-26")
        form.focus(field: "value")
        f.press(.ctrl("u"))
        f.type("20000")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        let stored = try XCTUnwrap(try f.db.deals.get(deal.id))
        XCTAssertEqual(stored.value.minorUnits, 20_000_00)
        XCTAssertEqual(stored.expectedClose, deal.expectedClose, "the close date nobody touched")
        XCTAssertEqual(Set(try f.db.auditTrail(entity: "deal", id: deal.id, limit: 1)[0].changes.keys), ["value"])
        // Typed anew, the same day is read as typed: that day's midnight.
        f.press(.char("e"))
        guard case .form(let again) = f.app.overlay else { return XCTFail("e opens the deal form") }
        again.focus(field: "close")
        f.press(.ctrl("u"))
        f.type("2026-11-27")
        f.press(.ctrl("s"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.expectedClose, Date(timeIntervalSince1970: 1_795_737_600))  // 2026-11-27 00:00 UTC
    }

    func testUndoOfAnEditAColleagueChangedSinceOpensTheFormWithMyOldValues() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Renewal", value: 1000_00)
        f.start()
        f.press(.char("e"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("e opens the deal form") }
        form.focus(field: "value")
        f.press(.ctrl("u"))
        f.type("2000")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        // Bob changes the value again after my edit.
        let bob = try Database(path: f.db.path, login: "bob")
        var theirs = try XCTUnwrap(bob.deals.get(deal.id))
        theirs.value = Money(minorUnits: 3000_00, currency: theirs.value.currency)
        _ = try bob.deals.update(theirs)

        f.press(.char("u"))
        XCTAssertEqual(try f.db.deals.get(deal.id)?.value.minorUnits, 3000_00, "bob's value stands")
        guard case .form(let merge) = f.app.overlay else { return XCTFail("the refused undo opens the form") }
        XCTAssertEqual(merge.conflict?.changedBy, "bob")
        XCTAssertTrue(merge.banner?.hasPrefix("Not undone: bob changed the value since your edit.") ?? false, merge.banner ?? "")
        XCTAssertEqual(merge["value"], Money(minorUnits: 1000_00, currency: deal.value.currency).formatted(withCode: false),
                       "my value from before the edit")
        f.press(.ctrl("o"))
        XCTAssertNil(f.app.overlay, "saved over bob's value")
        XCTAssertEqual(try f.db.deals.get(deal.id)?.value.minorUnits, 1000_00)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.title, "Renewal")
    }

    func testMarkWonFromThePaletteOfAnotherViewNeverPicksADealItself() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Nobody chose me")
        f.app.start(in: .today)
        f.press(.char(":"))
        f.type("mark won")
        guard case .palette(let palette) = f.app.overlay else { return XCTFail(": opens the palette") }
        XCTAssertEqual(palette.matchingEntries.first?.binding.title, "Pipeline: Mark won")
        XCTAssertEqual(palette.matchingEntries.first?.binding.disabledReason, "no deal here", "the board was never opened")
        f.press(.enter)
        XCTAssertEqual(f.app.activeViewKind, .pipeline, "it goes to the board")
        XCTAssertEqual(try f.db.deals.get(deal.id)?.status, .open, "and marks nothing the user did not choose")
        XCTAssertEqual(f.app.statusMessage?.text, "Mark won: choose it here, then press w")
        // On the board, with the deal in front of the user, it runs.
        f.press(.char(":"))
        f.type("mark won")
        f.press(.enter)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.status, .won)
    }

    func testAClosedDealsDaysInStageStopWhenItClosed() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Closed early")
        var card = try XCTUnwrap(f.db.deals.card(deal.id))
        card.deal.stageEnteredAt = f.clock.now.addingTimeInterval(-43 * 86400)
        XCTAssertEqual(f.vm.daysInStage(card), 43, "open: to today")
        card.deal.status = .won
        card.deal.closedAt = f.clock.now.addingTimeInterval(-40 * 86400)
        XCTAssertEqual(f.vm.daysInStage(card), 3, "its stay ended when it was won, as its history says")
    }

    func testStageChangesAndMovesAreUndoneWithU() throws {
        let f = try PipelineFixture()
        f.start()
        let lead = f.stages[0]
        f.press(.char("%"), .ctrl("u"))
        f.type("35")
        f.press(.enter)
        XCTAssertEqual(try f.db.pipelines.stage(lead.id)?.probability, 35)
        f.press(.char("u"))
        XCTAssertEqual(try f.db.pipelines.stage(lead.id)?.probability, lead.probability, "u puts the probability back")
        XCTAssertNil(f.app.overlay, "it undid the stage change, not something older")

        f.press(.char("}"))
        XCTAssertEqual(try f.db.pipelines.stages(pipelineID: f.pipeline.id).filter { $0.kind == .open }.map(\.id).prefix(2),
                       [f.stages[1].id, lead.id])
        f.press(.char("u"))
        XCTAssertEqual(try f.db.pipelines.stages(pipelineID: f.pipeline.id).filter { $0.kind == .open }.map(\.id).prefix(2),
                       [lead.id, f.stages[1].id], "u moves it back")

        // A colleague's change since is never written over.
        f.press(.char("T"), .ctrl("u"))
        f.type("9")
        f.press(.enter)
        let bob = try Database(path: f.db.path, login: "bob")
        var theirs = try XCTUnwrap(bob.pipelines.stage(lead.id))
        theirs.probability = 60
        _ = try bob.pipelines.updateStage(theirs)
        f.press(.char("u"))
        XCTAssertEqual(try f.db.pipelines.stage(lead.id)?.probability, 60, "bob's probability stands")
        XCTAssertEqual(try f.db.pipelines.stage(lead.id)?.rotDays, 9)
        XCTAssertEqual(f.app.statusMessage?.kind, .warning)
    }

    func testAnotherUsersMoveAppearsOnTick() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Watched")
        f.start()
        let other = try Database(path: f.db.path, login: "bob")
        _ = try other.deals.move(deal.id, toStage: f.stages[1].id, expectedVersion: deal.version)
        f.app.handle(.tick)
        XCTAssertEqual(f.vm.columns[0].totals.count, 0)
        XCTAssertEqual(f.vm.columns[1].cards.map(\.id), [deal.id])
    }

    /// QA 38 A-F6: undo of a move put the card at the bottom of its old
    /// column, losing the order set with K/J; the undo now names where it goes.
    func testUndoOfAMovePutsTheCardBackInItsPlace() throws {
        let f = try PipelineFixture()
        _ = try f.deal("A"); _ = try f.deal("B"); _ = try f.deal("C")
        f.start()
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "A")
        f.press(.char("L"))
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["B", "C"])
        f.press(.char("u"))
        XCTAssertEqual(f.app.statusMessage?.text, "Undone: move of A (back to Lead)")
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["A", "B", "C"], "first again, not last")
        XCTAssertEqual(f.vm.columns[1].cards.count, 0)
    }

    func testReorderWithinColumn() throws {
        let f = try PipelineFixture()
        let a = try f.deal("A"), b = try f.deal("B"), c = try f.deal("C")
        f.start()
        f.press(.char("j"), .char("j"))
        XCTAssertEqual(f.vm.focusedCard?.id, c.id)
        f.press(.char("K"))
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["A", "C", "B"])
        XCTAssertEqual(f.vm.focusedCard?.id, c.id)
        f.press(.char("K"), .char("K"))
        XCTAssertEqual(f.vm.columns[0].cards.map(\.id), [c.id, a.id, b.id])
        XCTAssertEqual(f.app.statusMessage?.text, "C is already first in Lead")
        f.press(.char("J"))
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["A", "C", "B"])
        // Many reorders between the same two neighbours stay in order (renumbering when halving runs out).
        for _ in 0..<60 { f.press(.char("J"), .char("K")) }
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["A", "C", "B"])
    }

    /// `w` (or `x`) then `u`: the deal is back as it was, its 100 days in
    /// the stage (and so its rotting mark) included, not a fresh stay.
    func testUndoOfWonKeepsTheDaysInTheStage() throws {
        let f = try PipelineFixture()
        let old = try f.deal("Old one", stage: 1)
        let entered = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 100 * 86_400).rounded())
        try f.db.connection.run("UPDATE deals SET stage_entered_at = ? WHERE id = ?", [entered, old.id])
        f.start()
        f.press(.char("l"))
        XCTAssertEqual(f.vm.focusedCard?.id, old.id)
        f.press(.char("w"))
        XCTAssertEqual(try f.db.deals.get(old.id)?.status, .won)
        f.press(.char("u"))
        let back = try XCTUnwrap(f.db.deals.get(old.id))
        XCTAssertEqual(back.status, .open)
        XCTAssertEqual(back.stageEnteredAt, entered)
    }

    /// QA 40 #2: after `u` brought back a lost (or won, or deleted) deal,
    /// the focus stayed on the card that had taken its place, and the next
    /// `w` marked that one won. The undo focuses the deal it put back.
    func testUndoOfLostWonOrDeleteFocusesTheDealItPutBack() throws {
        let f = try PipelineFixture()
        let a = try f.deal("A", stage: 1), b = try f.deal("B", stage: 1), c = try f.deal("C", stage: 1)
        f.start()
        f.press(.char("l"), .char("j"))
        XCTAssertEqual(f.vm.focusedCard?.id, b.id)
        f.press(.char("x"))
        f.type("Timing")
        f.press(.enter)
        XCTAssertEqual(try f.db.deals.get(b.id)?.status, .lost)
        XCTAssertEqual(f.vm.focusedCard?.id, c.id, "the focus fell on the next card")
        f.press(.char("u"))
        XCTAssertEqual(f.vm.focusedCard?.id, b.id, "the deal put back is in focus")
        f.press(.char("w"))
        XCTAssertEqual(try f.db.deals.get(b.id)?.status, .won, "w acts on the deal put back")
        XCTAssertEqual(try f.db.deals.get(c.id)?.status, .open)
        f.press(.char("u"))
        XCTAssertEqual(f.vm.focusedCard?.id, b.id)
        f.press(.char("k"))
        XCTAssertEqual(f.vm.focusedCard?.id, a.id)
        f.press(.char("d"), .char("y"))
        XCTAssertNotNil(try f.db.deals.get(a.id)?.deletedAt)
        f.press(.char("j"))
        f.press(.char("u"))
        XCTAssertEqual(f.vm.focusedCard?.id, a.id, "a deleted deal restored is in focus")
    }

    func testWonAndLostWithReasonLeaveTheBoardAndReopen() throws {
        let f = try PipelineFixture()
        let won = try f.deal("Winner", stage: 1)
        let lost = try f.deal("Loser", stage: 1)
        let earlier = try f.deal("Earlier", stage: 0)
        _ = try f.db.deals.close(earlier.id, as: .lost, reason: "Price too high", expectedVersion: earlier.version)
        f.start()
        f.press(.char("l"))
        XCTAssertEqual(f.vm.focusedCard?.id, won.id)
        f.press(.char("w"))
        XCTAssertEqual(try f.db.deals.get(won.id)?.status, .won)
        XCTAssertEqual(f.vm.columns[1].cards.map(\.id), [lost.id], "won deals leave the board")
        // Lost asks for a reason, offering those used before.
        f.press(.char("x"))
        guard case .prompt(let prompt) = f.app.overlay else { return XCTFail("expected the lost-reason prompt") }
        XCTAssertEqual(prompt.suggestions, ["Price too high"])
        f.press(.enter)
        XCTAssertEqual(try f.db.deals.get(lost.id)?.status, .open, "an empty reason is refused")
        f.press(.char("x"))
        f.type("pri")
        f.press(.tab, .enter)
        let closed = try XCTUnwrap(f.db.deals.get(lost.id))
        XCTAssertEqual(closed.status, .lost)
        XCTAssertEqual(closed.lostReason, "Price too high")
        XCTAssertTrue(f.vm.columns[1].cards.isEmpty)
        // The won/lost list, and reopening from it.
        f.press(.char("c"))
        XCTAssertEqual(f.vm.mode, .closed)
        XCTAssertEqual(Set(f.vm.closed.rows.map(\.id)), [won.id, lost.id, earlier.id])
        f.press(.char("s"))
        XCTAssertEqual(f.vm.closed.rows.map(\.id), [won.id])
        f.press(.char("r"))
        XCTAssertEqual(try f.db.deals.get(won.id)?.status, .open)
        XCTAssertTrue(f.vm.closed.rows.isEmpty)
        f.press(.char("c"))
        XCTAssertEqual(f.vm.mode, .board)
        XCTAssertEqual(f.vm.columns[1].cards.map(\.id), [won.id], "reopened deals come back to their stage")
    }

    func testTotalsPerCurrencyAndWeighted() throws {
        let f = try PipelineFixture()
        try f.deal("E1", stage: 2, value: 1000_00)
        try f.deal("E2", stage: 2, value: 3000_01)
        try f.deal("U1", stage: 2, value: 500_00, currency: "USD")
        try f.deal("Y1", stage: 2, value: 700_000, currency: "JPY")
        f.start()
        let totals = f.vm.columns[2].totals
        XCTAssertEqual(totals.count, 4)
        let eur = try XCTUnwrap(totals.byCurrency.first { $0.currency.code == "EUR" })
        XCTAssertEqual(eur.count, 2)
        XCTAssertEqual(eur.sum?.minorUnits, 4000_01)
        XCTAssertEqual(eur.weighted?.minorUnits, 2000_01, "50% of 4000.01, rounded half up")
        let usd = try XCTUnwrap(totals.byCurrency.first { $0.currency.code == "USD" })
        XCTAssertEqual(usd.sum?.minorUnits, 500_00)
        XCTAssertEqual(usd.weighted?.minorUnits, 250_00)
        XCTAssertEqual(totals.byCurrency.map(\.currency.code), ["JPY", "EUR", "USD"], "never added across currencies; largest sum first")
    }

    func testHorizontalScrollKeepsTheFocusedColumnInView() throws {
        let f = try PipelineFixture(stageCount: 8)
        f.start(columns: 3, cards: 4)
        XCTAssertEqual(f.vm.visibleColumns, 0..<3)
        f.press(.char("l"), .char("l"))
        XCTAssertEqual(f.vm.visibleColumns, 0..<3)
        f.press(.char("l"))
        XCTAssertEqual(f.vm.focusColumn, 3)
        XCTAssertEqual(f.vm.visibleColumns, 1..<4)
        for _ in 0..<10 { f.press(.right) }
        XCTAssertEqual(f.vm.focusColumn, 7)
        XCTAssertEqual(f.vm.visibleColumns, 5..<8)
        f.press(.char("h"), .char("h"), .char("h"))
        XCTAssertEqual(f.vm.visibleColumns, 4..<7)
        // A wider screen shows more columns, still with the focus inside.
        f.vm.setViewport(columns: 5, cardsPerColumn: 4)
        XCTAssertTrue(f.vm.visibleColumns.contains(f.vm.focusColumn))
        XCTAssertEqual(f.vm.visibleColumns.count, 5)
    }

    func testLongColumnLoadsOnlyTheCardsInViewAndScrolls() throws {
        let f = try PipelineFixture()
        for i in 0..<25 { try f.deal(String(format: "Deal %02d", i)) }
        f.start(columns: 3, cards: 4)
        XCTAssertEqual(f.vm.columns[0].cards.count, 4)
        XCTAssertEqual(f.vm.columns[0].totals.count, 25)
        for _ in 0..<6 { f.press(.char("j")) }
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Deal 06")
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["Deal 03", "Deal 04", "Deal 05", "Deal 06"])
        XCTAssertEqual(f.vm.columns[0].above, 3)
        f.press(.char("G"))
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Deal 24")
        XCTAssertEqual(f.vm.columns[0].above, 21)
        f.press(.pageUp)
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Deal 20")
        for _ in 0..<3 { f.press(.char("k")) }
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Deal 17")
        XCTAssertEqual(f.vm.columns[0].cards.first?.deal.title, "Deal 17")
        f.press(.char("g"))
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Deal 00")
        // A move from deep in a long column shows the deal at the bottom of the next one.
        f.press(.char("G"), .char("L"))
        XCTAssertEqual(f.vm.focusedCard?.deal.title, "Deal 24")
        XCTAssertEqual(f.vm.columns[0].totals.count, 24)
    }

    /// Each key typed into the board's search reads the cards; the totals
    /// (every deal found, summed) wait until the search is done or the
    /// focus moves, shown as pending meanwhile, never as the old figures.
    func testATypedSearchSumsTheColumnsWhenItIsDone() throws {
        let f = try PipelineFixture()
        try f.deal("Alpha rollout")
        try f.deal("Beta rollout")
        try f.deal("Gamma")
        f.start()
        XCTAssertEqual(f.vm.columns[0].totals.count, 3)
        f.press(.char("/"))
        f.type("rollout")
        XCTAssertEqual(Set(f.vm.columns[0].cards.map(\.deal.title)), ["Alpha rollout", "Beta rollout"], "the cards at once")
        XCTAssertTrue(f.vm.columns[0].totalsPending, "the totals wait")
        XCTAssertEqual(f.vm.columns[0].below, 0, "no count of cards below from totals not yet counted")
        f.press(.enter)
        XCTAssertFalse(f.vm.columns[0].totalsPending)
        XCTAssertEqual(f.vm.columns[0].totals.count, 2, "Enter: summed for the search")
        f.press(.char("/"))
        f.type(" x")
        XCTAssertTrue(f.vm.columns[0].totalsPending)
        f.press(.down)
        XCTAssertFalse(f.vm.columns[0].totalsPending, "a move reads them first")
        XCTAssertEqual(f.vm.columns[0].totals.count, 0)
        f.press(.escape)
        XCTAssertFalse(f.vm.columns[0].totalsPending)
        XCTAssertEqual(f.vm.columns[0].totals.count, 3, "Esc: the whole board again")
    }

    func testFiltersMineSearchAndClosingBefore() throws {
        let f = try PipelineFixture()
        let bob = try Database(path: f.db.path, login: "bob")
        try f.deal("Alpha rollout")
        _ = try bob.deals.create(Deal(pipelineID: f.pipeline.id, stageID: f.stages[0].id, title: "Beta rollout",
                                      value: Money(minorUnits: 100, currency: .eur)))
        var soon = try f.deal("Gamma")
        soon.expectedClose = f.clock.now.addingTimeInterval(86400 * 3)
        soon = try f.db.deals.update(soon)
        f.start()
        XCTAssertEqual(f.vm.columns[0].totals.count, 3)
        f.press(.char("m"))
        XCTAssertEqual(Set(f.vm.columns[0].cards.map(\.deal.title)), ["Alpha rollout", "Gamma"])
        f.press(.char("m"), .char("/"))
        f.type("rollout")
        f.press(.enter)
        XCTAssertEqual(Set(f.vm.columns[0].cards.map(\.deal.title)), ["Alpha rollout", "Beta rollout"])
        XCTAssertEqual(f.vm.columns[0].totals.count, 2, "the header totals follow the filter")
        f.press(.escape)
        XCTAssertEqual(f.vm.columns[0].totals.count, 3)
        f.press(.char("b"))
        let date = DealFormsTestHelper.day(f.clock.now.addingTimeInterval(86400 * 7))
        f.type(date)
        f.press(.enter)
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["Gamma"])
        // As every date prompt: "+7d", "next month" read as due dates are.
        f.press(.char("b"), .ctrl("u"))
        f.type("+7d")
        f.press(.enter)
        XCTAssertNil(f.app.overlay, "accepted")
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["Gamma"])
        f.press(.char("b"), .ctrl("u"))
        f.type("someday")
        f.press(.enter)
        XCTAssertTrue(f.app.statusMessage?.text.contains("expected e.g. 2026-12-31, 15 dec, next month or +30d") ?? false,
                      f.app.statusMessage?.text ?? "")
    }

    /// A colleague moves, wins or deletes the deal in focus (QA 29 #3): the
    /// focus follows a move to its new column, and a close or delete is
    /// said in the status line, never a silent jump to the next card.
    func testAColleaguesChangeToTheFocusedDealIsFollowedOrSaid() throws {
        let f = try PipelineFixture(stageCount: 3)
        let path = f.folder.appendingPathComponent("crm.db").path
        let first = try f.deal("Nordwind support plan")
        let second = try f.deal("Evergreen licences")
        let third = try f.deal("Marigold print")
        let fourth = try f.deal("Zeta renewal")
        f.start()
        let focused = try XCTUnwrap(f.vm.focusedCard)
        let sara = try Database(path: path, login: "sara")
        let version = { (id: Int64) in try XCTUnwrap(try sara.deals.get(id)).version }
        _ = try sara.deals.move(focused.id, toStage: f.stages[1].id, expectedVersion: try version(focused.id))
        f.vm.refresh()
        XCTAssertEqual(f.vm.focusColumn, 1, "the focus followed the deal to Qualified")
        XCTAssertEqual(f.vm.focusedCard?.id, focused.id)
        XCTAssertEqual(f.app.statusMessage?.text, "\(focused.deal.title) moved to Qualified meanwhile; the focus followed it")

        _ = try sara.deals.close(focused.id, as: .won, reason: "", expectedVersion: try version(focused.id))
        f.vm.refresh()
        XCTAssertEqual(f.app.statusMessage?.text, "Focus on the next card: \(focused.deal.title) was marked won by sara meanwhile")
        XCTAssertEqual(f.app.statusMessage?.kind, .warning)

        f.press(.char("h"))
        let next = try XCTUnwrap(f.vm.focusedCard)
        try sara.deals.delete(next.id)
        f.vm.refresh()
        XCTAssertEqual(f.app.statusMessage?.text, "Focus on the next card: \(next.deal.title) was deleted by sara meanwhile")
        XCTAssertNotEqual(f.vm.focusedCard?.id, next.id)
        // The first w on the card the focus fell on is refused and says so
        // (QA 30 #3: pressed as the news came, it won the neighbour); the
        // same key again acts on it.
        let fellOn = try XCTUnwrap(f.vm.focusedCard)
        f.press(.char("w"))
        XCTAssertEqual(try sara.deals.get(fellOn.id)?.status, .open, "nothing done")
        XCTAssertEqual(f.app.statusMessage?.text,
                       "Not done: \(next.deal.title) was deleted by sara meanwhile; the focus is on \(fellOn.deal.title) now — the same key again acts on it")
        f.press(.char("w"))
        XCTAssertEqual(try sara.deals.get(fellOn.id)?.status, .won)
        f.press(.char("u"))
        XCTAssertEqual(try sara.deals.get(fellOn.id)?.status, .open)
        // Moving the focus oneself: the next action is not held up.
        let current = try XCTUnwrap(f.vm.focusedCard)
        try sara.deals.delete(current.id)
        f.vm.refresh()
        XCTAssertNotNil(f.vm.focusFellOn)
        f.press(.char("j"), .char("k"))
        XCTAssertNil(f.vm.focusFellOn)
        // A change elsewhere leaves the focus and the status line alone.
        let still = try XCTUnwrap(f.vm.focusedCard)
        f.app.status("", .info)
        let other = [first, second, third, fourth].first { ![still.id, focused.id, next.id, current.id].contains($0.id) }
        if let other { _ = try sara.deals.move(other.id, toStage: f.stages[2].id, expectedVersion: try version(other.id)) }
        f.vm.refresh()
        XCTAssertEqual(f.vm.focusedCard?.id, still.id)
        XCTAssertEqual(f.app.statusMessage?.text ?? "", "")
    }

    func testRottingAndDaysInStage() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Stale")
        var stage = f.stages[0]
        stage.rotDays = 5
        _ = try f.db.pipelines.updateStage(stage)
        f.start()
        let card = try XCTUnwrap(f.vm.focusedCard)
        XCTAssertFalse(f.vm.isRotting(card))
        f.clock.advance(by: 86400 * 6)
        XCTAssertEqual(f.vm.daysInStage(card), 6)
        XCTAssertTrue(f.vm.isRotting(card))
        // An interaction with the deal makes it fresh again.
        _ = try f.db.interactions.log(Interaction(dealID: deal.id, kind: .call, occurredAt: f.clock.now, createdAt: f.clock.now))
        f.vm.refresh()
        XCTAssertFalse(f.vm.isRotting(try XCTUnwrap(f.vm.focusedCard)))
    }

    func testStageManagementAndDeleteMovesDeals() throws {
        let f = try PipelineFixture(stageCount: 3)
        let deal = try f.deal("Mover", stage: 1)
        f.start()
        f.press(.char("l"), .char("R"))
        for _ in 0..<"Qualified".count { f.press(.backspace) }
        f.type("Discovery")
        f.press(.enter)
        XCTAssertEqual(f.vm.columns[1].stage.name, "Discovery")
        f.press(.char("%"), .backspace, .backspace)
        f.type("40")
        f.press(.enter)
        XCTAssertEqual(f.vm.columns[1].stage.probability, 40)
        f.press(.char("}"))
        XCTAssertEqual(f.vm.columns.map(\.stage.name), ["Lead", "Proposal", "Discovery"])
        XCTAssertEqual(f.vm.focusColumn, 2)
        // The column moved with its cards, totals and focus, and its stage's new position.
        XCTAssertEqual(f.vm.focusedCard?.id, deal.id)
        XCTAssertEqual(f.vm.columns[2].totals.count, 1)
        XCTAssertEqual(f.vm.columns.map(\.stage.position), try f.db.pipelines.stages(pipelineID: f.vm.pipeline!.id)
            .filter { $0.kind == .open }.map(\.position))
        f.press(.char("A"))
        f.type("Legal")
        f.press(.enter)
        XCTAssertEqual(f.vm.columns.map(\.stage.name), ["Lead", "Proposal", "Discovery", "Legal"])
        f.press(.char("h"), .char("D"))
        guard case .prompt(let prompt) = f.app.overlay else { return XCTFail("delete asks where the deals go") }
        XCTAssertEqual(prompt.input.text, "Proposal")
        f.press(.enter)
        XCTAssertEqual(f.vm.columns.map(\.stage.name), ["Lead", "Proposal", "Legal"])
        XCTAssertEqual(try f.db.deals.get(deal.id)?.stageID, f.stages[2].id)
        XCTAssertEqual(try f.db.deals.historyEntries(dealID: deal.id).last?.toStageName, "Proposal")
    }

    func testAddDealWithContactPickerAndDetails() throws {
        let f = try PipelineFixture()
        let company = try f.db.companies.create(Company(name: "Müller GmbH"))
        let contact = try f.db.contacts.create(Contact(name: "Jürgen Müller", companyID: company.id))
        f.start()
        f.press(.char("a"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("expected the deal form") }
        f.type("Big one")
        f.press(.tab)
        f.type("12.5k")
        f.press(.tab, .tab, .tab)
        f.type("mül")
        XCTAssertEqual(form.suggestions, ["Jürgen Müller · Müller GmbH #\(contact.id)"])
        let contactField = form.focus
        f.press(.tab)
        XCTAssertEqual(form.focus, contactField + 1, "Tab takes the suggestion and moves on")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, form.banner ?? "")
        let card = try XCTUnwrap(f.vm.focusedCard)
        XCTAssertEqual(card.deal.title, "Big one")
        XCTAssertEqual(card.deal.value.minorUnits, 12_500_00)
        XCTAssertEqual(card.deal.contactID, contact.id)
        XCTAssertEqual(card.deal.companyID, company.id, "the contact's company comes along")
        f.press(.char("L"), .enter)
        XCTAssertEqual(f.vm.mode, .details)
        let detail = try XCTUnwrap(f.vm.detail)
        XCTAssertEqual(detail.stays.map(\.stageName), ["Lead", "Qualified"])
        XCTAssertEqual(detail.timeline.first?.interaction.kind, .stageChange)
        f.press(.char("C"))
        XCTAssertEqual(f.app.activeKind, .contacts)
        XCTAssertEqual(f.app.contacts.detail?.contact.id, contact.id)
    }
}

enum DealFormsTestHelper {
    static func day(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}

extension PipelineViewModelTests {
    func testFollowUpOnTheFocusedDeal() throws {
        let f = try PipelineFixture()
        let deal = try f.deal("Acme renewal")
        f.start()
        f.press(.char("f"))
        guard case .form = f.app.overlay else { return XCTFail("f opens the follow-up form") }
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay)
        let open = try f.db.followUps.open(dealID: deal.id)
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open.first?.followUp.dealID, deal.id)
    }
}

extension PipelineViewModelTests {
    func testCallTheDealsContactFromDetails() throws {
        let f = try PipelineFixture()
        var deal = try f.deal("Acme renewal")
        let ada = try f.db.contacts.create(Contact(name: "Ada Lovelace", phones: [PhoneNumber("+44 20 7946 0001")]))
        deal.contactID = ada.id
        deal = try f.db.deals.update(deal)
        f.start()
        f.press(.enter)
        f.press(.char("c"))
        guard case .call(let call) = f.app.overlay else { return XCTFail("c calls the deal's contact") }
        XCTAssertEqual(call.detail.contact.name, "Ada Lovelace")
        f.press(.ctrl("s"))
        XCTAssertEqual(try f.db.interactions.timeline(.contact(ada.id), before: nil, limit: 1).first?.interaction.kind, .call)
        XCTAssertEqual(try f.db.interactions.timeline(.deal(deal.id), before: nil, limit: 1).first?.interaction.kind, .call,
                       "the call shows in the deal's timeline too")
    }
}

extension PipelineViewModelTests {
    func testBoardSearchFindsDealsByTheCompanyAndContactOnTheCard() throws {
        let f = try PipelineFixture()
        let polaris = try f.db.companies.create(Company(name: "Polaris Media SARL"))
        let grace = try f.db.contacts.create(Contact(name: "Grace Hopper"))
        var audit = try f.deal("Invoice audit")
        audit.companyID = polaris.id
        audit = try f.db.deals.update(audit)
        var training = try f.deal("Training days")
        training.contactID = grace.id
        training = try f.db.deals.update(training)
        try f.deal("Unrelated")
        f.start()
        f.press(.char("/"))
        f.type("polaris")
        f.press(.enter)
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["Invoice audit"])
        XCTAssertEqual(f.vm.columns[0].totals.count, 1)
        f.press(.escape, .char("/"))
        f.type("hopper")
        f.press(.enter)
        XCTAssertEqual(f.vm.columns[0].cards.map(\.deal.title), ["Training days"])
    }
}

/// G in the list of won and lost deals reaches the last one, past every page.
final class ClosedListEndTests: XCTestCase {
    func testGReachesTheOldestClosedDeal() throws {
        let f = try PipelineFixture()
        for i in 0..<230 {
            let d = try f.deal("Deal \(i)")
            _ = try f.db.deals.close(d.id, as: .won, reason: "", expectedVersion: d.version)
            // Closed one after another: Deal 0 is the oldest.
            try f.db.connection.run("UPDATE deals SET closed_at = ? WHERE id = ?", [1_700_000_000 + i * 60, d.id])
        }
        f.start()
        f.press(.char("c"))
        f.press(.char("G"))
        XCTAssertEqual(f.vm.closed.selectedRow?.deal.title, "Deal 0")
        f.press(.char("g"))
        XCTAssertEqual(f.vm.closed.selectedRow?.deal.title, "Deal 229")
    }

    /// After G only the last page is read; moving up from it reads the pages
    /// before, one by one, and every deal is passed exactly once, in order.
    func testUpFromTheEndWalksBackThroughEveryPage() throws {
        let f = try PipelineFixture()
        for i in 0..<230 {
            let d = try f.deal("Deal \(i)")
            _ = try f.db.deals.close(d.id, as: .won, reason: "", expectedVersion: d.version)
            try f.db.connection.run("UPDATE deals SET closed_at = ? WHERE id = ?", [1_700_000_000 + i * 60, d.id])
        }
        f.start()
        f.press(.char("c"), .char("G"))
        XCTAssertLessThanOrEqual(f.vm.closed.rows.count, f.vm.closedPageSize, "G reads one page, not the whole list")
        XCTAssertTrue(f.vm.closed.moreBefore)
        var seen = [f.vm.closed.selectedRow?.deal.title]
        for _ in 0..<229 {
            f.press(.char("k"))
            seen.append(f.vm.closed.selectedRow?.deal.title)
        }
        XCTAssertEqual(seen, (0..<230).map { "Deal \($0)" })
        XCTAssertFalse(f.vm.closed.moreBefore)
        f.press(.char("G"), .char("g"))
        XCTAssertEqual(f.vm.closed.selectedRow?.deal.title, "Deal 229", "g after G reads the first page again")
    }
}
