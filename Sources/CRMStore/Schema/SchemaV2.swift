import CRMRepositories
/// Version 2: indexes for the stay-in-touch cadence. "Customers nobody has
/// contacted for 7 days, most overdue first" is a range scan on
/// (lifecycle, last touch) — for everyone, or for one owner — instead of a
/// scan of every contact. A contact never contacted counts from its creation.
enum SchemaV2 {
    static let sql = """
    CREATE INDEX contacts_by_lifecycle_touch
        ON contacts(lifecycle, coalesce(last_interaction_at, created_at), id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_owner_lifecycle_touch
        ON contacts(owner_id, lifecycle, coalesce(last_interaction_at, created_at), id) WHERE deleted_at IS NULL;
    """
}
