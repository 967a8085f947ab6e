import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// Two users move the same deal at the same moment on PostgreSQL, each on
/// a connection of its own: the second move waits for the first's row lock,
/// then finds the version changed and is refused with who and what, and
/// nothing of it is written.
final class PGConcurrentMoveTests: XCTestCase {
    /// Carries values between the test's thread and the second user's.
    private final class Outcome: @unchecked Sendable {
        var error: Error?
        var moved: Deal?
        var session: EngineSession?
    }

    func testTheSecondOfTwoSimultaneousMovesWaitsAndIsRefusedWithWhoAndWhat() throws {
        let fixture = try EngineFixture.postgres()
        let sara = try fixture.open("sara"), omid = try fixture.open("omid")
        let watcher = try PGConnection(try XCTUnwrap(fixture.conninfo))
        let p = try sara.pipelines.createPipeline("Sales", stages: ["Lead", "Demo", "Offer"].enumerated().map {
            Stage(pipelineID: 0, name: $0.element, position: $0.offset, probability: 10)
        })
        let stages = try sara.pipelines.stages(pipelineID: p.id)
        let deal = try sara.deals.create(Deal(pipelineID: p.id, stageID: stages[0].id, title: "Contested", value: .zero(.eur)))
        let omidsPid = try XCTUnwrap(omid.backendPID())
        let outcome = Outcome()
        outcome.session = omid
        let done = DispatchSemaphore(value: 0)
        try sara.transaction {
            _ = try sara.deals.move(deal.id, toStage: stages[1].id, expectedVersion: deal.version)
            // Omid moves the version he saw while Sara's move is not committed yet.
            Thread.detachNewThread {
                do { outcome.moved = try outcome.session!.deals.move(deal.id, toStage: stages[2].id, expectedVersion: deal.version) } catch {
                    outcome.error = error
                }
                done.signal()
            }
            // Polled with a timeout: Omid's session is waiting on Sara's row lock.
            let deadline = Date().addingTimeInterval(10)
            while try watcher.integer("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'", [omidsPid]) != 1 {
                guard Date() < deadline else { return XCTFail("Omid's move never waited for Sara's") }
                usleep(10_000)
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertNil(outcome.moved)
        guard case .stale(let edit)? = outcome.error as? RepositoryError else {
            return XCTFail("expected a stale refusal, got \(String(describing: outcome.error))")
        }
        XCTAssertEqual(edit.changedBy, "sara")
        XCTAssertEqual(edit.changedFields, ["stage"])
        XCTAssertEqual(edit.currentVersion, 2)
        XCTAssertEqual(try omid.deals.get(deal.id)?.stageID, stages[1].id, "Sara's move stands")
        XCTAssertEqual(try omid.deals.historyEntries(dealID: deal.id).map(\.toStageName), ["Lead", "Demo"], "Omid's wrote nothing")
        XCTAssertEqual(try omid.interactions.timeline(.deal(deal.id), before: nil, limit: 5).map(\.interaction.subject),
                       ["Contested: Lead → Demo"])
    }

    /// A move is a key on the board: the deal and both stages are read in
    /// one round trip, then the UPDATE, then the history, timeline and audit
    /// rows in one, then COMMIT (each round trip a wait for the server).
    func testAMoveIsFourRoundTripsAndWritesItsHistory() throws {
        let fixture = try EngineFixture.postgres()
        let sara = try fixture.open("sara")
        let db = try XCTUnwrap(sara.repositories as? PostgresDatabase)
        let p = try sara.pipelines.createPipeline("Sales", stages: ["Lead", "Demo"].enumerated().map {
            Stage(pipelineID: 0, name: $0.element, position: $0.offset, probability: 10)
        })
        let stages = try sara.pipelines.stages(pipelineID: p.id)
        let deal = try sara.deals.create(Deal(pipelineID: p.id, stageID: stages[0].id, title: "Quick", value: .zero(.eur)))
        let before = db.connection.statementCount
        let moved = try sara.deals.move(deal.id, toStage: stages[1].id, expectedVersion: deal.version)
        XCTAssertEqual(db.connection.statementCount - before, 4)
        XCTAssertEqual(moved.stageID, stages[1].id)
        XCTAssertEqual(try sara.deals.historyEntries(dealID: deal.id).map(\.toStageName), ["Lead", "Demo"])
        // A stale version is still refused, and the stage a deal is in still checked.
        XCTAssertThrowsError(try sara.deals.move(deal.id, toStage: stages[0].id, expectedVersion: deal.version))
    }
}
