import CRMCore
import CRMRepositories
import Foundation

/// Calls, mails, meetings, notes and messages on PostgreSQL, as
/// `SQLiteInteractionRepository` keeps them, and the timelines of every
/// scope, newest first and keyset paged by (occurred_at, id). A text search
/// matches the words of subject, body and outcome (`search_words`, folded as
/// SQLite folds them, see `PGSearchWords`); stage changes are the deal's
/// history and, as on SQLite, never found by a search.
public final class PGInteractionRepository: InteractionRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    static let columns = """
        i.id, i.contact_id, i.company_id, i.deal_id, i.kind, i.direction, i.occurred_at, i.duration_s, i.outcome,
        i.subject, i.body, i.author_id, i.created_at, i.deleted_at, i.version
        """

    static func interaction(_ row: PGRow) -> Interaction {
        Interaction(id: row.int64(0), contactID: row.optionalInt64(1), companyID: row.optionalInt64(2),
                    dealID: row.optionalInt64(3), kind: InteractionKind(rawValue: row.string(4)) ?? .note,
                    direction: Direction(rawValue: row.string(5)) ?? .none, occurredAt: row.date(6),
                    durationSeconds: row.optionalInt64(7).map { Int($0) }, outcome: row.string(8), subject: row.string(9),
                    body: row.string(10), authorID: row.optionalInt64(11), createdAt: row.date(12),
                    deletedAt: row.optionalDate(13), version: row.int64(14))
    }

    public func log(_ interaction: Interaction) throws -> Interaction {
        try log(interaction, messageID: nil)
    }

    /// `log`, keeping a mail's Message-ID when there is one.
    func log(_ interaction: Interaction, messageID: String?) throws -> Interaction {
        try ValidationFailure.check(interaction.validate())
        return try c.transaction {
            var i = interaction
            try db.audit.refuseTrashed([("contact", "contacts", i.contactID), ("company", "companies", i.companyID), ("deal", "deals", i.dealID)])
            // An interaction with a contact also belongs to the contact's company,
            // so the company's timeline finds it through one index.
            if i.companyID == nil, let contactID = i.contactID {
                i.companyID = try c.integer("SELECT company_id FROM contacts WHERE id = ?", [contactID])
            }
            let authorID = i.authorID ?? db.currentUser.storedID
            guard let id = try c.integer("""
                INSERT INTO interactions(contact_id, company_id, deal_id, kind, direction, occurred_at, duration_s, outcome,
                                         subject, body, author_id, created_at, message_id, search_words)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::tsvector) RETURNING id
                """, [i.contactID, i.companyID, i.dealID, i.kind.rawValue, i.direction.rawValue, i.occurredAt,
                      i.durationSeconds, i.outcome, i.subject, i.body, authorID, i.createdAt, messageID,
                      PGSearchWords.vector(i.subject, i.body, i.outcome)]) else {
                throw RepositoryError.notFound(entity: "interaction", id: 0)
            }
            var changes = ["kind": ("", i.kind.rawValue)]
            if let messageID { changes["message id"] = ("", messageID) }
            try db.audit.record("interaction", id, "create", changes: changes)
            return try get(id)!
        }
    }

    public func get(_ id: Int64) throws -> Interaction? {
        try c.first("SELECT \(Self.columns) FROM interactions i WHERE i.id = ?", [id], Self.interaction)
    }

    public func update(_ interaction: Interaction) throws -> Interaction {
        try ValidationFailure.check(interaction.validate())
        return try c.transaction {
            guard let old = try c.first("SELECT \(Self.columns) FROM interactions i WHERE i.id = ? FOR UPDATE", [interaction.id], Self.interaction),
                  old.deletedAt == nil, old.version == interaction.version else {
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
                guard try c.integer("SELECT count(*) FROM deals WHERE id = ? AND deleted_at IS NULL", [dealID]) == 1 else {
                    throw ValidationFailure([FieldError("deal", "#\(dealID) does not exist (deleted?)")])
                }
            }
            try c.run("""
                UPDATE interactions SET kind = ?, direction = ?, occurred_at = ?, duration_s = ?, outcome = ?, subject = ?,
                       body = ?, deal_id = ?, search_words = ?::tsvector, version = version + 1 WHERE id = ? AND version = ?
                """, [interaction.kind.rawValue, interaction.direction.rawValue, interaction.occurredAt,
                      interaction.durationSeconds, interaction.outcome, interaction.subject, interaction.body,
                      interaction.dealID, PGSearchWords.vector(interaction.subject, interaction.body, interaction.outcome),
                      interaction.id, interaction.version])
            try db.audit.record("interaction", interaction.id, "update", values: changes.values)
            return try get(interaction.id)!
        }
    }

    public func delete(_ id: Int64) throws {
        try PGTrash(db: db).trash(.interaction, id)
    }

    public func restore(_ id: Int64) throws {
        _ = try PGTrash(db: db).restore(.interaction, id)
    }

    public func timeline(_ scope: TimelineScope, before cursor: TimelineCursor?, limit: Int) throws -> [TimelineEntry] {
        var conds = ["i.deleted_at IS NULL"]
        var values: [any PGBindable] = []
        switch scope {
        case .contact(let id): conds.append("i.contact_id = ?"); values.append(id)
        case .company(let id): conds.append("i.company_id = ?"); values.append(id)
        case .deal(let id): conds.append("i.deal_id = ?"); values.append(id)
        case .all(let filter):
            let query = PGSearchWords.Query(filter.text)
            if query.findsNothing { return [] }
            var kinds = filter.kinds
            if let match = query.tsquery {
                // Stage changes are not searched (SQLite does not index them).
                kinds = (kinds.isEmpty ? Set(InteractionKind.allCases) : kinds).subtracting([.stageChange])
                if kinds.isEmpty { return [] }
                conds.append("i.search_words @@ ?::tsquery")
                values.append(match)
            }
            let (filterConds, filterValues) = Self.conditions(filter)
            conds += filterConds
            values += filterValues
            if !kinds.isEmpty {
                conds.append("i.kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))")
                values += kinds.map(\.rawValue).sorted()
            }
        }
        if let cursor {
            conds.append("(i.occurred_at, i.id) < (?::bigint, ?::bigint)")
            values.append(cursor.occurredAt)
            values.append(cursor.id)
        }
        // One record's timeline has its limit in the text (`PGConnection.limit`:
        // one generic plan); the whole timeline's best plan depends on its
        // filters' values (a rare kind, the words searched): bound.
        var limitSQL = PGConnection.limit(limit)
        if case .all = scope {
            limitSQL = "LIMIT ?"
            values.append(limit)
        }
        return try c.rows("""
            SELECT \(Self.entryColumns) FROM interactions i
            WHERE \(conds.joined(separator: " AND "))
            ORDER BY i.occurred_at DESC, i.id DESC \(limitSQL)
            """, values, Self.entry)
    }

    /// `timeline(.contact(id), before: nil, limit:)` as one statement (`?`
    /// placeholder: the id), for the contact's pane, which sends it in a
    /// pipeline with the pane's other reads.
    static func contactTimelineSQL(limit: Int) -> String {
        """
        SELECT \(entryColumns) FROM interactions i
        WHERE i.deleted_at IS NULL AND i.contact_id = ?
        ORDER BY i.occurred_at DESC, i.id DESC \(PGConnection.limit(limit))
        """
    }

    /// What a timeline row reads beside the interaction: who wrote it, and
    /// the names of its contact, deal and company, each by key in a
    /// subquery of its own rather than a LEFT JOIN: a five-table join took
    /// 1.5-5 ms to plan at 100,000 contacts (every index of contacts, deals
    /// and interactions weighed in each order), the statement alone 0.4.
    static let entryColumns = """
        \(columns), (SELECT u.login FROM users u WHERE u.id = i.author_id),
        (SELECT ct.name FROM contacts ct WHERE ct.id = i.contact_id),
        (SELECT d.title FROM deals d WHERE d.id = i.deal_id),
        (SELECT co.name FROM companies co WHERE co.id = i.company_id)
        """

    static func entry(_ row: PGRow) -> TimelineEntry {
        TimelineEntry(interaction: interaction(row), authorLogin: row.optionalString(15),
                      contactName: row.optionalString(16), dealTitle: row.optionalString(17),
                      companyName: row.optionalString(18))
    }

    /// The global timeline's filters but its text and kinds, on `i`.
    static func conditions(_ filter: TimelineFilter) -> (sql: [String], values: [any PGBindable]) {
        var conds: [String] = []
        var values: [any PGBindable] = []
        if let author = filter.authorID { conds.append("i.author_id = ?"); values.append(author) }
        if let from = filter.from { conds.append("i.occurred_at >= ?"); values.append(from) }
        if let to = filter.to { conds.append("i.occurred_at < ?"); values.append(to) }
        if let id = filter.contactID { conds.append("i.contact_id = ?"); values.append(id) }
        if let id = filter.companyID { conds.append("i.company_id = ?"); values.append(id) }
        if let id = filter.dealID { conds.append("i.deal_id = ?"); values.append(id) }
        return (conds, values)
    }
}
