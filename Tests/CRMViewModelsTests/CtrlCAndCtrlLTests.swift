import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Ctrl-C arrives as a key while the screen is up: over a view it quits, in a
/// form, prompt or call card it never throws typed text away unasked. Ctrl-L
/// repaints the whole terminal, whatever is shown.
final class CtrlCAndCtrlLTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-ctrlc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        _ = try db.contacts.create(Contact(name: "Ada Lovelace", tags: ["vip"]))
        app = AppModel(repositories: db, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                       timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .contacts)
        app.contacts.setViewport(list: 10, timeline: 10)
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    func press(_ key: Key) -> [Effect] { app.handle(.key(key)) }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }

    func testCtrlCOverAViewQuits() {
        XCTAssertEqual(press(.ctrl("c")), [.quit])
    }

    func testCtrlCQuitsFromASearchLineToo() {
        press(.char("/"))
        type("ad")
        XCTAssertTrue(app.contacts.isSearching)
        XCTAssertEqual(press(.ctrl("c")), [.quit])
    }

    func testCtrlCInANoteWithTextAsksAndKeepsTheText() throws {
        press(.char("n"))
        guard case .form(let form) = app.overlay else { return XCTFail("n opens the note form") }
        let field = form.focusedField.name
        type("Called about the invoice")
        XCTAssertEqual(press(.ctrl("c")), [], "Ctrl-C must not quit with text typed")
        guard case .form(let asking) = app.overlay else { return XCTFail("the form stays up") }
        XCTAssertTrue(asking === form)
        XCTAssertTrue(form.confirmingDiscard, "Ctrl-C asks, as Esc does")
        XCTAssertEqual(form[field], "Called about the invoice")

        press(.char("n"))   // any key but y: keep editing
        XCTAssertFalse(form.confirmingDiscard)
        XCTAssertEqual(form[field], "Called about the invoice")

        press(.ctrl("c"))
        press(.char("y"))
        XCTAssertNil(app.overlay, "y discards")
    }

    /// QA 38 A-F4: Left, Home, End or Ctrl-A in the edit form counted as
    /// typing, so Esc asked "Discard what you typed?" with nothing typed.
    func testMovingTheCursorIsNotTypingButDeletingIs() {
        press(.char("e"))
        guard case .form(let form) = app.overlay else { return XCTFail("e opens the edit form") }
        for key: Key in [.left, .home, .end, .ctrl("a"), .ctrl("e"), .right, .ctrlLeft] { press(key) }
        XCTAssertFalse(form.isDirty)
        press(.escape)
        XCTAssertNil(app.overlay, "nothing typed: Esc closes at once")

        press(.char("e"))
        guard case .form(let again) = app.overlay else { return XCTFail("e opens the edit form") }
        press(.end)
        press(.backspace)
        XCTAssertTrue(again.isDirty, "a deleted character is a change")
        press(.escape)
        XCTAssertTrue(again.confirmingDiscard)
    }

    /// QA 40 #7: typed and then deleted again, the form holds what it opened
    /// with; Esc has nothing to discard and closes at once.
    func testTextTypedAndDeletedAgainIsNothingToDiscard() {
        press(.char("e"))
        guard case .form(let form) = app.overlay else { return XCTFail("e opens the edit form") }
        press(.end)
        press(.char("x"))
        press(.backspace)
        XCTAssertTrue(form.isDirty)
        press(.escape)
        XCTAssertFalse(form.confirmingDiscard)
        XCTAssertNil(app.overlay, "back to the stored text: Esc closes at once")
    }

    func testCtrlCInAnUntouchedFormLeavesItWithoutQuitting() {
        press(.char("n"))
        XCTAssertEqual(press(.ctrl("c")), [])
        XCTAssertNil(app.overlay)
    }

    func testCtrlCInAPromptWithTextAsksFirst() {
        press(.char("t"))
        type("berl")
        XCTAssertEqual(press(.ctrl("c")), [])
        guard case .prompt(let asking) = app.overlay else { return XCTFail("the prompt stays up") }
        XCTAssertTrue(asking.confirmingDiscard)
        XCTAssertEqual(asking.input.text, "berl")

        press(.char("x"))   // any key but y: back to the text, the key not typed
        guard case .prompt(let editing) = app.overlay else { return XCTFail("still the prompt") }
        XCTAssertFalse(editing.confirmingDiscard)
        XCTAssertEqual(editing.input.text, "berl")

        press(.ctrl("c"))
        press(.char("y"))
        XCTAssertNil(app.overlay)
    }

    func testCtrlCInAPromptWithNothingTypedLeavesIt() {
        press(.char("t"))   // offers nothing typed yet
        XCTAssertEqual(press(.ctrl("c")), [])
        XCTAssertNil(app.overlay)
    }

    func testCtrlCOnACallCardAsksBeforeThrowingTheCallAway() {
        press(.char("c"))
        guard case .call(let call) = app.overlay else { return XCTFail("c starts a call") }
        type("Wants a quote")
        XCTAssertEqual(press(.ctrl("c")), [])
        XCTAssertTrue(call.confirmingDiscard)
        press(.char("n"))
        XCTAssertEqual(call.note.text, "Wants a quote")
        guard case .call = app.overlay else { return XCTFail("the call goes on") }
    }

    func testCtrlLRepaintsOverAViewAndOverAForm() {
        XCTAssertEqual(press(.ctrl("l")), [.repaint])
        press(.char("n"))
        type("half a note")
        XCTAssertEqual(press(.ctrl("l")), [.repaint])
        guard case .form(let form) = app.overlay else { return XCTFail("the form stays up") }
        XCTAssertEqual(form[form.focusedField.name], "half a note", "Ctrl-L types nothing")
    }
}
