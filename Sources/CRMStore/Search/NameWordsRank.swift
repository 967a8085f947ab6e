import CRMCore
import CRMRepositories
import Foundation

/// The "name words" rank of a one-word search (`ContactMatch.Rank.nameWords`)
/// read from `contact_name_words` (schema 25) in name order, when the list
/// is sorted by name and no other filter needs the table's columns.
///
/// The full-text index finds a word's contacts in id order: a page of the
/// rank looked each one up for its sort key and sorted them all ("joh": the
/// 2,224 Johnsons, 2.9 ms). Here the contacts of one name word are a range
/// of the table's key (word, sort_key, contact_id), already in list order,
/// so a page of "joh" is the first rows of each word beginning with "joh"
/// ("johnson", "johnston", …) merged: a few index seeks and `limit` rows
/// read, whatever the number found. The words come from the tokenizer the
/// contact index uses (`crm_fts_words`), so the rows are exactly those of
/// `{name} : "joh"*` there, which counts and "row N of M" still read.
///
/// A query of several words, a word the tokenizer cuts in two (`o'brien`)
/// or with CJK characters (a phrase of bigrams, not a prefix), and a prefix
/// shared by more than `maxWords` different words ("a" in a large file)
/// are read as before (`make` returns nil).
struct NameWordsRank {
    /// Up to how many different name words a prefix may have here: one
    /// merged range each. More, and the rank is read as before: its hits are
    /// sorted or, when dense, the name index is walked.
    static let maxWords = 24

    /// The different name words that begin with the query's word, in order.
    let words: [String]
    /// The sort keys of the name ranges (exact name and name prefix), which
    /// the rank leaves out: [low, high).
    let excludedLow: String
    let excludedHigh: String

    /// The rank of `ranked` read from the table, or nil when it is read as before.
    static func make(_ ranked: RankedSearch, _ c: Connection) throws -> NameWordsRank? {
        guard ranked.hasNameRanges, ranked.query.words.count == 1, let word = ranked.query.words.first,
              !word.unicodeScalars.contains(where: SearchFold.isCJK) else { return nil }
        // The token FTS5 makes of the word (`"joh"*` in the index's terms).
        let tokens = try c.rows("SELECT value FROM json_each(crm_fts_words(?))", [word]) { $0.string(0) }
        guard tokens.count == 1, let token = tokens.first else { return nil }
        // The different words of the range, one index seek each, up to one
        // more than are merged.
        let words = try c.rows("""
            WITH RECURSIVE next(word) AS (
                SELECT (SELECT min(word) FROM contact_name_words WHERE word >= ?1 AND word < ?2)
                UNION ALL
                SELECT (SELECT min(word) FROM contact_name_words WHERE word > next.word AND word < ?2)
                FROM next WHERE next.word IS NOT NULL
            )
            SELECT word FROM next WHERE word IS NOT NULL LIMIT ?3
            """, [token, token + "\u{10FFFF}", maxWords + 1]) { $0.string(0) }
        guard words.count <= maxWords else { return nil }
        return NameWordsRank(words: words, excludedLow: ranked.exactLow, excludedHigh: ranked.prefixHigh)
    }

    /// The ids of one page of the rank (column `id`, with `sort_key`), in the
    /// order read, after the row `cursor` (its sort key and id) when given.
    /// Each word's rows are a range of the key read in order; UNION merges
    /// them in order (one contact with two such words once) and stops at
    /// `limit`.
    func page(ascending: Bool, cursor: (key: SQLValue, id: Int64)?, limit: Int) -> (sql: String, values: [SQLBindable]) {
        guard !words.isEmpty else { return ("SELECT NULL AS sort_key, NULL AS id WHERE 0", []) }
        var arm = "SELECT sort_key, contact_id AS id FROM contact_name_words WHERE word = ? AND NOT (sort_key >= ? AND sort_key < ?)"
        var armValues: [SQLBindable] = [excludedLow, excludedHigh]
        if let cursor {
            // The bound on the key alone lets SQLite seek in the range.
            arm += " AND sort_key \(ascending ? ">=" : "<=") ? AND (sort_key, contact_id) \(ascending ? ">" : "<") (?, ?)"
            armValues += [cursor.key, cursor.key, cursor.id]
        }
        var values: [SQLBindable] = []
        for word in words { values += [word] + armValues }
        let order = ascending ? "ASC" : "DESC"
        values.append(limit)
        let sql = Array(repeating: arm, count: words.count).joined(separator: "\nUNION\n")
            + "\nORDER BY sort_key \(order), id \(order) LIMIT ?"
        return (sql, values)
    }
}
