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
        SearchText.isTermScalar(scalar) || scalar.properties.generalCategory == .privateUse
    }

    /// Lower case without accents, as the tokenizer folds a word.
    public static func normalized(_ word: Substring) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
