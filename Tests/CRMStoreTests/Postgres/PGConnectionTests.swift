import CRMRepositories
import CRMStorePostgres
import Foundation
import XCTest

/// The libpq wrapper on a real throwaway server: bound parameters arrive
/// byte for byte, NULL stays NULL, a failed transaction leaves nothing, and
/// errors carry the server's SQLSTATE.
final class PGConnectionTests: XCTestCase {
    private func connect() throws -> PGConnection {
        let server = try TestPostgresServer.require()
        return try PGConnection(server.conninfo(database: try server.makeDatabase()))
    }

    func testParametersAreBoundNeverSpliced() throws {
        let db = try connect()
        try db.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text, note text)")
        let tricky = "Robert'); DROP TABLE t;-- گونتر 张伟 🎉"
        try db.execute("INSERT INTO t VALUES ($1::bigint, $2, $3)", [Int64(1), tricky, PGNull()])
        let row = try XCTUnwrap(db.query("SELECT id, name, note FROM t WHERE name = $1", [tricky]).first)
        XCTAssertEqual(row.int64(0), 1)
        XCTAssertEqual(row.string(1), tricky)
        XCTAssertNil(row.optionalString(2))
    }

    func testAFailedTransactionLeavesNothingAndASavepointOnlyUndoesItsPart() throws {
        let db = try connect()
        try db.execute("CREATE TABLE t (id bigint PRIMARY KEY)")
        struct Abandon: Error {}
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            throw Abandon()
        })
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (2)")
            _ = try? db.transaction { try db.execute("INSERT INTO t VALUES (2)") }
        }
        XCTAssertEqual(try db.query("SELECT id FROM t ORDER BY id").map { $0.int64(0) }, [2])
    }

    func testErrorsAreNeutralWithTheSQLStateKeptForTheLog() throws {
        let db = try connect()
        XCTAssertThrowsError(try db.query("SELECT * FROM missing_table")) { error in
            guard case RepositoryError.failed(let d) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(d.message.hasPrefix("42P01"), d.message)
            XCTAssertEqual(d.engine, "PostgreSQL")
        }
        XCTAssertEqual(db.lastError?.sqlState, "42P01")
        XCTAssertThrowsError(try PGConnection("postgresql://[bad")) { error in
            guard case RepositoryError.unavailable(_, let reason, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("does not parse"), reason)
        }
        let server = try TestPostgresServer.require()
        XCTAssertThrowsError(try PGConnection(server.conninfo(database: "no_such_db"))) { error in
            guard case RepositoryError.unavailable(_, let reason, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("no such database"), reason)
        }
        XCTAssertThrowsError(try PGConnection("host=/nonexistent-folder dbname=crm")) { error in
            guard case RepositoryError.unavailable(_, let reason, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("cannot be reached"), reason)
        }
    }

    func testNotificationsArriveAtCommitOnAListeningConnection() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeDatabase()
        let listener = try PGConnection(server.conninfo(database: name))
        let writer = try PGConnection(server.conninfo(database: name))
        try listener.execute("LISTEN crm_change")
        try writer.transaction {
            try writer.execute("SELECT pg_notify('crm_change', $1)", ["contacts:7"])
            XCTAssertTrue(try listener.notifications().isEmpty, "not before the commit")
        }
        var received: [(channel: String, payload: String)] = []
        let deadline = Date().addingTimeInterval(10)
        while received.isEmpty && Date() < deadline {
            received = try listener.notifications()
            if received.isEmpty { var fds = pollfd(fd: listener.socket, events: Int16(POLLIN), revents: 0); _ = poll(&fds, 1, 100) }
        }
        XCTAssertEqual(received.map(\.payload), ["contacts:7"])
    }
}
