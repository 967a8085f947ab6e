/// Version 48: what the Customers report ranks every customer by, stored per
/// customer and kept by triggers, so the RFM quintiles' boundaries are a few
/// walks of permanent indexes and the page's sections one pass each, instead
/// of working out every customer's value, tier and three rankings at each
/// look (about 0.6 s of CPU at 100,000 contacts).
///
/// - `customer_won_values` (schema 32: each live customer's won value per
///   currency) also keeps how many won deals make the sum (`deals`), the
///   latest closing time among them (`last_won`) and the customer's tier in
///   that currency's ranking (`tier`, A/B/C for a value above 0, written by
///   ValueTierRecompute with the stored policy, as `contacts.value_tier`,
///   which is the best of a customer's). The refresh before COMMIT fills
///   `deals` and `last_won` with the sums; the step recounts the table.
///   Two indexes order it by value within a currency: ascending for the M
///   quintiles' boundaries, descending (ties by id) for the top customers
///   and the tiers' lists.
/// - `customer_rank_keys`: one row per live customer (not deleted,
///   lifecycle customer) with its owner, its last touch (the later of its
///   last interaction and its last won deal: the R key), its interactions
///   in the stored 365-day window (`contact_year_interactions`, schema 40:
///   the F key before the report's corrections to now) and whether it has a
///   won value (`valued`: a customer without one ranks in the default
///   currency with 0). Indexed by each key (the rowid, the contact id,
///   breaks ties, as the report's `ntile(5) OVER (ORDER BY key, id)` does).
///
/// Triggers keep the rows: a contact's insert, its delete, and an update of
/// its lifecycle, trash, owner or last interaction (logging, editing,
/// trash, restore, purge, merge, import, reassign and hand-over all write
/// those); a change of its stored window count (schema 40's triggers and
/// the window's daily move); a change of its won values (the refresh before
/// the COMMIT of any write of a won deal or a customer). The contact insert
/// trigger is a `RowKeyTrigger`: a bulk load suspends it and adds the new
/// customers' rows with one statement.
///
/// The tiers are marked stale so the next writer's open works them out
/// with the per-currency tiers. PostgreSQL's step 48 is empty: its report
/// keeps its own path (see PGMigrator). Frozen SQL; TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV48CustomerRankKeys {
    static let sql = """
    ALTER TABLE customer_won_values ADD COLUMN deals INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE customer_won_values ADD COLUMN last_won INTEGER;
    ALTER TABLE customer_won_values ADD COLUMN tier TEXT CHECK (tier IN ('A', 'B', 'C'));
    DELETE FROM customer_won_values;
    INSERT INTO customer_won_values(contact_id, currency, value_minor, deals, last_won)
    SELECT contact_id, currency, sum(value_minor), count(*), max(closed_at) FROM (
        SELECT c.id AS contact_id, d.currency, d.value_minor, d.closed_at
        FROM deals d INDEXED BY deals_won_by_contact CROSS JOIN contacts c ON c.id = d.contact_id
        WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
          AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id)
        UNION ALL
        SELECT c.id, d.currency, d.value_minor, d.closed_at
        FROM deals d INDEXED BY deals_won_by_company
        CROSS JOIN contacts c INDEXED BY contacts_customers_by_company ON c.company_id = d.company_id
        WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer')
    GROUP BY contact_id, currency;
    DELETE FROM customer_won_values_dirty;
    CREATE INDEX customer_won_values_by_value ON customer_won_values(currency, value_minor, contact_id);
    CREATE INDEX customer_won_values_by_rank ON customer_won_values(currency, value_minor DESC, contact_id, tier);
    UPDATE value_tier_state SET stale = 1;

    CREATE TABLE customer_rank_keys (
        contact_id INTEGER PRIMARY KEY,
        owner_id INTEGER,
        touch INTEGER NOT NULL,
        frequency INTEGER NOT NULL,
        valued INTEGER NOT NULL
    );
    INSERT INTO customer_rank_keys(contact_id, owner_id, touch, frequency, valued)
    SELECT c.id, c.owner_id,
           max(coalesce(c.last_interaction_at, 0), coalesce((SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = c.id), 0)),
           coalesce((SELECT y.interactions FROM contact_year_interactions y WHERE y.contact_id = c.id), 0),
           EXISTS (SELECT 1 FROM customer_won_values v WHERE v.contact_id = c.id)
    FROM contacts c INDEXED BY contacts_customers_by_company WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer';
    CREATE INDEX customer_rank_keys_by_touch ON customer_rank_keys(touch);
    CREATE INDEX customer_rank_keys_by_frequency ON customer_rank_keys(frequency);
    CREATE INDEX customer_rank_keys_by_valued ON customer_rank_keys(valued);

    CREATE TRIGGER customer_rank_keys_contact_insert AFTER INSERT ON contacts
    WHEN NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL BEGIN
        INSERT OR REPLACE INTO customer_rank_keys(contact_id, owner_id, touch, frequency, valued)
        SELECT NEW.id, NEW.owner_id,
               max(coalesce(NEW.last_interaction_at, 0), coalesce((SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = NEW.id), 0)),
               coalesce((SELECT y.interactions FROM contact_year_interactions y WHERE y.contact_id = NEW.id), 0),
               EXISTS (SELECT 1 FROM customer_won_values v WHERE v.contact_id = NEW.id);
    END;
    CREATE TRIGGER customer_rank_keys_contact_update AFTER UPDATE OF lifecycle, deleted_at, owner_id, last_interaction_at ON contacts
    WHEN OLD.lifecycle = 'customer' OR NEW.lifecycle = 'customer' BEGIN
        DELETE FROM customer_rank_keys WHERE contact_id = OLD.id AND NOT (NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL);
        INSERT OR REPLACE INTO customer_rank_keys(contact_id, owner_id, touch, frequency, valued)
        SELECT NEW.id, NEW.owner_id,
               max(coalesce(NEW.last_interaction_at, 0), coalesce((SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = NEW.id), 0)),
               coalesce((SELECT y.interactions FROM contact_year_interactions y WHERE y.contact_id = NEW.id), 0),
               EXISTS (SELECT 1 FROM customer_won_values v WHERE v.contact_id = NEW.id)
        WHERE NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL;
    END;
    CREATE TRIGGER customer_rank_keys_contact_delete AFTER DELETE ON contacts WHEN OLD.lifecycle = 'customer' BEGIN
        DELETE FROM customer_rank_keys WHERE contact_id = OLD.id;
    END;

    CREATE TRIGGER customer_rank_keys_year_insert AFTER INSERT ON contact_year_interactions BEGIN
        UPDATE customer_rank_keys SET frequency = NEW.interactions WHERE contact_id = NEW.contact_id;
    END;
    CREATE TRIGGER customer_rank_keys_year_update AFTER UPDATE OF contact_id, interactions ON contact_year_interactions BEGIN
        UPDATE customer_rank_keys SET frequency = 0 WHERE contact_id = OLD.contact_id AND OLD.contact_id IS NOT NEW.contact_id;
        UPDATE customer_rank_keys SET frequency = NEW.interactions WHERE contact_id = NEW.contact_id;
    END;
    CREATE TRIGGER customer_rank_keys_year_delete AFTER DELETE ON contact_year_interactions BEGIN
        UPDATE customer_rank_keys SET frequency = 0 WHERE contact_id = OLD.contact_id;
    END;

    CREATE TRIGGER customer_rank_keys_value_insert AFTER INSERT ON customer_won_values BEGIN
        UPDATE customer_rank_keys SET valued = 1, touch = max(touch, coalesce(NEW.last_won, 0)) WHERE contact_id = NEW.contact_id;
    END;
    CREATE TRIGGER customer_rank_keys_value_update AFTER UPDATE OF contact_id, last_won ON customer_won_values BEGIN
        UPDATE customer_rank_keys
        SET touch = max(coalesce((SELECT c.last_interaction_at FROM contacts c WHERE c.id = customer_rank_keys.contact_id), 0),
                        coalesce((SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = customer_rank_keys.contact_id), 0)),
            valued = EXISTS (SELECT 1 FROM customer_won_values v WHERE v.contact_id = customer_rank_keys.contact_id)
        WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
    END;
    CREATE TRIGGER customer_rank_keys_value_delete AFTER DELETE ON customer_won_values BEGIN
        UPDATE customer_rank_keys
        SET touch = max(coalesce((SELECT c.last_interaction_at FROM contacts c WHERE c.id = OLD.contact_id), 0),
                        coalesce((SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = OLD.contact_id), 0)),
            valued = EXISTS (SELECT 1 FROM customer_won_values v WHERE v.contact_id = OLD.contact_id)
        WHERE contact_id = OLD.contact_id;
    END;
    """
}
