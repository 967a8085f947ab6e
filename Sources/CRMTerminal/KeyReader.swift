// Turns ncurses' get_wch results into `Key`s. Only this file knows about
// KEY_* codes and control bytes; everything above sees `Key`.
import CNcursesw
import CRMViewModels
#if canImport(Glibc)
import Glibc
#endif

/// What the loop gets from the terminal besides the tick.
public enum KeyEvent: Hashable, Sendable {
    case key(Key)
    /// The terminal changed size (SIGWINCH → KEY_RESIZE); the new size.
    case resize(Size)
}

enum KeyReader {
    // Key codes we ask ncurses to report for sequences its terminfo entry may
    // not know (above KEY_MAX, so they cannot collide with real ones).
    static let pasteBegin = KEY_MAX + 1
    static let pasteEnd = KEY_MAX + 2
    static let ctrlLeftCode = KEY_MAX + 3
    static let ctrlRightCode = KEY_MAX + 4

    static let enableBracketedPaste = "\u{1b}[?2004h"
    static let disableBracketedPaste = "\u{1b}[?2004l"

    static func setUp() {
        define(sequence: "\u{1b}[200~", as: pasteBegin)
        define(sequence: "\u{1b}[201~", as: pasteEnd)
        define(sequence: "\u{1b}[1;5D", as: ctrlLeftCode)
        define(sequence: "\u{1b}[1;5C", as: ctrlRightCode)
        // With bracketed paste on, a pasted text arrives as one `.paste`, so a
        // newline in it cannot act as Enter and submit a form half-filled.
        writeRaw(enableBracketedPaste)
    }

    static func tearDown() { writeRaw(disableBracketedPaste) }

    private static func define(sequence: String, as code: Int32) {
        // Leave sequences the terminfo entry already maps alone.
        if key_defined(sequence) == 0 { define_key(sequence, code) }
    }

    private static func writeRaw(_ s: String) {
        var bytes = Array(s.utf8)
        _ = write(1, &bytes, bytes.count)
    }

    static func read(resizing screen: NcursesScreen) -> KeyEvent? {
        var wc: wint_t = 0
        switch wget_wch(crm_stdscr(), &wc) {
        case KEY_CODE_YES:
            let code = Int32(bitPattern: wc)
            if code == KEY_RESIZE {
                screen.resizeToTerminal()
                return .resize(screen.size)
            }
            if code == pasteBegin { return .key(.paste(readPaste())) }
            return decode(code: code).map(KeyEvent.key)
        case OK:
            if wc == 27 { return .key(decodeEscape()) }
            return decode(char: wc).map(KeyEvent.key)
        default:
            return nil   // ERR: the 100 ms tick, or a signal interrupted the wait
        }
    }

    static func decode(code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_FIND: return .home
        case KEY_END, KEY_SELECT, KEY_LL: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case ctrlLeftCode: return .ctrlLeft
        case ctrlRightCode: return .ctrlRight
        case KEY_F0 + 1 ... KEY_F0 + 63: return .function(Int(code - KEY_F0))
        default:
            // Modified arrows come from terminfo's extended capabilities;
            // ncurses names them kLFT5 (Ctrl), kLFT3 (Alt) and so on.
            guard let name = keyname(code).map({ String(cString: $0) }) else { return nil }
            switch name {
            case "kLFT5", "kLFT3": return .ctrlLeft
            case "kRIT5", "kRIT3": return .ctrlRight
            default: return nil
            }
        }
    }

    static func decode(char wc: wint_t) -> Key? {
        switch wc {
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(wc) + 96)))
        case 0..<32, 0x80..<0xA0: return nil     // Ctrl-@, Ctrl-\ …, C1 controls
        default:
            guard let s = Unicode.Scalar(wc) else { return nil }
            return .char(Character(s))
        }
    }

    /// ESC alone is Escape. ncurses has already waited ESCDELAY for a key
    /// sequence, so a character that is already waiting came with the ESC:
    /// that is Alt+character.
    private static func decodeEscape() -> Key {
        let win = crm_stdscr()
        wtimeout(win, 0)
        defer { wtimeout(win, 100) }
        var wc: wint_t = 0
        switch wget_wch(win, &wc) {
        case OK:
            if wc == 127 || wc == 8 { return .altBackspace }
            if wc >= 32, let s = Unicode.Scalar(wc), !(0x7F..<0xA0).contains(wc) {
                return .altChar(Character(s))
            }
            return .escape
        case KEY_CODE_YES:
            return decode(code: Int32(bitPattern: wc)) ?? .escape   // Alt+arrow: the arrow
        default:
            return .escape
        }
    }

    /// Reads up to the end-of-paste marker. Line breaks become "\n"; other
    /// control characters are dropped. Gives up after 2 s without input, or
    /// at 1 MB, so a lost end marker cannot hang the program.
    private static func readPaste() -> String {
        var text = String.UnicodeScalarView()
        // Counted here: `count` of a scalar view walks it, which made reading
        // a paste quadratic in its length.
        var scalars = 0
        var idleTicks = 0
        var lastWasCR = false
        while idleTicks < 20, scalars < 1_000_000 {
            var wc: wint_t = 0
            let r = wget_wch(crm_stdscr(), &wc)
            if r == KEY_CODE_YES {
                if Int32(bitPattern: wc) == pasteEnd { break }
                continue
            }
            guard r == OK else { idleTicks += 1; continue }
            idleTicks = 0
            defer { lastWasCR = wc == 13 }
            switch wc {
            case 13: text.append("\n"); scalars += 1
            case 10: if !lastWasCR { text.append("\n"); scalars += 1 }
            case 9: text.append("\t"); scalars += 1
            case 0..<32, 0x7F..<0xA0: continue
            default: if let s = Unicode.Scalar(wc) { text.append(s); scalars += 1 }
            }
        }
        return String(text)
    }
}
