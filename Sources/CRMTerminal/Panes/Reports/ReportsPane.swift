import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// View 5: the page tabs, the filter bar, then the page's sections (a title
/// with its sparkline, a header, the rows with their bars) and its notes;
/// or, after Enter, the records behind the selected row.
public enum ReportsPane {
    public static func render(_ vm: ReportsModel, in rect: Rect, on screen: Screen, timeFormat: TimeFormat) {
        guard rect.height >= 4, rect.width >= 10 else { return }
        drawTabs(vm, at: rect.y, x: rect.x, width: rect.width, on: screen)
        // "computing…" is kept whole at the line's end, the filter cut before
        // it: on a narrow screen it is what tells old figures from new.
        let mark = vm.isStale && vm.sheet != nil ? " · computing…" : ""
        // Too long for one line, the filters take the blank line under it
        // too (a drill list's title is there), so none is hidden (QA 31 #4).
        let lines = filterLines(vm.filterSummary, width: rect.width - 2, twoLines: vm.drill == nil)
        for (i, line) in lines.enumerated() {
            let last = i == lines.count - 1
            let room = rect.width - 2 - (last ? DisplayWidth.width(of: mark) : 0)
            screen.put(DisplayWidth.truncate(line, to: max(0, room)) + (last ? mark : ""), at: Point(x: rect.x + 1, y: rect.y + 1 + i),
                       style: vm.isStale ? .warning : .dim, width: rect.width - 2)
        }
        let body = Rect(x: rect.x + 1, y: rect.y + 3, width: rect.width - 2, height: rect.height - 3)
        if let drill = vm.drill {
            drawDrill(drill, detail: vm.drillDetail, title: Rect(x: body.x, y: rect.y + 2, width: body.width, height: 1), in: body, on: screen,
                      timeFormat: timeFormat)
            return
        }
        guard let sheet = vm.sheet else {
            if vm.readFailed && !vm.isStale {
                screen.put("The figures could not be read (the status line says why); they are read again when the database answers.",
                           at: Point(x: body.x, y: body.y), style: .warning, width: body.width)
            } else {
                screen.put("Computing the figures…", at: Point(x: body.x, y: body.y), style: .dim, width: body.width)
            }
            return
        }
        drawSheet(sheet, vm: vm, in: body, on: screen, timeFormat: timeFormat)
    }

    /// The filter summary ("period · pipelines · owners · currency") on one
    /// line, or split between its parts over two when it does not fit.
    static func filterLines(_ summary: String, width: Int, twoLines: Bool) -> [String] {
        let parts = summary.components(separatedBy: " · ")
        guard twoLines, DisplayWidth.width(of: summary) > width, parts.count > 1 else { return [summary] }
        var first = parts[0]
        var rest = parts.dropFirst()
        while let next = rest.first, DisplayWidth.width(of: first + " · " + next) <= width {
            first += " · " + next
            rest = rest.dropFirst()
        }
        return [first, rest.joined(separator: " · ")]
    }

    /// " Pipeline  Forecast  Won and lost  People  Customers ", the page shown reversed.
    static func drawTabs(_ vm: ReportsModel, at y: Int, x: Int, width: Int, on screen: Screen) {
        var cx = x + 1
        for page in ReportPage.allCases {
            let label = " \(page.title) "
            guard cx + DisplayWidth.width(of: label) <= x + width else { break }
            cx += screen.put(label, at: Point(x: cx, y: y), style: page == vm.page ? .selected : .header)
            cx += 1
        }
    }

    static func drawSheet(_ sheet: ReportSheet, vm: ReportsModel, in body: Rect, on screen: Screen, timeFormat: TimeFormat) {
        let text = ReportValueText(timeFormat: timeFormat)
        let glyphs = ChartGlyphs(ascii: vm.asciiCharts)
        var line = 0
        var rowIndex = 0
        func put(_ draw: (Int) -> Void) {
            let y = line - vm.scrollTop
            if y >= 0 && y < body.height { draw(body.y + y) }
            line += 1
        }
        if sheet.sections.isEmpty {
            put { y in screen.put(sheet.page.title, at: Point(x: body.x, y: y), style: .title, width: body.width) }
        }
        let tables = sheet.sections.map { ReportTable($0, text: text, width: body.width) }
        // A note is read whole: wrapped to the width, not cut.
        let notes = sheet.notes.map { DisplayWidth.wrap(timeFormat.number($0), to: body.width) }
        // A table too wide for the screen takes more lines a row, a long
        // note more lines: the model scrolls by them.
        vm.setLayout(linesPerRow: tables.map(\.linesPerRow), noteLines: notes.map(\.count))
        for (section, table) in zip(sheet.sections, tables) {
            put { y in
                // Titles hold no names, only words and the settings' shares.
                let w = screen.put(timeFormat.number(section.title), at: Point(x: body.x, y: y), style: .title, width: nil)
                if !section.sparkline.isEmpty {
                    screen.put(glyphs.sparkline(section.sparkline), at: Point(x: body.x + w + 2, y: y), style: .accent)
                }
            }
            for (n, header) in table.header.enumerated() {
                put { y in
                    screen.put(header, at: Point(x: body.x, y: y), style: .header, width: body.width)
                    // The title of the figure the bars draw, in the bars'
                    // colour: their only label now (QA 31 #7). Bold and
                    // underlined as the monochrome theme draws every header,
                    // so without colour it is a title like the others.
                    if n == 0, let mark = table.barColumnTitle {
                        screen.put(mark.text, at: Point(x: body.x + mark.x, y: y), style: Style(.accent, bold: true, underline: true))
                    }
                }
            }
            for (i, row) in section.rows.enumerated() {
                let selected = rowIndex == vm.selected
                let style: Style = selected ? .selected : (row.isTotal ? Style.normal.bolded : .normal)
                for (n, text) in table.lines(row: i).enumerated() {
                    put { y in
                        screen.put(text, at: Point(x: body.x, y: y), style: style, width: body.width)
                        if n == 0, table.barWidth > 0, let f = table.barFractions[i] {
                            screen.put(glyphs.bar(f, width: table.barWidth),
                                       at: Point(x: body.x + table.tableWidth + ReportTable.gap, y: y), style: selected ? .selected : .accent)
                        }
                    }
                }
                rowIndex += 1
            }
            put { _ in }
        }
        for line in notes.joined() {
            put { y in screen.put(line, at: Point(x: body.x, y: y), style: .dim, width: body.width) }
        }
    }

    static func drawDrill(_ drill: ReportDrillList, detail: (ReportDrillRow) -> String, title: Rect, in body: Rect, on screen: Screen,
                          timeFormat: TimeFormat) {
        let count = drill.total > drill.listed ? "\(drill.listed) of \(drill.total)" : "\(drill.listed)"
        screen.put("\(drill.title) — \(timeFormat.number(count)) \(drill.total == 1 ? String(drill.noun.dropLast()) : drill.noun)", at: Point(x: title.x, y: title.y),
                   style: .title, width: title.width)
        if drill.entries.isEmpty {
            screen.put("None of them is there any more (deleted since).", at: Point(x: body.x, y: body.y), style: .dim, width: body.width)
            return
        }
        // The title gives way first: the detail (stage, amount, owner) is
        // what the figure was counted from, so it is kept whole when it can be.
        let rows = drill.entries.visibleRows
        let details = rows.map(detail) // in the screen's digits already, names as they are
        let titleWidth = min(40, max(12, body.width - 2 - (details.map { DisplayWidth.width(of: $0) }.max() ?? 0)))
        for (offset, row) in rows.enumerated() {
            let index = drill.entries.scrollTop + offset
            let y = body.y + offset
            guard y < body.maxY else { break }
            let style: Style = index == drill.entries.selected ? .selected : .normal
            let line = DisplayWidth.pad(row.title, to: titleWidth) + "  " + details[offset]
            screen.put(line, at: Point(x: body.x, y: y), style: style, width: body.width)
        }
    }
}
