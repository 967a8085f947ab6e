import CRMCore
import CRMRepositories
import CRMStore
import XCTest

/// A write that has to wait for another connection's write lock: the busy
/// handler says so once after 300 ms, says when the wait ends, and gives up
/// with the neutral `RepositoryError.busy` after the busy timeout. The other
/// writer is a second connection to the same file, released from inside the
/// hook, so the test needs no threads and no sleeps.
final class WriteWaitTests: XCTestCase {
    func testAWriteThatWaitsIsAnnouncedOnceAfter300msAndResumes() throws {
        let (db, folder) = try makeDatabase()
        let other = try Connection(path: folder.path("crm.db"))
        try other.execute("BEGIN IMMEDIATE")
        var events: [WriteWait] = []
        var announcedAfter: Duration?
        let start = ContinuousClock.now
        db.onWriteWait = { wait in
            events.append(wait)
            if wait == .waiting {
                announcedAfter = ContinuousClock.now - start
                // The other writer finishes while ours waits.
                try? other.execute("ROLLBACK")
            }
        }
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace"))
        XCTAssertEqual(events, [.waiting, .resumed])
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(announcedAfter), .milliseconds(300))
        XCTAssertEqual(try db.contacts.get(ada.id)?.name, "Ada Lovelace")
    }

    func testAWriteThatDoesNotWaitIsNotAnnounced() throws {
        let (db, _) = try makeDatabase()
        var events: [WriteWait] = []
        db.onWriteWait = { events.append($0) }
        _ = try db.contacts.create(Contact(name: "Grace Hopper"))
        XCTAssertEqual(events, [])
    }

    func testAfterTheBusyTimeoutTheWriteFailsAsBusyAndCanBeRetried() throws {
        let (db, folder) = try makeDatabase()
        db.connection.busyTimeoutMs = 600
        let other = try Connection(path: folder.path("crm.db"))
        try other.execute("BEGIN IMMEDIATE")
        var events: [WriteWait] = []
        db.onWriteWait = { events.append($0) }
        XCTAssertThrowsError(try db.contacts.create(Contact(name: "Ada Lovelace"))) { error in
            guard case RepositoryError.busy = error else { return XCTFail("expected busy, got \(error)") }
            XCTAssertFalse("\(error)".contains("SQLite"), "\(error)")
        }
        XCTAssertEqual(events, [.waiting, .gaveUp])

        try other.execute("ROLLBACK")
        events = []
        _ = try db.contacts.create(Contact(name: "Ada Lovelace"))
        XCTAssertEqual(events, [])
        XCTAssertEqual(try db.contacts.count(filter: .init()), 1)
    }
}
