import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// The Trash (Z) drawn into the in-memory screen: every kind, who deleted it
/// and when, what goes with it; compared with golden files.
final class TrashGoldenTests: XCTestCase {
    static let now = ISO8601DateFormatter().date(from: "2026-11-23T15:00:00Z")!
    var folder: URL!
    var db: Database!
    var app: AppModel!
    var clock: ManualClock!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-trash-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        clock = ManualClock(Self.now.addingTimeInterval(-5 * 86_400))
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        let acme = try db.companies.create(Company(name: "Acme GmbH", domain: "acme.example"))
        let muller = try db.contacts.create(Contact(name: "Jürgen Müller", companyID: acme.id))
        let wang = try db.contacts.create(Contact(name: "王小明"))
        let p = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(db.pipelines.stages(pipelineID: p.id).first { $0.kind == .open })
        let deal = try db.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: "Renewal 2027",
                                            value: Money(minorUnits: 12_000_00, currency: .eur), contactID: muller.id, companyID: acme.id))
        _ = try db.followUps.create(FollowUp(dealID: deal.id, title: "Send the quote", dueAt: Self.now))
        _ = try db.followUps.create(FollowUp(dealID: deal.id, title: "Call about terms", dueAt: Self.now))
        let note = try db.interactions.log(Interaction(contactID: wang.id, kind: .note, occurredAt: clock.now, subject: "Evil \u{1b}[31mnote"))
        try db.interactions.delete(note.id)
        clock.advance(by: 86_400)
        try db.deals.delete(deal.id)
        clock.advance(by: 3600)
        try db.contacts.delete(wang.id)
        clock.advance(by: 86_400)
        try db.companies.delete(acme.id)
        clock.now = Self.now
        app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .contacts)
        app.handle(.key(.char("Z")))
        XCTAssertNotNil(app.overlay, app.statusMessage?.text ?? "no status")
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

    func testTrash80x24() {
        let screen = draw(80, 24)
        XCTAssertTrue(screen.text.contains("Trash · all kinds · 4 records"), screen.text)
        XCTAssertFalse(screen.text.contains("\u{1b}"))
        assertGolden(screen, named: "trash-80x24", withStyles: true)
    }

    /// A contact merged into another, at 80x24 (QA 28 #5): "merged into
    /// #ID" is shown whole (no blank "+N with it" column takes its room),
    /// and the sentence under the list says why it is not restored alone.
    func testAMergedAwayContactAt80x24() throws {
        let andres = try db.contacts.create(Contact(name: "Andrés Muñoz Fernández"))
        let other = try db.contacts.create(Contact(name: "Andrés Muñoz"))
        _ = try db.contacts.merge(into: andres, other: other.id, otherVersion: other.version)
        app.handle(.key(.escape))
        app.handle(.key(.char("Z")))
        let screen = draw(80, 24)
        XCTAssertTrue(screen.text.contains("Andrés Muñoz · merged into #\(andres.id)"), screen.text)
        XCTAssertTrue(screen.text.contains("was merged into #\(andres.id), which holds its history"), screen.text)
        assertGolden(screen, named: "trash-merged-80x24", withStyles: true)
    }

    func testTrash120x40OnTheDeal() {
        app.handle(.key(.char("j")))
        app.handle(.key(.char("j")))
        let screen = draw(120, 40)
        XCTAssertTrue(screen.text.contains("+2 with it"), screen.text)
        assertGolden(screen, named: "trash-120x40", withStyles: true)
    }
}
