import CRMCore
import CRMRepositories
import Foundation

/// The full-text ranks of a contact search (name words, other fields) read
/// from the search documents alone (`contact_search s`, schema 34: each
/// document carries its contact's `sort_key` and whether it is `live`), when
/// the list is sorted by name and no other filter needs the contacts' columns.
///
/// Each rank is one or two disjoint "arms", each a set of documents, so a
/// page is `arm UNION ALL arm ORDER BY sort_key LIMIT n` and PostgreSQL can
/// pick per arm: a rank with many hits ("a": 80,000 documents) walks
/// `contact_search_by_name` in list order, testing each row's words in the
/// same row, and stops when the page is full; one with few asks the GIN
/// index and sorts its hits (no join to `contacts` either way). A count adds
/// the arms' counts, each stopping at the count's limit.
///
/// The arms are exactly the rows `PGContactRepository.Search.condition`
/// gives for the rank (every contact has its document; the triggers of
/// schema 34 keep `sort_key` and `live` equal to the contact's):
/// - name words: every word in the name, outside the two name ranges;
/// - other fields: every word anywhere but not all in the name; and, for a
///   digit query, a phone number's contacts that the words do not find
///   already (so the arms never share a row).
struct PGContactDocumentRanks {
    typealias Rank = ContactMatch.Rank
    typealias Arm = (sql: String, values: [any PGBindable])

    let search: PGContactRepository.Search
    /// The name words read from `contact_name_words` (schema 39) when every
    /// typed word is a prefix of one word; else from the documents.
    let nameWords: PGNameWordsRank?

    init(search: PGContactRepository.Search) {
        self.search = search
        nameWords = PGNameWordsRank(search)
    }

    /// The documents of one rank, as conditions on `s`; empty when the rank
    /// is not read here (the name ranges) or can hold no row.
    func arms(_ rank: Rank) -> [Arm] {
        let outside: Arm = ("(s.sort_key IS NULL OR s.sort_key < ? OR s.sort_key >= ?)", [search.exactLow, search.prefixHigh])
        switch rank {
        case .exactName, .namePrefix:
            return []
        case .nameWords:
            guard let inName = search.inName else { return [] }
            return [("s.live AND s.words @@ ?::tsquery AND \(outside.sql)", [inName] + outside.values)]
        case .otherField:
            var arms: [Arm] = []
            var notInName = ""
            var notInNameValues: [any PGBindable] = []
            if let inName = search.inName {
                notInName = " AND NOT s.words @@ ?::tsquery"
                notInNameValues = [inName]
            }
            if let anyField = search.anyField {
                arms.append(("s.live AND s.words @@ ?::tsquery\(notInName) AND \(outside.sql)",
                             [anyField] + notInNameValues + outside.values))
            }
            if let phone = search.phone {
                var sql = "s.live AND \(phoneTest(phone))"
                var values = phone.values
                if let anyField = search.anyField {
                    sql += " AND NOT s.words @@ ?::tsquery"
                    values.append(anyField)
                }
                arms.append((sql + notInName + " AND " + outside.sql, values + notInNameValues + outside.values))
            }
            return arms
        }
    }

    /// A document whose contact has a number the query finds. Two digits
    /// are in about one number in ten and no trigram index can look them up
    /// (a trigram is three): each contact's own numbers are looked up as the
    /// walk reaches it (a subquery per row, which PostgreSQL never turns into
    /// a join), as SQLite's walk does. Longer runs ask the trigram indexes
    /// once for every number they find.
    private func phoneTest(_ phone: (sql: String, values: [any PGBindable])) -> String {
        if search.query.digits?.count == 2 {
            return "coalesce((SELECT true FROM contact_phones p WHERE p.contact_id = s.contact_id AND \(phone.sql) LIMIT 1), false)"
        }
        return "s.contact_id IN (SELECT p.contact_id FROM contact_phones p WHERE \(phone.sql))"
    }

    /// The ids (column `id`) of one page of `rank`, in the order read, after
    /// `cursor` (its sort key and id); nil when the rank holds no row.
    func page(_ rank: Rank, cursor: (key: String, id: Int64)?, ascending: Bool, limit: Int, _ c: PGConnection) throws -> Arm? {
        if rank == .nameWords, let nameWords {
            return try nameWords.page(cursor: cursor, ascending: ascending, limit: limit, c)
        }
        let arms = arms(rank)
        guard !arms.isEmpty else { return nil }
        let order = ascending ? "ASC" : "DESC"
        var values: [any PGBindable] = []
        let selects = arms.map { arm -> String in
            var sql = "SELECT s.contact_id AS id, s.sort_key FROM contact_search s WHERE \(arm.sql)"
            values += arm.values
            if let cursor {
                // The bound on the key alone lets each arm seek in the index.
                sql += " AND s.sort_key \(ascending ? ">=" : "<=") ? AND (s.sort_key, s.contact_id) \(ascending ? ">" : "<") (?, ?::bigint)"
                values += [cursor.key, cursor.key, cursor.id]
            }
            return sql
        }
        values.append(limit)
        if selects.count == 1 {
            return (selects[0] + " ORDER BY s.sort_key \(order), s.contact_id \(order) LIMIT ?::bigint", values)
        }
        return ("SELECT id FROM (\(selects.joined(separator: " UNION ALL "))) arms ORDER BY sort_key \(order), id \(order) LIMIT ?::bigint",
                values)
    }

    /// The rows of `rank` before `cursor` in name order (all of them
    /// without one), as counting SELECTs of one row each, one per arm.
    func counted(_ rank: Rank, before cursor: (key: String, id: Int64)?) -> [Arm] {
        if rank == .nameWords, let nameWords { return [nameWords.counted(before: cursor)] }
        return arms(rank).map { arm in
            guard let cursor else { return ("SELECT 1 FROM contact_search s WHERE \(arm.sql)", arm.values) }
            return ("SELECT 1 FROM contact_search s WHERE \(arm.sql) AND s.sort_key <= ? AND (s.sort_key, s.contact_id) < (?, ?::bigint)",
                    arm.values + [cursor.key, cursor.key, cursor.id])
        }
    }
}
