import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Two people on one database file: Sara works in the app, Omid writes through
/// a second connection of his own. Undo takes back only Sara's own change.
final class TeamUndoTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var omid: Database!
    var clock: ManualClock!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-team-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("crm.db").path
        clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        db = try Database(path: path, login: "sara", clock: clock)
        omid = try Database(path: path, login: "omid", clock: clock)
        app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
    }

    override func tearDown() {
        app = nil
        db = nil
        omid = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func press(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }

    /// Günter with one email and one phone, open in Sara's contacts view.
    func guenter() throws -> Contact {
        let c = try db.contacts.create(Contact(name: "Günter Müller", emails: [EmailAddress("g@old.de")],
                                               phones: [PhoneNumber("0171 1111111")]))
        app.start(in: .contacts)
        app.contacts.setViewport(list: 10, timeline: 10)
        return c
    }

    /// Sara edits the emails field in the form and saves.
    func saraSetsEmail(_ email: String) {
        press(.char("e"))
        press(.tab, .tab, .tab, .ctrl("u"))  // name, title, company → emails
        type(email)
        press(.ctrl("s"))
    }

    func testUndoAfterAColleaguesOverlappingEditIsRefusedAndChangesNothing() throws {
        let c = try guenter()
        saraSetsEmail("g@sara.de")
        XCTAssertNil(app.overlay)
        clock.advance(by: 60)
        var theirs = try XCTUnwrap(omid.contacts.get(c.id))
        theirs.emails = [EmailAddress("g@omid.de")]
        _ = try omid.contacts.update(theirs)
        let before = try XCTUnwrap(db.contacts.get(c.id))

        press(.char("u"))
        let message = try XCTUnwrap(app.statusMessage?.text)
        XCTAssertTrue(message.hasPrefix("Not undone: omid changed the emails of Günter Müller at "), message)
        let after = try XCTUnwrap(db.contacts.get(c.id))
        XCTAssertEqual(after.emails.map(\.address), ["g@omid.de"], "Omid's email stays")
        XCTAssertEqual(after.version, before.version, "nothing was written")
        // The three-way merge is offered: Sara's old value over Omid's version.
        guard case .form(let form) = app.overlay else { return XCTFail("the merge form is offered") }
        XCTAssertNotNil(form.conflict)
        XCTAssertEqual(form["emails"], "g@old.de")
        press(.ctrl("o"))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try db.contacts.get(c.id)?.emails.map(\.address), ["g@old.de"])
    }

    func testUndoAfterANonOverlappingEditTakesBackOnlyMyFields() throws {
        let c = try guenter()
        saraSetsEmail("g@sara.de")
        var theirs = try XCTUnwrap(omid.contacts.get(c.id))
        theirs.phones = [PhoneNumber("0171 2222222")]
        _ = try omid.contacts.update(theirs)

        press(.char("u"))
        let after = try XCTUnwrap(db.contacts.get(c.id))
        XCTAssertEqual(after.emails.map(\.address), ["g@old.de"], "Sara's change is taken back")
        XCTAssertEqual(after.phones.map(\.number), ["0171 2222222"], "Omid's phone stays")
        XCTAssertEqual(app.statusMessage?.text, "Undone your emails of Günter Müller; omid's phones kept")
    }

    func testUndoWithNoColleagueInBetweenTakesBackTheWholeEdit() throws {
        let c = try guenter()
        saraSetsEmail("g@sara.de")
        press(.char("u"))
        XCTAssertEqual(try db.contacts.get(c.id)?.emails.map(\.address), ["g@old.de"])
        XCTAssertEqual(app.statusMessage?.text, "Undone: edit of Günter Müller")
    }

    func testARefusedStaleSaveLeavesNoCompanyBehind() throws {
        let c = try guenter()
        press(.char("e"))
        var theirs = try XCTUnwrap(omid.contacts.get(c.id))
        theirs.title = "Einkauf"
        _ = try omid.contacts.update(theirs)
        press(.tab, .tab)  // → company
        type("Neue Firma GmbH")
        press(.ctrl("s"))
        guard case .form(let form) = app.overlay else { return XCTFail("the form stays open") }
        XCTAssertNotNil(form.conflict, "refused as stale")
        XCTAssertEqual(form["company"], "Neue Firma GmbH", "what was typed stays")
        XCTAssertNil(try db.companies.find(name: "Neue Firma GmbH"), "no company left behind")
    }

    func testUndoOfAnAddedContactRemovesTheCompanyItCreatedUnlessUsed() throws {
        app.start(in: .contacts)
        app.contacts.setViewport(list: 10, timeline: 10)
        press(.char("a"))
        type("Lena Voss")
        press(.tab, .tab)
        type("Voss Consulting")
        press(.ctrl("s"))
        XCTAssertNotNil(try db.companies.find(name: "Voss Consulting"))
        press(.char("u"))
        XCTAssertNil(try db.companies.find(name: "Voss Consulting"), "one action, one undo: contact and company")
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), 0)
    }

    func testUndoInAnotherViewAsksFirst() throws {
        let c = try guenter()
        saraSetsEmail("g@sara.de")
        app.run(.showPipeline)
        press(.char("u"))
        guard case .confirm(let question)? = app.overlay else { return XCTFail("u in another view asks first") }
        XCTAssertEqual(question.question, "Undo edit of Günter Müller, done in Contacts? (y/n)")
        press(.char("n"))
        XCTAssertEqual(try db.contacts.get(c.id)?.emails.map(\.address), ["g@sara.de"], "no means no")
        press(.char("u"), .char("y"))
        XCTAssertEqual(try db.contacts.get(c.id)?.emails.map(\.address), ["g@old.de"])
    }

    func testTheUndoKeyNamesWhatItWillUndo() throws {
        _ = try guenter()
        XCTAssertEqual(app.contacts.keyBindings.binding(for: .undo)?.disabledReason, "nothing to undo")
        saraSetsEmail("g@sara.de")
        let binding = try XCTUnwrap(app.contacts.keyBindings.binding(for: .undo))
        XCTAssertEqual(binding.title, "Undo edit of Günter Müller")
        XCTAssertEqual(binding.hintTitle, "undo edit of Günter Müller")
        app.run(.showToday)
        XCTAssertEqual(app.today.keyBindings.binding(for: .undo)?.title, "Undo edit of Günter Müller (done in Contacts)")
    }
}

/// While the terminal is below the minimum size, keys do not reach a form
/// or list nobody can see.
final class TooSmallKeysTests: XCTestCase {
    func testKeysDoNotReachAHiddenForm() throws {
        let f = try PipelineFixture()
        f.start()
        f.press(.char("a"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("the deal form") }
        f.app.handle(.resize(width: 60, height: 15))
        f.type("hidden")
        XCTAssertEqual(form["title"], "", "nothing typed into what cannot be seen")
        f.app.handle(.resize(width: 120, height: 40))
        f.type("Fleet")
        XCTAssertEqual(form["title"], "Fleet")
    }
}
