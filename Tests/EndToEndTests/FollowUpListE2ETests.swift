import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The follow-ups list in the real binary, in tmux: F from Today, show done
/// ones too, cancel one with a reason, reassign another, undo, q back to Today;
/// then the database says what the screen said.
final class FollowUpListE2ETests: XCTestCase {
    func testManageFollowUpsFromTheListInTmux() throws {
        let t = try TmuxSession(width: 110, height: 30)
        defer { t.close() }
        let dbPath = t.path("crm.db")
        let now = Date()
        let ids: [String: Int64]
        do {
            let db = try Database(path: dbPath, login: "ana")
            let ana = db.currentUser.id
            _ = try db.users.findOrCreate(login: "ben")
            let ada = try db.contacts.create(Contact(name: "Ada Lovelace", ownerID: ana))
            func due(_ title: String, _ at: Date, status: FollowUpStatus = .open) throws -> Int64 {
                var f = try db.followUps.create(FollowUp(contactID: ada.id, assigneeID: ana, title: title, dueAt: at))
                if status != .open {
                    f.status = status
                    f = try db.followUps.update(f)
                }
                return f.id
            }
            ids = [
                "old": try due("Old intro call", now.addingTimeInterval(-40 * 86_400), status: .done),
                "quote": try due("Send the quote", now.addingTimeInterval(-86_400)),
                "far": try due("Renewal in spring", now.addingTimeInterval(120 * 86_400)),
            ]
        }
        try t.startCRM("--db \(dbPath) --user ana")
        try t.waitFor(text: "Overdue 1 ")  // the counts line
        try t.keys("F")
        try t.waitFor(text: "Follow-ups · 2")
        try t.waitFor(text: "Renewal in spring")  // beyond Today's 7 days
        try t.keys("v", "v", "v")  // every status
        try t.waitFor(text: "Showing: every status")
        try t.waitFor(text: "▸ ")
        try t.waitFor(text: "Old intro call")

        try t.keys("j")  // Send the quote
        try t.waitFor(text: "▸ ")
        try t.keys("C")
        try t.waitFor(text: "why?")
        try t.type("bought elsewhere")
        try t.keys("Enter")
        try t.waitFor(text: "cancelled Send the quote")

        try t.keys("j")  // Renewal in spring
        try t.keys("A")
        try t.waitFor(text: "Assign \"Renewal in spring\" to")
        try t.keys("C-u")
        try t.type("ben")
        try t.keys("Enter")
        try t.waitFor(text: "assigned to ben")
        try t.keys("u")
        try t.waitFor(text: "Undone")

        try t.keys("q")
        try t.waitFor(text: "Today ·")
        try t.waitFor(text: "Nothing overdue.")

        let db = try Database(path: dbPath, login: "ana")
        let quote = try XCTUnwrap(db.followUps.get(ids["quote"]!))
        XCTAssertEqual(quote.status, .cancelled)
        XCTAssertEqual(quote.cancelReason, "bought elsewhere")
        XCTAssertEqual(try db.followUps.get(ids["far"]!)?.assigneeID, db.currentUser.id, "the reassign was undone")
        XCTAssertEqual(try db.followUps.get(ids["old"]!)?.status, .done)
    }
}
