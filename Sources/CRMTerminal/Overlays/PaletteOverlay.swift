import CRMViewModels

/// `:`: the command palette, fuzzy over every action with its key.
enum PaletteOverlay {
    static func render(_ palette: PaletteModel, in area: Rect, on screen: Screen) -> Point {
        let rect = Rect(x: area.x + max((area.width - 70) / 2, 0), y: area.y + 1, width: min(70, area.width), height: min(18, area.height - 2))
        let inner = OverlayFrame.draw(rect, title: "Command — type to filter, Enter runs", on: screen)
        screen.put(":", at: inner.origin, style: .accent)
        let caret = EditorView.draw(palette.input, at: Point(x: inner.x + 2, y: inner.y), width: inner.width - 2, style: .field, on: screen)
        let matches = palette.matches
        if matches.isEmpty {
            screen.put("No command matches.", at: Point(x: inner.x, y: inner.y + 2), style: .dim)
        }
        let visible = inner.height - 2
        let top = max(0, palette.selected - visible + 1)
        for (n, b) in matches.dropFirst(top).prefix(visible).enumerated() {
            let style: Style = top + n == palette.selected ? .selected : (b.disabledReason == nil ? .normal : .dim)
            let y = inner.y + 2 + n
            screen.put(b.title + (b.disabledReason.map { " (\($0))" } ?? ""), at: Point(x: inner.x, y: y), style: style, width: inner.width - 14)
            screen.put(DisplayWidth.pad(b.keyLabel, to: 14, align: .right), at: Point(x: inner.maxX - 14, y: y), style: style == .selected ? style : .accent)
        }
        return caret
    }
}
