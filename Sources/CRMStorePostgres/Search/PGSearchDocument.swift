import CRMCore
import CRMRepositories
import Foundation

/// The stored search documents (`contact_search`, `company_search`) and the
/// queries against them, built in Swift so that they say exactly what
/// SQLite's FTS5 index says (schema part PGSchemaV30Search).
///
/// A document is a `tsvector` literal: every word of each column as FTS5
/// cuts and folds it (`SearchFold.indexed`, then `SearchWords`), with its
/// position. A column starts two positions after the previous one ended, so
/// a phrase (`o'brien`, a CJK run's bigrams) never spans two columns, as in
/// FTS5. The first column's words (a contact's or company's name) have weight
/// A: `'joh':*A` is FTS5's `{name} : "joh"*`.
///
/// A query is a `tsquery` literal of the same words (`SearchQuery.words`):
/// each typed word one phrase of its tokens, the last one a prefix (FTS5's
/// `"o brien"*`); a CJK run of two or more characters is the phrase of its
/// bigrams, one character that token (`SearchQuery.wordMatch`).
enum PGSearchDocument {
    /// PostgreSQL keeps positions up to 16,383 (later words keep that one).
    static let maxPosition = 16_383
    /// PostgreSQL refuses a lexeme of 2 KB or more: such a "word" (a run of
    /// letters with no space) is left out of the document.
    static let maxLexemeBytes = 2_000

    /// The `tsvector` literal of `columns` (the first one weighted A).
    static func vector(_ columns: [String]) -> String {
        var positions: [String: [String]] = [:]
        var order: [String] = []
        var position = 0
        for (column, text) in columns.enumerated() {
            if column > 0 { position += 1 }  // the gap between columns
            for token in SearchWords.tokens(SearchFold.indexed(text)) {
                position += 1
                let word = SearchWords.normalized(token)
                guard word.utf8.count < maxLexemeBytes else { continue }
                let label = "\(min(position, maxPosition))\(column == 0 ? "A" : "")"
                if positions[word] == nil { order.append(word) }
                positions[word, default: []].append(label)
            }
        }
        return order.map { "\(quoted($0)):\(positions[$0]!.prefix(256).joined(separator: ","))" }.joined(separator: " ")
    }

    /// The `tsquery` literal: every word of `query` (AND), in the name only
    /// when `nameOnly`; nil when the query has no words.
    static func query(_ query: SearchQuery, nameOnly: Bool = false) -> String? {
        self.query(query, weight: nameOnly ? "A" : "")
    }

    /// The same, every word in the words of `weight` ("" for any weight).
    static func query(_ query: SearchQuery, weight: String) -> String? {
        let terms = query.words.compactMap { word -> String? in
            var parts: [String] = []
            for segment in SearchFold.cjkSegments(word.unicodeScalars) {
                let text = String(String.UnicodeScalarView(segment.scalars))
                if !segment.cjk {
                    let tokens = SearchWords.tokens(text).map(SearchWords.normalized)
                    guard !tokens.isEmpty else { continue }
                    parts.append(phrase(tokens.enumerated().map { i, token in
                        let label = (i == tokens.count - 1 ? "*" : "") + weight
                        return label.isEmpty ? quoted(token) : "\(quoted(token)):\(label)"
                    }))
                } else if segment.scalars.count == 1 {
                    parts.append(term(text, weight))
                } else {
                    let chars = segment.scalars
                    parts.append(phrase((0..<(chars.count - 1)).map {
                        term(String(String.UnicodeScalarView([chars[$0], chars[$0 + 1]])), weight)
                    }))
                }
            }
            return parts.isEmpty ? nil : parts.joined(separator: " & ")
        }
        return terms.isEmpty ? nil : terms.joined(separator: " & ")
    }

    private static func term(_ lexeme: String, _ weight: String) -> String {
        weight.isEmpty ? quoted(lexeme) : "\(quoted(lexeme)):\(weight)"
    }

    private static func phrase(_ terms: [String]) -> String {
        terms.count == 1 ? terms[0] : "(" + terms.joined(separator: " <-> ") + ")"
    }

    /// A lexeme in a tsvector/tsquery literal: in quotes, `'` and `\` escaped.
    static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    // MARK: keeping the documents right

    /// Rewrites the documents of `ids` from what the contacts hold now: the
    /// name, the company's name, the emails, and title, source, notes and
    /// tags (SQLite's `contact_search_text`). Every write that changes one of
    /// them calls this in its transaction. Up to 500 contacts are read in one
    /// statement and written in one (a rebuild of 100,000 documents is 400
    /// round trips, and the triggers on the documents run once a batch).
    static func refreshContacts(_ c: PGConnection, ids: [Int64]) throws {
        for batch in batches(ids) {
            let rows = try c.rows("""
                SELECT c.id, c.name, coalesce(co.name, ''),
                       coalesce((SELECT string_agg(email, ' ' ORDER BY position, id) FROM contact_emails e WHERE e.contact_id = c.id), ''),
                       c.title || ' ' || c.source || ' ' || c.notes || ' ' ||
                       coalesce((SELECT string_agg(t.name, ' ' ORDER BY t.name COLLATE "C") FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                                 WHERE ct.contact_id = c.id), '')
                FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ANY(?::bigint[]) ORDER BY c.id
                """, [PGArrayLiteral.integers(batch)]) { ($0.int64(0), vector([$0.string(1), $0.string(2), $0.string(3), $0.string(4)])) }
            try write("contact_search", "contact_id", rows, c)
        }
    }

    /// The same for companies: name, domain, notes (`company_fts`).
    static func refreshCompanies(_ c: PGConnection, ids: [Int64]) throws {
        for batch in batches(ids) {
            let rows = try c.rows("SELECT id, name, domain, notes FROM companies WHERE id = ANY(?::bigint[]) ORDER BY id",
                                  [PGArrayLiteral.integers(batch)]) { ($0.int64(0), vector([$0.string(1), $0.string(2), $0.string(3)])) }
            try write("company_search", "company_id", rows, c)
        }
    }

    /// `ids` once each, in order, 500 at a time.
    private static func batches(_ ids: [Int64]) -> [[Int64]] {
        let sorted = Set(ids).sorted()
        return stride(from: 0, to: sorted.count, by: 500).map { Array(sorted[$0..<min($0 + 500, sorted.count)]) }
    }

    /// Upserts the documents `rows` (id, tsvector literal) into `table`
    /// keyed by `key` (our own constant names, never input), both lists
    /// bound as one array each.
    private static func write(_ table: String, _ key: String, _ rows: [(Int64, String)], _ c: PGConnection) throws {
        guard !rows.isEmpty else { return }
        try c.run("""
            INSERT INTO \(table)(\(key), words)
            SELECT v.id, v.words::tsvector FROM unnest(?::bigint[], ?::text[]) AS v(id, words)
            ON CONFLICT (\(key)) DO UPDATE SET words = EXCLUDED.words
            """, [PGArrayLiteral.integers(rows.map(\.0)), PGArrayLiteral.texts(rows.map(\.1))])
    }
}

extension PostgresDatabase {
    /// Rebuilds every stored search document (after a bulk load that wrote
    /// contacts or companies without the repositories, e.g. a move from SQLite).
    public func rebuildSearchDocuments() throws {
        try transaction {
            let contacts = try connection.rows("SELECT id FROM contacts ORDER BY id") { $0.int64(0) }
            try PGSearchDocument.refreshContacts(connection, ids: contacts)
            let companies = try connection.rows("SELECT id FROM companies ORDER BY id") { $0.int64(0) }
            try PGSearchDocument.refreshCompanies(connection, ids: companies)
        }
    }
}
