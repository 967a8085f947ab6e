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
            // An interaction with a contact also belongs to the contact's company,
            // so the company's timeline finds it through one index.
            if i.companyID == nil, let contactID = i.contactID {
                i.companyID = try c.scalar("SELECT company_id FROM contacts WHERE id = ?", [contactID])
            }
            try insert(i, authorID: i.authorID ?? (db.currentUser.id == 0 ? nil : db.currentUser.id))
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
            var changes = FieldChanges()
            changes.compare("kind", old.kind.rawValue, interaction.kind.rawValue)
            changes.compare("direction", old.direction.rawValue, interaction.direction.rawValue)
            changes.compare("occurred at", old.occurredAt, interaction.occurredAt)
            changes.compare("duration", old.durationSeconds, interaction.durationSeconds)
            changes.compare("outcome", old.outcome, interaction.outcome)
            changes.compare("subject", old.subject, interaction.subject)
            changes.compare("body", old.body, interaction.body)
            changes.compare("deal", old.dealID, interaction.dealID)
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
        try db.softDelete(table: "interactions", entity: "interaction", id: id)
    }

    public func restore(_ id: Int64) throws {
        try db.restore(table: "interactions", entity: "interaction", id: id)
    }

    public func timeline(_ scope: TimelineScope, before cursor: TimelineCursor?, limit: Int) throws -> [TimelineEntry] {
        var conds = ["i.deleted_at IS NULL"]
        var values: [SQLBindable] = []
        switch scope {
        case .contact(let id): conds.append("i.contact_id = ?"); values.append(id)
        case .company(let id): conds.append("i.company_id = ?"); values.append(id)
        case .deal(let id): conds.append("i.deal_id = ?"); values.append(id)
        case .all(let filter):
            if !filter.kinds.isEmpty {
                conds.append("i.kind IN (\(Array(repeating: "?", count: filter.kinds.count).joined(separator: ", ")))")
                values += filter.kinds.map(\.rawValue).sorted()
            }
            if let author = filter.authorID { conds.append("i.author_id = ?"); values.append(author) }
            if let from = filter.from { conds.append("i.occurred_at >= ?"); values.append(from) }
            if let to = filter.to { conds.append("i.occurred_at < ?"); values.append(to) }
            if let id = filter.contactID { conds.append("i.contact_id = ?"); values.append(id) }
            if let id = filter.companyID { conds.append("i.company_id = ?"); values.append(id) }
            if let id = filter.dealID { conds.append("i.deal_id = ?"); values.append(id) }
            let query = SearchQuery(filter.text)
            if query.scope == .nothing { conds.append("0") }
            if let match = query.ftsMatch {
                conds.append("i.id IN (SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH ?)")
                values.append(match)
            }
        }
        if let cursor {
            conds.append("(i.occurred_at, i.id) < (?, ?)")
            values.append(cursor.occurredAt)
            values.append(cursor.id)
        }
        values.append(limit)
        return try c.rows("""
            SELECT \(Self.columns), u.login, ct.name, d.title, co.name FROM interactions i
            LEFT JOIN users u ON u.id = i.author_id
            LEFT JOIN contacts ct ON ct.id = i.contact_id
            LEFT JOIN deals d ON d.id = i.deal_id
            LEFT JOIN companies co ON co.id = i.company_id
            WHERE \(conds.joined(separator: " AND "))
            ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?
            """, values) { row in
            TimelineEntry(interaction: Self.interaction(row), authorLogin: row.optionalString(15),
                          contactName: row.optionalString(16), dealTitle: row.optionalString(17),
                          companyName: row.optionalString(18))
        }
    }
}
