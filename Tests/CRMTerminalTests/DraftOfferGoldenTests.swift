import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// The first screen after a start that found unsaved work: the question, the
/// text that was kept, and the three answers.
final class DraftOfferGoldenTests: XCTestCase {
    var folder: URL!

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func makeApp(_ work: Draft.Work) throws -> AppModel {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("crm.db").path
        let db = try Database(path: path, login: "sara")
        _ = try db.contacts.create(Contact(name: "Günter Müller"))
        let now = ISO8601DateFormatter().date(from: "2026-11-27T14:20:00Z")!
        let store = DraftStore(folder: folder.appendingPathComponent("drafts").path, database: path, user: "sara")
        try store.save(Draft(savedAt: now.addingTimeInterval(-600), work: work))
        let app = AppModel(repositories: db, clock: ManualClock(now), timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.drafts = store
        app.start(in: .today)
        return app
    }

    func render(_ app: AppModel, _ w: Int, _ h: Int) -> MemoryScreen {
        let screen = MemoryScreen(width: w, height: h)
        app.handle(.resize(width: w, height: h))
        AppRenderer.render(app, on: screen)
        return screen
    }

    static let call = Draft.Work.call(CallDraft(
        contactID: 1, contactName: "Günter Müller", dealID: nil, startedAt: ISO8601DateFormatter().date(from: "2026-11-27T14:03:00Z")!,
        direction: .inbound, note: "Wants 40 units of the röntgen unit\nasks for 10 % off\nneeds it before Christmas\ndelivery to Köln",
        outcome: "quote by Friday", editingOutcome: false, followUpAfter: false))

    func testCallOffer80x24() throws {
        let app = try makeApp(Self.call)
        assertGolden(render(app, 80, 24), named: "draft-offer-call-80x24", withStyles: true)
    }

    func testFormOffer120x40() throws {
        let app = try makeApp(.form(FormDraft(
            purpose: .editContact(id: 1), title: "Edit Günter Müller",
            values: ["name": "Günter Müller", "title": "Einkaufsleiter", "notes": "Prefers calls after 16:00"],
            initialValues: ["name": "Günter Müller", "title": "", "notes": ""], baseVersion: 1, focus: "title",
            fields: [.init(name: "name", label: "Name"), .init(name: "title", label: "Job title"), .init(name: "notes", label: "Notes")])))
        assertGolden(render(app, 120, 40), named: "draft-offer-form-120x40")
    }
}
