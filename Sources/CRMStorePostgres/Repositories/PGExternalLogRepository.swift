import CRMCore
import CRMRepositories
import Foundation

/// Contacts by email address and mails by Message-ID on PostgreSQL, for the
/// commands other programs call (`crm log`, `crm log-email`), as
/// `SQLiteExternalLogRepository` answers them.
public final class PGExternalLogRepository: ExternalLogRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    /// A contact list row, as SQLite's `SQLiteContactRepository.summary` reads it.
    static let summaryColumns = """
        c.id, c.name, c.company_id, co.name,
        (SELECT email FROM contact_emails e WHERE e.contact_id = c.id ORDER BY position, id LIMIT 1),
        (SELECT number FROM contact_phones p WHERE p.contact_id = c.id ORDER BY position, id LIMIT 1),
        u.login, c.lifecycle, c.last_interaction_at, c.created_at, c.version
        """

    static func summary(_ row: PGRow) -> ContactSummary {
        ContactSummary(id: row.int64(0), name: row.string(1), companyID: row.optionalInt64(2),
                       companyName: row.optionalString(3), email: row.optionalString(4), phone: row.optionalString(5),
                       ownerLogin: row.optionalString(6), lifecycle: Lifecycle(rawValue: row.string(7)) ?? .lead,
                       lastInteractionAt: row.optionalDate(8), createdAt: row.date(9), version: row.int64(10))
    }

    public func contacts(withEmail address: String, limit: Int) throws -> [ContactSummary] {
        // lower(email) finds the rows through contact_emails_by_email; the
        // second test keeps SQLite's NOCASE, which folds ASCII letters only.
        // Explicit $1 and $2: the address is used twice.
        try c.query("""
            SELECT \(Self.summaryColumns) FROM contacts c
            LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN users u ON u.id = c.owner_id
            WHERE c.deleted_at IS NULL
              AND c.id IN (SELECT contact_id FROM contact_emails WHERE lower(email) = lower($1::text)
                           AND \(PGASCIIText.lower("email")) = \(PGASCIIText.lower("$1::text")))
            ORDER BY c.sort_key, c.id LIMIT $2
            """, [address.trimmingCharacters(in: .whitespaces), limit]).rows.map(Self.summary)
    }

    public func interaction(messageID: String) throws -> Interaction? {
        try c.first("SELECT \(PGInteractionRepository.columns) FROM interactions i WHERE i.message_id = ?",
                    [messageID], PGInteractionRepository.interaction)
    }

    public func logMail(_ interaction: Interaction, messageID: String) throws -> Interaction {
        try PGInteractionRepository(db: db).log(interaction, messageID: messageID)
    }
}
