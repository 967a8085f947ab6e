/// Version 18: a contact's own stay-in-touch cadence (days), overriding the
/// stage, tag and tier rules of the settings, and "not before" for the Needs
/// attention list (a contact snoozed there stays off it until then). Both are
/// NULL for most contacts: the partial indexes hold only the few that have
/// one, so the attention query walks them cheaply.
///
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV18ContactCadence {
    static let sql = """
    ALTER TABLE contacts ADD COLUMN cadence_days INTEGER;
    ALTER TABLE contacts ADD COLUMN attention_snoozed_until INTEGER;
    CREATE INDEX contacts_by_own_cadence ON contacts(owner_id, cadence_days) WHERE cadence_days IS NOT NULL AND deleted_at IS NULL;
    CREATE INDEX contacts_by_attention_snooze ON contacts(attention_snoozed_until) WHERE attention_snoozed_until IS NOT NULL;
    """
}
