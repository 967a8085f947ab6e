import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// The Pipeline and Forecast pages of view 5 as whole screens, drawn by the
/// real renderer from a real SQLite file, at 80x24 and 120x40, in both
/// calendars and with the ASCII charts (UPDATE_GOLDEN=1 rewrites them).
final class ReportsGoldenTests: XCTestCase {
    static let now = Date(timeIntervalSince1970: 1_795_176_000)  // Fri 20 Nov 2026 12:00 UTC
    static let day: TimeInterval = 86400

    final class Reports {
        let folder: URL
        let db: Database
        let clock = ManualClock(ReportsGoldenTests.now)
        let app: AppModel

        init(calendar: Settings.CalendarKind = .gregorian, digits: Settings.DigitsChoice = .ascii) throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-golden-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "alice", clock: clock)
            let pipeline = try db.pipelines.createPipeline("Sales", stages: [("Lead", 10), ("Qualified", 25), ("Proposal", 50), ("Negotiation", 75)]
                .enumerated().map { Stage(pipelineID: 0, name: $1.0, position: $0, probability: $1.1) })
            let stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }
            let days = ReportsGoldenTests.day, now = ReportsGoldenTests.now
            // (title, created days ago, stage moves [days ago, stage], value, currency, closes in days, won)
            let deals: [(String, Double, [(Double, Int)], Int64, String, Double?, Bool)] = [
                ("Acme rollout", 18, [(15, 1), (10, 2)], 42_000_00, "EUR", 20, false),
                ("Müller GmbH licences", 17, [(12, 1)], 18_500_00, "EUR", 45, false),
                ("北京科技 pilot", 16, [], 7_200_00, "EUR", 3, false),
                ("Tokyo office", 15, [(9, 1), (4, 3)], 55_000_00, "USD", 70, false),
                ("سارا رحیمی renewal", 14, [(7, 1)], 12_000_00, "EUR", -6, false),
                ("Nordic expansion", 12, [(8, 1), (5, 2), (2, 3)], 96_000_00, "EUR", 110, false),
                ("Old customer upsell", 40, [(30, 2)], 8_800_00, "EUR", 150, false),
                ("Quick win", 13, [(11, 1)], 6_400_00, "EUR", nil, true),
            ]
            for (title, created, moves, value, currency, closes, won) in deals {
                clock.now = now.addingTimeInterval(-created * days)
                var d = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: title,
                                                 value: Money(minorUnits: value, currency: Currency(currency)!),
                                                 expectedClose: closes.map { now.addingTimeInterval($0 * days) }))
                for (ago, stage) in moves {
                    clock.now = now.addingTimeInterval(-ago * days)
                    d = try db.deals.move(d.id, toStage: stages[stage].id, expectedVersion: d.version)
                }
                if won {
                    clock.now = now.addingTimeInterval(-9 * days)
                    _ = try db.deals.close(d.id, as: .won, reason: "", expectedVersion: d.version)
                }
            }
            clock.now = now
            var settings = Settings()
            settings.timeZone = TimeZone(identifier: "UTC")
            settings.calendar = calendar
            settings.digits = digits
            app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!), settings: settings)
            app.apply(settings)
            app.start(in: .reports)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        func press(_ keys: Key...) { for key in keys { app.handle(.key(key)) } }

        func draw(_ width: Int, _ height: Int) -> MemoryScreen {
            let screen = MemoryScreen(width: width, height: height)
            app.handle(.resize(width: width, height: height))
            // The figures asked for by the last key arrive on the next tick.
            app.handle(.tick)
            AppRenderer.render(app, on: screen)
            return screen
        }
    }

    private func check(_ page: ReportPage, calendar: Settings.CalendarKind, digits: Settings.DigitsChoice = .ascii,
                       ascii: Bool = false, sizes: [(Int, Int)] = [(80, 24), (120, 40)], file: StaticString = #filePath, line: UInt = #line) throws {
        let reports = try Reports(calendar: calendar, digits: digits)
        reports.app.reports.blockCharsUnavailable = ascii
        if page == .forecast { reports.press(.tab) }
        for (w, h) in sizes {
            let name = "reports-\(page.rawValue)-\(calendar.rawValue)\(ascii ? "-ascii" : "")-\(w)x\(h)"
            assertGolden(reports.draw(w, h), named: name, withStyles: calendar == .gregorian && !ascii, file: file, line: line)
        }
    }

    func testPipelinePage() throws { try check(.pipeline, calendar: .gregorian) }
    func testPipelinePagePersian() throws { try check(.pipeline, calendar: .persian, digits: .persian) }
    func testPipelinePageASCII() throws { try check(.pipeline, calendar: .gregorian, ascii: true, sizes: [(80, 24)]) }
    func testForecastPage() throws { try check(.forecast, calendar: .gregorian) }
    func testForecastPagePersian() throws { try check(.forecast, calendar: .persian, digits: .persian) }
    func testForecastPageASCII() throws { try check(.forecast, calendar: .gregorian, ascii: true, sizes: [(120, 40)]) }

    /// The previous page stays on screen, marked, until the new figures are
    /// computed on the next tick.
    func testThePreviousPageStaysUntilTheNewFiguresArrive() throws {
        let reports = try Reports()
        reports.app.handle(.resize(width: 120, height: 40))
        reports.press(.tab)
        let screen = MemoryScreen(width: 120, height: 40)
        AppRenderer.render(reports.app, on: screen)
        let text = screen.rowsText().joined(separator: "\n")
        XCTAssertTrue(text.contains("computing…") && text.contains("Open deals by stage"), text)
        XCTAssertEqual(reports.app.reports.page, .forecast)
        let after = reports.draw(120, 40).rowsText().joined(separator: "\n")
        XCTAssertTrue(after.contains("Weighted value by expected close month") && !after.contains("computing"), after)
    }

    /// The mono theme draws '#' bars; the eighth blocks are gone.
    func testTheMonoThemeDrawsASCIIBars() throws {
        let reports = try Reports()
        var settings = reports.app.settings
        settings.theme = .mono
        reports.app.apply(settings)
        let text = reports.draw(120, 40).rowsText().joined(separator: "\n")
        XCTAssertTrue(text.contains("#####"), text)
        XCTAssertFalse(text.contains { "▏▎▍▌▋▊▉█".contains($0) }, text)
    }

    func testEnterListsTheDealsBehindARowAndEscGoesBack() throws {
        let reports = try Reports()
        _ = reports.draw(80, 24)
        // The first stage row with deals: Lead has one (北京科技 pilot).
        reports.press(.enter)
        assertGolden(reports.draw(80, 24), named: "reports-drill-80x24", withStyles: true)
        reports.press(.escape)
        XCTAssertNil(reports.app.reports.drill)
        XCTAssertEqual(reports.app.reports.selected, 0)
    }

    func testGlyphs() {
        let blocks = ChartGlyphs(ascii: false)
        XCTAssertEqual(blocks.bar(1, width: 4), "████")
        XCTAssertEqual(blocks.bar(0.5, width: 3), "█▌")
        XCTAssertEqual(blocks.bar(0.01, width: 10), "▏")
        XCTAssertEqual(blocks.bar(0, width: 10), "")
        XCTAssertEqual(blocks.sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█")
        let ascii = ChartGlyphs(ascii: true)
        XCTAssertEqual(ascii.bar(0.5, width: 10), "#####")
        XCTAssertEqual(ascii.sparkline([0, 1, 2, 3, 4]), "_.-=^")
        XCTAssertTrue(ChartGlyphs.terminalNeedsASCII(term: "linux"))
        XCTAssertFalse(ChartGlyphs.terminalNeedsASCII(term: "xterm-256color"))
    }
}
