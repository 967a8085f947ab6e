import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// The morning review: one box with four sections (Overdue, Today, Upcoming,
/// Needs attention), a count in each header, and one line per item: customer,
/// company, what to do, when, last contact.
public enum TodayPane {
    static let columns = [
        ColumnSpec(title: "Customer", minWidth: 14, priority: 0, flex: 2),
        ColumnSpec(title: "Company", minWidth: 10, priority: 3, flex: 1),
        ColumnSpec(title: "What to do", minWidth: 18, priority: 1, flex: 3),
        ColumnSpec(title: "When", minWidth: 12, priority: 0, flex: 1),
        ColumnSpec(title: "Last contact", minWidth: 12, priority: 2, flex: 1),
    ]

    @discardableResult
    public static func render(_ vm: TodayViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) -> Point? {
        if let list = vm.list {
            FollowUpListPane.render(list, in: rect, on: screen, now: now, timeFormat: timeFormat)
            return nil
        }
        let day = timeFormat.day(now)
        screen.box(rect, title: "Today · \(day) · \(vm.showEveryone ? "everyone's" : "mine")", style: .borderFocused)
        let inner = rect.inset(by: 1)
        let layout = ColumnLayout(columns, width: inner.width - 2)
        for column in layout.shown {
            screen.put(DisplayWidth.pad(columns[column.index].title, to: column.width),
                       at: Point(x: inner.x + 2 + column.x, y: inner.y), style: .header)
        }
        let body = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        for (n, line) in vm.lines.dropFirst(vm.scrollTop).prefix(body.height).enumerated() {
            let y = body.y + n
            let index = vm.scrollTop + n
            switch line {
            case .header(let section, let count):
                let style: Style = section == .overdue && count > 0 ? Style(.error, bold: true) : Style(.title, bold: true)
                screen.put(timeFormat.number("\(section.title) (\(count))"), at: Point(x: body.x, y: y), style: style, width: body.width)
            case .empty(let section):
                screen.put("  " + section.emptyText, at: Point(x: body.x, y: y), style: .dim, width: body.width)
            case .more(_, let count):
                screen.put(timeFormat.number("  … and \(count) more"), at: Point(x: body.x, y: y), style: .dim, width: body.width)
            case .item(let section, let item):
                let selected = index == vm.selectedLine
                drawItem(item, section: section, selected: selected, layout: layout, x: body.x, y: y, width: body.width,
                         now: now, timeFormat: timeFormat, on: screen)
            }
        }
        if vm.lines.count > body.height {
            let position = " \(vm.scrollTop + 1)–\(min(vm.scrollTop + body.height, vm.lines.count))/\(vm.lines.count) "
            screen.put(timeFormat.number(position), at: Point(x: rect.maxX - DisplayWidth.width(of: position) - 2, y: rect.maxY - 1), style: .dim)
        }
        return nil
    }

    static func drawItem(_ item: TodayViewModel.Item, section: TodayViewModel.Section, selected: Bool, layout: ColumnLayout,
                         x: Int, y: Int, width: Int, now: Date, timeFormat: TimeFormat, on screen: Screen) {
        let values: [String]
        switch item {
        case .followUp(let row):
            let f = row.followUp
            let what = f.note.isEmpty ? f.title : "\(f.title) — \(f.note)"
            values = [row.contactName ?? row.dealTitle ?? "—", row.companyName ?? "", what,
                      timeFormat.due(f.dueAt, now: now), lastContact(row.lastInteractionAt, now: now, timeFormat: timeFormat)]
        case .attention(let row):
            values = [row.name, row.companyName ?? "", "Get in touch: \(row.rule.description)",
                      timeFormat.number(overdue(row.dueAt, now: now)), lastContact(row.lastInteractionAt, now: now, timeFormat: timeFormat)]
        }
        let base: Style = selected ? .selected : .normal
        screen.put(selected ? "▸ " : "  ", at: Point(x: x, y: y), style: base, width: width)
        for column in layout.shown {
            var style = base
            if !selected && column.index == 3 {
                style = section == .overdue ? .error : (section == .attention ? .warning : .accent)
            }
            if !selected && column.index == 1 { style = .dim }
            screen.put(DisplayWidth.pad(values[column.index], to: column.width),
                       at: Point(x: x + 2 + column.x, y: y), style: style, width: column.width)
        }
    }

    /// "3 d overdue": how long the cadence has run out. From a stored last
    /// contact no screen can show (written by hand), "out of range".
    static func overdue(_ due: Date, now: Date) -> String {
        guard DateLimits.shown.contains(due) else { return TimeFormat.outOfRange }
        let hours = Int(now.timeIntervalSince(due) / 3600)
        return hours < 24 ? "\(max(hours, 0)) h overdue" : "\(hours / 24) d overdue"
    }

    static func lastContact(_ date: Date?, now: Date, timeFormat: TimeFormat) -> String {
        date.map { timeFormat.relative($0, now: now) } ?? "never"
    }
}
