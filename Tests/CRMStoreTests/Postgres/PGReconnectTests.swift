@testable import CRMStorePostgres
import CRMRepositories
import Foundation
import XCTest

/// A dropped connection: the session reconnects, says so, and every write
/// is applied exactly once, whether the connection was lost before, during
/// or after COMMIT (an answer lost on the way).
final class PGReconnectTests: XCTestCase {
    private func open() throws -> (PostgresDatabase, PGConnection, [WriteWait]) {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .poll)
        let admin = try PGConnection(server.conninfo(database: name))
        return (db, admin, [])
    }

    private func tags(_ admin: PGConnection, _ name: String) throws -> Int64 {
        try admin.integer("SELECT count(*) FROM tags WHERE name = ?", [name]) ?? -1
    }

    func testASessionEndedByTheServerReconnectsAndTheNextWriteIsAppliedOnce() throws {
        let (db, admin, _) = try open()
        var told: [WriteWait] = []
        db.onWriteWait = { told.append($0) }
        try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(db.connection.backendPID)])
        try db.transaction { _ = try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["after-kill"]) }
        XCTAssertEqual(try tags(admin, "after-kill"), 1)
        XCTAssertEqual(told, [.reconnecting, .reconnected])
    }

    /// QA 45 PG #3: a server that answers and refuses the login on the
    /// reconnect (here the role was made NOLOGIN, as deactivating a user
    /// does) is said as that refusal, not as a server that cannot be reached.
    func testALoginRefusedOnTheReconnectIsSaidAsSuch() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let admin = try PGConnection(server.conninfo(database: name))
        let role = "gone_\(getpid())_\(Int.random(in: 1000...9999))"
        try admin.execute("CREATE ROLE \(role) LOGIN")
        let session = try PGConnection(server.conninfo(database: name, user: role))
        session.reconnectsAutomatically = true
        session.reconnectTimeout = 0.3
        try admin.execute("ALTER ROLE \(role) NOLOGIN")
        try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(session.backendPID)])
        XCTAssertThrowsError(try session.integer("SELECT 1")) { error in
            let text = "\(error)"
            XCTAssertFalse(text.contains("cannot be reached"), text)
            XCTAssertTrue(text.contains(role) && text.contains("deactivated"), text)
        }
    }

    /// Once a reconnect has given up, the server is known to be away: each
    /// later use tries once and fails at once (no second wait holding the
    /// keyboard, no "reconnecting…" again), and the first use that reaches
    /// the server works.
    func testAfterGivingUpEachUseTriesOnceUntilTheServerAnswers() throws {
        let (db, admin, _) = try open()
        let name = try XCTUnwrap(try admin.scalar("SELECT current_database()"))
        var told: [WriteWait] = []
        db.onWriteWait = { told.append($0) }
        db.connection.reconnectTimeout = 0.3
        // The database refuses new sessions (its name comes from the test server, not from input).
        // (From another database: a session cannot lock out its own.)
        let owner = try PGConnection(try TestPostgresServer.require().conninfo(database: "postgres"))
        try owner.execute("ALTER DATABASE \"\(name)\" ALLOW_CONNECTIONS false")
        defer { _ = try? owner.execute("ALTER DATABASE \"\(name)\" ALLOW_CONNECTIONS true") }
        try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(db.connection.backendPID)])
        XCTAssertThrowsError(try db.connection.integer("SELECT 1"))
        XCTAssertEqual(told, [.reconnecting, .gaveUp])
        XCTAssertThrowsError(try db.transaction { _ = try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["while-away"]) })
        XCTAssertThrowsError(try db.connection.integer("SELECT 1"))
        XCTAssertEqual(told, [.reconnecting, .gaveUp], "tried once each, no second wait")
        try owner.execute("ALTER DATABASE \"\(name)\" ALLOW_CONNECTIONS true")
        try db.transaction { _ = try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["back"]) }
        XCTAssertEqual(told.last, .reconnected)
        XCTAssertEqual(try tags(admin, "while-away"), 0)
        XCTAssertEqual(try tags(admin, "back"), 1)
        // A later loss waits and says so again, as the first one did.
        told = []
        try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(db.connection.backendPID)])
        XCTAssertEqual(try db.connection.integer("SELECT 2"), 2)
        XCTAssertEqual(told, [.reconnecting, .reconnected])
    }

    /// The screen's idle tick finds the server away: it tries once, says
    /// "reconnecting…" and returns, never waiting out the backoff (which
    /// froze the keyboard for 30 s and replayed the keys typed meanwhile, QA
    /// 33 #4); an action then fails at once, and the tick that reaches the
    /// server again says it is back.
    func testTheIdleTicksPollTriesALostServerOnceAndNeverWaits() throws {
        let (db, admin, _) = try open()
        let name = try XCTUnwrap(try admin.scalar("SELECT current_database()"))
        var told: [WriteWait] = []
        db.onWriteWait = { told.append($0) }
        // A wait would last a minute, and end in .gaveUp.
        db.connection.reconnectTimeout = 60
        let owner = try PGConnection(try TestPostgresServer.require().conninfo(database: "postgres"))
        try owner.execute("ALTER DATABASE \"\(name)\" ALLOW_CONNECTIONS false")
        defer { _ = try? owner.execute("ALTER DATABASE \"\(name)\" ALLOW_CONNECTIONS true") }
        try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(db.connection.backendPID)])
        XCTAssertThrowsError(try db.pollChanges())
        XCTAssertEqual(told, [.reconnecting], "tried once, no wait, no give-up")
        XCTAssertThrowsError(try db.pollChanges())
        XCTAssertThrowsError(try db.transaction { _ = try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["while-away"]) })
        XCTAssertEqual(told, [.reconnecting], "each later use tried once, quietly")
        try owner.execute("ALTER DATABASE \"\(name)\" ALLOW_CONNECTIONS true")
        XCTAssertEqual(try db.pollChanges(), ChangeSet.none)
        XCTAssertEqual(told, [.reconnecting, .reconnected])
        XCTAssertEqual(try tags(admin, "while-away"), 0)
        XCTAssertEqual(db.connection.reconnectsOnce, false, "only inside the poll")
    }

    /// The session's settings (UTF-8, UTC, no JIT compiling) hold from the
    /// start and again after a reconnect: a new server session knows none.
    func testTheSessionIsSetUpAgainAfterAReconnect() throws {
        let (db, admin, _) = try open()
        let c = db.connection
        XCTAssertEqual(try c.scalar("SHOW jit"), "off")
        XCTAssertEqual(try c.scalar("SHOW TimeZone"), "UTC")
        try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(c.backendPID)])
        try db.transaction { _ = try c.run("INSERT INTO tags(name) VALUES (?)", ["after-kill"]) }
        XCTAssertEqual(try c.scalar("SHOW jit"), "off", "a new server session, set up again")
        XCTAssertEqual(try c.scalar("SHOW TimeZone"), "UTC")
    }

    func testAConnectionLostInTheMiddleOfATransactionRunsItAgainOnce() throws {
        let (db, admin, _) = try open()
        var runs = 0
        try db.transaction {
            runs += 1
            try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["first-\(runs)"])
            if runs == 1 { try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(db.connection.backendPID)]) }
            try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["second"])
        }
        XCTAssertEqual(runs, 2)
        XCTAssertEqual(try tags(admin, "first-1"), 0, "nothing of the lost attempt was kept")
        XCTAssertEqual(try tags(admin, "first-2"), 1)
        XCTAssertEqual(try tags(admin, "second"), 1)
    }

    func testACommitWhoseAnswerIsLostIsResolvedByItsTokenNotRepeated() throws {
        let (db, admin, _) = try open()
        var told: [WriteWait] = []
        db.onWriteWait = { told.append($0) }
        db.connection.loseNextCommitAcknowledgement = true
        var runs = 0
        let value = try db.transaction { () -> String in
            runs += 1
            try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["once"])
            return "done"
        }
        XCTAssertEqual(value, "done")
        XCTAssertEqual(runs, 1, "the committed attempt was found by its token, not run again")
        XCTAssertEqual(try tags(admin, "once"), 1)
        XCTAssertEqual(told, [.reconnecting, .reconnected])
    }

    func testAServerRestartInTheMiddleOfATransactionLosesNothingAndDoublesNothing() throws {
        let server = try TestPostgresServer.require()
        let (db, _, _) = try open()
        let name = try db.connection.scalar("SELECT current_database()") ?? ""
        var runs = 0
        try db.transaction {
            runs += 1
            try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["restart-\(runs)"])
            if runs == 1 { try server.restart() }
            try db.connection.run("INSERT INTO companies(name, created_at, updated_at) VALUES (?, 0, 0)", ["Initech"])
        }
        let admin = try PGConnection(server.conninfo(database: name))
        XCTAssertEqual(try tags(admin, "restart-1"), 0)
        XCTAssertEqual(try tags(admin, "restart-2"), 1)
        XCTAssertEqual(try admin.integer("SELECT count(*) FROM companies WHERE name = 'Initech'"), 1)
        // And a read after a restart between two calls just works.
        try server.restart()
        XCTAssertEqual(try db.connection.integer("SELECT count(*) FROM companies"), 1)
    }

    func testACommitCutBeforeItReachedTheServerIsDoneOnceMore() throws {
        let (db, admin, _) = try open()
        db.connection.cutBeforeNextCommit = true
        var runs = 0
        try db.transaction {
            runs += 1
            try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["cut"])
        }
        XCTAssertEqual(runs, 2, "the token was not found: the first attempt had not committed")
        XCTAssertEqual(try tags(admin, "cut"), 1)
    }

    func testOnlyTransactionsThatWroteRecordACommitToken() throws {
        let (db, admin, _) = try open()
        let before = try admin.integer("SELECT count(*) FROM crm_commits") ?? -1
        _ = try db.transaction { try db.connection.integer("SELECT count(*) FROM tags") }
        XCTAssertEqual(try admin.integer("SELECT count(*) FROM crm_commits"), before, "a read leaves no token")
        try db.transaction { _ = try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["t"]) }
        XCTAssertEqual(try admin.integer("SELECT count(*) FROM crm_commits"), before + 1)
    }

    func testARefusalAfterARecoveredLossIsNotTakenForAnotherLoss() throws {
        let (db, admin, _) = try open()
        var told: [WriteWait] = []
        db.onWriteWait = { told.append($0) }
        try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(db.connection.backendPID)])
        XCTAssertEqual(try db.connection.integer("SELECT count(*) FROM tags"), 0, "a read is asked again after reconnecting")
        struct Refused: Error {}
        var runs = 0
        XCTAssertThrowsError(try db.transaction { runs += 1; throw Refused() }) { XCTAssertTrue($0 is Refused) }
        XCTAssertEqual(runs, 1)
        XCTAssertEqual(told, [.reconnecting, .reconnected])
    }
}
