import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// `PGConnection.pipeline`: several reads in one round trip, each with its
/// own bound parameters and its own rows; a failing statement throws its
/// error and leaves the connection usable, in a transaction or not.
final class PGPipelineTests: XCTestCase {
    private func connect() throws -> PGConnection {
        let server = try TestPostgresServer.require()
        let db = try PGConnection(server.conninfo(database: try server.makeDatabase()))
        try db.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text)")
        try db.execute("INSERT INTO t VALUES (1, 'eins'), (2, 'zwei'), (3, $1)", ["drei'); --"])
        return db
    }

    func testEachStatementGetsItsOwnRowsInOneRoundTrip() throws {
        let db = try connect()
        let before = db.statementCount
        let results = try db.pipeline([
            .init("SELECT name FROM t WHERE id = $1::bigint", [Int64(3)]),
            .numbered("SELECT id FROM t WHERE id > ? ORDER BY id", [Int64(1)]),
            .init("SELECT count(*) FROM t WHERE name = $1", ["nobody"]),
        ])
        XCTAssertEqual(db.statementCount, before + 1, "one round trip")
        XCTAssertEqual(results.count, 3)
        XCTAssertEqual(results[0].first?.string(0), "drei'); --", "bound, never spliced")
        XCTAssertEqual(results[1].map { $0.int64(0) }, [2, 3])
        XCTAssertEqual(results[2].first?.int64(0), 0)
    }

    func testAFailingStatementThrowsAndTheConnectionGoesOn() throws {
        let db = try connect()
        XCTAssertThrowsError(try db.pipeline([
            .init("SELECT 1"),
            .init("SELECT * FROM no_such_table"),
            .init("SELECT 2"),
        ])) { error in
            XCTAssertEqual(db.lastError?.sqlState, "42P01", "\(error)")
        }
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").first?.int64(0), 3, "usable after the failure")
        // Inside a transaction: the failure aborts it like any failed
        // statement, and the transaction is rolled back, not left open.
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO t VALUES (4, 'vier')")
            _ = try db.pipeline([.init("SELECT 1"), .init("SELECT 1/0")])
        })
        XCTAssertFalse(db.inTransaction)
        XCTAssertEqual(try db.query("SELECT count(*) FROM t").first?.int64(0), 3, "the failed transaction left nothing")
        let inside = try db.transaction {
            try db.pipeline([.init("SELECT name FROM t WHERE id = 1"), .init("SELECT name FROM t WHERE id = 2")]).map { $0.first?.string(0) }
        }
        XCTAssertEqual(inside, ["eins", "zwei"])
    }

    /// BEGIN, SAVEPOINT and RELEASE ride with the next statement, and a
    /// write's commit is one round trip: a transaction costs its own
    /// statements and its COMMIT, whatever its nesting; one that sent
    /// nothing costs nothing; a savepoint rolled back still undoes only its part.
    func testATransactionCostsItsStatementsAndOneCommit() throws {
        let db = try connect()
        var before = db.statementCount
        try db.transaction { try db.transaction { try db.transaction {} } }
        XCTAssertEqual(db.statementCount, before, "nothing sent: no BEGIN, no COMMIT")

        before = db.statementCount
        let names = try db.transaction { try db.query("SELECT name FROM t WHERE id = $1::bigint", [Int64(1)]).first?.string(0) }
        XCTAssertEqual(names, "eins")
        XCTAssertEqual(db.statementCount, before + 2, "a read: BEGIN with it, then COMMIT")

        before = db.statementCount
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (10, 'zehn')")
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (11, 'elf')")
                try db.transaction { try db.execute("UPDATE t SET name = 'ELF' WHERE id = 11") }
            }
            struct Abandon: Error {}
            _ = try? db.transaction {
                try db.execute("INSERT INTO t VALUES (12, 'zwölf')")
                throw Abandon()
            }
            _ = try? db.transaction { try db.execute("INSERT INTO t VALUES (10, 'twice')") }
            try db.execute("INSERT INTO t VALUES (13, 'dreizehn')")
        }
        XCTAssertFalse(db.inTransaction)
        XCTAssertEqual(try db.query("SELECT id, name FROM t WHERE id >= 10 ORDER BY id").map { "\($0.int64(0)) \($0.string(1))" },
                       ["10 zehn", "11 ELF", "13 dreizehn"], "each savepoint rolled back undid only its part")
        // 6 statements, 2 rollbacks of a savepoint, 1 commit; the savepoints
        // and releases rode along.
        XCTAssertEqual(db.statementCount, before + 6 + 2 + 1 + 1, "and the read above")
    }

    /// Statements with parameters are prepared once per session (in the
    /// round trip of their first execution) and executed by name after;
    /// `preparesStatements = false` (CRM_PG_PREPARE=off) sends them whole.
    /// The same rows either way, and a prepared statement the server lost
    /// (DEALLOCATE, a pooler) is prepared again.
    func testStatementsArePreparedOnceUnlessTurnedOff() throws {
        let db = try connect()
        let prepared = "SELECT count(*) FROM pg_prepared_statements"
        for turnedOn in [true, false] {
            db.preparesStatements = turnedOn
            _ = try db.script("DEALLOCATE ALL")
            db.preparedNames.removeAll()
            let before = db.statementCount
            for _ in 0..<3 {
                XCTAssertEqual(try db.query("SELECT name FROM t WHERE id = $1::bigint", [Int64(2)]).first?.string(0), "zwei")
                XCTAssertEqual(try db.pipeline([.init("SELECT id FROM t WHERE name = $1", ["eins"]),
                                                .init("SELECT count(*) FROM t WHERE id > $1::bigint", [Int64(0)])])
                                .map { $0.first?.int64(0) }, [1, 3])
            }
            XCTAssertEqual(db.statementCount, before + 6, "preparing costs no round trip of its own")
            XCTAssertEqual(try db.query(prepared).first?.int64(0), turnedOn ? 3 : 0)
        }
        db.preparesStatements = true
        XCTAssertEqual(try db.query("SELECT name FROM t WHERE id = $1::bigint", [Int64(1)]).first?.string(0), "eins")
        _ = try db.script("DEALLOCATE ALL")
        XCTAssertEqual(try db.query("SELECT name FROM t WHERE id = $1::bigint", [Int64(1)]).first?.string(0), "eins",
                       "prepared again after the server let it go")
    }
}
