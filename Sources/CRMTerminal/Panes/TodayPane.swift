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
        let scope = vm.showEveryone ? (vm.assigneeFilter.map { "everyone's · only \(TextSanitizer.singleLine($0.login))" } ?? "everyone's") : "mine"
        screen.box(rect, title: "Today · \(day) · \(scope)", style: .borderFocused)
        let inner = rect.inset(by: 1)
        drawCounts(vm, at: Point(x: inner.x, y: inner.y), width: inner.width, timeFormat: timeFormat, on: screen)
        let layout = ColumnLayout(columns(everyone: vm.showEveryone), width: inner.width - 4)
        let specs = columns(everyone: vm.showEveryone)
        for column in layout.shown {
            screen.put(DisplayWidth.pad(specs[column.index].title, to: column.width),
                       at: Point(x: inner.x + 4 + column.x, y: inner.y + 1), style: .header)
        }
        let body = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
        let total = vm.count(of: vm.section)
        if total == 0 {
            screen.put("  " + vm.section.emptyText, at: Point(x: body.x, y: body.y), style: .dim, width: body.width)
        }
        for (n, row) in vm.visibleItems.prefix(body.height).enumerated() {
            drawItem(row.item, section: vm.section, selected: row.ordinal == vm.selectedOrdinal, marked: vm.isMarked(row.item),
                     everyone: vm.showEveryone, layout: layout, x: body.x, y: body.y + n, width: body.width,
                     now: now, timeFormat: timeFormat, on: screen)
        }
        // Where the selection is in the section, and how many are marked.
        var position = ""
        if let s = vm.selectedOrdinal { position = " \(vm.section.shortTitle) \(s + 1)/\(vm.countText(of: vm.section)) " }
        if !vm.marks.isEmpty { position = " \(vm.marks.count) marked ·" + position }
        if !position.isEmpty {
            let shown = timeFormat.number(position)
            screen.put(shown, at: Point(x: max(rect.x + 1, rect.maxX - DisplayWidth.width(of: shown) - 2), y: rect.maxY - 1), style: .dim)
        }
        return nil
    }

    /// "Overdue 100 · Today 6 · Upcoming 30 · Needs attention 145": every
    /// section with its count, the shown one highlighted; Tab moves along it.
    static func drawCounts(_ vm: TodayViewModel, at point: Point, width: Int, timeFormat: TimeFormat, on screen: Screen) {
        var x = point.x
        for (i, section) in TodayViewModel.Section.allCases.enumerated() {
            let count = vm.count(of: section)
            if i > 0 {
                screen.put(" · ", at: Point(x: x, y: point.y), style: .dim, width: max(point.x + width - x, 0))
                x += 3
            }
            let text = timeFormat.number(" \(section.shortTitle) \(vm.countText(of: section)) ")
            var style: Style = section == .overdue && count > 0 ? Style(.error, bold: true) : Style(.title, bold: true)
            if section == vm.section { style = .selected }
            let room = point.x + width - x
            guard room > 0 else { break }
            screen.put(text, at: Point(x: x, y: point.y), style: style, width: room)
            x += DisplayWidth.width(of: text)
        }
    }

    static func columns(everyone: Bool) -> [ColumnSpec] {
        everyone ? columns + [ColumnSpec(title: "Assignee", minWidth: 8, priority: 1, flex: 1)] : columns
    }

    static func drawItem(_ item: TodayViewModel.Item, section: TodayViewModel.Section, selected: Bool, marked: Bool, everyone: Bool,
                         layout: ColumnLayout,
                         x: Int, y: Int, width: Int, now: Date, timeFormat: TimeFormat, on screen: Screen) {
        let values: [String]
        switch item {
        case .followUp(let row):
            let f = row.followUp
            let what = f.note.isEmpty ? f.title : "\(f.title) — \(f.note)"
            values = [row.contactName ?? row.dealTitle ?? "—", row.companyName ?? "", what,
                      timeFormat.due(f.dueAt, now: now), lastContact(row.lastInteractionAt, now: now, timeFormat: timeFormat),
                      row.assigneeLogin ?? "—"]
        case .attention(let row):
            let cadence = row.ownCadenceDays.map { "own cadence every \($0) d" } ?? row.rule.description
            values = [row.name, row.companyName ?? "", "Get in touch: \(cadence)",
                      timeFormat.number(overdue(row.dueAt, now: now)), lastContact(row.lastInteractionAt, now: now, timeFormat: timeFormat),
                      row.ownerLogin ?? "—"]
        }
        let base: Style = selected ? .selected : .normal
        screen.put((selected ? "▸" : " ") + (marked ? "✓ " : "  "), at: Point(x: x, y: y), style: base, width: width)
        for column in layout.shown {
            var style = base
            if !selected && column.index == 3 {
                style = section == .overdue ? .error : (section == .attention ? .warning : .accent)
            }
            if !selected && column.index == 1 { style = .dim }
            screen.put(DisplayWidth.pad(values[column.index], to: column.width),
                       at: Point(x: x + 4 + column.x, y: y), style: style, width: column.width)
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
