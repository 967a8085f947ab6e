import CRMViewModels

/// A centred box drawn over the views, cleared inside.
enum OverlayFrame {
    static func centred(width: Int, height: Int, in area: Rect) -> Rect {
        let w = min(width, area.width - 2)
        let h = min(height, area.height - 2)
        return Rect(x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h)
    }

    @discardableResult
    static func draw(_ rect: Rect, title: String, on screen: Screen) -> Rect {
        screen.fill(rect, style: .normal)
        screen.box(rect, title: title, style: .borderFocused)
        return rect.inset(dx: 2, dy: 1)
    }
}
