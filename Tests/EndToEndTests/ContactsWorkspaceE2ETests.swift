import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// A support agent's session with the real binary in tmux, on a real database.
final class ContactsWorkspaceE2ETests: XCTestCase {
    var tmux: TmuxSession!
    var dbPath: String!

    override func setUpWithError() throws {
        tmux = try TmuxSession()
        dbPath = tmux.path("crm.db")
        let db = try Database(path: dbPath, login: "sara")
        // The team: an unknown --user is refused (exit 67) since roles came.
        _ = try db.users.findOrCreate(login: "omid")
        let acme = try db.companies.create(Company(name: "Acme Navy Supplies"))
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", phones: [PhoneNumber("+44 20 7946 0001")]))
        _ = try db.contacts.create(Contact(name: "Grace Hopper", companyID: acme.id, emails: [EmailAddress("grace@navy.example")],
                                           phones: [PhoneNumber("(555) 867-5309")], lifecycle: .customer))
        _ = try db.contacts.create(Contact(name: "Jürgen Müller", phones: [PhoneNumber("+49 30 1234-5678")]))
        _ = try db.contacts.create(Contact(name: "王小明", phones: [PhoneNumber("+86 10 5555 0199")]))
    }

    override func tearDown() {
        tmux?.close()
    }

    /// crm opens on Today; the contacts workspace is key 2.
    func openContacts(window: String = "main") throws {
        try tmux.waitFor(text: "1 Today", window: window)
        try tmux.keys("2", window: window)
        try tmux.waitFor(text: "Ada Lovelace", window: window)
    }

    func testFindCallerByFourDigitsAndLogATwoSecondCall() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try openContacts()
        try tmux.keys("/")
        try tmux.type("5309")
        try tmux.waitFor("only Grace Hopper listed") { $0.contains("Grace Hopper") && !$0.contains("Ada Lovelace") }
        try tmux.keys("Enter")
        try tmux.keys("c")
        try tmux.waitFor(text: "Call · Grace Hopper")
        try tmux.type("Wants a demo on Friday")
        Thread.sleep(forTimeInterval: 2.2)
        try tmux.keys("C-s")
        let screen = try tmux.waitFor(text: "Logged 00:02 call with Grace Hopper")
        let timelineTop = screen.split(separator: "\n").first { $0.contains("Call →") }
        XCTAssertNotNil(timelineTop, screen)
        XCTAssertTrue(timelineTop?.contains("[00:02] Wants a demo on Fri") ?? false, screen)

        let db = try Database(path: dbPath)
        let grace = try XCTUnwrap(db.contacts.search("grace", filter: .init(), limit: 1).first)
        let entry = try XCTUnwrap(db.interactions.timeline(.contact(grace.id), before: nil, limit: 1).first)
        XCTAssertEqual(entry.interaction.kind, .call)
        XCTAssertEqual(entry.interaction.direction, .outbound)
        XCTAssertEqual(entry.interaction.body, "Wants a demo on Friday")
        XCTAssertEqual(entry.interaction.durationSeconds, 2)
        XCTAssertEqual(entry.authorLogin, "sara")
    }

    func testAddContactWithPersianNameAndFindItAgain() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try openContacts()
        try tmux.keys("a")
        try tmux.waitFor(text: "New contact")
        try tmux.type("زهرا احمدی")
        try tmux.keys("Tab")
        try tmux.type("مدیر فروش")
        try tmux.keys("C-s")
        try tmux.waitFor(text: "Added زهرا احمدی")
        try tmux.keys("g")
        try tmux.keys("/")
        try tmux.type("زهر")
        try tmux.waitFor("the Persian contact alone") { $0.contains("زهرا احمدی") && !$0.contains("Ada Lovelace") }
        let db = try Database(path: dbPath)
        XCTAssertEqual(try db.contacts.search("احمدی", filter: .init(), limit: 5).map(\.name), ["زهرا احمدی"])
    }

    func testAnotherProcessesInteractionAppearsWithinASecond() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try openContacts()
        try tmux.startCRM("--db \(dbPath!) --user omid", window: "other")
        try openContacts(window: "other")
        // Omid, in his own crm process, logs a note on the first contact (Ada).
        try tmux.keys("n", window: "other")
        try tmux.waitFor(text: "Log for Ada Lovelace", window: "other")
        try tmux.type("Signed the NDA", window: "other")
        try tmux.keys("C-s", window: "other")
        try tmux.waitFor(text: "Logged note for Ada Lovelace", window: "other")
        let written = Date()
        try tmux.waitFor(text: "Signed the NDA", timeout: 1.5)
        XCTAssertLessThan(Date().timeIntervalSince(written), 1.5)
        // Sara's selection stayed on Ada.
        XCTAssertTrue(try tmux.screen().contains("Ada Lovelace  (Lead)"))
    }

    func testSIGHUPLeavesTheTerminalInItsNormalMode() throws {
        try tmux.startCRM("--db \(dbPath!) --user sara")
        try openContacts()
        kill(try tmux.crmPID(), SIGHUP)
        try tmux.waitFor("the shell back") { !$0.contains("Ada Lovelace") }
        try tmux.shell("echo exit=$?; stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo")
        let screen = try tmux.waitFor("the exit status and the terminal modes") { $0.contains("exit=129") && $0.contains("icanon ") }
        XCTAssertTrue(screen.contains("icanon echo"), screen)
        XCTAssertFalse(screen.contains("-icanon"), screen)
        XCTAssertFalse(screen.contains("-echo "), screen)
    }
}
