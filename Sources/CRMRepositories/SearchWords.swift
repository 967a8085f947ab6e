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
                if start == nil { start = index }
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

    /// Lower case without accents, as the tokenizer folds a word.
    public static func normalized(_ word: Substring) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
