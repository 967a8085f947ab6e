import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm --call NUMBER`, as a softphone's "on incoming call" hook starts it:
/// the real binary in a private tmux server, on a real database.
final class IncomingCallE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var dbPath: String!
    var grace: Contact!

    override func setUpWithError() throws {
        tmux = try TmuxSession()
        dbPath = tmux.path("crm.db")
        let config = URL(fileURLWithPath: tmux.path("config/crm"))
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "phone_region = DE\n".write(to: config.appendingPathComponent("settings"), atomically: true, encoding: .utf8)
        let db = try Database(path: dbPath, login: "sara", phoneRegion: PhoneRegion(code: "DE"))
        let acme = try db.companies.create(Company(name: "Acme Navy Supplies"))
        grace = try db.contacts.create(Contact(name: "Grace Hopper", companyID: acme.id, phones: [PhoneNumber("0171 9936679")],
                                               lifecycle: .customer))
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", phones: [PhoneNumber("+44 20 7946 0001")]))
        _ = try db.contacts.create(Contact(name: "Alan Turing", phones: [PhoneNumber("+44 20 7946 0001")]))
    }

    override func tearDown() {
        tmux?.close()
    }

    func testAKnownCallerOpensInCallModeAndTheCallIsLoggedInbound() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara --call '+49 171 9936679'")
        let screen = try tmux.waitFor(text: "Call · Grace Hopper")
        XCTAssertTrue(screen.contains("incoming ←"), screen)
        try tmux.type("Asked about the invoice")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "call with Grace Hopper")
        let entry = try XCTUnwrap(try Database(path: dbPath).interactions.timeline(.contact(grace.id), before: nil, limit: 1).first)
        XCTAssertEqual(entry.interaction.kind, .call)
        XCTAssertEqual(entry.interaction.direction, .inbound)
        XCTAssertEqual(entry.interaction.body, "Asked about the invoice")
        XCTAssertEqual(entry.authorLogin, "sara")
    }

    func testAnUnknownCallerGetsANewContactFormThenCallMode() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara --call 0030-555-0199")
        var screen = try tmux.waitFor(text: "New contact")
        XCTAssertTrue(screen.contains("0030-555-0199"), "the number is filled in:\n\(screen)")
        try tmux.type("Katherine Johnson")
        try tmux.keys("C-s")
        screen = try tmux.waitFor(text: "Call · Katherine Johnson")
        XCTAssertTrue(screen.contains("incoming ←"), screen)
        try tmux.type("New lead from the fair")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "call with Katherine Johnson")
        let db = try Database(path: dbPath)
        let katherine = try XCTUnwrap(db.contacts.search("katherine", filter: .init(), limit: 1).first)
        XCTAssertEqual(try db.contacts.get(katherine.id)?.phones.map(\.number), ["0030-555-0199"])
        let entry = try XCTUnwrap(try db.interactions.timeline(.contact(katherine.id), before: nil, limit: 1).first)
        XCTAssertEqual(entry.interaction.direction, .inbound)
        XCTAssertEqual(entry.interaction.body, "New lead from the fair")
    }

    func testANumberOfSeveralContactsListsThem() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara --call '+44 20 7946 0001'")
        let screen = try tmux.waitFor(text: "Several contacts have +44 20 7946 0001")
        XCTAssertTrue(screen.contains("Ada Lovelace") && screen.contains("Alan Turing"), screen)
        XCTAssertFalse(screen.contains("Grace Hopper"), "the list is searched for the number:\n\(screen)")
        // The agent picks the caller and starts the call as usual.
        try tmux.keys("j")
        try tmux.keys("c")
        try tmux.waitFor(text: "Call · Alan Turing")
    }

    func testNotAPhoneNumberIsRefusedBeforeTheScreen() throws {
        let result = try tmux.run(["--db", dbPath, "--call", "Grace"])
        XCTAssertEqual(result.status, 65)
    }
}
