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
            let contact = try withStoredTags(contact)
            let now = db.clock.now
            try c.run("""
                INSERT INTO contacts(name, sort_key, name_key, title, company_id, owner_id, lifecycle, source, notes, created_at, updated_at, uid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [contact.name, NameSortKey.of(contact.name), DuplicateKey.name(contact.name), contact.title, contact.companyID, contact.ownerID ?? currentUserID,
                      contact.lifecycle.rawValue, contact.source, contact.notes, now, now, contact.uid])
            let id = c.lastInsertRowID
            try writeDetails(id: id, contact)
            try db.audit.record("contact", id, "create", changes: ["name": ("", contact.name)])
            return try get(id)!
        }
    }

    var currentUserID: Int64? { db.currentUser.storedID }

    /// Each part as its own repository reads it (a statement costs SQLite a
    /// function call, not a round trip).
    public func pane(_ id: Int64, timelineLimit: Int) throws -> ContactPane? {
        guard let contact = try get(id) else { return nil }
        return ContactPane(contact: contact, deals: try db.deals.deals(contactID: id), openFollowUps: try db.followUps.open(contactID: id),
                           valueTier: try db.customerReportRepository.valueTier(contactID: id),
                           timeline: try db.interactions.timeline(.contact(id), before: nil, limit: timelineLimit))
    }

    public func get(_ id: Int64) throws -> Contact? {
        guard var contact = try c.first("SELECT \(db.contactColumns) FROM contacts WHERE id = ?", [id], Self.contact) else { return nil }
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

    /// The columns of a Contact without its emails, phones and tags; a file
    /// read as it is from before schema 81 has no uid (`Database.contactColumns`).
    static let columns = "id, name, title, company_id, owner_id, lifecycle, source, notes, created_at, updated_at, deleted_at, version, uid"
    static let columnsBeforeUID = "id, name, title, company_id, owner_id, lifecycle, source, notes, created_at, updated_at, deleted_at, version, NULL"

    static func contact(_ row: Row) -> Contact {
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
            try UserRefusal.checkReassigning(from: old.ownerID, to: contact.ownerID, by: db.currentUser, what: old.name)
            try c.run("""
                UPDATE contacts SET name = ?, sort_key = ?, name_key = ?, title = ?, company_id = ?, owner_id = ?, lifecycle = ?, source = ?,
                       notes = ?, updated_at = ?, version = version + 1
                WHERE id = ? AND version = ?
                """, [contact.name, NameSortKey.of(contact.name), DuplicateKey.name(contact.name), contact.title, contact.companyID,
                      contact.ownerID, contact.lifecycle.rawValue,
                      contact.source, contact.notes, db.clock.now, contact.id, contact.version])
            if old.lifecycle != contact.lifecycle && db.currentUser.id != 0 {
                // The trigger wrote the change; only this code knows who made it.
                try c.run("""
                    UPDATE contact_lifecycle_history SET changed_by = ?
                    WHERE id = (SELECT max(id) FROM contact_lifecycle_history WHERE contact_id = ?) AND changed_by IS NULL
                    """, [db.currentUser.id, contact.id])
            }
            if old.emails != contact.emails { try c.run("DELETE FROM contact_emails WHERE contact_id = ?", [contact.id]) }
            if old.phones != contact.phones { try c.run("DELETE FROM contact_phones WHERE contact_id = ?", [contact.id]) }
            if old.tags != contact.tags.sorted() { try c.run("DELETE FROM contact_tags WHERE contact_id = ?", [contact.id]) }
            try writeDetails(id: contact.id, contact,
                             emails: old.emails != contact.emails, phones: old.phones != contact.phones,
                             tags: old.tags != contact.tags.sorted())
            try db.audit.record("contact", contact.id, "update", values: changes.values)
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
            for tag in contact.tags {
                // An existing tag of any letters' case is this one (schema 78).
                try c.run("INSERT INTO tags(name) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM tags WHERE crm_tag_key(name) = crm_tag_key(?))",
                          [tag, tag])
                try c.run("INSERT OR IGNORE INTO contact_tags(contact_id, tag_id) SELECT ?, id FROM tags WHERE crm_tag_key(name) = crm_tag_key(?)",
                          [id, tag])
            }
        }
    }

    /// `contact` with its tags as they will be stored: one per name, each
    /// an existing tag's own spelling where there is one, so that typing
    /// "VIP" on a contact tagged "vip" changes nothing (QA 35 #2).
    func withStoredTags(_ contact: Contact) throws -> Contact {
        var contact = contact
        contact.tags = try TagName.unique(contact.tags).map { tag in
            try c.first("SELECT name FROM tags WHERE crm_tag_key(name) = crm_tag_key(?)", [tag]) { $0.string(0) } ?? tag
        }
        return contact
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
