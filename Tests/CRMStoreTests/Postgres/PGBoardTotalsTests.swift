import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The board's column totals kept in `deal_board_totals` on PostgreSQL
/// (schema 60, statement triggers): the table is exactly the GROUP BY of the
/// live open deals after writes of one row and of many, after values no
/// form accepts, when two sessions write the same totals at once, and
/// after the step filled it from the deals a database already had. The
/// figures the board shows are BoardTotalsContract's (both engines).
final class PGBoardTotalsTests: XCTestCase {
    /// Carries values between the test's thread and the second user's.
    private final class Outcome: @unchecked Sendable {
        var error: Error?
        var session: EngineSession?
    }

    /// The kept rows and a recount of the deals, as text lines.
    private func assertTableIsTheRecount(_ c: PGConnection, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let kept = try c.rows("""
            SELECT pipeline_id, owner_id, stage_id, currency, deals, millions, units, out_of_range FROM deal_board_totals
            ORDER BY 1, 2, 3, currency COLLATE "C"
            """) { row in (0..<8).map { row.string($0) }.joined(separator: "|") }
        let counted = try c.rows("""
            SELECT pipeline_id, coalesce(owner_id, 0), stage_id, currency, count(*),
                   coalesce(sum(value_minor / 1000000) FILTER (WHERE value_minor BETWEEN 0 AND ?::bigint), 0),
                   coalesce(sum(value_minor % 1000000) FILTER (WHERE value_minor BETWEEN 0 AND ?::bigint), 0),
                   count(*) FILTER (WHERE value_minor NOT BETWEEN 0 AND ?::bigint)
            FROM deals WHERE status = 'open' AND deleted_at IS NULL
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, currency COLLATE "C"
            """, [Money.maxMinorUnits, Money.maxMinorUnits, Money.maxMinorUnits]) { row in (0..<8).map { row.string($0) }.joined(separator: "|") }
        XCTAssertEqual(kept, counted, what, file: file, line: line)
    }

    private func salesPipeline(_ s: EngineSession) throws -> (Pipeline, [Stage]) {
        let p = try s.pipelines.createPipeline("Sales", stages: ["Lead", "Demo", "Offer"].enumerated().map {
            Stage(pipelineID: 0, name: $0.element, position: $0.offset, probability: 10)
        })
        return (p, try s.pipelines.stages(pipelineID: p.id))
    }

    func testTheTableIsTheDealsGroupByAfterWritesOfOneRowAndOfMany() throws {
        let fixture = try EngineFixture.postgres()
        let sara = try fixture.open("sara"), omid = try fixture.open("omid")
        let c = try PGConnection(try XCTUnwrap(fixture.conninfo))
        let (p, stages) = try salesPipeline(sara)
        var deals: [Deal] = []
        for i in 0..<12 {
            deals.append(try sara.deals.create(Deal(pipelineID: p.id, stageID: stages[i % 3].id, title: "D\(i)",
                                                   value: Money(minorUnits: Int64(i) * 1_234_567, currency: i % 4 == 0 ? .usd : .eur),
                                                   ownerID: i % 2 == 0 ? sara.userID : omid.userID)))
        }
        try assertTableIsTheRecount(c, "after the creates")
        _ = try sara.deals.move(deals[0].id, toStage: stages[1].id, expectedVersion: deals[0].version)
        try assertTableIsTheRecount(c, "one deal moved")
        let deletion = try sara.pipelines.deleteStage(stages[1].id, movingDealsTo: stages[2].id)
        try assertTableIsTheRecount(c, "a stage's deals moved in one statement")
        _ = try sara.pipelines.restoreStage(deletion)
        try assertTableIsTheRecount(c, "and moved back")
        // Every open deal's owner at once (one statement, many totals),
        // to no owner (owner 0 in the table) and back.
        try c.run("UPDATE deals SET owner_id = NULL WHERE owner_id = ?", [omid.userID])
        try assertTableIsTheRecount(c, "an owner's deals to no owner")
        try c.run("UPDATE deals SET owner_id = ? WHERE owner_id IS NULL", [omid.userID])
        try assertTableIsTheRecount(c, "and back")
        // Values no form accepts, written by another program: counted out of range.
        try c.run("UPDATE deals SET value_minor = -5 WHERE id = ?", [deals[3].id])
        try assertTableIsTheRecount(c, "a negative value")
        try c.run("UPDATE deals SET value_minor = ? WHERE id = ?", [Money.maxMinorUnits + 1, deals[3].id])
        try assertTableIsTheRecount(c, "a value beyond the largest")
        try c.run("UPDATE deals SET value_minor = 999999, currency = 'eur' WHERE id = ?", [deals[3].id])
        try assertTableIsTheRecount(c, "back in range, a lower-case code (its own total)")
        // Two deals of one total (Demo, Omid's, EUR) changed in one statement so
        // that their value sums to the same while its parts do not: 999,999
        // and 1 become 1,000,000 and 0 (one more million, 10^6 fewer units).
        XCTAssertEqual([deals[1], deals[7]].map { "\($0.stageID) \($0.ownerID ?? 0) \($0.value.currency.code)" },
                       Array(repeating: "\(stages[1].id) \(omid.userID) EUR", count: 2))
        let change = "UPDATE deals SET value_minor = CASE WHEN id = ? THEN ?::bigint ELSE ?::bigint END WHERE id IN (?, ?)"
        try c.run(change, [deals[1].id, Int64(999_999), Int64(1), deals[1].id, deals[7].id])
        try assertTableIsTheRecount(c, "two values set in one statement")
        try c.run(change, [deals[1].id, Int64(1_000_000), Int64(0), deals[1].id, deals[7].id])
        try assertTableIsTheRecount(c, "two values changed in one statement, summing to the same")
        try c.run("UPDATE deals SET status = 'won' WHERE stage_id = ?", [stages[2].id])
        try assertTableIsTheRecount(c, "a column won at once")
        try c.run("UPDATE deals SET deleted_at = 1 WHERE stage_id = ?", [stages[0].id])
        try assertTableIsTheRecount(c, "a column in the trash")
        try c.run("UPDATE deals SET deleted_at = NULL, status = 'open'")
        try assertTableIsTheRecount(c, "all back")
        // Deleted for good (their rows that refer to them first).
        try c.run("DELETE FROM deal_stage_history")
        try c.run("DELETE FROM interactions WHERE deal_id IS NOT NULL")
        try c.run("DELETE FROM deals WHERE stage_id = ?", [stages[1].id])
        try assertTableIsTheRecount(c, "a column's deals deleted")
        XCTAssertEqual(try c.integer("SELECT count(*) FROM deal_board_totals WHERE stage_id = ?", [stages[1].id]), 0,
                       "a total with no deal left is gone")
    }

    /// Two users move deals the opposite ways between the same two columns,
    /// and one empties a column while the other fills it, each on its own
    /// connection: the second waits for the first's totals, and both count.
    func testTwoSessionsWritingTheSameTotalsAtOnceBothCount() throws {
        let fixture = try EngineFixture.postgres()
        let sara = try fixture.open("sara"), omid = try fixture.open("omid")
        let watcher = try PGConnection(try XCTUnwrap(fixture.conninfo))
        let (p, stages) = try salesPipeline(sara)
        let owner = sara.userID
        func deal(_ stage: Int, _ title: String, _ minor: Int64) throws -> Deal {
            try sara.deals.create(Deal(pipelineID: p.id, stageID: stages[stage].id, title: title,
                                       value: Money(minorUnits: minor, currency: .eur), ownerID: owner))
        }
        let a = try deal(0, "A", 100), b = try deal(1, "B", 20), last = try deal(2, "Last", 3)
        let omidsPid = try XCTUnwrap(omid.backendPID())

        func whileOmidWaits(_ saras: () throws -> Void, _ omids: @escaping @Sendable (EngineSession) throws -> Void) throws {
            let outcome = Outcome()
            outcome.session = omid
            let done = DispatchSemaphore(value: 0)
            try sara.transaction {
                try saras()
                Thread.detachNewThread {
                    do { try omids(outcome.session!) } catch { outcome.error = error }
                    done.signal()
                }
                // Polled with a timeout: Omid's session waits on a total Sara's move holds.
                let deadline = Date().addingTimeInterval(10)
                while try watcher.integer("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'", [omidsPid]) != 1 {
                    guard Date() < deadline else { return XCTFail("Omid's write never waited for Sara's") }
                    usleep(10_000)
                }
            }
            XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
            XCTAssertNil(outcome.error)
        }
        let (aID, aVersion, bID, bVersion) = (a.id, a.version, b.id, b.version)
        let (lead, demo) = (stages[0].id, stages[1].id)
        try whileOmidWaits({ _ = try sara.deals.move(aID, toStage: demo, expectedVersion: aVersion) },
                           { _ = try $0.deals.move(bID, toStage: lead, expectedVersion: bVersion) })
        func column(_ i: Int) throws -> String {
            let t = try omid.deals.stageTotals(stageID: stages[i].id, filter: DealFilter())
            return t.byCurrency.map { "\($0.count) \($0.sum?.minorUnits ?? -1)" }.joined()
        }
        XCTAssertEqual(try column(0), "1 20")
        XCTAssertEqual(try column(1), "1 100")
        try assertTableIsTheRecount(watcher, "after the crossing moves")

        // Sara takes the last deal out of Offer (its total goes) while Omid moves one in.
        let (lastID, lastVersion, offer) = (last.id, last.version, stages[2].id)
        let moved = try XCTUnwrap(omid.deals.get(aID))
        let (movedVersion) = moved.version
        try whileOmidWaits({ _ = try sara.deals.move(lastID, toStage: lead, expectedVersion: lastVersion) },
                           { _ = try $0.deals.move(aID, toStage: offer, expectedVersion: movedVersion) })
        XCTAssertEqual(try column(0), "2 23")
        XCTAssertEqual(try column(1), "")
        XCTAssertEqual(try column(2), "1 100")
        try assertTableIsTheRecount(watcher, "after a total emptied and filled at once")
    }

    /// The step sums the deals a database already had.
    func testTheStepFillsTheTotalsOfTheDealsBefore() throws {
        let fixture = try EngineFixture.postgres()
        let sara = try fixture.open("sara")
        let (p, stages) = try salesPipeline(sara)
        for i in 0..<6 {
            _ = try sara.deals.create(Deal(pipelineID: p.id, stageID: stages[i % 3].id, title: "D\(i)",
                                           value: Money(minorUnits: Int64(i) * 1_000_001, currency: .eur)))
        }
        let info = try XCTUnwrap(fixture.conninfo)
        let c = try PGConnection(info)
        // Back to step 57: the table and its triggers gone, with deals written since.
        _ = try c.script("""
            DROP TRIGGER deal_board_totals_insert ON deals;
            DROP TRIGGER deal_board_totals_update ON deals;
            DROP TRIGGER deal_board_totals_delete ON deals;
            DROP FUNCTION crm_deal_board_totals_change();
            DROP FUNCTION crm_deal_board_totals_recount();
            DROP TABLE deal_board_totals;
            DELETE FROM crm_schema WHERE version >= 60;
            """)
        try c.run("UPDATE deals SET stage_id = ? WHERE title = 'D0'", [stages[2].id])
        _ = try PostgresDatabase(conninfo: info, login: "sara")
        XCTAssertEqual(try c.integer("SELECT max(version) FROM crm_schema"), Int64(PostgresDatabase.supportedSchemaVersion))
        try assertTableIsTheRecount(c, "after the upgrade")
        XCTAssertEqual(try c.integer("SELECT count(*) FROM deal_board_totals"), 3)
    }

    /// The board's totals read a few kept rows: no deal is read for them.
    func testTheBoardReadsTheKeptTotalsNotTheDeals() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester", liveRefresh: .poll)
        let deals = PGDealRepository(db: db)
        let p = try PGPipelineRepository(db: db).createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(PGPipelineRepository(db: db).stages(pipelineID: p.id).first)
        _ = try deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: "One", value: Money(minorUnits: 5, currency: .eur)))
        for (name, body) in [
            ("everyone's", { _ = try deals.stageTotals(pipelineID: p.id, filter: DealFilter()) }),
            ("one owner's", { _ = try deals.stageTotals(pipelineID: p.id, filter: DealFilter(ownerID: db.currentUser.id)) }),
            ("one stage", { _ = try deals.stageTotals(stageID: stage.id, filter: DealFilter()) }),
            ("one stage, one owner", { _ = try deals.stageTotals(stageID: stage.id, filter: DealFilter(ownerID: db.currentUser.id)) }),
        ] as [(String, () throws -> Void)] {
            var sql: [String] = []
            db.connection.onStatement = { text, _ in sql.append(text) }
            try body()
            db.connection.onStatement = nil
            XCTAssertTrue(sql.contains { $0.contains("FROM deal_board_totals") }, "\(name): \(sql)")
            XCTAssertFalse(sql.contains { $0.contains("FROM deals") }, "\(name): the deals were read\n\(sql)")
        }
    }
}
