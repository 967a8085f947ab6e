/// PostgreSQL step 44: Needs attention's counts read the index alone.
///
/// Today counts the contacts past their cadence (its section header) on
/// every build of the view: for everyone's mode tens of thousands at 100,000
/// contacts. The attention indexes of step 30 hold the due time as an
/// expression, `coalesce(last_interaction_at, created_at)`, and PostgreSQL
/// (15) plans an index-only scan only when every column the query names is
/// in the index: the expression's own columns are not, so each count fetched
/// every matching row from the table (60 ms for 32,000 customers, where
/// SQLite's covering index answers in a few). The same indexes again with
/// those two columns INCLUDEd (stored in the leaves, not part of the key):
/// the counts become index-only scans (20,000–32,000 entries in 4–15 ms),
/// and the pages keep walking the same key order. The table's visibility map
/// is what lets them skip the rows; autovacuum keeps it.
///
/// SQLite's step 44 is empty: its indexes cover the counts already.
///
/// FROZEN once shipped; a change is a new step.
enum PGSchemaV44AttentionCounts {
    static let sql = """
    DROP INDEX contacts_attention_by_lifecycle;
    CREATE INDEX contacts_attention_by_lifecycle
        ON contacts(lifecycle, coalesce(last_interaction_at, created_at), id, attention_snoozed_until)
        INCLUDE (last_interaction_at, created_at)
        WHERE deleted_at IS NULL AND cadence_days IS NULL;
    DROP INDEX contacts_attention_by_owner_lifecycle;
    CREATE INDEX contacts_attention_by_owner_lifecycle
        ON contacts(owner_id, lifecycle, coalesce(last_interaction_at, created_at), id, attention_snoozed_until)
        INCLUDE (last_interaction_at, created_at)
        WHERE deleted_at IS NULL AND cadence_days IS NULL;
    DROP INDEX contacts_attention_by_tier;
    CREATE INDEX contacts_attention_by_tier
        ON contacts(value_tier, coalesce(last_interaction_at, created_at), id, attention_snoozed_until)
        INCLUDE (last_interaction_at, created_at)
        WHERE deleted_at IS NULL AND cadence_days IS NULL AND value_tier IS NOT NULL;
    DROP INDEX contacts_attention_by_owner_tier;
    CREATE INDEX contacts_attention_by_owner_tier
        ON contacts(owner_id, value_tier, coalesce(last_interaction_at, created_at), id, attention_snoozed_until)
        INCLUDE (last_interaction_at, created_at)
        WHERE deleted_at IS NULL AND cadence_days IS NULL AND value_tier IS NOT NULL;
    """
}
