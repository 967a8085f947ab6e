// Single-line text editing state for form fields and search boxes.
//
// A value type, so a form's state is plain data that tests can build and
// compare, and "nothing typed is lost" is simply keeping the value around when
// validation fails. The cursor counts grapheme clusters (Swift `Character`s),
// not bytes or terminal columns: the view layer converts to columns when it
// draws, because only it knows display widths.
//
// The text is kept as `[Character]` so that editing in the middle and pasting
// a long text (which arrives as many `.char` keys) stay cheap.
public struct LineEditor: Hashable, Sendable {
    private var chars: [Character]
    /// Cursor position in characters, 0...text.count.
    public private(set) var cursor: Int
    /// The last text removed by Ctrl-K, Ctrl-U or Ctrl-W; Ctrl-Y puts it back.
    public private(set) var killBuffer: String = ""

    public init(_ text: String = "") {
        chars = Array(text)
        cursor = chars.count
    }

    /// Setting the text moves the cursor to its end.
    public var text: String {
        get { String(chars) }
        set {
            chars = Array(newValue)
            cursor = chars.count
        }
    }

    public var isEmpty: Bool { chars.isEmpty }
    public var count: Int { chars.count }

    /// Text before the cursor (what the view measures to place the caret).
    public var textBeforeCursor: String { String(chars[..<cursor]) }
    public var textAfterCursor: String { String(chars[cursor...]) }

    public mutating func moveCursor(to position: Int) {
        cursor = min(max(position, 0), chars.count)
    }

    /// Applies one key. Returns false for keys a line editor has no use for
    /// (Enter, Tab, Esc, Up/Down, F-keys, unknown Ctrl keys), so the form or
    /// view can handle them.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): insert(c)
        case .paste(let s): insert(s)
        case .left, .ctrl("b"): moveCursor(to: cursor - 1)
        case .right, .ctrl("f"): moveCursor(to: cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = chars.count
        case .ctrlLeft, .altChar("b"): cursor = wordStart(before: cursor)
        case .ctrlRight, .altChar("f"): cursor = wordEnd(after: cursor)
        case .backspace:
            guard cursor > 0 else { return true }
            remove(cursor - 1 ..< cursor, kill: false)
        case .delete, .ctrl("d"):
            guard cursor < chars.count else { return true }
            remove(cursor ..< cursor + 1, kill: false)
        case .ctrl("k"): remove(cursor ..< chars.count, kill: true)
        case .ctrl("u"): remove(0 ..< cursor, kill: true)
        case .ctrl("w"): remove(blankDelimitedWordStart(before: cursor) ..< cursor, kill: true)
        case .altBackspace: remove(wordStart(before: cursor) ..< cursor, kill: true)
        case .altChar("d"): remove(cursor ..< wordEnd(after: cursor), kill: true)
        case .ctrl("y"): insert(killBuffer)
        default: return false
        }
        return true
    }

    /// Inserts text at the cursor. Tabs and line breaks become spaces: a
    /// single-line field must not grow hidden lines when a paste contains them.
    public mutating func insert(_ text: String) {
        for c in text { insert(c) }
    }

    public mutating func insert(_ c: Character) {
        let c = Self.singleLine(c)
        // A combining mark or ZWJ typed or pasted on its own arrives as a
        // separate key; it belongs to the character before it (u + ¨ = ü), so
        // merge rather than count it as a character of its own.
        if cursor > 0, let merged = Self.merge(chars[cursor - 1], c) {
            chars[cursor - 1] = merged
            return
        }
        chars.insert(c, at: cursor)
        cursor += 1
    }

    private mutating func remove(_ range: Range<Int>, kill: Bool) {
        guard !range.isEmpty else { return }
        if kill { killBuffer = String(chars[range]) }
        chars.removeSubrange(range)
        cursor = range.lowerBound
        // Removing text can bring together two pieces that form one grapheme
        // (two halves of a flag); keep the array equal to the String's view.
        if cursor > 0, cursor < chars.count, let merged = Self.merge(chars[cursor - 1], chars[cursor]) {
            chars[cursor - 1] = merged
            chars.remove(at: cursor)
        }
    }

    private static func merge(_ a: Character, _ b: Character) -> Character? {
        let s = String(a) + String(b)
        return s.count == 1 ? s.first : nil
    }

    private static func singleLine(_ c: Character) -> Character {
        (c.isNewline || c == "\t") ? " " : c
    }

    // MARK: word boundaries

    /// Letters, digits and "_" make words for Alt-b/Alt-f/Ctrl-Left/Right, as
    /// in readline; "Müller-Lüdenscheid" is two words.
    private static func isWordChar(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_"
    }

    private func wordStart(before position: Int) -> Int {
        var i = position
        while i > 0, !Self.isWordChar(chars[i - 1]) { i -= 1 }
        while i > 0, Self.isWordChar(chars[i - 1]) { i -= 1 }
        return i
    }

    private func wordEnd(after position: Int) -> Int {
        var i = position
        while i < chars.count, !Self.isWordChar(chars[i]) { i += 1 }
        while i < chars.count, Self.isWordChar(chars[i]) { i += 1 }
        return i
    }

    /// Ctrl-W deletes back to the previous whitespace, like a shell's
    /// unix-word-rubout (so "a@b.com" goes in one stroke).
    private func blankDelimitedWordStart(before position: Int) -> Int {
        var i = position
        while i > 0, chars[i - 1].isWhitespace { i -= 1 }
        while i > 0, !chars[i - 1].isWhitespace { i -= 1 }
        return i
    }
}
