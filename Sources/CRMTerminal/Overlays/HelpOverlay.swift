import CRMViewModels

/// `?`: every key of the current view and the global ones, generated from the
/// same key tables that dispatch them. Disabled actions say why. Longer than
/// the screen, it scrolls (j/k, PgDn/PgUp) and says that there is more.
enum HelpOverlay {
    private enum Line {
        case header(String)
        case binding(KeyBinding)
        case blank
    }

    static func render(view: [KeyBinding], global: [KeyBinding], viewTitle: String, scroll: Int, in area: Rect, on screen: Screen) {
        // No "Everywhere" heading over nothing (a window with no global keys).
        let lines: [Line] = [.header(viewTitle)] + view.map { .binding($0) }
            + (global.isEmpty ? [] : [.blank, .header("Everywhere")] + global.map { .binding($0) })
        // Wider on a wide screen, so the reasons in brackets read whole (QA 44).
        let rect = OverlayFrame.centred(width: max(76, min(area.width - 4, 110)), height: lines.count + 2, in: area)
        let inner = OverlayFrame.draw(rect, title: "Keys — Esc closes", on: screen)
        let top = max(0, min(scroll, lines.count - inner.height))
        for (n, line) in lines.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + n
            switch line {
            case .header(let title):
                screen.put(title, at: Point(x: inner.x, y: y), style: .header, width: inner.width)
            case .binding(let b):
                screen.put(DisplayWidth.pad(b.keyLabel, to: 16), at: Point(x: inner.x, y: y), style: b.disabledReason == nil ? .accent : .dim)
                let text = b.title + (b.disabledReason.map { "  (\($0))" } ?? "")
                screen.put(text, at: Point(x: inner.x + 17, y: y), style: b.disabledReason == nil ? .normal : .dim, width: inner.width - 17)
            case .blank:
                break
            }
        }
        if top + inner.height < lines.count {
            screen.put(" ↓ more: j / PgDn ", at: Point(x: rect.maxX - 20, y: rect.maxY - 1), style: .accent)
        }
        if top > 0 {
            screen.put(" ↑ k / PgUp ", at: Point(x: rect.maxX - 14, y: rect.y), style: .accent)
        }
    }
}
