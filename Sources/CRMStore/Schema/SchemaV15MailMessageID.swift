/// Version 15: an email logged from a mail client (`crm log-email`) keeps
/// its Message-ID, unique, so the same mail piped twice is logged once.
/// Interactions typed in crm have none (NULL; the index leaves them out).
/// A mail in the trash still holds its Message-ID: piping it again says it
/// was logged, rather than logging a second copy beside the deleted one.
///
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV15MailMessageID {
    static let sql = """
    ALTER TABLE interactions ADD COLUMN message_id TEXT;
    CREATE UNIQUE INDEX interactions_by_message_id ON interactions(message_id) WHERE message_id IS NOT NULL;
    """
}
