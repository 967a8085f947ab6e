import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// Whole screens of the contacts workspace drawn into the in-memory screen,
/// compared with golden files (UPDATE_GOLDEN=1 rewrites them).
final class ContactsGoldenTests: XCTestCase {
    static let now = ISO8601DateFormatter().date(from: "2026-11-23T15:00:00Z")!
    var folder: URL!
    var db: Database!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        let now = Self.now
        let day: TimeInterval = 86_400
        let acme = try db.companies.create(Company(name: "Acme GmbH", domain: "acme.example"))
        let bj = try db.companies.create(Company(name: "北京科技", domain: "bj.example.cn"))
        let muller = try db.contacts.create(Contact(
            name: "Jürgen Müller", title: "Einkauf", companyID: acme.id,
            emails: [EmailAddress("j.mueller@acme.example", label: "work")],
            phones: [PhoneNumber("+49 30 1234-5678"), PhoneNumber("0171 555 0101", label: "mobile")],
            tags: ["vip", "berlin"], lifecycle: .customer, source: "fair 2026", notes: "Prefers calls before noon."))
        _ = try db.contacts.create(Contact(name: "محمد رضایی", emails: [EmailAddress("m.rezaei@example.ir")],
                                           phones: [PhoneNumber("0912 777 6543")], lifecycle: .prospect))
        _ = try db.contacts.create(Contact(name: "王小明", companyID: bj.id, emails: [EmailAddress("wang@bj.example.cn")],
                                           phones: [PhoneNumber("+86 10 5555 0199")], lifecycle: .lead))
        _ = try db.contacts.create(Contact(name: "Evil \u{1b}[31mRed\u{1b}[0m Name", emails: [EmailAddress("evil@example.com")]))
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", lifecycle: .customer))
        try db.connection.run("UPDATE contacts SET created_at = ?", [now.addingTimeInterval(-200 * day)])
        func log(_ i: Interaction) throws { _ = try db.interactions.log(i) }
        try log(Interaction(contactID: muller.id, kind: .call, direction: .inbound, occurredAt: now.addingTimeInterval(-600),
                            durationSeconds: 312, outcome: "quote requested", body: "Needs 40 units by December.\nSend the quote today."))
        try log(Interaction(contactID: muller.id, kind: .email, direction: .outbound, occurredAt: now.addingTimeInterval(-3 * day),
                            subject: "Price list 2027", body: "Attached the new price list."))
        try log(Interaction(contactID: muller.id, kind: .meeting, occurredAt: now.addingTimeInterval(-40 * day),
                            subject: "Visit in Berlin", body: "Met the team; \u{1b}]0;pwned\u{07} asked about support."))
        _ = try db.followUps.create(FollowUp(contactID: muller.id, title: "Send the quote", dueAt: now.addingTimeInterval(2 * 3600)))
        app = AppModel(repositories: db, clock: ManualClock(now), timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .contacts)
        // Jürgen Müller, with his timeline.
        app.contacts.show(contactID: muller.id)
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func draw(_ width: Int, _ height: Int) -> MemoryScreen {
        let screen = MemoryScreen(width: width, height: height)
        app.handle(.resize(width: width, height: height))
        AppRenderer.render(app, on: screen)
        return screen
    }

    func testWorkspace120x40() {
        app.handle(.key(.tab))
        app.handle(.key(.tab))
        app.handle(.key(.enter))  // expand the newest timeline entry
        assertGolden(draw(120, 40), named: "contacts-workspace-120x40", withStyles: true)
    }

    func testWorkspace80x24() {
        assertGolden(draw(80, 24), named: "contacts-workspace-80x24", withStyles: true)
    }

    func testEscapeSequencesNeverReachTheScreen() {
        let screen = draw(120, 40)
        XCTAssertFalse(screen.text.contains("\u{1b}"))
        XCTAssertTrue(screen.text.contains("Evil ␛[31mRed␛[0"), screen.text)
    }

    func testHelpOverlay120x40() {
        app.handle(.key(.char("?")))
        assertGolden(draw(120, 40), named: "contacts-help-120x40")
    }

    func testHelpScrollsToTheLastKey() {
        app.handle(.key(.char("?")))
        XCTAssertFalse(draw(120, 40).text.contains("Go to Timeline"))
        for _ in 0..<40 { app.handle(.key(.char("j"))) }
        let text = draw(120, 40).text
        XCTAssertTrue(text.contains("4                Go to Timeline"), text)
        XCTAssertFalse(text.contains("↓ more"), "at the end nothing more is announced")
    }

    /// QA 44: G stopped two lines short of the end (and j from there went
    /// on counting past it); it shows the last key, and j/k stay in range.
    func testHelpGShowsTheLastKeyAtEverySize() {
        for (width, height) in [(80, 24), (120, 40)] {
            _ = draw(width, height)
            app.handle(.key(.char("?")))
            app.handle(.key(.char("G")))
            let text = draw(width, height).text
            XCTAssertTrue(text.contains("Go to Reports"), "\(width)x\(height)\n" + text)
            XCTAssertFalse(text.contains("↓ more"), "\(width)x\(height)\n" + text)
            app.handle(.key(.char("j")))
            app.handle(.key(.char("k")))
            XCTAssertTrue(draw(width, height).text.contains("↓ more"), "one k from the end shows there is more")
            app.handle(.key(.escape))
        }
    }

    func testFormWithValidationError80x24() {
        app.handle(.key(.char("a")))
        for c in "Li Na" { app.handle(.key(.char(c))) }
        app.handle(.key(.tab))
        app.handle(.key(.tab))
        app.handle(.key(.tab))
        for c in "li.na@" { app.handle(.key(.char(c))) }
        app.handle(.key(.ctrl("s")))
        assertGolden(draw(80, 24), named: "contacts-form-error-80x24", withStyles: true)
    }

    func testCallCard120x40() {
        app.handle(.key(.char("c")))
        for c in "Confirms the order" { app.handle(.key(.char(c))) }
        (app.clock as! ManualClock).advance(by: 95)
        assertGolden(draw(120, 40), named: "contacts-call-120x40")
    }

    /// A reason longer than the card is wide is read whole, on two lines
    /// (the note's box gives one up); the note typed stays on the card.
    func testALongReasonTheCallIsNotLoggedIsReadWholeAndTheNoteStays() throws {
        app.handle(.key(.char("c")))
        for c in "Confirms the order" { app.handle(.key(.char(c))) }
        // A colleague's save holds the lock past the wait: the card says
        // what happened and what to press, in more than 86 columns.
        db.connection.busyTimeoutMs = 50
        let other = try Connection(path: db.path)
        try other.execute("BEGIN IMMEDIATE")
        defer { try? other.execute("ROLLBACK") }
        app.handle(.key(.ctrl("s")))
        guard case .call(let call) = app.overlay, let error = call.error else { return XCTFail("the card stays, with its reason") }
        let lines = DisplayWidth.wrap(error, to: 86)
        XCTAssertEqual(lines.count, 2, "a reason of two lines on the card (86 columns inside): \(error)")
        let screen = draw(120, 40)
        for line in lines { XCTAssertTrue(screen.text.contains(line), "\(line)\n\(screen.text)") }
        XCTAssertTrue(screen.text.contains("Confirms the order"))
    }

    func testTooSmall() {
        assertGolden(draw(70, 20), named: "contacts-too-small-70x20")
    }

    func testTheHintBarAlwaysNamesWhatUndoWillTakeBack() {
        app.handle(.key(.char("d")))
        app.handle(.key(.char("y")))
        app.handle(.tick)
        (app.clock as! ManualClock).advance(by: 60)  // the "Deleted …" message has gone
        app.handle(.tick)
        let bottom = draw(80, 24).rowsText().last ?? ""
        XCTAssertTrue(bottom.hasSuffix("u undo delete of Jürgen Müller"), bottom)
        app.handle(.key(.char("3")))
        let elsewhere = draw(120, 40).rowsText().last ?? ""
        XCTAssertTrue(elsewhere.hasSuffix("u undo delete of Jürgen Müller (contacts)"), elsewhere)
    }

    func testAConfirmationIsShownWholeOnANarrowScreen() {
        app.present(.confirm(Confirmation("Delete deal Alpenblick Maschinenbau KG – training package? Its 2 open follow-ups are cancelled with it. It goes to the trash; u undoes. (y/n)") {}))
        let rows = draw(80, 24).rowsText()
        // Wrapped inside the frame: no part of the question is cut off.
        XCTAssertTrue(rows.contains { $0.contains("Delete deal Alpenblick Maschinenbau KG – training package? Its 2 open") }, rows.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.contains("follow-ups are cancelled with it. It goes to the trash; u undoes. (y/n)") }, rows.joined(separator: "\n"))
    }
}
