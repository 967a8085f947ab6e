import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// View 5 headless, on the twelve deals of `ReportFixture`: pages by Tab and
/// by name from the palette, the previous figures kept until new ones are
/// computed, the filters, a rep limited to their own figures, the drill-down.
final class ReportsModelTests: XCTestCase {
    var f: ReportFixture!
    var app: AppModel!

    override func setUpWithError() throws {
        f = try ReportFixture()
        app = AppModel(repositories: f.db, clock: f.clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!), settings: f.settings)
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .reports)
    }

    override func tearDown() {
        app = nil
        f = nil
    }

    func press(_ keys: Key...) { for key in keys { app.handle(.key(key)) } }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }
    var reports: ReportsModel { app.reports }

    func testTabTurnsThePageAndTheOldFiguresStayUntilTheNextTick() {
        XCTAssertEqual(reports.sheet?.page, .pipeline, "the first figures are there at once")
        XCTAssertFalse(reports.isStale)
        press(.tab)
        XCTAssertEqual(reports.page, .forecast)
        XCTAssertEqual(reports.sheet?.page, .pipeline, "the pipeline stays on screen until the forecast is computed")
        XCTAssertTrue(reports.isStale)
        app.handle(.tick)
        XCTAssertEqual(reports.sheet?.page, .forecast)
        XCTAssertFalse(reports.isStale)
        press(.backTab, .backTab)
        app.handle(.tick)
        XCTAssertEqual(reports.page, .customers, "Shift-Tab wraps around")
        XCTAssertEqual(reports.sheet?.page, .customers)
        XCTAssertEqual(reports.sheet?.sections.first?.key, "customers")
    }

    func testThePaletteOpensAPageByName() {
        app.run(.showToday)
        press(.char(":"))
        type("report forecast")
        press(.enter)
        app.handle(.tick)
        XCTAssertEqual(app.activeViewKind, .reports)
        XCTAssertEqual(reports.sheet?.page, .forecast)
    }

    func testFiltersChangeTheFiguresAndEscClearsThem() throws {
        // Every pipeline: the fixture's "Deals" pipeline among them.
        press(.char("$"))
        type("GBP")
        press(.enter)
        app.handle(.tick)
        XCTAssertEqual(reports.currency?.code, "GBP")
        let stages = try XCTUnwrap(reports.sheet?.section("stages"))
        XCTAssertEqual(stages.rows.filter(\.isTotal).map(\.values[3]), [.count(1)], "only D10 is in GBP")
        XCTAssertTrue(reports.filterSummary.hasSuffix("· GBP"))

        press(.char("D"))
        press(.ctrl("u"))
        type("۱۴۰۵-۰۸-۰۱..۱۴۰۵-۰۸-۳۰")
        press(.enter)
        app.handle(.tick)
        // 1–30 Aban 1405 is 23 Oct – 21 Nov 2026.
        XCTAssertEqual(reports.filter.start, ReportFixture.utc(2026, 10, 23))
        XCTAssertEqual(reports.filter.end, ReportFixture.utc(2026, 11, 22))

        press(.char("p"))
        type("Nope")
        press(.enter)
        XCTAssertTrue(app.statusMessage?.text.contains("No pipeline \"Nope\"") == true, "\(String(describing: app.statusMessage))")
        XCTAssertTrue(reports.pipelines.isEmpty)

        press(.escape)
        app.handle(.tick)
        XCTAssertNil(reports.currency)
        XCTAssertEqual(reports.period, .month)
    }

    func testARepSeesOnlyTheirOwnFigures() throws {
        try f.db.act(as: "rep2")
        let repApp = AppModel(repositories: f.db, clock: f.clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!), settings: f.settings)
        repApp.handle(.resize(width: 120, height: 40))
        repApp.start(in: .reports)
        XCTAssertEqual(repApp.reports.filter.ownerIDs, [f.rep2.id])
        let owner = repApp.activeBindings.first { $0.action == .filterOwner }
        XCTAssertEqual(owner?.disabledReason, "only a manager or an admin sees everyone's reports")
        // rep2 owns D12 only: the only stage with deals is Proposal.
        let counted = repApp.reports.sheet?.section("stages")?.rows.filter { !$0.isTotal && $0.values[3] != .count(0) }
        XCTAssertEqual(counted?.map(\.values[1]), [.text("Proposal")])
    }

    func testEnterListsTheDealsBehindARowAndOpensOne() throws {
        // Move to the Negotiation EUR row: D4 and D9.
        let index = try XCTUnwrap(reports.rows.firstIndex { $0.row.values[1] == .text("Negotiation") })
        for _ in 0 ..< index { press(.char("j")) }
        press(.enter)
        let drill = try XCTUnwrap(reports.drill)
        XCTAssertEqual(drill.entries.rows.map(\.title).sorted(), ["D4", "D9"])
        XCTAssertEqual(drill.title, "Open deals by stage · Deals · Negotiation")
        press(.char("j"), .enter)
        XCTAssertEqual(app.activeViewKind, .pipeline)
        XCTAssertEqual(app.pipeline.mode, .details)
        press(.char("5"))
        XCTAssertNotNil(reports.drill, "the list is where it was")
        press(.escape)
        XCTAssertNil(reports.drill)
        XCTAssertEqual(reports.selected, index, "back on the row")
        // A row with nothing behind it says so.
        press(.char("g"))
        let empty = try XCTUnwrap(reports.rows.firstIndex { $0.row.drill == nil })
        for _ in 0 ..< empty { press(.char("j")) }
        press(.enter)
        XCTAssertNil(reports.drill)
        XCTAssertTrue(app.statusMessage?.text.contains("nothing is listed behind this row") == true, "\(String(describing: app.statusMessage))")
    }
}
