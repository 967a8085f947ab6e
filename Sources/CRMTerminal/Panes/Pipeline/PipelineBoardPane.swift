import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// The kanban board: a title line (pipeline, filters, which stages are in
/// view), then one column per open stage that fits. Each column: the stage,
/// its count, total and weighted total per currency, then its cards.
enum PipelineBoardPane {
    /// Title, company or contact, value · owner · days, blank.
    static let cardRows = BoardLayout.cardRows

    /// Draws the board; returns where the caret goes (the search line), if shown.
    /// `timeFormat`: the screen's digits for counts, amounts and days (`digits = persian`).
    static func render(_ vm: PipelineViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat? = nil) -> Point? {
        let number: (String) -> String = { timeFormat?.number($0) ?? $0 }
        // Columns and totals lines as the view model worked them out for
        // this area when it was resized (BoardLayout): drawing loads nothing.
        let totalsLines = vm.boardTotalsLines
        let caret = renderTitle(vm, in: rect.row(0), on: screen, number: number)
        let board = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        guard !vm.columns.isEmpty else {
            let text = vm.pipeline == nil ? "No pipeline yet: P creates one." : "This pipeline has no open stage: A adds one."
            screen.put(text, at: Point(x: board.x + 2, y: board.y + 1), style: .dim)
            return caret
        }
        let visible = Array(vm.visibleColumns)
        // Few stages on a wide terminal: they share the width, up to a readable maximum each.
        let rects = board.columns(BoardLayout.slots(width: board.width, stages: vm.columns.count, fitting: vm.visibleColumnCount), gap: 1)
        for (slot, index) in visible.enumerated() where slot < rects.count {
            renderColumn(vm.columns[index], focused: index == vm.focusColumn, totalsLines: totalsLines, vm: vm,
                         in: rects[slot], on: screen, number: number)
            if slot + 1 < rects.count {
                let x = rects[slot].maxX
                for y in board.y ..< board.maxY { screen.put("│", at: Point(x: x, y: y), style: .border) }
            }
        }
        return caret
    }

    private static func renderTitle(_ vm: PipelineViewModel, in row: Rect, on screen: Screen, number: (String) -> String) -> Point? {
        screen.put("", at: row.origin, style: .normal, width: row.width)
        var x = row.x
        x += screen.put(" " + (vm.pipeline?.name ?? "Pipeline") + " ", at: Point(x: x, y: row.y), style: Style(.title, bold: true))
        x += screen.put(" " + vm.filterSummary + " ", at: Point(x: x, y: row.y), style: vm.isFiltered ? .accent : .dim)
        var caret: Point?
        if vm.isSearching {
            x += screen.put(" / ", at: Point(x: x, y: row.y), style: .title)
            let width = max(10, min(30, row.maxX - x - 20))
            caret = EditorView.draw(vm.search, at: Point(x: x, y: row.y), width: width, style: .field, on: screen)
            x += width
        }
        if let problem = vm.searchProblem, row.maxX - x > 2 {
            x += screen.put(" " + problem + " ", at: Point(x: x, y: row.y), style: .warning, width: row.maxX - x)
        }
        // Which stages are in view, and how many hide left and right.
        let range = vm.visibleColumns
        if !vm.columns.isEmpty {
            let left = range.lowerBound, right = vm.columns.count - range.upperBound
            let text = number((left > 0 ? "◀ \(left) " : "") + "stages \(range.lowerBound + 1)–\(range.upperBound) of \(vm.columns.count)"
                + (right > 0 ? " \(right) ▶" : "") + " ")
            let w = DisplayWidth.width(of: text)
            if row.maxX - w > x { screen.put(text, at: Point(x: row.maxX - w, y: row.y), style: .dim) }
        }
        return caret
    }

    private static func renderColumn(_ column: BoardColumn, focused: Bool, totalsLines: Int, vm: PipelineViewModel,
                                     in rect: Rect, on screen: Screen, number: (String) -> String) {
        let stage = column.stage
        // Totals a search typed has not counted yet: "…" until it is done.
        let count = column.totalsPending ? " …" : number(" \(column.totals.count)")
        let name = "\(stage.name) · " + number("\(stage.probability)%")
        let headerStyle: Style = focused ? Style(.borderFocused, bold: true) : Style(.header, bold: true)
        screen.put(name, at: rect.origin, style: headerStyle, width: rect.width - DisplayWidth.width(of: count))
        screen.put(count, at: Point(x: rect.maxX - DisplayWidth.width(of: count), y: rect.y), style: headerStyle)
        if column.totalsPending {
            screen.put("Σ …", at: Point(x: rect.x, y: rect.y + 1), style: .dim, width: rect.width)
        } else {
            renderTotals(column.totals, in: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: totalsLines), on: screen,
                         number: number)
        }
        // The rule under the header says how many cards are above the window.
        let rule = column.above > 0 ? number("── ↑ \(column.above) more ") : ""
        screen.put(rule + String(repeating: "─", count: max(0, rect.width - DisplayWidth.width(of: rule))),
                   at: Point(x: rect.x, y: rect.y + 1 + totalsLines), style: focused ? .borderFocused : .border, width: rect.width)
        var y = rect.y + totalsLines + 2
        let bottom = rect.maxY - 1
        for (i, card) in column.cards.enumerated() where y + 2 < bottom + 1 {
            renderCard(card, selected: focused && i == column.selected, vm: vm, at: Point(x: rect.x, y: y), width: rect.width, on: screen,
                       number: number)
            y += cardRows
        }
        if column.cards.isEmpty {
            screen.put(vm.isFiltered ? "no deals match" : "no deals", at: Point(x: rect.x + 1, y: y), style: .dim, width: rect.width - 1)
        }
        if column.below > 0 || column.moreBelow {
            screen.put(number("↓ \(max(column.below, 1)) more"), at: Point(x: rect.x, y: bottom), style: .dim, width: rect.width)
        }
    }

    /// One line per currency with its total and weighted total, never added
    /// across currencies: "Σ 120k EUR  ≈ 60.0k EUR", or "Σ 120k ≈ 60.0k EUR"
    /// in a narrow column. More currencies than lines: the last line says how
    /// many more and which.
    static func renderTotals(_ totals: StageTotals, in rect: Rect, on screen: Screen, number: (String) -> String = { $0 }) {
        let lines = totals.byCurrency
        if lines.isEmpty {
            screen.put(number("Σ 0"), at: rect.origin, style: .dim, width: rect.width)
            return
        }
        let shown = lines.count > rect.height ? max(0, rect.height - 1) : lines.count
        for (i, total) in lines.prefix(shown).enumerated() {
            screen.put(number(totalLine(total, width: rect.width)), at: Point(x: rect.x, y: rect.y + i), style: .normal, width: rect.width)
        }
        if shown < lines.count, rect.height > 0 {
            let rest = lines.dropFirst(shown)
            let codes = rest.map(\.currency.displayCode).joined(separator: ", ")
            let more = number("+\(rest.count) more \(rest.count == 1 ? "currency" : "currencies")")
            let text = [more + ": " + codes, number("+\(rest.count) more: ") + codes].first { DisplayWidth.width(of: $0) <= rect.width } ?? more
            screen.put(text, at: Point(x: rect.x, y: rect.y + shown), style: .dim, width: rect.width)
        }
    }

    /// A sum out of range (a stored value no deal may hold, or beyond Int64)
    /// says so in place of the amounts; the column's other lines and cards
    /// are drawn as usual.
    static func totalLine(_ total: CurrencyTotal, width: Int) -> String {
        let code = " " + total.currency.displayCode
        guard let sum = total.sum else { return "Σ out of range" + code }
        let weighted = total.weighted.map { $0.compact(total: true) } ?? "out of range" + code
        let full = "Σ \(sum.compact(total: true))  ≈ \(weighted)"
        if DisplayWidth.width(of: full) <= width { return full }
        // The code once, at the end.
        func amount(_ text: String) -> String { text.hasSuffix(code) ? String(text.dropLast(code.count)) : text }
        return "Σ \(amount(sum.compact(total: true))) ≈ \(amount(weighted))\(code)"
    }

    private static func renderCard(_ card: DealCard, selected: Bool, vm: PipelineViewModel, at p: Point, width: Int, on screen: Screen,
                                   number: (String) -> String) {
        let rotting = vm.isRotting(card)
        let base: Style = selected ? .selected : .normal
        // A marked card (Space, to reassign together) shows a dot before its title.
        let marker = (vm.markedDeals.contains(card.id) ? "● " : "") + (rotting ? "⚠ " : "")
        if !marker.isEmpty {
            let w = screen.put(marker, at: p, style: selected ? .selected : (rotting ? .warning : .accent))
            screen.put(card.deal.title, at: Point(x: p.x + w, y: p.y), style: Style(base.role, bold: true), width: width - w)
        } else {
            screen.put(card.deal.title, at: p, style: Style(base.role, bold: true), width: width)
        }
        let who = card.companyName ?? card.contactName ?? "—"
        screen.put("  " + who, at: Point(x: p.x, y: p.y + 1), style: selected ? .selected : .dim, width: width)
        // Days in stage last, in the warning colour when the deal rots (the
        // ⚠ before the title says so in monochrome too).
        let days = number(vm.daysInStage(card).map { "\($0)d" } ?? "—d")
        let facts = "  \(number(card.deal.value.compact())) · \(card.ownerLogin ?? "nobody") · "
        if selected { screen.put("", at: Point(x: p.x, y: p.y + 2), style: .selected, width: width) }
        let w = screen.put(DisplayWidth.truncate(facts, to: max(0, width - DisplayWidth.width(of: days))),
                           at: Point(x: p.x, y: p.y + 2), style: selected ? .selected : .normal)
        screen.put(days, at: Point(x: p.x + w, y: p.y + 2), style: selected ? .selected : (rotting ? .warning : .normal))
    }
}
