import Foundation

/// The key a list sorted by name compares: two names are in order when their
/// keys are in code point order (SQLite's BINARY collation, a byte compare of
/// UTF-8). Computed once when a row is written (`contacts.sort_key`,
/// `companies.sort_key`) and stored, so a sorted page is a range of an index.
///
/// The key is the name's *primary letters*, then U+0001, then the name as
/// stored: names compare letter by letter first, and only names with the same
/// letters are told apart by case and accents (code point order of the stored
/// name: "Muller" < "Müller", "Anna" < "anna"); the lists break a remaining
/// tie by id.
///
/// Primary letters, scalar by scalar:
/// - Latin: lower case without accents (ä → a, ö → o, ü → u, é → e, …),
///   ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ → d, þ → th, ı → i: German
///   umlauts sort beside their base letters.
/// - Cyrillic: lower case, in alphabet order (а … я; ё with е, й its own
///   letter after и).
/// - Persian and Arabic: Arabic forms folded as search folds them (ي ى ئ → ی,
///   ك → ک, ة → ه, أ إ آ → ا, harakat, tatweel and joiners dropped,
///   `SearchFold`), then the Persian alphabet
///   ا ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی,
///   other letters of the block after ی.
/// - Persian and Arabic-Indic digits as ASCII digits.
/// - Everything else by code point, lower-cased.
///
/// So across scripts: spaces and punctuation, digits, Latin, then Greek,
/// Cyrillic, Persian/Arabic and every later script by code point.
///
/// What this returns is code, not frozen SQL: a change that changes the key
/// of an existing name needs a migration step that recomputes the column.
public enum NameSortKey {
    /// The separator between the primary letters and the tie-breaking name;
    /// below every primary letter (controls are dropped from the primary part).
    static let separator: Unicode.Scalar = "\u{1}"

    public static func of(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            // The common case: ASCII, one byte a letter.
            for scalar in name.unicodeScalars where scalar.value >= 0x20 {
                if scalar.value >= 0x41 && scalar.value <= 0x5A {
                    out.append(Unicode.Scalar(scalar.value + 0x20)!)
                } else {
                    out.append(scalar)
                }
            }
        } else if Latin1Text.isLatin1(name) {
            // Latin-1 text is composed already and SearchFold leaves it alone.
            for scalar in name.unicodeScalars { out.append(contentsOf: Latin1Text.primaryLetters[Int(scalar.value)]) }
        } else {
            let composed = SearchFold.fold(name).precomposedStringWithCanonicalMapping
            for scalar in composed.unicodeScalars { appendPrimary(scalar, to: &out) }
        }
        out.append(separator)
        out.append(contentsOf: name.unicodeScalars)
        return String(out)
    }

    /// The Persian alphabet, in order; its letters' primary weights are
    /// U+0600 + position (the block's signs before U+0620 are never letters).
    static let persianAlphabet: [Unicode.Scalar] = Array("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی".unicodeScalars)
    static let persianWeight: [Unicode.Scalar: Unicode.Scalar] = Dictionary(
        uniqueKeysWithValues: persianAlphabet.enumerated().map { ($0.element, Unicode.Scalar(0x600 + UInt32($0.offset))!) })

    static let expansions: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i",
        // Arabic punctuation as its ASCII counterpart.
        "\u{060C}": ",", "\u{061B}": ";", "\u{061F}": "?",
        // Heh goal / ae (what ۀ decomposes to) as heh; alef wasla as alef.
        "\u{06D5}": "\u{0647}", "\u{06C1}": "\u{0647}", "\u{0671}": "\u{0627}",
    ]

    /// Letters whose mark is part of the letter, never an accent.
    static let keptWhole: Set<Unicode.Scalar> = ["й", "Й"]

    /// The primary letters of `text` (what comes before the separator): the
    /// keys of the names that begin with `text` start with it, so a search's
    /// name prefixes are a range of the sorted index (`ContactMatch.Rank`).
    public static func primary(of text: String) -> String {
        let key = of(text).unicodeScalars
        return String(key[..<(key.firstIndex(of: separator) ?? key.endIndex)])
    }

    /// The name a key was made of (what follows the separator).
    public static func name(from key: String) -> String {
        guard let index = key.unicodeScalars.firstIndex(of: separator) else { return key }
        return String(key.unicodeScalars[key.unicodeScalars.index(after: index)...])
    }

    static func appendPrimary(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        if scalar.value < 0x20 { return }
        if scalar.value < 0x80 {
            out.append(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 0x20)! : scalar)
            return
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return
        default: break
        }
        if let expansion = expansions[scalar] {
            for s in expansion.unicodeScalars { appendPrimary(s, to: &out) }
            return
        }
        if let weight = persianWeight[scalar] {
            out.append(weight)
            return
        }
        if (0x600...0x61F).contains(scalar.value) {
            // Signs of the Arabic block that are not letters: after ی.
            out.append("\u{0620}")
            return
        }
        if !keptWhole.contains(scalar) {
            let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
            if decomposed.count > 1 || decomposed.first != scalar {
                for s in decomposed { appendPrimary(s, to: &out) }
                return
            }
        }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        if lower.count == 1, let first = lower.first, first != scalar {
            appendPrimary(first, to: &out)
            return
        }
        out.append(scalar)
    }
}
