/// Keeps `contacts.value_tier` in step on PostgreSQL at COMMIT, as SQLite's
/// ValueTierRecompute does just before its COMMIT: a part of schema step 30.
///
/// Why a deferred constraint trigger, not a hook in the engine's
/// transaction: every writer — this program, psql, a script — then leaves
/// tiers made from exactly the data it commits. The stale triggers set
/// value_tier_state.stale = 1 once per transaction (only while it is 0), and
/// that one UPDATE queues this trigger for the COMMIT. It runs there, in the
/// committing transaction, holding the row lock that UPDATE took: two
/// writers committing at once take turns (the second's UPDATE waits for the
/// first to commit, then sees stale = 0 again and queues its own
/// recompute, whose statements see the first's rows). A transaction that
/// changes no won deal nor customer pays nothing.
///
/// The policy (shares, default currency, rates) is kept in the row, set by
/// `PGValueTierRecompute.recompute(policy)` (crm's `recomputeValueTiers`), so
/// the trigger ranks as the last explicit recompute did; the recompute SQL is
/// the one the report uses (PGCustomerValueSQL), run with EXECUTE … USING.
import CRMRepositories

enum PGSchemaV30ValueTiers {
    static let sql = """
    ALTER TABLE value_tier_state
        ADD COLUMN factors text NOT NULL DEFAULT '{"EUR":1.0}',
        ADD COLUMN currency text NOT NULL DEFAULT 'EUR',
        ADD COLUMN tier_a double precision NOT NULL DEFAULT 0.8,
        ADD COLUMN tier_ab double precision NOT NULL DEFAULT 0.95;

    CREATE FUNCTION crm_value_tiers_recompute() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE s value_tier_state%ROWTYPE;
    BEGIN
        SELECT * INTO s FROM value_tier_state WHERE id = 1 FOR UPDATE;
        IF s.stale = 0 THEN RETURN NULL; END IF;
        EXECUTE $sql$\(PGValueTierRecompute.updateSQL)$sql$
            USING s.factors, s.currency, 9223372036854775807::bigint, NULL::bigint[], NULL::text,
                  s.tier_a, s.tier_ab, NULL::bigint[], 0::bigint;
        UPDATE value_tier_state SET stale = 0 WHERE id = 1;
        RETURN NULL;
    END $fn$;

    CREATE CONSTRAINT TRIGGER value_tiers_at_commit AFTER UPDATE OF stale ON value_tier_state
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.stale = 1) EXECUTE FUNCTION crm_value_tiers_recompute();

    -- A new database has no customers: its tiers are right, and the first
    -- write that changes one must find the flag down to raise it.
    UPDATE value_tier_state SET stale = 0, policy = '\(ValueTierPolicy().key)' WHERE id = 1;
    """
}
