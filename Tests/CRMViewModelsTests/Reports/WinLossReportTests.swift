import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Page 3, "Won and lost", on the fixture's twelve deals. Every expected
/// figure is worked out by hand from the table in WinLossPeopleFixture.
final class WinLossReportTests: XCTestCase {
    func sheet(_ f: WinLossPeopleFixture, _ filter: ReportFilter? = nil) throws -> ReportSheet {
        try WinLossReportSheet.build(filter ?? f.filter, repositories: f.db, settings: f.settings)
    }

    func ids(_ f: WinLossPeopleFixture, _ names: String...) -> ReportDrill {
        .deals(names.map { f.deal[$0]!.id }.sorted())
    }

    func testTotalsPerCurrencyAndNoSumAcrossCurrencies() throws {
        let f = try WinLossPeopleFixture()
        let s = try sheet(f)
        XCTAssertEqual(s.page, .winloss)
        XCTAssertEqual(s.sections.map(\.key), ["totals", "cycle", "periods", "won_weeks", "reasons"])
        // EUR: won D1 1000 + D2 2000 + D4 3000; lost D3 500 + D7 800 + D12 600;
        // average won 2000; open D9, D11; velocity 2 × 2000 × 0.5 ÷ 30 = 66.67.
        // USD: won D5 4000, lost D6 1500, open D10: 1 × 4000 × 0.5 ÷ 30 = 66.67.
        XCTAssertEqual(ReportSheetText.rows(s.section("totals")), [
            "EUR | 3 | 6000.00 EUR | 3 | 1900.00 EUR | 0.5000 | 2000.00 EUR | 2 | 66.67 EUR",
            "USD | 1 | 4000.00 USD | 1 | 1500.00 USD | 0.5000 | 4000.00 USD | 1 | 66.67 USD",
            "= all | 4 |  | 4 |  | 0.5000 |  | 3 | ",
        ])
        let totals = try XCTUnwrap(s.section("totals"))
        XCTAssertEqual(totals.rows[0].drill, ids(f, "D1", "D2", "D3", "D4", "D7", "D12"))
        XCTAssertEqual(totals.rows[1].drill, ids(f, "D5", "D6"))
        XCTAssertEqual(totals.columns.map(\.key),
                       ["currency", "won", "won_value", "lost", "lost_value", "win_rate", "average_won", "open", "velocity"])
        XCTAssertTrue(s.notes.contains { $0.contains("not added together") })
    }

    func testAConvertedTotalWhenEveryCurrencyHasARate() throws {
        let f = try WinLossPeopleFixture()
        f.settings.rates = ["USD": 0.9]
        let s = try sheet(f)
        // won 6000 + 4000 × 0.9 = 9600; lost 1900 + 1500 × 0.9 = 3250;
        // average 9600 ÷ 4 = 2400; velocity 3 × 2400 × 0.5 ÷ 30 = 120.
        XCTAssertEqual(ReportSheetText.rows(s.section("totals")).last,
                       "= all (≈ EUR) | 4 | 9600.00 EUR≈ | 4 | 3250.00 EUR≈ | 0.5000 | 2400.00 EUR≈ | 3 | 120.00 EUR≈")
        XCTAssertTrue(s.notes.contains { $0.contains("rate.USD = 0.9") })
        // A currency without a rate: no converted total at all.
        f.settings.rates = ["GBP": 1.1]
        XCTAssertEqual(ReportSheetText.rows(try sheet(f).section("totals")).last, "= all | 4 |  | 4 |  | 0.5000 |  | 3 | ")
    }

    func testSalesCycleMedianAndNinetiethPercentile() throws {
        let f = try WinLossPeopleFixture()
        let s = try sheet(f)
        // Won in November after 32, 21, 77 and 28 days: sorted 21 28 32 77,
        // median (28 + 32) ÷ 2 = 30, 90th percentile the ⌈3.6⌉ = 4th: 77.
        XCTAssertEqual(ReportSheetText.rows(s.section("cycle")), ["4 | 30.0d | 77.0d"])
        XCTAssertEqual(s.section("cycle")?.rows.first?.drill, ids(f, "D1", "D2", "D4", "D5"))
        // omid alone: 77 and 28 days: median 52.5, 90th percentile the 2nd: 77.
        var mine = f.filter
        mine.ownerIDs = [f.omid.id]
        XCTAssertEqual(ReportSheetText.rows(try sheet(f, mine).section("cycle")), ["2 | 52.5d | 77.0d"])
    }

    func testWeeksOfThePeriodCutAtItsEdges() throws {
        let f = try WinLossPeopleFixture()
        let periods = try XCTUnwrap(try sheet(f).section("periods"))
        XCTAssertEqual(periods.title, "By week")
        XCTAssertEqual(periods.barColumn, "won")
        // November 2026 from Monday weeks: Sun 1 Nov alone, four whole weeks, Mon 30 Nov alone.
        XCTAssertEqual(ReportSheetText.rows(periods), [
            "2026-11-01 | EUR | 0 | 0.00 EUR | 0 | 0.00 EUR | -",
            "2026-11-01 | USD | 0 | 0.00 USD | 0 | 0.00 USD | -",
            "2026-11-02 | EUR | 1 | 1000.00 EUR | 1 | 800.00 EUR | 0.5000",
            "2026-11-02 | USD | 0 | 0.00 USD | 0 | 0.00 USD | -",
            "2026-11-09 | EUR | 1 | 2000.00 EUR | 1 | 500.00 EUR | 0.5000",
            "2026-11-09 | USD | 0 | 0.00 USD | 0 | 0.00 USD | -",
            "2026-11-16 | EUR | 1 | 3000.00 EUR | 0 | 0.00 EUR | 1.0000",
            "2026-11-16 | USD | 0 | 0.00 USD | 1 | 1500.00 USD | 0.0000",
            "2026-11-23 | EUR | 0 | 0.00 EUR | 0 | 0.00 EUR | -",
            "2026-11-23 | USD | 1 | 4000.00 USD | 0 | 0.00 USD | 1.0000",
            "2026-11-30 | EUR | 0 | 0.00 EUR | 1 | 600.00 EUR | 0.0000",
            "2026-11-30 | USD | 0 | 0.00 USD | 0 | 0.00 USD | -",
        ])
        XCTAssertEqual(periods.rows[2].drill, ids(f, "D1", "D7"))
        XCTAssertNil(periods.rows[0].drill)
    }

    func testMonthsInThePersianCalendarForALongerPeriod() throws {
        let f = try WinLossPeopleFixture()
        f.settings.calendar = .persian
        let filter = ReportFilter(start: WinLossPeopleFixture.t("2026-08-01 00:00"), end: WinLossPeopleFixture.t("2026-12-01 00:00"),
                                  now: WinLossPeopleFixture.now)
        let periods = try XCTUnwrap(try sheet(f, filter).section("periods"))
        XCTAssertEqual(periods.title, "By month")
        // Mordad 1405 (from 1 Aug), Shahrivar (23 Aug), Mehr (23 Sep), Aban
        // (23 Oct: D1 D2 D4 D8 won, D3 D7 D6 lost), Azar (22 Nov: D5 won, D12 lost).
        XCTAssertEqual(ReportSheetText.rows(periods).filter { !$0.contains("| 0 | 0.00 EUR | 0 | 0.00 EUR") && !$0.contains("| 0 | 0.00 USD | 0 | 0.00 USD") }, [
            "1405-8 | EUR | 4 | 7200.00 EUR | 2 | 1300.00 EUR | 0.6667",
            "1405-8 | USD | 0 | 0.00 USD | 1 | 1500.00 USD | 0.0000",
            "1405-9 | EUR | 0 | 0.00 EUR | 1 | 600.00 EUR | 0.0000",
            "1405-9 | USD | 1 | 4000.00 USD | 0 | 0.00 USD | 1.0000",
        ])
        XCTAssertEqual(periods.rows.map { ReportSheetText.value($0.values[0]) },
                       ["1405-5", "1405-5", "1405-6", "1405-6", "1405-7", "1405-7", "1405-8", "1405-8", "1405-9", "1405-9"])
    }

    func testTwoCenturiesOfMonthsAreCountedInChunks() throws {
        let f = try WinLossPeopleFixture()
        let filter = ReportFilter(start: WinLossPeopleFixture.t("1950-01-01 00:00"), end: WinLossPeopleFixture.t("2150-01-01 00:00"),
                                  now: WinLossPeopleFixture.now)
        let periods = try XCTUnwrap(try sheet(f, filter).section("periods"))
        // 2,400 months, two currencies each; all five won and four lost
        // deals (D8 of October included) are in them once.
        XCTAssertEqual(periods.rows.count, 4_800)
        let won = periods.rows.map { row -> Int in if case .count(let n) = row.values[2] { n } else { 0 } }.reduce(0, +)
        let lost = periods.rows.map { row -> Int in if case .count(let n) = row.values[4] { n } else { 0 } }.reduce(0, +)
        XCTAssertEqual([won, lost], [5, 4])
        XCTAssertEqual(ReportSheetText.rows(periods).filter { $0.hasPrefix("2026-10 | EUR") }, ["2026-10 | EUR | 1 | 1200.00 EUR | 0 | 0.00 EUR | 1.0000"])
    }

    func testWonPerWeekSparklineOverTheLastTwelveWeeks() throws {
        let f = try WinLossPeopleFixture()
        let weeks = try XCTUnwrap(try sheet(f).section("won_weeks"))
        // The twelve Monday weeks up to the one of 30 Nov: from 14 Sep. D8
        // was won in the week of 26 Oct, D1 D2 D4 D5 one a week after.
        XCTAssertEqual(weeks.sparkline, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0])
        XCTAssertEqual(ReportSheetText.rows(weeks).first, "2026-09-14 | 0")
        XCTAssertEqual(ReportSheetText.rows(weeks).last, "2026-11-30 | 0")
        XCTAssertEqual(weeks.rows[6].drill, ids(f, "D8"))
    }

    func testLostReasonsRankedWithBars() throws {
        let f = try WinLossPeopleFixture()
        let reasons = try XCTUnwrap(try sheet(f).section("reasons"))
        XCTAssertEqual(reasons.barColumn, "lost")
        XCTAssertEqual(ReportSheetText.rows(reasons), ["Price | 2 | 0.5000", "Competitor | 1 | 0.2500", "Timing | 1 | 0.2500"])
        XCTAssertEqual(reasons.rows[0].drill, ids(f, "D3", "D6"))
    }

    func testFiltersByOwnerAndPipeline() throws {
        let f = try WinLossPeopleFixture()
        var mine = f.filter
        mine.ownerIDs = [f.omid.id]
        // omid: D4 won (3000 EUR, no open EUR deal: velocity 0), D5 won and D6 lost in USD, D10 open.
        // Cycle median 52.5 days: 1 × 4000 × 0.5 ÷ 52.5 = 38.10 USD a day.
        XCTAssertEqual(ReportSheetText.rows(try sheet(f, mine).section("totals")), [
            "EUR | 1 | 3000.00 EUR | 0 | 0.00 EUR | 1.0000 | 3000.00 EUR | 0 | 0.00 EUR",
            "USD | 1 | 4000.00 USD | 1 | 1500.00 USD | 0.5000 | 4000.00 USD | 1 | 38.10 USD",
            "= all | 2 |  | 1 |  | 0.6667 |  | 1 | ",
        ])
        let other = try f.db.pipelines.createPipeline("Partners", stages: [Stage(pipelineID: 0, name: "Talk", position: 0, probability: 10)])
        var partners = f.filter
        partners.pipelineIDs = [other.id]
        let empty = try sheet(f, partners)
        // No deal at all: a row of zeros in the default currency, as the weeks (QA 31 #9).
        XCTAssertEqual(ReportSheetText.rows(try XCTUnwrap(empty.section("totals"))), ["EUR | 0 | 0.00 EUR | 0 | 0.00 EUR | - |  | 0 | "])
        XCTAssertEqual(empty.section("periods")?.rows.count, 6, "each week still shown, in the default currency")
        XCTAssertTrue(empty.notes.contains("No deal was won or lost in the period."))
        var usd = f.filter
        usd.currency = .usd
        XCTAssertEqual(ReportSheetText.rows(try sheet(f, usd).section("totals")),
                       ["USD | 1 | 4000.00 USD | 1 | 1500.00 USD | 0.5000 | 4000.00 USD | 1 | 71.43 USD"], "D5 alone: a 28-day cycle")
    }
}
