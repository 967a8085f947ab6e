import Foundation

/// How the search indexes cut text into words and fold them: SQLite's FTS5
/// tokenizer `unicode61 remove_diacritics 2` (runs of letters, digits and
/// private-use characters; case and accents do not count). The SQLite engine
/// checks long words on the rows read with it (`crm_word_prefixes`); the
/// PostgreSQL engine builds its stored search documents with it, so both
/// engines find the same words.
public enum SearchWords {
    /// The words of `text` as unicode61 cuts them: runs of letters, digits
    /// and private-use characters (its default categories `L* N* Co`).
    public static func tokens(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        for scalar in text.unicodeScalars {
            let next = text.unicodeScalars.index(after: index)
            if isTokenScalar(scalar) {
                // A mark dropped from words begins none: alone it is nothing.
                if start == nil && !isInWordDiacritic(scalar) { start = index }
            } else if let s = start {
                result.append(text[s..<index])
                start = nil
            }
            index = next
        }
        if let s = start { result.append(text[s..<text.endIndex]) }
        return result
    }

    public static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        SearchText.isTermScalar(scalar) || scalar.properties.generalCategory == .privateUse || isInWordDiacritic(scalar)
    }

    /// The combining marks unicode61 (`remove_diacritics 2`) keeps inside a
    /// word and then drops (SQLite's `sqlite3Fts5UnicodeIsdiacritic`: 25 of
    /// U+0300–U+0331, by its two masks): a decomposed "Müller" (u and
    /// U+0308, as macOS and some pastes write it) is one word, "muller", as
    /// the composed one. Any other mark ends the word there, as in FTS5.
    public static func isInWordDiacritic(_ scalar: Unicode.Scalar) -> Bool {
        let c = scalar.value
        guard c >= 0x300 && c <= 0x331 else { return false }
        return c < 0x320 ? (0x0802_9FDF as UInt32) >> (c - 0x300) & 1 == 1 : (0x0003_61F8 as UInt32) >> (c - 0x320) & 1 == 1
    }

    /// A word as the tokenizer folds it: lower case everywhere, and without
    /// accents where unicode61 removes them, on Latin letters (and the
    /// in-word marks) only. Cyrillic й, ї, ў, Japanese が, Persian ۀ and
    /// Greek ἀ keep what makes them letters of their own, as in FTS5
    /// (Foundation's diacritic folding of a whole word took them off, so
    /// the PostgreSQL engine found "сергей" by "сергеи"; since its step 77).
    public static func normalized(_ word: Substring) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word.lowercased() }
        var out = ""
        var run = String.UnicodeScalarView()
        var runIsLatin = false
        func flush() {
            guard !run.isEmpty else { return }
            let text = String(run)
            out += runIsLatin ? text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) : text.lowercased()
            run.removeAll()
        }
        for scalar in word.unicodeScalars {
            if isInWordDiacritic(scalar) { continue }
            let latin = isLatin(scalar)
            if latin != runIsLatin { flush(); runIsLatin = latin }
            run.append(scalar)
        }
        flush()
        return out
    }

    /// The letters unicode61 takes accents off, with ASCII so that a word
    /// like "Müller" is folded in one piece: Latin-1, Latin Extended-A and
    /// -B, Latin Extended Additional (Vietnamese).
    static func isLatin(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x0250 || (0x1E00...0x1EFF).contains(scalar.value)
    }
}
