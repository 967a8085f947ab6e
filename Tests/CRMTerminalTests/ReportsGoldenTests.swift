import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// Every page of view 5 as whole screens, drawn by the
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
            app.settle()
        }
        /// What the Won and lost, People and Customers pages count besides
        /// the open deals: two customers with won deals, a lost deal with its
        /// reason, calls and emails, follow-ups done on time, late and not at
        /// all. Added only for those pages, so the other goldens stay as they were.
        func addTeamActivity() throws {
            let days = ReportsGoldenTests.day, now = ReportsGoldenTests.now
            let pipeline = try db.pipelines.pipelines().first!
            let stage = try db.pipelines.stages(pipelineID: pipeline.id).first { $0.kind == .open }!
            func at(_ ago: Double) { clock.now = now.addingTimeInterval(-ago * days) }
            at(60)
            var anna = try db.contacts.create(Contact(name: "Anna Schröder", ownerID: db.currentUser.id))
            var reza = try db.contacts.create(Contact(name: "رضا کریمی", ownerID: db.currentUser.id, lifecycle: .prospect))
            at(20)
            anna.lifecycle = .customer
            anna = try db.contacts.update(anna)
            at(6)
            reza.lifecycle = .customer
            reza = try db.contacts.update(reza)
            for (title, contact, value, ago, won, reason) in [
                ("Anna annual plan", anna.id, Int64(24_000_00), 19.0, true, ""),
                ("Reza support", reza.id, Int64(9_500_00), 5.0, true, ""),
                ("Lost to a competitor", anna.id, Int64(15_000_00), 3.0, false, "Price too high"),
            ] {
                at(ago + 10)
                let deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: title,
                                                    value: Money(minorUnits: value, currency: Currency("EUR")!), contactID: contact))
                at(ago)
                _ = try db.deals.close(deal.id, as: won ? .won : .lost, reason: reason, expectedVersion: deal.version)
            }
            for (contact, kind, ago) in [(anna.id, InteractionKind.call, 12.0), (anna.id, .email, 8), (reza.id, .call, 4),
                                         (reza.id, .meeting, 2), (anna.id, .note, 1)] {
                at(ago)
                _ = try db.interactions.log(Interaction(contactID: contact, kind: kind, occurredAt: clock.now,
                                                        subject: "\(kind)", authorID: db.currentUser.id, createdAt: clock.now))
            }
            for (title, due, done) in [("Send the offer", 10.0, Optional(10.5)), ("Call back", 7, Optional(4.0)),
                                       ("Renewal check", 2, nil)] {
                at(14)
                var f = try db.followUps.create(FollowUp(contactID: anna.id, assigneeID: db.currentUser.id, title: title,
                                                         dueAt: now.addingTimeInterval(-due * days), createdAt: clock.now))
                if let done {
                    at(done)
                    f.status = .done
                    f.doneAt = clock.now
                    _ = try db.followUps.update(f)
                }
            }
            clock.now = now
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func press(_ keys: Key...) { for key in keys { app.handle(.key(key)) } }

        func draw(_ width: Int, _ height: Int) -> MemoryScreen {
            let screen = MemoryScreen(width: width, height: height)
            app.handle(.resize(width: width, height: height))
            // The figures asked for by the last key, computed on the reports' thread.
            XCTAssertTrue(app.settle())
            AppRenderer.render(app, on: screen)
            return screen
        }
    }

    private func check(_ page: ReportPage, calendar: Settings.CalendarKind, digits: Settings.DigitsChoice = .ascii,
                       ascii: Bool = false, sizes: [(Int, Int)] = [(80, 24), (120, 40)], file: StaticString = #filePath, line: UInt = #line) throws {
        let reports = try Reports(calendar: calendar, digits: digits)
        reports.app.reports.blockCharsUnavailable = ascii
        if [.winloss, .people, .customers].contains(page) { try reports.addTeamActivity() }
        for _ in 0..<ReportPage.allCases.firstIndex(of: page)! { reports.press(.tab) }
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
    func testWinLossPage() throws { try check(.winloss, calendar: .gregorian) }
    func testWinLossPagePersian() throws { try check(.winloss, calendar: .persian, digits: .persian) }
    func testWinLossPageASCII() throws { try check(.winloss, calendar: .gregorian, ascii: true, sizes: [(80, 24)]) }
    func testPeoplePage() throws { try check(.people, calendar: .gregorian) }
    func testPeoplePagePersian() throws { try check(.people, calendar: .persian, digits: .persian) }
    func testPeoplePageASCII() throws { try check(.people, calendar: .gregorian, ascii: true, sizes: [(120, 40)]) }
    func testCustomersPage() throws { try check(.customers, calendar: .gregorian) }
    func testCustomersPagePersian() throws { try check(.customers, calendar: .persian, digits: .persian) }
    func testCustomersPageASCII() throws { try check(.customers, calendar: .gregorian, ascii: true, sizes: [(80, 24)]) }

    /// The previous page stays on screen, marked, until the new figures
    /// arrive from the reports' thread.
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

    /// At 80 columns the filter line is cut before the mark, never the mark:
    /// it is what tells the old figures from the new.
    func testTheComputingMarkIsWholeAt80Columns() throws {
        let reports = try Reports()
        reports.app.handle(.resize(width: 80, height: 24))
        reports.press(.tab)
        let screen = MemoryScreen(width: 80, height: 24)
        AppRenderer.render(reports.app, on: screen)
        let line = try XCTUnwrap(screen.rowsText().first { $0.contains("everyone") || $0.contains("pipelines") })
        XCTAssertTrue(line.trimmingCharacters(in: .whitespaces).hasSuffix("· computing…"), line)
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
