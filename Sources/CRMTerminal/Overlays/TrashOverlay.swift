import CRMCore
import CRMRepositories
import CRMViewModels

/// The Trash, drawn over the current view in one large frame: kind, title
/// and context, who deleted it and when, and how much goes with it. Every
/// text passes `put`, which sanitises.
enum TrashOverlay {
    static let kindWidth = 12

    static func render(_ model: TrashModel, in area: Rect, on screen: Screen) {
        let rect = OverlayFrame.centred(width: area.width - 2, height: area.height - 2, in: area)
        let inner = OverlayFrame.draw(rect, title: model.heading, on: screen)
        guard !model.list.isEmpty else {
            screen.put(model.emptyText, at: Point(x: inner.x, y: inner.y), style: .dim, width: inner.width)
            return
        }
        // The selected entry's sentence takes the last line.
        let height = max(inner.height - 2, 1)
        model.setViewport(height)
        let selected = model.list.selected
        let top = selected >= height ? selected - height + 1 : 0
        // Who and when on the right, as wide as the widest shown (at most
        // half the frame), in the short form when the long one would cut a
        // name ("merged into #ID" must show, QA 28 #5); "+N with it" as wide
        // as the widest shown, none when none has any; the name takes what
        // is left.
        let visible = model.list.rows[top..<min(top + height, model.list.rows.count)]
        func name(_ e: TrashEntry) -> String { e.title + (e.detail.isEmpty ? "" : " · \(e.detail)") }
        func widest(_ text: (TrashEntry) -> String) -> Int { visible.map { DisplayWidth.width(of: text($0)) }.max() ?? 0 }
        let withWidth = min(widest(model.dependents), 11)
        let room = inner.width - kindWidth - withWidth - 3
        let longWidth = min(widest(model.deleted), inner.width / 2)
        let short = room - longWidth < widest(name)
        let whenWidth = short ? min(widest(model.deletedShort), inner.width / 2) : longWidth
        let nameWidth = max(room - whenWidth, 4)
        for (row, i) in (top..<min(top + height, model.list.rows.count)).enumerated() {
            let e = model.list.rows[i]
            let y = inner.y + row
            let on = i == selected
            if on { screen.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .selected) }
            var x = inner.x
            x += screen.put(DisplayWidth.pad(e.kind.rawValue, to: kindWidth), at: Point(x: x, y: y), style: on ? .selected : .accent)
            x += screen.put(DisplayWidth.pad(DisplayWidth.truncate(name(e), to: nameWidth), to: nameWidth), at: Point(x: x, y: y),
                            style: on ? .selected : .normal)
            x += 1
            if withWidth > 0 {
                x += screen.put(DisplayWidth.pad(DisplayWidth.truncate(model.dependents(e), to: withWidth), to: withWidth),
                                at: Point(x: x, y: y), style: on ? .selected : .dim)
                x += 1
            }
            let when = short ? model.deletedShort(e) : model.deleted(e)
            screen.put(DisplayWidth.truncate(when, to: whenWidth), at: Point(x: x, y: y), style: on ? .selected : .dim)
        }
        screen.put(model.footer, at: Point(x: inner.x, y: inner.maxY - 1), style: .dim, width: inner.width)
    }
}
