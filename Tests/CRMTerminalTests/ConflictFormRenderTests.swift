import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// A stale edit at 80x24 (QA 29 #21): the three ways out are shown whole
/// (wrapped, not cut), and the hint line names both Ctrl-R and Ctrl-O.
final class ConflictFormRenderTests: XCTestCase {
    /// Omid edits Amélie (typing " lead" after her name) while Sara saves a
    /// new title: Omid's Ctrl-S meets a stale edit.
    private func staleEdit(width: Int, height: Int) throws -> (app: AppModel, form: FormModel) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-conflict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("crm.db").path
        let omid = try Database(path: path, login: "omid")
        let amelie = try omid.contacts.create(Contact(name: "Amélie Béranger", title: "QA"))
        let sara = try Database(path: path, login: "sara")
        let app = AppModel(repositories: omid, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: width, height: height))
        app.start(in: .contacts)
        app.handle(.key(.char("e")))
        guard case .form(let form)? = app.overlay else {
            XCTFail("the edit form opens")
            throw CocoaError(.featureUnsupported)
        }
        for c in " lead" { app.handle(.key(.char(c))) }
        var theirs = try XCTUnwrap(sara.contacts.get(amelie.id))
        theirs.title = "Head of QA"
        _ = try sara.contacts.update(theirs)
        app.handle(.key(.ctrl("s")))
        return (app, form)
    }

    func testTheWaysOutOfAConflictShowWholeAt80x24() throws {
        let (app, _) = try staleEdit(width: 80, height: 24)
        let screen = MemoryScreen(width: 80, height: 24)
        AppRenderer.render(app, on: screen)
        let text = screen.text
        XCTAssertTrue(text.contains("changed by sara"), text)
        XCTAssertTrue(text.contains("Ctrl-R reload theirs") && text.contains("Esc cancel"), text)
        XCTAssertFalse(text.contains("·…"), "nothing cut:\n\(text)")
        XCTAssertTrue(text.contains("Ctrl-O save yours") && text.contains("Ctrl-R take theirs"), "the form's hint line:\n\(text)")
        // What sara stored, under the field she changed (QA 30 #9).
        let lines = text.split(separator: "\n").map(String.init)
        let title = try XCTUnwrap(lines.firstIndex { $0.contains("Job title") && $0.contains("QA") }, text)
        XCTAssertTrue(lines[title + 1].contains("↳ sara: Head of QA"), text)
        app.handle(.key(.ctrl("r")))
        AppRenderer.render(app, on: screen)
        XCTAssertTrue(screen.text.contains("Drop what you typed and take theirs?"), screen.text)
    }
    /// QA 33 #17: a save refused for a field (in a stale-edit form), then
    /// the field corrected: the box keeps its top border and title, the
    /// conflict's sentence comes back, and the ways out stay inside.
    func testACorrectedFieldInAConflictFormKeepsTheBoxWhole() throws {
        let (app, form) = try staleEdit(width: 100, height: 30)
        XCTAssertNotNil(form.conflict, "the stale edit")
        while form.fields[form.focus].name != "emails" { app.handle(.key(.tab)) }
        for c in "bob@" { app.handle(.key(.char(c))) }
        app.handle(.key(.ctrl("o")))
        XCTAssertNotNil(form.fields.first { $0.name == "emails" }?.error, "the address is refused")
        for c in "example.com" { app.handle(.key(.char(c))) }
        XCTAssertNil(form.fields.first { $0.name == "emails" }?.error)
        let screen = MemoryScreen(width: 100, height: 30)
        AppRenderer.render(app, on: screen)
        let lines = screen.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let top = try XCTUnwrap(lines.firstIndex { $0.contains(form.title) }, screen.text)
        XCTAssertTrue(lines[top].contains("┌ \(form.title)") && !lines[top].contains("Ctrl-R"), "the top border and its title:\n\(screen.text)")
        XCTAssertTrue(lines[top + 1].contains("changed by sara"), "the conflict's sentence is back:\n\(screen.text)")
        XCTAssertTrue(lines[top + 2].contains("Ctrl-R reload theirs"), screen.text)
    }
}
