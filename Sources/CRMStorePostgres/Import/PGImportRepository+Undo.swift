import CRMCore
import CRMRepositories
import Foundation

/// Undo of a whole batch on PostgreSQL, as SQLiteImportRepository+Undo: the
/// same refusals (who changed what since), the same order of work, the same
/// audit entry; contacts and companies go a few hundred per statement.
extension PGImportRepository {
    public func undoImport(_ batchID: Int64, force: Bool) throws -> ImportUndoResult {
        try c.transaction {
            guard let batch = try importBatch(batchID) else { throw RepositoryError.notFound(entity: "import batch", id: batchID) }
            if batch.undoneAt != nil { throw ImportUndoRefusal.undoneAlready(batch) }
            if let refusal = ImportUndoRefusal.othersBatch(batch, by: db.currentUser) { throw refusal }
            // Nobody else undoes or edits the batch's rows while this runs.
            try c.run("SELECT id FROM import_batches WHERE id = ?::bigint FOR UPDATE", [batchID])
            let merges = try merges(of: batchID)
            let created = try createdContacts(of: batchID)
            let changes = try changesSince(merges: merges, created: created)
            if !changes.isEmpty && !force { throw ImportUndoRefusal.changedSince(batch, changes) }
            var result = ImportUndoResult()
            let now = db.clock.now
            for merge in merges { if try revert(merge, now: now) { result.mergesReverted += 1 } }
            // Contacts someone has since linked records to cannot go without
            // them: with --force they go to the trash instead.
            var removable: [Int64] = []
            for contact in created {
                if contact.linked {
                    if contact.deletedAt == nil {
                        // Who trashed it and why, as a delete says (QA 29 #10: "by unknown").
                        try c.run("UPDATE contacts SET deleted_at = ?::bigint, deleted_by = ?::bigint, version = version + 1 WHERE id = ?::bigint",
                                  [now, db.currentUser.storedID, contact.id])
                        try db.audit.record("contact", contact.id, "delete", changes: ["undo of import": ("", "#\(batchID)")])
                    }
                    result.contactsTrashed += 1
                } else {
                    removable.append(contact.id)
                }
            }
            for chunk in stride(from: 0, to: removable.count, by: 1_000).map({ Array(removable[$0..<min($0 + 1_000, removable.count)]) }) {
                result.contactsRemoved += try c.run("DELETE FROM contacts WHERE id = ANY(?::bigint[])", [PGArrayLiteral.integers(chunk)])
            }
            let companies = try c.rows("SELECT id, name FROM companies WHERE batch_id = ?::bigint ORDER BY id", [batchID]) {
                ($0.int64(0), $0.string(1))
            }
            let referenced = try self.referenced(table: "companies", ids: companies.map(\.0))
            for (id, name) in companies where referenced.contains(id) { result.companiesKept.append(name) }
            let unused = companies.map(\.0).filter { !referenced.contains($0) }
            if !unused.isEmpty {
                result.companiesRemoved = try c.run("DELETE FROM companies WHERE id = ANY(?::bigint[])", [PGArrayLiteral.integers(unused)])
            }
            try c.run("UPDATE import_batches SET undone_at = ?::bigint, undone_by = ?::bigint WHERE id = ?::bigint",
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
            FROM import_merges WHERE batch_id = ?::bigint ORDER BY id DESC
            """, [batchID]) { row in
            MergeRecord(contactID: row.int64(0), before: ImportRowCheck.before(fromJSON: row.string(1)),
                        emails: ImportRowCheck.ids(fromJSON: row.string(2)), phones: ImportRowCheck.ids(fromJSON: row.string(3)),
                        tags: ImportRowCheck.ids(fromJSON: row.string(4)), versionAfter: row.int64(5))
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
        let rows = try c.rows("SELECT id, name, version, deleted_at FROM contacts WHERE batch_id = ?::bigint ORDER BY id", [batchID]) {
            ($0.int64(0), $0.string(1), $0.int64(2), $0.optionalDate(3))
        }
        let linked = try referenced(table: "contacts", ids: rows.map(\.0))
        return rows.map { CreatedContact(id: $0.0, name: $0.1, version: $0.2, deletedAt: $0.3, linked: linked.contains($0.0)) }
    }

    /// One line per record of the batch someone changed since: who, when, what.
    func changesSince(merges: [MergeRecord], created: [CreatedContact]) throws -> [ImportRecordChange] {
        var lines: [ImportRecordChange] = []
        var seen = Set<Int64>()
        // The newest merge of each contact holds the version the batch left it at.
        for merge in merges where seen.insert(merge.contactID).inserted {
            guard let (name, version, deleted) = try c.first("SELECT name, version, deleted_at FROM contacts WHERE id = ?::bigint",
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
        let before = try PGContactRepository(db: db).get(merge.contactID)
        var did = false
        for id in merge.emails {
            did = try c.run("DELETE FROM contact_emails WHERE id = ?::bigint AND contact_id = ?::bigint", [id, merge.contactID]) > 0 || did
        }
        for id in merge.phones {
            did = try c.run("DELETE FROM contact_phones WHERE id = ?::bigint AND contact_id = ?::bigint", [id, merge.contactID]) > 0 || did
        }
        for tag in merge.tags {
            did = try c.run("DELETE FROM contact_tags WHERE contact_id = ?::bigint AND tag_id = ?::bigint", [merge.contactID, tag]) > 0 || did
        }
        var sets: [String] = []
        var values: [any PGBindable] = []
        for column in merge.before.keys.sorted() where ImportRowCheck.revertible.contains(column) {
            guard let pair = merge.before[column], pair.count == 2 else { continue }
            // Only where the field still holds what the merge wrote (the
            // column's own type: ids are numbers, the rest text).
            let type = column.hasSuffix("_id") ? "bigint" : "text"
            let stillThere = try c.integer("""
                SELECT count(*) FROM contacts WHERE id = ?::bigint AND \(column) IS NOT DISTINCT FROM ?::\(type)
                """, [merge.contactID, Self.bindable(pair[1])]) ?? 0
            guard stillThere > 0 else { continue }
            sets.append("\(column) = ?::\(type)")
            values.append(Self.bindable(pair[0]))
        }
        if !sets.isEmpty || did {
            try c.run("UPDATE contacts SET \((sets + ["updated_at = ?::bigint", "version = version + 1"]).joined(separator: ", ")) WHERE id = ?::bigint",
                      values + [now, merge.contactID])
            try PGSearchDocument.refreshContacts(c, ids: [merge.contactID])
            did = true
            // As the merge did, the contact's own trail says what the undo took back.
            if let before, let after = try PGContactRepository(db: db).get(merge.contactID) {
                try db.audit.record("contact", merge.contactID, "undo of import", values: FieldChanges.contact(before, after).values)
            }
        }
        return did
    }

    static func bindable(_ value: Any) -> any PGBindable {
        switch value {
        case let n as NSNumber: n.int64Value
        case let s as String: s
        default: PGNull()
        }
    }

    /// Which of `ids` a row of another table points at (a foreign key
    /// without ON DELETE CASCADE): those cannot be removed without it. The
    /// keys are read from the catalog, so a table added later counts too.
    func referenced(table: String, ids: [Int64]) throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let references = try c.rows("""
            SELECT r.relname, a.attname FROM pg_constraint k
            JOIN pg_class r ON r.oid = k.conrelid
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
            WHERE k.contype = 'f' AND k.confrelid = ?::regclass AND k.confdeltype <> 'c' AND cardinality(k.conkey) = 1
            ORDER BY r.relname, a.attname
            """, [table]) { ($0.string(0), $0.string(1)) }
        var found = Set<Int64>()
        for start in stride(from: 0, to: ids.count, by: 5_000) {
            let chunk = PGArrayLiteral.integers(Array(ids[start..<min(start + 5_000, ids.count)]))
            for (other, column) in references {
                // Names from the catalog itself, quoted.
                let quotedTable = "\"" + other.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                let quotedColumn = "\"" + column.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                for id in try c.rows("SELECT DISTINCT \(quotedColumn) FROM \(quotedTable) WHERE \(quotedColumn) = ANY(?::bigint[])",
                                     [chunk], { $0.int64(0) }) { found.insert(id) }
            }
        }
        return found
    }
}
