// PostgreSQL schema step 66: a deal's stage move is not activity with its
// customer, as SQLite's step 66 (SchemaV66StageMovesAreNoActivity, which
// explains why): the year of interactions behind the RFM frequency (step
// 40) and the at-risk list's 90 days (step 55) count no stage change. The
// three trigger functions are replaced with ones that leave kind 'stage'
// out; the update triggers also follow a change of kind; the contacts that
// had a stage change counted in either window are counted again.
//
// CREATE OR REPLACE, DROP … IF EXISTS and a recount from scratch: it can
// run twice. (The time index stays: PostgreSQL reads the rows of the
// report's slices for their contact anyway.)
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV66StageMovesAreNoActivity {
    static let sql = """
    CREATE OR REPLACE FUNCTION crm_contact_year_interactions() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE a bigint;
    BEGIN
        SELECT as_of INTO a FROM contact_year_window WHERE id = 1;
        IF TG_OP <> 'INSERT' THEN
            IF OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL AND OLD.kind <> 'stage'
               AND OLD.occurred_at >= a - 31536000 AND OLD.occurred_at < a THEN
                UPDATE contact_year_interactions SET interactions = interactions - 1 WHERE contact_id = OLD.contact_id;
            END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            IF NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL AND NEW.kind <> 'stage'
               AND NEW.occurred_at >= a - 31536000 AND NEW.occurred_at < a THEN
                INSERT INTO contact_year_interactions(contact_id, interactions) VALUES (NEW.contact_id, 1)
                ON CONFLICT (contact_id) DO UPDATE SET interactions = contact_year_interactions.interactions + 1;
            END IF;
        END IF;
        RETURN NULL;
    END $fn$;

    DROP TRIGGER IF EXISTS contact_year_interactions_insert ON interactions;
    CREATE TRIGGER contact_year_interactions_insert AFTER INSERT ON interactions
        FOR EACH ROW WHEN (NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL AND NEW.kind <> 'stage')
        EXECUTE FUNCTION crm_contact_year_interactions();
    DROP TRIGGER IF EXISTS contact_year_interactions_update ON interactions;
    CREATE TRIGGER contact_year_interactions_update AFTER UPDATE OF contact_id, occurred_at, deleted_at, kind ON interactions
        FOR EACH ROW WHEN (OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at
                           OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR (OLD.kind = 'stage') <> (NEW.kind = 'stage'))
        EXECUTE FUNCTION crm_contact_year_interactions();
    DROP TRIGGER IF EXISTS contact_year_interactions_delete ON interactions;
    CREATE TRIGGER contact_year_interactions_delete AFTER DELETE ON interactions
        FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL AND OLD.kind <> 'stage')
        EXECUTE FUNCTION crm_contact_year_interactions();

    CREATE OR REPLACE FUNCTION crm_customer_activity_interaction() RETURNS trigger LANGUAGE plpgsql AS $fn$
    DECLARE a bigint;
    BEGIN
        SELECT as_of INTO a FROM customer_activity_window WHERE id = 1;
        IF TG_OP <> 'INSERT' THEN
            IF OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL AND OLD.kind <> 'stage'
               AND OLD.occurred_at >= a - 7776000 AND OLD.occurred_at < a THEN
                UPDATE customer_activity
                SET earlier = earlier - (OLD.occurred_at < a - 3888000)::int, recent = recent - (OLD.occurred_at >= a - 3888000)::int
                WHERE contact_id = OLD.contact_id;
            END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            IF NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL AND NEW.kind <> 'stage'
               AND NEW.occurred_at >= a - 7776000 AND NEW.occurred_at < a THEN
                UPDATE customer_activity
                SET earlier = earlier + (NEW.occurred_at < a - 3888000)::int, recent = recent + (NEW.occurred_at >= a - 3888000)::int
                WHERE contact_id = NEW.contact_id;
            END IF;
        END IF;
        RETURN NULL;
    END $fn$;

    DROP TRIGGER IF EXISTS customer_activity_interaction_insert ON interactions;
    CREATE TRIGGER customer_activity_interaction_insert AFTER INSERT ON interactions
        FOR EACH ROW WHEN (NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL AND NEW.kind <> 'stage')
        EXECUTE FUNCTION crm_customer_activity_interaction();
    DROP TRIGGER IF EXISTS customer_activity_interaction_update ON interactions;
    CREATE TRIGGER customer_activity_interaction_update AFTER UPDATE OF contact_id, occurred_at, deleted_at, kind ON interactions
        FOR EACH ROW WHEN (OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at
                           OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR (OLD.kind = 'stage') <> (NEW.kind = 'stage'))
        EXECUTE FUNCTION crm_customer_activity_interaction();
    DROP TRIGGER IF EXISTS customer_activity_interaction_delete ON interactions;
    CREATE TRIGGER customer_activity_interaction_delete AFTER DELETE ON interactions
        FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL AND OLD.kind <> 'stage')
        EXECUTE FUNCTION crm_customer_activity_interaction();

    CREATE OR REPLACE FUNCTION crm_customer_activity_contact() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
            WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
              AND i.occurred_at >= a - 7776000 AND i.occurred_at < a;
        END IF;
        RETURN NULL;
    END $fn$;

    UPDATE contact_year_interactions y
    SET interactions = (SELECT count(*) FROM interactions i
                        WHERE i.contact_id = y.contact_id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                          AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of)
    FROM contact_year_window w
    WHERE w.id = 1 AND y.contact_id IN (SELECT i.contact_id FROM interactions i
                                        WHERE i.deleted_at IS NULL AND i.kind = 'stage' AND i.contact_id IS NOT NULL
                                          AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of);
    UPDATE customer_activity a
    SET earlier = (SELECT count(*) FROM interactions i
                   WHERE i.contact_id = a.contact_id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                     AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of - 3888000),
        recent = (SELECT count(*) FROM interactions i
                  WHERE i.contact_id = a.contact_id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                    AND i.occurred_at >= w.as_of - 3888000 AND i.occurred_at < w.as_of)
    FROM customer_activity_window w
    WHERE w.id = 1 AND a.contact_id IN (SELECT i.contact_id FROM interactions i
                                        WHERE i.deleted_at IS NULL AND i.kind = 'stage' AND i.contact_id IS NOT NULL
                                          AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of);
    """
}
