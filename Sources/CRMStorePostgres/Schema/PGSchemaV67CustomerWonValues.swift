// PostgreSQL schema step 67: each live customer's won value per currency
// is stored (`customer_won_values`, as SQLite's step 32 and 48 keep it:
// the sum in whole minor units, how many won deals, the latest closing
// time), so the value tiers' recompute at COMMIT and the Customers page
// read 35,000 stored sums instead of joining every won deal to its
// customers (two scans of contacts and two hash joins, about 115 ms at
// 100,000 contacts, on every look at the page and every won deal's commit).
//
// How it is kept exact, the PostgreSQL way:
// - Row triggers on deals and contacts, on the same changes as schema 30's
//   stale flag plus a won deal's closing time (SQLite's step 62), only
//   mark the contacts and companies a write touched
//   (`customer_won_values_dirty`), and raise the stale flag as schema 30's
//   triggers do, which queues the deferred constraint trigger for COMMIT.
// - The marks carry the marking transaction's id in their key: two
//   writers marking the same customer never wait for each other's
//   uncommitted mark (with (kind, id) alone, two writers marking a contact
//   and a company in opposite orders deadlocked).
// - At COMMIT, `crm_value_tiers_recompute` (replaced here) first counts the
//   marked customers' sums again from their won deals
//   (`crm_customer_won_values_refresh`) and clears the marks, then ranks
//   the tiers from the stored sums. It runs holding value_tier_state's row
//   lock, which every won-value write takes at its first such change, so
//   won-value writers commit one after another and each refresh reads
//   the deals as the previous commit left them (READ COMMITTED: each
//   statement of the function sees what is committed). A colleague's
//   session sees the sums of the last commit, never a half-made set: the
//   sums are written in the transaction that changed the deals.
// - A converted currency's sum is multiplied by its rate once rather than
//   deal by deal, as SQLite's stored tiers do (ValueTierRecompute): the
//   same tiers, except possibly for the last digit of a floating-point sum.
//
// CREATE … IF NOT EXISTS, CREATE OR REPLACE, DROP … IF EXISTS and a recount
// from scratch: it can run twice.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV67CustomerWonValues {
    /// The stored tiers ranked from `customer_won_values`: $1 the factors
    /// (jsonb), $2 the default currency, $3 tier A's share, $4 tiers A and B
    /// together. Written only where a contact's tier changes.
    static let storedTierUpdateSQL = """
        WITH rates AS MATERIALIZED (SELECT key AS currency, value::float8 AS factor FROM jsonb_each_text($1::jsonb)),
        valued AS MATERIALIZED (
            SELECT v.contact_id, CASE WHEN r.factor IS NULL THEN v.currency ELSE $2::text END COLLATE "C" AS bucket,
                   sum(CASE WHEN r.factor IS NULL THEN v.value_minor::float8 ELSE v.value_minor * r.factor END) AS value
            FROM customer_won_values v LEFT JOIN rates r ON r.currency = v.currency
            GROUP BY 1, 2
        ),
        ranked AS (
            SELECT contact_id,
                   CASE WHEN sum(value) OVER above - value < $3::float8 * sum(value) OVER everyone THEN 'A'
                        WHEN sum(value) OVER above - value < $4::float8 * sum(value) OVER everyone THEN 'B'
                        ELSE 'C' END AS tier
            FROM valued WHERE value > 0
            WINDOW everyone AS (PARTITION BY bucket),
                   above AS (PARTITION BY bucket ORDER BY value DESC, contact_id ROWS UNBOUNDED PRECEDING)
        ),
        fresh AS (SELECT contact_id, min(tier) AS tier FROM ranked GROUP BY contact_id),
        -- The live contacts that hold a tier, from their index
        -- (contacts_by_tier; the stored sums are of live customers only, so
        -- `fresh` is too): every contact read whole cost a third of the
        -- recompute.
        tiered AS (SELECT id, value_tier FROM contacts WHERE value_tier IS NOT NULL AND deleted_at IS NULL),
        changes AS (
            SELECT coalesce(f.contact_id, t.id) AS id, f.tier
            FROM fresh f FULL JOIN tiered t ON t.id = f.contact_id
            WHERE t.value_tier IS DISTINCT FROM f.tier
        )
        UPDATE contacts SET value_tier = changes.tier FROM changes WHERE contacts.id = changes.id
        """

    /// The won deals of the customers in `scope` (a condition on contact
    /// `c`), each once per customer it counts for: its own deals not of its
    /// company, and its company's (PGCustomerValueSQL's `won`).
    static func wonSums(_ scope: String) -> String {
        """
        SELECT contact_id, currency, sum(value_minor)::bigint, count(*), max(closed_at) FROM (
            SELECT c.id AS contact_id, d.currency, d.value_minor, d.closed_at
            FROM contacts c JOIN deals d ON d.contact_id = c.id
            WHERE \(scope) AND c.deleted_at IS NULL AND c.lifecycle = 'customer' AND d.deleted_at IS NULL AND d.status = 'won'
              AND (c.company_id IS NULL OR d.company_id IS DISTINCT FROM c.company_id)
            UNION ALL
            SELECT c.id, d.currency, d.value_minor, d.closed_at
            FROM contacts c JOIN deals d ON d.company_id = c.company_id
            WHERE \(scope) AND c.deleted_at IS NULL AND c.lifecycle = 'customer' AND d.deleted_at IS NULL AND d.status = 'won'
        ) w
        GROUP BY contact_id, currency
        """
    }

    static let sql = """
    CREATE TABLE IF NOT EXISTS customer_won_values (
        contact_id bigint NOT NULL,
        currency text NOT NULL,
        value_minor bigint NOT NULL,
        deals bigint NOT NULL,
        last_won bigint,
        PRIMARY KEY (contact_id, currency)
    );
    CREATE TABLE IF NOT EXISTS customer_won_values_dirty (
        xact xid8 NOT NULL DEFAULT pg_current_xact_id(),
        kind text NOT NULL CHECK (kind IN ('contact', 'company')),
        id bigint NOT NULL,
        PRIMARY KEY (xact, kind, id)
    );

    -- Every stored sum again from the won deals (the step itself, and a
    -- copy loaded with the marking triggers off: PGSnapshotStore).
    CREATE OR REPLACE FUNCTION crm_customer_won_values_recount() RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
        DELETE FROM customer_won_values_dirty;
        DELETE FROM customer_won_values;
        INSERT INTO customer_won_values(contact_id, currency, value_minor, deals, last_won)
        \(wonSums("true"));
    END $fn$;

    -- The marked customers' sums again from their won deals; the marks
    -- this transaction sees (its own, and any a writer left committed) are
    -- cleared. Run at COMMIT under value_tier_state's row lock.
    CREATE OR REPLACE FUNCTION crm_customer_won_values_refresh() RETURNS void LANGUAGE plpgsql AS $fn$
    DECLARE touched bigint[];
    BEGIN
        SELECT array_agg(DISTINCT x.id) INTO touched FROM (
            SELECT m.id FROM customer_won_values_dirty m WHERE m.kind = 'contact'
            UNION ALL
            SELECT c.id FROM customer_won_values_dirty m JOIN contacts c ON c.company_id = m.id WHERE m.kind = 'company') x;
        DELETE FROM customer_won_values_dirty;
        IF touched IS NULL THEN RETURN; END IF;
        DELETE FROM customer_won_values WHERE contact_id = ANY(touched);
        INSERT INTO customer_won_values(contact_id, currency, value_minor, deals, last_won)
        \(wonSums("c.id = ANY(touched)"));
    END $fn$;

    CREATE OR REPLACE FUNCTION crm_customer_won_values_mark() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_TABLE_NAME = 'contacts' THEN
            INSERT INTO customer_won_values_dirty(kind, id)
            VALUES ('contact', CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)
            ON CONFLICT DO NOTHING;
        ELSE
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO customer_won_values_dirty(kind, id)
                SELECT k, i FROM (VALUES ('contact', OLD.contact_id), ('company', OLD.company_id)) m(k, i) WHERE i IS NOT NULL
                ON CONFLICT DO NOTHING;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO customer_won_values_dirty(kind, id)
                SELECT k, i FROM (VALUES ('contact', NEW.contact_id), ('company', NEW.company_id)) m(k, i) WHERE i IS NOT NULL
                ON CONFLICT DO NOTHING;
            END IF;
        END IF;
        -- Queues the refresh at COMMIT (schema 30's deferred trigger), as
        -- the stale triggers do; a closing time's change raises it too.
        UPDATE value_tier_state SET stale = 1 WHERE stale = 0;
        RETURN NULL;
    END $fn$;

    DROP TRIGGER IF EXISTS customer_won_values_deal_insert ON deals;
    CREATE TRIGGER customer_won_values_deal_insert AFTER INSERT ON deals
        FOR EACH ROW WHEN (NEW.status = 'won') EXECUTE FUNCTION crm_customer_won_values_mark();
    DROP TRIGGER IF EXISTS customer_won_values_deal_update ON deals;
    CREATE TRIGGER customer_won_values_deal_update
        AFTER UPDATE OF status, value_minor, currency, contact_id, company_id, deleted_at, closed_at ON deals
        FOR EACH ROW WHEN (OLD.status = 'won' OR NEW.status = 'won') EXECUTE FUNCTION crm_customer_won_values_mark();
    DROP TRIGGER IF EXISTS customer_won_values_deal_delete ON deals;
    CREATE TRIGGER customer_won_values_deal_delete AFTER DELETE ON deals
        FOR EACH ROW WHEN (OLD.status = 'won') EXECUTE FUNCTION crm_customer_won_values_mark();
    DROP TRIGGER IF EXISTS customer_won_values_contact_insert ON contacts;
    CREATE TRIGGER customer_won_values_contact_insert AFTER INSERT ON contacts
        FOR EACH ROW WHEN (NEW.lifecycle = 'customer') EXECUTE FUNCTION crm_customer_won_values_mark();
    DROP TRIGGER IF EXISTS customer_won_values_contact_update ON contacts;
    CREATE TRIGGER customer_won_values_contact_update AFTER UPDATE OF lifecycle, company_id, deleted_at ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle = 'customer' OR NEW.lifecycle = 'customer') EXECUTE FUNCTION crm_customer_won_values_mark();
    DROP TRIGGER IF EXISTS customer_won_values_contact_delete ON contacts;
    CREATE TRIGGER customer_won_values_contact_delete AFTER DELETE ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle = 'customer') EXECUTE FUNCTION crm_customer_won_values_mark();

    -- The commit's recompute: the marked sums first, then the tiers ranked
    -- from the stored sums instead of from every won deal.
    CREATE OR REPLACE FUNCTION crm_value_tiers_recompute() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE s value_tier_state%ROWTYPE;
    BEGIN
        SELECT * INTO s FROM value_tier_state WHERE id = 1 FOR UPDATE;
        IF s.stale = 0 THEN RETURN NULL; END IF;
        PERFORM crm_customer_won_values_refresh();
        EXECUTE $sql$\(storedTierUpdateSQL)$sql$
            USING s.factors, s.currency, s.tier_a, s.tier_ab;
        UPDATE value_tier_state SET stale = 0 WHERE id = 1;
        RETURN NULL;
    END $fn$;
    ALTER FUNCTION crm_value_tiers_recompute() SET jit = off;

    SELECT crm_customer_won_values_recount();
    ANALYZE customer_won_values;
    """
}
