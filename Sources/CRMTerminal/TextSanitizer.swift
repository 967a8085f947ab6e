// Every string that came from the database (or an import file, or another
// user) passes through here before it is drawn. A contact named
// "\u{1b}[2J\u{1b}]0;pwned\u{7}" must show up as harmless visible symbols, not
// clear the screen or retitle the terminal; a bidi override must not reorder
// the rest of the row. Control characters become the glyphs of Unicode's
// "Control Pictures" block so a person can still see that something is there.
import CRMViewModels

public enum TextSanitizer {
    /// For one row: line breaks become "⏎", tabs a space.
    public static func singleLine(_ text: String) -> String {
        guard needsWork(text) else { return text }
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for s in text.unicodeScalars {
            defer { previousWasCR = s == "\r" }
            switch s {
            case "\n" where previousWasCR:
                continue            // "\r\n" is one line break, already shown
            case "\n", "\r", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}":
                out.append("⏎")
            case "\t":
                out.append(" ")
            default:
                out.append(placeholder(for: s) ?? s)
            }
        }
        return String(out)
    }

    /// For multi-line text (notes): one sanitised string per line. "\r\n",
    /// "\n" and "\r" all end a line.
    public static func lines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { singleLine(String($0)) }
    }

    /// The visible stand-in for a scalar that must not reach the terminal,
    /// or nil when the scalar is safe to draw.
    public static func placeholder(for s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x1B: return "\u{241B}"                                  // ␛
        case 0x00...0x1F: return Unicode.Scalar(0x2400 + s.value)     // ␀ … ␟
        case 0x7F: return "\u{2421}"                                  // ␡
        case 0x80...0x9F,                                             // C1, incl. CSI
             0x202A...0x202E,                                         // bidi embed/override
             0x2066...0x2069:                                         // bidi isolates
            return "\u{FFFD}"
        default: return nil
        }
    }

    /// Fast path: most names are plain text.
    private static func needsWork(_ text: String) -> Bool {
        TextWork.sanitised(text.utf8.count)
        return text.unicodeScalars.contains(where: needsWork)
    }

    /// Whether `singleLine` changes this scalar.
    static func needsWork(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value)
            || (0x2028...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }
}
