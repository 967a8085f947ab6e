// PostgreSQL schema step 74: each stored won value holds its tier
// (`customer_won_values.tier`), as SQLite's has since step 32, and a won
// deal's COMMIT ranks the sums along an index instead of ranking every
// customer and comparing every tiered contact.
//
// Before, the commit's recompute (step 67) sorted the 16,000 stored sums
// for its windows and joined them to the 35,000 tiered contacts to find
// the few whose tier changed: 40–75 ms added to every COMMIT that won,
// lost or edited a won deal or changed a customer (`crm bench --only
// customers`, "value tiers: recompute"), and the Customers page ran the
// same windows at every look. Now:
// - `crm_value_tier_rank_sums` ranks each currency's sums in one pass of
//   `customer_won_values_by_rank` (in the windows' order: no sort) and
//   writes the sums whose tier differs, returning their contacts;
// - `crm_value_tier_contacts` sets those contacts' tier (the best of their
//   sums') and the tier of those the commit summed again, where it differs;
// - the Customers page reads each sum's tier (PGCustomerRankKeys).
// This holds only while every contact's tier is the best of its sums'
// tiers under the stored policy: `value_tier_state.sum_tiers` names the
// policy the sums were ranked with. Without it (a policy with exchange
// rates, where a bucket adds currencies up) the commit ranks everyone as
// before (`crm_value_tier_rank_all`). Sums written anew (a refresh, a
// copy's recount) have no tier, so the next ranking writes them all.
//
// ADD COLUMN IF NOT EXISTS, CREATE … IF NOT EXISTS and CREATE OR REPLACE:
// it can run twice. SQLite's step 74 is empty.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV74SumTiers {
    /// A sum's tier within its currency: A while the value ranked above it
    /// is below A's share of the currency's total, B below A's and B's,
    /// else C (PGCustomerValueSQL's `ranked`, per currency).
    private static let tierOfSum = """
        CASE WHEN sum(value_minor::float8) OVER above - value_minor < a * sum(value_minor::float8) OVER everyone THEN 'A'
             WHEN sum(value_minor::float8) OVER above - value_minor < ab * sum(value_minor::float8) OVER everyone THEN 'B'
             ELSE 'C' END
        """

    static let sql = """
    ALTER TABLE customer_won_values ADD COLUMN IF NOT EXISTS tier text;
    ALTER TABLE value_tier_state ADD COLUMN IF NOT EXISTS sum_tiers text;
    CREATE INDEX IF NOT EXISTS customer_won_values_by_rank
        ON customer_won_values (currency COLLATE "C", value_minor DESC, contact_id) INCLUDE (tier) WHERE value_minor > 0;

    -- Each valued sum's tier ranked within its currency, written where it
    -- differs; the contacts of the sums written.
    CREATE OR REPLACE FUNCTION crm_value_tier_rank_sums(a float8, ab float8) RETURNS bigint[] LANGUAGE sql AS $fn$
        WITH ranked AS (
            SELECT contact_id, currency, tier AS stored, \(tierOfSum) AS fresh
            FROM customer_won_values WHERE value_minor > 0
            WINDOW everyone AS (PARTITION BY currency COLLATE "C"),
                   above AS (PARTITION BY currency COLLATE "C" ORDER BY value_minor DESC, contact_id ROWS UNBOUNDED PRECEDING)
        ),
        written AS (
            UPDATE customer_won_values v SET tier = r.fresh FROM ranked r
            WHERE v.contact_id = r.contact_id AND v.currency = r.currency AND r.stored IS DISTINCT FROM r.fresh
            RETURNING v.contact_id
        )
        SELECT coalesce(array_agg(DISTINCT contact_id), '{}') FROM written
    $fn$;

    -- The live contacts among `ids` get the best tier of their sums (none:
    -- no tier), where it differs; a trashed contact keeps its tier, as the
    -- full ranking leaves it.
    CREATE OR REPLACE FUNCTION crm_value_tier_contacts(ids bigint[]) RETURNS void LANGUAGE sql AS $fn$
        UPDATE contacts c SET value_tier = t.tier
        FROM (SELECT i.id, (SELECT min(v.tier) FROM customer_won_values v WHERE v.contact_id = i.id) AS tier
              FROM (SELECT DISTINCT unnest(ids) AS id) i) t
        WHERE c.id = t.id AND c.deleted_at IS NULL AND c.value_tier IS DISTINCT FROM t.tier
    $fn$;

    -- Every tier ranked anew with the stored policy. Without rates: the
    -- sums' tiers, then every tiered or valued contact's from them, and
    -- the sums are marked as ranked with the policy. With rates: the
    -- contacts ranked by bucket as before (step 67) and the sums unmarked.
    CREATE OR REPLACE FUNCTION crm_value_tier_rank_all() RETURNS void LANGUAGE plpgsql AS $fn$
    DECLARE s value_tier_state%ROWTYPE;
    BEGIN
        SELECT * INTO s FROM value_tier_state WHERE id = 1 FOR UPDATE;
        IF (SELECT count(*) FROM jsonb_object_keys(s.factors::jsonb)) <= 1 THEN
            PERFORM crm_value_tier_rank_sums(s.tier_a, s.tier_ab);
            UPDATE contacts c SET value_tier = f.tier
            FROM (SELECT coalesce(f.contact_id, t.id) AS id, f.tier
                  FROM (SELECT contact_id, min(tier) AS tier FROM customer_won_values WHERE tier IS NOT NULL GROUP BY contact_id) f
                  FULL JOIN (SELECT id, value_tier FROM contacts WHERE value_tier IS NOT NULL AND deleted_at IS NULL) t
                         ON t.id = f.contact_id
                  WHERE t.value_tier IS DISTINCT FROM f.tier) f
            WHERE c.id = f.id;
            UPDATE value_tier_state SET sum_tiers = s.policy WHERE id = 1;
        ELSE
            EXECUTE $sql$\(PGSchemaV67CustomerWonValues.storedTierUpdateSQL)$sql$
                USING s.factors, s.currency, s.tier_a, s.tier_ab;
            UPDATE customer_won_values SET tier = NULL WHERE tier IS NOT NULL;
            UPDATE value_tier_state SET sum_tiers = NULL WHERE id = 1;
        END IF;
    END $fn$;
    ALTER FUNCTION crm_value_tier_rank_all() SET jit = off;

    -- The refresh of the marked customers' sums (step 69's), returning
    -- their contacts (the sums it writes anew have no tier yet).
    CREATE OR REPLACE FUNCTION crm_customer_won_values_refreshed() RETURNS bigint[] LANGUAGE plpgsql AS $fn$
    DECLARE touched bigint[];
    BEGIN
        SELECT coalesce(array_agg(DISTINCT x.id), '{}') INTO touched FROM (
            SELECT m.id FROM customer_won_values_dirty m WHERE m.kind = 'contact'
            UNION ALL
            SELECT c.id FROM customer_won_values_dirty m JOIN contacts c ON c.company_id = m.id WHERE m.kind = 'company') x;
        PERFORM crm_customer_won_values_refresh();
        RETURN touched;
    END $fn$;

    -- The commit's recompute: the marked sums, then the sums ranked along
    -- their index and only the contacts whose sums moved or were summed
    -- again, while the sums' tiers are those of the stored policy; else
    -- everyone ranked anew.
    CREATE OR REPLACE FUNCTION crm_value_tiers_recompute() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE s value_tier_state%ROWTYPE; touched bigint[];
    BEGIN
        SELECT * INTO s FROM value_tier_state WHERE id = 1 FOR UPDATE;
        IF s.stale = 0 THEN RETURN NULL; END IF;
        touched := crm_customer_won_values_refreshed();
        IF s.sum_tiers IS NOT NULL AND s.sum_tiers = s.policy THEN
            PERFORM crm_value_tier_contacts(crm_value_tier_rank_sums(s.tier_a, s.tier_ab) || touched);
        ELSE
            PERFORM crm_value_tier_rank_all();
        END IF;
        UPDATE value_tier_state SET stale = 0 WHERE id = 1;
        RETURN NULL;
    END $fn$;
    ALTER FUNCTION crm_value_tiers_recompute() SET jit = off;

    SELECT crm_value_tier_rank_all();
    ANALYZE customer_won_values;
    """
}
