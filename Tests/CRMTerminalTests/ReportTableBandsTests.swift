import CRMCore
import CRMRepositories
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// A report table too wide for the screen even with its text cut goes on
/// over more lines a row (bands), every figure whole; one that fits, or
/// fits once its text is cut, stays on one line as before.
final class ReportTableBandsTests: XCTestCase {
    let text = ReportValueText(timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))

    /// Nine columns as Won and lost's totals: a label, then eight figures.
    func wide() -> ReportSection {
        let money = { (minor: Int64) in ReportValue.money(Money(minorUnits: minor, currency: .eur), converted: false) }
        let titles = ["Currency", "Won", "Value won", "Lost", "Value lost", "Win rate", "Average won", "Open now", "Velocity / day"]
        return ReportSection(key: "totals", title: "Totals", columns: titles.enumerated().map { ReportColumn(key: "c\($0.offset)", title: $0.element) },
                             rows: [ReportRow([.text("EUR"), .count(1234), money(123_456_789_00), .count(56), money(98_765_432_10),
                                               .percent(0.75), money(1_234_567_00), .count(18_037), money(5_985_00)])])
    }

    func testATableTooWideGoesOnOverMoreLinesEveryFigureWhole() {
        let table = ReportTable(wide(), text: text, width: 78)
        XCTAssertEqual(table.linesPerRow, 2)
        XCTAssertEqual(table.header.count, 2)
        let lines = table.lines(row: 0)
        XCTAssertEqual(lines.count, 2)
        for line in lines + table.header { XCTAssertLessThanOrEqual(DisplayWidth.width(of: line), 78, line) }
        XCTAssertLessThanOrEqual(table.tableWidth, 78)
        let all = lines.joined(separator: " ")
        for figure in ["EUR", "1,234", "123,456,789.00 EUR", "56", "98,765,432.10 EUR", "75.0%", "1,234,567.00 EUR", "18,037", "5,985.00 EUR"] {
            XCTAssertTrue(all.contains(figure), "\(figure) in \(lines)")
        }
        XCTAssertFalse(all.contains("…"), "nothing cut: \(lines)")
        // The second line is indented under the first column (the row's name once).
        XCTAssertTrue(lines[1].hasPrefix(String(repeating: " ", count: table.columns[0].width + ReportTable.gap)), lines[1])
        XCTAssertTrue(table.header[1].hasPrefix(String(repeating: " ", count: table.columns[0].width + ReportTable.gap)), table.header[1])
    }

    func testATableThatFitsStaysOnOneLine() {
        let table = ReportTable(wide(), text: text, width: 150)
        XCTAssertEqual(table.linesPerRow, 1)
        XCTAssertEqual(table.bands, [Array(0 ..< 9)])
        XCTAssertEqual(table.lines(row: 0).count, 1)
        // Text cut first, as before: a long name gives up columns, the figures stay on one line.
        var named = ReportSection(key: "s", title: "S", columns: [ReportColumn(key: "a", title: "Name"), ReportColumn(key: "b", title: "Deals")],
                                  rows: [ReportRow([.text(String(repeating: "x", count: 100)), .count(3)])])
        named.barColumn = nil
        let cut = ReportTable(named, text: text, width: 40)
        XCTAssertEqual(cut.linesPerRow, 1)
        XCTAssertEqual(DisplayWidth.width(of: cut.lines(row: 0)[0]), 40)
    }

    /// Bars compare amounts of one currency only: a large JPY amount does
    /// not flatten the EUR bars; each currency's largest is a full bar.
    func testBarsAreScaledWithinEachCurrency() {
        let eur = { (minor: Int64) in ReportValue.money(Money(minorUnits: minor, currency: .eur), converted: false) }
        let jpy = ReportValue.money(Money(minorUnits: 10_000_000_000_000, currency: Currency("JPY")!), converted: false)
        let section = ReportSection(key: "stages", title: "Open stages",
                                    columns: [ReportColumn(key: "stage", title: "Stage"), ReportColumn(key: "value", title: "Value")],
                                    rows: [ReportRow([.text("Lead"), eur(50_000_00)]), ReportRow([.text("Won"), eur(100_000_00)]),
                                           ReportRow([.text("Big"), jpy])],
                                    barColumn: "value")
        let table = ReportTable(section, text: text, width: 120)
        XCTAssertEqual(table.barFractions.compactMap { $0 }, [0.5, 1.0, 1.0])
    }

    /// The bars have no title of their own (QA 31 #7: "Weighted  Weighted",
    /// "Overdue … Overdue"): the header ends with the table's last column,
    /// and the column the bars draw is found in the table, where the screen
    /// marks it, also when it is not the one beside the bars.
    func testTheBarsRepeatNoTitleAndTheirColumnIsFoundInTheTable() {
        let section = ReportSection(key: "follow_ups", title: "Follow-ups",
                                    columns: [ReportColumn(key: "user", title: "User"), ReportColumn(key: "overdue", title: "Overdue"),
                                              ReportColumn(key: "on_time", title: "% on time")],
                                    rows: [ReportRow([.text("alice"), .count(12), .percent(0.5)]),
                                           ReportRow([.text("omid"), .count(3), .percent(1)])],
                                    barColumn: "overdue")
        let table = ReportTable(section, text: text, width: 80)
        XCTAssertGreaterThan(table.barWidth, 0)
        XCTAssertEqual(table.header, ["User   Overdue  % on time"])
        XCTAssertEqual(table.barColumnTitle?.text, "Overdue")
        XCTAssertEqual(table.barColumnTitle?.x, "User   ".count, "where the header has it")
        // Without bars (too narrow, or `crm report`'s text) nothing is marked.
        XCTAssertNil(ReportTable(section, text: text, width: 30).barColumnTitle)
        let plain = ReportTable(section, text: text, width: 200, bars: false)
        XCTAssertNil(plain.barColumnTitle)
        XCTAssertEqual(plain.header, table.header)
    }
}

/// The filter bar at 80 columns: split between its parts over two lines
/// when it does not fit on one, never cut (QA 31 #4); one line when it fits
/// or a drill list's title needs the second.
final class ReportFilterLinesTests: XCTestCase {
    func testALongFilterGoesOnOverTwoLinesBetweenItsParts() {
        let summary = "last 365 days (2 Dec 2025 – 1 Dec 2026) · all pipelines · everyone · all currencies"
        XCTAssertEqual(ReportsPane.filterLines(summary, width: 78, twoLines: true),
                       ["last 365 days (2 Dec 2025 – 1 Dec 2026) · all pipelines · everyone", "all currencies"])
        XCTAssertEqual(ReportsPane.filterLines(summary, width: 118, twoLines: true), [summary])
        XCTAssertEqual(ReportsPane.filterLines(summary, width: 78, twoLines: false), [summary])
    }
}
