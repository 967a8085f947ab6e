import CRMViewModels

/// Yes/no questions and one-line prompts with suggestions.
enum PromptOverlays {
    /// The whole question, wrapped: a warning at its end ("its follow-ups are
    /// cancelled too", "(y/n)") must never be cut off on a narrow screen.
    /// Questions are in the digits of the settings, as the status line is
    /// (QA 41 #8: "Snooze 65 follow-ups" beside "Overdue ۶۵").
    static func render(_ confirmation: Confirmation, in area: Rect, on screen: Screen, timeFormat: TimeFormat) {
        let question = timeFormat.numberInProse(confirmation.question)
        let width = min(max(DisplayWidth.width(of: question) + 6, 40), area.width - 4)
        let lines = DisplayWidth.wrap(question, to: max(width - 4, 10))
        let shown = Array(lines.prefix(max(area.height - 6, 1)))
        let rect = OverlayFrame.centred(width: width, height: 4 + shown.count, in: area)
        let inner = OverlayFrame.draw(rect, title: "Confirm", on: screen)
        for (n, line) in shown.enumerated() {
            screen.put(line, at: Point(x: inner.x, y: inner.y + 1 + n), style: .warning, width: inner.width)
        }
    }

    static func render(_ prompt: Prompt, in area: Rect, on screen: Screen, timeFormat: TimeFormat) -> Point? {
        let title = timeFormat.numberInProse(prompt.title)
        let suggestions = prompt.visibleSuggestions
        // A preview line ("→ Fri 27 Nov 2026 09:00") says what the typed text means.
        let preview = prompt.previewText
        let extra = preview == nil ? 0 : 1
        let width = min(max(60, DisplayWidth.width(of: title) + 6), area.width - 4)
        // A question longer than the frame's top line is written out whole
        // inside it, wrapped (what Enter and Esc do is in it), not cut.
        let question = DisplayWidth.width(of: title) + 6 > width ? DisplayWidth.wrap(title, to: width - 4) : []
        let shown = Array(question.prefix(max(0, area.height - 10 - extra)))
        let rect = OverlayFrame.centred(width: width, height: 6 + extra + min(suggestions.count, 8) + shown.count, in: area)
        var inner = OverlayFrame.draw(rect, title: shown.isEmpty ? title : "", on: screen)
        for (n, line) in shown.enumerated() {
            screen.put(line, at: Point(x: inner.x, y: inner.y + n), style: .header, width: inner.width)
        }
        inner = Rect(x: inner.x, y: inner.y + shown.count, width: inner.width, height: inner.height - shown.count)
        // Prefilled text that typing will replace looks selected.
        let style: Style = prompt.untouched && !prompt.input.isEmpty ? .selected : .field
        let caret = EditorView.draw(prompt.input, at: inner.origin, width: inner.width, style: style, on: screen)
        if let preview {
            screen.put(preview, at: Point(x: inner.x, y: inner.y + 1), style: preview.hasPrefix("→") ? .success : .warning,
                       width: inner.width)
        }
        for (n, s) in suggestions.prefix(8).enumerated() {
            screen.put(s, at: Point(x: inner.x + 2, y: inner.y + 2 + extra + n), style: n == 0 ? .accent : .normal, width: inner.width - 2)
        }
        if prompt.confirmingDiscard {
            screen.put("Discard what you typed? y: discard · any other key: keep editing",
                       at: Point(x: inner.x, y: inner.maxY - 1), style: .warning, width: inner.width)
            return nil
        }
        let keys = suggestions.isEmpty ? "Enter: OK · Esc: cancel" : "Enter: OK · Tab: take first suggestion · Esc: cancel"
        screen.put(keys, at: Point(x: inner.x, y: inner.maxY - 1), style: .dim, width: inner.width)
        return caret
    }
}
