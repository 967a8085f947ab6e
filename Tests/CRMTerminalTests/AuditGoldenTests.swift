import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// A contact's history (H) after three edits by two users, and the whole
/// audit trail (W), drawn into the in-memory screen and compared with golden
/// files (UPDATE_GOLDEN=1 rewrites them).
final class AuditGoldenTests: XCTestCase {
    static let now = ISO8601DateFormatter().date(from: "2026-11-23T15:00:00Z")!
    var folder: URL!
    var sara: Database!
    var app: AppModel!
    var contactID: Int64 = 0

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-audit-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("crm.db").path
        let clock = ManualClock(Self.now.addingTimeInterval(-3 * 86_400))
        // The first user of the file is its admin; omid comes second, a rep.
        sara = try Database(path: path, login: "sara", clock: clock)
        _ = try Database(path: path, login: "omid", clock: clock)
        // He takes Jürgen over from sara below, which a rep may not (a
        // manager for that moment, set without an audit entry of its own,
        // so the trail shows what the goldens show).
        try sara.connection.run("UPDATE users SET role = 'manager' WHERE login = 'omid'")
        let omid = try Database(path: path, login: "omid", clock: clock)
        defer { try? sara.connection.run("UPDATE users SET role = 'rep' WHERE login = 'omid'") }
        let acme = try sara.companies.create(Company(name: "Acme GmbH"))
        var contact = try sara.contacts.create(Contact(name: "Jürgen Müller", title: "Einkauf", companyID: acme.id,
                                                       tags: ["vip"], lifecycle: .lead))
        contactID = contact.id
        clock.advance(by: 3600)
        contact.title = "Leitung Einkauf"
        contact.lifecycle = .customer
        contact = try sara.contacts.update(contact)
        clock.advance(by: 86_400)
        contact.tags = ["berlin", "vip"]
        contact.ownerID = omid.currentUser.id
        contact = try omid.contacts.update(contact)
        clock.advance(by: 86_400 + 1800)
        contact.notes = "Prefers calls \u{1b}[31mbefore noon."
        contact = try sara.contacts.update(contact)
    }

    override func tearDown() {
        app = nil
        sara = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func start(_ timeFormat: TimeFormat) {
        app = AppModel(repositories: sara, clock: ManualClock(Self.now), timeFormat: timeFormat)
        app.start(in: .contacts)
        app.contacts.show(contactID: contactID)
    }

    func draw(_ width: Int, _ height: Int) -> MemoryScreen {
        let screen = MemoryScreen(width: width, height: height)
        app.handle(.resize(width: width, height: height))
        AppRenderer.render(app, on: screen)
        return screen
    }

    func testContactHistory80x24() throws {
        start(TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.key(.char("H")))
        guard case .audit(let model)? = app.overlay else { return XCTFail("no history") }
        XCTAssertEqual(model.list.rows.map(\.userLogin), ["sara", "omid", "sara", "sara"], "newest first")
        XCTAssertEqual(model.list.rows.map(\.action), ["update", "update", "update", "create"])
        let screen = draw(80, 24)
        XCTAssertTrue(screen.text.contains("owner: sara → omid"), screen.text)
        XCTAssertTrue(screen.text.contains("tags: vip → berlin, vip"), screen.text)
        XCTAssertFalse(screen.text.contains("\u{1b}"))
        assertGolden(screen, named: "audit-contact-history-80x24", withStyles: true)
        app.handle(.key(.escape))
        XCTAssertNil(app.overlay)
    }

    /// The same history in the Persian calendar, in Tehran's time zone.
    func testContactHistoryPersian120x40() throws {
        start(TimeFormat(timeZone: TimeZone(identifier: "Asia/Tehran")!, calendar: Calendar(identifier: .persian)))
        app.handle(.key(.char("H")))
        let screen = draw(120, 40)
        XCTAssertTrue(screen.text.contains("1405-09-01 20:00 · sara · update contact"), screen.text)
        assertGolden(screen, named: "audit-contact-history-120x40", withStyles: true)
    }

    func testGlobalTrailFiltersAndOpensTheRecord() throws {
        start(TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.key(.char("W")))
        guard case .audit(let model)? = app.overlay else { return XCTFail("no audit trail for an admin") }
        XCTAssertTrue(model.isGlobal)
        XCTAssertEqual(model.list.rows.first?.entity, "contact")
        app.handle(.key(.char("w")))  // the first user in the cycle: sara (id order)
        XCTAssertEqual(model.userLogin, "sara")
        XCTAssertTrue(model.list.rows.allSatisfy { $0.userLogin == "sara" })
        app.handle(.key(.char("w")))
        XCTAssertEqual(model.userLogin, "omid")
        XCTAssertEqual(model.list.rows.map(\.entityID), [contactID])
        app.handle(.key(.char("t")))
        app.handle(.key(.char("t")))  // company: omid changed none
        XCTAssertEqual(model.list.rows.count, 0)
        app.handle(.key(.char("x")))
        app.handle(.key(.char("p")))  // today: nothing happened today
        XCTAssertEqual(model.period, .today)
        XCTAssertEqual(model.list.rows.count, 0)
        app.handle(.key(.char("p")))  // the last 7 days: everything
        XCTAssertEqual(model.list.rows.count, 7, "three edits, two creations, two users added")
        assertGolden(draw(80, 24), named: "audit-trail-80x24", withStyles: true)
        app.handle(.key(.char("G")))
        XCTAssertEqual(model.list.selected, 6)
        // A user added: no screen shows one, so the log stays up and says so.
        XCTAssertEqual(model.list.selectedRow?.entity, "user")
        app.handle(.key(.enter))
        guard case .audit? = app.overlay else { return XCTFail("the log stays open") }
        XCTAssertEqual(app.statusMessage?.text, "There is no screen for a user; the log stays open")
        app.handle(.key(.char("g")))
        app.handle(.key(.char("j")))
        app.handle(.key(.char("j")))
        app.handle(.key(.char("j")))
        app.handle(.key(.char("j")))  // the company's creation
        XCTAssertEqual(model.list.selectedRow?.entity, "company")
        app.handle(.key(.enter))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(app.contacts.mode, .companies)
        XCTAssertEqual(app.contacts.companies.selectedRow?.name, "Acme GmbH")
    }

    func testARepMayNotReadTheWholeTrail() throws {
        let omid = try Database(path: folder.appendingPathComponent("crm.db").path, login: "omid")
        XCTAssertEqual(omid.currentUser.role, .rep)
        app = AppModel(repositories: omid, clock: ManualClock(Self.now), timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .contacts)
        app.handle(.key(.char("W")))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(app.statusMessage?.text, "Audit trail: only a manager or an admin reads the whole audit trail")
        // A record's own history is for everyone who works it.
        app.contacts.show(contactID: contactID)
        app.handle(.key(.char("H")))
        guard case .audit(let model)? = app.overlay else { return XCTFail("no history") }
        XCTAssertEqual(model.list.rows.count, 4)
    }
}
