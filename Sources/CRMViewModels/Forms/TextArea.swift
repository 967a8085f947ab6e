// Multi-line text editing state (notes, interaction bodies).
//
// Every key costs what it changes: typing touches one line, Enter moves the
// rest of one line, a paste moves the text after the cursor once. Only
// `text` joins the whole note into one String, for whoever needs it whole.
//
// Each line is a `LineEditor`, so the in-line keys (Ctrl-A/E/K/U/W, word
// moves, Backspace, Delete) behave exactly as in single-line fields; this type
// only adds what crosses line boundaries: Enter splits, Backspace at the start
// joins with the line above, Delete/Ctrl-K at the end joins the line below,
// Up/Down keep the column the user was aiming for.
public struct TextArea: Hashable, Sendable {
    public private(set) var lines: [LineEditor]
    /// Index of the line holding the cursor.
    public private(set) var row: Int
    /// Column (in characters) Up/Down try to return to: moving from a long
    /// line through a short one and on to a long one lands where it started.
    private var goalColumn: Int?
    public private(set) var killBuffer: String = ""

    public init(_ text: String = "") {
        lines = [LineEditor()]
        row = 0
        self.text = text
    }

    /// Lines joined with "\n". Setting it puts the cursor at the very end.
    public var text: String {
        get { lines.map(\.text).joined(separator: "\n") }
        set {
            lines = Self.splitLines(newValue).map { LineEditor(String($0)) }
            row = lines.count - 1
            goalColumn = nil
        }
    }

    /// Cursor column in characters within `lines[row]`.
    public var column: Int { lines[row].cursor }
    public var currentLine: LineEditor { lines[row] }

    public mutating func moveCursor(row newRow: Int, column: Int) {
        row = min(max(newRow, 0), lines.count - 1)
        lines[row].moveCursor(to: column)
        goalColumn = nil
    }

    /// Applies one key; false for keys it leaves to the form (Tab, Esc,
    /// Up on the first line, Down on the last, PgUp/PgDn, F-keys, ...).
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        if key != .up && key != .down { goalColumn = nil }
        switch key {
        case .enter:
            breakLine()
        case .char(let c) where c.isNewline:
            breakLine()
        case .paste(let s):
            insert(s)
        case .up, .down:
            let target = key == .up ? row - 1 : row + 1
            guard lines.indices.contains(target) else { return false }
            let goal = goalColumn ?? column
            row = target
            lines[row].moveCursor(to: goal)
            goalColumn = goal
        case .left where column == 0 && row > 0:
            row -= 1
            lines[row].moveCursor(to: lines[row].count)
        case .right where column == lines[row].count && row < lines.count - 1:
            row += 1
            lines[row].moveCursor(to: 0)
        case .backspace where column == 0 && row > 0:
            joinWithNext(at: row - 1)
        case .delete where column == lines[row].count && row < lines.count - 1,
             .ctrl("d") where column == lines[row].count && row < lines.count - 1,
             .ctrl("k") where column == lines[row].count && row < lines.count - 1:
            joinWithNext(at: row)
        case .ctrl("y"):
            insert(killBuffer)
        default:
            guard lines[row].handle(key) else { return false }
            if [.ctrl("k"), .ctrl("u"), .ctrl("w"), .altBackspace, .altChar("d")].contains(key) {
                killBuffer = lines[row].killBuffer
            }
        }
        return true
    }

    /// Inserts text at the cursor; line breaks in it ("\n", "\r\n", "\r")
    /// start new lines. The text after the cursor moves once, to the end of
    /// the last pasted line, however many lines the paste has.
    public mutating func insert(_ text: String) {
        let parts = Self.splitLines(text)
        guard parts.count > 1 else {
            lines[row].insert(text)
            return
        }
        let tail = lines[row].splitAtCursor()
        lines[row].insert(String(parts[0]))
        var added: [LineEditor] = parts.dropFirst().map { part in
            var line = LineEditor()
            line.insert(String(part))
            return line
        }
        added[added.count - 1].append(tail)
        lines.insert(contentsOf: added, at: row + 1)
        row += added.count
    }

    private mutating func breakLine() {
        let tail = lines[row].splitAtCursor()
        lines.insert(tail, at: row + 1)
        row += 1
    }

    /// Joins line `index + 1` onto line `index`, cursor at the seam.
    private mutating func joinWithNext(at index: Int) {
        let next = lines.remove(at: index + 1)
        let seam = lines[index].count
        lines[index].append(next)
        lines[index].moveCursor(to: seam)
        row = index
    }

    private static func splitLines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }
}
