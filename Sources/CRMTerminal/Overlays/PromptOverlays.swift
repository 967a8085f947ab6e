import CRMViewModels

/// Yes/no questions and one-line prompts with suggestions.
enum PromptOverlays {
    static func render(_ confirmation: Confirmation, in area: Rect, on screen: Screen) {
        let width = min(max(DisplayWidth.width(of: confirmation.question) + 6, 40), area.width - 4)
        let rect = OverlayFrame.centred(width: width, height: 5, in: area)
        let inner = OverlayFrame.draw(rect, title: "Confirm", on: screen)
        screen.put(confirmation.question, at: Point(x: inner.x, y: inner.y + 1), style: .warning, width: inner.width)
    }

    static func render(_ prompt: Prompt, in area: Rect, on screen: Screen) -> Point {
        let suggestions = prompt.visibleSuggestions
        let rect = OverlayFrame.centred(width: 60, height: 6 + min(suggestions.count, 8), in: area)
        let inner = OverlayFrame.draw(rect, title: prompt.title, on: screen)
        let caret = EditorView.draw(prompt.input, at: inner.origin, width: inner.width, style: .field, on: screen)
        for (n, s) in suggestions.prefix(8).enumerated() {
            screen.put(s, at: Point(x: inner.x + 2, y: inner.y + 2 + n), style: n == 0 ? .accent : .normal, width: inner.width - 2)
        }
        screen.put("Enter: OK · Tab: take first suggestion · Esc: cancel", at: Point(x: inner.x, y: inner.maxY - 1), style: .dim, width: inner.width)
        return caret
    }
}
