import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `q` as a terminal user expects, in the real binary in tmux: in a deal's
/// details and in the trash it goes back to where they were opened from;
/// only on a top-level view does it quit.
final class BackKeysE2ETests: XCTestCase {
    func testQGoesBackFromDealDetailsAndTheTrashAndQuitsOnlyFromAView() throws {
        let term = try TmuxSession(width: 120, height: 40)
        defer { term.close() }
        let dbPath = term.path("crm.db")
        _ = try PipelineBoardE2ETests.seed(dbPath)
        do {
            let db = try Database(path: dbPath, login: "alice")
            let gone = try db.contacts.create(Contact(name: "Trashed Person"))
            try db.contacts.delete(gone.id)
        }
        try term.startCRM("--db \(dbPath) --user alice")
        try term.waitFor(text: "Contacts")
        let pid = try term.crmPID()

        // A deal's details, then q: back on the board, crm still running.
        try term.keys("3")
        try term.waitFor(text: "E2E Deal")
        try term.keys("Enter")
        try term.waitFor(text: "Stage history")
        try term.keys("q")
        var screen = try term.waitFor("the board again") { !$0.contains("Stage history") && $0.contains("Lead · 10%") }
        XCTAssertEqual(kill(pid, 0), 0, "crm still runs after q in the details:\n\(screen)")

        // The trash, then q: back on the contacts.
        try term.keys("2")
        try term.waitFor(text: "Contacts")
        try term.keys("T")
        try term.waitFor(text: "Trashed Person")
        try term.keys("q")
        screen = try term.waitFor("the contacts again") { !$0.contains("Trashed Person") && !$0.contains("deleted, newest first") }
        XCTAssertEqual(kill(pid, 0), 0, "crm still runs after q in the trash:\n\(screen)")

        // On a view, q quits.
        try term.keys("q")
        try term.waitFor("crm to exit") { !$0.contains("Contacts") }
    }
}
