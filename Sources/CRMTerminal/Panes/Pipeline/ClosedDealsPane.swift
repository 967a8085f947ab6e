import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// Won and lost deals, most recently closed first: a table to reopen from.
enum ClosedDealsPane {
    /// `valueWidth`: the widest value on the page, so a figure is never cut
    /// (QA 45 FA #4: "۳۵۰٬۰۰۰٬۰۰۰…" lost its currency; rial values run
    /// to 13 digits); the Deal and Customer columns give way instead.
    static func specs(valueWidth: Int) -> [ColumnSpec] { [
        ColumnSpec(title: "", minWidth: 4, priority: 0, flex: 0),
        ColumnSpec(title: "Deal", minWidth: 18, priority: 0, flex: 3),
        ColumnSpec(title: "Customer", minWidth: 14, priority: 2, flex: 2),
        ColumnSpec(title: "Value", minWidth: max(12, valueWidth), priority: 1, flex: 0, align: .right),
        ColumnSpec(title: "Stage", minWidth: 10, priority: 4, flex: 1),
        ColumnSpec(title: "Closed", minWidth: 11, priority: 1, flex: 0),
        ColumnSpec(title: "Owner", minWidth: 8, priority: 5, flex: 0),
        ColumnSpec(title: "Reason", minWidth: 12, priority: 3, flex: 2),
    ] }

    static func render(_ vm: PipelineViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) {
        let which = switch vm.closedStatus { case .won: "Won"; case .lost: "Lost"; default: "Won and lost" }
        screen.box(rect, title: "\(which) deals · \(vm.pipeline?.name ?? "")", style: .borderFocused)
        let inner = rect.inset(dx: 1, dy: 1)
        let values = vm.closed.visibleRows.map { timeFormat.number($0.deal.value.shown(decimals: false)) }
        let specs = specs(valueWidth: values.map { DisplayWidth.width(of: $0) }.max() ?? 0)
        let layout = ColumnLayout(specs, width: inner.width)
        for column in layout.shown {
            let spec = specs[column.index]
            screen.put(DisplayWidth.pad(spec.title, to: column.width, align: spec.align), at: Point(x: inner.x + column.x, y: inner.y),
                       style: .header, width: column.width)
        }
        if vm.closed.isEmpty {
            screen.put("No \(which.lowercased()) deals here yet.", at: Point(x: inner.x + 1, y: inner.y + 2), style: .dim)
            return
        }
        for (n, card) in vm.closed.visibleRows.enumerated() {
            let y = inner.y + 1 + n
            let index = vm.closed.scrollTop + n
            let selected = index == vm.closed.selected
            if selected { screen.put("", at: Point(x: inner.x, y: y), style: .selected, width: inner.width) }
            let cells = [
                card.deal.status == .won ? "Won" : "Lost",
                card.deal.title,
                card.companyName ?? card.contactName ?? "",
                values[n],
                card.stageName,
                card.deal.closedAt.map { timeFormat.absolute($0, now: now) } ?? "",
                card.ownerLogin ?? "",
                card.deal.lostReason,
            ]
            for column in layout.shown {
                let spec = specs[column.index]
                var style: Style = selected ? .selected : .normal
                if column.index == 0 && !selected { style = card.deal.status == .won ? .success : .error }
                screen.put(DisplayWidth.pad(DisplayWidth.truncate(cells[column.index], to: column.width), to: column.width, align: spec.align),
                           at: Point(x: inner.x + column.x, y: y), style: style, width: column.width)
            }
        }
    }
}
