@testable import CRMStorePostgres
import CRMRepositories
import Foundation
import XCTest

/// A server that stops answering without closing anything (a host
/// black-holed by the network, a machine paused): simulated by stopping the
/// test server's postmaster and the database's backends with SIGSTOP, so
/// connections are accepted by the kernel and nothing ever answers. The
/// screen's idle tick must go on returning (the keyboard works, the status
/// line says so), a person's action must end with a sentence, and once the
/// server runs again everything comes back by itself.
final class PGStalledServerTests: XCTestCase {
    /// The server's processes this test stopped: continued in any case.
    private var stopped: [pid_t] = []

    override func tearDown() {
        resume()
        super.tearDown()
    }

    func resume() {
        for pid in stopped { kill(pid, SIGCONT) }
        stopped = []
    }

    /// Stops the postmaster (no new session can start) and every backend
    /// serving database `name` (no session answers).
    func stopServer(database name: String, _ server: TestPostgresServer, admin: PGConnection) throws {
        let pids = try admin.rows("SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()", [name]) { Int32($0.int64(0)) }
        let pidFile = try String(contentsOfFile: server.folder + "/data/postmaster.pid", encoding: .utf8)
        let postmaster = try XCTUnwrap(Int32(pidFile.split(separator: "\n").first ?? ""))
        for pid in [postmaster] + pids where kill(pid, SIGSTOP) == 0 { stopped.append(pid) }
        // The admin's own backend too: it is of this database.
        let own = admin.backendPID
        if kill(own, SIGSTOP) == 0 { stopped.append(own) }
    }

    /// Runs `body` on a thread of its own and waits for it (a generous 60 s:
    /// a call that never returns is the failure this test looks for).
    func returns(_ what: String, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread { body(); done.signal() }.start()
        if done.wait(timeout: .now() + 60) == .timedOut {
            XCTFail("\(what) did not return while the server was stopped")
            resume()
            _ = done.wait(timeout: .now() + 60)
        }
    }

    func testTheIdleTickReturnsWhileTheServerAnswersNobodyAndAllComesBack() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .listen)
        XCTAssertTrue(db.changeFeed.isListening)
        let admin = try PGConnection(server.conninfo(database: name))
        let told = Told()
        db.onWriteWait = { told.append($0) }
        nonisolated(unsafe) let unsafeDB = db

        try stopServer(database: name, server, admin: admin)
        // Enough ticks for the feed to compare its counters on the main
        // connection (every 20th poll), whose backend is stopped.
        nonisolated(unsafe) var tickFailures = 0
        returns("the idle tick") {
            for _ in 0..<(PGChangeFeed.checkEvery + 5) {
                do { _ = try unsafeDB.pollChanges() } catch { tickFailures += 1 }
            }
        }
        XCTAssertGreaterThan(tickFailures, 0, "the tick says the server is away")
        XCTAssertTrue(told.all.contains(.reconnecting), "\(told.all)")

        // The server runs again: the ticks bring the connection and the
        // listener back by themselves, and a colleague's write is seen.
        resume()
        try admin.execute("INSERT INTO companies(name, created_at, updated_at) VALUES ('After the stall', 0, 0)")
        var seen = ChangeSet.none
        let deadline = Date().addingTimeInterval(30)
        while !seen.contains(.companies) && Date() < deadline {
            if let changes = try? db.pollChanges() { seen.formUnion(changes) }
            usleep(20_000)
        }
        XCTAssertTrue(seen.contains(.companies), "a colleague's write is seen after the server came back")
        XCTAssertEqual(told.all.last, .reconnected)
        try db.transaction { _ = try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["mine"]) }
        XCTAssertEqual(try admin.integer("SELECT count(*) FROM tags WHERE name = 'mine'"), 1)
    }
}

extension PGStalledServerTests {
    /// A person saves while the server answers nobody: the screen is told
    /// "not answering", the save ends with the unreachable sentence after a
    /// few seconds (not after the statement's or the reconnect's full
    /// waits), nothing of it is kept, and it works once the server is back.
    func testASaveWhileTheServerAnswersNobodyEndsWithASentenceAndKeepsNothing() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .listen)
        let admin = try PGConnection(server.conninfo(database: name))
        let told = Told()
        db.onWriteWait = { told.append($0) }
        db.connection.actionSilenceLimit = 2
        nonisolated(unsafe) let unsafeDB = db

        try stopServer(database: name, server, admin: admin)
        nonisolated(unsafe) var saveError: Error?
        returns("a save") {
            do {
                try unsafeDB.transaction { _ = try unsafeDB.connection.run("INSERT INTO tags(name) VALUES (?)", ["during the stall"]) }
            } catch { saveError = error }
        }
        if case .unavailable? = saveError as? RepositoryError {} else { XCTFail("\(String(describing: saveError))") }
        XCTAssertEqual(Array(told.all.prefix(2)), [.noAnswer, .reconnecting], "\(told.all)")

        resume()
        var back = false
        let deadline = Date().addingTimeInterval(30)
        while !back && Date() < deadline {
            back = (try? db.pollChanges()) != nil && db.connection.isOpen
            usleep(20_000)
        }
        XCTAssertTrue(back)
        XCTAssertEqual(told.all.last, .reconnected)
        // The stopped session ended when it ran again and found its socket shut.
        try db.transaction { _ = try db.connection.run("INSERT INTO tags(name) VALUES (?)", ["after the stall"]) }
        XCTAssertEqual(try admin.integer("SELECT count(*) FROM tags WHERE name = 'during the stall'"), 0)
        XCTAssertEqual(try admin.integer("SELECT count(*) FROM tags WHERE name = 'after the stall'"), 1)
    }
}

/// What `onWriteWait` was told, from any thread.
private final class Told: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [WriteWait] = []
    func append(_ wait: WriteWait) { lock.withLock { waits.append(wait) } }
    func clear() { lock.withLock { waits = [] } }
    var all: [WriteWait] { lock.withLock { waits } }
}
