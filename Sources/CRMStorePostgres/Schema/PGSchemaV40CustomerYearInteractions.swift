// PostgreSQL schema step 40: each contact's live interactions in one
// 365-day window, kept by triggers, as SQLite's step 40
// (SchemaV40CustomerYearInteractions, which explains the window and the
// corrections the report adds to reach its now): the same tables, columns
// and counts, so the Customers report reads one stored number per customer
// (PGCustomerValueSQL.reportCTEs) instead of counting every customer's
// interactions at each look.
//
// One row trigger function for insert, update (of the contact, the time
// or the trash's deleted_at) and delete. Reading the window's end holds
// the window table's ACCESS SHARE lock to the end of the writer's
// transaction (a lock-manager entry, no write to the row, so writers do
// not queue on each other): a session moving the window
// (PGCustomerYearInteractions, ACCESS EXCLUSIVE) waits for the transactions
// counting into the old window to end, and those that start meanwhile wait
// for the move and count into the new one, so no interaction is counted
// against the wrong window.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV40CustomerYearInteractions {
    static let sql = """
    CREATE TABLE contact_year_window (
        id bigint PRIMARY KEY CHECK (id = 1),
        as_of bigint NOT NULL
    );
    INSERT INTO contact_year_window(id, as_of) VALUES (1, floor(extract(epoch FROM now()) / 86400)::bigint * 86400);

    CREATE TABLE contact_year_interactions (
        contact_id bigint PRIMARY KEY,
        interactions bigint NOT NULL
    );
    INSERT INTO contact_year_interactions(contact_id, interactions)
    SELECT i.contact_id, count(*) FROM interactions i, contact_year_window w
    WHERE w.id = 1 AND i.deleted_at IS NULL AND i.contact_id IS NOT NULL
      AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of
    GROUP BY i.contact_id;

    CREATE FUNCTION crm_contact_year_interactions() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE a bigint;
    BEGIN
        SELECT as_of INTO a FROM contact_year_window WHERE id = 1;
        IF TG_OP <> 'INSERT' THEN
            IF OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL
               AND OLD.occurred_at >= a - 31536000 AND OLD.occurred_at < a THEN
                UPDATE contact_year_interactions SET interactions = interactions - 1 WHERE contact_id = OLD.contact_id;
            END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            IF NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL
               AND NEW.occurred_at >= a - 31536000 AND NEW.occurred_at < a THEN
                INSERT INTO contact_year_interactions(contact_id, interactions) VALUES (NEW.contact_id, 1)
                ON CONFLICT (contact_id) DO UPDATE SET interactions = contact_year_interactions.interactions + 1;
            END IF;
        END IF;
        RETURN NULL;
    END $fn$;

    CREATE TRIGGER contact_year_interactions_insert AFTER INSERT ON interactions
        FOR EACH ROW WHEN (NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL)
        EXECUTE FUNCTION crm_contact_year_interactions();
    CREATE TRIGGER contact_year_interactions_update AFTER UPDATE OF contact_id, occurred_at, deleted_at ON interactions
        FOR EACH ROW WHEN (OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at
                           OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
        EXECUTE FUNCTION crm_contact_year_interactions();
    CREATE TRIGGER contact_year_interactions_delete AFTER DELETE ON interactions
        FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL)
        EXECUTE FUNCTION crm_contact_year_interactions();
    """
}
