import CRMCore
import CRMRepositories
import CRMViewModels

/// A record's history or the whole audit trail, in one large frame over the
/// view: a heading per entry (when, who, what), its fields indented below.
/// The selected entry is highlighted; the list scrolls to keep it in view.
/// Every text passes `put`, which sanitises.
enum AuditOverlay {
    static func render(_ model: AuditModel, in area: Rect, on screen: Screen) {
        let rect = OverlayFrame.centred(width: area.width - 2, height: area.height - 2, in: area)
        let inner = OverlayFrame.draw(rect, title: model.title, on: screen)
        var top = inner.y
        if model.isGlobal {
            screen.put("Showing: " + model.filterSummary, at: Point(x: inner.x, y: top), style: .accent, width: inner.width)
            top += 1
        }
        let height = inner.maxY - top
        guard height > 0 else { return }
        guard !model.list.isEmpty else {
            screen.put(model.isGlobal ? "No change matches these filters." : "No change to this record is recorded.",
                       at: Point(x: inner.x, y: top), style: .dim, width: inner.width)
            return
        }
        let lines = model.lines()
        let selected = model.list.selected
        // Start so the selected entry's heading and as many of its fields as fit are in view.
        let first = lines.firstIndex { $0.entry == selected } ?? 0
        let last = lines.lastIndex { $0.entry == selected } ?? first
        var start = 0
        if last >= start + height { start = min(first, last - height + 1) }
        for (row, line) in lines[start..<min(start + height, lines.count)].enumerated() {
            let y = top + row
            let chosen = line.entry == selected
            if chosen && line.heading { screen.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .selected) }
            let style: Style = chosen && line.heading ? .selected : (line.heading ? .title : .normal)
            screen.put(line.text, at: Point(x: inner.x, y: y), style: style, width: inner.width)
        }
    }
}
