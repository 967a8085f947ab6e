// A decoded key press, independent of ncurses.
//
// The terminal layer turns raw `get_wch` results into `Key`s; everything above
// it (key tables, view models, form editors) only ever sees this enum, so the
// whole message → update loop can be driven from tests without a terminal.
public enum Key: Hashable, Sendable {
    /// A printable character (never a control character: those are decoded
    /// into the named cases below).
    case char(Character)
    /// Ctrl plus a letter, as the lowercase letter: Ctrl-K is `.ctrl("k")`.
    /// Ctrl-I, Ctrl-J and Ctrl-M are indistinguishable from Tab and Enter on a
    /// terminal and arrive as `.tab` / `.enter`.
    case ctrl(Character)
    /// Alt (Meta) plus a printable character; the terminal sends ESC first.
    case altChar(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown
    case enter, escape, backspace, delete, tab, backTab, insert
    /// Word moves: Ctrl-Left / Ctrl-Right (xterm's `ESC [1;5D` / `ESC [1;5C`).
    case ctrlLeft, ctrlRight
    /// Alt-Backspace: delete the word before the cursor, as in readline.
    case altBackspace
    /// F1 ... F12 (and beyond, if the terminal sends them).
    case function(Int)
    /// Text that arrived in one bracketed paste (`ESC [200~ ... ESC [201~`).
    /// Line breaks are normalised to "\n". Editors insert it as text, so a
    /// pasted newline never acts like the Enter key.
    case paste(String)
}

extension Key: CustomStringConvertible {
    /// The short name shown in hint bars and the `?` overlay ("j", "Enter",
    /// "Ctrl-K", "PgDn", "?"). Help text is generated from key tables, so this
    /// is the single place that decides how a key is spelled for people.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .altChar(let c): return "Alt-" + String(c)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .insert: return "Ins"
        case .ctrlLeft: return "Ctrl-Left"
        case .ctrlRight: return "Ctrl-Right"
        case .altBackspace: return "Alt-Backspace"
        case .function(let n): return "F\(n)"
        case .paste: return "Paste"
        }
    }

    public var description: String { label }

    /// The character a printable key types, if it types one.
    public var character: Character? {
        if case .char(let c) = self { return c }
        return nil
    }
}
