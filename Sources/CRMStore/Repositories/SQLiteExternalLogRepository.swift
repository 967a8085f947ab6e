import CRMCore
import CRMRepositories
import Foundation

/// Contacts by email address and mails by Message-ID, for the commands
/// other programs call (`crm log`, `crm log-email`).
public final class SQLiteExternalLogRepository: ExternalLogRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    public func contacts(withEmail address: String, limit: Int) throws -> [ContactSummary] {
        // contact_emails_by_email is COLLATE NOCASE: an index lookup. NOCASE
        // folds ASCII only, which is what the domain part and nearly every
        // local part are made of.
        try c.rows("""
            SELECT \(SQLiteContactRepository.summaryColumns) FROM contacts c \(SQLiteContactRepository.summaryJoins)
            WHERE c.deleted_at IS NULL
              AND c.id IN (SELECT contact_id FROM contact_emails WHERE email = ? COLLATE NOCASE)
            ORDER BY \(db.hasSortKey ? "c.sort_key" : "c.name COLLATE NOCASE"), c.id LIMIT ?
            """, [address.trimmingCharacters(in: .whitespaces), limit], SQLiteContactRepository.summary)
    }

    public func interaction(messageID: String) throws -> Interaction? {
        try c.first("SELECT \(SQLiteInteractionRepository.columns) FROM interactions i WHERE i.message_id = ?",
                    [messageID], SQLiteInteractionRepository.interaction)
    }

    public func logMail(_ interaction: Interaction, messageID: String) throws -> Interaction {
        try db.interactions.log(interaction, messageID: messageID)
    }
}
