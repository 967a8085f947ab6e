import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// A search's statements are planned with their words each time (sent
/// unprepared, still bound), so PostgreSQL never settles on a generic plan
/// that guesses how many documents a word finds: "call" (most contacts)
/// walks the name index, "zqx" (one) asks the GIN index, whichever came
/// first. Other statements stay prepared once per session.
final class PGPlannedWithValuesTests: XCTestCase {
    var db: PostgresDatabase!

    override func setUpWithError() throws {
        let server = try TestPostgresServer.require()
        db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "sara")
    }

    override func tearDown() {
        db = nil
    }

    /// The server's prepared statements whose text holds `fragment`.
    func prepared(_ fragment: String) throws -> Int {
        Int(try db.connection.integer("SELECT count(*) FROM pg_prepared_statements WHERE strpos(statement, ?) > 0", [fragment]) ?? 0)
    }

    func testAStatementPlannedWithItsValuesIsNeverPrepared() throws {
        let c = db.connection
        for i in 0..<7 {
            XCTAssertEqual(try c.integer(PGConnection.plannedWithValues + "SELECT ?::bigint + 1 AS planned_each_time", [Int64(i)]), Int64(i + 1))
            XCTAssertEqual(try c.integer("SELECT ?::bigint + 1 AS prepared_once", [Int64(i)]), Int64(i + 1))
        }
        XCTAssertEqual(try prepared("planned_each_time"), 0)
        XCTAssertEqual(try prepared("prepared_once"), 1)
    }

    func testSearchPagesAndCountsArePlannedWithTheirWordsAndFindTheSameRows() throws {
        let contacts = db.contactRepository
        for i in 0..<120 {
            _ = try contacts.create(Contact(name: String(format: "Person %03d", i), notes: i == 7 ? "zqx" : "call back"))
        }
        var sent: [String] = []
        db.connection.onStatement = { sql, _ in sent.append(sql) }
        defer { db.connection.onStatement = nil }
        // More than the five runs after which a prepared statement may keep a generic plan.
        for _ in 0..<7 {
            for (text, found) in [("call", 119), ("zqx", 1)] {
                let rows = try contacts.list(sort: .name, filter: ContactFilter(text: text), cursor: nil, direction: .forward, limit: 101)
                XCTAssertEqual(rows.count, min(found, 101), text)
                XCTAssertEqual(try contacts.count(filter: ContactFilter(text: text), upTo: 10_000), ListCount(found), text)
            }
        }
        let searching = sent.filter { $0.contains("tsquery") }
        XCTAssertFalse(searching.isEmpty)
        for sql in searching {
            XCTAssertTrue(sql.hasPrefix(PGConnection.plannedWithValues), sql)
        }
        XCTAssertEqual(try prepared("tsquery"), 0, "no search statement kept prepared")
    }
}
