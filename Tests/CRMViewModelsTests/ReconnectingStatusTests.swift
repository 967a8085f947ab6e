import CRMRepositories
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
    }
}
