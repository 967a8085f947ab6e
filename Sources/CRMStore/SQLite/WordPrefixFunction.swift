import CRMRepositories
import CSQLite
import Foundation

/// `crm_word_prefixes(words, text, ...)`: 1 when every word of `words`
/// (separated by spaces) begins a word of one of the texts, else 0, with the
/// words and the texts cut into words and compared as `interaction_fts`'s
/// tokenizer does (unicode61, remove_diacritics 2: letters, digits and
/// private-use characters make words; case and accents do not count).
///
/// Why: `interaction_fts` has prefix indexes up to four characters (schema
/// 30). A longer word typed ("meeting") would make FTS5 merge the lists of
/// every word it begins, all of them, before the first row comes out (a
/// scan of millions of entries for a common word). The search asks the index
/// for its first four characters instead, which come out newest first one by
/// one, and this function checks the whole word on the rows read, a page's
/// worth (see SQLiteInteractionRepository.timeline).
///
/// Deterministic and innocuous; registered on every connection (Connection.init).
enum WordPrefixFunction {
    static func register(on db: OpaquePointer) -> Int32 {
        sqlite3_create_function_v2(
            db, "crm_word_prefixes", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nil,
            { context, count, arguments in
                guard count >= 1, let arguments else { return }
                let words = (WordPrefixFunction.text(arguments[0]) ?? "").split(separator: " ").map(WordPrefixFunction.normalized)
                var texts: [String] = []
                for i in 1..<Int(count) { if let t = WordPrefixFunction.text(arguments[i]) { texts.append(t) } }
                sqlite3_result_int(context, WordPrefixFunction.matches(words: words, in: texts) ? 1 : 0)
            },
            nil, nil, nil)
    }

    static func text(_ value: OpaquePointer?) -> String? {
        guard let value, sqlite3_value_type(value) != SQLITE_NULL, let chars = sqlite3_value_text(value) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: chars, count: Int(sqlite3_value_bytes(value))), as: UTF8.self)
    }

    /// Whether every word (already `normalized`) begins a word of `texts`.
    static func matches(words: [String], in texts: [String]) -> Bool {
        var missing = Set(words.filter { !$0.isEmpty })
        guard !missing.isEmpty else { return true }
        for text in texts {
            for token in tokens(text) {
                let folded = normalized(token)
                missing = missing.filter { !folded.hasPrefix($0) }
                if missing.isEmpty { return true }
            }
        }
        return false
    }

    // The tokenizer lives in CRMRepositories (`SearchWords`): the PostgreSQL
    // engine builds its search documents with the same one.
    static func tokens(_ text: String) -> [Substring] { SearchWords.tokens(text) }
    static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool { SearchWords.isTokenScalar(scalar) }
    static func normalized(_ word: Substring) -> String { SearchWords.normalized(word) }
}
