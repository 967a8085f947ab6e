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

    /// Draws a text area in `rect`, long lines wrapped (`SoftWrap`), scrolled
    /// so the caret's row is in view; returns the caret. Only the part of
    /// each line that reaches the window is wrapped: a key in a long note
    /// costs the rows drawn, not the note.
    @discardableResult
    static func draw(_ area: TextArea, in rect: Rect, style: Style, on screen: Screen) -> Point {
        let height = max(rect.height, 1)
        let width = max(rect.width, 1)
        let caretLine = area.lines[area.row].characters
        var (caretRows, _) = SoftWrap.rows(of: caretLine, around: area.column, before: height - 1, after: height - 1, width: width)
        let caret = SoftWrap.caret(area.column, in: caretLine, rows: caretRows, width: width)
        if caret.extraRow { caretRows.insert(area.column..<area.column, at: caret.row) }
        // Rows above the caret's (as many as fit, the caret's row last if it
        // must be), the caret's, then rows below it to fill the field.
        var above: [(line: Int, range: Range<Int>)] = caretRows[..<caret.row].map { (area.row, $0) }
        var lineIndex = area.row - 1
        while above.count < height - 1, lineIndex >= 0 {
            let line = area.lines[lineIndex].characters
            let rows = SoftWrap.rows(of: line, around: line.count, before: height - 1 - above.count, after: 0, width: width).rows
            above.insert(contentsOf: rows.map { (lineIndex, $0) }, at: 0)
            lineIndex -= 1
        }
        var shown = Array(above.suffix(height - 1))
        let caretY = rect.y + shown.count
        shown += caretRows[caret.row...].map { (area.row, $0) }
        lineIndex = area.row + 1
        while shown.count < height, lineIndex < area.lines.count {
            let line = area.lines[lineIndex].characters
            let rows = SoftWrap.rows(of: line, around: 0, before: 0, after: height - shown.count - 1, width: width).rows
            shown += rows.map { (lineIndex, $0) }
            lineIndex += 1
        }
        for i in 0..<max(rect.height, 0) {
            let y = rect.y + i
            if i < shown.count {
                let row = shown[i]
                screen.put(String(area.lines[row.line].characters[row.range]), at: Point(x: rect.x, y: y), style: style, width: rect.width)
            } else {
                screen.put("", at: Point(x: rect.x, y: y), style: style, width: rect.width)
            }
        }
        return Point(x: rect.x + min(caret.column, max(rect.width - 1, 0)), y: caretY)
    }
}
