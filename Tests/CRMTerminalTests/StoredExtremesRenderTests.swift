import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
@testable import CRMViewModels
import Foundation
import XCTest

/// Values no form accepts, written into the file by a second connection with
/// raw SQL (as an old version, another program or a hand-made fix could):
/// every screen still loads and draws, the value is shown flagged, and the
/// rest of the screen works. Before, the board trapped on the weighted total
/// ("arithmetic overflow") and emptied on SQLite's "integer overflow", and
/// an unknown currency was shown and totalled as EUR.
final class StoredExtremesRenderTests: XCTestCase {
    static let now = Date(timeIntervalSince1970: 1_773_489_600)  // 2026-03-14 12:00 UTC
    var folder: URL!
    var db: Database!
    var app: AppModel!
    var contact: Contact!
    var deals: [String: Deal] = [:]

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-extremes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "alice")
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Qualified", position: 1, probability: 50),
        ])
        let stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }
        let acme = try db.companies.create(Company(name: "Acme Corp"))
        contact = try db.contacts.create(Contact(name: "Ada Lovelace", companyID: acme.id, lifecycle: .customer))
        func deal(_ title: String, _ stage: Int, _ minor: Int64 = 1000_00) throws {
            deals[title] = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[stage].id, title: title,
                                                    value: Money(minorUnits: minor, currency: .eur), contactID: contact.id))
        }
        try deal("Normal", 0)
        try deal("QA overflow", 0)
        try deal("At Int64.max", 0)
        try deal("Bad code", 0)
        try deal("Bad code too", 0)
        try deal("Real value", 1)
        try deal("From the far future", 1)
        _ = try db.interactions.log(Interaction(contactID: contact.id, kind: .call, direction: .outbound,
                                                occurredAt: Self.now.addingTimeInterval(-3600), durationSeconds: 300, body: "Long call"))
        _ = try db.followUps.create(FollowUp(contactID: contact.id, assigneeID: db.currentUser.id, title: "Ancient follow-up",
                                             dueAt: Self.now.addingTimeInterval(-3600)))
        try db.connection.run("UPDATE deals SET stage_entered_at = ?, created_at = ?", [Self.now.addingTimeInterval(-2 * 86400), Self.now])
        // The contact's details list the five most recently changed deals.
        for (age, title) in ["QA overflow", "Bad code", "Normal", "At Int64.max", "Real value", "Bad code too", "From the far future"].enumerated() {
            try db.connection.run("UPDATE deals SET updated_at = ? WHERE id = ?", [Self.now.addingTimeInterval(-Double(age) * 60), deals[title]!.id])
        }

        let grace = try db.contacts.create(Contact(name: "Grace Hopper", ownerID: db.currentUser.id, lifecycle: .customer))
        _ = try db.interactions.log(Interaction(contactID: grace.id, kind: .note, occurredAt: Self.now, body: "Met at a fair"))

        // A colleague's process (another connection) writes what no form would.
        let other = try Database(path: db.path, login: "bob")
        let raw = other.connection
        // QA: 9300000000000000 EUR in a 10 % stage, as minor units.
        try raw.run("UPDATE deals SET value_minor = ? WHERE id = ?", [Int64(930_000_000_000_000_000), deals["QA overflow"]!.id])
        try raw.run("UPDATE deals SET value_minor = ? WHERE id = ?", [Int64.max, deals["At Int64.max"]!.id])
        try raw.run("UPDATE deals SET currency = 'XYZ', value_minor = 50000 WHERE id = ?", [deals["Bad code"]!.id])
        try raw.run("UPDATE deals SET currency = 'XYZ', value_minor = 25000 WHERE id = ?", [deals["Bad code too"]!.id])
        try raw.run("UPDATE deals SET value_minor = 1e30 WHERE id = ?", [deals["Real value"]!.id])
        try raw.run("UPDATE deals SET stage_entered_at = ?, expected_close = ? WHERE id = ?",
                    [Int64.max, Int64.min, deals["From the far future"]!.id])
        try raw.run("UPDATE interactions SET duration_s = 200000000000000000 WHERE kind = 'call'")
        try raw.run("UPDATE follow_ups SET due_at = ?", [Int64.min])
        try raw.run("UPDATE interactions SET occurred_at = ? WHERE contact_id = ?", [Int64.min, grace.id])

        app = AppModel(repositories: db, clock: ManualClock(Self.now), timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
    }

    override func tearDown() {
        app = nil
        db = nil
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func draw(_ width: Int = 120, _ height: Int = 40) -> String {
        let screen = MemoryScreen(width: width, height: height)
        app.handle(.resize(width: width, height: height))
        AppRenderer.render(app, on: screen)
        return screen.rowsText().joined(separator: "\n")
    }

    func testTheBoardLoadsWithOutOfRangeTotalsFlaggedAndUnknownCurrenciesApart() throws {
        app.start(in: .pipeline)
        XCTAssertNil(app.statusMessage, "every read worked: \(app.statusMessage?.text ?? "")")
        let vm = try XCTUnwrap(app.pipeline)
        XCTAssertEqual(vm.columns.map(\.stage.name), ["Lead", "Qualified"], "the board is not empty")
        let lead = vm.columns[0].totals
        XCTAssertEqual(lead.count, 5)
        let eur = try XCTUnwrap(lead.byCurrency.first { $0.currency == .eur })
        XCTAssertEqual(eur.count, 3)
        XCTAssertNil(eur.sum, "a total with values no deal may hold is out of range, not wrapped or trapped")
        XCTAssertNil(eur.weighted)
        let xyz = try XCTUnwrap(lead.byCurrency.first { $0.currency.code == "XYZ" })
        XCTAssertFalse(xyz.currency.isKnown)
        XCTAssertEqual(xyz.count, 2)
        XCTAssertEqual(xyz.sum?.minorUnits, 750_00, "summed apart from EUR")
        XCTAssertEqual(xyz.weighted?.minorUnits, 75_00)
        XCTAssertEqual(lead.byCurrency.count, 2)
        XCTAssertNil(vm.columns[1].totals.byCurrency.first?.sum, "a REAL written into value_minor is out of range")

        let screen = draw()
        XCTAssertTrue(screen.contains("Σ out of range EUR"), screen)
        XCTAssertTrue(screen.contains("Σ 750 XYZ?  ≈ 75 XYZ?"), screen)
        XCTAssertTrue(screen.contains("1.0k EUR · alice · 2d"), "the normal card is drawn as usual:\n\(screen)")
        XCTAssertTrue(screen.contains("out of range EUR · alice"), screen)
        XCTAssertTrue(screen.contains("500 XYZ? · alice · 2d"), screen)
        XCTAssertTrue(screen.contains("—d"), "days in stage from a date no screen can show:\n\(screen)")

        // The narrow board too.
        let small = draw(80, 24)
        XCTAssertTrue(small.contains("Σ out of range EUR"), small)
    }

    func testDealDetailsShowTheStoredValueFlagged() throws {
        app.start(in: .pipeline)
        _ = draw()
        app.handle(.key(.char("j")))
        app.handle(.key(.enter))
        XCTAssertEqual(app.pipeline?.detail?.card.deal.title, "QA overflow")
        var screen = draw()
        XCTAssertTrue(screen.contains("Value     out of range (9,300,000,000,000,000.00 EUR)"), screen)
        XCTAssertTrue(screen.contains("Weighted  out of range (10%)"), screen)
        app.handle(.key(.escape))
        app.handle(.key(.char("l")))
        app.handle(.key(.char("j")))
        app.handle(.key(.enter))
        XCTAssertEqual(app.pipeline?.detail?.card.deal.title, "From the far future")
        screen = draw()
        XCTAssertTrue(screen.contains("Qualified · days out of range"), screen)
        XCTAssertTrue(screen.contains("Close by  out of range"), screen)
        // The edit form shows the stored value as it is, and refuses it with the range.
        app.handle(.key(.escape))
        app.handle(.key(.char("k")))
        app.handle(.key(.char("e")))
        guard case .form(let form) = app.overlay else { return XCTFail("expected the edit form") }
        XCTAssertEqual(form["value"], "-92,233,720,368,547,758.08", "a REAL reads as out of range, never as a made-up amount")
        app.handle(.key(.ctrl("s")))
        XCTAssertTrue(form.fields.first { $0.name == "value" }?.error?.contains("at most 9,999,999,999,999.99 EUR") ?? false,
                      form.fields.first { $0.name == "value" }?.error ?? "")
    }

    func testContactDetailsAndTimelineFlagTheStoredValues() throws {
        app.start(in: .contacts)
        app.contacts.show(contactID: contact.id)
        let screen = draw()
        XCTAssertTrue(screen.contains("Bad code · Lead · 500.00 XYZ?"), screen)
        XCTAssertTrue(screen.contains("QA overflow · Lead · out of range (9,300,000,000,000,0"), screen)
        XCTAssertTrue(screen.contains("Normal · Lead · 1,000.00 EUR"), screen)
        XCTAssertTrue(screen.contains("At Int64.max · Lead · out of range (92,233,720,368,547"), screen)
        XCTAssertTrue(screen.contains("Real value · Qualified · out of range EUR"), "a REAL shows no made-up amount:\n\(screen)")
        XCTAssertTrue(screen.contains("out of range · Ancient follow-up"), screen)
        XCTAssertTrue(screen.contains("[duration out of range] Long"), screen)
    }

    func testTodayDrawsAFollowUpDueAtTheStartOfInt64() throws {
        app.start(in: .today)
        let screen = draw()
        XCTAssertTrue(screen.contains("Ancient follow-up                  out of range"), screen)
        // Last heard from at the start of Int64: past their cadence by more than any screen can count.
        app.handle(.key(.char("[")))  // Needs attention
        let attention = draw()
        let grace = try XCTUnwrap(attention.split(separator: "\n").first { $0.contains("Grace Hopper") }, attention)
        XCTAssertTrue(grace.contains("every 7 d   out of range      out of range"), String(grace))
        _ = draw(80, 24)
    }
}
