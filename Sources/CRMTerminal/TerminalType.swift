// Whether the terminal named by TERM can show the screen at all, asked
// before anything is drawn: with TERM=dumb, no TERM, or a type terminfo does
// not know, curses would either fail or scribble; a sentence that names a
// usable value helps more.
import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

public enum TerminalType {
    /// What to suggest: what nearly every terminal emulator understands.
    static let suggestion = "xterm-256color"

    /// Throws `TerminalError.unusableTerminal` when TERM is unset or empty,
    /// names a terminal that cannot move the cursor (dumb, hard-copy), or
    /// has no terminfo entry. Writes nothing to the terminal.
    public static func check() throws {
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else {
            throw TerminalError.unusableTerminal(term: nil, known: false)
        }
        switch crm_terminal_usable(term) {
        case 1: return
        case 0: throw TerminalError.unusableTerminal(term: term, known: true)
        default: throw TerminalError.unusableTerminal(term: term, known: false)
        }
    }

    static func explain(term: String?, known: Bool) -> String {
        let fix = "run it in a terminal with TERM=\(suggestion) or similar"
        guard let term else { return "TERM is not set, so crm cannot show its screen; \(fix)" }
        if known { return "TERM=\(term) cannot show crm's screen; \(fix)" }
        return "TERM=\(term) is a terminal type this system does not know (no terminfo entry), so crm cannot show its screen; \(fix)"
    }
}
