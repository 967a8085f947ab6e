import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// How the Customers page runs on PostgreSQL: its statements without the
/// server's JIT compiler, and its ranking sections (value list, tiers,
/// lifetime sums, RFM segments) from one statement per page, worked out
/// again after any commit and never reused inside a transaction. The
/// figures themselves are CustomerReportContract's, on both engines.
final class PGCustomerPageTests: XCTestCase {
    private func open() throws -> (PostgresDatabase, CustomerReportContract, PGCustomerReportRepository) {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        let report = PGCustomerReportRepository(db: db)
        let contract = CustomerReportContract(run: { try db.connection.run($0) }, report: report, people: PGPeopleReport(db: db))
        try contract.fixture()
        return (db, contract, report)
    }

    func testStatementsRunWithoutJIT() throws {
        let (db, _, report) = try open()
        let c = db.connection
        _ = try c.execute("SET jit = on")
        XCTAssertEqual(try report.withoutJIT { try c.scalar("SHOW jit") }, "off")
        XCTAssertEqual(try c.scalar("SHOW jit"), "on", "the setting outlived the report's statement")
    }

    /// Schema 42: the tiers' recompute at COMMIT runs without JIT, by its
    /// function's own setting (the session's stays as it was).
    func testTierRecomputeAtCommitRunsWithoutJIT() throws {
        let (db, _, _) = try open()
        let c = db.connection
        XCTAssertEqual(try c.scalar("SELECT 'jit=off' = ANY(proconfig) FROM pg_proc WHERE proname = 'crm_value_tiers_recompute'"), "t")
        _ = try c.execute("SET jit = on")
        try c.run("UPDATE deals SET value_minor = value_minor + 1 WHERE title = 'Ada big'")
        XCTAssertEqual(try c.integer("SELECT stale FROM value_tier_state"), 0, "recomputed at the commit")
        XCTAssertEqual(try c.scalar("SHOW jit"), "on")
    }

    func testOnePageStatementServesEverySection() throws {
        let (db, contract, report) = try open()
        let c = db.connection
        var statements: [String] = []
        c.onStatement = { sql, _ in statements.append(sql) }
        defer { c.onStatement = nil }
        let p = CustomerReportContract.period
        // The page is kept while the cluster's snapshot stays the same; any
        // transaction of the server (autovacuum's ANALYZE of another test's
        // database) changes it, and the page is worked out again, rightly.
        // So the four sections are asked until they ran within one snapshot
        // (a condition polled, at most 20 tries), and then shared one statement.
        var top: [CustomerValueRow] = [], tiers: [TierSummaryRow] = [], segments: [SegmentSummaryRow] = [], lifetime: [LifetimeValueInputs] = []
        var ranked = 0
        for _ in 0..<20 {
            report.forgetFigures()
            statements = []
            let before = try c.scalar("SELECT pg_current_snapshot()::text")
            top = try report.topCustomers(p, policy: ValueTierPolicy(), limit: 20)
            tiers = try report.tiers(p, policy: ValueTierPolicy())
            segments = try report.segments(p, policy: ValueTierPolicy())
            lifetime = try report.lifetimeValue(p, policy: ValueTierPolicy())
            ranked = statements.filter { $0.contains("ranked") }.count
            if try c.scalar("SELECT pg_current_snapshot()::text") == before { break }
        }
        XCTAssertEqual(ranked, 1, statements.joined(separator: "\n---\n"))
        // The same figures as each section worked out alone.
        let alone = PGCustomerReportRepository(db: db)
        XCTAssertEqual(try alone.tiers(p, policy: ValueTierPolicy()), tiers)
        XCTAssertEqual(try alone.lifetimeValue(p, policy: ValueTierPolicy()), lifetime)
        XCTAssertEqual(top.count, 6)
        XCTAssertEqual(segments.map(\.customers), [1, 1, 1, 2, 1])
        // Inside a transaction its own write is seen, and the page it saw is
        // not kept for after it.
        do {
            try c.transaction {
                try contract.run("UPDATE deals SET deleted_at = \(CustomerReportContract.day(189)) WHERE title = 'Ada big'")
                XCTAssertEqual(try report.lifetimeValue(p, policy: ValueTierPolicy()).map(\.totalValue.money.minorUnits), [4000_00, 600_00])
                throw Rollback()
            }
        } catch is Rollback {}
        XCTAssertEqual(try report.lifetimeValue(p, policy: ValueTierPolicy()).map(\.totalValue.money.minorUnits), [10000_00, 600_00])
    }

    /// A page's statement reads interactions through their indexes, never
    /// all of them (printed, and asserted on a book big enough for the
    /// planner to tell: 1,000 contacts, 10,000 interactions, ANALYZE).
    func testPageStatementReadsInteractionsThroughIndexes() throws {
        let (db, _, report) = try open()
        let c = db.connection
        _ = try c.script("""
            INSERT INTO contacts(id, name, lifecycle, owner_id, created_at, updated_at)
                SELECT 100 + g, 'C' || g, (ARRAY['lead','customer'])[1 + g % 2], 1, 0, 0 FROM generate_series(1, 1000) g;
            INSERT INTO interactions(id, contact_id, kind, occurred_at, created_at, author_id)
                SELECT 100 + g, 101 + g % 1000, 'call', \(CustomerReportContract.day(0)) + g * 1800, 0, 1 FROM generate_series(1, 10000) g;
            ANALYZE;
            """)
        let p = CustomerReportContract.period
        let sql = "WITH \(try report.scoreCTEs(p, ValueTierPolicy())),\n\(PGCustomerPageSQL.page)"
        let plan = try c.query("EXPLAIN " + sql, report.values(p, ValueTierPolicy()) + [20]).rows.map { $0.string(0) }
            .joined(separator: "\n")
        print("plan of the Customers page:\n\(plan)")
        XCTAssertFalse(plan.contains("Seq Scan on interactions"), plan)
    }
}

private struct Rollback: Error {}
