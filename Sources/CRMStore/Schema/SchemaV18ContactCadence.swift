/// Version 18: a contact's own stay-in-touch cadence (days), overriding the
/// stage, tag and tier rules of the settings, and "not before" for the Needs
/// attention list (a contact snoozed there stays off it until then). Both are
/// NULL for most contacts: two partial indexes hold only the few that have
/// one. The contacts that follow the rules are counted and paged from
/// indexes that also hold the snooze, so counting 30,000 contacts past their
/// cadence reads only the index (a lookup of each row costs ten times more).
///
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV18ContactCadence {
    static let sql = """
    ALTER TABLE contacts ADD COLUMN cadence_days INTEGER;
    ALTER TABLE contacts ADD COLUMN attention_snoozed_until INTEGER;
    CREATE INDEX contacts_by_own_cadence ON contacts(owner_id, cadence_days) WHERE cadence_days IS NOT NULL AND deleted_at IS NULL;
    CREATE INDEX contacts_by_attention_snooze ON contacts(attention_snoozed_until) WHERE attention_snoozed_until IS NOT NULL;
    CREATE INDEX contacts_attention_by_lifecycle
        ON contacts(lifecycle, coalesce(last_interaction_at, created_at), id, attention_snoozed_until)
        WHERE deleted_at IS NULL AND cadence_days IS NULL;
    CREATE INDEX contacts_attention_by_owner_lifecycle
        ON contacts(owner_id, lifecycle, coalesce(last_interaction_at, created_at), id, attention_snoozed_until)
        WHERE deleted_at IS NULL AND cadence_days IS NULL;
    """
}
