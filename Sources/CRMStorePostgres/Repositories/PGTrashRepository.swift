import CRMCore
import CRMRepositories
import Foundation

/// The trash of every kind of record on PostgreSQL, as
/// `SQLiteTrashRepository`: the same list (newest first, keyset paged, what
/// went along counted, not listed), the same purge (dependents with it, one
/// transaction, one audit record, admins only) and retention. Moving to the
/// trash and back is `PGTrash`. Table and column names come from
/// `PGTrashTable`, never from input: identifiers cannot be bound.
public final class PGTrashRepository: TrashRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    // MARK: listing

    public func entries(kind: TrashKind?, after cursor: TrashCursor?, limit: Int) throws -> [TrashEntry] {
        var sql = "SELECT kind, id, title, detail, deleted_at, login, dependents FROM (" + Self.listings(kind) + ") AS trash"
        var values: [any PGBindable] = []
        if let cursor {
            sql += " WHERE (deleted_at, rank, id) < (?::bigint, ?::integer, ?::bigint)"
            values += [cursor.deletedAt, cursor.kind.rank, cursor.id]
        }
        sql += " ORDER BY deleted_at DESC, rank DESC, id DESC LIMIT ?::bigint"
        values.append(limit)
        return try c.rows(sql, values) { row in
            TrashEntry(kind: TrashKind(rawValue: row.string(0))!, id: row.int64(1), title: row.string(2), detail: row.string(3),
                       deletedAt: row.date(4), deletedBy: row.optionalString(5), dependents: row.int(6))
        }
    }

    public func whereabouts(_ kind: TrashKind, _ id: Int64) throws -> RecordWhereabouts {
        let merged = kind == .contact || kind == .company ? "merged_into" : "NULL::bigint"
        return try c.first("SELECT deleted_at IS NOT NULL, \(merged) FROM \(PGTrashTable.of(kind).table) WHERE id = ?::bigint", [id]) { row in
            !row.bool(0) ? .live : row.optionalInt64(1).map(RecordWhereabouts.mergedInto) ?? .inTrash
        } ?? .missing
    }

    public func contactsInTrash(withPhone number: String, limit: Int) throws -> [TrashEntry] {
        guard let key = DuplicateKey.phone(number, region: db.phoneRegion) else { return [] }
        return try c.rows("""
            SELECT DISTINCT c.id, c.name, c.deleted_at, u.login FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
            LEFT JOIN users u ON u.id = c.deleted_by
            WHERE p.match_key = ? AND c.deleted_at IS NOT NULL AND c.merged_into IS NULL
            ORDER BY c.deleted_at DESC, c.id DESC LIMIT ?::bigint
            """, [key, limit]) { row in
            TrashEntry(kind: .contact, id: row.int64(0), title: row.string(1), detail: "", deletedAt: row.date(2),
                       deletedBy: row.optionalString(3), dependents: 0)
        }
    }

    public func count(kind: TrashKind?) throws -> Int {
        Int(try c.integer("SELECT count(*) FROM (" + Self.listings(kind) + ") AS trash") ?? 0)
    }

    static func listings(_ kind: TrashKind?) -> String {
        (kind.map { [$0] } ?? TrashKind.allCases).map(listing).joined(separator: " UNION ALL ")
    }

    /// One kind's entries: in the trash, and not there only because another record went.
    static func listing(_ kind: TrashKind) -> String {
        let t = PGTrashTable.of(kind)
        return """
            SELECT text '\(kind.rawValue)' AS kind, \(kind.rank) AS rank, x.id AS id, \(t.title) AS title, \(t.detail) AS detail,
                   x.deleted_at AS deleted_at, u.login AS login,
                   (SELECT count(*) FROM trash_links l WHERE l.entity = '\(kind.rawValue)' AND l.entity_id = x.id
                      AND l.link <> 'lost') AS dependents
            FROM \(t.table) x LEFT JOIN users u ON u.id = x.deleted_by \(t.joins)
            WHERE x.deleted_at IS NOT NULL AND \(notTakenAlong(kind))
            """
    }

    /// The record is not in the trash only because another one went there.
    static func notTakenAlong(_ kind: TrashKind) -> String {
        """
        NOT EXISTS (SELECT 1 FROM trash_links l WHERE l.dependent = '\(kind.rawValue)'
            AND l.dependent_id = x.id AND l.link = 'trashed')
        """
    }

    // MARK: delete and restore

    public func trash(_ kind: TrashKind, _ id: Int64) throws { try PGTrash(db: db).trash(kind, id) }
    public func restore(_ kind: TrashKind, _ id: Int64) throws -> TrashRestore { try PGTrash(db: db).restore(kind, id) }

    // MARK: purge

    public func purge(kind: TrashKind?, deletedBefore before: Date?) throws -> TrashPurge {
        if let reason = Permission.emptyTrash.refusal(for: db.currentUser.role) {
            throw TrashRefusal(.notPermitted, "\(PGTrash.capitalized(reason)); you are \(db.currentUser.login), \(db.currentUser.role.withArticle). Nothing was purged")
        }
        return try purgeEntries(kind: kind, before: before, why: before == nil ? "empty" : "purge")
    }

    public func purgeExpired(days: Int) throws -> TrashPurge {
        try purgeEntries(kind: nil, before: db.clock.now.addingTimeInterval(-Double(days) * 86_400), why: "retention \(days) days")
    }

    /// Every entry deleted before `before` goes, with what went with it; the
    /// links live records had to them are cleared (FOREIGN KEYs demand it), and
    /// a trashed record that pointed to one remembers the name it lost.
    func purgeEntries(kind: TrashKind?, before: Date?, why: String) throws -> TrashPurge {
        do {
            return try purgeInOneTransaction(kind: kind, before: before, why: why)
        } catch is RepositoryError where c.lastError?.sqlState == "42501" {
            // The server's grants: deleting follow-ups, interactions and deals
            // for good is an admin's (PGSchemaV30Roles).
            throw notPermitted()
        }
    }

    /// Deleting for good is an admin's right in the database too (grants,
    /// and row policies that hide a contact or company from a rep's DELETE
    /// rather than refuse it), so a rep's retention purge is refused here.
    func notPermitted() -> TrashRefusal {
        let me = db.currentUser
        return TrashRefusal(.notPermitted, "Only an admin deletes records for good on this PostgreSQL database (the trash's retention too); "
                                + "you are \(me.login), \(me.role.withArticle). Nothing was purged")
    }

    private func purgeInOneTransaction(kind: TrashKind?, before: Date?, why: String) throws -> TrashPurge {
        try c.transaction {
            let trash = PGTrash(db: db)
            var doomed: [TrashKind: Set<Int64>] = [:]
            for k in kind.map({ [$0] }) ?? TrashKind.allCases {
                // The entries' rows are locked: one restored meanwhile by
                // another session is no longer in the trash when the lock is
                // granted, and PostgreSQL then leaves it out (as SQLite's one
                // writer at a time never sees it).
                let t = PGTrashTable.of(k)
                var sql = "SELECT x.id FROM \(t.table) x WHERE x.deleted_at IS NOT NULL AND \(Self.notTakenAlong(k))"
                var values: [any PGBindable] = []
                if let before { sql += " AND x.deleted_at < ?::bigint"; values.append(before) }
                for id in try c.rows(sql + " ORDER BY x.id FOR UPDATE OF x", values, { $0.int64(0) }) {
                    doomed[k, default: []].insert(id)
                    for dep in try c.rows("SELECT dependent, dependent_id FROM trash_links WHERE entity = ? AND entity_id = ? AND link = 'trashed'",
                                          [k.rawValue, id], { (TrashKind(rawValue: $0.string(0))!, $0.int64(1)) }) {
                        doomed[dep.0, default: []].insert(dep.1)
                    }
                }
            }
            // An interaction stays with its contact in the trash (its history);
            // one that would point at nothing once these are gone goes with them.
            for (kind, column) in [(TrashKind.contact, "contact_id"), (.company, "company_id"), (.deal, "deal_id")] {
                for ref in doomed[kind]?.sorted() ?? [] {
                    for (id, contact, company, deal) in try c.rows(
                        "SELECT id, contact_id, company_id, deal_id FROM interactions WHERE \(column) = ?",
                        [ref], { ($0.int64(0), $0.optionalInt64(1), $0.optionalInt64(2), $0.optionalInt64(3)) }) {
                        let refs: [(TrashKind, Int64?)] = [(.contact, contact), (.company, company), (.deal, deal)]
                        let kept = refs.contains { k, r in r.map { !(doomed[k]?.contains($0) ?? false) } ?? false }
                        if !kept { doomed[.interaction, default: []].insert(id) }
                    }
                }
            }
            var result = TrashPurge()
            var unlinkedContacts: [Int64] = []
            // Leaves first: nothing points at follow-ups and interactions.
            for k in [TrashKind.followUp, .interaction, .deal, .contact, .company] {
                guard let ids = doomed[k], !ids.isEmpty else { continue }
                let t = PGTrashTable.of(k)
                for id in ids.sorted() {
                    let name = try trash.title(k, id) ?? ""
                    for ref in PGTrashTable.references(to: k) {
                        let rt = PGTrashTable.of(ref.kind)
                        let pointing = try c.rows("SELECT id, deleted_at FROM \(rt.table) WHERE \(ref.column) = ?", [id]) { ($0.int64(0), $0.optionalInt64(1)) }
                        for (rid, deletedAt) in pointing where !(doomed[ref.kind]?.contains(rid) ?? false) {
                            if deletedAt != nil && ref.remember {
                                try c.run("INSERT INTO trash_links(entity, entity_id, link, dependent, dependent_id, note) VALUES (?, ?, 'lost', ?, ?, ?)",
                                          [ref.kind.rawValue, rid, k.rawValue, id, name])
                            }
                            try c.run("UPDATE \(rt.table) SET \(ref.column) = NULL, version = version + 1 WHERE id = ?", [rid])
                            if ref.kind == .contact { unlinkedContacts.append(rid) }
                        }
                    }
                    if k == .deal { try c.run("DELETE FROM deal_stage_history WHERE deal_id = ?", [id]) }
                    // Its lifecycle history goes with it, as a deal's stage history
                    // does (its rows point at the contact: the purge failed on them).
                    if k == .contact { try c.run("DELETE FROM contact_lifecycle_history WHERE contact_id = ?", [id]) }
                    // What an import's merge wrote into it is kept for that batch's
                    // undo; once the contact is gone there is nothing left to undo.
                    if k == .contact { try c.run("DELETE FROM import_merges WHERE contact_id = ?", [id]) }
                    if k == .contact || k == .company {
                        try c.run("UPDATE \(t.table) SET merged_into = NULL WHERE merged_into = ?", [id])
                    }
                    try c.run("""
                        DELETE FROM trash_links WHERE (entity = ? AND entity_id = ?)
                           OR (dependent = ? AND dependent_id = ? AND link <> 'lost')
                        """, [k.rawValue, id, k.rawValue, id])
                    // A row policy hides the row from a rep's DELETE: nothing goes.
                    let deleted = try c.run("DELETE FROM \(t.table) WHERE id = ?", [id])
                    guard deleted == 1 || db.currentUser.role == .admin else { throw notPermitted() }
                }
                result.removed[k] = ids.count
            }
            // A contact that lost its company no longer finds it in search
            // (its document names the company; SQLite's index follows by trigger).
            try PGSearchDocument.refreshContacts(c, ids: unlinkedContacts)
            var changes: [String: (String, String)] = ["reason": ("", why)]
            for (k, ids) in doomed where !ids.isEmpty {
                changes[k.rawValue] = ("", ids.sorted().map(String.init).joined(separator: ", "))
            }
            if result.total > 0 { try db.audit.record("trash", 0, "purge", changes: changes) }
            return result
        }
    }
}
