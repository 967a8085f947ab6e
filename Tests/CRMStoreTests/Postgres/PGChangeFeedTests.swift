import CRMRepositories
import CRMStorePostgres
import Foundation
import XCTest

/// Live refresh on PostgreSQL: one session writes, the other's poll reports
/// the kind; a session's own writes are not reported; the same with LISTEN
/// turned off (the counters alone), as where LISTEN is unavailable.
final class PGChangeFeedTests: XCTestCase {
    private func twoSessions(_ mode: PGChangeFeed.Mode) throws -> (PostgresDatabase, PostgresDatabase) {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let a = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: mode)
        let b = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: mode)
        return (a, b)
    }

    /// Polls until `wanted` has been reported (or 10 s have passed: a
    /// failure, not a timing assertion); returns everything reported.
    private func poll(_ db: PostgresDatabase, until wanted: ChangeSet) throws -> ChangeSet {
        var seen = ChangeSet.none
        let deadline = Date().addingTimeInterval(10)
        while !seen.isSuperset(of: wanted) && Date() < deadline {
            seen.formUnion(try db.pollChanges())
            if !seen.isSuperset(of: wanted) { usleep(5_000) }
        }
        return seen
    }

    private func addTag(_ db: PostgresDatabase, _ name: String) throws {
        try db.transaction { _ = try db.connection.run("INSERT INTO tags(name) VALUES (?)", [name]) }
    }

    private func addCompany(_ db: PostgresDatabase, _ name: String) throws {
        try db.transaction { _ = try db.connection.run("INSERT INTO companies(name, created_at, updated_at) VALUES (?, 0, 0)", [name]) }
    }

    private func othersAreReportedOwnAreNot(_ mode: PGChangeFeed.Mode) throws {
        let (a, b) = try twoSessions(mode)
        XCTAssertEqual(a.changeFeed.isListening, mode == .listen)
        XCTAssertEqual(try b.pollChanges(), .none)
        try addTag(a, "vip")
        XCTAssertTrue(try poll(b, until: .contacts).contains(.contacts))
        // b's company commits after a's tag: by the time a has heard of it,
        // a has heard of its own tag too, and must not report it.
        try addCompany(b, "Acme")
        let seenByA = try poll(a, until: .companies)
        XCTAssertEqual(seenByA, .companies, "a's own tag is not reported to a")
        XCTAssertEqual(try b.pollChanges(), .none, "b's own company is not reported to b")
    }

    func testAnotherSessionsWriteIsReportedAndOwnWritesAreNotWithListen() throws {
        try othersAreReportedOwnAreNot(.listen)
    }

    func testTheCountersAloneReportTheSameWithListenOff() throws {
        try othersAreReportedOwnAreNot(.poll)
    }

    func testALostListenerFallsBackToTheCountersAndMissesNothing() throws {
        let (a, b) = try twoSessions(.listen)
        let server = try TestPostgresServer.require()
        let admin = try PGConnection(server.conninfo(database: "postgres"))
        // End b's listening connection (every session of b's but its main one).
        try admin.execute("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND pid <> $2::integer AND pid <> $3::integer
            """, [try a.connection.scalar("SELECT current_database()") ?? "", Int(b.connection.backendPID), Int(a.connection.backendPID)])
        try addCompany(a, "Globex")
        XCTAssertTrue(try poll(b, until: .companies).contains(.companies))
    }

    /// Two sessions writing the same kind at once: the second does not wait
    /// for the first's commit on the change feed's counter (schema 37: one
    /// counter row per server process's shard). `lock_timeout` turns a wait
    /// into an error instead of a hang; nothing here measures time.
    func testWritersOfTheSameKindDoNotQueueOnTheChangeCounter() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let a = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .poll)
        var b = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .poll)
        // Two processes whose pids share a shard would still take turns; open
        // another until they differ (a few tries at most).
        var others: [PostgresDatabase] = []
        while b.connection.backendPID % 256 == a.connection.backendPID % 256 {
            others.append(b)
            b = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .poll)
        }
        try b.connection.execute("SET lock_timeout = '5s'")
        try a.transaction {
            try addCompany(a, "First GmbH")
            // a holds its transaction open; b's write of the same kind commits.
            XCTAssertNoThrow(try addCompany(b, "Second GmbH"))
        }
        let seen = try poll(b, until: .companies)
        XCTAssertTrue(seen.contains(.companies), "a's company is still reported to b")
        XCTAssertEqual(try b.connection.integer("SELECT count(*) FROM companies"), 2)
    }

    /// Schema 41: a kind's counter moves once per transaction, however many
    /// statements wrote it (each update of the same row in one transaction
    /// walked all the versions before it: quadratic). A savepoint rolled
    /// back takes its increment with it. With the counters alone (no
    /// LISTEN), the writer still does not see its own transaction, and the
    /// other session does.
    func testACountersMovesOncePerTransactionAndOwnWritesStayOwn() throws {
        let (a, b) = try twoSessions(.poll)
        let sum = { try a.connection.integer("SELECT coalesce(sum(counter), 0) FROM change_counters WHERE kind = 'companies'") ?? -1 }
        let before = try sum()
        try a.transaction {
            for i in 0..<5 { _ = try a.connection.run("INSERT INTO companies(name, created_at, updated_at) VALUES (?, 0, 0)", ["Co \(i)"]) }
        }
        XCTAssertEqual(try sum(), before + 1, "five statements, one transaction: one increment")
        XCTAssertEqual(try a.pollChanges(), .none, "a's own transaction is not reported to a")
        XCTAssertTrue(try poll(b, until: .companies).contains(.companies))
        // A savepoint rolled back, then a write that stays: one increment.
        try a.transaction {
            XCTAssertThrowsError(try a.transaction {
                _ = try a.connection.run("INSERT INTO companies(name, created_at, updated_at) VALUES ('Gone', 0, 0)")
                throw RepositoryError.notFound(entity: "test", id: 0)
            })
            _ = try a.connection.run("INSERT INTO companies(name, created_at, updated_at) VALUES ('Kept', 0, 0)")
        }
        XCTAssertEqual(try sum(), before + 2)
        XCTAssertEqual(try a.pollChanges(), .none, "a's own second transaction is not reported to a either")
        XCTAssertTrue(try poll(b, until: .companies).contains(.companies))
        XCTAssertEqual(try b.pollChanges(), .none)
    }
}
