import CRMCore
import CRMRepositories
import CRMViewModels

/// The Duplicates list and its merge screen, drawn over the contacts
/// workspace in one large frame. Every name passes `put`, which sanitises.
enum DuplicatesOverlay {
    static func render(_ model: DuplicatesModel, in area: Rect, on screen: Screen) {
        let rect = OverlayFrame.centred(width: area.width - 2, height: area.height - 2, in: area)
        if let merge = model.merge {
            renderMerge(merge, in: rect, on: screen)
        } else {
            renderList(model, in: rect, on: screen)
        }
    }

    static let reasonWidth = 13

    private static func side(_ record: DuplicateRecord) -> String {
        record.name + (record.context.map { " · \($0)" } ?? "")
    }

    private static func renderList(_ model: DuplicatesModel, in rect: Rect, on screen: Screen) {
        let what = model.kind == .contacts ? "contacts" : "companies"
        let count = model.list.rows.count
        let title = "Duplicate \(what) · \(count)\(model.list.moreAfter ? "+" : "") \(count == 1 ? "pair" : "pairs"), strongest first"
        let inner = OverlayFrame.draw(rect, title: title, on: screen)
        guard !model.list.isEmpty else {
            screen.put("No duplicate \(what) found: no two share an email, a phone, or a similar name at one company.",
                       at: Point(x: inner.x, y: inner.y), style: .dim, width: inner.width)
            return
        }
        // The selected pair's reasons in full take the last two lines.
        let height = max(inner.height - 3, 1)
        // PgDn and PgUp move by what is shown (they moved by 20 at any height).
        model.setViewport(height)
        let selected = model.list.selected
        let top = selected >= height ? selected - height + 1 : 0
        let sideWidth = max((inner.width - reasonWidth - 5) / 2, 4)
        for (row, i) in (top..<min(top + height, count)).enumerated() {
            let pair = model.list.rows[i]
            let y = inner.y + row
            let style: Style = i == selected ? .selected : .normal
            if i == selected { screen.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .selected) }
            var x = inner.x
            x += screen.put(DisplayWidth.pad(pair.reasons.first?.label ?? "", to: reasonWidth), at: Point(x: x, y: y),
                            style: i == selected ? .selected : .accent)
            x += 1
            x += screen.put(DisplayWidth.pad(DisplayWidth.truncate(side(pair.first), to: sideWidth), to: sideWidth),
                            at: Point(x: x, y: y), style: style)
            x += screen.put(" ⇄ ", at: Point(x: x, y: y), style: i == selected ? .selected : .dim)
            screen.put(DisplayWidth.truncate(side(pair.second), to: sideWidth), at: Point(x: x, y: y), style: style)
        }
        if let pair = model.list.selectedRow {
            let detail = "#\(pair.first.id) and #\(pair.second.id): " + pair.reasons.map(\.detail).joined(separator: "; ")
            screen.put(detail, at: Point(x: inner.x, y: inner.maxY - 1), style: .dim, width: inner.width)
        }
    }

    private static func renderMerge(_ merge: MergeModel, in rect: Rect, on screen: Screen) {
        let inner = OverlayFrame.draw(rect, title: "Merge \(merge.entity)s · Enter merges, u undoes", on: screen)
        let labelWidth = 11
        let column = max((inner.width - labelWidth - 2) / 2, 4)
        let leftX = inner.x + labelWidth + 1, rightX = leftX + column + 1
        var y = inner.y
        let newer = " (edited last)"
        screen.put("Kept: #\(merge.keepID)" + (merge.newerSide == .keep ? newer : ""), at: Point(x: leftX, y: y), style: .title,
                   width: column)
        screen.put("Merged away: #\(merge.otherID)" + (merge.newerSide == .other ? newer : ""), at: Point(x: rightX, y: y),
                   style: .title, width: column)
        y += 2
        for (i, row) in merge.rows.enumerated() where y < inner.maxY - 5 {
            let focused = i == merge.selected
            screen.put((focused ? "▸ " : "  ") + row.label, at: Point(x: inner.x, y: y), style: focused ? .title : .dim,
                       width: labelWidth)
            for (value, side, x) in [(row.keep, MergeSide.keep, leftX), (row.other, MergeSide.other, rightX)] {
                let chosen = row.side == side
                let style: Style = chosen ? (focused ? .selected : .accent) : .dim
                screen.put((chosen ? "● " : "○ ") + (value.isEmpty ? "–" : value), at: Point(x: x, y: y), style: style, width: column)
            }
            y += 1
        }
        y += 1
        for (label, value) in merge.joined where y < inner.maxY - 2 {
            screen.put(label, at: Point(x: inner.x + 2, y: y), style: .dim, width: labelWidth - 2)
            screen.put((value.isEmpty ? "–" : value) + "  (both joined)", at: Point(x: leftX, y: y), style: .normal,
                       width: inner.width - labelWidth - 1)
            y += 1
        }
        let moves = (merge.preview.isEmpty ? "No interactions, deals or follow-ups to move. "
                     : "Moves to #\(merge.keepID): \(merge.preview.sentence). ")
            + "#\(merge.otherID) goes to the trash, pointing to #\(merge.keepID)."
        let lines = DisplayWidth.wrap(moves, to: inner.width)
        var lineY = inner.maxY - lines.count
        for line in lines {
            screen.put(line, at: Point(x: inner.x, y: lineY), style: .accent, width: inner.width)
            lineY += 1
        }
    }
}
