import CRMViewModels

/// Shows line editors and text areas in a fixed number of columns, scrolled
/// so the caret stays visible, and says where the caret is.
enum EditorView {
    /// Draws `editor` in `width` columns at `p`; returns the caret position.
    @discardableResult
    static func draw(_ editor: LineEditor, at p: Point, width: Int, style: Style, on screen: Screen) -> Point {
        let before = TextSanitizer.singleLine(editor.textBeforeCursor)
        let after = TextSanitizer.singleLine(editor.textAfterCursor)
        var shownBefore = before
        // Keep the caret inside the field: drop characters from the left.
        while DisplayWidth.width(of: shownBefore) > max(width - 1, 0), !shownBefore.isEmpty {
            shownBefore.removeFirst()
        }
        let caretX = DisplayWidth.width(of: shownBefore)
        screen.put(shownBefore + after, at: p, style: style, width: width)
        return Point(x: p.x + min(caretX, max(width - 1, 0)), y: p.y)
    }

    /// Draws a text area in `rect`, scrolled to the caret's line; returns the caret.
    @discardableResult
    static func draw(_ area: TextArea, in rect: Rect, style: Style, on screen: Screen) -> Point {
        let top = max(0, area.row - rect.height + 1)
        var caret = Point(x: rect.x, y: rect.y)
        for i in 0..<rect.height {
            let lineIndex = top + i
            let y = rect.y + i
            if lineIndex < area.lines.count {
                if lineIndex == area.row {
                    caret = draw(area.lines[lineIndex], at: Point(x: rect.x, y: y), width: rect.width, style: style, on: screen)
                } else {
                    screen.put(area.lines[lineIndex].text, at: Point(x: rect.x, y: y), style: style, width: rect.width)
                }
            } else {
                screen.put("", at: Point(x: rect.x, y: y), style: style, width: rect.width)
            }
        }
        return caret
    }
}
