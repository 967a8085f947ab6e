// Terminal-column widths. Every layout decision (column widths, truncation,
// the caret position in a form) is made in columns, never in Characters or
// bytes: "王小明" is 3 Characters but 6 columns, "Mu\u{0308}ller" is 7 scalars,
// 6 Characters and 6 columns.
//
// Widths come from the C library's wcwidth (through the shim), the same table
// ncurses uses when it places the glyphs, so our idea of where a glyph ends
// and ncurses' idea never disagree. We do not hand-roll a width table.
import CNcursesw
import CRMViewModels
#if canImport(Glibc)
import Glibc
#endif

/// One terminal cell's worth of text: a base glyph (width 1 or 2) plus the
/// zero-width marks that sit on it.
public struct DisplayCell: Hashable, Sendable {
    public var text: String
    public var width: Int
    public init(text: String, width: Int) { self.text = text; self.width = width }
}

public enum DisplayWidth {
    public enum Alignment: Sendable { case left, right, center }

    public static let ellipsis = "…"

    /// wcwidth answers -1 for everything non-ASCII until a UTF-8 locale is set.
    /// Set it once, lazily: the user's locale, or C.UTF-8 when that is plain
    /// "C" (as under `swift test`, cron or a bare ssh command).
    private static let localeReady: Bool = {
        setlocale(LC_ALL, "")
        if let current = setlocale(LC_CTYPE, nil) {
            let name = String(cString: current)
            if name == "C" || name == "POSIX" {
                setlocale(LC_CTYPE, "C.UTF-8")
            }
        }
        return true
    }()

    /// Called by `TerminalSession` before `initscr`; safe to call repeatedly.
    public static func prepareLocale() { _ = localeReady }

    /// Columns for one scalar: 0 (combining marks, ZWJ, variation selectors),
    /// 1, or 2 (East Asian wide, most emoji). -1 for scalars the C library
    /// calls non-printable (controls, unassigned code points).
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return 1 }
        _ = localeReady
        return Int(crm_wcwidth(wchar_t(bitPattern: v)))
    }

    /// The cell a grapheme cluster occupies, or nil when it has no width
    /// (a stray combining mark or joiner with nothing to sit on).
    ///
    /// A terminal cell holds one spacing glyph plus a few zero-width marks
    /// (ncurses: CCHARW_MAX = 5 code points). Emoji ZWJ sequences and skin
    /// tones have several spacing code points, and terminals disagree about
    /// how wide they draw them. To keep every column where we think it is we
    /// keep the first spacing glyph and its marks and drop the rest (a family
    /// emoji shows as its first person). Non-printable code points show as
    /// U+FFFD.
    public static func cell(for character: Character) -> DisplayCell? {
        TextWork.measured(1)
        var text = String.UnicodeScalarView()
        var width = 0
        var marks = 0
        for scalar in character.unicodeScalars {
            let w = self.width(of: scalar)
            if width == 0 {
                // Looking for the base glyph; zero-width prefixes are dropped.
                if w > 0 {
                    text.append(scalar); width = w
                } else if w < 0 {
                    return DisplayCell(text: "\u{FFFD}", width: 1)
                }
            } else {
                // After the base: keep zero-width marks, stop at the next
                // spacing glyph. A joiner only makes sense before one, so drop it.
                guard w == 0 else { break }
                if scalar.value == 0x200D || marks == 4 { continue }
                text.append(scalar); marks += 1
            }
        }
        return width == 0 ? nil : DisplayCell(text: String(text), width: width)
    }

    /// Columns a Character occupies (0, 1 or 2).
    public static func width(of character: Character) -> Int {
        TextWork.measured(1)
        // Printable ASCII is 1; ASCII controls are drawn as U+FFFD, also 1.
        if character.isASCII { return 1 }
        // As `cell(for:)` decides, without building the cell's text: the
        // first spacing glyph sets the width; a non-printable one before it
        // shows as U+FFFD (1); none at all is 0.
        for scalar in character.unicodeScalars {
            let w = width(of: scalar)
            if w > 0 { return w }
            if w < 0 { return 1 }
        }
        return 0
    }

    /// Columns a Character occupies once sanitised for the screen (a control
    /// character is drawn as its visible stand-in). What an editor adds up
    /// character by character to draw only the part of a long line that fits.
    public static func drawnWidth(of character: Character) -> Int {
        if let a = character.asciiValue, a >= 0x20, a < 0x7F { TextWork.measured(1); return 1 }
        guard character.unicodeScalars.contains(where: TextSanitizer.needsWork) else { return width(of: character) }
        return width(of: TextSanitizer.singleLine(String(character)))
    }

    /// The start of `text` that `truncate(_, to: columns)` looks at: its
    /// characters up to and including the first that takes the drawn width
    /// past `columns` (or all of it). Cutting a 10,000-character note to a
    /// 60-column row then measures about 60 characters, not 10,000.
    public static func prefix(of text: String, fitting columns: Int) -> Substring {
        // No Character is wider than its UTF-8 bytes: short text fits whole.
        if text.utf8.count <= columns { return text[...] }
        var used = 0
        var i = text.startIndex
        while i < text.endIndex, used <= columns {
            used += drawnWidth(of: text[i])
            i = text.index(after: i)
        }
        return text[..<i]
    }

    /// Columns a string occupies when drawn.
    public static func width(of text: String) -> Int {
        // Printable ASCII: a column a byte, found without walking clusters.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            TextWork.measured(text.utf8.count)
            return text.utf8.count
        }
        var total = 0
        for c in text { total += width(of: c) }
        return total
    }

    /// The string as drawable cells; zero-width clusters are left out.
    public static func cells(_ text: String) -> [DisplayCell] {
        text.compactMap(cell(for:))
    }

    /// Fits `text` into `columns`. Text that fits is returned unchanged.
    /// Longer text is cut at a grapheme boundary and ends in "…", and the
    /// result is exactly `columns` wide: when a wide glyph would straddle the
    /// edge, a space takes its place.
    public static func truncate(_ text: String, to columns: Int, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        if width(of: text) <= columns { return text }
        let room = ellipsis ? columns - 1 : columns
        var result = ""
        var used = 0
        for c in text {
            let w = width(of: c)
            if used + w > room { break }
            result.append(c); used += w
        }
        if used < room { result += String(repeating: " ", count: room - used) }
        return ellipsis ? result + Self.ellipsis : result
    }

    /// Truncates if needed, then pads with spaces to exactly `columns`.
    public static func pad(_ text: String, to columns: Int, align: Alignment = .left) -> String {
        let fitted = truncate(text, to: columns)
        let spare = max(0, columns - width(of: fitted))
        switch align {
        case .left: return fitted + String(repeating: " ", count: spare)
        case .right: return String(repeating: " ", count: spare) + fitted
        case .center:
            let left = spare / 2
            return String(repeating: " ", count: left) + fitted + String(repeating: " ", count: spare - left)
        }
    }

    /// Word-wraps `text` into lines of at most `columns` columns; a word
    /// longer than a line is cut. Used for messages that must be read whole.
    public static func wrap(_ text: String, to columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if width(of: candidate) <= columns {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = width(of: word) <= columns ? word : truncate(word, to: columns)
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
