// Single-line text editing state for form fields and search boxes.
//
// A value type, so a form's state is plain data that tests can build and
// compare, and "nothing typed is lost" is simply keeping the value around when
// validation fails. The cursor counts grapheme clusters (Swift `Character`s),
// not bytes or terminal columns: the view layer converts to columns when it
// draws, because only it knows display widths.
//
// The text is kept as `[Character]` so that every edit costs what it changes,
// not the length of the text: a key at the end of a 10,000-character note is
// an append; a paste is one insertion of the pasted characters. Nothing here
// builds a String of the whole text on a key; `text` does, for whoever asks
// (a save, a search), and the view reads `characters` and draws only the
// part that fits (EditorView in CRMTerminal).
public struct LineEditor: Hashable, Sendable {
    private var chars: [Character]
    /// Cursor position in characters, 0...text.count.
    public private(set) var cursor: Int
    /// The last text removed by Ctrl-K, Ctrl-U or Ctrl-W; Ctrl-Y puts it back.
    public private(set) var killBuffer: String = ""

    /// True while the text is a suggestion nobody has touched yet (a form's
    /// "Follow up with Ann"): it is shown selected, and the first character
    /// typed or pasted replaces it, as a selected text does anywhere else;
    /// Backspace clears it; a key that moves the caret keeps it for editing.
    public private(set) var isSuggested = false

    public init(_ text: String = "") {
        chars = Array(text)
        cursor = chars.count
    }

    /// A suggested text (see `isSuggested`).
    public init(suggested text: String) {
        self.init(text)
        isSuggested = !chars.isEmpty
    }

    /// Setting the text moves the cursor to its end.
    public var text: String {
        get {
            TextWork.copied(chars.count)
            return String(chars)
        }
        set {
            chars = Array(newValue)
            cursor = chars.count
            isSuggested = false
        }
    }

    public var isEmpty: Bool { chars.isEmpty }
    public var count: Int { chars.count }
    /// The text as grapheme clusters, without copying (arrays share storage
    /// until written): what the view walks to draw the visible part.
    public var characters: [Character] { chars }

    /// Text before the cursor (what the view measures to place the caret).
    public var textBeforeCursor: String {
        TextWork.copied(cursor)
        return String(chars[..<cursor])
    }
    public var textAfterCursor: String {
        TextWork.copied(chars.count - cursor)
        return String(chars[cursor...])
    }

    public mutating func moveCursor(to position: Int) {
        cursor = min(max(position, 0), chars.count)
    }

    /// Applies one key. Returns false for keys a line editor has no use for
    /// (Enter, Tab, Esc, Up/Down, F-keys, unknown Ctrl keys), so the form or
    /// view can handle them.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        if isSuggested {
            switch key {
            case .char, .paste, .backspace, .delete, .ctrl("d"):
                chars.removeAll()
                cursor = 0
            default: break
            }
        }
        let handled = apply(key)
        if handled { isSuggested = false }
        return handled
    }

    private mutating func apply(_ key: Key) -> Bool {
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
    ///
    /// The result is what inserting the characters one by one gives, but the
    /// characters after the cursor move once, not once per pasted character.
    public mutating func insert(_ text: String) {
        var added: [Character] = []
        added.reserveCapacity(text.utf8.count)
        for c in text {
            let c = Self.singleLine(c)
            if let last = added.last {
                if let merged = Self.merge(last, c) { added[added.count - 1] = merged; continue }
            } else if cursor > 0, let merged = Self.merge(chars[cursor - 1], c) {
                chars[cursor - 1] = merged
                continue
            }
            added.append(c)
        }
        guard !added.isEmpty else { return }
        if cursor == chars.count {
            chars.append(contentsOf: added)
        } else {
            chars.insert(contentsOf: added, at: cursor)
        }
        cursor += added.count
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

    // MARK: what TextArea does across lines

    /// Cuts the line at the cursor: this editor keeps what is before it, the
    /// returned one holds the rest with its cursor at the start (Enter).
    mutating func splitAtCursor() -> LineEditor {
        var tail = LineEditor()
        tail.chars = Array(chars[cursor...])
        tail.cursor = 0
        chars.removeSubrange(cursor...)
        return tail
    }

    /// Appends `other`'s text, the cursor staying where it is. Where the two
    /// meet, characters that form one grapheme become one (as in the String
    /// of the joined text).
    mutating func append(_ other: LineEditor) {
        var rest = other.chars[...]
        if let first = rest.first, let last = chars.last, let merged = Self.merge(last, first) {
            chars[chars.count - 1] = merged
            rest = rest.dropFirst()
        }
        chars.append(contentsOf: rest)
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
        // Two ASCII characters never form one grapheme, except CR LF: the
        // common case costs no String.
        if a.isASCII && b.isASCII { return a == "\r" && b == "\n" ? "\r\n" : nil }
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
