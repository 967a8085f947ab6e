import CRMRepositories
import CRMStore
@testable import CRMViewModels
import XCTest

/// A lost connection to a database server: the status line says
/// "reconnecting…" while the engine reconnects, and clears when it is back
/// (the action's own outcome follows).
final class ReconnectingStatusTests: XCTestCase {
    func testTheStatusLineSaysReconnectingUntilTheConnectionIsBack() throws {
        let f = try TodayFixture()
        f.app.start()
        f.app.writeWaitChanged(.reconnecting)
        XCTAssertEqual(f.app.statusMessage?.text, AppModel.reconnectingText)
        f.app.writeWaitChanged(.reconnected)
        XCTAssertNil(f.app.statusMessage)
        f.app.writeWaitChanged(.reconnecting)
        f.app.writeWaitChanged(.gaveUp)
        XCTAssertNil(f.app.statusMessage, "the failure's own sentence follows")
    }

    /// A statement the server has not answered, while it answers nobody:
    /// the status line says so, and clears when the answer comes; when the
    /// engine gives the connection up, "reconnecting…" replaces it.
    func testTheStatusLineSaysTheServerIsNotAnsweringUntilItDoes() throws {
        let f = try TodayFixture()
        f.app.start()
        f.app.writeWaitChanged(.noAnswer)
        XCTAssertEqual(f.app.statusMessage?.text, AppModel.noAnswerText)
        f.app.writeWaitChanged(.resumed)
        XCTAssertNil(f.app.statusMessage)
        f.app.writeWaitChanged(.noAnswer)
        f.app.writeWaitChanged(.reconnecting)
        XCTAssertEqual(f.app.statusMessage?.text, AppModel.reconnectingText)
    }

    /// QA 33 #16: when the engine gives up, the status line says why and
    /// what to check, not the connection string the top bar already names
    /// (a long one pushed the advice past a 120-column line).
    func testGivingUpSaysWhyWithoutTheConnectionString() throws {
        let f = try TodayFixture()
        f.app.start()
        let target = "host=/var/run/postgresql/team-crm-cluster dbname=crm_sales_emea user=sara application_name=crm"
        f.app.report(RepositoryError.unavailable(path: target, reason: "the PostgreSQL server cannot be reached: is it running, and are the host, port or socket folder right?", nil))
        let text = try XCTUnwrap(f.app.statusMessage?.text)
        XCTAssertEqual(text, "The PostgreSQL server cannot be reached: is it running, and are the host, port or socket folder right?")
        XCTAssertLessThanOrEqual(text.count, 118, "fits a 120-column status line")
        // Whatever was being read, the unreachable server is the sentence.
        f.app.report(RepositoryError.unavailable(path: target, reason: "the PostgreSQL server cannot be reached: is it running, and are the host, port or socket folder right?", nil),
                     reading: "the figures of the Pipeline report")
        XCTAssertEqual(f.app.statusMessage?.text, text)
    }

    /// QA 37 #4: a timeline that could not be read says so (not "no
    /// interactions yet"), and is read again at the tick after the
    /// connection is back, as after a colleague's change.
    func testWhatFailedToLoadIsReadAgainOnceTheConnectionIsBack() throws {
        let f = try TodayFixture()
        let ada = try f.contact("Ada Lovelace", lastContact: TodayFixture.date("2026-03-20T09:00:00Z"))
        _ = ada
        f.app.start()
        // The table away, as the server is to the app.
        let side = try Connection(path: f.db.path)
        try side.execute("ALTER TABLE interactions RENAME TO interactions_away")
        f.press(.char("4"))
        XCTAssertTrue(f.app.timeline.loadFailed)
        XCTAssertTrue(f.app.timeline.entries.rows.isEmpty)
        try side.execute("ALTER TABLE interactions_away RENAME TO interactions")
        f.app.handle(.tick)
        XCTAssertTrue(f.app.timeline.entries.rows.isEmpty, "a tick alone reads nothing new")
        f.app.writeWaitChanged(.reconnected)
        f.app.handle(.tick)
        XCTAssertFalse(f.app.timeline.loadFailed)
        XCTAssertEqual(f.app.timeline.entries.rows.map(\.interaction.body), ["Talked about the order"])
    }
}
