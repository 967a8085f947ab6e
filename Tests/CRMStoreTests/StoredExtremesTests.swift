import CRMCore
import CRMRepositories
import CRMStore
import XCTest

/// What the store does with values no form accepts, written into the file
/// by another connection: reads never fail or trap because of them.
final class StoredExtremesTests: XCTestCase {
    private func board() throws -> (Database, TempFolder, Pipeline, [Stage]) {
        let (db, folder) = try makeDatabase(login: "alice")
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Won soon", position: 1, probability: 100),
        ])
        return (db, folder, pipeline, try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open })
    }

    /// `count` deals of `minor` units each, written in one statement by a
    /// colleague's connection.
    private func bulkDeals(_ path: String, pipeline: Pipeline, stage: Stage, count: Int, minor: Int64, currency: String = "EUR") throws {
        let other = try Database(path: path, login: "bob")
        try other.connection.run("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, stage_entered_at, position, created_at, updated_at)
            SELECT ?, ?, 'Bulk ' || i, ?, ?, 0, i, 0, 0 FROM n
            """, [count, pipeline.id, stage.id, minor, currency])
    }

    func testColumnTotalsAreExactUpToInt64AndOutOfRangeBeyondNeverAnError() throws {
        let (db, folder, pipeline, stages) = try board()
        _ = folder
        // 9,000 deals at the largest value: 8,999,999,999,999,991,000 minor
        // units, inside Int64, though value × 100 of the old weighting was not.
        try bulkDeals(db.path, pipeline: pipeline, stage: stages[0], count: 9_000, minor: Money.maxMinorUnits)
        // 9,300 in the next stage: more than Int64 can hold.
        try bulkDeals(db.path, pipeline: pipeline, stage: stages[1], count: 9_300, minor: Money.maxMinorUnits)
        try bulkDeals(db.path, pipeline: pipeline, stage: stages[1], count: 2, minor: 10_00, currency: "USD")
        // The same code in lower case, and one that is not a code at all.
        try bulkDeals(db.path, pipeline: pipeline, stage: stages[1], count: 1, minor: 5_00, currency: "eur")
        try bulkDeals(db.path, pipeline: pipeline, stage: stages[1], count: 1, minor: 7_00, currency: "")

        let all = try db.deals.stageTotals(pipelineID: pipeline.id, filter: DealFilter())
        let lead = try XCTUnwrap(all[stages[0].id]?.byCurrency.first)
        XCTAssertEqual(lead.count, 9_000)
        XCTAssertEqual(lead.sum?.minorUnits, 8_999_999_999_999_991_000)
        XCTAssertEqual(lead.weighted?.minorUnits, 899_999_999_999_999_100, "10 %, exact")

        for totals in [try XCTUnwrap(all[stages[1].id]), try db.deals.stageTotals(stageID: stages[1].id, filter: DealFilter())] {
            XCTAssertEqual(totals.count, 9_304)
            let eur = try XCTUnwrap(totals.byCurrency.first { $0.currency == .eur })
            XCTAssertEqual(eur.count, 9_300)
            XCTAssertNil(eur.sum, "beyond Int64: out of range, where SQLite's sum() failed the whole read")
            XCTAssertNil(eur.weighted)
            XCTAssertEqual(totals.byCurrency.first?.currency, .eur, "an out-of-range total comes first, where it is seen")
            let usd = try XCTUnwrap(totals.byCurrency.first { $0.currency == .usd })
            XCTAssertEqual(usd.sum?.minorUnits, 20_00)
            XCTAssertEqual(usd.weighted?.minorUnits, 20_00, "100 %")
            let lower = try XCTUnwrap(totals.byCurrency.first { $0.currency.code == "eur" })
            XCTAssertFalse(lower.currency.isKnown)
            XCTAssertEqual(lower.currency.displayCode, "eur?")
            XCTAssertEqual(lower.sum?.minorUnits, 5_00, "kept apart from EUR")
            let empty = try XCTUnwrap(totals.byCurrency.first { $0.currency.code == "" })
            XCTAssertEqual(empty.currency.displayCode, "?")
            XCTAssertEqual(empty.sum?.minorUnits, 7_00)
        }
    }

    func testValuesOutsideTheRangeOrNotWholeNumbersReadFlaggedAndMakeTheTotalOutOfRange() throws {
        let (db, folder, pipeline, stages) = try board()
        _ = folder
        let ok = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "Fine",
                                          value: Money(minorUnits: 100_00, currency: .eur)))
        var odd: [Int64] = []
        for _ in 0..<4 {
            odd.append(try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "Odd",
                                                value: Money(minorUnits: 1, currency: .eur))).id)
        }
        let raw = try Database(path: db.path, login: "bob").connection
        try raw.run("UPDATE deals SET value_minor = ? WHERE id = ?", [Int64.max, odd[0]])
        try raw.run("UPDATE deals SET value_minor = ? WHERE id = ?", [Int64.min, odd[1]])
        try raw.run("UPDATE deals SET value_minor = 1e300 WHERE id = ?", [odd[2]])
        try raw.run("UPDATE deals SET value_minor = 'plenty' WHERE id = ?", [odd[3]])

        XCTAssertEqual(try db.deals.get(odd[0])?.value.minorUnits, .max)
        XCTAssertEqual(try db.deals.get(odd[0])?.value.isInRange, false)
        XCTAssertEqual(try db.deals.get(odd[2])?.value.minorUnits, Money.unreadable, "a REAL is not rounded or clamped into an amount")
        XCTAssertEqual(try db.deals.get(odd[3])?.value.minorUnits, Money.unreadable, "nor is TEXT read as 0")
        XCTAssertEqual(try db.deals.get(ok.id)?.value.minorUnits, 100_00)

        let totals = try db.deals.stageTotals(stageID: stages[0].id, filter: DealFilter())
        XCTAssertEqual(totals.count, 5)
        XCTAssertNil(totals.byCurrency.first?.sum)
        // Each odd deal alone still makes the total out of range.
        for id in odd {
            try raw.run("UPDATE deals SET deleted_at = 1 WHERE id != ? AND id != ?", [id, ok.id])
            XCTAssertNil(try db.deals.stageTotals(stageID: stages[0].id, filter: DealFilter()).byCurrency.first?.sum, "deal \(id)")
            try raw.run("UPDATE deals SET deleted_at = NULL")
        }
        // Winning such a deal still works: closing checks only what it changes.
        let deal = try XCTUnwrap(db.deals.get(odd[0]))
        XCTAssertEqual(try db.deals.close(deal.id, as: .won, reason: "", expectedVersion: deal.version).status, .won)
        // Saving it through the repository again is refused with the range.
        var edited = try XCTUnwrap(db.deals.get(odd[1]))
        edited.title = "Renamed"
        XCTAssertThrowsError(try db.deals.update(edited)) { error in
            XCTAssertTrue("\(error)".contains("expected 0 to 9,999,999,999,999.99 EUR"), "\(error)")
        }
    }

    /// A date read back from a stored Int64.max is 2^63 seconds as a Double;
    /// writing it back (undoing a move gives back the days in stage) used to
    /// trap converting it to Int64.
    func testADateAtTheEndOfInt64IsWrittenBackWithoutATrap() throws {
        let (db, folder, pipeline, stages) = try board()
        _ = folder
        let deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "Far",
                                            value: Money(minorUnits: 1, currency: .eur)))
        let raw = try Database(path: db.path, login: "bob").connection
        for stored in [Int64.max, Int64.min] {
            try raw.run("UPDATE deals SET stage_entered_at = ? WHERE id = ?", [stored, deal.id])
            let before = try XCTUnwrap(db.deals.get(deal.id))
            let moved = try db.deals.move(deal.id, toStage: stages[1].id, expectedVersion: before.version)
            let back = try db.deals.moveBack(deal.id, toStage: stages[0].id, enteredAt: before.stageEnteredAt, expectedVersion: moved.version)
            XCTAssertEqual(try raw.scalar("SELECT stage_entered_at FROM deals WHERE id = ?", [deal.id]), stored)
            XCTAssertEqual(back.stageEnteredAt.wholeSecondsSince1970, stored)
        }
    }
}
