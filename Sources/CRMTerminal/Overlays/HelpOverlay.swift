import CRMViewModels

/// `?`: every key of the current view and the global ones, generated from the
/// same key tables that dispatch them. Disabled actions say why.
enum HelpOverlay {
    static func render(view: [KeyBinding], global: [KeyBinding], viewTitle: String, in area: Rect, on screen: Screen) {
        let rows = view.count + global.count + 4
        let rect = OverlayFrame.centred(width: 76, height: rows + 2, in: area)
        let inner = OverlayFrame.draw(rect, title: "Keys — Esc closes", on: screen)
        var y = inner.y
        func section(_ title: String, _ bindings: [KeyBinding]) {
            guard y < inner.maxY else { return }
            screen.put(title, at: Point(x: inner.x, y: y), style: .header, width: inner.width)
            y += 1
            for b in bindings where y < inner.maxY {
                screen.put(DisplayWidth.pad(b.keyLabel, to: 16), at: Point(x: inner.x, y: y), style: b.disabledReason == nil ? .accent : .dim)
                let text = b.title + (b.disabledReason.map { "  (\($0))" } ?? "")
                screen.put(text, at: Point(x: inner.x + 17, y: y), style: b.disabledReason == nil ? .normal : .dim, width: inner.width - 17)
                y += 1
            }
            y += 1
        }
        section(viewTitle, view)
        section("Everywhere", global)
    }
}
