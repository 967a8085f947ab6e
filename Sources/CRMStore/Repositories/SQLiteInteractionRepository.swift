import CRMCore
import CRMRepositories
import Foundation

public final class SQLiteInteractionRepository: InteractionRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    static let columns = """
        i.id, i.contact_id, i.company_id, i.deal_id, i.kind, i.direction, i.occurred_at, i.duration_s, i.outcome,
        i.subject, i.body, i.author_id, i.created_at, i.deleted_at, i.version
        """

    static func interaction(_ row: Row) -> Interaction {
        Interaction(id: row.int64(0), contactID: row.optionalInt64(1), companyID: row.optionalInt64(2),
                    dealID: row.optionalInt64(3), kind: InteractionKind(rawValue: row.string(4)) ?? .note,
                    direction: Direction(rawValue: row.string(5)) ?? .none, occurredAt: row.date(6),
                    durationSeconds: row.isNull(7) ? nil : Int(row.exactInt64(7, otherwise: -1)), outcome: row.string(8), subject: row.string(9),
                    body: row.string(10), authorID: row.optionalInt64(11), createdAt: row.date(12),
                    deletedAt: row.optionalDate(13), version: row.int64(14))
    }

    public func log(_ interaction: Interaction) throws -> Interaction {
        try log(interaction, messageID: nil)
    }

    /// `log`, keeping a mail's Message-ID (schema 15) when there is one.
    func log(_ interaction: Interaction, messageID: String?) throws -> Interaction {
        try ValidationFailure.check(interaction.validate())
        return try c.transaction {
            var i = interaction
            try db.audit.refuseTrashed([("contact", "contacts", i.contactID), ("company", "companies", i.companyID), ("deal", "deals", i.dealID)])
            // An interaction with a contact also belongs to the contact's company,
            // so the company's timeline finds it through one index.
            if i.companyID == nil, let contactID = i.contactID {
                i.companyID = try c.scalar("SELECT company_id FROM contacts WHERE id = ?", [contactID])
            }
            try insert(i, authorID: i.authorID ?? db.currentUser.storedID)
            let id = c.lastInsertRowID
            var changes = ["kind": ("", i.kind.rawValue)]
            if let messageID {
                try c.run("UPDATE interactions SET message_id = ? WHERE id = ?", [messageID, id])
                changes["message id"] = ("", messageID)
            }
            try db.audit.record("interaction", id, "create", changes: changes)
            return try get(id)!
        }
    }

    /// The bare insert, shared with bulk loading (demo data, benchmarks).
    func insert(_ i: Interaction, authorID: Int64?) throws {
        try c.run("""
            INSERT INTO interactions(contact_id, company_id, deal_id, kind, direction, occurred_at, duration_s, outcome,
                                     subject, body, author_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [i.contactID, i.companyID, i.dealID, i.kind.rawValue, i.direction.rawValue, i.occurredAt,
                  i.durationSeconds, i.outcome, i.subject, i.body, authorID, i.createdAt])
    }

    public func get(_ id: Int64) throws -> Interaction? {
        try c.first("SELECT \(Self.columns) FROM interactions i WHERE i.id = ?", [id], Self.interaction)
    }

    public func update(_ interaction: Interaction) throws -> Interaction {
        try ValidationFailure.check(interaction.validate())
        return try c.transaction {
            guard let old = try get(interaction.id), old.deletedAt == nil, old.version == interaction.version else {
                throw try db.audit.staleEdit(entity: "interaction", table: "interactions", id: interaction.id, expected: interaction.version)
            }
            let changes = FieldChanges.interaction(old, interaction)
            if changes.isEmpty { return old }
            // A stage change is the deal's history, written by the store: it is
            // corrected by moving the deal, never edited into a call.
            if old.kind == .stageChange || interaction.kind == .stageChange {
                throw ValidationFailure([FieldError("kind", "a stage change is the deal's history and cannot be edited")])
            }
            if let dealID = interaction.dealID, dealID != old.dealID {
                guard try c.scalar("SELECT count(*) FROM deals WHERE id = ? AND deleted_at IS NULL", [dealID]) == 1 else {
                    throw ValidationFailure([FieldError("deal", "#\(dealID) does not exist (deleted?)")])
                }
            }
            // occurred_at moving back or forth: the untouch trigger recomputes
            // the contact's last interaction from all its entries.
            try c.run("""
                UPDATE interactions SET kind = ?, direction = ?, occurred_at = ?, duration_s = ?, outcome = ?, subject = ?,
                       body = ?, deal_id = ?, version = version + 1 WHERE id = ? AND version = ?
                """, [interaction.kind.rawValue, interaction.direction.rawValue, interaction.occurredAt,
                      interaction.durationSeconds, interaction.outcome, interaction.subject, interaction.body,
                      interaction.dealID, interaction.id, interaction.version])
            try db.audit.record("interaction", interaction.id, "update", values: changes.values)
            return try get(interaction.id)!
        }
    }

    public func delete(_ id: Int64) throws {
        try db.trash.trash(.interaction, id)
    }

    public func restore(_ id: Int64) throws {
        // With what went to the trash with it (see SQLiteTrashRepository).
        _ = try db.trash.restore(.interaction, id)
    }

    public func timeline(_ scope: TimelineScope, before cursor: TimelineCursor?, limit: Int) throws -> [TimelineEntry] {
        var conds = ["i.deleted_at IS NULL"]
        var values: [SQLBindable] = []
        switch scope {
        case .contact(let id): conds.append("i.contact_id = ?"); values.append(id)
        case .company(let id): conds.append("i.company_id = ?"); values.append(id)
        case .deal(let id): conds.append("i.deal_id = ?"); values.append(id)
        case .all(let filter):
            let query = SearchQuery(filter.text)
            if query.scope == .nothing { return [] }
            if db.hasTimelineKeyedSearch, let match = query.ftsMatch(prefixesUpTo: Self.longestIndexedPrefix) {
                return try search(filter, match: match.match, longWords: match.longWords, before: cursor, limit: limit)
            }
            var (filterConds, filterValues) = Self.conditions(filter)
            if !filter.kinds.isEmpty {
                filterConds.append("i.kind IN (\(Array(repeating: "?", count: filter.kinds.count).joined(separator: ", ")))")
                filterValues += filter.kinds.map(\.rawValue).sorted()
            }
            conds += filterConds
            values += filterValues
            if let match = query.ftsMatch {
                // A file at an older schema (read as it is): its index is keyed by id.
                conds.append("i.id IN (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?)")
                values.append(match)
            } else if filter.kinds.count > 1, filter.contactID == nil, filter.companyID == nil, filter.dealID == nil {
                return try kinds(filter.kinds, conds: conds, values: values, before: cursor, limit: limit)
            }
        }
        if let cursor {
            // The bound on the time alone lets SQLite seek in the index.
            conds.append("i.occurred_at <= ?")
            values.append(cursor.occurredAt)
            conds.append("(i.occurred_at, i.id) < (?, ?)")
            values.append(cursor.occurredAt)
            values.append(cursor.id)
        }
        values.append(limit)
        return try c.rows("""
            SELECT \(Self.entryColumns) FROM interactions i \(Self.entryJoins)
            WHERE \(conds.joined(separator: " AND "))
            ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?
            """, values, Self.entry)
    }

    /// The longest prefix `interaction_fts` indexes (schema 30).
    static let longestIndexedPrefix = 4

    /// What a timeline row reads beside the interaction: who wrote it, and
    /// the names of its contact, deal and company.
    static let entryColumns = "\(columns), u.login, ct.name, d.title, co.name"
    static let entryJoins = """
        LEFT JOIN users u ON u.id = i.author_id
        LEFT JOIN contacts ct ON ct.id = i.contact_id
        LEFT JOIN deals d ON d.id = i.deal_id
        LEFT JOIN companies co ON co.id = i.company_id
        """

    static func entry(_ row: Row) -> TimelineEntry {
        TimelineEntry(interaction: interaction(row), authorLogin: row.optionalString(15),
                      contactName: row.optionalString(16), dealTitle: row.optionalString(17),
                      companyName: row.optionalString(18))
    }

    /// The global timeline's filters but its text and kinds, on `i`.
    static func conditions(_ filter: TimelineFilter) -> (sql: [String], values: [SQLBindable]) {
        var conds: [String] = []
        var values: [SQLBindable] = []
        if let author = filter.authorID { conds.append("i.author_id = ?"); values.append(author) }
        if let from = filter.from { conds.append("i.occurred_at >= ?"); values.append(from) }
        if let to = filter.to { conds.append("i.occurred_at < ?"); values.append(to) }
        if let id = filter.contactID { conds.append("i.contact_id = ?"); values.append(id) }
        if let id = filter.companyID { conds.append("i.company_id = ?"); values.append(id) }
        if let id = filter.dealID { conds.append("i.deal_id = ?"); values.append(id) }
        return (conds, values)
    }

    /// Several kinds, newest first: each kind's page read along
    /// `interactions_by_kind_time` (schema 30), then the pages merged. One
    /// `kind IN (…)` would either walk every interaction past the other
    /// kinds or collect and sort all of the kinds' rows.
    private func kinds(_ kinds: Set<InteractionKind>, conds: [String], values: [SQLBindable], before cursor: TimelineCursor?,
                       limit: Int) throws -> [TimelineEntry] {
        var parts: [String] = []
        var bound: [SQLBindable] = []
        for kind in kinds.map(\.rawValue).sorted() {
            var partConds = conds + ["i.kind = ?"]
            var partValues = values + [kind]
            if let cursor {
                partConds += ["i.occurred_at <= ?", "(i.occurred_at, i.id) < (?, ?)"]
                partValues += [cursor.occurredAt, cursor.occurredAt, cursor.id]
            }
            parts.append("""
                SELECT * FROM (SELECT i.id, i.occurred_at FROM interactions i WHERE \(partConds.joined(separator: " AND "))
                               ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?)
                """)
            bound += partValues + [limit]
        }
        return try c.rows("""
            SELECT \(Self.entryColumns)
            FROM (\(parts.joined(separator: "\nUNION ALL\n")) ORDER BY 2 DESC, 1 DESC LIMIT ?) page
            JOIN interactions i ON i.id = page.id \(Self.entryJoins)
            ORDER BY i.occurred_at DESC, i.id DESC
            """, bound + [limit], Self.entry)
    }

    /// A text search of the global timeline, newest first.
    ///
    /// `interaction_fts` is keyed by timeline place (schema 30,
    /// `InteractionTimelineKey`), so the index gives its matches newest
    /// first and a page reads its rows and stops: "a", found in millions of
    /// interactions, costs one page, as does a rare word. A cursor and the
    /// date filters are ranges of that key. Only a search within one
    /// contact's, company's or deal's interactions walks their index
    /// instead and asks the full-text index about each of them (few).
    /// Words longer than the prefix indexes are asked for by their first
    /// characters and checked whole on each row read (`crm_word_prefixes`).
    private func search(_ filter: TimelineFilter, match: String, longWords: [String], before cursor: TimelineCursor?,
                        limit: Int) throws -> [TimelineEntry] {
        // Stage changes are not in the full-text index: a search finds none.
        let kinds = filter.kinds.subtracting([.stageChange])
        if !filter.kinds.isEmpty, kinds.isEmpty { return [] }
        var (conds, values) = Self.conditions(filter)
        if !kinds.isEmpty {
            conds.append("i.kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))")
            values += kinds.map(\.rawValue).sorted()
        }
        let check = longWords.isEmpty ? nil : "crm_word_prefixes(?, f.subject, f.body, f.outcome)"
        let checkValues: [SQLBindable] = longWords.isEmpty ? [] : [longWords.joined(separator: " ")]
        if filter.contactID != nil || filter.companyID != nil || filter.dealID != nil {
            let probe = ["f.interaction_fts MATCH ?", "f.rowid = \(InteractionTimelineKey.sql("i"))"] + (check.map { [$0] } ?? [])
            conds.insert("i.deleted_at IS NULL", at: 0)
            conds.append("EXISTS (SELECT 1 FROM interaction_fts f WHERE \(probe.joined(separator: " AND ")))")
            values += [match] + checkValues
            if let cursor {
                conds += ["i.occurred_at <= ?", "(i.occurred_at, i.id) < (?, ?)"]
                values += [cursor.occurredAt, cursor.occurredAt, cursor.id]
            }
            return try c.rows("""
                SELECT \(Self.entryColumns) FROM interactions i \(Self.entryJoins)
                WHERE \(conds.joined(separator: " AND "))
                ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?
                """, values + [limit], Self.entry)
        }
        var keyConds = ["f.interaction_fts MATCH ?"]
        var keyValues: [SQLBindable] = [match]
        if let cursor {
            keyConds.append("f.rowid < ?")
            keyValues.append(InteractionTimelineKey.key(cursor.occurredAt, id: cursor.id))
        }
        if let from = filter.from {
            keyConds.append("f.rowid >= ?")
            keyValues.append(InteractionTimelineKey.key(from, id: 0))
        }
        if let to = filter.to {
            keyConds.append("f.rowid < ?")
            keyValues.append(InteractionTimelineKey.key(to, id: 0))
        }
        // CROSS JOIN: the index's matches drive, newest first (its rowid
        // order), and each looks its interaction up by id.
        return try c.rows("""
            SELECT \(Self.entryColumns)
            FROM interaction_fts f CROSS JOIN interactions i ON i.id = (f.rowid & \(InteractionTimelineKey.idMask))
            \(Self.entryJoins)
            WHERE \((keyConds + ["i.deleted_at IS NULL"] + conds + (check.map { [$0] } ?? [])).joined(separator: " AND "))
            ORDER BY f.rowid DESC LIMIT ?
            """, keyValues + values + checkValues + [limit], Self.entry)
    }
}
