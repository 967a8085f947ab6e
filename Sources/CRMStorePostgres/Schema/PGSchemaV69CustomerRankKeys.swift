// PostgreSQL schema step 69: what the Customers page ranks every customer
// by, stored per live customer (`customer_rank_keys`), as SQLite's steps 48
// and 54 keep it (SchemaV48CustomerRankKeys, SchemaV54CustomerLifetimeKeys),
// so the RFM quintiles' boundaries are a few walks of permanent indexes and
// the scores comparisons with them, instead of three ntile() windows over
// every customer joined to its frequency, last touch and won values at each
// look (about 290 ms of the page's 320 at 100,000 contacts).
//
// One row per live customer: its owner, its last interaction
// (`interacted`, the contact's) and its latest won deal (`last_won`, the
// latest of its stored sums'), the R key `touch` (the later of the two, a
// generated column), its interactions in the stored 365-day window
// (`frequency`, contact_year_interactions of schema 40: the F key before
// the report's corrections to now), whether it has a won value (`valued`:
// a customer without one ranks in the default currency with 0), and when
// it last became a customer (`since`: the latest change to customer in the
// lifecycle history, else its creation; the lifetime's tenure). Indexed by
// each key with the contact id (which breaks ties, as `ntile(5) OVER
// (ORDER BY key, id)` does); `customer_won_values_by_value` orders the
// stored sums by value within a currency for the M boundaries.
//
// How it is kept exact without a lock every writer waits for: each column
// has one source, and each source's writers already take turns on its row.
// - owner, interacted, since's creation time: a row trigger on contacts
//   writes NEW's values (writers of one contact wait for each other's row).
//   The trigger makes and drops the row as the contact becomes or stops
//   being a live customer; a new row reads its frequency with FOR SHARE
//   (waiting for a writer counting into it) and its sums and history.
// - frequency: a row trigger on contact_year_interactions writes NEW's
//   count (the count's row lock orders its writers). A count's row made
//   (inserted) for a contact with no key row takes a share lock on the
//   contact first, so a transaction that is making it a customer (holding
//   its row) commits first and its new key row is then found and written;
//   an updated count's row is already locked, and a new key row reads it
//   FOR SHARE, so whichever comes second waits for the first's COMMIT.
// - last_won and valued: the refresh of the stored sums at COMMIT
//   (crm_customer_won_values_refresh, replaced here) writes them for the
//   customers it refreshed; it runs under value_tier_state's row lock
//   (schema 67), and so does the recount.
// - since: row triggers on contact_lifecycle_history (written in the
//   contact's own update, under its row lock).
// The window's daily move (PGCustomerYearInteractions.moveWindow) holds the
// window's table and writes counts' rows: there the share lock on a contact
// is taken NOWAIT (a transaction holding the contact may be waiting for the
// window's table), and a move that meets one gives up until the next open.
// The share locks are taken only where no other lock of this schema waits
// the other way round: a count's row an uncommitted transaction inserted is
// invisible to the contact's trigger (it does not wait for it), and an
// existing one is read FOR SHARE only by the contact's trigger, whose
// contact the count's trigger then does not lock.
// - deals_year (customer_won_values): of the won deals a customer's sum in
//   a currency is made of, those closed in the stored 365-day window
//   ([as_of − 365 days, as_of) of contact_year_window, schema 40), as
//   SQLite's step 54: the lifetime value's "won deals of the last year"
//   for a period ending at as_of, which the page corrects to its end from
//   the deals closed in the slices between. Counted with the sums by the
//   refresh and the recount, and again by the window's daily move
//   (crm_customer_won_values_move_year, PGCustomerYearInteractions) for
//   the customers of the deals closed in the slices it passes.
//
// CREATE … IF NOT EXISTS, CREATE OR REPLACE, DROP … IF EXISTS and a recount
// from scratch: it can run twice. A copy loaded with the triggers off
// (PGSnapshotStore) recounts with crm_customer_rank_keys_recount().
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV69CustomerRankKeys {
    /// A contact's `since` (`id` an SQL expression of its id, `created` of
    /// its creation time).
    private static func since(_ id: String, _ created: String) -> String {
        """
        coalesce((SELECT max(h.changed_at) FROM contact_lifecycle_history h
                          WHERE h.contact_id = \(id) AND h.to_lifecycle = 'customer'), \(created))
        """
    }

    /// Schema 67's sums of the customers in `scope` with, per currency, the
    /// won deals closed in the stored 365-day window (`deals_year`: [as_of −
    /// 365 days, as_of) of contact_year_window, schema 40).
    static func wonSums(_ scope: String) -> String {
        let sums = PGSchemaV67CustomerWonValues.wonSums(scope)
        let old = "SELECT contact_id, currency, sum(value_minor)::bigint, count(*), max(closed_at) FROM ("
        precondition(sums.hasPrefix(old), "PGSchemaV67CustomerWonValues.wonSums changed: update PGSchemaV69CustomerRankKeys")
        return """
            SELECT contact_id, currency, sum(value_minor)::bigint, count(*), max(closed_at),
                   count(*) FILTER (WHERE closed_at >= (SELECT y.as_of - 31536000 FROM contact_year_window y WHERE y.id = 1)
                                      AND closed_at < (SELECT y.as_of FROM contact_year_window y WHERE y.id = 1)) FROM (
            """ + sums.dropFirst(old.count)
    }

    static let sql = """
    ALTER TABLE customer_won_values ADD COLUMN IF NOT EXISTS deals_year bigint NOT NULL DEFAULT 0;

    CREATE TABLE IF NOT EXISTS customer_rank_keys (
        contact_id bigint PRIMARY KEY,
        owner_id bigint,
        interacted bigint,
        last_won bigint,
        touch bigint GENERATED ALWAYS AS (greatest(coalesce(interacted, 0), coalesce(last_won, 0))) STORED,
        frequency bigint NOT NULL,
        valued boolean NOT NULL,
        since bigint
    );

    -- Every key row again from the contacts, the window's counts, the stored
    -- sums and the history (the step itself, and a copy loaded with the
    -- triggers off).
    CREATE OR REPLACE FUNCTION crm_customer_rank_keys_recount() RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
        DELETE FROM customer_rank_keys;
        INSERT INTO customer_rank_keys(contact_id, owner_id, interacted, last_won, frequency, valued, since)
        SELECT c.id, c.owner_id, c.last_interaction_at, w.last_won, coalesce(y.interactions, 0), w.contact_id IS NOT NULL,
               coalesce(h.since, c.created_at)
        FROM contacts c
        LEFT JOIN contact_year_interactions y ON y.contact_id = c.id
        LEFT JOIN (SELECT contact_id, max(last_won) AS last_won FROM customer_won_values GROUP BY contact_id) w ON w.contact_id = c.id
        LEFT JOIN (SELECT contact_id, max(changed_at) AS since FROM contact_lifecycle_history
                   WHERE to_lifecycle = 'customer' GROUP BY contact_id) h ON h.contact_id = c.id
        WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer';
    END $fn$;

    CREATE INDEX IF NOT EXISTS customer_rank_keys_by_touch ON customer_rank_keys(touch, contact_id);
    CREATE INDEX IF NOT EXISTS customer_rank_keys_by_frequency ON customer_rank_keys(frequency, contact_id);
    CREATE INDEX IF NOT EXISTS customer_rank_keys_unvalued ON customer_rank_keys(contact_id) WHERE NOT valued;
    CREATE INDEX IF NOT EXISTS customer_won_values_by_value ON customer_won_values(currency, value_minor, contact_id);

    CREATE OR REPLACE FUNCTION crm_customer_rank_keys_contact() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE f bigint;
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM customer_rank_keys WHERE contact_id = OLD.id;
            RETURN NULL;
        END IF;
        IF NOT (NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL) THEN
            DELETE FROM customer_rank_keys WHERE contact_id = NEW.id;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.created_at IS NOT DISTINCT FROM NEW.created_at THEN
            UPDATE customer_rank_keys SET owner_id = NEW.owner_id, interacted = NEW.last_interaction_at
            WHERE contact_id = NEW.id;
        ELSE
            UPDATE customer_rank_keys SET owner_id = NEW.owner_id, interacted = NEW.last_interaction_at,
                   since = \(since("NEW.id", "NEW.created_at"))
            WHERE contact_id = NEW.id;
        END IF;
        IF NOT FOUND THEN
            SELECT y.interactions INTO f FROM contact_year_interactions y WHERE y.contact_id = NEW.id FOR SHARE;
            INSERT INTO customer_rank_keys(contact_id, owner_id, interacted, last_won, frequency, valued, since)
            SELECT NEW.id, NEW.owner_id, NEW.last_interaction_at,
                   (SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = NEW.id), coalesce(f, 0),
                   EXISTS (SELECT 1 FROM customer_won_values v WHERE v.contact_id = NEW.id),
                   \(since("NEW.id", "NEW.created_at"))
            ON CONFLICT (contact_id) DO UPDATE SET owner_id = excluded.owner_id, interacted = excluded.interacted,
                                                   since = excluded.since;
        END IF;
        RETURN NULL;
    END $fn$;

    DROP TRIGGER IF EXISTS customer_rank_keys_contact_insert ON contacts;
    CREATE TRIGGER customer_rank_keys_contact_insert AFTER INSERT ON contacts
        FOR EACH ROW WHEN (NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL)
        EXECUTE FUNCTION crm_customer_rank_keys_contact();
    DROP TRIGGER IF EXISTS customer_rank_keys_contact_update ON contacts;
    CREATE TRIGGER customer_rank_keys_contact_update
        AFTER UPDATE OF lifecycle, deleted_at, owner_id, last_interaction_at, created_at ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle = 'customer' OR NEW.lifecycle = 'customer')
        EXECUTE FUNCTION crm_customer_rank_keys_contact();
    DROP TRIGGER IF EXISTS customer_rank_keys_contact_delete ON contacts;
    CREATE TRIGGER customer_rank_keys_contact_delete AFTER DELETE ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle = 'customer')
        EXECUTE FUNCTION crm_customer_rank_keys_contact();

    CREATE OR REPLACE FUNCTION crm_customer_rank_keys_year() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.contact_id <> NEW.contact_id) THEN
            UPDATE customer_rank_keys SET frequency = 0 WHERE contact_id = OLD.contact_id;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN NULL; END IF;
        UPDATE customer_rank_keys SET frequency = NEW.interactions WHERE contact_id = NEW.contact_id;
        IF NOT FOUND THEN
            -- Not a customer, or one being made so by a transaction that
            -- holds the contact: after it, its key row is there to write.
            -- The window's move (which holds the window's table, that such
            -- a transaction may wait for) does not wait: it gives up and is
            -- left to the next writer's open.
            IF current_setting('crm.window_move', true) = 'on' THEN
                PERFORM 1 FROM contacts WHERE id = NEW.contact_id FOR SHARE NOWAIT;
            ELSE
                PERFORM 1 FROM contacts WHERE id = NEW.contact_id FOR SHARE;
            END IF;
            UPDATE customer_rank_keys SET frequency = NEW.interactions WHERE contact_id = NEW.contact_id;
        END IF;
        RETURN NULL;
    END $fn$;

    DROP TRIGGER IF EXISTS customer_rank_keys_year_insert ON contact_year_interactions;
    CREATE TRIGGER customer_rank_keys_year_insert AFTER INSERT ON contact_year_interactions
        FOR EACH ROW EXECUTE FUNCTION crm_customer_rank_keys_year();
    DROP TRIGGER IF EXISTS customer_rank_keys_year_update ON contact_year_interactions;
    CREATE TRIGGER customer_rank_keys_year_update AFTER UPDATE OF contact_id, interactions ON contact_year_interactions
        FOR EACH ROW WHEN (OLD.contact_id <> NEW.contact_id OR OLD.interactions <> NEW.interactions)
        EXECUTE FUNCTION crm_customer_rank_keys_year();
    DROP TRIGGER IF EXISTS customer_rank_keys_year_delete ON contact_year_interactions;
    CREATE TRIGGER customer_rank_keys_year_delete AFTER DELETE ON contact_year_interactions
        FOR EACH ROW EXECUTE FUNCTION crm_customer_rank_keys_year();

    CREATE OR REPLACE FUNCTION crm_customer_rank_keys_since() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        UPDATE customer_rank_keys k SET since = \(since("k.contact_id", "(SELECT c.created_at FROM contacts c WHERE c.id = k.contact_id)"))
        WHERE k.contact_id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.contact_id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.contact_id END);
        RETURN NULL;
    END $fn$;

    DROP TRIGGER IF EXISTS customer_rank_keys_since_insert ON contact_lifecycle_history;
    CREATE TRIGGER customer_rank_keys_since_insert AFTER INSERT ON contact_lifecycle_history
        FOR EACH ROW WHEN (NEW.to_lifecycle = 'customer') EXECUTE FUNCTION crm_customer_rank_keys_since();
    DROP TRIGGER IF EXISTS customer_rank_keys_since_update ON contact_lifecycle_history;
    CREATE TRIGGER customer_rank_keys_since_update AFTER UPDATE OF contact_id, to_lifecycle, changed_at ON contact_lifecycle_history
        FOR EACH ROW WHEN (OLD.to_lifecycle = 'customer' OR NEW.to_lifecycle = 'customer')
        EXECUTE FUNCTION crm_customer_rank_keys_since();
    DROP TRIGGER IF EXISTS customer_rank_keys_since_delete ON contact_lifecycle_history;
    CREATE TRIGGER customer_rank_keys_since_delete AFTER DELETE ON contact_lifecycle_history
        FOR EACH ROW WHEN (OLD.to_lifecycle = 'customer') EXECUTE FUNCTION crm_customer_rank_keys_since();

    -- Schema 67's refresh at COMMIT, and the marked customers' last won
    -- deal and whether they have value written to their key rows.
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
        INSERT INTO customer_won_values(contact_id, currency, value_minor, deals, last_won, deals_year)
        \(wonSums("c.id = ANY(touched)"));
        UPDATE customer_rank_keys k SET last_won = w.last_won, valued = w.valued
        FROM (SELECT t.id, max(v.last_won) AS last_won, count(v.contact_id) > 0 AS valued
              FROM unnest(touched) AS t(id) LEFT JOIN customer_won_values v ON v.contact_id = t.id
              GROUP BY t.id) w
        WHERE k.contact_id = w.id AND (k.last_won IS DISTINCT FROM w.last_won OR k.valued <> w.valued);
    END $fn$;

    -- Schema 67's recount, and every key row's won-value columns after it.
    CREATE OR REPLACE FUNCTION crm_customer_won_values_recount() RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
        DELETE FROM customer_won_values_dirty;
        DELETE FROM customer_won_values;
        INSERT INTO customer_won_values(contact_id, currency, value_minor, deals, last_won, deals_year)
        \(wonSums("true"));
        UPDATE customer_rank_keys k SET last_won = w.last_won, valued = w.valued
        FROM (SELECT r.contact_id, max(v.last_won) AS last_won, count(v.contact_id) > 0 AS valued
              FROM customer_rank_keys r LEFT JOIN customer_won_values v ON v.contact_id = r.contact_id
              GROUP BY r.contact_id) w
        WHERE k.contact_id = w.contact_id AND (k.last_won IS DISTINCT FROM w.last_won OR k.valued <> w.valued);
    END $fn$;

    -- The window's won deals of the customers given value by won deals
    -- closed in [lo, hi) or a year before (the slices a move of the window
    -- passes), or of every customer when lo is NULL: counted again for the
    -- window's end as it is now (PGCustomerYearInteractions.moveWindow).
    CREATE OR REPLACE FUNCTION crm_customer_won_values_move_year(lo bigint, hi bigint) RETURNS void LANGUAGE plpgsql AS $fn$
    DECLARE touched bigint[];
    BEGIN
        IF lo IS NOT NULL THEN
            WITH passed AS MATERIALIZED (
                SELECT d.contact_id, d.company_id FROM deals d
                WHERE d.deleted_at IS NULL AND d.status = 'won'
                  AND ((d.closed_at >= lo AND d.closed_at < hi) OR (d.closed_at >= lo - 31536000 AND d.closed_at < hi - 31536000))
            )
            SELECT array_agg(DISTINCT x.id) INTO touched FROM (
                SELECT p.contact_id AS id FROM passed p WHERE p.contact_id IS NOT NULL
                UNION ALL
                SELECT c.id FROM passed p JOIN contacts c ON c.company_id = p.company_id) x;
            IF touched IS NULL THEN RETURN; END IF;
        END IF;
        UPDATE customer_won_values v SET deals_year = s.deals_year
        FROM (\(wonSums("(lo IS NULL OR c.id = ANY(touched))"))) AS s(contact_id, currency, value_minor, deals, last_won, deals_year)
        WHERE v.contact_id = s.contact_id AND v.currency = s.currency AND v.deals_year <> s.deals_year;
    END $fn$;

    SELECT crm_customer_won_values_move_year(NULL, NULL);
    SELECT crm_customer_rank_keys_recount();
    ANALYZE customer_rank_keys;
    ANALYZE customer_won_values;
    """
}
