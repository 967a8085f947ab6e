import CRMCore
import CRMRepositories
import Foundation

public final class SQLiteContactRepository: ContactRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    // MARK: create, read, update

    public func create(_ contact: Contact) throws -> Contact {
        try ValidationFailure.check(contact.validate())
        return try c.transaction {
            let now = db.clock.now
            try c.run("""
                INSERT INTO contacts(name, sort_key, name_key, title, company_id, owner_id, lifecycle, source, notes, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [contact.name, NameSortKey.of(contact.name), DuplicateKey.name(contact.name), contact.title, contact.companyID, contact.ownerID ?? currentUserID,
                      contact.lifecycle.rawValue, contact.source, contact.notes, now, now])
            let id = c.lastInsertRowID
            try writeDetails(id: id, contact)
            try db.audit.record("contact", id, "create", changes: ["name": ("", contact.name)])
            return try get(id)!
        }
    }

    var currentUserID: Int64? { db.currentUser.id == 0 ? nil : db.currentUser.id }

    public func get(_ id: Int64) throws -> Contact? {
        guard var contact = try c.first("""
            SELECT id, name, title, company_id, owner_id, lifecycle, source, notes, created_at, updated_at, deleted_at, version
            FROM contacts WHERE id = ?
            """, [id], { row in
                Contact(id: row.int64(0), name: row.string(1), title: row.string(2), companyID: row.optionalInt64(3),
                        ownerID: row.optionalInt64(4), lifecycle: Lifecycle(rawValue: row.string(5)) ?? .lead,
                        source: row.string(6), notes: row.string(7), createdAt: row.date(8), updatedAt: row.date(9),
                        deletedAt: row.optionalDate(10), version: row.int64(11))
            }) else { return nil }
        contact.emails = try c.rows("SELECT email, label FROM contact_emails WHERE contact_id = ? ORDER BY position, id", [id]) {
            EmailAddress($0.string(0), label: $0.string(1))
        }
        contact.phones = try c.rows("SELECT number, label FROM contact_phones WHERE contact_id = ? ORDER BY position, id", [id]) {
            PhoneNumber($0.string(0), label: $0.string(1))
        }
        contact.tags = try c.rows("""
            SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY t.name
            """, [id]) { $0.string(0) }
        return contact
    }

    public func update(_ contact: Contact) throws -> Contact {
        try ValidationFailure.check(contact.validate())
        return try c.transaction {
            guard let old = try get(contact.id), old.deletedAt == nil, old.version == contact.version else {
                throw try db.audit.staleEdit(entity: "contact", table: "contacts", id: contact.id, expected: contact.version)
            }
            var changes = FieldChanges()
            changes.compare("name", old.name, contact.name)
            changes.compare("title", old.title, contact.title)
            changes.compare("company", old.companyID, contact.companyID)
            changes.compare("owner", old.ownerID, contact.ownerID)
            changes.compare("lifecycle", old.lifecycle.rawValue, contact.lifecycle.rawValue)
            changes.compare("source", old.source, contact.source)
            changes.compare("notes", old.notes, contact.notes)
            changes.compare("emails", old.emails.map(\.address), contact.emails.map(\.address))
            changes.compare("phones", old.phones.map(\.number), contact.phones.map(\.number))
            changes.compare("tags", old.tags, contact.tags.sorted())
            if changes.isEmpty { return old }
            try c.run("""
                UPDATE contacts SET name = ?, sort_key = ?, name_key = ?, title = ?, company_id = ?, owner_id = ?, lifecycle = ?, source = ?,
                       notes = ?, updated_at = ?, version = version + 1
                WHERE id = ? AND version = ?
                """, [contact.name, NameSortKey.of(contact.name), DuplicateKey.name(contact.name), contact.title, contact.companyID,
                      contact.ownerID, contact.lifecycle.rawValue,
                      contact.source, contact.notes, db.clock.now, contact.id, contact.version])
            if old.emails != contact.emails { try c.run("DELETE FROM contact_emails WHERE contact_id = ?", [contact.id]) }
            if old.phones != contact.phones { try c.run("DELETE FROM contact_phones WHERE contact_id = ?", [contact.id]) }
            if old.tags != contact.tags.sorted() { try c.run("DELETE FROM contact_tags WHERE contact_id = ?", [contact.id]) }
            try writeDetails(id: contact.id, contact,
                             emails: old.emails != contact.emails, phones: old.phones != contact.phones,
                             tags: old.tags != contact.tags.sorted())
            try db.audit.record("contact", contact.id, "update", changes: changes.fields)
            return try get(contact.id)!
        }
    }

    private func writeDetails(id: Int64, _ contact: Contact, emails: Bool = true, phones: Bool = true, tags: Bool = true) throws {
        if emails {
            for (i, email) in contact.emails.enumerated() {
                try c.run("INSERT INTO contact_emails(contact_id, email, label, position) VALUES (?, ?, ?, ?)",
                          [id, email.address, email.label, i])
            }
        }
        if phones {
            for (i, phone) in contact.phones.enumerated() {
                let e164 = PhoneNumber.storedE164(phone.number, region: db.phoneRegion)
                try c.run("""
                    INSERT INTO contact_phones(contact_id, number, digits, e164, match_key, label, position) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [id, phone.number, PhoneNumber.digits(phone.number), e164, DuplicateKey.storedPhone(phone.number, e164: e164),
                          phone.label, i])
            }
        }
        if tags {
            for tag in Set(contact.tags.map { $0.trimmingCharacters(in: .whitespaces) }) where !tag.isEmpty {
                try c.run("INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING", [tag])
                try c.run("INSERT OR IGNORE INTO contact_tags(contact_id, tag_id) SELECT ?, id FROM tags WHERE name = ?", [id, tag])
            }
        }
    }

    // MARK: delete and restore (soft)

    public func delete(_ id: Int64) throws {
        try db.trash.trash(.contact, id)
    }

    public func restore(_ id: Int64) throws {
        // With what went to the trash with it (see SQLiteTrashRepository).
        _ = try db.trash.restore(.contact, id)
    }

    // MARK: listing and search

    /// The columns of a ContactSummary, for every listing query.
    /// The last column is the phone a search matched (NULL unless given).
    static func summaryColumns(matchedPhone: String = "NULL") -> String { """
        c.id, c.name, c.company_id, co.name,
        (SELECT email FROM contact_emails e WHERE e.contact_id = c.id ORDER BY position, id LIMIT 1),
        (SELECT number FROM contact_phones p WHERE p.contact_id = c.id ORDER BY position, id LIMIT 1),
        u.login, c.lifecycle, c.last_interaction_at, c.created_at, c.version, \(matchedPhone)
        """
    }
    static let summaryColumns = summaryColumns()
    static let summaryJoins = "LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN users u ON u.id = c.owner_id"

    static func summary(_ row: Row) -> ContactSummary {
        ContactSummary(id: row.int64(0), name: row.string(1), companyID: row.optionalInt64(2),
                       companyName: row.optionalString(3), email: row.optionalString(4), phone: row.optionalString(5),
                       ownerLogin: row.optionalString(6), lifecycle: Lifecycle(rawValue: row.string(7)) ?? .lead,
                       lastInteractionAt: row.optionalDate(8), createdAt: row.date(9), version: row.int64(10),
                       matchedPhone: row.optionalString(11))
    }

    public func summary(_ id: Int64) throws -> ContactSummary? {
        try c.first("SELECT \(Self.summaryColumns) FROM contacts c \(Self.summaryJoins) WHERE c.id = ?", [id], Self.summary)
    }

    /// Filter conditions as SQL fragments (fixed text) plus their bound values.
    /// `walk`: the search condition must not drive the query (see `list`).
    private func conditions(_ filter: ContactFilter, walk: Bool = false) -> (sql: [String], values: [SQLBindable]) {
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
    private func conditionsBesideText(_ filter: ContactFilter) -> (sql: [String], values: [SQLBindable]) {
        var sql = ["c.deleted_at IS NULL"]
        var values: [SQLBindable] = []
        if let owner = filter.ownerID { sql.append("c.owner_id = ?"); values.append(owner) }
        if let lifecycle = filter.lifecycle { sql.append("c.lifecycle = ?"); values.append(lifecycle.rawValue) }
        if let company = filter.companyID { sql.append("c.company_id = ?"); values.append(company) }
        if let tag = filter.tag {
            sql.append("c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name = ?)")
            values.append(tag)
        }
        return (sql, values)
    }

    /// The ids of the contacts a search finds (with repeats), as one SELECT:
    /// every word a prefix of a word of the contact's text, or the digits
    /// anywhere in one of its phone numbers.
    private static func hits(_ query: SearchQuery, hasE164: Bool) -> (sql: String, values: [SQLBindable]) {
        var sources: [String] = []
        var values: [SQLBindable] = []
        if let match = query.ftsMatch {
            sources.append("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?")
            values.append(match)
        }
        if let phones = phoneIDs(query, hasE164: hasE164) {
            sources.append("SELECT contact_id FROM contact_phones WHERE id IN (\(phones.sql))")
            values += phones.values
        }
        return (sources.joined(separator: " UNION ALL "), values)
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

    /// What `text` searches for, read with the database's phone region.
    func searchQuery(_ text: String) -> SearchQuery {
        SearchQuery(text, region: db.phoneRegion)
    }

    /// Up to how many raw hits a search counts as sparse: its rows are looked
    /// up by id and sorted, which costs about 0.4 µs a hit (2 ms here). Above
    /// this, walking the sort's index and testing each row is cheaper: at
    /// 100,000 contacts 6 ms for "a" (50,000 hits) against 20 ms, 1.6 ms
    /// for "mar" (10,500) against 7 ms; at worst, when every hit sorts at
    /// the far end, the walk reads the whole index (18 ms).
    static let sparseHits = 5000

    /// Whether a search finds so many rows that a page is best read by
    /// walking the sort's index (a quick count of at most `sparseHits + 1`).
    private func isDense(_ query: SearchQuery) throws -> Bool {
        guard query.scope == .terms else { return false }
        let hits = Self.hits(query, hasE164: db.hasPhoneE164)
        let found = try c.scalar("SELECT count(*) FROM (\(hits.sql) LIMIT ?)", hits.values + [Self.sparseHits + 1]) ?? 0
        return found > Self.sparseHits
    }

    /// The sort key of a listing and whether it runs ascending: name A → Z;
    /// last interaction and created newest first.
    private func sortKey(_ sort: ContactSort) -> (key: String, ascending: Bool) {
        switch sort {
        case .name: (db.hasSortKey ? "c.sort_key" : "c.name COLLATE NOCASE", true)
        case .lastInteraction: ("coalesce(c.last_interaction_at, 0)", false)
        case .created: ("c.created_at", false)
        }
    }

    /// A cursor's key as SQLite compares it with the sort column: a name
    /// cursor carries the name's sort key (`NameSortKey`), which ends in the
    /// name itself, what a file at an older schema compares.
    private func value(_ key: ContactCursor.Key) -> SQLValue {
        switch key {
        case .text(let text): .text(db.hasSortKey ? text : NameSortKey.name(from: text))
        case .seconds(let seconds): .integer(seconds)
        }
    }

    public func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor) throws -> Int {
        var (conds, values) = conditions(filter)
        let (key, ascending) = sortKey(sort)
        conds.append("\(key) \(ascending ? "<=" : ">=") ?")
        conds.append("(\(key), c.id) \(ascending ? "<" : ">") (?, ?)")
        values += [value(cursor.key), value(cursor.key), cursor.id]
        return Int(try c.scalar("SELECT count(*) FROM contacts c WHERE \(conds.joined(separator: " AND "))", values) ?? 0)
    }

    public func list(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor?, direction: PageDirection, limit: Int) throws -> [ContactSummary] {
        // A search with many hits pages like the whole list, along the
        // sort's index; one with few reads its hits and sorts them.
        var (conds, values) = conditions(filter, walk: try isDense(searchQuery(filter.text)))
        var (key, ascending) = sortKey(sort)
        if direction == .backward { ascending.toggle() }
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
        // The page's ids first, then its columns: a search that sorts its
        // hits then reads emails, phones, company and owner only for the
        // rows shown, not for all it sorted.
        // A digit search says which of the contact's phones it matched.
        var matched = "NULL"
        if let phones = Self.phoneIDs(searchQuery(filter.text), hasE164: db.hasPhoneE164) {
            matched = """
                (SELECT number FROM contact_phones p WHERE p.contact_id = c.id AND p.id IN (\(phones.sql))
                 ORDER BY position, id LIMIT 1)
                """
            values = phones.values + values
        }
        let rows = try c.rows("""
            SELECT \(Self.summaryColumns(matchedPhone: matched))
            FROM (SELECT c.id AS id FROM contacts c WHERE \(conds.joined(separator: " AND "))
                  ORDER BY \(key) \(order), c.id \(order) LIMIT ?) page
            JOIN contacts c ON c.id = page.id \(Self.summaryJoins)
            ORDER BY \(key) \(order), c.id \(order)
            """, values, Self.summary)
        return direction == .backward ? rows.reversed() : rows
    }

    public func count(filter: ContactFilter) throws -> Int {
        let (sql, values) = countedRows(filter)
        return Int(try c.scalar("SELECT count(*) FROM (\(sql))", values) ?? 0)
    }

    public func count(filter: ContactFilter, upTo limit: Int) throws -> ListCount {
        let (sql, values) = countedRows(filter)
        let found = Int(try c.scalar("SELECT count(*) FROM (\(sql) LIMIT ?)", values + [limit + 1]) ?? 0)
        return found > limit ? ListCount(limit, isExact: false) : ListCount(found)
    }

    /// One row per contact `filter` lets through, for counting. A search of
    /// words alone finds each contact once in `contact_fts`, so its matches
    /// stream straight into the contacts: no set of hits is built first, and
    /// a count that stops early stops reading (2 ms for 10,000 of the 50,000
    /// hits of "a" at 100,000 contacts, against 9 ms; all of them 11 ms, not 17).
    private func countedRows(_ filter: ContactFilter) -> (sql: String, values: [SQLBindable]) {
        let query = searchQuery(filter.text)
        if query.scope == .terms, query.phoneMatch == nil, let match = query.ftsMatch {
            let (conds, values) = conditionsBesideText(filter)
            // CROSS JOIN: the matches drive, never a probe of the index per contact.
            return ("""
                SELECT 1 FROM contact_fts CROSS JOIN contacts c ON c.id = contact_fts.rowid
                WHERE contact_fts MATCH ? AND \(conds.joined(separator: " AND "))
                """, [match] + values)
        }
        let (conds, values) = conditions(filter)
        return ("SELECT 1 FROM contacts c WHERE \(conds.joined(separator: " AND "))", values)
    }

    public func search(_ text: String, filter: ContactFilter, limit: Int) throws -> [ContactSummary] {
        var filter = filter
        filter.text = text
        return try list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: limit)
    }

    public func deleted(limit: Int) throws -> [ContactSummary] {
        try c.rows("""
            SELECT \(Self.summaryColumns) FROM contacts c \(Self.summaryJoins)
            WHERE c.deleted_at IS NOT NULL ORDER BY c.deleted_at DESC LIMIT ?
            """, [limit], Self.summary)
    }

    public func allTags() throws -> [String] {
        try c.rows("SELECT name FROM tags ORDER BY name COLLATE NOCASE") { $0.string(0) }
    }
}
