import CRMCore
import CRMRepositories
import Foundation

/// The contact list and its search: keyset pages, counts and a row's place.
///
/// A search lists its ranks (`ContactMatch.Rank`, `RankedSearch`) one after
/// the other, each in the sort's order, and a cursor carries the rank of its
/// row: a page is read from the cursor's rank on and, when that rank ends,
/// from the start of the next. Every rank is a filter of its own, so each
/// page is still a range of an index (or a few sorted hits), never an OFFSET.
extension SQLiteContactRepository {
    typealias Rank = ContactMatch.Rank

    /// Filter conditions as SQL fragments (fixed text) plus their bound values.
    /// `walk`: the search condition must not drive the query (see `list`).
    func conditions(_ filter: ContactFilter, walk: Bool = false) -> (sql: [String], values: [SQLBindable]) {
        var (sql, values) = conditionsBesideText(filter)
        let query = searchQuery(filter.text)
        switch query.scope {
        case .everything: break
        case .nothing: sql.append("0")
        case .terms:
            let hits = Self.hits(query, hasE164: db.hasPhoneE164)
            // `+c.id` keeps SQLite from looking the hits up by rowid, so it
            // walks the sort's index and tests each row against them instead.
            sql.append("\(walk ? "+" : "")c.id IN (\(hits.sql))")
            values += hits.values
        }
        return (sql, values)
    }

    /// The conditions of every filter but the search text.
    func conditionsBesideText(_ filter: ContactFilter) -> (sql: [String], values: [SQLBindable]) {
        var sql = ["c.deleted_at IS NULL"]
        var values: [SQLBindable] = []
        if let owner = filter.ownerID { sql.append("c.owner_id = ?"); values.append(owner) }
        if let lifecycle = filter.lifecycle { sql.append("c.lifecycle = ?"); values.append(lifecycle.rawValue) }
        if let company = filter.companyID { sql.append("c.company_id = ?"); values.append(company) }
        if let tier = filter.tier {
            // contacts_by_tier (schema 29) holds the few contacts with a
            // tier in name order; an older file read as it is has none.
            if db.hasValueTiers { sql.append("c.value_tier = ?"); values.append(tier.rawValue) } else { sql.append("0") }
        }
        if let tag = filter.tag {
            sql.append("c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE crm_tag_key(t.name) = crm_tag_key(?))")
            values.append(tag)
        }
        return (sql, values)
    }

    /// The conditions of `filter` with its search narrowed to one rank; nil
    /// when the rank can hold no row.
    func conditions(_ filter: ContactFilter, _ ranked: RankedSearch, _ rank: Rank, walk: Bool = false) -> (sql: [String], values: [SQLBindable])? {
        guard let condition = ranked.condition(rank, walk: walk) else { return nil }
        var (sql, values) = conditionsBesideText(filter)
        sql.append(condition.sql)
        values += condition.values
        return (sql, values)
    }

    /// The ids of the contacts a search finds (with repeats), as one SELECT:
    /// every word a prefix of a word of the contact's text, or the digits
    /// anywhere in one of its phone numbers.
    static func hits(_ query: SearchQuery, hasE164: Bool) -> (sql: String, values: [SQLBindable]) {
        var sources: [String] = []
        var values: [SQLBindable] = []
        if let match = query.ftsMatch {
            sources.append("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?")
            values.append(match)
        }
        if let phones = phoneContactIDs(query, hasE164: hasE164) {
            sources.append(phones.sql)
            values += phones.values
        }
        return (sources.joined(separator: " UNION ALL "), values)
    }

    /// The contacts (column `contact_id`, with repeats) of the numbers a
    /// digit query finds (`phoneIDs`). A number typed with its country reads
    /// them straight from the index on (e164, contact_id) (schema 12).
    static func phoneContactIDs(_ query: SearchQuery, hasE164: Bool) -> (sql: String, values: [SQLBindable])? {
        if hasE164, let international = query.internationalE164 {
            return ("SELECT contact_id FROM contact_phones WHERE e164 >= ? AND e164 < ?", [international, international + ":"])
        }
        if let match = query.phoneMatch, !hasE164 || query.digits?.count == 2 {
            // The numbers of one trigram query (`phoneIDs`), joined as they
            // come: a count that stops early ("55" counted to 1,000) stops
            // reading them, where `id IN (…)` would first find all 9,500.
            return ("SELECT p.contact_id FROM phone_fts CROSS JOIN contact_phones p ON p.id = phone_fts.rowid WHERE phone_fts MATCH ?",
                    [match])
        }
        guard let phones = phoneIDs(query, hasE164: hasE164) else { return nil }
        return ("SELECT contact_id FROM contact_phones WHERE id IN (\(phones.sql))", phones.values)
    }

    /// The ids of the phone numbers a digit query finds, or nil when it is
    /// no digit query: the digits anywhere in the number as typed or in its
    /// international form, and a national number typed with the region's
    /// trunk prefix at the start of the international form.
    static func phoneIDs(_ query: SearchQuery, hasE164: Bool) -> (sql: String, values: [SQLBindable])? {
        guard let match = query.phoneMatch else { return nil }
        if !hasE164 {
            return ("SELECT rowid FROM phone_fts WHERE phone_fts MATCH ?", [match])
        }
        /// Numbers whose international form begins with `prefix`: a range of
        /// the e164 index (its values are ASCII digits, and ":" sorts right
        /// after "9").
        func starting(_ prefix: String) -> (String, [SQLBindable]) {
            ("SELECT id FROM contact_phones WHERE e164 >= ? AND e164 < ?", [prefix, prefix + ":"])
        }
        if let international = query.internationalE164 {
            // Typed with its country: that country's numbers only.
            let (sql, values) = starting(international)
            return (sql, values)
        }
        var sql: String
        var values: [SQLBindable] = [match]
        if query.isWholeNationalNumber {
            // Literally only in numbers stored in national form (their digits
            // are not their international form); see SearchQuery.
            sql = """
                SELECT p.id FROM phone_fts JOIN contact_phones p ON p.id = phone_fts.rowid
                WHERE phone_fts MATCH ? AND (p.e164 IS NULL OR p.e164 <> p.digits)
                """
        } else if (query.digits?.count ?? 0) >= 3 {
            sql = """
                SELECT rowid FROM phone_fts WHERE phone_fts MATCH ?
                UNION SELECT rowid FROM phone_e164_fts WHERE phone_e164_fts MATCH ?
                """
            values.append(match)
        } else {
            // Two digits: as typed only (in the international form they
            // would mostly hit country codes).
            sql = "SELECT rowid FROM phone_fts WHERE phone_fts MATCH ?"
        }
        if let national = query.nationalE164 {
            let (more, moreValues) = starting(national)
            sql += "\nUNION " + more
            values += moreValues
        }
        return (sql, values)
    }

    /// The numbers of `phoneIDs` as a test of one row `p` of contact_phones,
    /// for a query that looks at a contact's own numbers (the walk of a dense
    /// rank, the column saying which number matched): the same numbers, but
    /// nothing is read beyond that row. `phoneIDs` as `p.id IN (…)` would
    /// first find every number the query matches ("55": 9,500 from 19
    /// trigrams) to test a hundred contacts against them. A trigram query
    /// for a run of digits finds the numbers that contain it, as `instr`
    /// does; a number of fewer than 3 digits has no trigram (and none is
    /// kept: `PhoneNumber.validate`).
    static func phoneRowTest(_ query: SearchQuery, hasE164: Bool) -> (sql: String, values: [SQLBindable])? {
        guard query.phoneMatch != nil, let digits = query.digits else { return nil }
        let inDigits = "(length(p.digits) >= 3 AND instr(p.digits, ?) > 0)"
        guard hasE164 else { return (inDigits, [digits]) }
        func starting(_ prefix: String) -> (String, [SQLBindable]) { ("(p.e164 >= ? AND p.e164 < ?)", [prefix, prefix + ":"]) }
        if let international = query.internationalE164 { return starting(international) }
        var tests: [String]
        var values: [SQLBindable]
        if query.isWholeNationalNumber {
            (tests, values) = (["(\(inDigits) AND (p.e164 IS NULL OR p.e164 <> p.digits))"], [digits])
        } else if digits.count >= 3 {
            (tests, values) = ([inDigits, "(length(p.e164) >= 3 AND instr(p.e164, ?) > 0)"], [digits, digits])
        } else {
            (tests, values) = ([inDigits], [digits])
        }
        if let national = query.nationalE164 {
            let (sql, more) = starting(national)
            tests.append(sql)
            values += more
        }
        return ("(" + tests.joined(separator: " OR ") + ")", values)
    }

    /// What `text` searches for, read with the database's phone region.
    func searchQuery(_ text: String) -> SearchQuery {
        SearchQuery(text, region: db.phoneRegion)
    }

    /// `text` as ranks, when it searches for something.
    func rankedSearch(_ text: String) -> RankedSearch? {
        let query = searchQuery(text)
        guard query.scope == .terms else { return nil }
        return RankedSearch(query, hasSortKey: db.hasSortKey, hasE164: db.hasPhoneE164)
    }

    /// Up to how many raw hits a search counts as sparse: its rows are looked
    /// up by id and sorted, which costs about 0.4 µs a hit (2 ms here). Above
    /// this, walking the sort's index and testing each row is cheaper: at
    /// 100,000 contacts 6 ms for "a" (50,000 hits) against 20 ms, 1.6 ms
    /// for "mar" (10,500) against 7 ms; at worst, when every hit sorts at
    /// the far end, the walk reads the whole index (18 ms).
    static let sparseHits = 5000

    /// The same, sorted by name through the index of live contacts (schema
    /// 12, `liveContacts`): a hit costs half as much there, and sorting
    /// 5,700 hits (`+49 171`) takes 4 ms where walking back from the end of
    /// the list to that country's names took 30.
    static let indexedSparseHits = 10_000

    /// Up to how many hits a search of `filter` in `sort` order is sparse.
    /// Two digits stay at `sparseHits`: each of their hits is a phone number
    /// to turn into its contact first, and their walk is short (about one
    /// number in ten has them, spread over all the names).
    func sparseLimit(_ ranked: RankedSearch, _ sort: ContactSort, _ filter: ContactFilter) -> Int {
        guard sort == .name, ranked.query.digits?.count != 2, liveContacts(filter) != "contacts c" else { return Self.sparseHits }
        return Self.indexedSparseHits
    }

    /// Whether a rank of a search finds so many rows that a page is best read
    /// by walking the sort's index: a quick count of at most `limit + 1` of
    /// its full-text ids and of its phone numbers (not turned into their
    /// contacts, which would cost a lookup each). The name ranges are ranges
    /// of that index already.
    ///
    /// Worked out once for a page read across the ranks. One count of all
    /// the full-text hits first, and of the numbers found: when they are few
    /// (most searches), so is every rank, and each full-text query runs once
    /// more, for the page, not once for each rank. The numbers are counted
    /// once, for the gate and the other fields alike ("55": 5,001 of them
    /// from 19 trigrams, not twice). `skipping`: ranks read otherwise
    /// (`NameWordsRank`), not counted.
    ///
    /// Returns the dense ranks, whether the full-text index found nothing
    /// at all (then no rank needs to ask it again: `RankedSearch.fullTextFindsNothing`)
    /// and the count of all the full-text hits, which a later call for
    /// another rank of the same page passes back (`fullTextCounted`) instead
    /// of counting them again.
    func denseRanks(_ ranked: RankedSearch, limit: Int, skipping: Set<Rank> = [],
                    fullTextCounted: Int? = nil) throws -> (dense: Set<Rank>, noFullText: Bool, fullText: Int?) {
        if fullTextCounted == nil, skipping == [.otherField], ranked.query.digits == nil, let words = ranked.ftsIDs(.nameWords) {
            // The name words alone: their own count decides, with no count
            // of all the hits first ("a b": 14,000 of them for 348 names).
            // None found says nothing of the other fields: then counted as
            // before (a query the index holds nowhere asks it once more only).
            let names = try countUpTo([words], limit)
            if names > 0 { return (names > limit ? [.nameWords] : [], false, nil) }
        }
        let fullText = try fullTextCounted ?? ranked.query.ftsMatch.map {
            try countUpTo([("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?", [$0])], limit)
        } ?? 0
        var numbers: Int?
        func phones() throws -> Int {
            if let numbers { return numbers }
            let found = try Self.phoneIDs(ranked.query, hasE164: db.hasPhoneE164).map { try countUpTo([$0], limit) } ?? 0
            numbers = found
            return found
        }
        guard try fullText > limit || fullText + phones() > limit else { return ([], fullText == 0, fullText) }
        var dense: Set<Rank> = []
        if fullText > limit, !skipping.contains(.nameWords), let words = ranked.ftsIDs(.nameWords), try countUpTo([words], limit) > limit {
            dense.insert(.nameWords)
        }
        if !skipping.contains(.otherField) {
            let phoneHits = try phones()
            // With no name to leave out, the other fields' text is all the full text, counted above.
            let otherText = phoneHits > limit ? 0
                : ranked.namesMatchNothing ? fullText
                : try ranked.ftsIDs(.otherField).map { try countUpTo([$0], limit - phoneHits) } ?? 0
            if phoneHits + otherText > limit { dense.insert(.otherField) }
        }
        return (dense, fullText == 0, fullText)
    }

    /// The rows of `sources` together, counted up to `limit + 1`.
    private func countUpTo(_ sources: [(sql: String, values: [SQLBindable])], _ limit: Int) throws -> Int {
        var found = 0
        for source in sources where found <= limit {
            found += Int(try c.scalar("SELECT count(*) FROM (\(source.sql) LIMIT ?)", source.values + [limit + 1]) ?? 0)
        }
        return found
    }

    /// The sort key of a listing and whether it runs ascending: name A → Z;
    /// last interaction and created newest first.
    func sortKey(_ sort: ContactSort) -> (key: String, ascending: Bool) {
        switch sort {
        case .name: (db.hasSortKey ? "c.sort_key" : "c.name COLLATE NOCASE", true)
        case .lastInteraction: ("coalesce(c.last_interaction_at, 0)", false)
        case .created: ("c.created_at", false)
        }
    }

    /// A cursor's key as SQLite compares it with the sort column: a name
    /// cursor carries the name's sort key (`NameSortKey`), which ends in the
    /// name itself, what a file at an older schema compares.
    func value(_ key: ContactCursor.Key) -> SQLValue {
        switch key {
        case .text(let text): .text(db.hasSortKey ? text : NameSortKey.name(from: text))
        case .seconds(let seconds): .integer(seconds)
        }
    }

    public func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor) throws -> Int {
        try countBefore(sort: sort, filter: filter, cursor: cursor, upTo: nil).value
    }

    public func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor, upTo limit: Int) throws -> ListCount {
        try countBefore(sort: sort, filter: filter, cursor: cursor, upTo: Optional(limit))
    }

    /// Counted along the sort's index from the top to the cursor, and
    /// stopping past `limit` when given: the count reads at most `limit + 1`
    /// entries wherever the row is.
    private func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor, upTo limit: Int?) throws -> ListCount {
        let (key, ascending) = sortKey(sort)
        let comparison = ["\(key) \(ascending ? "<=" : ">=") ?", "(\(key), c.id) \(ascending ? "<" : ">") (?, ?)"]
        let cursorValues: [SQLBindable] = [value(cursor.key), value(cursor.key), cursor.id]
        var before = 0
        if let ranked = rankedSearch(filter.text) {
            // Every row of the better ranks, then the rows of the cursor's rank before it.
            for rank in Rank.allCases where rank.rawValue <= cursor.rank && limit.map({ before <= $0 }) ?? true {
                guard let (conds, values) = conditions(filter, ranked, rank) else { continue }
                let left = limit.map { $0 - before }
                before += rank.rawValue < cursor.rank
                    ? try countRows(conds, values, upTo: left)
                    : try countRows(conds + comparison, values + cursorValues, upTo: left)
            }
        } else {
            let (conds, values) = conditions(filter)
            before = try countRows(conds + comparison, values + cursorValues, upTo: limit)
        }
        if let limit, before > limit { return ListCount(limit, isExact: false) }
        return ListCount(before)
    }

    private func countRows(_ conds: [String], _ values: [SQLBindable], upTo limit: Int?) throws -> Int {
        try countUpTo("SELECT 1 FROM contacts c WHERE \(conds.joined(separator: " AND "))", values, limit)
    }

    public func list(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor?, direction: PageDirection, limit: Int) throws -> [ContactSummary] {
        guard var ranked = rankedSearch(filter.text) else {
            let rows = try page(sort: sort, filter: filter, rank: nil, cursor: cursor, direction: direction, limit: limit)
            return direction == .backward ? rows.reversed() : rows
        }
        // The ranks in the direction read, from the cursor's on.
        var ranks: [Rank] = direction == .forward ? Rank.allCases : Rank.allCases.reversed()
        if let cursor, let start = ranks.firstIndex(where: { $0.rawValue == cursor.rank }) {
            ranks.removeFirst(start)
        }
        // Worked out for each full-text rank when it is first read: a page
        // that the name ranges fill ("m") needs no count of the hits, and
        // one that the name words fill ("a b": 348 of them) none of the
        // other fields' (14,000).
        var dense: Set<Rank> = []
        var decided: Set<Rank> = []
        var fullTextCounted: Int?
        var rows: [ContactSummary] = []
        for rank in ranks where rows.count < limit {
            // A one-word search reads its name words in order (schema 25), without counting its hits.
            let words = rank == .nameWords && readsNameWords(sort, filter) ? try NameWordsRank.make(ranked, c) : nil
            if let words, words.words.isEmpty { ranked.namesMatchNothing = true }
            if rank >= .nameWords, words == nil, !decided.contains(rank) {
                let others = Set([Rank.nameWords, .otherField]).subtracting([rank])
                let density = try denseRanks(ranked, limit: sparseLimit(ranked, sort, filter), skipping: others,
                                             fullTextCounted: fullTextCounted)
                dense.formUnion(density.dense)
                decided.insert(rank)
                fullTextCounted = density.fullText
                // A phone number's digits as words ("+49 171"): no full-text
                // query for the name words, the other fields and the names to leave out.
                ranked.fullTextFindsNothing = density.noFullText
            }
            rows += try page(sort: sort, filter: filter, rank: (ranked, rank, dense.contains(rank)), nameWords: words,
                             cursor: cursor?.rank == rank.rawValue ? cursor : nil, direction: direction, limit: limit - rows.count)
        }
        return direction == .backward ? rows.reversed() : rows
    }

    /// Whether a search's name-words rank may be read from `contact_name_words`
    /// (`NameWordsRank`): sorted by name, in a file that has it, with no
    /// other filter (the table holds every live contact, and only the sort key).
    func readsNameWords(_ sort: ContactSort, _ filter: ContactFilter) -> Bool {
        var others = filter
        others.text = ""
        return sort == .name && db.hasNameWords && others.isEmpty
    }

    /// One page of the list, or of one rank of a search, in the order read
    /// (`direction`), after `cursor` when given. `nameWords`: the rank's ids
    /// come from there.
    private func page(sort: ContactSort, filter: ContactFilter, rank: (search: RankedSearch, rank: Rank, dense: Bool)?,
                      nameWords: NameWordsRank? = nil,
                      cursor: ContactCursor?, direction: PageDirection, limit: Int) throws -> [ContactSummary] {
        var (key, ascending) = sortKey(sort)
        if direction == .backward { ascending.toggle() }
        let order = ascending ? "ASC" : "DESC"
        // The page's ids first, then its columns: a search that sorts its
        // hits then reads emails, phones, company and owner only for the
        // rows shown, not for all it sorted.
        let ids: (sql: String, values: [SQLBindable])
        if let nameWords {
            ids = nameWords.page(ascending: ascending, cursor: cursor.map { (value($0.key), $0.id) }, limit: limit)
        } else {
            guard let found = try pageIDs(sort: sort, filter: filter, rank: rank, cursor: cursor, ascending: ascending, limit: limit) else {
                return []
            }
            ids = found
        }
        var values = ids.values
        // A digit search says which of the contact's phones it matched.
        var matched = "NULL"
        var columns = ""
        if let rank {
            if let phones = Self.phoneRowTest(rank.search.query, hasE164: db.hasPhoneE164) {
                matched = """
                    (SELECT number FROM contact_phones p WHERE p.contact_id = c.id AND \(phones.sql)
                     ORDER BY position, id LIMIT 1)
                    """
                values = phones.values + values
            }
            if rank.rank == .otherField { columns = Self.matchColumns }
        }
        let rows = try c.rows("""
            SELECT \(Self.summaryColumns(matchedPhone: matched))\(columns)
            FROM (\(ids.sql)) page
            JOIN contacts c ON c.id = page.id \(Self.summaryJoins)
            ORDER BY \(key) \(order), c.id \(order)
            """, values) { row in
            var summary = Self.summary(row)
            if let rank { summary.match = Self.match(rank.rank, row, summary, rank.search) }
            return summary
        }
        return rows
    }

    /// The ids (column `id`) of one page of the list or of one rank, in the
    /// order read (`ascending` along the sort's key), after `cursor`; nil
    /// when the rank can hold no row.
    private func pageIDs(sort: ContactSort, filter: ContactFilter, rank: (search: RankedSearch, rank: Rank, dense: Bool)?,
                         cursor: ContactCursor?, ascending: Bool, limit: Int) throws -> (sql: String, values: [SQLBindable])? {
        var conds: [String]
        var values: [SQLBindable]
        var walk = false
        if let rank {
            // A rank with many hits pages like the whole list, along the
            // sort's index; one with few reads its hits and sorts them.
            walk = rank.dense
            guard let narrowed = conditions(filter, rank.search, rank.rank, walk: walk) else { return nil }
            (conds, values) = narrowed
        } else {
            (conds, values) = conditions(filter)
        }
        let key = sortKey(sort).key
        if let cursor {
            // The redundant bound on the key alone lets SQLite seek in the index;
            // with only the row-value comparison it scans from the first row
            // (2.7 ms at row 50,000 of 100,000).
            conds.append("\(key) \(ascending ? ">=" : "<=") ?")
            values.append(value(cursor.key))
            conds.append("(\(key), c.id) \(ascending ? ">" : "<") (?, ?)")
            values.append(value(cursor.key))
            values.append(cursor.id)
        }
        let order = ascending ? "ASC" : "DESC"
        values.append(limit)
        // A rank that sorts its hits by name looks each up in the narrow
        // index of live contacts (schema 12) rather than in the table, when
        // no other filter needs the table's columns.
        var source = "contacts c"
        if let rank, sort == .name, rank.rank >= .nameWords, !walk {
            source = liveContacts(filter)
        }
        return ("""
            SELECT c.id AS id FROM \(source) WHERE \(conds.joined(separator: " AND "))
            ORDER BY \(key) \(order), c.id \(order) LIMIT ?
            """, values)
    }

    /// `contacts c`, read through the index of live contacts' ids and sort
    /// keys when the file has it and `filter` needs no other column (owner,
    /// lifecycle, company and tag do): for conditions on `c.id`,
    /// `c.sort_key` and `c.deleted_at IS NULL` only.
    func liveContacts(_ filter: ContactFilter) -> String {
        var others = filter
        others.text = ""
        return db.hasLiveContactIndex && others.isEmpty ? "contacts c INDEXED BY contacts_live_by_id" : "contacts c"
    }

    /// The fields a row of the "other fields" rank is searched in for what
    /// matched, after the summary's columns (12 on).
    static let matchColumns = """
        , c.title, c.source, c.notes,
        (SELECT group_concat(email, char(10)) FROM (SELECT email FROM contact_emails e WHERE e.contact_id = c.id ORDER BY position, id)),
        (SELECT group_concat(name, char(10)) FROM (SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                                                   WHERE ct.contact_id = c.id ORDER BY t.name))
        """

    /// What a row of `rank` matched: its name, or for the other fields the
    /// first that shows a word of the query (`ContactMatch.otherField`).
    static func match(_ rank: Rank, _ row: Row, _ summary: ContactSummary, _ search: RankedSearch) -> ContactMatch {
        guard rank == .otherField else { return ContactMatch(rank: rank, field: .name, text: summary.name) }
        func lines(_ i: Int32) -> [String] { (row.optionalString(i) ?? "").split(separator: "\n").map(String.init) }
        return ContactMatch.otherField(SearchHighlight(search.query.text), company: summary.companyName, emails: lines(15),
                                       matchedPhone: summary.matchedPhone, title: row.string(12), tags: lines(16),
                                       source: row.string(13), notes: row.string(14))
    }

    public func count(filter: ContactFilter) throws -> Int {
        try count(filter: filter, upTo: nil).value
    }

    public func count(filter: ContactFilter, upTo limit: Int) throws -> ListCount {
        try count(filter: filter, upTo: Optional(limit))
    }

    /// A search's count is its name ranges' (a count along the index) plus
    /// the rest of its hits outside them.
    private func count(filter: ContactFilter, upTo limit: Int?) throws -> ListCount {
        var total = 0
        let ranked = rankedSearch(filter.text)
        if let ranked, ranked.hasNameRanges {
            var (conds, values) = conditionsBesideText(filter)
            conds.append("c.sort_key >= ? AND c.sort_key < ?")
            values += [ranked.exactLow, ranked.prefixHigh]
            total += try countUpTo("SELECT 1 FROM contacts c WHERE \(conds.joined(separator: " AND "))", values, limit)
        }
        if limit.map({ total <= $0 }) ?? true {
            let (sql, values) = countedRows(filter, outside: ranked?.outsideNameRanges, stopping: limit != nil)
            total += try countUpTo(sql, values, limit.map { $0 - total })
        }
        if let limit, total > limit { return ListCount(limit, isExact: false) }
        return ListCount(total)
    }

    /// How many rows `sql` gives, reading at most `limit + 1` of them.
    private func countUpTo(_ sql: String, _ values: [SQLBindable], _ limit: Int?) throws -> Int {
        guard let limit else { return Int(try c.scalar("SELECT count(*) FROM (\(sql))", values) ?? 0) }
        return Int(try c.scalar("SELECT count(*) FROM (\(sql) LIMIT ?)", values + [limit + 1]) ?? 0)
    }

    /// One row per contact `filter` lets through, for counting (and outside
    /// the name ranges, when given). A search of words alone finds each
    /// contact once in `contact_fts`, so its matches stream straight into the
    /// contacts: no set of hits is built first, and a count that stops early
    /// stops reading (2 ms for 10,000 of the 50,000 hits of "a" at 100,000
    /// contacts, against 9 ms; all of them 11 ms, not 17).
    ///
    /// `stopping`: the count stops early. A digit search's hits then stream
    /// too, each distinct contact once, instead of first turning every
    /// number found into its contact: "55" counted to 1,000 reads about
    /// 1,000 of its 9,500 numbers.
    private func countedRows(_ filter: ContactFilter, outside: (sql: String, values: [SQLBindable])?,
                             stopping: Bool = false) -> (sql: String, values: [SQLBindable]) {
        let query = searchQuery(filter.text)
        var (conds, values): ([String], [SQLBindable])
        var match: [SQLBindable] = []
        var from = "contacts c"
        if query.scope == .terms, query.phoneMatch == nil, let ftsMatch = query.ftsMatch {
            (conds, values) = conditionsBesideText(filter)
            // CROSS JOIN: the matches drive, never a probe of the index per contact.
            from = "contact_fts CROSS JOIN \(liveContacts(filter)) ON c.id = contact_fts.rowid"
            conds.insert("contact_fts MATCH ?", at: 0)
            match = [ftsMatch]
        } else if stopping, query.scope == .terms {
            (conds, values) = conditionsBesideText(filter)
            let hits = Self.hits(query, hasE164: db.hasPhoneE164)
            let (with, body) = ("WITH hit(id) AS (\(hits.sql)) ", "(SELECT DISTINCT id FROM hit) h CROSS JOIN \(liveContacts(filter)) ON c.id = h.id")
            match = hits.values
            if let outside {
                conds.append(outside.sql)
                values += outside.values
            }
            return ("\(with)SELECT 1 FROM \(body) WHERE \(conds.joined(separator: " AND "))", match + values)
        } else {
            (conds, values) = conditions(filter)
            if query.scope == .terms { from = liveContacts(filter) }
        }
        if let outside {
            conds.append(outside.sql)
            values += outside.values
        }
        return ("SELECT 1 FROM \(from) WHERE \(conds.joined(separator: " AND "))", match + values)
    }

    public func search(_ text: String, filter: ContactFilter, limit: Int) throws -> [ContactSummary] {
        var filter = filter
        filter.text = text
        return try list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: limit)
    }
}
