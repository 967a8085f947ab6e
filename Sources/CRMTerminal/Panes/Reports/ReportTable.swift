import CRMViewModels
import Foundation

/// A report section laid out as a table of `width` columns: each column as
/// wide as its widest cell, text columns cut (with "…") when the whole does
/// not fit, numbers right-aligned, and the room left over (up to a limit)
/// for the section's bars. A table too wide even with its text cut (the
/// nine figures of Won and lost at 80 columns) goes on over more lines per
/// row instead: `bands` of columns, the later ones indented under the first
/// column, so no figure is cut or wrapped by the terminal. The screen and
/// `crm report`'s text both lay out sections here, so they print the same
/// table.
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
        let natural = section.columns.indices.map { i in
            ([DisplayWidth.width(of: section.columns[i].title)] + cells.map { DisplayWidth.width(of: $0[i]) }).max() ?? 0
        }
        var widths = natural
        // A column is never cut below its title (QA 45 KB #6: a page of
        // zeros, read as text, showed "Curre…" and "Averag…"), nor below 4.
        let floors = section.columns.map { max(4, DisplayWidth.width(of: $0.title)) }
        // Too wide: text columns give up columns, widest first, down to their floor.
        Self.shrinkText(&widths, numeric: numeric, floors: floors, to: width)
        var bands = [Array(section.columns.indices)]
        if Self.width(of: widths) > width, widths.count > 2 {
            // Still too wide (numbers are never cut): more lines per row.
            widths = natural
            bands = Self.bands(widths, width: width)
            for band in bands { Self.shrinkText(&widths, numeric: numeric, floors: floors, to: width, among: band) }
        }
        self.bands = bands
        let tableWidth = Self.widest(bands, widths)
        var barWidth = 0
        var fractions: [Double?] = Array(repeating: nil, count: section.rows.count)
        var barColumn: Int?
        if bars, let key = section.barColumn, let col = section.column(key) {
            let room = width - tableWidth - Self.gap
            if room >= Self.minBar {
                barWidth = min(Self.maxBar, room)
                barColumn = col
            }
            // Amounts are compared within their currency only: each
            // currency's largest is a full bar (one JPY deal once flattened
            // every EUR bar). Other figures share one scale.
            let magnitudes = section.rows.map { row -> (value: Double, scale: String)? in
                guard !row.isTotal, row.values.indices.contains(col), let m = row.values[col].magnitude else { return nil }
                if case .money(let money, _) = row.values[col] { return (m, money.currency.code) }
                return (m, "")
            }
            var tops: [String: Double] = [:]
            for m in magnitudes.compactMap({ $0 }) { tops[m.scale] = max(tops[m.scale] ?? 0, m.value) }
            fractions = magnitudes.map { m in m.map { m in (tops[m.scale] ?? 0) > 0 ? m.value / tops[m.scale]! : 0 } }
        }
        columns = section.columns.indices.map { Column(title: section.columns[$0].title, width: widths[$0], numeric: numeric[$0]) }
        self.cells = cells
        self.barWidth = barWidth
        self.barFractions = fractions
        self.barColumn = barColumn
    }

    /// The columns of each line of a row, in order: one band when the table
    /// fits; the first band starts with the first column, and each later one
    /// is drawn indented by it (the row's name is on its first line only).
    public let bands: [[Int]]

    /// The lines each row (and the header) takes: one when the table fits.
    public var linesPerRow: Int { bands.count }

    /// The width of the table without its bars (its widest line).
    public var tableWidth: Int { Self.widest(bands, columns.map(\.width)) }

    static func width(of widths: [Int]) -> Int { widths.reduce(0, +) + max(0, widths.count - 1) * gap }

    /// The widest line of `bands` (a later band indented by the first column).
    static func widest(_ bands: [[Int]], _ widths: [Int]) -> Int {
        bands.map { band in width(of: band.map { widths[$0] }) + (band.first == 0 ? 0 : widths[0] + gap) }.max() ?? 0
    }

    /// Cuts text columns (widest first, down to their floors) until `among` fits `width`.
    static func shrinkText(_ widths: inout [Int], numeric: [Bool], floors: [Int], to width: Int, among: [Int]? = nil) {
        let among = among ?? Array(widths.indices)
        let indent = among.first == 0 || among.isEmpty ? 0 : widths[0] + gap
        var excess = indent + Self.width(of: among.map { widths[$0] }) - width
        while excess > 0 {
            guard let i = among.filter({ !numeric[$0] && widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] }) else { return }
            widths[i] -= 1
            excess -= 1
        }
    }

    /// The columns split into lines that fit `width`, in order: the first
    /// line from the first column, each later one indented by it.
    static func bands(_ widths: [Int], width: Int) -> [[Int]] {
        var bands: [[Int]] = [[0]]
        var used = widths[0]
        for i in widths.indices.dropFirst() {
            if used + gap + widths[i] > width, bands[bands.count - 1].contains(where: { $0 != 0 }) {
                bands.append([i])
                used = widths[0] + gap + widths[i]
            } else {
                bands[bands.count - 1].append(i)
                used += gap + widths[i]
            }
        }
        return bands
    }

    /// The column the bars draw, when they are drawn (nil: no bars). Its
    /// title is not repeated over the bars ("Weighted  Weighted", QA 31 #7):
    /// the screen marks the title in the table instead, in the bars' style,
    /// since the bars do not always draw the column beside them (after
    /// "Value won" they are the number won: amounts in several currencies
    /// have no one bar).
    public let barColumn: Int?

    /// The header's lines (one per band); nothing over the bars.
    public var header: [String] { lines(columns.map(\.title)) }

    /// Where the title of the column the bars draw stands in the header's
    /// first line: its first column and its text. Nil without bars (a table
    /// with bars always fits one band, so the column is in the first).
    public var barColumnTitle: (x: Int, text: String)? {
        guard let col = barColumn, let band = bands.first, let place = band.firstIndex(of: col) else { return nil }
        let x = band[..<place].reduce(0) { $0 + columns[$1].width + Self.gap }
        let column = columns[col]
        let text = DisplayWidth.truncate(column.title, to: column.width)
        return (column.numeric ? x + column.width - DisplayWidth.width(of: text) : x, text)
    }

    /// A row's lines (one per band).
    public func lines(row: Int) -> [String] { lines(cells[row]) }

    func lines(_ texts: [String]) -> [String] {
        let gap = String(repeating: " ", count: Self.gap)
        return bands.map { band in
            let indent = band.first == 0 ? "" : String(repeating: " ", count: columns[0].width) + gap
            return indent + band.map { i in
                DisplayWidth.pad(texts[i], to: columns[i].width, align: columns[i].numeric ? .right : .left)
            }.joined(separator: gap)
        }
    }
}
