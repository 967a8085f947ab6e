import CRMCore
import CRMRepositories
import Foundation

/// Contacts on PostgreSQL, as SQLiteContactRepository: the same rows, keys,
/// versions, audit records and trash links. The derived keys (`sort_key`,
/// `name_key`, phone `digits`/`e164`) and the search document are computed
/// here in Swift with the functions the SQLite engine's triggers call.
public final class PGContactRepository: ContactRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    // MARK: create, read, update

    public func create(_ contact: Contact) throws -> Contact {
        try ValidationFailure.check(contact.validate())
        return try c.transaction {
            let contact = try withStoredTags(contact)
            let now = db.clock.now
            guard let id = try c.integer("""
                INSERT INTO contacts(name, sort_key, name_key, title, company_id, owner_id, lifecycle, source, notes, created_at, updated_at, uid)
                VALUES (?, ?, ?, ?, ?::bigint, ?::bigint, ?, ?, ?, ?::bigint, ?::bigint, ?) RETURNING id
                """, [contact.name, NameSortKey.of(contact.name), DuplicateKey.name(contact.name), contact.title, contact.companyID,
                      contact.ownerID ?? currentUserID, contact.lifecycle.rawValue, contact.source, contact.notes, now, now, contact.uid]) else {
                throw RepositoryError.failed(Diagnostic(engine: "PostgreSQL", code: 0, message: "INSERT … RETURNING id gave no row"))
            }
            try writeDetails(id: id, contact)
            try PGSearchDocument.refreshContacts(c, ids: [id])
            try db.audit.record("contact", id, "create", changes: ["name": ("", contact.name)])
            return try get(id)!
        }
    }

    var currentUserID: Int64? { db.currentUser.storedID }

    /// The contact with its emails, phones and tags in one round trip (each
    /// list a JSON array in SQLite's order for it).
    public func get(_ id: Int64) throws -> Contact? {
        try c.first(Self.getSQL, [id], Self.contactWithLists)
    }

    static let getSQL = """
        SELECT \(columns),
          (SELECT coalesce(json_agg(json_build_array(e.email, e.label) ORDER BY e.position, e.id), '[]')
             FROM contact_emails e WHERE e.contact_id = contacts.id),
          (SELECT coalesce(json_agg(json_build_array(p.number, p.label) ORDER BY p.position, p.id), '[]')
             FROM contact_phones p WHERE p.contact_id = contacts.id),
          (SELECT coalesce(json_agg(t.name ORDER BY \(tagOrder("t.name"))), '[]')
             FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = contacts.id)
        FROM contacts WHERE id = ?::bigint
        """

    static func contactWithLists(_ row: PGRow) -> Contact {
        var contact = contact(row)
        contact.emails = row.jsonStringRows(13).map { EmailAddress($0.first ?? "", label: $0.count > 1 ? $0[1] : "") }
        contact.phones = row.jsonStringRows(14).map { PhoneNumber($0.first ?? "", label: $0.count > 1 ? $0[1] : "") }
        contact.tags = row.jsonStrings(15)
        return contact
    }

    /// The five reads of the pane in one round trip (a pipeline): the same
    /// statements `get`, `deals(contactID:)`, `open(contactID:)`,
    /// `valueTier(contactID:)` and `timeline(.contact…)` send one by one.
    public func pane(_ id: Int64, timelineLimit: Int) throws -> ContactPane? {
        let results = try c.pipeline([
            .numbered(Self.getSQL, [id]),
            .numbered(PGDealRepository.contactDealsSQL, [id]),
            .numbered(PGFollowUpRepository.openForContactSQL, [id]),
            .numbered(PGCustomerReportRepository.valueTierSQL, [id]),
            .numbered(PGInteractionRepository.contactTimelineSQL(limit: timelineLimit), [id]),
        ])
        guard let contact = results[0].first.map(Self.contactWithLists) else { return nil }
        return ContactPane(contact: contact, deals: results[1].rows.map(PGDealRepository.card),
                           openFollowUps: results[2].rows.map(PGFollowUpRepository.row),
                           valueTier: results[3].first?.optionalString(0).flatMap(ValueTier.init(rawValue:)),
                           timeline: results[4].rows.map(PGInteractionRepository.entry))
    }

    /// The columns of a Contact without its emails, phones and tags.
    static let columns = "id, name, title, company_id, owner_id, lifecycle, source, notes, created_at, updated_at, deleted_at, version, uid"

    static func contact(_ row: PGRow) -> Contact {
        Contact(id: row.int64(0), name: row.string(1), title: row.string(2), companyID: row.optionalInt64(3),
                ownerID: row.optionalInt64(4), lifecycle: Lifecycle(rawValue: row.string(5)) ?? .lead,
                source: row.string(6), notes: row.string(7), createdAt: row.date(8), updatedAt: row.date(9),
                deletedAt: row.optionalDate(10), version: row.int64(11), uid: row.optionalString(12))
    }

    public func update(_ contact: Contact) throws -> Contact {
        try ValidationFailure.check(contact.validate())
        return try c.transaction {
            let contact = try withStoredTags(contact)
            guard let old = try get(contact.id), old.deletedAt == nil, old.version == contact.version else {
                throw try db.audit.staleEdit(entity: "contact", table: "contacts", id: contact.id, expected: contact.version)
            }
            let changes = FieldChanges.contact(old, contact)
            if changes.isEmpty { return old }
            let updated = try c.run("""
                UPDATE contacts SET name = ?, sort_key = ?, name_key = ?, title = ?, company_id = ?::bigint, owner_id = ?::bigint, lifecycle = ?,
                       source = ?, notes = ?, updated_at = ?::bigint, version = version + 1
                WHERE id = ?::bigint AND version = ?::bigint
                """, [contact.name, NameSortKey.of(contact.name), DuplicateKey.name(contact.name), contact.title, contact.companyID,
                      contact.ownerID, contact.lifecycle.rawValue, contact.source, contact.notes, db.clock.now, contact.id, contact.version])
            guard updated == 1 else {
                throw try db.audit.staleEdit(entity: "contact", table: "contacts", id: contact.id, expected: contact.version)
            }
            if old.lifecycle != contact.lifecycle && db.currentUser.id != 0 {
                // The trigger wrote the change; only this code knows who made it.
                try c.run("""
                    UPDATE contact_lifecycle_history SET changed_by = ?::bigint
                    WHERE id = (SELECT max(id) FROM contact_lifecycle_history WHERE contact_id = ?::bigint) AND changed_by IS NULL
                    """, [db.currentUser.id, contact.id])
            }
            if old.emails != contact.emails { try c.run("DELETE FROM contact_emails WHERE contact_id = ?::bigint", [contact.id]) }
            if old.phones != contact.phones { try c.run("DELETE FROM contact_phones WHERE contact_id = ?::bigint", [contact.id]) }
            if old.tags != contact.tags.sorted() { try c.run("DELETE FROM contact_tags WHERE contact_id = ?::bigint", [contact.id]) }
            try writeDetails(id: contact.id, contact,
                             emails: old.emails != contact.emails, phones: old.phones != contact.phones,
                             tags: old.tags != contact.tags.sorted())
            try PGSearchDocument.refreshContacts(c, ids: [contact.id])
            try db.audit.record("contact", contact.id, "update", values: changes.values)
            return try get(contact.id)!
        }
    }

    private func writeDetails(id: Int64, _ contact: Contact, emails: Bool = true, phones: Bool = true, tags: Bool = true) throws {
        if emails {
            for (i, email) in contact.emails.enumerated() {
                try c.run("INSERT INTO contact_emails(contact_id, email, label, position) VALUES (?::bigint, ?, ?, ?::bigint)",
                          [id, email.address, email.label, i])
            }
        }
        if phones {
            for (i, phone) in contact.phones.enumerated() {
                // As SQLite stores them; match_key is a generated column here.
                let e164 = PhoneNumber.storedE164(phone.number, region: db.phoneRegion)
                try c.run("""
                    INSERT INTO contact_phones(contact_id, number, digits, e164, label, position) VALUES (?::bigint, ?, ?, ?, ?, ?::bigint)
                    """, [id, phone.number, PhoneNumber.digits(phone.number), e164, phone.label, i])
            }
        }
        if tags {
            for tag in contact.tags {
                // Tags are one per name without case (SQLite: crm_tag_key, schema 78).
                try c.run("INSERT INTO tags(name) VALUES (?) ON CONFLICT (lower(name)) DO NOTHING", [tag])
                try c.run("""
                    INSERT INTO contact_tags(contact_id, tag_id) SELECT ?::bigint, id FROM tags WHERE lower(name) = lower(?)
                    ON CONFLICT DO NOTHING
                    """, [id, tag])
            }
        }
    }

    /// `contact` with its tags as they will be stored: one per name, each
    /// an existing tag's own spelling where there is one (as on SQLite).
    func withStoredTags(_ contact: Contact) throws -> Contact {
        var contact = contact
        contact.tags = try TagName.unique(contact.tags).map { tag in
            try c.first("SELECT name FROM tags WHERE lower(name) = lower(?)", [tag]) { $0.string(0) } ?? tag
        }
        return contact
    }

    // MARK: delete and restore (soft)

    public func delete(_ id: Int64) throws {
        try PGTrash(db: db).trash(.contact, id)
    }

    public func restore(_ id: Int64) throws {
        _ = try PGTrash(db: db).restore(.contact, id)
    }

    // MARK: rows of the list

    /// The columns of a ContactSummary, for every listing query.
    /// The last column is the phone a search matched (NULL unless given).
    static func summaryColumns(matchedPhone: String = "NULL") -> String { """
        c.id, c.name, c.company_id, co.name,
        (SELECT email FROM contact_emails e WHERE e.contact_id = c.id ORDER BY position, id LIMIT 1),
        (SELECT number FROM contact_phones p WHERE p.contact_id = c.id ORDER BY position, id LIMIT 1),
        u.login, c.lifecycle, c.last_interaction_at, c.created_at, c.version, \(matchedPhone)
        """
    }
    static let summaryJoins = "LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN users u ON u.id = c.owner_id"

    static func summary(_ row: PGRow) -> ContactSummary {
        ContactSummary(id: row.int64(0), name: row.string(1), companyID: row.optionalInt64(2),
                       companyName: row.optionalString(3), email: row.optionalString(4), phone: row.optionalString(5),
                       ownerLogin: row.optionalString(6), lifecycle: Lifecycle(rawValue: row.string(7)) ?? .lead,
                       lastInteractionAt: row.optionalDate(8), createdAt: row.date(9), version: row.int64(10),
                       matchedPhone: row.optionalString(11))
    }

    public func summary(_ id: Int64) throws -> ContactSummary? {
        try c.first("SELECT \(Self.summaryColumns()) FROM contacts c \(Self.summaryJoins) WHERE c.id = ?::bigint", [id], Self.summary)
    }

    public func deleted(limit: Int) throws -> [ContactSummary] {
        try c.rows("""
            SELECT \(Self.summaryColumns()) FROM contacts c \(Self.summaryJoins)
            WHERE c.deleted_at IS NOT NULL ORDER BY c.deleted_at DESC LIMIT ?::bigint
            """, [limit], Self.summary)
    }

    public func allTags() throws -> [String] {
        try c.rows("SELECT name FROM tags ORDER BY \(Self.tagOrder("name"))") { $0.string(0) }
    }

    /// Tag names in SQLite's order for them (the column is `COLLATE NOCASE`:
    /// ASCII letters without case, everything else byte-wise).
    static func tagOrder(_ column: String) -> String {
        "translate(\(column), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE \"C\", \(column) COLLATE \"C\""
    }
}
