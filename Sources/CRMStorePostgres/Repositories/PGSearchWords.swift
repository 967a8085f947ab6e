import CRMCore
import CRMRepositories
import Foundation

/// Word-prefix search on PostgreSQL that finds what SQLite's FTS5 indexes
/// (`unicode61 remove_diacritics 2` over `crm_fold(text)`) find: the stored
/// text is folded in Swift with the same `SearchFold.indexed`, cut into words
/// as unicode61 cuts them (runs of letters, digits and private-use
/// characters), lower-cased without accents, and stored as a `tsvector` of
/// exactly those words (given as a literal, so PostgreSQL's own parser, which
/// would keep an email address as one word, never re-cuts them). A query is
/// every typed word as a prefix (`'mul':* & 'ber':*`), a word with
/// punctuation inside as a phrase (`o'brien` → `'o' <-> 'brien':*`), as
/// FTS5 reads a quoted prefix phrase.
enum PGSearchWords {
    /// The `tsvector` literal (cast with `?::tsvector`) for stored texts,
    /// one position per word, texts one position apart.
    static func vector(_ texts: String...) -> String {
        var items: [String] = []
        var position = 0
        for text in texts {
            for token in SearchWords.tokens(SearchFold.indexed(text)) {
                position += 1
                items.append("\(quoted(normalized(token))):\(min(position, 16_383))")
            }
            position += 1
        }
        return items.joined(separator: " ")
    }

    /// What a search box's text asks for.
    struct Query {
        /// Typed, but without a letter or a digit: no row matches.
        let findsNothing: Bool
        /// The `tsquery` literal (cast with `?::tsquery`), nil when nothing was typed.
        let tsquery: String?

        init(_ raw: String) {
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" })
                .map { word in String(String.UnicodeScalarView(word.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })) }
                .map(SearchFold.fold)
                .filter(SearchText.hasTerms)
            let phrases = words.compactMap { word -> String? in
                let parts = SearchWords.tokens(word).map { PGSearchWords.quoted(PGSearchWords.normalized($0)) }
                guard !parts.isEmpty else { return nil }
                return "(" + parts.dropLast().map { $0 + " <-> " }.joined() + parts.last! + ":*)"
            }
            tsquery = phrases.isEmpty ? nil : phrases.joined(separator: " & ")
            findsNothing = !text.isEmpty && tsquery == nil
        }
    }

    /// `SearchWords.normalized` (as the tokenizer folds a word), at most
    /// 500 bytes (PostgreSQL refuses a word over 2 KB; a prefix that long
    /// still finds it).
    static func normalized(_ word: Substring) -> String {
        var folded = SearchWords.normalized(word)
        while folded.utf8.count > 500 { folded.removeLast() }
        return folded
    }

    /// A lexeme quoted for a tsvector/tsquery literal.
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
