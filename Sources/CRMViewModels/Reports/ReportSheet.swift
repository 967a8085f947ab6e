import CRMCore
import Foundation

/// The five pages of the Reports view, in Tab order. The raw value is the
/// name `crm report` takes and the palette shows.
public enum ReportPage: String, CaseIterable, Sendable {
    case pipeline, forecast, winloss, people, customers

    public var title: String {
        switch self {
        case .pipeline: "Pipeline"
        case .forecast: "Forecast"
        case .winloss: "Won and lost"
        case .people: "People"
        case .customers: "Customers"
        }
    }
}

/// One report page as figures, independent of how it is drawn. The screen
/// draws a sheet, and `crm report` prints the same sheet as text, JSON or
/// CSV, so the screen and the command can never disagree: a figure exists
/// once, here, computed by the page's builder from repository queries.
public struct ReportSheet: Equatable, Sendable {
    public var page: ReportPage
    public var sections: [ReportSection]
    /// Lines under the page: how a figure was made ("USD converted at
    /// rate.USD = 0.92"), what is counted apart ("3 deals past their close
    /// date"), or why a section is empty.
    public var notes: [String]

    public init(page: ReportPage, sections: [ReportSection], notes: [String] = []) {
        self.page = page
        self.sections = sections
        self.notes = notes
    }

    public func section(_ key: String) -> ReportSection? { sections.first { $0.key == key } }
}

/// A titled table of a page ("Open stages", "Funnel", "Lost reasons").
public struct ReportSection: Equatable, Sendable {
    /// A stable name for scripts: the JSON key and the CSV section name
    /// ("stages", "funnel", "months", "reasons").
    public var key: String
    public var title: String
    public var columns: [ReportColumn]
    public var rows: [ReportRow]
    /// The column whose values the screen draws as horizontal bars, scaled
    /// to the largest value of that column in this section; nil: no bars.
    public var barColumn: String?
    /// A series drawn as a sparkline beside the title (won per week over the
    /// last 12 weeks), oldest first; empty: none.
    public var sparkline: [Double]

    public init(key: String, title: String, columns: [ReportColumn], rows: [ReportRow],
                barColumn: String? = nil, sparkline: [Double] = []) {
        self.key = key
        self.title = title
        self.columns = columns
        self.rows = rows
        self.barColumn = barColumn
        self.sparkline = sparkline
    }

    public func column(_ key: String) -> Int? { columns.firstIndex { $0.key == key } }
}

public struct ReportColumn: Equatable, Sendable {
    /// A stable name for scripts ("deals", "value", "weighted", "win_rate").
    public var key: String
    public var title: String

    public init(key: String, title: String) {
        self.key = key
        self.title = title
    }
}

/// One line of a section. `values` follow the section's columns.
public struct ReportRow: Equatable, Sendable {
    public var values: [ReportValue]
    /// What Enter on this row lists; nil when there is nothing behind it.
    public var drill: ReportDrill?
    /// A total line (drawn apart, not given a bar).
    public var isTotal: Bool

    public init(_ values: [ReportValue], drill: ReportDrill? = nil, isTotal: Bool = false) {
        self.values = values
        self.drill = drill
        self.isTotal = isTotal
    }
}

/// A figure, typed so each output formats it its own way: the screen with
/// the user's digits and calendar, JSON as numbers, CSV as plain values.
public enum ReportValue: Equatable, Sendable {
    case text(String)
    case count(Int)
    /// One currency's amount; `converted` marks a total made with the rates
    /// of the settings (shown with "≈"), never a sum of raw currencies.
    case money(Money, converted: Bool)
    /// A share from 0 to 1; nil when undefined (nothing to divide by).
    case percent(Double?)
    /// A number of days (median stage time, sales cycle); nil when undefined.
    case days(Double?)
    /// Any other figure (a score, a velocity per day); nil when undefined.
    case number(Double?)
    case date(Date)
    /// A month, e.g. a forecast row: year and month of the calendar of the
    /// settings the sheet was built with (Persian months with `calendar = persian`).
    case month(year: Int, month: Int)
    case empty

    /// The figure a bar is drawn from (money by its minor units).
    public var magnitude: Double? {
        switch self {
        case .count(let n): Double(n)
        case .money(let m, _): Double(m.minorUnits)
        case .percent(let p): p
        case .days(let d): d
        case .number(let n): n
        case .text, .date, .month, .empty: nil
        }
    }
}

/// What lies behind a figure: Enter on its row lists these, Enter on one
/// of them opens it. Ids are collected by the page's builder with the same
/// query as the figure, so the list always has exactly the counted records.
public enum ReportDrill: Equatable, Sendable {
    case deals([Int64])
    case contacts([Int64])
    case followUps([Int64])
    /// Records the figure counted and the page did not fetch: the question
    /// is kept, and `resolved` asks it again with the ids when Enter (or
    /// `crm report --json`) wants them. For the figures over everything
    /// open now (every open deal, every customer out of touch: tens of
    /// thousands of ids a page at 100,000 contacts, for a list opened now
    /// and then).
    case counted(ReportDrillQuery)
}
