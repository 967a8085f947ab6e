import CRMCore
import CRMRepositories
import Foundation

/// The trash of every kind of record (see `TrashRepository` for what goes
/// with what). Table and column names below come from `TrashTable`, never
/// from input: identifiers cannot be bound.
public final class SQLiteTrashRepository: TrashRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    // MARK: listing

    public func entries(kind: TrashKind?, after cursor: TrashCursor?, limit: Int) throws -> [TrashEntry] {
        let kinds = kind.map { [$0] } ?? TrashKind.allCases
        var sql = "SELECT kind, id, title, detail, deleted_at, login, dependents FROM ("
            + kinds.map { Self.listing($0) }.joined(separator: " UNION ALL ") + ")"
        var values: [SQLBindable] = []
        if let cursor {
            sql += " WHERE (deleted_at, rank, id) < (?, ?, ?)"
            values += [cursor.deletedAt, cursor.kind.rank, cursor.id]
        }
        sql += " ORDER BY deleted_at DESC, rank DESC, id DESC LIMIT ?"
        values.append(limit)
        return try c.rows(sql, values) { row in
            TrashEntry(kind: TrashKind(rawValue: row.string(0))!, id: row.int64(1), title: row.string(2), detail: row.string(3),
                       deletedAt: row.date(4), deletedBy: row.optionalString(5), dependents: Int(row.int64(6)))
        }
    }

    public func whereabouts(_ kind: TrashKind, _ id: Int64) throws -> RecordWhereabouts {
        let merged = kind == .contact || kind == .company ? "merged_into" : "NULL"
        return try c.first("SELECT deleted_at IS NOT NULL, \(merged) FROM \(TrashTable.of(kind).table) WHERE id = ?", [id]) { row in
            row.int(0) == 0 ? .live : row.optionalInt64(1).map(RecordWhereabouts.mergedInto) ?? .inTrash
        } ?? .missing
    }

    public func contactsInTrash(withPhone number: String, limit: Int) throws -> [TrashEntry] {
        guard let key = DuplicateKey.phone(number, region: db.phoneRegion) else { return [] }
        return try c.rows("""
            SELECT DISTINCT c.id, c.name, c.deleted_at, u.login FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
            LEFT JOIN users u ON u.id = c.deleted_by
            WHERE p.match_key = ? AND c.deleted_at IS NOT NULL AND c.merged_into IS NULL
            ORDER BY c.deleted_at DESC, c.id DESC LIMIT ?
            """, [key, limit]) { row in
            TrashEntry(kind: .contact, id: row.int64(0), title: row.string(1), detail: "", deletedAt: row.date(2),
                       deletedBy: row.optionalString(3), dependents: 0)
        }
    }

    public func count(kind: TrashKind?) throws -> Int {
        let kinds = kind.map { [$0] } ?? TrashKind.allCases
        return Int(try c.scalar("SELECT count(*) FROM (" + kinds.map { Self.listing($0) }.joined(separator: " UNION ALL ") + ")") ?? 0)
    }

    /// One kind's entries: in the trash, and not there only because another record went.
    static func listing(_ kind: TrashKind) -> String {
        let t = TrashTable.of(kind)
        return """
            SELECT '\(kind.rawValue)' AS kind, \(kind.rank) AS rank, x.id AS id, \(t.title) AS title, \(t.detail) AS detail,
                   x.deleted_at AS deleted_at, u.login AS login,
                   (SELECT count(*) FROM trash_links l WHERE l.entity = '\(kind.rawValue)' AND l.entity_id = x.id
                      AND l.link != 'lost') AS dependents
            FROM \(t.table) x LEFT JOIN users u ON u.id = x.deleted_by \(t.joins)
            WHERE x.deleted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM trash_links l WHERE l.dependent = '\(kind.rawValue)'
                AND l.dependent_id = x.id AND l.link = 'trashed')
            """
    }

    // MARK: delete

    public func trash(_ kind: TrashKind, _ id: Int64) throws {
        try c.transaction {
            let t = TrashTable.of(kind)
            let user: Int64? = db.currentUser.storedID
            try c.run("UPDATE \(t.table) SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL",
                      [db.clock.now, user, id])
            guard c.changes == 1 else { throw RepositoryError.notFound(entity: kind.rawValue, id: id) }
            var changes: [String: (String, String)] = [:]
            for dependent in TrashTable.dependents(of: kind) {
                let dt = TrashTable.of(dependent.kind)
                let ids = try c.rows("SELECT id FROM \(dt.table) WHERE \(dependent.column) = ? AND deleted_at IS NULL ORDER BY id", [id]) { $0.int64(0) }
                guard !ids.isEmpty else { continue }
                for did in ids {
                    if dependent.link == "trashed" {
                        try c.run("UPDATE \(dt.table) SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE id = ?",
                                  [db.clock.now, user, did])
                    } else {
                        try c.run("UPDATE \(dt.table) SET \(dependent.column) = NULL, version = version + 1 WHERE id = ?", [did])
                    }
                    try c.run("INSERT INTO trash_links(entity, entity_id, link, dependent, dependent_id) VALUES (?, ?, ?, ?, ?)",
                              [kind.rawValue, id, dependent.link, dependent.kind.rawValue, did])
                }
                changes["\(dependent.link) \(dependent.kind.rawValue)"] = ("", ids.map(String.init).joined(separator: ", "))
            }
            try db.audit.record(kind.rawValue, id, "delete", changes: changes)
        }
    }

    // MARK: restore

    public func restore(_ kind: TrashKind, _ id: Int64) throws -> TrashRestore {
        try c.transaction {
            let t = TrashTable.of(kind)
            guard let row = try c.first("SELECT x.deleted_at, \(t.title) FROM \(t.table) x \(t.joins) WHERE x.id = ?", [id], {
                ($0.optionalInt64(0), $0.string(1))
            }) else {
                throw TrashRefusal(.notInTrash, "There is no \(kind.rawValue) \(id), in the trash or out of it (purged for good, or never there); see `crm trash list`")
            }
            guard row.0 != nil else {
                throw TrashRefusal(.notInTrash, "\(kind.rawValue.capitalizedFirst) \(id) (\"\(row.1)\") is not in the trash: nothing to restore")
            }
            if let parent = try c.first("""
                SELECT entity, entity_id FROM trash_links WHERE dependent = ? AND dependent_id = ? AND link = 'trashed'
                """, [kind.rawValue, id], { (TrashKind(rawValue: $0.string(0))!, $0.int64(1)) }) {
                let name = try title(parent.0, parent.1) ?? "#\(parent.1)"
                throw TrashRefusal(.belongsToAnother, """
                    \(kind.rawValue.capitalizedFirst) \(id) went to the trash with \(parent.0.rawValue) \(parent.1) ("\(name)"): \
                    restore that \(parent.0.rawValue) to bring it back (crm trash restore \(parent.0.typedName) \(parent.1))
                    """)
            }
            if db.hasDuplicateKeys, kind == .contact || kind == .company,
               let survivor = try c.first("SELECT merged_into FROM \(t.table) WHERE id = ? AND merged_into IS NOT NULL", [id], { $0.int64(0) }) {
                throw TrashRefusal.mergedAway(kind, id, title: row.1, into: survivor, survivorTitle: try title(kind, survivor) ?? "#\(survivor)")
            }
            try c.run("UPDATE \(t.table) SET deleted_at = NULL, deleted_by = NULL, version = version + 1 WHERE id = ?", [id])
            var result = TrashRestore(kind: kind, id: id, title: row.1)
            var changes: [String: (String, String)] = [:]
            let links = try c.rows("SELECT link, dependent, dependent_id, note FROM trash_links WHERE entity = ? AND entity_id = ? ORDER BY id",
                                   [kind.rawValue, id]) { (link: $0.string(0), kind: TrashKind(rawValue: $0.string(1))!, id: $0.int64(2), note: $0.string(3)) }
            var movedOn: [TrashKind: Int] = [:]
            for link in links {
                let dt = TrashTable.of(link.kind)
                switch link.link {
                case "trashed":
                    try c.run("UPDATE \(dt.table) SET deleted_at = NULL, deleted_by = NULL, version = version + 1 WHERE id = ? AND deleted_at IS NOT NULL", [link.id])
                    if c.changes == 1 { result.restored[link.kind, default: 0] += 1 }
                case "unlinked":
                    guard let column = TrashTable.dependents(of: kind).first(where: { $0.kind == link.kind })?.column else { continue }
                    try c.run("UPDATE \(dt.table) SET \(column) = ?, version = version + 1 WHERE id = ? AND \(column) IS NULL", [id, link.id])
                    if c.changes == 1 { result.relinked[link.kind, default: 0] += 1 } else { movedOn[link.kind, default: 0] += 1 }
                default: // lost: the record it pointed to was purged for good
                    result.notes.append("""
                        It comes back without its \(link.kind.rawValue) "\(link.note)", which was purged from the trash for good; \
                        link it to another \(link.kind.rawValue) if it needs one.
                        """)
                }
                changes["\(link.link) \(link.kind.rawValue) \(link.id)"] = ("", link.link == "lost" ? "not restored" : "restored")
            }
            for (k, n) in movedOn.sorted(by: { $0.key < $1.key }) {
                result.notes.append("\(k.counted(n).capitalizedFirst) linked elsewhere or gone since \(n == 1 ? "stays" : "stay") as \(n == 1 ? "it is" : "they are").")
            }
            try c.run("DELETE FROM trash_links WHERE entity = ? AND entity_id = ?", [kind.rawValue, id])
            try db.audit.record(kind.rawValue, id, "restore", changes: changes)
            return result
        }
    }

    func title(_ kind: TrashKind, _ id: Int64) throws -> String? {
        let t = TrashTable.of(kind)
        return try c.first("SELECT \(t.title) FROM \(t.table) x \(t.joins) WHERE x.id = ?", [id]) { $0.string(0) }
    }

    // MARK: purge

    public func purge(kind: TrashKind?, deletedBefore before: Date?) throws -> TrashPurge {
        if let reason = Permission.emptyTrash.refusal(for: db.currentUser.role) {
            throw TrashRefusal(.notPermitted, "\(reason.capitalizedFirst); you are \(db.currentUser.login), \(db.currentUser.role.withArticle). Nothing was purged")
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
        try c.transaction {
            var doomed: [TrashKind: Set<Int64>] = [:]
            for k in kind.map({ [$0] }) ?? TrashKind.allCases {
                var sql = "SELECT id FROM (\(Self.listing(k)))"
                var values: [SQLBindable] = []
                if let before { sql += " WHERE deleted_at < ?"; values.append(before) }
                for id in try c.rows(sql, values, { $0.int64(0) }) {
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
            // Leaves first: nothing points at follow-ups and interactions.
            for k in [TrashKind.followUp, .interaction, .deal, .contact, .company] {
                guard let ids = doomed[k], !ids.isEmpty else { continue }
                let t = TrashTable.of(k)
                for id in ids.sorted() {
                    let name = try title(k, id) ?? ""
                    for ref in TrashTable.references(to: k) {
                        let rt = TrashTable.of(ref.kind)
                        let pointing = try c.rows("SELECT id, deleted_at FROM \(rt.table) WHERE \(ref.column) = ?", [id]) { ($0.int64(0), $0.optionalInt64(1)) }
                        for (rid, deletedAt) in pointing where !(doomed[ref.kind]?.contains(rid) ?? false) {
                            if deletedAt != nil && ref.remember {
                                try c.run("INSERT INTO trash_links(entity, entity_id, link, dependent, dependent_id, note) VALUES (?, ?, 'lost', ?, ?, ?)",
                                          [ref.kind.rawValue, rid, k.rawValue, id, name])
                            }
                            try c.run("UPDATE \(rt.table) SET \(ref.column) = NULL, version = version + 1 WHERE id = ?", [rid])
                        }
                    }
                    if k == .deal { try c.run("DELETE FROM deal_stage_history WHERE deal_id = ?", [id]) }
                    // Its lifecycle history goes with it, as a deal's stage history
                    // does (its rows point at the contact: the purge failed on them).
                    if k == .contact { try c.run("DELETE FROM contact_lifecycle_history WHERE contact_id = ?", [id]) }
                    // What an import's merge wrote into it is kept for that batch's
                    // undo; once the contact is gone there is nothing left to undo.
                    if k == .contact { try c.run("DELETE FROM import_merges WHERE contact_id = ?", [id]) }
                    if db.hasDuplicateKeys && (k == .contact || k == .company) {
                        try c.run("UPDATE \(t.table) SET merged_into = NULL WHERE merged_into = ?", [id])
                    }
                    try c.run("""
                        DELETE FROM trash_links WHERE (entity = ? AND entity_id = ?)
                           OR (dependent = ? AND dependent_id = ? AND link != 'lost')
                        """,
                              [k.rawValue, id, k.rawValue, id])
                    try c.run("DELETE FROM \(t.table) WHERE id = ?", [id])
                }
                result.removed[k] = ids.count
            }
            var changes: [String: (String, String)] = ["reason": ("", why)]
            for (k, ids) in doomed where !ids.isEmpty {
                changes[k.rawValue] = ("", ids.sorted().map(String.init).joined(separator: ", "))
            }
            if result.total > 0 { try db.audit.record("trash", 0, "purge", changes: changes) }
            return result
        }
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// Where each kind lives, how the trash names it, and what hangs on it.
struct TrashTable {
    let table: String
    /// SQL for its name, over `x` (the row) and the `joins`.
    let title: String
    let detail: String
    let joins: String

    static func of(_ kind: TrashKind) -> TrashTable {
        switch kind {
        case .contact:
            TrashTable(table: "contacts", title: "x.name", detail: "CASE WHEN x.merged_into IS NOT NULL THEN 'merged into #' || x.merged_into ELSE coalesce(co.name, '') END",
                       joins: "LEFT JOIN companies co ON co.id = x.company_id")
        case .company:
            TrashTable(table: "companies", title: "x.name",
                         detail: "CASE WHEN x.merged_into IS NOT NULL THEN 'merged into #' || x.merged_into ELSE x.domain END", joins: "")
        case .deal:
            TrashTable(table: "deals", title: "x.title", detail: "coalesce(co.name, ct.name, '')",
                       joins: "LEFT JOIN companies co ON co.id = x.company_id LEFT JOIN contacts ct ON ct.id = x.contact_id")
        case .followUp:
            TrashTable(table: "follow_ups", title: "x.title", detail: "coalesce(ct.name, d.title, '')",
                       joins: "LEFT JOIN contacts ct ON ct.id = x.contact_id LEFT JOIN deals d ON d.id = x.deal_id")
        case .interaction:
            TrashTable(table: "interactions", title: "CASE WHEN x.subject = '' THEN x.kind ELSE x.subject END",
                       detail: "coalesce(ct.name, co.name, '')",
                       joins: "LEFT JOIN contacts ct ON ct.id = x.contact_id LEFT JOIN companies co ON co.id = x.company_id")
        }
    }

    /// What a delete of `kind` takes along (`trashed`) or unlinks (`unlinked`),
    /// by the column of the dependent that points to it.
    static func dependents(of kind: TrashKind) -> [(kind: TrashKind, column: String, link: String)] {
        switch kind {
        // A contact's interactions stay with it (its history is read in the
        // trash, and nobody is reminded of them); its follow-ups would remind.
        case .contact: [(.followUp, "contact_id", "trashed")]
        case .deal: [(.followUp, "deal_id", "trashed")]
        case .company: [(.contact, "company_id", "unlinked"), (.deal, "company_id", "unlinked")]
        case .followUp, .interaction: []
        }
    }

    /// Every column that points to a record of `kind` (cleared when it is
    /// purged); `remember`: a trashed row keeps the name it lost.
    static func references(to kind: TrashKind) -> [(kind: TrashKind, column: String, remember: Bool)] {
        switch kind {
        case .company: [(.contact, "company_id", true), (.deal, "company_id", true), (.interaction, "company_id", false)]
        case .contact: [(.deal, "contact_id", true), (.followUp, "contact_id", true), (.interaction, "contact_id", true)]
        case .deal: [(.followUp, "deal_id", true), (.interaction, "deal_id", false)]
        case .followUp, .interaction: []
        }
    }
}
