import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// Whole screens of the pipeline view, drawn by the real renderer from a real
/// SQLite file, compared with golden files (UPDATE_GOLDEN=1 rewrites them).
final class PipelineGoldenTests: XCTestCase {
    /// A fixed "now" and fixed dates in the database, so days in stage and
    /// rotting markers come out the same on every run.
    static let now = Date(timeIntervalSince1970: 1_773_489_600)  // 2026-03-14 12:00 UTC
    static let day: TimeInterval = 86400

    final class Board {
        let folder: URL
        let db: Database
        let app: AppModel
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-golden-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "alice")
            self.db = db
            let bob = try db.users.findOrCreate(login: "bob")
            let names = ["Lead", "Qualified", "Proposal", "Negotiation", "Contract", "Onboarding", "Signature"]
            let probabilities = [10, 25, 50, 75, 90, 95, 99]
            let pipeline = try db.pipelines.createPipeline("Sales", stages: names.indices.map {
                Stage(pipelineID: 0, name: names[$0], position: $0, probability: probabilities[$0], rotDays: $0 == 1 ? 7 : nil)
            })
            let stages = try db.pipelines.stages(pipelineID: pipeline.id)
            let acme = try db.companies.create(Company(name: "Acme Corp"))
            let muller = try db.companies.create(Company(name: "Müller GmbH"))
            let beijing = try db.companies.create(Company(name: "北京科技"))
            let rahimi = try db.contacts.create(Contact(name: "سارا رحیمی"))
            func deal(_ title: String, _ stage: Int, _ value: Int64, _ currency: String = "EUR", company: Company? = nil,
                      contact: Contact? = nil, owner: Int64? = nil, daysInStage: Double) throws {
                let d = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[stage].id, title: title,
                                                 value: Money(minorUnits: value, currency: Currency(currency)!),
                                                 ownerID: owner, contactID: contact?.id, companyID: company?.id))
                try db.connection.run("UPDATE deals SET stage_entered_at = ?, created_at = ? WHERE id = ?",
                                      [PipelineGoldenTests.now.addingTimeInterval(-daysInStage * PipelineGoldenTests.day),
                                       PipelineGoldenTests.now.addingTimeInterval(-40 * PipelineGoldenTests.day), d.id])
            }
            // Lead: more cards than fit.
            for i in 1...12 {
                try deal("Lead \(i)", 0, Int64(i) * 1000_00, company: [acme, muller, beijing][i % 3], owner: i % 2 == 0 ? bob.id : nil,
                         daysInStage: Double(i))
            }
            // Qualified: one rotting (rots after 7 days without activity), one fresh.
            try deal("Stalled rollout", 1, 48000_00, company: muller, daysInStage: 12)
            try deal("Fresh pilot", 1, 9500_00, company: acme, daysInStage: 2)
            // Proposal: mixed currencies, never added together.
            // EU expansion went Lead → Qualified (bob) → Proposal (alice), with a call on the way.
            try deal("EU expansion", 0, 120000_00, company: muller, daysInStage: 30)
            let eu = try XCTUnwrap(db.deals.cards(stageID: stages[0].id, filter: DealFilter(text: "expansion"), after: nil, limit: 1).first).deal
            try db.act(as: "bob")
            let q = try db.deals.move(eu.id, toStage: stages[1].id, expectedVersion: eu.version)
            try db.act(as: "alice")
            _ = try db.deals.move(eu.id, toStage: stages[2].id, expectedVersion: q.version)
            _ = try db.interactions.log(Interaction(dealID: eu.id, kind: .call, direction: .outbound,
                                                    occurredAt: PipelineGoldenTests.now.addingTimeInterval(-8 * PipelineGoldenTests.day),
                                                    subject: "Pricing call with procurement",
                                                    createdAt: PipelineGoldenTests.now))
            for (n, days) in [30.0, 12, 5].enumerated() {
                let at = PipelineGoldenTests.now.addingTimeInterval(-days * PipelineGoldenTests.day)
                try db.connection.run("UPDATE deal_stage_history SET changed_at = ? WHERE id = (SELECT id FROM deal_stage_history WHERE deal_id = ? ORDER BY id LIMIT 1 OFFSET ?)",
                                      [at, eu.id, n])
                if n > 0 {
                    try db.connection.run("UPDATE interactions SET occurred_at = ? WHERE id = (SELECT id FROM interactions WHERE deal_id = ? AND kind = 'stage' ORDER BY id LIMIT 1 OFFSET ?)",
                                          [at, eu.id, n - 1])
                }
            }
            try db.connection.run("UPDATE deals SET stage_entered_at = ? WHERE id = ?", [PipelineGoldenTests.now.addingTimeInterval(-5 * PipelineGoldenTests.day), eu.id])
            try deal("US licences", 2, 80000_00, "USD", company: acme, owner: bob.id, daysInStage: 3)
            try deal("Tokyo office", 2, 5_000_000, "JPY", company: beijing, daysInStage: 1)
            try deal("Evil \u{1b}[31mred\u{1b}[0m deal", 2, 100_00, contact: rahimi, daysInStage: 0)
            try deal("Renewal 2026", 3, 30000_00, company: beijing, owner: bob.id, daysInStage: 20)
            try deal("Late stage", 6, 5000_00, "GBP", company: acme, daysInStage: 4)
            // A lost reason used before, offered by the lost prompt.
            let old = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "Old loss",
                                               value: Money(minorUnits: 100, currency: .eur)))
            _ = try db.deals.close(old.id, as: .lost, reason: "Price too high", expectedVersion: old.version)
            // Every other date the store wrote with the real clock, pinned.
            try db.connection.run("UPDATE deals SET closed_at = ? WHERE status != 'open'", [PipelineGoldenTests.now.addingTimeInterval(-3 * PipelineGoldenTests.day)])
            try db.connection.run("UPDATE deal_stage_history SET changed_at = (SELECT stage_entered_at FROM deals WHERE deals.id = deal_stage_history.deal_id) WHERE from_stage_id IS NULL AND deal_id != ?",
                                  [eu.id])
            try db.connection.run("UPDATE interactions SET occurred_at = ? WHERE kind = 'stage' AND deal_id != ?", [PipelineGoldenTests.now.addingTimeInterval(-3 * PipelineGoldenTests.day), eu.id])
            app = AppModel(repositories: db, clock: ManualClock(PipelineGoldenTests.now),
                           timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
            app.start(in: .pipeline)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        func press(_ keys: Key...) { for key in keys { app.handle(.key(key)) } }

        func draw(_ width: Int, _ height: Int) -> MemoryScreen {
            let screen = MemoryScreen(width: width, height: height)
            app.handle(.resize(width: width, height: height))
            // One frame: the resize already worked out what fits and loaded it.
            AppRenderer.render(app, on: screen)
            return screen
        }
    }

    func testBoard80x24() throws {
        let board = try Board()
        assertGolden(board.draw(80, 24), named: "pipeline-board-80x24", withStyles: true)
    }

    /// digits = persian: counts, probabilities, totals, card values and days
    /// in Persian digits; deal titles and names as they are ("Lead 12").
    func testBoardWithPersianDigits80x24() throws {
        let board = try Board()
        var settings = board.app.settings
        settings.timeZone = TimeZone(identifier: "UTC")
        settings.digits = .persian
        board.app.apply(settings)
        let screen = board.draw(80, 24)
        assertGolden(screen, named: "pipeline-board-persian-digits-80x24")
        let text = screen.rowsText().joined(separator: "\n")
        XCTAssertTrue(text.contains("Lead · ۱۰%") && text.contains("stages ۱–۳ of ۷") && text.contains("Lead 4")
                      && text.contains("Evil ␛[31mred"), text)
    }

    func testBoard120x40() throws {
        let board = try Board()
        assertGolden(board.draw(120, 40), named: "pipeline-board-120x40", withStyles: true)
    }

    /// Every currency of a column gets its total and its weighted total
    /// (never added across currencies); more currencies than lines: the last
    /// line says how many more and which, instead of dropping them.
    func testColumnTotalsShowEveryCurrencyOrSayHowManyMore() {
        let totals = StageTotals(stageID: 1, byCurrency: [
            CurrencyTotal(currency: .eur, count: 3, sumMinor: 48_800_00, weightedMinor: 12_200_00),
            CurrencyTotal(currency: Currency("GBP")!, count: 2, sumMinor: 43_700_00, weightedMinor: 10_925_00),
            CurrencyTotal(currency: .usd, count: 1, sumMinor: 38_800_00, weightedMinor: 9_700_00),
        ])
        func lines(width: Int, height: Int) -> [String] {
            let screen = MemoryScreen(width: width, height: height)
            PipelineBoardPane.renderTotals(totals, in: Rect(x: 0, y: 0, width: width, height: height), on: screen)
            return screen.rowsText().map { $0.trimmingCharacters(in: .whitespaces) }
        }
        XCTAssertEqual(lines(width: 29, height: 3), ["Σ 48.8k EUR  ≈ 12.2k EUR", "Σ 43.7k GBP  ≈ 10.9k GBP", "Σ 38.8k USD  ≈ 9.7k USD"])
        XCTAssertEqual(lines(width: 20, height: 3), ["Σ 48.8k ≈ 12.2k EUR", "Σ 43.7k ≈ 10.9k GBP", "Σ 38.8k ≈ 9.7k USD"])
        XCTAssertEqual(lines(width: 29, height: 2), ["Σ 48.8k EUR  ≈ 12.2k EUR", "+2 more currencies: GBP, USD"])
        XCTAssertEqual(lines(width: 26, height: 2), ["Σ 48.8k EUR  ≈ 12.2k EUR", "+2 more: GBP, USD"])
    }

    /// Focus on the last stage: the board has scrolled right, the hidden
    /// stages are counted on the left; the long Lead column scrolled down.
    func testBoardScrolled80x24() throws {
        let board = try Board()
        _ = board.draw(80, 24)
        board.press(.char("G"))
        for _ in 0..<6 { board.press(.char("l")) }
        assertGolden(board.draw(80, 24), named: "pipeline-board-scrolled-80x24", withStyles: true)
        board.press(.char("g"))
        for _ in 0..<6 { board.press(.char("h")) }
        board.press(.char("j"), .char("j"), .char("j"), .char("j"), .char("j"))
        assertGolden(board.draw(80, 24), named: "pipeline-board-long-column-80x24")
    }

    func testLostReasonPrompt() throws {
        let board = try Board()
        _ = board.draw(80, 24)
        board.press(.char("l"), .char("x"))
        assertGolden(board.draw(80, 24), named: "pipeline-lost-reason-80x24", withStyles: true)
        assertGolden(board.draw(120, 40), named: "pipeline-lost-reason-120x40")
    }

    func testDetailsAndClosedList() throws {
        let board = try Board()
        _ = board.draw(120, 40)
        board.press(.char("l"), .char("l"), .enter)
        assertGolden(board.draw(120, 40), named: "pipeline-details-120x40")
        board.press(.escape, .char("c"))
        assertGolden(board.draw(80, 24), named: "pipeline-closed-80x24")
    }

    /// QA 45 FA #4: a rial value of many digits is never cut in the won and
    /// lost list; the Deal and Customer columns give way.
    func testALongValueIsNeverCutInTheClosedList() throws {
        let board = try Board()
        let stage = try XCTUnwrap(try board.db.pipelines.pipelines().first.flatMap { try board.db.pipelines.stages(pipelineID: $0.id).first })
        let big = try board.db.deals.create(Deal(pipelineID: stage.pipelineID, stageID: stage.id, title: "پروژه دیجی‌کالا",
                                                 value: Money(minorUnits: 350_000_000_000_00, currency: Currency("IRR")!)))
        _ = try board.db.deals.close(big.id, as: .won, reason: "", expectedVersion: big.version)
        _ = board.draw(80, 24)
        board.press(.char("c"))
        for width in [80, 120] {
            let text = board.draw(width, 24).text
            XCTAssertTrue(text.contains("350,000,000,000 IRR"), text)
        }
    }
}
