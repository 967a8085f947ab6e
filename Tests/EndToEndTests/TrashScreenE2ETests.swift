import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The trash on the real screen: the retention (`trash_days`) applied at
/// start, then Z shows what is left and Enter restores it.
final class TrashScreenE2ETests: XCTestCase {
    var tmux: TmuxSession!

    override func tearDown() {
        tmux?.close()
    }

    func testRetentionAtStartThenRestoreFromTheTrashView() throws {
        tmux = try TmuxSession()
        let dbPath = tmux.path("crm.db")
        let old = ManualClock(Date().addingTimeInterval(-100 * 86_400))
        let db = try Database(path: dbPath, login: "sara", clock: old)
        let gone = try db.contacts.create(Contact(name: "Old Contact"))
        try db.contacts.delete(gone.id)
        let recent = try Database(path: dbPath, login: "sara")
        let kept = try recent.contacts.create(Contact(name: "Grace Hopper"))
        _ = try recent.followUps.create(FollowUp(contactID: kept.id, title: "Call back", dueAt: Date()))
        try recent.contacts.delete(kept.id)
        let config = tmux.path("config/crm")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try "trash_days = 90\n".write(toFile: config + "/settings", atomically: true, encoding: .utf8)

        // A rep with the same settings purges nothing: the trash is the team's.
        _ = try Database(path: dbPath, login: "omid")
        try tmux.startCRM("--db \(dbPath) --user omid", window: "rep")
        try tmux.waitFor(text: "1 Today", window: "rep")
        XCTAssertNotNil(try Database(path: dbPath, mode: .read).contacts.get(gone.id), "a rep's start purges nothing")
        try tmux.keys("q", window: "rep")

        try tmux.startCRM("--db \(dbPath) --user sara")
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("Z")
        try tmux.waitFor(text: "Trash · all kinds · 1 record")
        let screen = try tmux.screen()
        XCTAssertTrue(screen.contains("Grace Hopper"), screen)
        XCTAssertFalse(screen.contains("Old Contact"), "purged at start: \(screen)")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Restored contact \"Grace Hopper\" with 1 follow-up.")
        try tmux.keys("Escape")
        try tmux.keys("q")

        let after = try Database(path: dbPath, mode: .read)
        XCTAssertNil(try after.contacts.get(gone.id), "deleted 100 days ago: purged")
        XCTAssertNil(try after.contacts.get(kept.id)?.deletedAt)
        let purge = try XCTUnwrap(after.auditTrail(entity: "trash", id: 0, limit: 1).first)
        XCTAssertEqual(purge.userLogin, "sara")
        XCTAssertEqual(purge.changes["reason"]?.new, .text("retention 90 days"))
    }
}
