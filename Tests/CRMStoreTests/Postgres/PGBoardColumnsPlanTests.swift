import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The board's visible columns read together (`cards(columns:)`) on 10,000
/// open deals in five stages (generate_series, then ANALYZE): each column's
/// page is a keyset read of `deals_by_stage` from its own cursor, never a
/// read of every deal. The plan is printed; times are never asserted.
final class PGBoardColumnsPlanTests: XCTestCase {
    func testEachColumnIsAKeysetReadOfItsIndex() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester", liveRefresh: .poll)
        let c = db.connection
        let t0: Int64 = 1_704_067_200
        _ = try c.script("""
            INSERT INTO pipelines(id, name, created_at) VALUES (100, 'Deals', 0);
            INSERT INTO stages(id, pipeline_id, name, position, probability)
                SELECT 100 + g, 100, 'S' || g, g, 10 * g FROM generate_series(1, 5) g;
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, status, position, created_at, updated_at, stage_entered_at)
                SELECT 100, 101 + g % 5, 'D' || g, 100, 'EUR', 'open', g, \(t0), \(t0), \(t0) FROM generate_series(1, 10000) g;
            ANALYZE;
            """)
        let deals = PGDealRepository(db: db)
        let top = try deals.cards(stageID: 102, filter: DealFilter(), after: nil, limit: 3)
        let columns: [(stageID: Int64, after: DealCursor?)] = [(101, nil), (102, top.last?.cursor), (103, nil)]
        let pages = try deals.cards(columns: columns, filter: DealFilter(), limit: 9)
        XCTAssertEqual(pages.mapValues(\.count), [101: 9, 102: 9, 103: 9])
        XCTAssertEqual(pages[102]?.first?.deal.position, try deals.cards(stageID: 102, filter: DealFilter(), after: top.last?.cursor, limit: 1).first?.deal.position)
        let statement = PGDealRepository.columnsStatement(columns, filter: DealFilter(), limit: 9)
        let plan = try c.query("EXPLAIN " + PGConnection.numbered(statement.sql), statement.values).rows.map { $0.string(0) }.joined(separator: "\n")
        print("plan of the board's columns:\n\(plan)")
        XCTAssertTrue(plan.contains("deals_by_stage"), "each column through deals_by_stage:\n\(plan)")
        XCTAssertFalse(plan.contains("Seq Scan on deals"), "the columns read every deal:\n\(plan)")
    }
}
