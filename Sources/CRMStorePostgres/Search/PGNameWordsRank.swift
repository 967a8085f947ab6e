import CRMCore
import CRMRepositories
import Foundation

/// The "name words" rank of a contact search (every typed word begins a
/// word of the name, outside the two name ranges) read from
/// `contact_name_words` (schema 39) instead of the documents' GIN index,
/// which keeps no weights: `'a':*A` read every document with an "a" word
/// anywhere to test its name words.
///
/// Each typed word is one prefix here, so the rank is: the rows of the first
/// word's range (one per contact: `previous` below the prefix, see
/// PGSchemaV39ContactNameWords) whose contact has a name word in each other
/// word's range (`contact_name_words_by_contact`). The rows are exactly those
/// of `PGSearchDocument.query(nameOnly:)` on the document, which holds the
/// same name words: a word the tokenizer cuts in two (`o'brien`, a phrase)
/// or a CJK run (bigrams) is not a prefix, and such a search is read from the
/// documents as before (`init` gives nil).
///
/// A page is read one of three ways, by how many rows the range holds:
/// - a prefix of a few different words ("joh": johnson, johnston, …): each
///   word's rows are a range of the key already in name order; the page
///   takes the first `limit` of each and sorts those;
/// - a prefix of many words but few rows: the whole range, sorted;
/// - a prefix of most names ("a"): the live documents walked in name order
///   (`contact_search_by_name`), each contact's words looked up in
///   `contact_name_words_by_contact` until the page is full.
/// A count is an index-only walk of the first word's range, stopping at its limit.
struct PGNameWordsRank {
    typealias Arm = (sql: String, values: [any PGBindable])

    /// Up to how many different words a prefix is read word by word.
    static let maxWords = 24
    /// Up to how many rows of its range a prefix is read whole and sorted
    /// (sorting 5,000 costs about what walking the names for a page of a
    /// prefix that dense costs).
    var sparseRows = 5_000

    /// The typed words' tokens, as prefixes of name words; the longest
    /// (likely the fewest rows) first, to drive.
    let prefixes: [String]
    /// The name ranges the rank leaves out: [exactLow, prefixHigh).
    let exactLow: String
    let prefixHigh: String

    init?(_ search: PGContactRepository.Search) {
        guard let prefixes = Self.prefixes(search.query) else { return nil }
        self.prefixes = prefixes.enumerated().sorted { ($0.element.utf8.count, -$0.offset) > ($1.element.utf8.count, -$1.offset) }
            .map(\.element)
        exactLow = search.exactLow
        prefixHigh = search.prefixHigh
    }

    /// Each typed word as the one token the document holds for it (as
    /// `PGSearchDocument.query` cuts it); nil when one is not a single
    /// token outside CJK, or there is none.
    static func prefixes(_ query: SearchQuery) -> [String]? {
        var prefixes: [String] = []
        for word in query.words {
            let segments = SearchFold.cjkSegments(word.unicodeScalars)
            var tokens: [String] = []
            for segment in segments {
                guard !segment.cjk else { return nil }
                tokens += SearchWords.tokens(String(String.UnicodeScalarView(segment.scalars))).map(SearchWords.normalized)
            }
            guard tokens.count <= 1 else { return nil }
            // A word with no letter or digit asks nothing (as in the tsquery).
            if let token = tokens.first {
                guard token.utf8.count < PGSearchDocument.maxLexemeBytes else { return nil }
                prefixes.append(token)
            }
        }
        return prefixes.isEmpty ? nil : prefixes
    }

    /// Above every word that begins with `prefix` (byte order: `COLLATE "C"`).
    static func high(_ prefix: String) -> String { prefix + "\u{10FFFF}" }

    private var driver: String { prefixes[0] }

    /// Outside the name ranges, and a name word in each other prefix's
    /// range, for the row `alias` (which has `contact_id` and `sort_key`).
    private func besideDriver(_ alias: String) -> Arm {
        var sql = "(\(alias).sort_key < ? OR \(alias).sort_key >= ?)"
        var values: [any PGBindable] = [exactLow, prefixHigh]
        for prefix in prefixes.dropFirst() {
            sql += " AND EXISTS (SELECT 1 FROM contact_name_words o WHERE o.contact_id = \(alias).contact_id AND o.word >= ? AND o.word < ?)"
            values += [prefix, Self.high(prefix)]
        }
        return (sql, values)
    }

    /// The cursor's bound on `alias`, in the direction read.
    private func after(_ alias: String, _ cursor: (key: String, id: Int64)?, ascending: Bool) -> Arm {
        guard let cursor else { return ("", []) }
        // The bound on the key alone lets each scan seek in its index.
        return (" AND \(alias).sort_key \(ascending ? ">=" : "<=") ? AND (\(alias).sort_key, \(alias).contact_id) \(ascending ? ">" : "<") (?, ?::bigint)",
                [cursor.key, cursor.key, cursor.id])
    }

    /// The rows of the driving prefix's range, one per contact, that are in the rank.
    private func rangeRows(_ cursor: (key: String, id: Int64)?, ascending: Bool) -> Arm {
        let beside = besideDriver("w")
        let bound = after("w", cursor, ascending: ascending)
        return ("""
            SELECT w.contact_id AS id, w.sort_key FROM contact_name_words w
            WHERE w.word >= ? AND w.word < ? AND (w.previous IS NULL OR w.previous < ?) AND \(beside.sql)\(bound.sql)
            """, [driver, Self.high(driver), driver] + beside.values + bound.values)
    }

    /// The ids (column `id`, with `sort_key`) of one page of the rank after
    /// `cursor`, in the order read; asks how the range is best read first.
    func page(cursor: (key: String, id: Int64)?, ascending: Bool, limit: Int, _ c: PGConnection) throws -> Arm {
        let order = ascending ? "ASC" : "DESC"
        let words = try differentWords(c)
        if words.count <= Self.maxWords {
            guard !words.isEmpty else { return ("SELECT NULL::bigint AS id, NULL::text AS sort_key WHERE false", []) }
            let beside = besideDriver("w")
            let bound = after("w", cursor, ascending: ascending)
            var values: [any PGBindable] = []
            let arms = words.map { word -> String in
                values += [word, driver] + beside.values + bound.values + [limit]
                return """
                    (SELECT w.contact_id AS id, w.sort_key FROM contact_name_words w
                     WHERE w.word = ? AND (w.previous IS NULL OR w.previous < ?) AND \(beside.sql)\(bound.sql)
                     ORDER BY w.sort_key \(order), w.contact_id \(order) LIMIT ?::bigint)
                    """
            }
            return ("SELECT id, sort_key FROM (\(arms.joined(separator: " UNION ALL "))) arms ORDER BY sort_key \(order), id \(order) LIMIT ?::bigint",
                    values + [limit])
        }
        let range = rangeRows(cursor, ascending: ascending)
        let rows = try c.integer("SELECT count(*) FROM (SELECT 1 FROM contact_name_words w WHERE w.word >= ? AND w.word < ? LIMIT ?::bigint) n",
                                 [driver, Self.high(driver), sparseRows + 1]) ?? 0
        if rows <= sparseRows {
            return (range.sql + " ORDER BY w.sort_key \(order), w.contact_id \(order) LIMIT ?::bigint", range.values + [limit])
        }
        // Most names: walk them in order, looking each one's words up.
        var sql = "SELECT s.contact_id AS id, s.sort_key FROM contact_search s WHERE s.live AND s.sort_key IS NOT NULL"
        var values: [any PGBindable] = []
        for prefix in prefixes {
            sql += " AND EXISTS (SELECT 1 FROM contact_name_words o WHERE o.contact_id = s.contact_id AND o.word >= ? AND o.word < ?)"
            values += [prefix, Self.high(prefix)]
        }
        sql += " AND (s.sort_key < ? OR s.sort_key >= ?)"
        values += [exactLow, prefixHigh]
        let bound = after("s", cursor, ascending: ascending)
        return (sql + bound.sql + " ORDER BY s.sort_key \(order), s.contact_id \(order) LIMIT ?::bigint", values + bound.values + [limit])
    }

    /// The rank's rows before `cursor` in name order (all without one), one
    /// row per contact, for counting.
    func counted(before cursor: (key: String, id: Int64)?) -> Arm {
        let range = rangeRows(nil, ascending: true)
        guard let cursor else { return range }
        return (range.sql + " AND w.sort_key <= ? AND (w.sort_key, w.contact_id) < (?, ?::bigint)", range.values + [cursor.key, cursor.key, cursor.id])
    }

    /// The different words that begin with the driving prefix, one index
    /// seek each, up to one more than are read word by word.
    private func differentWords(_ c: PGConnection) throws -> [String] {
        try c.rows("""
            WITH RECURSIVE next(word) AS (
                SELECT (SELECT min(word) FROM contact_name_words WHERE word >= ? AND word < ?)
                UNION ALL
                SELECT (SELECT min(w.word) FROM contact_name_words w WHERE w.word > next.word AND w.word < ?)
                FROM next WHERE next.word IS NOT NULL
            )
            SELECT word FROM next WHERE word IS NOT NULL LIMIT ?::bigint
            """, [driver, Self.high(driver), Self.high(driver), Self.maxWords + 1]) { $0.string(0) }
    }
}
