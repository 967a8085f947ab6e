import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// A save while another process holds the database's write lock, with the
/// real binary in tmux. The other writer is this test itself: a second
/// connection to the same file in `BEGIN IMMEDIATE`. Everything is
/// synchronised by polling the screen and the database, never by sleeping.
final class BusyWriteE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var dbPath: String!
    var ada: Contact!

    override func setUpWithError() throws {
        tmux = try TmuxSession()
        dbPath = tmux.path("crm.db")
        let db = try Database(path: dbPath, login: "sara")
        ada = try db.contacts.create(Contact(name: "Ada Lovelace", phones: [PhoneNumber("+44 20 7946 0001")]))
    }

    override func tearDown() {
        tmux?.close()
    }

    /// Opens Ada's "log a note" form with the text typed, ready to save.
    func typeANoteForAda(_ text: String) throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("2")
        try tmux.waitFor(text: "Ada Lovelace")
        try tmux.keys("n")
        try tmux.waitFor(text: "Log for Ada Lovelace")
        try tmux.type(text)
        try tmux.waitFor(text: text)
    }

    func notes(_ body: String) throws -> [Interaction] {
        let db = try Database(path: dbPath)
        return try db.interactions.timeline(.contact(ada.id), before: nil, limit: 50).map(\.interaction).filter { $0.body == body }
    }

    /// What a person saw never included the engine's words.
    func assertNoSQLEverShown(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(tmux.captured.isEmpty)
        for screen in tmux.captured {
            for word in ["SQLite", "BEGIN", "INSERT", "error 5", "locked"] where screen.contains(word) {
                XCTFail("\"\(word)\" was on the screen:\n\(screen)", file: file, line: line)
            }
        }
    }

    func testASaveThatWaitsForAnotherWriterSaysSoThenGoesThrough() throws {
        try typeANoteForAda("Signed the NDA")
        let other = try Connection(path: dbPath)
        try other.execute("BEGIN IMMEDIATE")
        try tmux.keys("C-s")
        // crm is blocked in the write, yet its status line says why.
        let waiting = try tmux.waitFor(text: "waiting for another save", timeout: 4.5)
        XCTAssertTrue(waiting.contains("Log for Ada Lovelace"), waiting)
        XCTAssertEqual(try notes("Signed the NDA").count, 0, "nothing is saved while the other writer holds the lock")
        try other.execute("ROLLBACK")
        let done = try tmux.waitFor(text: "Logged note for Ada Lovelace", timeout: 10)
        XCTAssertFalse(done.contains("waiting for another save"), done)
        XCTAssertEqual(try notes("Signed the NDA").count, 1)
        assertNoSQLEverShown()
    }

    func testASaveThatWaitsPastTheBusyTimeoutKeepsTheFormAndSavesOnCtrlS() throws {
        try typeANoteForAda("Wants a demo on Friday")
        let other = try Connection(path: dbPath)
        try other.execute("BEGIN IMMEDIATE")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "waiting for another save", timeout: 4.5)
        // The busy timeout (5 s) runs out: the form is still open, as typed,
        // and says that nothing was saved and which key tries again.
        let refused = try tmux.waitFor("the busy banner in the open form", timeout: 20) {
            $0.contains("Nothing was saved") && $0.contains("tries again")
        }
        XCTAssertTrue(refused.contains(RepositoryError.busyReason), refused)
        XCTAssertTrue(refused.contains("Log for Ada Lovelace"), refused)
        XCTAssertTrue(refused.contains("Wants a demo on Friday"), refused)
        XCTAssertFalse(refused.contains("waiting for another save"), refused)
        try other.execute("ROLLBACK")
        XCTAssertEqual(try notes("Wants a demo on Friday").count, 0)

        try tmux.keys("C-s")
        let done = try tmux.waitFor(text: "Logged note for Ada Lovelace", timeout: 10)
        XCTAssertFalse(done.contains("Log for Ada Lovelace"), "the form closed on the save:\n\(done)")
        XCTAssertEqual(try notes("Wants a demo on Friday").count, 1)
        assertNoSQLEverShown()
    }
}
