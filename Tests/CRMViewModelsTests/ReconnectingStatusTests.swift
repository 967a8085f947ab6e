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
}
