/// Digits as people type them in Persian and Arabic: every parser of dates,
/// times, amounts, durations and numbers reads its input through `ascii(_:)`
/// first, so "۱۲٬۵۰۰", "٢٥" and "۱۴۰۵-۰۹-۱۰" mean what "12,500", "25" and
/// "1405-09-10" mean. `persian(_:)` goes the other way for the screen when the
/// settings ask for Persian digits (`digits = persian`).
public enum LocalDigits {
    /// Extended Arabic-Indic (Persian) digits ۰–۹, U+06F0–U+06F9.
    static let persianZero: UInt32 = 0x06F0
    /// Arabic-Indic digits ٠–٩, U+0660–U+0669.
    static let arabicZero: UInt32 = 0x0660

    /// Persian and Arabic-Indic digits as ASCII ones; the Arabic decimal
    /// separator (٫), thousands separator (٬) and percent sign (٪) as "." "," "%".
    /// Everything else is left as it is.
    public static func ascii(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x0660 && $0.value <= 0x06F9 }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case persianZero...(persianZero + 9): out.append(Unicode.Scalar(0x30 + v - persianZero)!)
            case arabicZero...(arabicZero + 9): out.append(Unicode.Scalar(0x30 + v - arabicZero)!)
            case 0x066B: out.append(".")
            case 0x066C: out.append(",")
            case 0x066A: out.append("%")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The ASCII digit of a Persian (۳) or Arabic-Indic (٣) digit key; nil for
    /// any other character (an ASCII digit included: it needs no change).
    public static func asciiDigit(_ c: Character) -> Character? {
        guard c.unicodeScalars.count == 1, let v = c.unicodeScalars.first?.value else { return nil }
        switch v {
        case persianZero...(persianZero + 9): return Character(Unicode.Scalar(0x30 + v - persianZero)!)
        case arabicZero...(arabicZero + 9): return Character(Unicode.Scalar(0x30 + v - arabicZero)!)
        default: return nil
        }
    }

    /// ASCII digits 0–9 as Persian ones (۰–۹), and a "." or "," between two
    /// digits as the Persian decimal (٫) and thousands (٬) separators, as
    /// "۳۳٬۵۰۰٫۰۰" is written (QA 31 #5); everything else as it is.
    public static func persian(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return text }
        let scalars = Array(text.unicodeScalars)
        func isDigit(_ i: Int) -> Bool { scalars.indices.contains(i) && scalars[i].value >= 0x30 && scalars[i].value <= 0x39 }
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            if isDigit(i) {
                out.append(Unicode.Scalar(persianZero + scalar.value - 0x30)!)
            } else if (scalar == "." || scalar == ","), isDigit(i - 1), isDigit(i + 1) {
                out.append(scalar == "." ? "\u{066B}" : "\u{066C}")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `persian` for a sentence that may quote a path, an address or a link
    /// ("Settings saved to /tmp/qa38a/…"): a word holding "@", or "/" beside
    /// letters, keeps its digits, since a path or an address with other
    /// digits names nothing (QA 38 A-F8). "1405/09/11" is still a date.
    public static func persianProse(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else { return text }
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "@") }) else { return persian(text) }
        var out = ""
        var word = ""
        func flush() {
            let verbatim = word.contains("@") || (word.contains("/") && word.unicodeScalars.contains { $0.properties.isAlphabetic })
            out += verbatim ? word : persian(word)
            word = ""
        }
        for character in text {
            if character.isWhitespace {
                flush()
                out.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return out
    }
}
