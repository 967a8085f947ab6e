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
        // An expanded entry takes several lines: the first row drawn moves
        // down until the selected entry and its whole text fit (QA 44: one
        // expanded near the bottom was hidden, and the selection left the pane).
        let textWidth = max(inner.width - 4, 1)
        func height(_ index: Int) -> Int {
            let i = window.rows[index].interaction
            return 1 + (expanded.contains(i.id) ? expansion(i, width: textWidth, timeFormat: timeFormat, limit: inner.height).count : 0)
        }
        var first = min(window.scrollTop, max(window.selected, 0))
        if window.rows.indices.contains(window.selected) {
            while first < window.selected, (first...window.selected).reduce(0, { $0 + height($1) }) > inner.height { first += 1 }
        }
        var y = inner.y
        var index = first
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
                for (text, lineStyle) in expansion(i, width: textWidth, timeFormat: timeFormat, limit: inner.maxY - y) where y < inner.maxY {
                    screen.put("    " + text, at: Point(x: inner.x, y: y), style: lineStyle, width: inner.width)
                    y += 1
                }
            }
            index += 1
        }
    }

    /// The lines an expanded entry shows under its row: the subject (cut
    /// on the row in a narrow pane, QA 44), the whole text wrapped, not cut
    /// (expanding is how a long note is read here, QA 38 A-F3), the outcome
    /// and the full time.
    /// At most `limit` lines: only what can be seen is laid out (a note can
    /// be a megabyte).
    static func expansion(_ i: Interaction, width: Int, timeFormat: TimeFormat, limit: Int) -> [(String, Style)] {
        var lines: [(String, Style)] = []
        if !i.subject.isEmpty {
            for row in DisplayWidth.wrap("Subject: " + TextSanitizer.lines(i.subject).joined(separator: " "), to: width) {
                lines.append((row, .normal))
            }
        }
        for bodyLine in TextSanitizer.lines(i.body) where lines.count < limit {
            let chars = Array(bodyLine)
            for row in SoftWrap.rows(of: chars, around: 0, before: 0, after: max(limit - lines.count, 0), width: width).rows {
                lines.append((String(chars[row]), .normal))
            }
        }
        if !i.outcome.isEmpty { lines.append(("Outcome: " + i.outcome, .normal)) }
        lines.append((timeFormat.full(i.occurredAt), .dim))
        return Array(lines.prefix(max(limit, 0)))
    }
}
