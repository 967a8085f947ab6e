import CRMCore
import CRMRepositories
import Foundation

/// The ranks of a contact search (`ContactMatch.Rank`) as conditions on
/// `contacts c`. Each rank's rows exclude the better ranks', so the ranks
/// are disjoint and together are every contact the search finds:
///
/// - exact name and name prefix: ranges of `contacts.sort_key`. A name's key
///   is its primary letters, U+0001, the name (`NameSortKey`); the names that
///   begin with the query have keys that begin with the query's primary
///   letters, and among them the names that are the query have U+0001 next.
///   So both ranks are ranges of the sorted index `contacts_by_name`, read in
///   order like the whole list, whatever their size, and need no full-text
///   lookup at all;
/// - name words: the full-text match of every word in the name column,
///   minus those ranges;
/// - other fields: the full-text match minus its name-column match (one
///   FTS5 query: `Q NOT {name}: Q`), plus the phone numbers found, minus the
///   name ranges.
///
/// A file read at a schema older than 11 has no sort key: there the two
/// name ranges are empty and the ranks start with the name words.
struct RankedSearch {
    typealias Rank = ContactMatch.Rank

    let query: SearchQuery
    let hasSortKey: Bool
    let hasE164: Bool
    /// Sort keys of names equal to the query: [exactLow, exactHigh); of names
    /// beginning with it and longer: [exactHigh, prefixHigh).
    let exactLow: String
    let exactHigh: String
    let prefixHigh: String
    /// Set when a count found that the full-text index holds no contact for
    /// the query: the full-text parts of the ranks are then left out (they
    /// would find nothing, at the cost of a query each).
    var fullTextFindsNothing = false
    /// Set when the table of name words (schema 25, `NameWordsRank`) holds
    /// no word the query's word begins: no contact's name matches, so the
    /// other fields are the whole full-text match, with no name match to
    /// take out ("5": 17,000 contacts, one full-text query instead of two).
    var namesMatchNothing = false

    init(_ query: SearchQuery, hasSortKey: Bool, hasE164: Bool) {
        self.query = query
        self.hasSortKey = hasSortKey
        self.hasE164 = hasE164
        // Spaces as a name has them: one between words.
        let typed = query.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let primary = NameSortKey.primary(of: typed)
        exactLow = primary + "\u{1}"
        exactHigh = primary + "\u{2}"
        // Above every key that begins with `primary` (U+10FFFF never ends a name).
        prefixHigh = primary + "\u{10FFFF}"
    }

    /// Whether the name ranges can hold rows (a sort key, and letters to look for).
    var hasNameRanges: Bool { hasSortKey && !query.text.isEmpty }

    /// The FTS5 query for every word in the name column.
    var nameMatch: String? { fullTextFindsNothing ? nil : query.ftsMatch.map { "{name} : (\($0))" } }

    /// The name match to leave out of the other fields, when there is one.
    var nameExclusion: String? { namesMatchNothing ? nil : nameMatch }

    /// The rows of `rank`, as one condition on `c` (nil: the rank has no
    /// rows). `walk`: the full-text ids must not drive the query (see
    /// SQLiteContactRepository.list).
    func condition(_ rank: Rank, walk: Bool) -> (sql: String, values: [SQLBindable])? {
        switch rank {
        case .exactName:
            guard hasNameRanges else { return nil }
            return ("c.sort_key >= ? AND c.sort_key < ?", [exactLow, exactHigh])
        case .namePrefix:
            guard hasNameRanges else { return nil }
            return ("c.sort_key >= ? AND c.sort_key < ?", [exactHigh, prefixHigh])
        case .nameWords, .otherField:
            var sql: String
            var values: [SQLBindable]
            if walk, rank == .otherField, query.digits?.count == 2,
               let phones = SQLiteContactRepository.phoneRowTest(query, hasE164: hasE164) {
                // Two digits are in about one number in ten, evenly over the
                // names: walking the index, each contact's own numbers are
                // looked up (the index of contact_phones by contact holds
                // their ids), about ten a row shown, and none of the 10,000
                // numbers found is turned into its contact first. Longer
                // digit runs find fewer numbers, and a country's numbers
                // (`+49 171`) cluster in the name order, where this walk
                // would be long: those build the set of contacts instead.
                // Each number is tested as it is read (`phoneRowTest`).
                var parts: [String] = []
                values = []
                if let fts = ftsIDs(rank) {
                    parts.append("+c.id IN (\(fts.sql))")
                    values += fts.values
                }
                var phone = "EXISTS (SELECT 1 FROM contact_phones p WHERE p.contact_id = c.id AND \(phones.sql))"
                values += phones.values
                if let nameExclusion {
                    phone += " AND +c.id NOT IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)"
                    values.append(nameExclusion)
                }
                parts.append("(\(phone))")
                sql = "(" + parts.joined(separator: " OR ") + ")"
            } else {
                guard let ids = ids(rank) else { return nil }
                sql = "\(walk ? "+" : "")c.id IN (\(ids.sql))"
                values = ids.values
            }
            if let outside = outsideNameRanges {
                sql += " AND " + outside.sql
                values += outside.values
            }
            return (sql, values)
        }
    }

    /// The full-text part of `rank`: contact ids.
    func ftsIDs(_ rank: Rank) -> (sql: String, values: [SQLBindable])? {
        guard let nameMatch, let match = query.ftsMatch else { return nil }
        switch rank {
        case .exactName, .namePrefix: return nil
        case .nameWords:
            return namesMatchNothing ? nil : ("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?", [nameMatch])
        case .otherField:
            return ("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?", [namesMatchNothing ? match : "(\(match)) NOT \(nameMatch)"])
        }
    }

    /// Not in the two name ranges (a row without a sort key never is).
    var outsideNameRanges: (sql: String, values: [SQLBindable])? {
        guard hasNameRanges else { return nil }
        return ("(c.sort_key IS NULL OR c.sort_key < ? OR c.sort_key >= ?)", [exactLow, prefixHigh])
    }

    /// The ids (with repeats) of the contacts in the full-text or phone part
    /// of `rank`, before the name ranges are taken out.
    func ids(_ rank: Rank) -> (sql: String, values: [SQLBindable])? {
        var sources: [String] = []
        var values: [SQLBindable] = []
        if let fts = ftsIDs(rank) {
            sources.append(fts.sql)
            values += fts.values
        }
        if rank == .otherField, let phones = SQLiteContactRepository.phoneContactIDs(query, hasE164: hasE164) {
            var sql = phones.sql
            values += phones.values
            if let nameExclusion {
                sql = "SELECT * FROM (\(sql)) WHERE contact_id NOT IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)"
                values.append(nameExclusion)
            }
            sources.append(sql)
        }
        return sources.isEmpty ? nil : (sources.joined(separator: " UNION ALL "), values)
    }
}
