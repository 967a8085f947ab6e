import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation
import XCTest

/// View 5 and `crm report` in the real binary: the command prints the
/// figures the screen's builder makes, and a team lead opens Reports in
/// tmux, turns the page, filters by currency, lists the deals behind a row,
/// opens one and comes back.
final class ReportsE2ETests: XCTestCase {
    /// Four open deals in "Sales" (alice's three, bob's one), in two currencies.
    static func seed(_ path: String) throws {
        let db = try Database(path: path, login: "alice")
        let bob = try db.users.add(login: "bob", name: "Bob", role: .rep)
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [("Lead", 10), ("Qualified", 25), ("Proposal", 50), ("Negotiation", 75)]
            .enumerated().map { Stage(pipelineID: 0, name: $1.0, position: $0, probability: $1.1) })
        let stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }
        let soon = Date().addingTimeInterval(40 * 86400)
        for (title, stage, value, currency, owner) in [("Alpha rollout", 0, Int64(10_000_00), "EUR", nil), ("Beta licences", 2, 20_000_00, "EUR", nil),
                                                      ("Gamma pilot", 1, 5_000_00, "USD", nil), ("Delta renewal", 3, 40_000_00, "EUR", bob.id)] {
            _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[stage].id, title: title,
                                         value: Money(minorUnits: value, currency: Currency(currency)!), expectedClose: soon, ownerID: owner))
        }
    }

    /// A figure as `crm report --json` writes it, for comparison: amounts by minor units.
    private func comparable(_ value: ReportValue) -> String {
        switch value {
        case .text(let t): return t
        case .count(let n): return String(format: "%.6f", Double(n))
        case .money(let m, let converted): return "\(m.minorUnits) \(m.currency.code)\(converted ? " ≈" : "")"
        case .percent(let p), .days(let p), .number(let p): return p.map { String(format: "%.6f", $0) } ?? "null"
        case .month(let y, let m): return String(format: "%04d-%02d", y, m)
        case .date(let d): return ISO8601DateFormatter().string(from: d)
        case .empty: return "null"
        }
    }

    private func comparable(json: Any?) -> String {
        switch json {
        case let money as [String: Any]:
            return "\(money["minor_units"] as? Int64 ?? Int64(money["minor_units"] as? Int ?? -1)) \(money["currency"] as? String ?? "")\(money["converted"] as? Bool == true ? " ≈" : "")"
        case let n as NSNumber: return String(format: "%.6f", n.doubleValue)
        case let s as String: return s
        default: return "null"
        }
    }

    func testReportJSONHasTheFiguresOfTheSheetTheScreenShows() throws {
        let run = try CRMRun.temporary("report")
        defer { run.remove() }
        let db = run.path("crm.db")
        try Self.seed(db)
        for page in ReportPage.allCases {
            let result = try run.crm("report", page.rawValue, "--json", "--user", "alice", "--db", db)
            XCTAssertEqual(result.status, 0, result.err)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
            // The same question, asked in this process through the builder the screen calls.
            var settings = Settings()
            settings.timeZone = TimeZone(identifier: "UTC")
            let now = Date()
            let interval = ReportPeriod.month.interval(now: now, calendar: settings.effectiveCalendar)
            let sheet = try Database.reading(db) { reader in
                try ReportSheets.build(page, ReportFilter(start: interval.start, end: interval.end, now: now), repositories: reader, settings: settings)
            }
            let sections = try XCTUnwrap(json["sections"] as? [[String: Any]])
            XCTAssertEqual(sections.map { $0["key"] as? String }, sheet.sections.map(\.key))
            for (section, printed) in zip(sheet.sections, sections) {
                let rows = try XCTUnwrap(printed["rows"] as? [[String: Any]])
                XCTAssertEqual(rows.count, section.rows.count, section.key)
                for (row, printedRow) in zip(section.rows, rows) {
                    let values = try XCTUnwrap(printedRow["values"] as? [String: Any])
                    let expected = row.values.map(comparable)
                    let got = section.columns.map { comparable(json: values[$0.key]) }
                    XCTAssertEqual(got, expected, "\(page) \(section.key)")
                    XCTAssertEqual(printedRow["total"] as? Bool, row.isTotal)
                }
            }
            XCTAssertEqual(json["notes"] as? [String], sheet.notes)
        }
        // Spot checks worked out by hand: Proposal 20,000 EUR × 50 %; the EUR total 70,000, weighted
        // 1,000 + 10,000 + 30,000 = 41,000.
        let text = try run.crm("report", "pipeline", "--user", "alice", "--db", db)
        XCTAssertEqual(text.status, 0, text.err)
        XCTAssertTrue(text.out.contains("Sales     Proposal     50.0%      1  20,000.00 EUR  10,000.00 EUR"), text.out)
        XCTAssertTrue(text.out.contains("Sales     Total                   3  70,000.00 EUR  41,000.00 EUR"), text.out)
        let csv = try run.crm("report", "forecast", "--csv", "--currency", "usd", "--user", "alice", "--db", db)
        XCTAssertEqual(csv.status, 0, csv.err)
        XCTAssertTrue(csv.out.hasPrefix("section,month,deals,value,value_currency,weighted,weighted_currency,total\r\n"), csv.out)
        XCTAssertTrue(csv.out.contains(",1,5000.00,USD,1250.00,USD,\r\n"), csv.out)
        XCTAssertFalse(csv.out.contains("EUR"), csv.out)
    }

    /// The pages count the open deals without fetching them (Enter does);
    /// `--json` still lists the records behind every figure, fetched for it.
    func testReportJSONListsTheRecordsBehindEachFigure() throws {
        let run = try CRMRun.temporary("report")
        defer { run.remove() }
        let db = run.path("crm.db")
        try Self.seed(db)
        let c = try Connection(path: db, readOnly: true)
        let ids = try Dictionary(uniqueKeysWithValues: ["Alpha rollout", "Beta licences", "Gamma pilot", "Delta renewal"].map { title in
            (title, try XCTUnwrap(c.scalar("SELECT id FROM deals WHERE title = ?", [title])))
        })
        for page in [ReportPage.pipeline, .forecast] {
            let result = try run.crm("report", page.rawValue, "--json", "--user", "alice", "--db", db)
            XCTAssertEqual(result.status, 0, result.err)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
            let sections = try XCTUnwrap(json["sections"] as? [[String: Any]])
            let rows = try XCTUnwrap(sections.first?["rows"] as? [[String: Any]])
            let drills = rows.compactMap { ($0["drill"] as? [String: Any])?["deals"] as? [Int] }.map { $0.map(Int64.init) }
            // Every EUR deal behind the EUR total (Pipeline) or the month (Forecast), the USD one apart.
            let eur = ["Alpha rollout", "Beta licences", "Delta renewal"].map { ids[$0]! }.sorted()
            XCTAssertTrue(drills.contains(eur), "\(page): \(drills)")
            XCTAssertTrue(drills.contains([ids["Gamma pilot"]!]), "\(page): \(drills)")
            XCTAssertFalse(result.out.contains("counted"), result.out)
        }
    }

    func testReportRefusesBadInputAndLimitsARepToTheirOwnFigures() throws {
        let run = try CRMRun.temporary("report-bad")
        defer { run.remove() }
        let db = run.path("crm.db")
        try Self.seed(db)
        for args in [["report", "funnel"], ["report", "pipeline", "--period", "fortnight"], ["report", "pipeline", "--currency", "EURO"],
                     ["report", "pipeline", "--json", "--csv"], ["report"], ["report", "pipeline", "--pipeline", "Nope"]] {
            let result = try run.crm(args + ["--user", "alice", "--db", db])
            XCTAssertEqual(result.status, 64, "\(args): \(result.err)")
            XCTAssertTrue(result.firstErrorLine.hasPrefix("crm: "), result.err)
            XCTAssertEqual(result.out, "")
        }
        let other = try run.crm("report", "pipeline", "--owner", "alice", "--user", "bob", "--db", db)
        XCTAssertEqual(other.status, 77, other.err)
        XCTAssertTrue(other.err.contains("only a manager or an admin sees everyone's reports"), other.err)
        // Bob's own figures: his one deal only.
        let own = try run.crm("report", "pipeline", "--user", "bob", "--db", db)
        XCTAssertEqual(own.status, 0, own.err)
        XCTAssertTrue(own.out.contains("· bob ·") && own.out.contains("Sales     Total                   1  40,000.00 EUR  30,000.00 EUR"), own.out)
        // A login the database does not know is refused, not shown empty figures as if a rep.
        let stranger = try run.crm("report", "pipeline", "--user", "alcie", "--db", db)
        XCTAssertEqual(stranger.status, 67, stranger.err)
        XCTAssertEqual(stranger.firstErrorLine, "crm: no user 'alcie'; did you mean 'alice'? An admin adds users with `crm user add`")
        XCTAssertEqual(stranger.out, "")
    }

    func testALeadTurnsThePageFiltersListsTheDealsOpensOneAndComesBack() throws {
        let term = try TmuxSession(width: 120, height: 40)
        defer { term.close() }
        let dbPath = term.path("crm.db")
        try Self.seed(dbPath)
        try term.startCRM("--db \(dbPath) --user alice")
        try term.waitFor(text: "Today")
        try term.keys("5")
        var screen = try term.waitFor(text: "Open deals by stage")
        XCTAssertTrue(screen.contains("Sales     Proposal     50.0%      1  20,000.00 EUR  10,000.00 EUR"), screen)
        // Tab: the forecast.
        try term.keys("Tab")
        screen = try term.waitFor(text: "Weighted value by expected close month")
        XCTAssertFalse(screen.contains("Open deals by stage"), screen)
        // One currency: USD.
        try term.keys("$")
        try term.waitFor(text: "Currency (ISO code")
        try term.type("USD")
        try term.keys("Enter")
        screen = try term.waitFor("the USD forecast") { $0.contains("· USD") && !$0.contains("computing") && $0.contains("USD  ") }
        XCTAssertFalse(screen.contains(" EUR"), screen)
        // Back to the pipeline page, Enter on the Qualified row lists Gamma pilot.
        try term.keys("BTab")
        try term.waitFor(text: "Open deals by stage")
        try term.keys("j")
        try term.keys("Enter")
        screen = try term.waitFor(text: "Gamma pilot")
        XCTAssertTrue(screen.contains("Open deals by stage · Sales · Qualified — 1 deal"), screen)
        // Enter opens the deal on the board; 5 comes back to the list, Esc to the report where it was.
        try term.keys("Enter")
        try term.waitFor("the deal's details") { $0.contains("Gamma pilot") && !$0.contains("— 1 deal") }
        try term.keys("Escape")
        // Esc and the next key apart, or the terminal reads them as Alt-5.
        try term.waitFor("the board") { !$0.contains("Stage history") }
        try term.keys("5")
        try term.waitFor(text: "— 1 deal")
        try term.keys("Escape")
        screen = try term.waitFor(text: "Funnel: deals created in the period")
        XCTAssertFalse(screen.contains("— 1 deal"), screen)
        try term.keys("q")
        try term.waitFor("crm to exit") { !$0.contains("Reports") }
    }

    /// A page being computed does not hold up the screen. The figures are
    /// computed on the reports' own thread; here a hidden test hook holds
    /// them "computing" for as long as a file exists, so the test shows the
    /// keys answered meanwhile without depending on how fast the page is:
    /// the previous page stays, marked; `2` goes to Contacts and `5` back,
    /// still computing; once the hold is gone the Customers figures arrive.
    func testTheScreenAnswersKeysWhileAPageIsComputing() throws {
        let term = try TmuxSession(width: 120, height: 40)
        defer { term.close() }
        let dbPath = term.path("crm.db")
        try Self.seed(dbPath)
        let hold = term.path("hold")
        try term.shell("export CRM_TEST_REPORT_HOLD='\(hold)'")
        try term.startCRM("--db \(dbPath) --user alice")
        try term.waitFor(text: "Today")
        try term.keys("5")
        try term.waitFor(text: "Open deals by stage")
        XCTAssertTrue(FileManager.default.createFile(atPath: hold, contents: Data()))
        // Shift-Tab: Customers is asked for, Pipeline stays on screen.
        try term.keys("BTab")
        var screen = try term.waitFor(text: "computing…")
        XCTAssertTrue(screen.contains("Open deals by stage"), "the previous page stays until the new figures arrive: \(screen)")
        // The screen answers keys meanwhile: to Contacts and back.
        try term.keys("2")
        try term.waitFor(text: "No contacts yet")
        try term.keys("5")
        screen = try term.waitFor(text: "computing…")
        XCTAssertTrue(screen.contains("Open deals by stage"), screen)
        // The figures come once the hold is gone.
        try FileManager.default.removeItem(atPath: hold)
        screen = try term.waitFor("the Customers figures", timeout: 30) { !$0.contains("computing") && !$0.contains("Open deals by stage") }
        XCTAssertFalse(screen.contains("Could not read"), screen)
        try term.keys("q")
        try term.waitFor("crm to exit") { !$0.contains("Reports") }
    }
}
