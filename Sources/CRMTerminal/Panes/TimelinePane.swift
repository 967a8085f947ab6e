import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// A timeline, newest first: one line per entry (type, direction, when, who,
/// subject and first line); an expanded entry shows its whole body below.
enum TimelinePane {
    static func kindLabel(_ kind: InteractionKind) -> String {
        switch kind {
        case .call: "Call"
        case .email: "Mail"
        case .meeting: "Meet"
        case .note: "Note"
        case .message: "Msg "
        case .stageChange: "Deal"
        }
    }

    static func render(_ window: ListWindow<TimelineEntry>, expanded: Set<Int64>, title: String, focused: Bool,
                       in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat, showContact: Bool = false) {
        let countText = window.rows.count == 0 ? "" : " (\(window.rows.count)\(window.moreAfter ? "+" : ""))"
        screen.box(rect, title: "\(title)\(timeFormat.number(countText))", style: focused ? .borderFocused : .border)
        let inner = rect.inset(dx: 1, dy: 1)
        if window.rows.isEmpty {
            // Wrapped: a narrow pane (80 columns) cut the keys off (QA 40 #8).
            let lines = DisplayWidth.wrap("No interactions yet. n logs a note, c starts a call.", to: inner.width - 1)
            for (n, line) in lines.prefix(max(inner.height, 0)).enumerated() {
                screen.put(line, at: Point(x: inner.x + 1, y: inner.y + n), style: .dim, width: inner.width - 1)
            }
            return
        }
        var y = inner.y
        var index = window.scrollTop
        while y < inner.maxY, index < window.rows.count {
            let entry = window.rows[index]
            let i = entry.interaction
            let selected = index == window.selected
            let style: Style = selected ? (focused ? .selected : .selectedInactive) : (i.kind == .stageChange ? .dim : .normal)
            let when = DisplayWidth.pad(timeFormat.relative(i.occurredAt, now: now), to: 11)
            let who = DisplayWidth.pad(entry.authorLogin ?? "", to: 7)
            var summary = [i.subject, i.firstLine].filter { !$0.isEmpty }.joined(separator: " — ")
            // The outcome before the text, not after it: in a contact's
            // narrow timeline pane the end of a long line is cut off.
            if !i.outcome.isEmpty { summary = "(\(i.outcome))" + (summary.isEmpty ? "" : " " + summary) }
            if let d = i.durationSeconds, i.kind == .call { summary = "[\(timeFormat.shownDuration(d))] " + summary }
            if showContact, let name = entry.contactName { summary = name + ": " + summary }
            let line = "\(kindLabel(i.kind)) \(i.direction.arrow) \(when) \(who) \(summary)"
            screen.put(line, at: Point(x: inner.x, y: y), style: style, width: inner.width)
            y += 1
            if expanded.contains(i.id) {
                // Wrapped, not cut: expanding is how a long note is read
                // here (QA 38 A-F3). Only the rows that fit are laid out.
                let textWidth = max(inner.width - 4, 1)
                for bodyLine in TextSanitizer.lines(i.body) where y < inner.maxY {
                    let chars = Array(bodyLine)
                    let rows = SoftWrap.rows(of: chars, around: 0, before: 0, after: inner.maxY - y, width: textWidth).rows
                    for row in rows where y < inner.maxY {
                        screen.put("    " + String(chars[row]), at: Point(x: inner.x, y: y), style: .normal, width: inner.width)
                        y += 1
                    }
                }
                if !i.outcome.isEmpty, y < inner.maxY {
                    screen.put("    Outcome: " + i.outcome, at: Point(x: inner.x, y: y), style: .normal, width: inner.width)
                    y += 1
                }
                if y < inner.maxY {
                    screen.put("    \(timeFormat.full(i.occurredAt))", at: Point(x: inner.x, y: y), style: .dim, width: inner.width)
                    y += 1
                }
            }
            index += 1
        }
    }
}
