// PostgreSQL schema step 55: the at-risk list's activity per live customer
// in a stored 90-day window, kept by triggers, as SQLite's step 55
// (SchemaV55CustomerActivity, which explains the window and the
// corrections the report adds to reach its now): the same tables, columns
// and counts, and the same partial index of the customers whose activity
// falls, so the list is one pass over those instead of a count of the
// interactions of the last 90 days (130,000 at 100,000 contacts) at every look.
//
// Two row trigger functions: one for an interaction's insert, update (of
// the contact, the time or the trash's deleted_at) and delete, one for a
// contact's insert, update (of what the row copies, or its lifecycle and
// trash) and delete. Reading the window's end holds the window table's
// ACCESS SHARE lock to the end of the writer's transaction, as step 40's
// does: a session moving the window (PGCustomerActivity, ACCESS EXCLUSIVE)
// waits for the transactions counting into the old window.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV55CustomerActivity {
    static let sql = """
    CREATE TABLE customer_activity_window (
        id bigint PRIMARY KEY CHECK (id = 1),
        as_of bigint NOT NULL
    );
    INSERT INTO customer_activity_window(id, as_of) VALUES (1, floor(extract(epoch FROM now()) / 86400)::bigint * 86400);

    CREATE TABLE customer_activity (
        contact_id bigint PRIMARY KEY,
        owner_id bigint,
        touch bigint NOT NULL,
        cadence_days bigint,
        value_tier text,
        earlier bigint NOT NULL,
        recent bigint NOT NULL
    );
    INSERT INTO customer_activity(contact_id, owner_id, touch, cadence_days, value_tier, earlier, recent)
    SELECT c.id, c.owner_id, coalesce(c.last_interaction_at, c.created_at), c.cadence_days, c.value_tier,
           count(i.id) FILTER (WHERE i.occurred_at < w.as_of - 3888000), count(i.id) FILTER (WHERE i.occurred_at >= w.as_of - 3888000)
    FROM contacts c CROSS JOIN customer_activity_window w
    LEFT JOIN interactions i ON i.contact_id = c.id AND i.deleted_at IS NULL
                            AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of
    WHERE w.id = 1 AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
    GROUP BY c.id, w.as_of;
    CREATE INDEX customer_activity_falling ON customer_activity(owner_id, contact_id)
        INCLUDE (touch, cadence_days, value_tier, earlier, recent) WHERE earlier > recent;

    CREATE FUNCTION crm_customer_activity_interaction() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE a bigint;
    BEGIN
        SELECT as_of INTO a FROM customer_activity_window WHERE id = 1;
        IF TG_OP <> 'INSERT' THEN
            IF OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL
               AND OLD.occurred_at >= a - 7776000 AND OLD.occurred_at < a THEN
                UPDATE customer_activity
                SET earlier = earlier - (OLD.occurred_at < a - 3888000)::int, recent = recent - (OLD.occurred_at >= a - 3888000)::int
                WHERE contact_id = OLD.contact_id;
            END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            IF NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL
               AND NEW.occurred_at >= a - 7776000 AND NEW.occurred_at < a THEN
                UPDATE customer_activity
                SET earlier = earlier + (NEW.occurred_at < a - 3888000)::int, recent = recent + (NEW.occurred_at >= a - 3888000)::int
                WHERE contact_id = NEW.contact_id;
            END IF;
        END IF;
        RETURN NULL;
    END $fn$;

    CREATE TRIGGER customer_activity_interaction_insert AFTER INSERT ON interactions
        FOR EACH ROW WHEN (NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL)
        EXECUTE FUNCTION crm_customer_activity_interaction();
    CREATE TRIGGER customer_activity_interaction_update AFTER UPDATE OF contact_id, occurred_at, deleted_at ON interactions
        FOR EACH ROW WHEN (OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at
                           OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
        EXECUTE FUNCTION crm_customer_activity_interaction();
    CREATE TRIGGER customer_activity_interaction_delete AFTER DELETE ON interactions
        FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL)
        EXECUTE FUNCTION crm_customer_activity_interaction();

    CREATE FUNCTION crm_customer_activity_contact() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE a bigint;
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM customer_activity WHERE contact_id = OLD.id;
            RETURN NULL;
        END IF;
        IF NOT (NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL) THEN
            DELETE FROM customer_activity WHERE contact_id = NEW.id;
            RETURN NULL;
        END IF;
        UPDATE customer_activity
        SET owner_id = NEW.owner_id, touch = coalesce(NEW.last_interaction_at, NEW.created_at), cadence_days = NEW.cadence_days,
            value_tier = NEW.value_tier
        WHERE contact_id = NEW.id;
        IF NOT FOUND THEN
            SELECT as_of INTO a FROM customer_activity_window WHERE id = 1;
            INSERT INTO customer_activity(contact_id, owner_id, touch, cadence_days, value_tier, earlier, recent)
            SELECT NEW.id, NEW.owner_id, coalesce(NEW.last_interaction_at, NEW.created_at), NEW.cadence_days, NEW.value_tier,
                   count(*) FILTER (WHERE i.occurred_at < a - 3888000), count(*) FILTER (WHERE i.occurred_at >= a - 3888000)
            FROM interactions i
            WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL AND i.occurred_at >= a - 7776000 AND i.occurred_at < a;
        END IF;
        RETURN NULL;
    END $fn$;

    CREATE TRIGGER customer_activity_contact_insert AFTER INSERT ON contacts
        FOR EACH ROW WHEN (NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL)
        EXECUTE FUNCTION crm_customer_activity_contact();
    CREATE TRIGGER customer_activity_contact_update
        AFTER UPDATE OF lifecycle, deleted_at, owner_id, last_interaction_at, created_at, cadence_days, value_tier ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle = 'customer' OR NEW.lifecycle = 'customer')
        EXECUTE FUNCTION crm_customer_activity_contact();
    CREATE TRIGGER customer_activity_contact_delete AFTER DELETE ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle = 'customer')
        EXECUTE FUNCTION crm_customer_activity_contact();
    """
}
