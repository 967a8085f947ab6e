import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// Correcting logged history with the real binary in tmux: Sara edits a call
/// from Ada's timeline while Omid (another process's connection) changes the
/// same call; her save is refused with his name, then merged. In the Timeline
/// view she deletes an entry and takes the delete back with `u`.
final class HistoryEditingE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var dbPath: String!
    var call: Interaction!

    override func setUpWithError() throws {
        tmux = try TmuxSession()
        dbPath = tmux.path("crm.db")
        let db = try Database(path: dbPath, login: "sara")
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", lifecycle: .customer))
        call = try db.interactions.log(Interaction(contactID: ada.id, kind: .call, direction: .outbound,
                                                   occurredAt: Date().addingTimeInterval(-3600), durationSeconds: 300,
                                                   outcome: "wants a demo", body: "Talked about the engine"))
    }

    override func tearDown() {
        tmux?.close()
    }

    func testAStaleEditIsRefusedWithTheColleaguesNameThenSavedOverTheirs() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("2")
        try tmux.waitFor(text: "(wants a demo) Talk")
        try tmux.keys("Tab", "Tab")
        try tmux.waitFor(text: "e edit entry")
        try tmux.keys("e")
        try tmux.waitFor(text: "Edit call for Ada Lovelace")
        try tmux.keys("Tab", "C-u")  // from the text to the outcome
        try tmux.type("demo booked")

        let omid = try Database(path: dbPath, login: "omid")
        var theirs = try XCTUnwrap(omid.interactions.get(call.id))
        theirs.body = "Omid: talked about the engine and the price"
        _ = try omid.interactions.update(theirs)

        try tmux.keys("C-s")
        try tmux.waitFor(text: "The interaction was changed by omid at ")
        try tmux.waitFor(text: "(body); your change was not saved")
        try tmux.keys("C-o")
        try tmux.waitFor(text: "Saved the call for Ada Lovelace")
        let saved = try XCTUnwrap(Database(path: dbPath).interactions.get(call.id))
        XCTAssertEqual(saved.outcome, "demo booked")
        XCTAssertEqual(saved.body, "Omid: talked about the engine and the price", "Omid's text is kept")
    }

    func testDeleteFromTheTimelineViewAndUndo() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("4")
        try tmux.waitFor(text: "Ada Lovelace: [05:00] (wants a demo)")
        try tmux.keys("d")
        try tmux.waitFor(text: "Delete the call for Ada Lovelace")
        try tmux.keys("y")
        try tmux.waitFor("the entry gone from the list") { $0.contains("Deleted the call for Ada Lovelace") && !$0.contains("(wants a demo)") }
        XCTAssertNotNil(try Database(path: dbPath).interactions.get(call.id)?.deletedAt)
        try tmux.keys("u")
        try tmux.waitFor(text: "Ada Lovelace: [05:00] (wants a demo)")
        XCTAssertNil(try Database(path: dbPath).interactions.get(call.id)?.deletedAt)
    }
}
