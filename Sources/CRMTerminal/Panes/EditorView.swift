import CRMViewModels

/// Shows line editors and text areas in a fixed number of columns, scrolled
/// so the caret stays visible, and says where the caret is.
///
/// Drawing costs the size of the window, not the length of the text: from
/// the caret it walks back over as many characters as fit before it and on
/// over as many as fit after it, and hands only those to the screen. A
/// 10,000-character line in a 60-column field measures about 60 characters.
enum EditorView {
    /// The characters of a line to draw in `width` columns with the caret
    /// before `chars[cursor]` in view: as many before the caret as fit in
    /// `width - 1` columns (the caret needs the last one), then those after
    /// it up to and including the first that does not fit, so the screen cuts
    /// the row with "…" as it does any text that is too long. `caretColumn`
    /// is the caret's column from the start of the window.
    static func window(of chars: [Character], cursor: Int, width: Int) -> (range: Range<Int>, caretColumn: Int) {
        let cursor = min(max(cursor, 0), chars.count)
        let room = max(width - 1, 0)
        var start = cursor
        var before = 0
        while start > 0 {
            let w = DisplayWidth.drawnWidth(of: chars[start - 1])
            if before + w > room { break }
            before += w
            start -= 1
        }
        var end = cursor
        var used = before
        while end < chars.count, used <= width {
            used += DisplayWidth.drawnWidth(of: chars[end])
            end += 1
        }
        return (start..<end, before)
    }

    /// Draws `editor` in `width` columns at `p`; returns the caret position.
    @discardableResult
    static func draw(_ editor: LineEditor, at p: Point, width: Int, style: Style, on screen: Screen) -> Point {
        let chars = editor.characters
        let shown = window(of: chars, cursor: editor.cursor, width: width)
        screen.put(String(chars[shown.range]), at: p, style: style, width: width)
        return Point(x: p.x + min(shown.caretColumn, max(width - 1, 0)), y: p.y)
    }

    /// Draws the start of `editor`'s text in `width` columns at `p` (a field
    /// that is not being edited, a line of a note away from the caret);
    /// returns the columns written.
    @discardableResult
    static func drawStart(_ editor: LineEditor, at p: Point, width: Int, style: Style, on screen: Screen) -> Int {
        let chars = editor.characters
        let shown = window(of: chars, cursor: 0, width: width)
        return screen.put(String(chars[shown.range]), at: p, style: style, width: width)
    }

    /// Draws a text area in `rect`, scrolled to the caret's line; returns the caret.
    @discardableResult
    static func draw(_ area: TextArea, in rect: Rect, style: Style, on screen: Screen) -> Point {
        let top = max(0, area.row - rect.height + 1)
        var caret = Point(x: rect.x, y: rect.y)
        for i in 0..<max(rect.height, 0) {
            let lineIndex = top + i
            let y = rect.y + i
            if lineIndex < area.lines.count {
                if lineIndex == area.row {
                    caret = draw(area.lines[lineIndex], at: Point(x: rect.x, y: y), width: rect.width, style: style, on: screen)
                } else {
                    drawStart(area.lines[lineIndex], at: Point(x: rect.x, y: y), width: rect.width, style: style, on: screen)
                }
            } else {
                screen.put("", at: Point(x: rect.x, y: y), style: style, width: rect.width)
            }
        }
        return caret
    }
}
