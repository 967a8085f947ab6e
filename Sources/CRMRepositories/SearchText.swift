import CRMCore
import Foundation

/// The rule every search box follows, whatever engine answers it: a search
/// matches by the letters and digits typed (of any script). Text with neither
/// (`😀`, `[`, `--`, `%_`) matches nothing, on every screen alike, and the
/// screen says why; it never falls back to listing everything.
public enum SearchText {
    /// Whether `text` contains a letter or a digit (Unicode categories L and N)
    /// that search does not fold away (`SearchFold`: a tatweel alone is no term).
    public static func hasTerms(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: { isTermScalar($0) && SearchFold.folded($0) != nil })
    }

    /// A letter or a digit: what a word of a search is made of.
    public static func isTermScalar(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII by hand: the category table is the slow part of scanning a
        // long note (SearchHighlight asks for every character).
        let v = scalar.value
        if v < 0x80 { return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
