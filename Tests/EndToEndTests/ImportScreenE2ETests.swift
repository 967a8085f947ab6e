import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// A small import from the screen, with the real binary in tmux: `:import`,
/// the path typed and completed with Tab, the mapping, the dry run, Enter,
/// the new contact in the list, then `u` takes the batch back.
final class ImportScreenE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var dbPath: String!

    override func setUpWithError() throws {
        tmux = try TmuxSession(width: 100, height: 30)
        dbPath = tmux.path("crm.db")
        let db = try Database(path: dbPath, login: "sara")
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        try """
            Name,Given Name,Family Name,Organization 1 - Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value
            Ada L.,Ada,L.,,* Work,ada@example.com,,
            Zoë Zander,Zoë,Zander,Zeppelin GmbH,* Work,zoe@zeppelin.example,Mobile,+49 171 5550199

            """.write(toFile: tmux.path("google-export.csv"), atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        tmux?.close()
    }

    func contacts() throws -> [String] {
        try Database(path: dbPath, mode: .read).contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 10)
            .map(\.name)
    }

    func testASmallImportFromTheScreenAndItsUndo() throws {
        try tmux.shell("cd \(tmux.folder.path)")
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try tmux.waitFor(text: "1 Today")
        try tmux.keys("2")
        try tmux.waitFor(text: "Ada Lovelace")
        try tmux.keys(":")
        try tmux.type("import")
        try tmux.waitFor(text: "Import contacts from a file")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Import contacts: which file?")
        try tmux.type("goo")
        try tmux.keys("Tab")
        try tmux.waitFor(text: "File: google-export.csv")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Read as Google Contacts")
        try tmux.waitFor(text: "goes to")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "would create: 1 contact, 1 new company")
        try tmux.waitFor(text: "would skip Ada L.: duplicate of Ada Lovelace")
        XCTAssertEqual(try contacts(), ["Ada Lovelace"], "the dry run wrote nothing")
        try tmux.keys("Enter")
        try tmux.waitFor(text: "Imported 1 contact from google-export.csv (batch 1), skipped 1; u undoes it")
        try tmux.waitFor(text: "Zoë Zander")
        XCTAssertEqual(try contacts(), ["Ada Lovelace", "Zoë Zander"])

        try tmux.keys("u")
        try tmux.waitFor(text: "Undone: import of google-export.csv")
        XCTAssertEqual(try contacts(), ["Ada Lovelace"])
        try tmux.keys("q")
    }
}
