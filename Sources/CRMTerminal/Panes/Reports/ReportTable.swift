import CRMViewModels
import Foundation

/// A report section laid out as a table of `width` columns: each column as
/// wide as its widest cell, text columns cut (with "…") when the whole does
/// not fit, numbers right-aligned, and the room left over (up to a limit)
/// for the section's bars. The screen and `crm report`'s text both lay out
/// sections here, so they print the same table.
public struct ReportTable {
    public struct Column {
        public let title: String
        public let width: Int
        public let numeric: Bool
    }

    public let columns: [Column]
    /// The cells' text, per row of the section.
    public let cells: [[String]]
    /// Columns for the bars after the table (0: no bars).
    public let barWidth: Int
    /// The share of the bar each row gets (nil: no bar on that row).
    public let barFractions: [Double?]

    static let gap = 2
    static let maxBar = 40
    static let minBar = 8

    public init(_ section: ReportSection, text: ReportValueText, width: Int, bars: Bool = true) {
        let cells = section.rows.map { row in section.columns.indices.map { i in row.values.indices.contains(i) ? text.text(row.values[i]) : "" } }
        let numeric = section.columns.indices.map { i in
            section.rows.contains { $0.values.indices.contains(i) && ReportValueText.isNumeric($0.values[i]) }
        }
        var widths = section.columns.indices.map { i in
            ([DisplayWidth.width(of: section.columns[i].title)] + cells.map { DisplayWidth.width(of: $0[i]) }).max() ?? 0
        }
        let gaps = max(0, widths.count - 1) * Self.gap
        // Too wide: text columns give up columns, widest first, down to 4.
        var excess = widths.reduce(0, +) + gaps - width
        while excess > 0 {
            guard let i = widths.indices.filter({ !numeric[$0] && widths[$0] > 4 }).max(by: { widths[$0] < widths[$1] }) else { break }
            widths[i] -= 1
            excess -= 1
        }
        let tableWidth = widths.reduce(0, +) + gaps
        var barWidth = 0
        var fractions: [Double?] = Array(repeating: nil, count: section.rows.count)
        var barTitle = ""
        if bars, let key = section.barColumn, let col = section.column(key) {
            barTitle = section.columns[col].title
            let room = width - tableWidth - Self.gap
            if room >= Self.minBar { barWidth = min(Self.maxBar, room) }
            let magnitudes = section.rows.map { row -> Double? in
                row.isTotal || !row.values.indices.contains(col) ? nil : row.values[col].magnitude
            }
            let top = magnitudes.compactMap { $0 }.max() ?? 0
            fractions = magnitudes.map { m in m.map { top > 0 ? $0 / top : 0 } }
        }
        columns = section.columns.indices.map { Column(title: section.columns[$0].title, width: widths[$0], numeric: numeric[$0]) }
        self.cells = cells
        self.barWidth = barWidth
        self.barFractions = fractions
        self.barTitle = barTitle
    }

    /// The width of the table without its bars.
    public var tableWidth: Int { columns.reduce(0) { $0 + $1.width } + max(0, columns.count - 1) * Self.gap }

    /// The column the bars draw, named over them: a bar after "Value won"
    /// may stand for the number won (amounts in several currencies have no
    /// one bar), so the header says which.
    public let barTitle: String

    public var header: String {
        let titles = line(columns.map(\.title))
        guard barWidth > 0, !barTitle.isEmpty else { return titles }
        return titles + String(repeating: " ", count: Self.gap) + DisplayWidth.truncate(barTitle, to: barWidth)
    }

    public func line(row: Int) -> String { line(cells[row]) }

    func line(_ texts: [String]) -> String {
        zip(columns, texts).map { column, text in
            DisplayWidth.pad(text, to: column.width, align: column.numeric ? .right : .left)
        }.joined(separator: String(repeating: " ", count: Self.gap))
    }
}
