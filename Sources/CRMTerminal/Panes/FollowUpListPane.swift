import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// The follow-ups list (Today's `F`): a box titled with the count, a line
/// naming the filters, column headers, and one line per follow-up sorted by
/// due: when, status, what to do, customer, company, deal, assignee.
enum FollowUpListPane {
    static let columns = [
        ColumnSpec(title: "Due", minWidth: 13, priority: 0, flex: 1),
        ColumnSpec(title: "Status", minWidth: 9, priority: 1, flex: 0),
        ColumnSpec(title: "What to do", minWidth: 16, priority: 0, flex: 3),
        ColumnSpec(title: "Customer", minWidth: 12, priority: 0, flex: 2),
        ColumnSpec(title: "Company", minWidth: 10, priority: 3, flex: 1),
        ColumnSpec(title: "Deal", minWidth: 10, priority: 4, flex: 1),
        ColumnSpec(title: "Assignee", minWidth: 8, priority: 2, flex: 0),
    ]

    static func render(_ list: FollowUpListModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) {
        let count = list.total.map { timeFormat.number("\($0)") } ?? "?"
        screen.box(rect, title: "Follow-ups · \(count) · sorted by due", style: .borderFocused)
        let inner = rect.inset(by: 1)
        screen.put(timeFormat.number("Showing: \(list.filterDescription)"), at: Point(x: inner.x, y: inner.y), style: .dim,
                   width: inner.width)
        let layout = ColumnLayout(columns, width: inner.width - 2)
        for column in layout.shown {
            screen.put(DisplayWidth.pad(columns[column.index].title, to: column.width),
                       at: Point(x: inner.x + 2 + column.x, y: inner.y + 1), style: .header)
        }
        let body = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
        if list.window.isEmpty {
            let text = list.isFiltered ? "No follow-up matches these filters (0 clears them)." : "No open follow-ups."
            screen.put("  " + text, at: Point(x: body.x, y: body.y), style: .dim, width: body.width)
            return
        }
        let window = list.window
        for (n, row) in window.visibleRows.enumerated() {
            let index = window.scrollTop + n
            drawRow(row, selected: index == window.selected, layout: layout, x: body.x, y: body.y + n, width: body.width,
                    now: now, timeFormat: timeFormat, on: screen)
        }
    }

    static func drawRow(_ row: FollowUpRow, selected: Bool, layout: ColumnLayout, x: Int, y: Int, width: Int,
                        now: Date, timeFormat: TimeFormat, on screen: Screen) {
        let f = row.followUp
        let what = f.status == .cancelled && !f.cancelReason.isEmpty ? "\(f.title) — cancelled: \(f.cancelReason)"
            : (f.note.isEmpty ? f.title : "\(f.title) — \(f.note)")
        let values = [timeFormat.due(f.dueAt, now: now), f.status.rawValue, what, row.contactName ?? "—",
                      row.companyName ?? "", row.dealTitle ?? "", row.assigneeLogin ?? "—"]
        let base: Style = selected ? .selected : .normal
        screen.put(selected ? "▸ " : "  ", at: Point(x: x, y: y), style: base, width: width)
        for column in layout.shown {
            var style = base
            if !selected {
                switch column.index {
                case 0: style = f.status == .open ? (f.dueAt < now ? .error : .accent) : .dim
                case 1: style = f.status == .open ? .normal : .dim
                case 4, 5: style = .dim
                default: break
                }
            }
            screen.put(DisplayWidth.pad(values[column.index], to: column.width),
                       at: Point(x: x + 2 + column.x, y: y), style: style, width: column.width)
        }
    }
}
