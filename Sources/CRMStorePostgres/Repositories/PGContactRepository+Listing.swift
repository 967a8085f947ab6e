import CRMCore
import CRMRepositories
import Foundation

/// The contact list and its search on PostgreSQL, with SQLite's order and
/// paging (SQLiteContactRepository+Listing): a search lists its ranks
/// (`ContactMatch.Rank`) one after the other, each in the sort's order, and
/// a cursor carries the rank of its row, so every page is a keyset range of
/// one rank, never an OFFSET.
///
/// The ranks as conditions on `contacts c` (disjoint, as on SQLite):
/// - exact name and name prefix: ranges of `sort_key` (the same
///   `NameSortKey` values, compared byte-wise: `COLLATE "C"`);
/// - name words: the stored document's name words (`'joh':*A`), outside
///   those ranges;
/// - other fields: every word anywhere but not all in the name, or the digits
///   in one of its phone numbers (pg_trgm), outside the name ranges.
extension PGContactRepository {
    typealias Rank = ContactMatch.Rank
    typealias Conditions = (sql: [String], values: [any PGBindable])

    /// What a search asks, as SQL pieces over `contacts c`.
    struct Search {
        let query: SearchQuery
        /// `tsquery` literals: every word anywhere; every word in the name.
        let anyField: String?
        let inName: String?
        /// The phone numbers `p` it finds, as a test of one row.
        let phone: (sql: String, values: [any PGBindable])?
        /// Sort keys of names equal to the query: [exactLow, exactHigh); of
        /// names beginning with it: [exactHigh, prefixHigh) (RankedSearch).
        let exactLow: String, exactHigh: String, prefixHigh: String

        init(_ query: SearchQuery) {
            self.query = query
            anyField = PGSearchDocument.query(query)
            inName = PGSearchDocument.query(query, nameOnly: true)
            phone = Self.phoneTest(query)
            let typed = query.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let primary = NameSortKey.primary(of: typed)
            exactLow = primary + "\u{1}"
            exactHigh = primary + "\u{2}"
            prefixHigh = primary + "\u{10FFFF}"
        }

        func words(_ tsquery: String) -> String {
            "c.id IN (SELECT contact_id FROM contact_search WHERE words @@ ?::tsquery)"
        }

        var outsideNameRanges: (String, [any PGBindable]) {
            ("(c.sort_key IS NULL OR c.sort_key < ? OR c.sort_key >= ?)", [exactLow, prefixHigh])
        }

        /// Every contact the search finds, any rank: one set of ids that the
        /// indexes give (the name range, the words, the phone numbers), so a
        /// count reads the hits, not every contact.
        var any: (String, [any PGBindable]) {
            var parts = ["SELECT id FROM contacts WHERE deleted_at IS NULL AND sort_key >= ? AND sort_key < ?"]
            var values: [any PGBindable] = [exactLow, prefixHigh]
            if let anyField {
                parts.append("SELECT contact_id FROM contact_search WHERE words @@ ?::tsquery")
                values.append(anyField)
            }
            if let phone {
                parts.append("SELECT p.contact_id FROM contact_phones p WHERE \(phone.sql)")
                values += phone.values
            }
            return ("c.id IN (" + parts.joined(separator: " UNION ALL ") + ")", values)
        }

        /// The rows of one rank (nil: it can hold none).
        func condition(_ rank: Rank) -> (String, [any PGBindable])? {
            switch rank {
            case .exactName: return ("c.sort_key >= ? AND c.sort_key < ?", [exactLow, exactHigh])
            case .namePrefix: return ("c.sort_key >= ? AND c.sort_key < ?", [exactHigh, prefixHigh])
            case .nameWords:
                guard let inName else { return nil }
                let outside = outsideNameRanges
                return ("\(words(inName)) AND \(outside.0)", [inName] + outside.1)
            case .otherField:
                // Every word anywhere but not all in the name, or a phone
                // number of a contact whose name does not match: one set of
                // ids from the indexes (an OR of tests would test every contact).
                var parts: [String] = []
                var values: [any PGBindable] = []
                if let anyField {
                    parts.append("SELECT s.contact_id FROM contact_search s WHERE s.words @@ ?::tsquery"
                                 + (inName == nil ? "" : " AND NOT s.words @@ ?::tsquery"))
                    values.append(anyField)
                    if let inName { values.append(inName) }
                }
                if let phone {
                    var sql = "SELECT p.contact_id FROM contact_phones p WHERE \(phone.sql)"
                    values += phone.values
                    if let inName {
                        sql += " AND NOT EXISTS (SELECT 1 FROM contact_search s WHERE s.contact_id = p.contact_id AND s.words @@ ?::tsquery)"
                        values.append(inName)
                    }
                    parts.append(sql)
                }
                guard !parts.isEmpty else { return nil }
                let outside = outsideNameRanges
                return ("c.id IN (" + parts.joined(separator: " UNION ALL ") + ") AND \(outside.0)", values + outside.1)
            }
        }

        /// SQLiteContactRepository.phoneRowTest: the numbers a digit query
        /// finds, as a test of one row `p` of contact_phones. A run of digits
        /// anywhere in the number (`LIKE '%…%'`, on the pg_trgm indexes),
        /// a number typed with its country at the start of the international
        /// form, a national number with the trunk prefix likewise.
        static func phoneTest(_ query: SearchQuery) -> (sql: String, values: [any PGBindable])? {
            guard query.phoneMatch != nil, let digits = query.digits else { return nil }
            // Digits only: no LIKE wildcard can come from the query.
            let inDigits = "(length(p.digits) >= 3 AND p.digits LIKE ?)"
            func starting(_ prefix: String) -> (String, [any PGBindable]) { ("(p.e164 LIKE ?)", [prefix + "%"]) }
            if let international = query.internationalE164 {
                let (sql, values) = starting(international)
                return (sql, values)
            }
            var tests: [String]
            var values: [any PGBindable]
            if query.isWholeNationalNumber {
                (tests, values) = (["(\(inDigits) AND (p.e164 IS NULL OR p.e164 <> p.digits))"], ["%\(digits)%"])
            } else if digits.count >= 3 {
                (tests, values) = ([inDigits, "(length(p.e164) >= 3 AND p.e164 LIKE ?)"], ["%\(digits)%", "%\(digits)%"])
            } else {
                (tests, values) = ([inDigits], ["%\(digits)%"])
            }
            if let national = query.nationalE164 {
                let (sql, more) = starting(national)
                tests.append(sql)
                values += more
            }
            return ("(" + tests.joined(separator: " OR ") + ")", values)
        }
    }

    /// `text` as a search, when it searches for something.
    func search(_ text: String) -> Search? {
        let query = SearchQuery(text, region: db.phoneRegion)
        return query.scope == .terms ? Search(query) : nil
    }

    /// The conditions of every filter but the search text.
    func conditionsBesideText(_ filter: ContactFilter) -> Conditions {
        var sql = ["c.deleted_at IS NULL"]
        var values: [any PGBindable] = []
        if let owner = filter.ownerID { sql.append("c.owner_id = ?::bigint"); values.append(owner) }
        if let lifecycle = filter.lifecycle { sql.append("c.lifecycle = ?"); values.append(lifecycle.rawValue) }
        if let company = filter.companyID { sql.append("c.company_id = ?::bigint"); values.append(company) }
        if let tier = filter.tier { sql.append("c.value_tier = ?"); values.append(tier.rawValue) }
        if let tag = filter.tag {
            // The tag's name without case, its accents composed, as SQLite's crm_tag_key.
            sql.append("c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE lower(t.name) = lower(?))")
            values.append(TagName.stored(tag))
        }
        return (sql, values)
    }

    /// Every condition of `filter`, its text as any rank.
    func conditions(_ filter: ContactFilter) -> Conditions {
        var (sql, values) = conditionsBesideText(filter)
        switch SearchQuery(filter.text, region: db.phoneRegion).scope {
        case .everything: break
        case .nothing: sql.append("false")
        case .terms:
            let hit = Search(SearchQuery(filter.text, region: db.phoneRegion)).any
            sql.append(hit.0)
            values += hit.1
        }
        return (sql, values)
    }

    /// The sort key of a listing and whether it runs ascending: name A → Z;
    /// last interaction and created newest first.
    func sortKey(_ sort: ContactSort) -> (key: String, ascending: Bool) {
        switch sort {
        case .name: ("c.sort_key", true)
        case .lastInteraction: ("coalesce(c.last_interaction_at, 0)", false)
        case .created: ("c.created_at", false)
        }
    }

    /// A cursor's key as a placeholder and its value.
    func value(_ key: ContactCursor.Key) -> (placeholder: String, value: any PGBindable) {
        switch key {
        case .text(let text): ("?", text)
        case .seconds(let seconds): ("?::bigint", seconds)
        }
    }

    // MARK: pages

    public func list(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor?, direction: PageDirection, limit: Int) throws -> [ContactSummary] {
        guard let search = search(filter.text) else {
            let rows = try page(sort: sort, conditions: conditions(filter), rank: nil, cursor: cursor, direction: direction, limit: limit)
            return direction == .backward ? rows.reversed() : rows
        }
        // The ranks in the direction read, from the cursor's on.
        var ranks: [Rank] = direction == .forward ? Rank.allCases : Rank.allCases.reversed()
        if let cursor, let start = ranks.firstIndex(where: { $0.rawValue == cursor.rank }) {
            ranks.removeFirst(start)
        }
        let documents = readsDocuments(sort, filter) ? PGContactDocumentRanks(search: search) : nil
        var rows: [ContactSummary] = []
        for rank in ranks where rows.count < limit {
            let rankCursor = cursor?.rank == rank.rawValue ? cursor : nil
            if let documents, rank >= .nameWords {
                guard let ids = try documents.page(rank, cursor: rankCursor.flatMap(nameKey), ascending: direction == .forward,
                                                   limit: limit - rows.count, c) else { continue }
                rows += try page(sort: sort, conditions: ([], []), ids: ids, rank: (search, rank), cursor: nil,
                                 direction: direction, limit: limit - rows.count)
                continue
            }
            guard let condition = search.condition(rank) else { continue }
            var conds = conditionsBesideText(filter)
            conds.sql.append(condition.0)
            conds.values += condition.1
            rows += try page(sort: sort, conditions: conds, rank: (search, rank),
                             cursor: rankCursor, direction: direction, limit: limit - rows.count)
        }
        return direction == .backward ? rows.reversed() : rows
    }

    /// Whether a search's full-text ranks are read from the documents alone
    /// (`PGContactDocumentRanks`): sorted by name, with no other filter (the
    /// documents hold only the sort key and the trash state).
    func readsDocuments(_ sort: ContactSort, _ filter: ContactFilter) -> Bool {
        var others = filter
        others.text = ""
        return sort == .name && others.isEmpty
    }

    /// A name cursor's sort key and id.
    func nameKey(_ cursor: ContactCursor) -> (key: String, id: Int64)? {
        guard case .text(let key) = cursor.key else { return nil }
        return (key, cursor.id)
    }

    /// One page of the list, or of one rank of a search, in the order read;
    /// `ids`: the page's ids come from there instead (in the order read, limited).
    private func page(sort: ContactSort, conditions: Conditions, ids: (sql: String, values: [any PGBindable])? = nil,
                      rank: (search: Search, rank: Rank)?,
                      cursor: ContactCursor?, direction: PageDirection, limit: Int) throws -> [ContactSummary] {
        var (key, ascending) = sortKey(sort)
        if direction == .backward { ascending.toggle() }
        let order = ascending ? "ASC" : "DESC"
        var (conds, values) = conditions
        if let cursor {
            // The bound on the key alone lets the planner seek in the sort's index.
            let (placeholder, bound) = value(cursor.key)
            conds.append("\(key) \(ascending ? ">=" : "<=") \(placeholder)")
            conds.append("(\(key), c.id) \(ascending ? ">" : "<") (\(placeholder), ?::bigint)")
            values += [bound, bound, cursor.id]
        }
        // A digit search says which of the contact's phones it matched.
        var matched = "NULL"
        var columns = ""
        var front: [any PGBindable] = []
        if let rank {
            if let phone = rank.search.phone {
                matched = """
                    (SELECT number FROM contact_phones p WHERE p.contact_id = c.id AND \(phone.sql)
                     ORDER BY position, id LIMIT 1)
                    """
                front = phone.values
            }
            if rank.rank == .otherField { columns = Self.matchColumns }
        }
        // The page's ids first, then its columns: PostgreSQL computes the
        // select list before it sorts, so emails, phones, company and owner
        // would be read for every hit sorted, not only for the rows shown.
        // The limit in the text (`PGConnection.limit`): one generic plan for
        // the list's pages; a search's are planned with their words anyway.
        let pageLimit = PGConnection.limit(limit, &values)
        let pageIDs = ids ?? ("""
            SELECT c.id FROM contacts c WHERE \(conds.joined(separator: " AND "))
            ORDER BY \(key) \(order), c.id \(order) \(pageLimit)
            """, values)
        // A search's page: planned with its words (`plannedWithValues`).
        return try c.rows((rank == nil ? "" : PGConnection.plannedWithValues) + """
            SELECT \(Self.summaryColumns(matchedPhone: matched))\(columns)
            FROM (\(pageIDs.sql)) page
            JOIN contacts c ON c.id = page.id \(Self.summaryJoins)
            ORDER BY \(key) \(order), c.id \(order)
            """, front + pageIDs.values) { row in
            var summary = Self.summary(row)
            if let rank { summary.match = Self.match(rank.rank, row, summary, rank.search) }
            return summary
        }
    }

    /// The fields a row of the "other fields" rank is searched in for what
    /// matched, after the summary's columns (12 on).
    static var matchColumns: String { """
        , c.title, c.source, c.notes,
        (SELECT string_agg(email, E'\\n' ORDER BY position, id) FROM contact_emails e WHERE e.contact_id = c.id),
        (SELECT string_agg(t.name, E'\\n' ORDER BY \(tagOrder("t.name"))) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.contact_id = c.id)
        """
    }

    /// What a row of `rank` matched: its name, or for the other fields the
    /// first that shows a word of the query (`ContactMatch.otherField`).
    static func match(_ rank: Rank, _ row: PGRow, _ summary: ContactSummary, _ search: Search) -> ContactMatch {
        guard rank == .otherField else { return ContactMatch(rank: rank, field: .name, text: summary.name) }
        func lines(_ i: Int) -> [String] { (row.optionalString(i) ?? "").split(separator: "\n").map(String.init) }
        return ContactMatch.otherField(SearchHighlight(search.query.text), company: summary.companyName, emails: lines(15),
                                       matchedPhone: summary.matchedPhone, title: row.string(12), tags: lines(16),
                                       source: row.string(13), notes: row.string(14))
    }

    public func search(_ text: String, filter: ContactFilter, limit: Int) throws -> [ContactSummary] {
        var filter = filter
        filter.text = text
        return try list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: limit)
    }

    // MARK: counts

    public func count(filter: ContactFilter) throws -> Int {
        try count(filter: filter, upTo: nil).value
    }

    public func count(filter: ContactFilter, upTo limit: Int) throws -> ListCount {
        try count(filter: filter, upTo: Optional(limit))
    }

    /// A search read from the documents counts its ranks one after the
    /// other (each stops at what is left of the limit); anything else counts
    /// the contacts that pass every condition.
    private func count(filter: ContactFilter, upTo limit: Int?) throws -> ListCount {
        guard let search = search(filter.text), readsDocuments(.name, filter) else {
            let n = try countRows(conditions(filter), upTo: limit, searching: !filter.text.isEmpty)
            if let limit, n > limit { return ListCount(limit, isExact: false) }
            return ListCount(n)
        }
        return try countRanks(search, filter: filter, before: nil, upTo: limit)
    }

    public func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor) throws -> Int {
        try countBefore(sort: sort, filter: filter, cursor: cursor, upTo: nil).value
    }

    public func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor, upTo limit: Int) throws -> ListCount {
        try countBefore(sort: sort, filter: filter, cursor: cursor, upTo: Optional(limit))
    }

    /// Every row of the better ranks, then the rows of the cursor's rank before it.
    private func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor, upTo limit: Int?) throws -> ListCount {
        if let search = search(filter.text), readsDocuments(sort, filter) {
            return try countRanks(search, filter: filter, before: cursor, upTo: limit)
        }
        let (key, ascending) = sortKey(sort)
        let (placeholder, bound) = value(cursor.key)
        let comparison = ["\(key) \(ascending ? "<=" : ">=") \(placeholder)",
                          "(\(key), c.id) \(ascending ? "<" : ">") (\(placeholder), ?::bigint)"]
        let cursorValues: [any PGBindable] = [bound, bound, cursor.id]
        var before = 0
        if let search = search(filter.text) {
            for rank in Rank.allCases where rank.rawValue <= cursor.rank && limit.map({ before <= $0 }) ?? true {
                guard let condition = search.condition(rank) else { continue }
                var (conds, values) = conditionsBesideText(filter)
                conds.append(condition.0)
                values += condition.1
                let left = limit.map { $0 - before }
                before += rank.rawValue < cursor.rank
                    ? try countRows((conds, values), upTo: left, searching: true)
                    : try countRows((conds + comparison, values + cursorValues), upTo: left, searching: true)
            }
        } else {
            let (conds, values) = conditions(filter)
            before = try countRows((conds + comparison, values + cursorValues), upTo: limit)
        }
        if let limit, before > limit { return ListCount(limit, isExact: false) }
        return ListCount(before)
    }

    /// The rows of a search sorted by name with no other filter: the name
    /// ranges counted along the name index, the full-text ranks in the
    /// documents (`PGContactDocumentRanks`), arm by arm, each count
    /// stopping at what is left of `limit`. `before`: only the rows above
    /// that one (the better ranks whole, its own rank up to it).
    private func countRanks(_ search: Search, filter: ContactFilter, before cursor: ContactCursor?, upTo limit: Int?) throws -> ListCount {
        let documents = PGContactDocumentRanks(search: search)
        var total = 0
        for rank in Rank.allCases where cursor.map({ rank.rawValue <= $0.rank }) ?? true {
            guard limit.map({ total <= $0 }) ?? true else { break }
            let mine = cursor?.rank == rank.rawValue ? cursor : nil
            let sources: [(sql: String, values: [any PGBindable])]
            if rank >= .nameWords {
                sources = documents.counted(rank, before: mine.flatMap(nameKey))
            } else {
                guard let condition = search.condition(rank) else { continue }
                var (conds, values) = conditionsBesideText(filter)
                conds.append(condition.0)
                values += condition.1
                if let mine, let (key, id) = nameKey(mine) {
                    conds += ["c.sort_key <= ?", "(c.sort_key, c.id) < (?, ?::bigint)"]
                    values += [key, key, id]
                }
                sources = [("SELECT 1 FROM contacts c WHERE \(conds.joined(separator: " AND "))", values)]
            }
            for source in sources where limit.map({ total <= $0 }) ?? true {
                total += try countUpTo(source, limit.map { $0 - total }, searching: true)
            }
        }
        if let limit, total > limit { return ListCount(limit, isExact: false) }
        return ListCount(total)
    }

    /// How many contacts pass `conditions`, reading at most `limit + 1`.
    private func countRows(_ conditions: Conditions, upTo limit: Int?, searching: Bool = false) throws -> Int {
        try countUpTo(("SELECT 1 FROM contacts c WHERE \(conditions.sql.joined(separator: " AND "))", conditions.values), limit,
                      searching: searching)
    }

    /// How many rows `rows` gives, reading at most `limit + 1`. `searching`:
    /// planned with its values (`plannedWithValues`), as a search's count
    /// reads the GIN index or walks as the words found decide.
    private func countUpTo(_ rows: (sql: String, values: [any PGBindable]), _ limit: Int?, searching: Bool) throws -> Int {
        let count = (searching ? PGConnection.plannedWithValues : "") + "SELECT count(*) FROM "
        guard let limit else { return Int(try c.integer(count + "(\(rows.sql)) n", rows.values) ?? 0) }
        // The cap in the text (`PGConnection.limit`) unless planned with its values.
        guard searching else {
            var values = rows.values
            let cap = PGConnection.limit(limit + 1, &values)
            return Int(try c.integer(count + "(\(rows.sql) \(cap)) n", values) ?? 0)
        }
        return Int(try c.integer(count + "(\(rows.sql) LIMIT ?::bigint) n", rows.values + [limit + 1]) ?? 0)
    }
}
