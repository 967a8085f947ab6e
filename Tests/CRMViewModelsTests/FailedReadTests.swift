import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// A read that fails is reported (what could not be read, on the status line;
/// the engine's words in the log) and the picker or card says so, instead of
/// an empty list that looks like "there is none". The reads fail for real: a
/// second connection drops a table under the running app.
final class FailedReadTests: XCTestCase {
    var f: TodayFixture!
    var logged: [String] = []

    override func setUpWithError() throws {
        f = try TodayFixture()
        f.app.log = { [unowned self] line in logged.append(line) }
    }

    override func tearDown() { f = nil }

    func press(_ keys: Key...) { for k in keys { f.app.handle(.key(k)) } }

    /// Drops `table` through a connection of its own, as a damaged or
    /// half-migrated file would look to the app.
    func drop(_ table: String) throws {
        try Connection(path: f.db.path).execute("DROP TABLE \(table)")
    }

    func testTagPickerSaysTheTagsCouldNotBeRead() throws {
        try f.contact("Ada Lovelace", tags: ["vip"])
        f.app.start(in: .contacts)
        press(.char("t"))
        guard case .prompt(let ok) = f.app.overlay else { return XCTFail("t asks for a tag") }
        XCTAssertEqual(ok.suggestions, ["vip"])
        XCTAssertEqual(ok.title, "Filter by tag (empty: all tags)")
        XCTAssertNil(f.app.statusMessage)
        press(.escape)

        try drop("tags")
        press(.char("t"))
        guard case .prompt(let prompt) = f.app.overlay else { return XCTFail("the prompt still opens: a tag can be typed") }
        XCTAssertTrue(prompt.title.contains("the tags could not be read"), prompt.title)
        let status = try XCTUnwrap(f.app.statusMessage)
        XCTAssertEqual(status.kind, .error)
        XCTAssertTrue(status.text.hasPrefix("Could not read the tags: "), status.text)
        XCTAssertTrue(logged.contains { $0.contains("no such table: tags") }, "\(logged)")
    }

    /// QA 35 #7: a tag typed in another case filters by the stored tag,
    /// and the list's title spells it as stored.
    func testATagTypedInAnotherCaseIsTheStoredOne() throws {
        try f.contact("Ada Lovelace", tags: ["ärger"])
        f.app.start(in: .contacts)
        press(.char("t"))
        for c in "ÄRGER" { press(.char(c)) }
        press(.enter)
        XCTAssertTrue(f.app.contacts.filterSummary.contains("#ärger"), f.app.contacts.filterSummary)
        XCTAssertEqual(f.app.contacts.contacts.rows.map(\.name), ["Ada Lovelace"])
    }

    func testAuthorFilterSaysTheUsersCouldNotBeRead() throws {
        try f.contact("Ada Lovelace")
        f.app.start(in: .timeline)
        try drop("users")
        press(.char("o"))
        guard case .prompt(let prompt) = f.app.overlay else { return XCTFail("o asks for an author") }
        XCTAssertTrue(prompt.title.contains("the users could not be read"), prompt.title)
        XCTAssertTrue(f.app.statusMessage?.text.hasPrefix("Could not read the users: ") == true, "\(String(describing: f.app.statusMessage))")
        // Typing a login then cannot be checked either: said, and the filter stays off.
        for c in "ana" { press(.char(c)) }
        press(.enter)
        XCTAssertNil(f.app.timeline.authorLogin)
        XCTAssertTrue(f.app.statusMessage?.text.hasPrefix("Could not read the users: ") == true)
    }

    func testCallCardSaysTheLastInteractionsCouldNotBeRead() throws {
        try f.contact("Ada Lovelace", lastContact: f.clock.now.addingTimeInterval(-3600))
        f.app.start(in: .contacts)
        press(.char("c"))
        guard case .call(let ok) = f.app.overlay else { return XCTFail("c starts a call") }
        XCTAssertEqual(ok.recent.count, 1)
        XCTAssertFalse(ok.recentUnavailable)
        press(.escape, .char("y"))

        try drop("interactions")
        press(.char("c"))
        guard case .call(let call) = f.app.overlay else { return XCTFail("the call still starts") }
        XCTAssertTrue(call.recentUnavailable, "not \"none yet\"")
        XCTAssertTrue(f.app.statusMessage?.text.hasPrefix("Could not read the last interactions: ") == true)
    }
}
