import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// A rep edits their contact while an admin hands it over to a colleague:
/// the save is a stale edit (reload theirs, or save mine over theirs), not
/// a refusal of an owner change the rep never made.
final class HandoverWhileEditingTests: XCTestCase {
    func testARepsSaveAfterAHandoverIsStaleNotAnOwnerRefusal() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-handover-edit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("crm.db").path
        let sara = try Database(path: path, login: "sara")   // the first user: the admin
        _ = try sara.users.add(login: "omid", name: "Omid", role: .rep)
        _ = try sara.users.add(login: "li", name: "Li", role: .rep)
        let omid = try Database(path: path, login: "omid")
        let mine = try omid.contacts.create(Contact(name: "Begoña Fernández"))
        XCTAssertEqual(try omid.contacts.get(mine.id)?.ownerID, omid.currentUser.id)

        let app = AppModel(repositories: omid, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .contacts)
        app.handle(.key(.char("e")))
        guard case .form(let form)? = app.overlay else { return XCTFail("no edit form") }
        form.focus(field: "title")
        for c in "Head of sales" { app.handle(.key(.char(c))) }

        _ = try sara.users.handOver(from: "omid", plan: HandoverPlan(contactsTo: "li"))
        app.handle(.key(.ctrl("s")))
        XCTAssertNil(form.fields.first { $0.name == "owner" }?.error, "no owner refusal")
        XCTAssertNotNil(form.conflict, "a stale edit: Ctrl-R or Ctrl-O")
        // The hand-over is in the contact's own trail too (QA 27 #1): the
        // refusal names sara and the owner, not omid's own earlier change.
        XCTAssertTrue(form.banner?.hasPrefix("The contact was changed by sara") ?? false, form.banner ?? "")
        XCTAssertTrue(form.banner?.contains("(owner)") ?? false, form.banner ?? "")
        // Ctrl-O keeps the hand-over's owner and saves the title.
        app.handle(.key(.ctrl("o")))
        let saved = try XCTUnwrap(omid.contacts.get(mine.id))
        XCTAssertEqual(saved.title, "Head of sales")
        XCTAssertEqual(saved.ownerID, try sara.users.find(login: "li")?.id)
    }
}
