import CRMViewModels

/// At the start: unsaved work from last time, its text shown, to restore
/// (Enter), discard (d) or leave for later (Esc).
enum DraftOfferOverlay {
    static let keys = "Enter restore · d discard · Esc later"

    static func render(_ draft: Draft, question: String, in area: Rect, on screen: Screen) {
        let width = min(76, area.width - 4)
        let textWidth = max(width - 4, 10)
        let questionLines = DisplayWidth.wrap(question, to: textWidth)
        // What was typed, a few lines of it, so the choice is made knowing.
        var shown: [(label: String, line: String)] = []
        let labelWidth = min((draft.text.map { DisplayWidth.width(of: $0.label) }.max() ?? 0) + 2, 12)
        for item in draft.text {
            let lines = item.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (n, line) in lines.prefix(3).enumerated() {
                shown.append((n == 0 ? item.label : "", line))
            }
            if lines.count > 3 { shown.append(("", "…")) }
        }
        let room = max(area.height - 8 - questionLines.count, 0)
        if shown.count > room { shown = Array(shown.prefix(max(room - 1, 0))) + (room > 0 ? [("", "…")] : []) }
        let height = 5 + questionLines.count + (shown.isEmpty ? 0 : shown.count + 1)
        let rect = OverlayFrame.centred(width: width, height: height, in: area)
        let inner = OverlayFrame.draw(rect, title: "Unsaved work from last time", on: screen)
        var y = inner.y + 1
        for line in questionLines {
            screen.put(line, at: Point(x: inner.x, y: y), style: .title, width: inner.width)
            y += 1
        }
        if !shown.isEmpty { y += 1 }
        for item in shown {
            screen.put(item.label, at: Point(x: inner.x, y: y), style: .dim, width: labelWidth)
            screen.put(item.line, at: Point(x: inner.x + labelWidth, y: y), style: .normal, width: inner.width - labelWidth)
            y += 1
        }
        screen.put(keys, at: Point(x: inner.x, y: inner.maxY - 1), style: .accent, width: inner.width)
    }
}
