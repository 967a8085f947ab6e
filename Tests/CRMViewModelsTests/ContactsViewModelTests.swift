import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// The contacts workspace driven by keys, headless, on a real database file.
final class ContactsViewModelTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var clock: ManualClock!
    var app: AppModel!
    var vm: ContactsViewModel { app.contacts }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-contacts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func press(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }
    var names: [String] { vm.contacts.rows.map(\.name) }

    func start() {
        app.start(in: .contacts)
        vm.setViewport(list: 10, timeline: 10)
    }

    func testSearchNarrowsOnEachKeyAndEscapeRestoresTheList() throws {
        for name in ["Jürgen Müller", "Maria Mustermann", "Mehmet Yılmaz", "Ada Lovelace", "محمد رضایی"] {
            _ = try db.contacts.create(Contact(name: name))
        }
        start()
        XCTAssertEqual(names.count, 5)
        press(.char("/"))
        XCTAssertTrue(vm.isSearching)
        type("m")
        XCTAssertEqual(Set(names), ["Jürgen Müller", "Maria Mustermann", "Mehmet Yılmaz"])
        type("u")
        XCTAssertEqual(Set(names), ["Jürgen Müller", "Maria Mustermann"])
        type("l")
        XCTAssertEqual(names, ["Jürgen Müller"])
        XCTAssertEqual(vm.detail?.contact.name, "Jürgen Müller")
        press(.backspace, .backspace, .backspace)
        type("محم")
        XCTAssertEqual(names, ["محمد رضایی"])
        press(.escape)
        XCTAssertFalse(vm.isSearching)
        XCTAssertEqual(names.count, 5)
    }

    func testClearingTheSearchKeepsTheContactFound() throws {
        for name in ["Amélie Béranger", "Jürgen Müller", "Matthias Müller", "Zoë Adams"] {
            _ = try db.contacts.create(Contact(name: name))
        }
        start()
        press(.char("/"))
        type("mul")
        press(.enter, .char("j"))
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Matthias Müller")
        press(.escape)
        XCTAssertEqual(names.count, 4)
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Matthias Müller")
    }

    /// QA 43: a colleague deleted the selected contact and the list moved
    /// on without a word. The status line says so, by whom, and where the
    /// selection went; a colleague's change that keeps it listed says nothing.
    func testAColleagueDeletingTheSelectedContactIsSaid() throws {
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace"))
        _ = try db.contacts.create(Contact(name: "Bob Brown"))
        start()
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Ada Lovelace")
        let omid = try Database(path: db.path, login: "omid")
        var renamed = try XCTUnwrap(omid.contacts.get(ada.id))
        renamed.title = "CTO"
        _ = try omid.contacts.update(renamed)
        vm.refresh([.contacts])
        XCTAssertNil(app.statusMessage)
        try omid.contacts.delete(ada.id)
        vm.refresh([.contacts])
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Bob Brown")
        XCTAssertEqual(app.statusMessage?.text, "Ada Lovelace was deleted by omid meanwhile (Z lists the trash); the selection moved to Bob Brown")
        XCTAssertEqual(app.statusMessage?.kind, .warning)
    }

    /// QA 44: Ctrl-G on a duplicate warning showed the contact with its
    /// timeline focused, so `e` edited the newest timeline entry instead
    /// of the contact found.
    func testCtrlGOnADuplicateShowsTheContactWithTheListFocused() throws {
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        _ = try db.interactions.log(Interaction(contactID: ada.id, kind: .email, occurredAt: clock.now, subject: "Hello"))
        _ = try db.contacts.create(Contact(name: "Bob Brown"))
        start()
        press(.char("a"))
        guard case .form(let form) = app.overlay else { return XCTFail("a opens the new contact form") }
        form["name"] = "Ada Lovelace"
        form["emails"] = "ada@example.com"
        press(.ctrl("s"))
        XCTAssertNotNil(form.warning, "a possible duplicate is named")
        press(.ctrl("g"))
        XCTAssertEqual(vm.detail?.contact.id, ada.id)
        XCTAssertEqual(vm.focus, .list)
        press(.char("e"))
        guard case .form(let edit) = app.overlay else { return XCTFail("e opens a form") }
        XCTAssertNotNil(edit.fields.first { $0.name == "name" }, "the contact's form, not a timeline entry's: \(edit.title)")
    }

    func testAConflictWithADeletedRecordOffersOnlyToLeave() throws {
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace"))
        start()
        press(.char("e"))
        guard case .form(let form) = app.overlay else { return XCTFail("edit opens a form") }
        press(.tab)
        type("CTO")
        try Database(path: db.path, login: "omid").contacts.delete(ada.id)
        press(.ctrl("s"))
        XCTAssertEqual(form.conflict?.deleted, true)
        press(.ctrl("r"))
        XCTAssertEqual(form["title"], "CTO", "no reload of a deleted record")
        press(.ctrl("o"))
        XCTAssertTrue(try db.contacts.get(ada.id)?.deletedAt != nil, "nothing written")
        XCTAssertNotNil(app.overlay)
    }

    func testPagingAcrossKeysetBoundariesVisitsEveryRowInOrder() throws {
        try db.transaction {
            for i in 0..<650 { _ = try db.contacts.create(Contact(name: String(format: "Person %04d", i))) }
        }
        start()
        var visited: [String] = [vm.contacts.selectedRow!.name]
        for _ in 0..<649 {
            press(.char("j"))
            visited.append(vm.contacts.selectedRow!.name)
        }
        XCTAssertEqual(visited, (0..<650).map { String(format: "Person %04d", $0) })
        XCTAssertEqual(vm.listOffset + vm.contacts.selected + 1, 650, "the position counts the whole list")
        XCTAssertEqual(vm.listTotal, 650)
        XCTAssertLessThanOrEqual(vm.contacts.rows.count, 400, "only a window of rows is held")
        XCTAssertTrue(vm.contacts.moreBefore)
        // And back up across the boundaries the window dropped.
        for _ in 0..<649 { press(.char("k")) }
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0000")
        XCTAssertEqual(vm.listOffset + vm.contacts.selected + 1, 1)
        press(.char("G"))
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0649")
        XCTAssertEqual(vm.listOffset + vm.contacts.selected + 1, 650)
        press(.pageUp)
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0639")
        for _ in 0..<12 { press(.pageUp) }
        XCTAssertEqual(vm.listOffset + vm.contacts.selected + 1, 520, "across pages loaded backwards")
        let person = try XCTUnwrap(db.contacts.search("Person 0333", filter: .init(), limit: 1).first)
        vm.show(contactID: person.id)
        XCTAssertEqual(vm.listOffset + vm.contacts.selected + 1, 334, "placed by counting, after a jump")
        press(.char("g"), .pageDown, .pageDown)
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0020")
    }

    /// A list longer than a count on a key (10,000 rows; 100 here) is
    /// counted that far and no further: the counter says "1/100+", a jump
    /// past the counted rows says the row lies past them, and the top or a
    /// walk to the end makes the figures exact again.
    func testALongListIsCountedOnlyAsFarAsAKeyAffords() throws {
        try db.transaction {
            for i in 0..<650 { _ = try db.contacts.create(Contact(name: String(format: "Person %04d", i))) }
        }
        start()
        vm.searchCountLimit = 100
        vm.reloadList()
        XCTAssertEqual(vm.listPosition, "1/100+")
        press(.char("G"))
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0649")
        XCTAssertEqual(vm.listPosition, ">100/100+", "the end of a long list: only known to lie past the count")
        press(.char("k"))
        XCTAssertEqual(vm.listPosition, ">100/100+")
        let near = try XCTUnwrap(db.contacts.search("Person 0040", filter: .init(), limit: 1).first)
        vm.show(contactID: near.id)
        XCTAssertEqual(vm.listPosition, "41/100+", "a contact within the counted rows is placed exactly")
        let far = try XCTUnwrap(db.contacts.search("Person 0333", filter: .init(), limit: 1).first)
        vm.show(contactID: far.id)
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0333")
        XCTAssertEqual(vm.listPosition, ">100/100+", "a contact far down: past the count")
        press(.char("g"))
        XCTAssertEqual(vm.listPosition, "1/100+")
        for _ in 0..<70 { press(.pageDown) }
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Person 0649")
        XCTAssertEqual(vm.listPosition, "650/650", "walked to the end from the top: exact")
    }

    func testUndoRestoresADeleteAndAnEdit() throws {
        _ = try db.contacts.create(Contact(name: "Ada Lovelace"))
        _ = try db.contacts.create(Contact(name: "Grace Hopper"))
        start()
        press(.char("d"))
        guard case .confirm = app.overlay else { return XCTFail("delete asks first") }
        press(.char("y"))
        XCTAssertEqual(names, ["Grace Hopper"])
        press(.char("u"))
        XCTAssertEqual(names, ["Ada Lovelace", "Grace Hopper"])
        XCTAssertEqual(app.statusMessage?.text, "Undone: delete of Ada Lovelace")

        press(.char("e"))
        guard case .form(let form) = app.overlay else { return XCTFail("edit opens a form") }
        press(.ctrl("u"))
        type("Augusta Ada King")
        press(.ctrl("s"))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try db.contacts.search("augusta", filter: .init(), limit: 5).count, 1)
        _ = form
        press(.char("u"))
        XCTAssertEqual(try db.contacts.search("augusta", filter: .init(), limit: 5).count, 0)
        XCTAssertEqual(try db.contacts.search("lovelace", filter: .init(), limit: 5).count, 1)
    }

    func testTrashListsDeletedContactsAndRestoresThemWithTheirTimeline() throws {
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace"))
        _ = try db.interactions.log(Interaction(contactID: ada.id, kind: .note, body: "Met at the fair"))
        _ = try db.contacts.create(Contact(name: "Grace Hopper"))
        start()
        press(.char("d"), .char("y"))
        XCTAssertEqual(names, ["Grace Hopper"])
        press(.char("T"))
        XCTAssertTrue(vm.showingTrash)
        XCTAssertEqual(names, ["Ada Lovelace"])
        XCTAssertEqual(vm.timeline.rows.first?.interaction.body, "Met at the fair", "a deleted contact's history can be read")
        press(.char("e"))
        XCTAssertNil(app.overlay, "no editing in the trash")
        press(.char("r"))
        XCTAssertEqual(names, [], "restored: gone from the trash")
        XCTAssertEqual(app.statusMessage?.text, "Restored Ada Lovelace, with its timeline")
        press(.escape)
        XCTAssertFalse(vm.showingTrash)
        XCTAssertEqual(names, ["Ada Lovelace", "Grace Hopper"])
        press(.char("u"))
        XCTAssertEqual(names, ["Grace Hopper"], "undo deletes it again")
    }

    func testValidationErrorKeepsWhatWasTyped() throws {
        start()
        press(.char("a"))
        guard case .form(let form) = app.overlay else { return XCTFail("add opens a form") }
        type("Li Na")
        press(.tab, .tab, .tab)
        type("li.na@")
        press(.ctrl("s"))
        XCTAssertNotNil(app.overlay, "the form stays open")
        XCTAssertEqual(form["name"], "Li Na")
        XCTAssertEqual(form["emails"], "li.na@")
        XCTAssertEqual(form.focusedField.name, "emails")
        XCTAssertTrue(form.fields.first { $0.name == "emails" }?.error?.contains("not an email") ?? false)
        XCTAssertEqual(try db.contacts.count(filter: .init()), 0)
    }

    func testFixingOneFieldKeepsTheOtherFieldsErrors() throws {
        start()
        press(.char("a"))
        guard case .form(let form) = app.overlay else { return XCTFail("add opens a form") }
        type("Li Na")
        press(.tab, .tab, .tab)
        type("bad")
        press(.tab)
        type("fax: abc")
        press(.ctrl("s"))
        XCTAssertNotNil(form.fields.first { $0.name == "emails" }?.error)
        XCTAssertNotNil(form.fields.first { $0.name == "phones" }?.error)
        XCTAssertEqual(form.focusedField.name, "emails")
        press(.ctrl("u"))
        XCTAssertNil(form.fields.first { $0.name == "emails" }?.error)
        XCTAssertNotNil(form.fields.first { $0.name == "phones" }?.error, "the phone error stays until the phone is edited")
        XCTAssertNotNil(form.banner)
        press(.tab, .ctrl("u"))
        XCTAssertNil(form.banner, "with no error left, the banner goes too")
        press(.ctrl("s"))
        XCTAssertNil(app.overlay)
    }

    func testStaleEditShowsWhoChangedWhatAndNeverOverwritesSilently() throws {
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", title: "Analyst"))
        start()
        press(.char("e"))
        guard case .form(let form) = app.overlay else { return XCTFail("edit opens a form") }
        press(.tab)
        press(.ctrl("u"))
        type("Countess")

        // Omid changes the same contact from his own connection meanwhile.
        let omid = try Database(path: db.path, login: "omid")
        var theirs = try XCTUnwrap(omid.contacts.get(ada.id))
        theirs.title = "Mathematician"
        _ = try omid.contacts.update(theirs)

        press(.ctrl("s"))
        XCTAssertNotNil(form.conflict)
        XCTAssertEqual(form.conflict?.changedBy, "omid")
        XCTAssertEqual(form.conflict?.changedFields, ["title"])
        XCTAssertTrue(form.banner?.contains("omid") ?? false)
        XCTAssertEqual(form["title"], "Countess", "what was typed is kept")
        XCTAssertEqual(try db.contacts.get(ada.id)?.title, "Mathematician", "nothing overwritten")
        // What omid stored is shown under the field, beside what was typed (QA 30 #9).
        XCTAssertEqual(form.theirs, ["title": "Mathematician"])

        // Ctrl-R asks before it drops what was typed; any key but y keeps it.
        press(.ctrl("r"))
        XCTAssertTrue(form.confirmingReload)
        press(.char("n"))
        XCTAssertEqual(form["title"], "Countess", "kept")
        XCTAssertNotNil(form.conflict)
        press(.ctrl("r"), .char("y"))
        XCTAssertEqual(form["title"], "Mathematician", "reload shows their version")
        XCTAssertEqual(form.theirs, [:])
        XCTAssertNil(form.conflict)
        press(.ctrl("u"))
        type("Countess")
        press(.ctrl("s"))
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try db.contacts.get(ada.id)?.title, "Countess")
    }

    func testOverwritingAfterAConflictKeepsTheColleaguesUntouchedFields() throws {
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", title: "Analyst"))
        start()
        press(.char("e"))
        guard case .form(let form) = app.overlay else { return XCTFail("edit opens a form") }
        form.focus(field: "source")
        type("referral")
        let omid = try Database(path: db.path, login: "omid")
        var theirs = try XCTUnwrap(omid.contacts.get(ada.id))
        theirs.title = "Mathematician"
        _ = try omid.contacts.update(theirs)
        press(.ctrl("s"))
        XCTAssertNotNil(form.conflict)
        press(.ctrl("o"))
        XCTAssertNil(app.overlay, "saved")
        let stored = try XCTUnwrap(db.contacts.get(ada.id))
        XCTAssertEqual(stored.source, "referral", "my change is saved")
        XCTAssertEqual(stored.title, "Mathematician", "their change to a field I did not touch stays")
    }

    func testCallTimerRunsOnTheInjectedClockAndLogsTheDuration() throws {
        let grace = try db.contacts.create(Contact(name: "Grace Hopper", phones: [PhoneNumber("(555) 867-5309")]))
        start()
        press(.char("c"))
        guard case .call(let call) = app.overlay else { return XCTFail("c starts call mode") }
        XCTAssertEqual(call.timerText, "00:00")
        clock.advance(by: 65)
        XCTAssertEqual(call.timerText, "01:05")
        type("Wants a quote")
        press(.ctrl("t"))
        XCTAssertEqual(call.direction, .inbound)
        press(.escape)
        XCTAssertTrue(call.confirmingDiscard)
        press(.char("n"))
        XCTAssertFalse(call.confirmingDiscard)
        clock.advance(by: 10)
        press(.ctrl("s"))
        XCTAssertNil(app.overlay)
        let logged = try XCTUnwrap(db.interactions.timeline(.contact(grace.id), before: nil, limit: 1).first?.interaction)
        XCTAssertEqual(logged.durationSeconds, 75)
        XCTAssertEqual(logged.direction, .inbound)
        XCTAssertEqual(logged.body, "Wants a quote")
        XCTAssertEqual(vm.timeline.rows.first?.id, logged.id, "the call is at the top of the timeline")
    }

    func testAnotherUsersChangeAppearsOnTickWithSelectionKept() throws {
        for name in ["Bernd", "Carla", "Dora"] { _ = try db.contacts.create(Contact(name: name)) }
        start()
        press(.char("j"))
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Carla")
        let omid = try Database(path: db.path, login: "omid")
        _ = try omid.contacts.create(Contact(name: "Anna"))
        let carla = try XCTUnwrap(vm.contacts.selectedRow?.id)
        _ = try omid.interactions.log(Interaction(contactID: carla, kind: .note, body: "from omid"))
        app.handle(.tick)
        XCTAssertEqual(names, ["Anna", "Bernd", "Carla", "Dora"])
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Carla")
        XCTAssertEqual(vm.timeline.rows.first?.interaction.body, "from omid")
    }

    func testDetailsFollowTheSelectionWhenItRests() throws {
        for name in ["Ada", "Bea", "Cem"] { _ = try db.contacts.create(Contact(name: name)) }
        start()
        XCTAssertEqual(vm.detail?.contact.name, "Ada")
        press(.char("j"), .char("j"))
        XCTAssertEqual(vm.contacts.selectedRow?.name, "Cem")
        XCTAssertEqual(vm.detail?.contact.name, "Ada", "the details wait while keys keep coming")
        app.handle(.tick)
        XCTAssertEqual(vm.detail?.contact.name, "Ada")
        clock.advance(by: 0.2)
        let before = app.revision
        app.handle(.tick)
        XCTAssertEqual(vm.detail?.contact.name, "Cem")
        XCTAssertGreaterThan(app.revision, before, "a redraw follows")
        // An action never works on the details of a row no longer selected.
        press(.char("k"), .char("e"))
        guard case .form(let form) = app.overlay else { return XCTFail("e opens the form") }
        XCTAssertEqual(form["name"], "Bea")
    }

    func testTypingReplacesAPrefilledPromptAndCursorKeysEditIt() throws {
        _ = try db.contacts.create(Contact(name: "Ada", tags: ["vip", "berlin"]))
        _ = try db.contacts.create(Contact(name: "Bea", tags: ["berlin"]))
        start()
        press(.char("t"))
        type("vip")
        press(.enter)
        XCTAssertEqual(names, ["Ada"])
        press(.char("t"))
        guard case .prompt(let prompt) = app.overlay else { return XCTFail("t asks for a tag") }
        XCTAssertEqual(prompt.input.text, "vip", "the current tag is offered")
        type("berlin")
        guard case .prompt(let typed) = app.overlay else { return XCTFail("still asking") }
        XCTAssertEqual(typed.input.text, "berlin", "typing replaced the prefilled text")
        press(.enter)
        XCTAssertEqual(names, ["Ada", "Bea"])
        press(.char("t"), .end)
        type("x")
        guard case .prompt(let edited) = app.overlay else { return XCTFail("still asking") }
        XCTAssertEqual(edited.input.text, "berlinx", "after a cursor key, typing edits")
    }

    func testTheDetailsPaneScrollsWhenFocused() throws {
        _ = try db.contacts.create(Contact(name: "Ada"))
        start()
        press(.tab)
        XCTAssertEqual(vm.focus, .details)
        press(.char("j"), .char("j"), .char("j"))
        XCTAssertEqual(vm.detailScroll, 3)
        vm.limitDetailScroll(to: 1)
        XCTAssertEqual(vm.detailScroll, 1, "the pane caps it at what there is to see")
        press(.char("k"))
        XCTAssertEqual(vm.detailScroll, 0)
    }

    func testHelpAndPaletteComeFromTheKeyTable() throws {
        start()
        press(.char("?"))
        guard case .help = app.overlay else { return XCTFail("? shows help") }
        press(.escape)
        press(.char(":"))
        guard case .palette(let palette) = app.overlay else { return XCTFail(": opens the palette") }
        // The view's and the global actions, then every other view's.
        XCTAssertEqual(Set(palette.entries.filter { $0.view == nil }.map(\.binding.action)), Set(app.allBindings.map(\.action)))
        XCTAssertTrue(palette.entries.contains { $0.view == .pipeline && $0.binding.action == .markWon })
        type("companies")
        XCTAssertEqual(palette.matches.first?.action, .toggleCompanies)
        press(.enter)
        XCTAssertEqual(vm.mode, .companies)
    }
}

extension ContactsViewModelTests {
    func testPaletteRanksCloseMatchesFirst() {
        XCTAssertGreaterThan(PaletteModel.score("snz", "Snooze: 1 hour, tomorrow morning") ?? 0,
                             PaletteModel.score("snz", "Settings: time zone, calendar, first weekday") ?? 0)
        XCTAssertNil(PaletteModel.score("zzz", "Snooze"))
        XCTAssertGreaterThan(PaletteModel.score("comp", "Show companies") ?? 0, PaletteModel.score("comp", "Clear search and filters... complete") ?? -99)
    }
}
