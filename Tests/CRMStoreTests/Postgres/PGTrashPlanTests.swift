import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The trash list and count on 10,000 contacts, deals, interactions and
/// follow-ups of which a hundred each are in the trash (made by
/// generate_series, then ANALYZE): each kind's entries are read through its
/// `*_in_trash` index, never by reading the live rows. Plans are printed;
/// times are never asserted.
final class PGTrashPlanTests: XCTestCase {
    func testTheTrashIsReadThroughItsIndexes() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester", liveRefresh: .poll)
        let c = db.connection
        let t0: Int64 = 1_704_067_200
        _ = try c.script("""
            INSERT INTO pipelines(id, name, created_at) VALUES (100, 'Deals', 0);
            INSERT INTO stages(id, pipeline_id, name, position, probability) VALUES (101, 100, 'Lead', 0, 10);
            INSERT INTO companies(id, name, created_at, updated_at, deleted_at, deleted_by)
                SELECT g, 'Co' || g, \(t0), \(t0), CASE WHEN g % 100 = 0 THEN \(t0) + g END, CASE WHEN g % 100 = 0 THEN 1 END
                FROM generate_series(1, 1000) g;
            INSERT INTO contacts(id, name, created_at, updated_at, deleted_at, deleted_by)
                SELECT g, 'C' || g, \(t0), \(t0), CASE WHEN g % 100 = 0 THEN \(t0) + g END, CASE WHEN g % 100 = 0 THEN 1 END
                FROM generate_series(1, 10000) g;
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, contact_id, status, created_at, updated_at,
                              stage_entered_at, deleted_at)
                SELECT 100, 101, 'D' || g, 100, 'EUR', 1 + g % 10000, 'open', \(t0), \(t0), \(t0), CASE WHEN g % 100 = 1 THEN \(t0) + g END
                FROM generate_series(1, 10000) g;
            INSERT INTO interactions(contact_id, kind, occurred_at, created_at, deleted_at)
                SELECT 1 + g % 10000, 'call', \(t0), \(t0), CASE WHEN g % 100 = 2 THEN \(t0) + g END FROM generate_series(1, 10000) g;
            INSERT INTO follow_ups(title, due_at, status, created_at, updated_at, deleted_at)
                SELECT 'F' || g, \(t0), 'open', \(t0), \(t0), CASE WHEN g % 100 = 3 THEN \(t0) + g END FROM generate_series(1, 10000) g;
            ANALYZE;
            """)
        let trash = PGTrashRepository(db: db)
        let page = try trash.entries(kind: nil, after: nil, limit: 50)
        XCTAssertEqual(page.count, 50)
        let next = try trash.entries(kind: nil, after: try XCTUnwrap(page.last).cursor, limit: 50)
        XCTAssertEqual(next.first.map { $0.deletedAt <= page.last!.deletedAt }, true)
        XCTAssertEqual(try trash.count(kind: nil), 10 + 100 * 4)
        let cursor = try XCTUnwrap(page.last).cursor
        let queries: [(String, String, [any PGBindable])] = [
            ("page", "SELECT kind, id FROM (" + PGTrashRepository.listings(nil) + ") AS trash"
                + " WHERE (deleted_at, rank, id) < (?::bigint, ?::integer, ?::bigint) ORDER BY deleted_at DESC, rank DESC, id DESC LIMIT 50",
             [cursor.deletedAt, cursor.kind.rank, cursor.id]),
            ("count", "SELECT count(*) FROM (" + PGTrashRepository.listings(nil) + ") AS trash", []),
        ]
        for (name, sql, values) in queries {
            let plan = try c.query("EXPLAIN " + PGConnection.numbered(sql), values).rows.map { $0.string(0) }.joined(separator: "\n")
            print("plan of the trash \(name):\n\(plan)")
            for table in ["contacts x", "deals x", "interactions x", "follow_ups x"] {
                XCTAssertFalse(plan.contains("Seq Scan on \(table)"), "the trash \(name) reads every row of \(table):\n\(plan)")
            }
        }
    }
}
