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

extension PGStalledServerTests {
    /// QA 37 #3: a save waiting for a colleague's lock, when the server then
    /// stops answering, ends like any other action instead of waiting for
    /// the server forever.
    func testASaveWaitingForALockEndsWhenTheServerThenAnswersNobody() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .poll)
        let admin = try PGConnection(server.conninfo(database: name))
        let holder = try PGConnection(server.conninfo(database: name))
        try admin.execute("INSERT INTO tags(name) VALUES ('held')")
        let told = Told()
        db.onWriteWait = { told.append($0) }
        db.connection.actionSilenceLimit = 2
        db.connection.lockTimeoutMs = 0
        try holder.execute("BEGIN")
        try holder.execute("SELECT id FROM tags WHERE name = 'held' FOR UPDATE")
        nonisolated(unsafe) let unsafeDB = db
        nonisolated(unsafe) var saveError: Error?
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { try unsafeDB.transaction { _ = try unsafeDB.connection.run("UPDATE tags SET name = 'mine' WHERE name = 'held'") } }
            catch { saveError = error }
            done.signal()
        }.start()
        let deadline = Date().addingTimeInterval(30)
        while !told.all.contains(.waiting) && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(told.all.contains(.waiting), "the save waits for the lock first")
        try stopServer(database: name, server, admin: admin)
        if done.wait(timeout: .now() + 60) == .timedOut {
            XCTFail("the save did not end while the server answered nobody")
            resume()
            _ = done.wait(timeout: .now() + 60)
        }
        if case .unavailable? = saveError as? RepositoryError {} else { XCTFail("\(String(describing: saveError))") }
        XCTAssertTrue(told.all.contains(.noAnswer), "\(told.all)")
        resume()
        try holder.execute("ROLLBACK")
    }

    /// QA 37 #5: the connection that asks about lock waits, ended by an
    /// administrator, is no sign of a silent server: a slow statement after
    /// it says nothing, and the asking connection is made again.
    func testALostLockWatcherIsNotTakenForASilentServer() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .poll)
        let admin = try PGConnection(server.conninfo(database: name))
        let told = Told()
        db.onWriteWait = { told.append($0) }
        // A first slow statement makes the asking connection.
        _ = try db.connection.query("SELECT pg_sleep(0.5)")
        let watcher = try XCTUnwrap(db.connection.lockWatcher)
        try admin.execute("SELECT pg_terminate_backend($1::integer)", [Int(watcher.backendPID)])
        _ = try db.connection.query("SELECT pg_sleep(1.5)")
        XCTAssertFalse(told.all.contains(.noAnswer), "\(told.all)")
        XCTAssertNotNil(db.connection.lockWatcher, "made again")
    }

    /// QA 37 #1: a save whose COMMIT was sent when the server stopped
    /// answering waits for it to come back (saying "reconnecting…"), then
    /// finds its token and reports the save done, once: a second Ctrl-S
    /// after "whether it was saved is unknown" saved a note twice.
    func testACommitInDoubtIsResolvedWhenTheServerComesBack() throws {
        let server = try TestPostgresServer.require()
        let name = try server.makeMigratedDatabase()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: name), login: "ana", liveRefresh: .poll)
        let admin = try PGConnection(server.conninfo(database: name))
        // A COMMIT that takes its time: a deferred trigger sleeps at commit.
        try admin.execute("""
            CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$;
            """)
        try admin.execute("""
            CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON tags DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION slow_commit()
            """)
        let told = Told()
        db.onWriteWait = { told.append($0) }
        db.connection.actionSilenceLimit = 1
        let backend = db.connection.backendPID
        nonisolated(unsafe) let unsafeDB = db
        nonisolated(unsafe) var saved: String?
        nonisolated(unsafe) var saveError: Error?
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { saved = try unsafeDB.transaction { () -> String in
                _ = try unsafeDB.connection.run("INSERT INTO tags(name) VALUES ('once')"); return "saved" } }
            catch { saveError = error }
            done.signal()
        }.start()
        let deadline = Date().addingTimeInterval(30)
        var committing = false
        while !committing && Date() < deadline {
            committing = try admin.integer("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::integer AND state = 'active' AND query ILIKE '%COMMIT%'",
                                           [Int(backend)]) == 1
            if !committing { usleep(10_000) }
        }
        XCTAssertTrue(committing, "the COMMIT is on its way")
        try stopServer(database: name, server, admin: admin)
        while !told.all.contains(.reconnecting) && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(told.all.contains(.reconnecting), "\(told.all)")
        resume()
        if done.wait(timeout: .now() + 60) == .timedOut { XCTFail("the save did not end") }
        XCTAssertNil(saveError)
        XCTAssertEqual(saved, "saved")
        XCTAssertEqual(try admin.integer("SELECT count(*) FROM tags WHERE name = 'once'"), 1)
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
