import CRMCore
import CRMDemo
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The Customers page's R and F scores are read from the first keys of
/// quintiles 2–5 in the temporary score table's indexes (QuintileBounds)
/// instead of numbered by `ntile(5)` over every customer: here the two are
/// compared row by row on real SQLite tables, for every size from 0 to 23
/// rows (fewer rows than quintiles, each remainder of 5) with many ties, and
/// the bounds are read from the index without a sort.
final class CustomerQuintileBoundsTests: XCTestCase {
    func testStartsAreWhereNtileBeginsEachQuintile() {
        XCTAssertEqual(QuintileBounds.starts(count: 0), [])
        XCTAssertEqual(QuintileBounds.starts(count: 3), [1, 2])
        XCTAssertEqual(QuintileBounds.starts(count: 5), [1, 2, 3, 4])
        // 12 rows: 3, 3, 2, 2, 2.
        XCTAssertEqual(QuintileBounds.starts(count: 12), [3, 6, 8, 10])
        // 35,140 customers (the bench): 7,028 each.
        XCTAssertEqual(QuintileBounds.starts(count: 35_140), [7_028, 14_056, 21_084, 28_112])
    }

    func testScoresEqualNtileForEverySize() throws {
        let (db, folder) = try makeDatabase()
        let c = db.connection
        try c.execute("""
            CREATE TEMP TABLE customer_report_scored(contact_id INTEGER PRIMARY KEY, owner_id INTEGER,
                last_touch INTEGER, frequency INTEGER, m);
            CREATE TEMP TABLE customer_report_rfm(contact_id INTEGER PRIMARY KEY, owner_id INTEGER, r, f, m);
            CREATE INDEX temp.customer_report_scored_r ON customer_report_scored(last_touch, contact_id);
            CREATE INDEX temp.customer_report_scored_f ON customer_report_scored(frequency, contact_id);
            """)
        var random = DemoRandom(seed: 7)
        for size in 0 ... 23 {
            try c.execute("DELETE FROM temp.customer_report_scored; DELETE FROM temp.customer_report_rfm;")
            for id in 1 ... max(1, size) where size > 0 {
                // Few distinct keys: ties decided by id, as the windows do.
                try c.run("INSERT INTO temp.customer_report_scored(contact_id, owner_id, last_touch, frequency, m) VALUES (?, 1, ?, ?, 3)",
                          [Int64(id * 7 % 101), Int64(random.int(0 ..< 4)) * 86_400, Int64(random.int(0 ..< 3))])
            }
            let count = try XCTUnwrap(c.scalar("SELECT count(*) FROM temp.customer_report_scored"))
            XCTAssertEqual(count, Int64(size))
            let bounds = try QuintileBounds.read(c, index: "customer_report_scored_r", key: "last_touch", count: count)
                + QuintileBounds.read(c, index: "customer_report_scored_f", key: "frequency", count: count)
            try c.run(SQLiteCustomerReportRepository.scoreSQL, bounds)
            let scored = try c.rows("SELECT contact_id, r, f FROM temp.customer_report_rfm ORDER BY contact_id") {
                "\($0.int64(0)):\($0.int(1))\($0.int(2))"
            }
            let windows = try c.rows("""
                SELECT contact_id, ntile(5) OVER (ORDER BY last_touch, contact_id), ntile(5) OVER (ORDER BY frequency, contact_id)
                FROM temp.customer_report_scored ORDER BY contact_id
                """) { "\($0.int64(0)):\($0.int(1))\($0.int(2))" }
            XCTAssertEqual(scored, windows, "\(size) rows")
        }
        // A bound is one walk of the index to its position: no sort.
        let plan = try c.rows("""
            EXPLAIN QUERY PLAN SELECT last_touch, contact_id FROM temp.customer_report_scored INDEXED BY customer_report_scored_r
            ORDER BY last_touch, contact_id LIMIT 1 OFFSET ?
            """, [Int64(3)]) { $0.string(3) }
        XCTAssertTrue(plan.contains { $0.contains("COVERING INDEX customer_report_scored_r") }, plan.joined(separator: "\n"))
        XCTAssertFalse(plan.contains { $0.contains("TEMP B-TREE") }, plan.joined(separator: "\n"))
        _ = folder
    }
}
