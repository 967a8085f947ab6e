import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// Duplicates with the real binary in tmux: the form names one before it
/// saves, and a pair is merged from the Duplicates list and taken back.
final class DuplicatesE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var dbPath: String!
    var older: Int64 = 0
    var newer: Int64 = 0

    override func setUpWithError() throws {
        tmux = try TmuxSession()
        dbPath = tmux.path("crm.db")
        let db = try Database(path: dbPath, login: "sara")
        let granite = try db.companies.create(Company(name: "Granite Bau"))
        older = try db.contacts.create(Contact(name: "Günter Müller", companyID: granite.id,
                                               emails: [EmailAddress("guenter@granite.example")])).id
        newer = try db.contacts.create(Contact(name: "Gunter Muller", title: "Einkauf", companyID: granite.id)).id
        _ = try db.interactions.log(Interaction(contactID: newer, kind: .call, subject: "Bagger"))
        _ = try db.contacts.create(Contact(name: "Ada Lovelace"))
    }

    override func tearDown() {
        tmux?.close()
    }

    func openContacts() throws {
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("2")
        try tmux.waitFor(text: "Ada Lovelace")
    }

    func testTheFormNamesThePossibleDuplicateBeforeSaving() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try openContacts()
        try tmux.keys("a")
        try tmux.waitFor(text: "New contact")
        try tmux.type("G. Müller")
        try tmux.keys("Tab", "Tab", "Tab")
        try tmux.type("GUENTER@granite.example")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "Possible duplicate: Günter Müller · Granite Bau (same email)")
        XCTAssertEqual(try Database(path: dbPath, mode: .read).contacts.count(filter: ContactFilter()), 3)
        try tmux.keys("C-s")
        try tmux.waitFor(text: "Added G. Müller")
        XCTAssertEqual(try Database(path: dbPath, mode: .read).contacts.count(filter: ContactFilter()), 4)
    }

    func testMergeAPairFromTheListAndUndoIt() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try openContacts()
        try tmux.keys("D")
        try tmux.waitFor(text: "Duplicate contacts · 1 pair")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Moves to #\(older): 1 interaction")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Merged Gunter Muller (#\(newer)) into")
        let db = try Database(path: dbPath, mode: .read)
        XCTAssertEqual(try db.contacts.get(older)?.title, "Einkauf")
        XCTAssertNotNil(try db.contacts.get(newer)?.deletedAt)
        try tmux.keys("u")
        try tmux.waitFor(text: "Undone: merge of Gunter Muller")
        let after = try Database(path: dbPath, mode: .read)
        XCTAssertNil(try after.contacts.get(newer)?.deletedAt)
        XCTAssertEqual(try after.contacts.get(older)?.title, "")
    }
}
