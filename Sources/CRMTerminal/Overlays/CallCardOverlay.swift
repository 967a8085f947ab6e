import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// Call mode: the customer pinned, the timer running, the note being typed.
enum CallCardOverlay {
    static func frame(in area: Rect) -> Rect {
        OverlayFrame.centred(width: 90, height: 26, in: area)
    }

    /// The running timer and the call's direction, top right of the card.
    /// Drawn with the card, and alone when only the timer moved on: a tick
    /// then writes these 24 cells and leaves the note under them alone.
    static func renderTimer(_ call: CallModel, in area: Rect, on screen: Screen, timeFormat: TimeFormat? = nil) {
        let inner = frame(in: area).inset(dx: 2, dy: 1)
        let timer = "● \(timeFormat?.number(call.timerText) ?? call.timerText)  \(call.direction == .outbound ? "outgoing →" : "incoming ←")"
        screen.put(DisplayWidth.pad(timer, to: 24, align: .right), at: Point(x: inner.maxX - 24, y: inner.y), style: Style(.accent, bold: true))
    }

    static func render(_ call: CallModel, in area: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) -> Point? {
        let rect = frame(in: area)
        let c = call.detail.contact
        let inner = OverlayFrame.draw(rect, title: "Call · \(c.name)", on: screen)
        var y = inner.y
        screen.put(c.name, at: Point(x: inner.x, y: y), style: .title, width: inner.width - 26)
        renderTimer(call, in: area, on: screen, timeFormat: timeFormat)
        y += 1
        var role = [c.title, call.detail.companyName ?? ""].filter { !$0.isEmpty }.joined(separator: " @ ")
        if let tier = call.detail.valueTier { role += (role.isEmpty ? "" : " · ") + "tier \(tier.rawValue)" }
        if !role.isEmpty { screen.put(role, at: Point(x: inner.x, y: y), style: .normal, width: inner.width); y += 1 }
        let phones = c.phones.map { $0.label.isEmpty ? $0.number : "\($0.label): \($0.number)" }.joined(separator: " · ")
        screen.put(phones.isEmpty ? "no phone number" : phones, at: Point(x: inner.x, y: y), style: phones.isEmpty ? .dim : .normal, width: inner.width)
        y += 2
        screen.put("Last interactions", at: Point(x: inner.x, y: y), style: .header); y += 1
        if call.recentUnavailable {
            screen.put("could not be read (see the status line)", at: Point(x: inner.x, y: y), style: .warning, width: inner.width)
            y += 1
        } else if call.recent.isEmpty {
            screen.put("none yet", at: Point(x: inner.x, y: y), style: .dim); y += 1
        }
        for entry in call.recent {
            let i = entry.interaction
            let text = "\(TimelinePane.kindLabel(i.kind)) \(i.direction.arrow) \(timeFormat.relative(i.occurredAt, now: now)) · " +
                [i.subject, i.firstLine, i.outcome].filter { !$0.isEmpty }.joined(separator: " — ")
            screen.put(text, at: Point(x: inner.x, y: y), style: .normal, width: inner.width)
            y += 1
        }
        y += 1
        screen.put("Open follow-ups", at: Point(x: inner.x, y: y), style: .header); y += 1
        if call.detail.followUps.isEmpty { screen.put("none", at: Point(x: inner.x, y: y), style: .dim); y += 1 }
        for row in call.detail.followUps.prefix(3) {
            screen.put("\(timeFormat.relative(row.followUp.dueAt, now: now)) · \(row.followUp.title)",
                       at: Point(x: inner.x, y: y), style: row.followUp.dueAt < now ? .warning : .normal, width: inner.width)
            y += 1
        }
        y += 1
        // Why the call is not logged, read whole: a long reason (a server
        // that cannot be reached, and what to check) takes a second line
        // from the note's box, which scrolls to its caret.
        let errorLines = call.error.map { Array(DisplayWidth.wrap($0, to: inner.width).prefix(2)) } ?? []
        let onNote = !call.editingOutcome && !call.editingWhen
        screen.put("Note", at: Point(x: inner.x, y: y), style: onNote ? .title : .dim)
        let noteRect = Rect(x: inner.x + 9, y: y, width: inner.width - 9,
                            height: max(inner.maxY - y - 4 - max(errorLines.count - 1, 0), 1))
        let noteCaret = EditorView.draw(call.note, in: noteRect, style: onNote ? .field : .normal, on: screen)
        y = noteRect.maxY
        screen.put("Outcome", at: Point(x: inner.x, y: y), style: call.editingOutcome ? .title : .dim)
        let outcomeCaret = EditorView.draw(call.outcome, at: Point(x: inner.x + 9, y: y), width: inner.width - 9,
                                           style: call.editingOutcome ? .field : .normal, on: screen)
        y += 1
        screen.put("When", at: Point(x: inner.x, y: y), style: call.editingWhen ? .title : .dim)
        let whenCaret = EditorView.draw(call.when, at: Point(x: inner.x + 9, y: y), width: 22,
                                        style: call.editingWhen ? .field : .normal, on: screen)
        screen.put(timeFormat.number(call.whenHint), at: Point(x: inner.x + 32, y: y), style: .dim, width: inner.width - 32)
        for (row, line) in errorLines.enumerated() {
            screen.put(line, at: Point(x: inner.x, y: inner.maxY - 1 - errorLines.count + row), style: .error, width: inner.width)
        }
        if call.confirmingDiscard {
            screen.put("Throw this call away without logging it? y: discard · any other key: back to the call",
                       at: Point(x: inner.x, y: inner.maxY - 1), style: .warning, width: inner.width)
            return nil
        }
        // Each key whole or not at all (a narrow terminal drops the last ones), the most needed first.
        let hints = [HintLine.Hint(key: "Ctrl-S", title: "end & log"),
                     HintLine.Hint(key: "Ctrl-F", title: "follow-up \(call.followUpAfter ? "[on]" : "[off]")"),
                     HintLine.Hint(key: "Esc", title: "leave"), HintLine.Hint(key: "Ctrl-T", title: "in/out"),
                     HintLine.Hint(key: "Tab", title: "note/outcome/when")]
        HintLine.draw(hints, at: inner.x, y: inner.maxY - 1, maxX: inner.maxX, keyStyle: .accent, textStyle: .dim, on: screen)
        return call.editingWhen ? whenCaret : (call.editingOutcome ? outcomeCaret : noteCaret)
    }
}
