import CRMCore
import CRMRepositories
import Foundation

/// Moving a record to the trash and back on PostgreSQL, with what goes with
/// it, exactly as `SQLiteTrashRepository.trash/restore` do (the same
/// `trash_links` rows, versions and audit records). Table and column names
/// come from `PGTrashTable`, never from input: identifiers cannot be bound.
struct PGTrash {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }

    func trash(_ kind: TrashKind, _ id: Int64) throws {
        try c.transaction {
            let t = PGTrashTable.of(kind)
            let user: Int64? = db.currentUser.storedID
            let changed = try c.run("UPDATE \(t.table) SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL",
                                    [db.clock.now, user, id])
            guard changed == 1 else { throw RepositoryError.notFound(entity: kind.rawValue, id: id) }
            var changes: [String: (String, String)] = [:]
            for dependent in PGTrashTable.dependents(of: kind) {
                let dt = PGTrashTable.of(dependent.kind)
                let ids = try c.rows("SELECT id FROM \(dt.table) WHERE \(dependent.column) = ? AND deleted_at IS NULL ORDER BY id FOR UPDATE",
                                     [id]) { $0.int64(0) }
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
                // An unlinked contact no longer shows the company's name in search.
                if dependent.kind == .contact { try PGSearchDocument.refreshContacts(c, ids: ids) }
                changes["\(dependent.link) \(dependent.kind.rawValue)"] = ("", ids.map(String.init).joined(separator: ", "))
            }
            try db.audit.record(kind.rawValue, id, "delete", changes: changes)
        }
    }

    func restore(_ kind: TrashKind, _ id: Int64) throws -> TrashRestore {
        try c.transaction {
            let t = PGTrashTable.of(kind)
            guard let row = try c.first("SELECT x.deleted_at, \(t.title) FROM \(t.table) x \(t.joins) WHERE x.id = ? FOR UPDATE OF x", [id], {
                ($0.optionalInt64(0), $0.string(1))
            }) else {
                throw TrashRefusal(.notInTrash, "There is no \(kind.rawValue) \(id), in the trash or out of it (purged for good, or never there); see `crm trash list`")
            }
            guard row.0 != nil else {
                throw TrashRefusal(.notInTrash, "\(Self.capitalized(kind.rawValue)) \(id) (\"\(row.1)\") is not in the trash: nothing to restore")
            }
            if let parent = try c.first("""
                SELECT entity, entity_id FROM trash_links WHERE dependent = ? AND dependent_id = ? AND link = 'trashed'
                """, [kind.rawValue, id], { (TrashKind(rawValue: $0.string(0))!, $0.int64(1)) }) {
                let name = try title(parent.0, parent.1) ?? "#\(parent.1)"
                throw TrashRefusal(.belongsToAnother, """
                    \(Self.capitalized(kind.rawValue)) \(id) went to the trash with \(parent.0.rawValue) \(parent.1) ("\(name)"): \
                    restore that \(parent.0.rawValue) to bring it back (crm trash restore \(parent.0.typedName) \(parent.1))
                    """)
            }
            if kind == .contact || kind == .company,
               let survivor = try c.first("SELECT merged_into FROM \(t.table) WHERE id = ? AND merged_into IS NOT NULL", [id], { $0.int64(0) }) {
                throw TrashRefusal.mergedAway(kind, id, title: row.1, into: survivor, survivorTitle: try title(kind, survivor) ?? "#\(survivor)")
            }
            try c.run("UPDATE \(t.table) SET deleted_at = NULL, deleted_by = NULL, version = version + 1 WHERE id = ?", [id])
            var result = TrashRestore(kind: kind, id: id, title: row.1)
            var changes: [String: (String, String)] = [:]
            let links = try c.rows("SELECT link, dependent, dependent_id, note FROM trash_links WHERE entity = ? AND entity_id = ? ORDER BY id",
                                   [kind.rawValue, id]) { (link: $0.string(0), kind: TrashKind(rawValue: $0.string(1))!, id: $0.int64(2), note: $0.string(3)) }
            var movedOn: [TrashKind: Int] = [:]
            var relinkedContacts: [Int64] = []
            for link in links {
                let dt = PGTrashTable.of(link.kind)
                switch link.link {
                case "trashed":
                    let n = try c.run("UPDATE \(dt.table) SET deleted_at = NULL, deleted_by = NULL, version = version + 1 WHERE id = ? AND deleted_at IS NOT NULL", [link.id])
                    if n == 1 { result.restored[link.kind, default: 0] += 1 }
                case "unlinked":
                    guard let column = PGTrashTable.dependents(of: kind).first(where: { $0.kind == link.kind })?.column else { continue }
                    let n = try c.run("UPDATE \(dt.table) SET \(column) = ?, version = version + 1 WHERE id = ? AND \(column) IS NULL", [id, link.id])
                    if n == 1 {
                        result.relinked[link.kind, default: 0] += 1
                        if link.kind == .contact { relinkedContacts.append(link.id) }
                    } else {
                        movedOn[link.kind, default: 0] += 1
                    }
                default: // lost: the record it pointed to was purged for good
                    result.notes.append("""
                        It comes back without its \(link.kind.rawValue) "\(link.note)", which was purged from the trash for good; \
                        link it to another \(link.kind.rawValue) if it needs one.
                        """)
                }
                changes["\(link.link) \(link.kind.rawValue) \(link.id)"] = ("", link.link == "lost" ? "not restored" : "restored")
            }
            for (k, n) in movedOn.sorted(by: { $0.key < $1.key }) {
                result.notes.append("\(Self.capitalized(k.counted(n))) linked elsewhere or gone since \(n == 1 ? "stays" : "stay") as \(n == 1 ? "it is" : "they are").")
            }
            // A contact linked to its company again shows the company's name in search.
            try PGSearchDocument.refreshContacts(c, ids: relinkedContacts)
            try c.run("DELETE FROM trash_links WHERE entity = ? AND entity_id = ?", [kind.rawValue, id])
            try db.audit.record(kind.rawValue, id, "restore", changes: changes)
            return result
        }
    }

    func title(_ kind: TrashKind, _ id: Int64) throws -> String? {
        let t = PGTrashTable.of(kind)
        return try c.first("SELECT \(t.title) FROM \(t.table) x \(t.joins) WHERE x.id = ?", [id]) { $0.string(0) }
    }

    static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}

/// Where each kind lives, how the trash names it, and what hangs on it: the
/// same as SQLite's `TrashTable` (kept apart because its SQL is per engine).
struct PGTrashTable {
    let table: String
    let title: String
    let detail: String
    let joins: String

    static func of(_ kind: TrashKind) -> PGTrashTable {
        switch kind {
        case .contact:
            PGTrashTable(table: "contacts", title: "x.name", detail: "CASE WHEN x.merged_into IS NOT NULL THEN 'merged into #' || x.merged_into::text ELSE coalesce(co.name, '') END",
                         joins: "LEFT JOIN companies co ON co.id = x.company_id")
        case .company:
            PGTrashTable(table: "companies", title: "x.name",
                         detail: "CASE WHEN x.merged_into IS NOT NULL THEN 'merged into #' || x.merged_into::text ELSE x.domain END", joins: "")
        case .deal:
            PGTrashTable(table: "deals", title: "x.title", detail: "coalesce(co.name, ct.name, '')",
                         joins: "LEFT JOIN companies co ON co.id = x.company_id LEFT JOIN contacts ct ON ct.id = x.contact_id")
        case .followUp:
            PGTrashTable(table: "follow_ups", title: "x.title", detail: "coalesce(ct.name, d.title, '')",
                         joins: "LEFT JOIN contacts ct ON ct.id = x.contact_id LEFT JOIN deals d ON d.id = x.deal_id")
        case .interaction:
            PGTrashTable(table: "interactions", title: "CASE WHEN x.subject = '' THEN x.kind ELSE x.subject END",
                         detail: "coalesce(ct.name, co.name, '')",
                         joins: "LEFT JOIN contacts ct ON ct.id = x.contact_id LEFT JOIN companies co ON co.id = x.company_id")
        }
    }

    /// What a delete of `kind` takes along (`trashed`) or unlinks (`unlinked`).
    static func dependents(of kind: TrashKind) -> [(kind: TrashKind, column: String, link: String)] {
        switch kind {
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
