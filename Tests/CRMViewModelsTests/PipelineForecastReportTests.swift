import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Every figure of the Pipeline and Forecast pages against values worked
/// out by hand from the twelve deals of `ReportFixture` (listed there).
final class PipelineForecastReportTests: XCTestCase {
    var f: ReportFixture!

    override func setUpWithError() throws { f = try ReportFixture() }
    override func tearDown() { f = nil }

    private func rows(_ sheet: ReportSheet, _ key: String) -> [[ReportValue]] {
        sheet.section(key)!.rows.map(\.values)
    }

    private func expectRows(_ sheet: ReportSheet, _ key: String, _ expected: [[ReportValue]], line: UInt = #line) {
        let actual = rows(sheet, key)
        XCTAssertEqual(actual.count, expected.count, "\(key): \(actual)", line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, key, line: line) }
    }

    func testOpenStagesCountValueAndWeightedValuePerCurrencyWithPipelineTotals() throws {
        let sheet = try PipelineReportSheet.build(f.filter(), repositories: f.db, settings: f.settings)
        // Lead: D1. Qualified: D2 + D8 (EUR), D10 (GBP). Proposal: D3 + D12. Negotiation: D4 + D9 (EUR), D7 (USD).
        // Weighted: 1,000 × 10 % = 100; 3,500 × 25 % = 875; 2,500 GBP × 25 % = 625; 9,000 × 50 % = 4,500;
        // 14,000 × 75 % = 10,500; 10,000 USD × 75 % = 7,500. D5 won, D6 lost, D11 deleted: not open.
        expectRows(sheet, "stages", [
            [.text("Deals"), .text("Lead"), .percent(0.10), .count(1), f.eur(1_000_00), f.eur(100_00)],
            [.text("Deals"), .text("Qualified"), .percent(0.25), .count(2), f.eur(3_500_00), f.eur(875_00)],
            [.text("Deals"), .text("Qualified"), .percent(0.25), .count(1), f.gbp(2_500_00), f.gbp(625_00)],
            [.text("Deals"), .text("Proposal"), .percent(0.50), .count(2), f.eur(9_000_00), f.eur(4_500_00)],
            [.text("Deals"), .text("Negotiation"), .percent(0.75), .count(2), f.eur(14_000_00), f.eur(10_500_00)],
            [.text("Deals"), .text("Negotiation"), .percent(0.75), .count(1), f.usd(10_000_00), f.usd(7_500_00)],
            // 100 + 875 + 4,500 + 10,500 = 15,975 over 1 + 2 + 2 + 2 = 7 deals worth 27,500.
            [.text("Deals"), .text("Total"), .empty, .count(7), f.eur(27_500_00), f.eur(15_975_00)],
            [.text("Deals"), .text("Total"), .empty, .count(1), f.gbp(2_500_00), f.gbp(625_00)],
            [.text("Deals"), .text("Total"), .empty, .count(1), f.usd(10_000_00), f.usd(7_500_00)],
        ])
        let stages = sheet.section("stages")!
        XCTAssertEqual(stages.barColumn, "weighted")
        XCTAssertEqual(try stages.rows[1].drill?.resolved(f.db), f.deals("D2", "D8"))
        XCTAssertEqual(try stages.rows[4].drill?.resolved(f.db), f.deals("D4", "D9"))
        XCTAssertEqual(stages.rows.filter(\.isTotal).count, 3)
        XCTAssertTrue(sheet.notes.contains { $0.contains("rate.GBP, rate.USD") }, "\(sheet.notes)")
    }

    func testWithRatesAConvertedTotalIsAddedAndMarked() throws {
        var settings = f.settings
        settings.rates = ["USD": 0.92, "GBP": 1.15]
        let sheet = try PipelineReportSheet.build(f.filter(), repositories: f.db, settings: settings)
        // 27,500 + 2,500 × 1.15 + 10,000 × 0.92 = 39,575; weighted 15,975 + 625 × 1.15 + 7,500 × 0.92 = 23,593.75.
        let converted: [ReportValue] = [.text("Deals"), .text("Total (converted)"), .empty, .count(9),
                                        f.eur(39_575_00, converted: true), f.eur(23_593_75, converted: true)]
        XCTAssertEqual(rows(sheet, "stages").last, converted)
        XCTAssertTrue(sheet.notes.contains { $0.contains("rate.GBP = 1.15") && $0.contains("rate.USD = 0.92") }, "\(sheet.notes)")
    }

    func testTheFunnelOfTheDealsCreatedInThePeriod() throws {
        let sheet = try PipelineReportSheet.build(f.filter(), repositories: f.db, settings: f.settings)
        // Created in November and not deleted: D1–D7, D10, D12 = 9. Furthest stage: D1, D6 Lead; D2, D10
        // Qualified; D3, D12 Proposal; D4, D7 Negotiation; D5 won (through every stage).
        expectRows(sheet, "funnel", [
            [.text("Deals"), .text("Created"), .count(9), .percent(1)],
            [.text("Deals"), .text("Lead"), .count(9), .percent(1)],
            [.text("Deals"), .text("Qualified"), .count(7), .percent(7.0 / 9)],
            [.text("Deals"), .text("Proposal"), .count(5), .percent(5.0 / 9)],
            [.text("Deals"), .text("Negotiation"), .count(3), .percent(3.0 / 9)],
            [.text("Deals"), .text("Won"), .count(1), .percent(1.0 / 9)],
        ])
        XCTAssertEqual(try sheet.section("funnel")!.rows[4].drill?.resolved(f.db), f.deals("D4", "D5", "D7"))
    }

    func testMedianDaysInEachStageOverTheStaysThatEndedInThePeriod() throws {
        let sheet = try PipelineReportSheet.build(f.filter(), repositories: f.db, settings: f.settings)
        // Lead: D3 1, D2 2, D5 3, D4 4, D6 6 (lost there) → median 3; D8 left Lead in October: not counted.
        // Qualified: D3 3, D5 4 (won there) → 3.5. Proposal: D4 4, D9 23 (since 20 Oct) → 13.5. Negotiation: none.
        expectRows(sheet, "stage_time", [
            [.text("Deals"), .text("Lead"), .count(5), .days(3)],
            [.text("Deals"), .text("Qualified"), .count(2), .days(3.5)],
            [.text("Deals"), .text("Proposal"), .count(2), .days(13.5)],
            [.text("Deals"), .text("Negotiation"), .count(0), .days(nil)],
        ])
    }

    /// Won and Lost are listed only when deals stayed there: a deal moved
    /// into Won by hand has a closing moment there, no stay (QA 31 #2); one
    /// reopened two days later stayed two days.
    func testAWonStageIsListedOnlyWhenADealStayedThere() throws {
        let won = try XCTUnwrap(try f.db.pipelines.stages(pipelineID: f.pipeline.id).first { $0.kind == .won })
        func wonRows() throws -> [[ReportValue]] {
            rows(try PipelineReportSheet.build(f.filter(), repositories: f.db, settings: f.settings), "stage_time")
                .filter { $0[1] == .text("Won") }
        }
        f.clock.now = ReportFixture.utc(2026, 11, 14)
        var d1 = try XCTUnwrap(f.db.deals.get(f.ids["D1"]!))
        d1 = try f.db.deals.move(d1.id, toStage: won.id, expectedVersion: d1.version)
        XCTAssertEqual(try wonRows(), [])
        f.clock.now = ReportFixture.utc(2026, 11, 16)
        _ = try f.db.deals.reopen(d1.id, expectedVersion: d1.version)
        f.clock.now = f.now
        XCTAssertEqual(try wonRows().map { $0.last }, [.days(2)])
    }

    func testAnOwnerFilterCountsOnlyTheirDeals() throws {
        let sheet = try PipelineReportSheet.build(f.filter(owners: [f.rep2.id]), repositories: f.db, settings: f.settings)
        // rep2 owns D12 only: Proposal, 5,000 × 50 %.
        XCTAssertEqual(sheet.section("stages")!.rows.filter { $0.values[3] != .count(0) }.map(\.values), [
            [.text("Deals"), .text("Proposal"), .percent(0.5), .count(1), f.eur(5_000_00), f.eur(2_500_00)],
            [.text("Deals"), .text("Total"), .empty, .count(1), f.eur(5_000_00), f.eur(2_500_00)],
        ])
    }

    func testForecastByExpectedCloseMonthWithPassedDatesApart() throws {
        let sheet = try ForecastReportSheet.build(f.filter(), repositories: f.db, settings: f.settings)
        // From today (20 Nov) to the end of April 2027. Nov: D1 (1,000 × 10 %). Dec: D2 (2,000 × 25 %) + D8
        // (1,500 × 25 %) = 875; D10 2,500 GBP × 25 %. Jan: D3 4,000 × 50 %. Feb: D7 10,000 USD × 75 %.
        expectRows(sheet, "months", [
            [.month(year: 2026, month: 11), .count(1), f.eur(1_000_00), f.eur(100_00)],
            [.month(year: 2026, month: 12), .count(2), f.eur(3_500_00), f.eur(875_00)],
            [.month(year: 2026, month: 12), .count(1), f.gbp(2_500_00), f.gbp(625_00)],
            [.month(year: 2027, month: 1), .count(1), f.eur(4_000_00), f.eur(2_000_00)],
            [.month(year: 2027, month: 2), .count(1), f.usd(10_000_00), f.usd(7_500_00)],
            [.month(year: 2027, month: 3), .count(0), .empty, .empty],
            [.month(year: 2027, month: 4), .count(0), .empty, .empty],
            [.text("Total"), .count(4), f.eur(8_500_00), f.eur(2_975_00)],
            [.text("Total"), .count(1), f.gbp(2_500_00), f.gbp(625_00)],
            [.text("Total"), .count(1), f.usd(10_000_00), f.usd(7_500_00)],
        ])
        // D4 was to close on 10 Nov: 8,000 × 75 %.
        expectRows(sheet, "overdue", [[.text("Past close date"), .count(1), f.eur(8_000_00), f.eur(6_000_00)]])
        XCTAssertEqual(try sheet.section("overdue")!.rows[0].drill?.resolved(f.db), f.deals("D4"))
        // D12 closes in June 2027; D9 has no date.
        XCTAssertTrue(sheet.notes.contains("1 open deal closes later than that."), "\(sheet.notes)")
        XCTAssertTrue(sheet.notes.contains("1 open deal has no expected close date."), "\(sheet.notes)")
    }

    func testForecastMonthsAreThoseOfThePersianCalendar() throws {
        var settings = f.settings
        settings.calendar = .persian
        let sheet = try ForecastReportSheet.build(f.filter(), repositories: f.db, settings: settings)
        // 20 Nov 2026 is 29 Aban 1405. Azar: 22 Nov–21 Dec (D1, D2, D8; D10 in GBP), Dey: 22 Dec–20 Jan (D3),
        // Bahman: 21 Jan–19 Feb (D7), Esfand, then Farvardin 1406.
        expectRows(sheet, "months", [
            [.month(year: 1405, month: 8), .count(0), .empty, .empty],
            [.month(year: 1405, month: 9), .count(3), f.eur(4_500_00), f.eur(975_00)],
            [.month(year: 1405, month: 9), .count(1), f.gbp(2_500_00), f.gbp(625_00)],
            [.month(year: 1405, month: 10), .count(1), f.eur(4_000_00), f.eur(2_000_00)],
            [.month(year: 1405, month: 11), .count(1), f.usd(10_000_00), f.usd(7_500_00)],
            [.month(year: 1405, month: 12), .count(0), .empty, .empty],
            [.month(year: 1406, month: 1), .count(0), .empty, .empty],
            [.text("Total"), .count(4), f.eur(8_500_00), f.eur(2_975_00)],
            [.text("Total"), .count(1), f.gbp(2_500_00), f.gbp(625_00)],
            [.text("Total"), .count(1), f.usd(10_000_00), f.usd(7_500_00)],
        ])
    }

    func testTheCurrencyFilterKeepsOneCurrency() throws {
        let sheet = try ForecastReportSheet.build(f.filter(currency: Currency("USD")), repositories: f.db, settings: f.settings)
        XCTAssertEqual(sheet.section("months")!.rows.filter(\.isTotal).map(\.values),
                       [[.text("Total"), .count(1), f.usd(10_000_00), f.usd(7_500_00)]])
    }

    func testTheDispatcherBuildsEveryPageWithItsOwnBuilder() throws {
        for page in ReportPage.allCases {
            let sheet = try ReportSheets.build(page, f.filter(), repositories: f.db, settings: f.settings)
            XCTAssertEqual(sheet.page, page)
            XCTAssertFalse(sheet.sections.isEmpty, "\(page) has figures")
        }
    }

    func testPeriodsReadInEitherCalendarAndPersianDigits() {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        cal.firstWeekday = 2
        let now = f.now
        func interval(_ text: String) -> (Date, Date)? {
            guard case .success(let p) = ReportPeriod.parse(text, now: now, calendar: cal) else { return nil }
            let i = p.interval(now: now, calendar: cal)
            return (i.start, i.end)
        }
        let u = ReportFixture.utc
        XCTAssertEqual(interval("this week")?.0, u(2026, 11, 16, 0))
        XCTAssertEqual(interval("month")?.1, u(2026, 12, 1, 0))
        XCTAssertEqual(interval("this quarter")?.0, u(2026, 10, 1, 0))
        XCTAssertEqual(interval("year")?.0, u(2026, 1, 1, 0))
        XCTAssertEqual(interval("last 30 days")?.0, u(2026, 10, 22, 0))
        XCTAssertEqual(interval("30d")?.1, u(2026, 11, 21, 0))
        XCTAssertEqual(interval("2026-01-01..2026-03-31")?.1, u(2026, 4, 1, 0))
        // 1 Farvardin 1405 is 21 Mar 2026; 31 Khordad 1405 is 21 Jun 2026: typed in Persian digits.
        XCTAssertEqual(interval("۱۴۰۵-۰۱-۰۱..۱۴۰۵-۰۳-۳۱")?.0, u(2026, 3, 21, 0))
        XCTAssertEqual(interval("1405-01-01..1405-03-31")?.1, u(2026, 6, 22, 0))
        // Days without a year look back (a period is the past): the latest 1
        // August, not next year's; an end only then falling before its start is ahead.
        XCTAssertEqual(interval("1 aug..30 sep")?.0, u(2026, 8, 1, 0))
        XCTAssertEqual(interval("1 aug..30 sep")?.1, u(2026, 10, 1, 0))
        XCTAssertEqual(interval("15 nov..25 nov")?.0, u(2026, 11, 15, 0))
        XCTAssertEqual(interval("15 nov..25 nov")?.1, u(2026, 11, 26, 0))
        // The whole period before this one (now: Friday 20 Nov 2026, weeks from Monday).
        XCTAssertEqual(interval("last week").map { [$0.0, $0.1] }, [u(2026, 11, 9, 0), u(2026, 11, 16, 0)])
        XCTAssertEqual(interval("Last Month").map { [$0.0, $0.1] }, [u(2026, 10, 1, 0), u(2026, 11, 1, 0)])
        XCTAssertEqual(interval("previous quarter").map { [$0.0, $0.1] }, [u(2026, 7, 1, 0), u(2026, 10, 1, 0)])
        XCTAssertEqual(interval("last year").map { [$0.0, $0.1] }, [u(2025, 1, 1, 0), u(2026, 1, 1, 0)])
        // In the Persian calendar last month is Mehr 1405 (23 Sep – 22 Oct 2026).
        var persian = Calendar(identifier: .persian)
        persian.timeZone = cal.timeZone
        if case .success(let p) = ReportPeriod.parse("last month", now: now, calendar: persian) {
            let i = p.interval(now: now, calendar: persian)
            XCTAssertEqual([i.start, i.end], [u(2026, 9, 23, 0), u(2026, 10, 23, 0)])
            XCTAssertEqual(p.name, "last month")
        } else { XCTFail("last month refused") }
        guard case .failure(let e) = ReportPeriod.parse("2026-03-01..2026-01-01", now: now, calendar: cal) else { return XCTFail() }
        XCTAssertTrue(e.message.contains("ends before it starts"))
        guard case .failure = ReportPeriod.parse("fortnight", now: now, calendar: cal) else { return XCTFail() }
        // A bad end says which, and what a range looks like, not a due date's forms (QA 31 #3).
        guard case .failure(let bad) = ReportPeriod.parse("2026-13-01..2026-12-01", now: now, calendar: cal) else { return XCTFail() }
        XCTAssertEqual(bad.message, """
            the range's start "2026-13-01" is not a date; expected a date such as 2026-01-31, 31 jan or 1405-11-11, \
            as in 2026-01-01..2026-03-31
            """)
        guard case .failure(let late) = ReportPeriod.parse("2026-01-01..someday", now: now, calendar: cal) else { return XCTFail() }
        XCTAssertTrue(late.message.hasPrefix("the range's end \"someday\" is not a date"), late.message)
    }
}
