// The cell buffer behind both screens. All the fiddly rules live here once:
// sanitising, truncating in columns, wide glyphs taking a continuation cell,
// and never leaving half of a wide glyph behind when something is drawn over
// the other half (which is where "garbage" on a terminal usually comes from).
import CRMViewModels

/// One terminal cell. A wide glyph is a cell of width 2 followed by a
/// continuation cell (empty text, width 0).
public struct Cell: Hashable, Sendable {
    public var text: String
    public var width: Int
    public var style: Style

    public init(text: String, width: Int, style: Style) {
        self.text = text; self.width = width; self.style = style
    }

    public static func blank(_ style: Style = .normal) -> Cell {
        Cell(text: " ", width: 1, style: style)
    }

    public var isContinuation: Bool { width == 0 }
}

struct CellGrid: Sendable {
    private(set) var size: Size
    private var cells: [Cell]
    /// Rows written since the last `takeDirtyRows()`: what the terminal
    /// screen copies to ncurses. A whole frame starts with `clear()` and
    /// touches every row; the call timer alone touches one.
    private var dirty: [Bool]

    init(size: Size) {
        self.size = Size(width: max(0, size.width), height: max(0, size.height))
        cells = Array(repeating: .blank(), count: self.size.width * self.size.height)
        dirty = Array(repeating: true, count: self.size.height)
    }

    subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set {
            cells[y * size.width + x] = newValue
            dirty[y] = true
        }
    }

    mutating func resize(to newSize: Size) {
        self = CellGrid(size: newSize)
    }

    mutating func clear() {
        for i in cells.indices { cells[i] = .blank() }
        for y in dirty.indices { dirty[y] = true }
    }

    /// The rows written since the last call, top to bottom; they count as
    /// clean afterwards.
    mutating func takeDirtyRows() -> [Int] {
        let rows = dirty.indices.filter { dirty[$0] }
        for y in rows { dirty[y] = false }
        return rows
    }

    /// Writes one cell at (x, y), keeping wide glyphs whole.
    mutating func set(_ cell: DisplayCell, x: Int, y: Int, style: Style) {
        guard y >= 0, y < size.height, x >= 0, x < size.width else { return }
        // A wide glyph that would hang over the right edge becomes a space.
        let cell = (cell.width == 2 && x + 1 >= size.width) ? DisplayCell(text: " ", width: 1) : cell
        releaseHalf(x: x, y: y)
        if cell.width == 2 { releaseHalf(x: x + 1, y: y) }
        self[x, y] = Cell(text: cell.text, width: cell.width, style: style)
        if cell.width == 2 { self[x + 1, y] = Cell(text: "", width: 0, style: style) }
    }

    /// Before (x, y) is overwritten: if it is one half of a wide glyph, the
    /// other half becomes a blank of the same style.
    private mutating func releaseHalf(x: Int, y: Int) {
        guard x < size.width else { return }
        let old = self[x, y]
        if old.isContinuation, x > 0 {
            self[x - 1, y] = .blank(self[x - 1, y].style)
        } else if old.width == 2, x + 1 < size.width {
            self[x + 1, y] = .blank(old.style)
        }
    }

    @discardableResult
    mutating func put(_ text: String, at p: Point, style: Style, width: Int?) -> Int {
        guard p.y >= 0, p.y < size.height else { return 0 }
        let end = min(width.map { p.x + max(0, $0) } ?? size.width, size.width)
        guard end > p.x, end > 0 else { return 0 }
        if p.x >= 0, let drawn = putPlainASCII(text, at: p, end: end, style: style, pad: width != nil) { return drawn }
        // Only the part that can show is sanitised and measured: a row cut
        // from a 10,000-character note costs its width, not the note's length.
        let shown = DisplayWidth.prefix(of: text, fitting: end - p.x)
        let fitted = DisplayWidth.truncate(TextSanitizer.singleLine(String(shown)), to: end - p.x)
        var col = p.x
        for cell in DisplayWidth.cells(fitted) {
            if col >= 0 {
                set(cell, x: col, y: p.y, style: style)
            } else if col + cell.width > 0 {
                set(DisplayCell(text: " ", width: 1), x: 0, y: p.y, style: style)   // wide glyph cut by the left edge
            }
            col += cell.width
        }
        if width != nil {
            while col < end {
                if col >= 0 { set(DisplayCell(text: " ", width: 1), x: col, y: p.y, style: style) }
                col += 1
            }
        }
        return max(0, col - max(p.x, 0))
    }

    /// `put` for text whose part that shows is printable ASCII (most of a
    /// screen: names, numbers, labels, dates): a byte is a cell one column
    /// wide, with nothing to sanitise and no grapheme to find. nil when the
    /// text needs the general path. Drawing is most of a key's time on a
    /// full screen (a perf record of typing "call" at 100k: 62%), and the
    /// general path builds a String and a cluster per character.
    private mutating func putPlainASCII(_ text: String, at p: Point, end: Int, style: Style, pad: Bool) -> Int? {
        let room = end - p.x
        let utf8 = text.utf8
        let count = utf8.count
        let cut = count > room
        // When cut, the byte after the room must be plain too: then the
        // first room + 1 characters are those bytes (no combining mark
        // joins the last one), so the text is wider than the room.
        let checked = cut ? room + 1 : count
        var plain = true
        var index = utf8.startIndex
        for _ in 0..<checked {
            let byte = utf8[index]
            if byte < 0x20 || byte >= 0x7F { plain = false; break }
            utf8.formIndex(after: &index)
        }
        guard plain else { return nil }
        var col = p.x
        index = utf8.startIndex
        for _ in 0..<(cut ? room - 1 : count) {
            set(Self.asciiCells[Int(utf8[index]) - 0x20], x: col, y: p.y, style: style)
            utf8.formIndex(after: &index)
            col += 1
        }
        if cut {
            set(Self.ellipsisCell, x: col, y: p.y, style: style)
            col += 1
        }
        if pad {
            while col < end {
                set(Self.asciiCells[0], x: col, y: p.y, style: style)
                col += 1
            }
        }
        return col - p.x
    }

    /// The cells of the printable ASCII characters, space first, made once.
    private static let asciiCells: [DisplayCell] = (0x20..<0x7F).map {
        DisplayCell(text: String(UnicodeScalar(UInt8($0))), width: 1)
    }
    private static let ellipsisCell = DisplayCell(text: DisplayWidth.ellipsis, width: 1)

    mutating func fill(_ rect: Rect, style: Style) {
        let r = rect.intersection(Rect(size: size))
        let space = DisplayCell(text: " ", width: 1)
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { set(space, x: x, y: y, style: style) }
        }
    }

    mutating func box(_ rect: Rect, title: String?, style: Style) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        func glyph(_ s: String, _ x: Int, _ y: Int) {
            set(DisplayCell(text: s, width: 1), x: x, y: y, style: style)
        }
        for x in rect.x + 1 ..< rect.maxX - 1 {
            glyph("─", x, rect.y)
            glyph("─", x, rect.maxY - 1)
        }
        for y in rect.y + 1 ..< rect.maxY - 1 {
            glyph("│", rect.x, y)
            glyph("│", rect.maxX - 1, y)
        }
        glyph("┌", rect.x, rect.y)
        glyph("┐", rect.maxX - 1, rect.y)
        glyph("└", rect.x, rect.maxY - 1)
        glyph("┘", rect.maxX - 1, rect.maxY - 1)
        if let title, !title.isEmpty, rect.width > 4 {
            // "┌─ Title ─────┐": one rule column, then the title with a space
            // either side, cut so the corner stays.
            var titleStyle = Style(.title, bold: style.bold, underline: style.underline)
            if style.role == .borderFocused { titleStyle.bold = true }
            put(" " + title + " ", at: Point(x: rect.x + 1, y: rect.y), style: titleStyle,
                width: nil, limit: rect.maxX - 1)
        }
    }

    /// `put` that stops at `limit` without padding (titles in borders).
    private mutating func put(_ text: String, at p: Point, style: Style, width: Int?, limit: Int) {
        let room = min(limit, size.width) - p.x
        guard room > 0 else { return }
        let fitted = DisplayWidth.truncate(TextSanitizer.singleLine(String(DisplayWidth.prefix(of: text, fitting: room))), to: room)
        put(fitted, at: p, style: style, width: nil)
    }

    /// Row `y` as text; continuation cells add nothing, trailing spaces trimmed.
    func rowText(_ y: Int) -> String {
        var s = ""
        for x in 0..<size.width { s += self[x, y].text }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Row `y` as one style letter per cell.
    func rowStyles(_ y: Int) -> String {
        String((0..<size.width).map { self[$0, y].style.role.letter })
    }
}
