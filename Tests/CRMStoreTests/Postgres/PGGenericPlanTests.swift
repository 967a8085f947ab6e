import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// Pages whose best plan does not depend on their values (a board column,
/// a contact's timeline, a page of Today's follow-ups)
/// have their LIMIT in the text (`PGConnection.limit`; bound in a statement
/// with no other value, which is then still prepared): after five runs
/// PostgreSQL keeps one generic plan and stops planning them on every run.
/// With the LIMIT bound it never did: it costs the generic plan as if it
/// read a tenth of the rows. Read from the server's own counts
/// (`pg_prepared_statements`), on 10,000 deals in five stages, a contact
/// with 2,000 interactions and 5,000 follow-ups (generate_series, ANALYZE).
/// A search's page keeps its limit bound (planned with its words).
final class PGGenericPlanTests: XCTestCase {
    func testPagesKeepOneGenericPlanAfterFiveRuns() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester", liveRefresh: .poll)
        let c = db.connection
        let t0: Int64 = 1_704_067_200
        _ = try c.script("""
            INSERT INTO pipelines(id, name, created_at) VALUES (100, 'Deals', 0);
            INSERT INTO stages(id, pipeline_id, name, position, probability)
                SELECT 100 + g, 100, 'S' || g, g, 10 * g FROM generate_series(1, 5) g;
            INSERT INTO contacts(id, name, created_at, updated_at) SELECT g, 'C' || g, \(t0), \(t0) FROM generate_series(1, 2000) g;
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, status, position, created_at, updated_at, stage_entered_at, contact_id)
                SELECT 100, 101 + g % 5, 'D' || g, 100, 'EUR', 'open', g, \(t0), \(t0), \(t0), 1 + g % 2000 FROM generate_series(1, 10000) g;
            INSERT INTO interactions(contact_id, kind, occurred_at, created_at)
                SELECT 1 + g % 2, 'note', \(t0) + g, \(t0) FROM generate_series(1, 4000) g;
            INSERT INTO follow_ups(title, contact_id, due_at, created_at, updated_at)
                SELECT 'F' || g, 1 + g % 2000, \(t0) + g * 60, \(t0), \(t0) FROM generate_series(1, 5000) g;
            ANALYZE;
            """)
        let deals = PGDealRepository(db: db)
        let now = Date(timeIntervalSince1970: Double(t0 + 86_400 * 30))
        for _ in 0..<7 {
            XCTAssertEqual(try deals.cards(stageID: 102, filter: DealFilter(), after: nil, limit: 9).count, 9)
            XCTAssertEqual(try db.interactionRepository.timeline(.contact(1), before: nil, limit: 50).count, 50)
            XCTAssertEqual(try db.followUpRepository.due(from: nil, to: now, assigneeID: nil, limit: 40).count, 40)
        }
        // Only "cards", "timeline" and so on in the comments of this test:
        // the statements are found by what they read.
        let plans = try c.query("""
            SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements
            WHERE statement LIKE '%FROM deals d%d.stage_id = $1%' OR statement LIKE '%FROM interactions i%i.contact_id = $1%'
               OR statement LIKE '%FROM follow_ups f%f.due_at < $1%'
            """).rows
        XCTAssertEqual(plans.count, 3, plans.map { $0.string(0) }.joined(separator: "\n\n"))
        for plan in plans {
            print("generic \(plan.int64(1)), custom \(plan.int64(2)): \(plan.string(0).prefix(80))…")
            XCTAssertGreaterThan(plan.int64(1), 0, "planned on every run:\n\(plan.string(0))")
            XCTAssertLessThanOrEqual(plan.int64(2), 5, plan.string(0))
        }
    }
}
