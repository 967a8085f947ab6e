import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// A save that waits for a row a colleague holds locked, on PostgreSQL (QA
/// 33 #5: the screen froze with nothing on its status line, for as long as
/// the colleague's transaction lasted): the screen is told "waiting" while
/// it waits, the wait ends at the session's lock timeout with nothing
/// changed (`.busy`, as SQLite's busy timeout), and goes on when the lock is
/// let go. A statement that is only slow is not a wait for anyone.
final class PGLockWaitTests: XCTestCase {
    /// Collects what the session is told, from inside its blocked call.
    private final class Told: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [WriteWait] = []
        var onWaiting: (() -> Void)?
        func add(_ wait: WriteWait) {
            lock.lock(); events.append(wait); lock.unlock()
            if wait == .waiting { onWaiting?() }
        }
        var all: [WriteWait] { lock.lock(); defer { lock.unlock() }; return events }
    }

    /// The colleague's connection, handed to the thread that commits for it.
    private final class Held: @unchecked Sendable {
        let connection: PGConnection
        init(_ connection: PGConnection) { self.connection = connection }
    }

    private var conninfo = ""
    private var db: PostgresDatabase!
    private var deal: Deal!

    override func setUpWithError() throws {
        let server = try TestPostgresServer.require()
        conninfo = server.conninfo(database: try server.makeMigratedDatabase())
        db = try PostgresDatabase(conninfo: conninfo, login: "sara")
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelineRepository.stages(pipelineID: pipeline.id).first)
        deal = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Roof",
                                                 value: Money(minorUnits: 100_00, currency: .eur)))
    }

    override func tearDown() {
        db = nil
    }

    /// A colleague's open transaction holding the deal's row.
    private func holdTheDeal() throws -> PGConnection {
        let colleague = try PGConnection(conninfo)
        try colleague.execute("BEGIN")
        try colleague.execute("SELECT id FROM deals WHERE id = $1::bigint FOR UPDATE", [deal.id])
        return colleague
    }

    func testASaveBehindAColleaguesLockIsToldItWaitsAndGivesUpAtTheLockTimeout() throws {
        let colleague = try holdTheDeal()
        let told = Told()
        db.onWriteWait = { told.add($0) }
        db.connection.lockTimeoutMs = 1_000
        var edited = deal!
        edited.title = "Roof and gutters"
        XCTAssertThrowsError(try db.dealRepository.update(edited)) { error in
            guard case .busy = error as? RepositoryError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(told.all.first, .waiting, "\(told.all)")
        XCTAssertTrue(told.all.contains(.resumed), "\(told.all)")
        try colleague.execute("ROLLBACK")
        XCTAssertEqual(try db.dealRepository.get(deal.id)?.title, "Roof", "nothing changed")
    }

    func testASaveGoesOnWhenTheColleagueLetsGo() throws {
        let colleague = Held(try holdTheDeal())
        let told = Told()
        // The colleague commits once the save is seen waiting (from another
        // thread: the save's own thread is blocked in it).
        let released = DispatchSemaphore(value: 0)
        told.onWaiting = {
            DispatchQueue.global().async {
                _ = try? colleague.connection.execute("COMMIT")
                released.signal()
            }
        }
        db.onWriteWait = { told.add($0) }
        db.connection.lockTimeoutMs = 120_000
        var edited = deal!
        edited.title = "Roof and gutters"
        let saved = try db.dealRepository.update(edited)
        XCTAssertEqual(released.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(saved.title, "Roof and gutters")
        XCTAssertEqual(told.all, [.waiting, .resumed])
    }

    func testASlowStatementThatWaitsForNobodyIsNotAnnounced() throws {
        let told = Told()
        db.onWriteWait = { told.add($0) }
        try db.connection.execute("SELECT pg_sleep(0.7)")
        XCTAssertEqual(told.all, [])
    }

    func testTheLockTimeoutIsTheSessionsAndFollowsTheSetting() throws {
        XCTAssertEqual(try db.connection.scalar("SHOW lock_timeout"), "5s")
        db.connection.lockTimeoutMs = 60_000
        XCTAssertEqual(try db.connection.scalar("SHOW lock_timeout"), "1min")
    }
}

/// QA 33 #5, a server gone silent: every connection has network defaults
/// (a connect timeout, keepalives, an unacknowledged-send timeout) that the
/// connection string may override.
final class PGNetworkDefaultsTests: XCTestCase {
    func testConnectionsHaveNetworkDefaultsTheStringOverrides() throws {
        let server = try TestPostgresServer.require()
        let conninfo = server.conninfo(database: "postgres")
        let plain = try PGConnection(conninfo)
        XCTAssertEqual(plain.option("connect_timeout"), "10")
        XCTAssertEqual(plain.option("tcp_user_timeout"), "30000")
        XCTAssertEqual(plain.option("keepalives_idle"), "30")
        let own = try PGConnection(conninfo + " connect_timeout=3 keepalives_idle=5")
        XCTAssertEqual(own.option("connect_timeout"), "3")
        XCTAssertEqual(own.option("keepalives_idle"), "5")
        XCTAssertEqual(own.option("dbname"), "postgres", "the string itself is read as before")
    }
}
