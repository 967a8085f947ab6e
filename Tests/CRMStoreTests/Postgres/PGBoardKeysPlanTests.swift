import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The board's keys on PostgreSQL (schema 45), on 10,000 deals in five
/// stages (generate_series, then VACUUM ANALYZE): where a moved deal goes (`L`) is
/// one step into deals_by_stage_position, never a sequential scan of deals;
/// the lost reasons of `x` are read through deals_lost_reasons; one owner's
/// cards of a column through deals_board_owner_cards (schema 52). The
/// plans are printed; times are never asserted.
final class PGBoardKeysPlanTests: XCTestCase {
    func testBoardKeysReadTheirIndexes() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester", liveRefresh: .poll)
        let c = db.connection
        let t0: Int64 = 1_704_067_200
        _ = try c.script("""
            INSERT INTO pipelines(id, name, created_at) VALUES (100, 'Deals', 0);
            INSERT INTO stages(id, pipeline_id, name, position, probability)
                SELECT 100 + g, 100, 'S' || g, g, 10 * g FROM generate_series(1, 5) g;
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, status, lost_reason, position,
                              created_at, updated_at, stage_entered_at, closed_at)
                SELECT 100, 101 + g % 5, 'D' || g, 100, 'EUR', CASE WHEN g % 3 = 0 THEN 'lost' ELSE 'open' END,
                       CASE WHEN g % 3 = 0 THEN 'Reason ' || (g % 7) ELSE '' END, g,
                       \(t0), \(t0), \(t0), CASE WHEN g % 3 = 0 THEN \(t0) + g END
                FROM generate_series(1, 10000) g;
            """)
        // VACUUM sets the visibility map, as autovacuum has on a live
        // database: without it no scan is index-only.
        _ = try c.script("VACUUM ANALYZE deals")
        func plan(_ sql: String, _ values: [any PGBindable]) throws -> String {
            try c.query("EXPLAIN " + PGConnection.numbered(sql), values).rows.map { $0.string(0) }.joined(separator: "\n")
        }
        let position = try plan(PGDealRepository.bottomPositionSQL, [Int64(102)])
        print("plan of a stage's last position:\n\(position)")
        XCTAssertTrue(position.contains("deals_by_stage_position"), position)
        XCTAssertFalse(position.contains("Seq Scan on deals"), position)

        let reasons = try plan(PGDealRepository.lostReasonsSQL, [12])
        print("plan of the lost reasons:\n\(reasons)")
        XCTAssertTrue(reasons.contains("deals_lost_reasons"), reasons)
        XCTAssertFalse(reasons.contains("Seq Scan on deals"), reasons)

        // One owner's cards of a column (`o`, `m`; schema 52): one range of
        // deals_board_owner_cards, not every card of the stage checked for its owner.
        let ownerCards = try plan("\(PGDealRepository.cardSQL) WHERE d.stage_id = ? AND d.deleted_at IS NULL AND d.status = 'open' "
                                  + "AND d.owner_id = ? ORDER BY d.position, d.id LIMIT ?", [Int64(102), Int64(1), 50])
        print("plan of one owner's cards:\n\(ownerCards)")
        XCTAssertTrue(ownerCards.contains("deals_board_owner_cards"), ownerCards)
        XCTAssertFalse(ownerCards.contains("Seq Scan on deals"), ownerCards)

        // The same answers as a read of the table.
        let deals = PGDealRepository(db: db)
        XCTAssertEqual(try deals.bottomPosition(inStage: 102), 9997)
        let found = try deals.lostReasons(limit: 12)
        XCTAssertEqual(found.count, 7)
        XCTAssertEqual(Set(found), Set((0..<7).map { "Reason \($0)" }))
    }
}
