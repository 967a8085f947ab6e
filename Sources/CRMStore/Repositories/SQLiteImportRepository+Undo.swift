import CRMCore
import CRMRepositories
import Foundation

extension SQLiteImportRepository {
    public func undoImport(_ batchID: Int64, force: Bool) throws -> ImportUndoResult {
        try c.transaction {
            guard let batch = try importBatch(batchID) else { throw RepositoryError.notFound(entity: "import batch", id: batchID) }
            if batch.undoneAt != nil { throw ImportUndoRefusal.undoneAlready(batch) }
            if let refusal = ImportUndoRefusal.othersBatch(batch, by: db.currentUser) { throw refusal }
            let merges = try merges(of: batchID)
            let created = try createdContacts(of: batchID)
            let changes = try changesSince(merges: merges, created: created)
            if !changes.isEmpty && !force { throw ImportUndoRefusal.changedSince(batch, changes) }
            var result = ImportUndoResult()
            let now = db.clock.now
            for merge in merges { if try revert(merge, now: now) { result.mergesReverted += 1 } }
            // Contacts someone has since linked records to cannot go without
            // them: with --force they go to the trash instead.
            for contact in created {
                if contact.linked {
                    if contact.deletedAt == nil {
                        // Who trashed it and why, as a delete says (QA 29 #10: "by unknown").
                        try c.run("UPDATE contacts SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE id = ?",
                                  [now, db.currentUser.storedID, contact.id])
                        try db.audit.record("contact", contact.id, "delete", changes: ["undo of import": ("", "#\(batchID)")])
                    }
                    result.contactsTrashed += 1
                } else {
                    try c.run("DELETE FROM contacts WHERE id = ?", [contact.id])
                    result.contactsRemoved += 1
                }
            }
            let companies = try c.rows("SELECT id, name FROM companies WHERE batch_id = ? ORDER BY id", [batchID]) { ($0.int64(0), $0.string(1)) }
            let referenced = try referencedRows(of: batchID, in: "companies")
            for (id, name) in companies {
                if referenced.contains(id) {
                    result.companiesKept.append(name)
                } else {
                    try c.run("DELETE FROM companies WHERE id = ?", [id])
                    result.companiesRemoved += 1
                }
            }
            try c.run("UPDATE import_batches SET undone_at = ?, undone_by = ? WHERE id = ?",
                      [now, db.currentUser.storedID, batchID])
            try db.audit.record("import", batchID, "undo", changes: ImportRowCheck.undoAuditChanges(result))
            return result
        }
    }

    struct MergeRecord {
        let contactID: Int64
        /// column → [before, what the merge wrote]
        let before: [String: [Any]]
        let emails, phones, tags: [Int64]
        let versionAfter: Int64
    }

    /// The batch's merges, newest first (the order they are taken back in).
    func merges(of batchID: Int64) throws -> [MergeRecord] {
        try c.rows("""
            SELECT contact_id, before, added_emails, added_phones, added_tags, version_after
            FROM import_merges WHERE batch_id = ? ORDER BY id DESC
            """, [batchID]) { row in
            func ids(_ i: Int32) -> [Int64] { ImportRowCheck.ids(fromJSON: row.string(i)) }
            let before = ImportRowCheck.before(fromJSON: row.string(1))
            return MergeRecord(contactID: row.int64(0), before: before, emails: ids(2), phones: ids(3), tags: ids(4),
                               versionAfter: row.int64(5))
        }
    }

    struct CreatedContact {
        let id: Int64
        let name: String
        let version: Int64
        let deletedAt: Date?
        /// Records outside the batch point at it (interactions, deals, follow-ups).
        let linked: Bool
    }

    func createdContacts(of batchID: Int64) throws -> [CreatedContact] {
        let rows = try c.rows("SELECT id, name, version, deleted_at FROM contacts WHERE batch_id = ? ORDER BY id", [batchID]) {
            ($0.int64(0), $0.string(1), $0.int64(2), $0.optionalDate(3))
        }
        let linked = try referencedRows(of: batchID, in: "contacts")
        return rows.map { CreatedContact(id: $0.0, name: $0.1, version: $0.2, deletedAt: $0.3, linked: linked.contains($0.0)) }
    }

    /// One line per record of the batch someone changed since: who, when, what.
    func changesSince(merges: [MergeRecord], created: [CreatedContact]) throws -> [ImportRecordChange] {
        var lines: [ImportRecordChange] = []
        var seen = Set<Int64>()
        // The newest merge of each contact holds the version the batch left it at.
        for merge in merges where seen.insert(merge.contactID).inserted {
            guard let (name, version, deleted) = try c.first("SELECT name, version, deleted_at FROM contacts WHERE id = ?",
                                                             [merge.contactID], { ($0.string(0), $0.int64(1), $0.optionalDate(2)) })
            else { continue }
            if version != merge.versionAfter || deleted != nil { lines.append(try describeChange(merge.contactID, name)) }
        }
        for contact in created {
            if contact.version != 1 || contact.deletedAt != nil {
                lines.append(try describeChange(contact.id, contact.name))
            } else if contact.linked {
                lines.append(.linked(id: contact.id, name: contact.name, newest: try newestLinked(to: contact.id)))
            }
        }
        return lines
    }

    /// The newest interaction, deal or follow-up added to a contact, as
    /// the audit log recorded its creation.
    func newestLinked(to contactID: Int64) throws -> LinkedRecord? {
        try c.first(LinkedRecord.newestSQL, [contactID, contactID, contactID]) {
            LinkedRecord(entity: $0.string(0), kind: $0.optionalString(1), by: $0.optionalString(2), at: $0.date(3))
        }
    }

    /// The record as its newest audit entry left it: who changed it, when, what.
    func describeChange(_ id: Int64, _ name: String) throws -> ImportRecordChange {
        .changed(id: id, name: name, newest: try db.audit.entries(entity: "contact", id: id, limit: 1).first)
    }

    /// Takes one merge back: the rows it added go, the fields it filled get
    /// their old values (with `force`, only those nobody changed since).
    /// False when nothing of it was left to take back.
    func revert(_ merge: MergeRecord, now: Date) throws -> Bool {
        let before = try db.contacts.get(merge.contactID)
        var did = false
        for id in merge.emails {
            try c.run("DELETE FROM contact_emails WHERE id = ? AND contact_id = ?", [id, merge.contactID])
            did = did || c.changes > 0
        }
        for id in merge.phones {
            try c.run("DELETE FROM contact_phones WHERE id = ? AND contact_id = ?", [id, merge.contactID])
            did = did || c.changes > 0
        }
        for tag in merge.tags {
            try c.run("DELETE FROM contact_tags WHERE contact_id = ? AND tag_id = ?", [merge.contactID, tag])
            did = did || c.changes > 0
        }
        var sets: [String] = []
        var values: [SQLBindable] = []
        for column in merge.before.keys.sorted() where Self.revertible.contains(column) {
            guard let pair = merge.before[column], pair.count == 2 else { continue }
            // Only where the field still holds what the merge wrote.
            let wrote = Self.bindable(pair[1])
            let stillThere = try c.scalar("SELECT count(*) FROM contacts WHERE id = ? AND \(column) IS ?", [merge.contactID, wrote]) ?? 0
            guard stillThere > 0 else { continue }
            sets.append("\(column) = ?")
            values.append(Self.bindable(pair[0]))
        }
        if !sets.isEmpty || did {
            try c.run("UPDATE contacts SET \((sets + ["updated_at = ?", "version = version + 1"]).joined(separator: ", ")) WHERE id = ?",
                      values + [now, merge.contactID])
            did = true
            // As the merge did, the contact's own trail says what the undo took back.
            if let before, let after = try db.contacts.get(merge.contactID) {
                try db.audit.record("contact", merge.contactID, "undo of import", values: FieldChanges.contact(before, after).values)
            }
        }
        return did
    }

    static var revertible: Set<String> { ImportRowCheck.revertible }

    static func bindable(_ value: Any) -> SQLBindable {
        switch value {
        case let n as NSNumber: n.int64Value
        case let s as String: s
        default: SQLValue.null
        }
    }

    /// The batch's rows of `table` that a row of another table points at (a
    /// foreign key without ON DELETE CASCADE): they cannot be removed without
    /// it. One query per foreign key for the whole batch (each an index
    /// lookup per row since step 53), as on PostgreSQL; read from the
    /// schema, so a table added later counts too.
    func referencedRows(of batchID: Int64, in table: String) throws -> Set<Int64> {
        var found = Set<Int64>()
        for (other, column) in try references(to: table) {
            // Names from the schema itself, quoted.
            let sql = "SELECT DISTINCT \"\(column)\" FROM \"\(other)\" WHERE \"\(column)\" IN (SELECT id FROM \"\(table)\" WHERE batch_id = ?)"
            for id in try c.rows(sql, [batchID], { $0.int64(0) }) { found.insert(id) }
        }
        return found
    }

    func references(to table: String) throws -> [(String, String)] {
        try c.rows("""
            SELECT m.name, f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
            WHERE m.type = 'table' AND f."table" = ? AND upper(f.on_delete) <> 'CASCADE'
            ORDER BY m.name
            """, [table]) { ($0.string(0), $0.string(1)) }
    }
}
