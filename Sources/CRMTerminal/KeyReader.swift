// Turns what ncurses' wgetch returns (bytes, KEY_* codes) into `Key`s. Only
// this file knows about KEY_* codes and control bytes; everything above sees
// `Key`.
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
    /// The terminal went away without a SIGHUP (reading it gives end-of-file
    /// or an error): nobody can type any more, so the program ends.
    case closed
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

    // Input is read byte by byte (wgetch) and decoded here, not by
    // get_wch: see UTF8Input for what get_wch does with a byte that is not
    // UTF-8. Curses runs on one thread, so this state is never shared.
    nonisolated(unsafe) private static var utf8 = UTF8Input()
    /// Keys that came out of one read together (U+FFFD for a broken
    /// sequence, then the character after it), handed out one per call.
    nonisolated(unsafe) private static var pending: [KeyEvent] = []

    /// How long wgetch waits for a key (set on the window only when it changes).
    nonisolated(unsafe) private static var wait: Int32 = 100

    /// Forgets every key typed and not yet read: those decoded already and
    /// those still in the terminal's input queue.
    static func discardTypeahead() {
        pending.removeAll()
        utf8 = UTF8Input()
        flushinp()
    }

    static func read(resizing screen: NcursesScreen, waitMilliseconds: Int32 = 100) -> KeyEvent? {
        if !pending.isEmpty { return pending.removeFirst() }
        let win = crm_stdscr()
        if waitMilliseconds != wait {
            wait = waitMilliseconds
            wtimeout(win, wait)
        }
        while true {
            let ch = wgetch(win)
            if ch == ERR {
                // The rest of a character did not come within the tick.
                if let broken = utf8.finish() { return decode(char: wint_t(broken.value)).map(KeyEvent.key) }
                // ERR is the 100 ms tick, or a signal interrupted the wait, or
                // the terminal is gone: then it would come back at once,
                // forever, and the loop would spin.
                return inputClosed ? .closed : nil
            }
            if ch >= KEY_MIN {
                let event = keyEvent(code: ch, resizing: screen)
                if let broken = utf8.finish() {
                    if let event { pending.append(event) }
                    return decode(char: wint_t(broken.value)).map(KeyEvent.key)
                }
                return event
            }
            let scalars = utf8.feed(UInt8(truncatingIfNeeded: ch))
            if scalars.isEmpty { continue }   // the rest of the character follows
            var events: [KeyEvent] = []
            for scalar in scalars {
                if scalar == "\u{1b}" {
                    events.append(.key(decodeEscape()))
                } else if let key = decode(char: wint_t(scalar.value)) {
                    events.append(.key(key))
                }
            }
            guard !events.isEmpty else { continue }
            pending.append(contentsOf: events.dropFirst())
            return events[0]
        }
    }

    private static func keyEvent(code: Int32, resizing screen: NcursesScreen) -> KeyEvent? {
        if code == KEY_RESIZE {
            screen.resizeToTerminal()
            return .resize(screen.size)
        }
        if code == pasteBegin { return .key(.paste(readPaste())) }
        return decode(code: code).map(KeyEvent.key)
    }

    /// True when the terminal has gone away: a closed pseudo-terminal or a
    /// dropped line reads as end-of-file or an error, which poll reports as
    /// a hang-up or an error on standard input (what ncurses reads).
    static var inputClosed: Bool {
        var fd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        if poll(&fd, 1, 0) < 0 { return errno != EINTR && errno != EAGAIN && errno != ENOMEM }
        return fd.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
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
        defer { wtimeout(win, wait) }
        var ch = wgetch(win)
        if ch == ERR { return .escape }
        if ch >= KEY_MIN { return decode(code: ch) ?? .escape }   // Alt+arrow: the arrow
        if ch == 127 || ch == 8 { return .altBackspace }
        // ESC is ASCII, so the decoder starts afresh here; a multi-byte
        // character typed with Alt arrives whole.
        var scalars = utf8.feed(UInt8(truncatingIfNeeded: ch))
        while scalars.isEmpty {
            ch = wgetch(win)
            guard ch != ERR, ch < KEY_MIN else {
                scalars = utf8.finish().map { [$0] } ?? []
                break
            }
            scalars = utf8.feed(UInt8(truncatingIfNeeded: ch))
        }
        guard let first = scalars.first, first.value >= 32, !(0x7F..<0xA0).contains(first.value) else { return .escape }
        // A broken sequence after Alt: U+FFFD with Alt, the rest typed as is.
        pending.append(contentsOf: scalars.dropFirst().compactMap { decode(char: wint_t($0.value)).map(KeyEvent.key) })
        return .altChar(Character(first))
    }

    /// Reads up to the end-of-paste marker. Line breaks become "\n"; other
    /// control characters are dropped; bytes that are not UTF-8 become
    /// U+FFFD. Gives up after 2 s without input, or at 1 MB, so a lost end
    /// marker cannot hang the program.
    private static func readPaste() -> String {
        var text = String.UnicodeScalarView()
        var count = 0
        var decoder = UTF8Input()
        var idleTicks = 0
        var lastWasCR = false
        // The paste is read at the usual 100 ms wait, whatever the loop's.
        let loopWait = wait
        wait = 100
        wtimeout(crm_stdscr(), wait)
        defer {
            wait = loopWait
            wtimeout(crm_stdscr(), wait)
        }
        func append(_ s: Unicode.Scalar) {
            defer { lastWasCR = s.value == 13 }
            switch s.value {
            case 13: text.append("\n")
            case 10: if !lastWasCR { text.append("\n") }
            case 9: text.append("\t")
            case 0..<32, 0x7F..<0xA0: return
            default: text.append(s)
            }
            count += 1
        }
        while idleTicks < 20, count < 1_000_000 {
            let ch = wgetch(crm_stdscr())
            if ch == ERR {
                idleTicks += 1
                if inputClosed { break }
                continue
            }
            if ch >= KEY_MIN {
                if ch == pasteEnd { break }
                continue
            }
            idleTicks = 0
            for s in decoder.feed(UInt8(truncatingIfNeeded: ch)) { append(s) }
        }
        if let s = decoder.finish() { append(s) }
        return String(text)
    }
}
