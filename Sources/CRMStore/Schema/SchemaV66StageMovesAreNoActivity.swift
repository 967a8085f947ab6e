/// Version 66: a deal's stage move is not activity with its customer. The
/// Customers report counted the stage-change rows a move writes to the
/// timeline (kind 'stage') as interactions: in the RFM frequency (schema
/// 40's year of interactions, which schema 48's ranking keys copy) and in
/// the at-risk list's two halves of 90 days (schema 55), so a rep dragging
/// a customer's deals across the board made that customer look loyal, or
/// its activity not falling (QA 29 #17). The last contact time
/// (`interactions_touch_contact`) and the search index always left them out.
///
/// - The eight triggers that count an interaction into those two tables are
///   made again with `kind <> 'stage'`; the update triggers also follow a
///   change of kind (a note edited into, or out of, a stage change).
/// - `interactions_by_time` holds the kind after the contact, so the
///   report's corrections from the stored windows to now (three short
///   slices of time) still read the index alone; its order is unchanged.
/// - The contacts that had a stage change counted in either window are
///   counted again (a few thousand at 100,000 contacts); the ranking keys
///   follow their year's count by trigger.
///
/// Triggers and an index made again, and an UPDATE that counts from
/// scratch: running it twice does no harm. TempDatabase's `rewindSchema`
/// puts the step-40/55/65 definitions back for the upgrade test.
/// PostgreSQL's step 66 does the same (PGSchemaV66StageMovesAreNoActivity).
enum SchemaV66StageMovesAreNoActivity {
    static let sql = """
    DROP INDEX interactions_by_time;
    CREATE INDEX interactions_by_time ON interactions(occurred_at, id, contact_id, kind) WHERE deleted_at IS NULL;

    DROP TRIGGER contact_year_interactions_insert;
    CREATE TRIGGER contact_year_interactions_insert AFTER INSERT ON interactions
    WHEN NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL AND NEW.kind <> 'stage' BEGIN
        INSERT INTO contact_year_interactions(contact_id, interactions)
        SELECT NEW.contact_id, 1 FROM contact_year_window w
        WHERE w.id = 1 AND NEW.occurred_at >= w.as_of - 31536000 AND NEW.occurred_at < w.as_of
        ON CONFLICT(contact_id) DO UPDATE SET interactions = interactions + 1;
    END;
    DROP TRIGGER contact_year_interactions_update;
    CREATE TRIGGER contact_year_interactions_update AFTER UPDATE OF contact_id, occurred_at, deleted_at, kind ON interactions
    WHEN OLD.contact_id IS NOT NEW.contact_id OR OLD.occurred_at IS NOT NEW.occurred_at
      OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR (OLD.kind = 'stage') <> (NEW.kind = 'stage') BEGIN
        UPDATE contact_year_interactions SET interactions = interactions - 1
        WHERE OLD.deleted_at IS NULL AND OLD.kind <> 'stage' AND contact_id = OLD.contact_id
          AND EXISTS (SELECT 1 FROM contact_year_window w
                      WHERE w.id = 1 AND OLD.occurred_at >= w.as_of - 31536000 AND OLD.occurred_at < w.as_of);
        INSERT INTO contact_year_interactions(contact_id, interactions)
        SELECT NEW.contact_id, 1 FROM contact_year_window w
        WHERE w.id = 1 AND NEW.deleted_at IS NULL AND NEW.kind <> 'stage' AND NEW.contact_id IS NOT NULL
          AND NEW.occurred_at >= w.as_of - 31536000 AND NEW.occurred_at < w.as_of
        ON CONFLICT(contact_id) DO UPDATE SET interactions = interactions + 1;
    END;
    DROP TRIGGER contact_year_interactions_delete;
    CREATE TRIGGER contact_year_interactions_delete AFTER DELETE ON interactions
    WHEN OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL AND OLD.kind <> 'stage' BEGIN
        UPDATE contact_year_interactions SET interactions = interactions - 1
        WHERE contact_id = OLD.contact_id
          AND EXISTS (SELECT 1 FROM contact_year_window w
                      WHERE w.id = 1 AND OLD.occurred_at >= w.as_of - 31536000 AND OLD.occurred_at < w.as_of);
    END;

    DROP TRIGGER customer_activity_interaction_insert;
    CREATE TRIGGER customer_activity_interaction_insert AFTER INSERT ON interactions
    WHEN NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL AND NEW.kind <> 'stage' BEGIN
        UPDATE customer_activity
        SET earlier = earlier + (SELECT NEW.occurred_at < w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1),
            recent = recent + (SELECT NEW.occurred_at >= w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1)
        WHERE contact_id = NEW.contact_id
          AND EXISTS (SELECT 1 FROM customer_activity_window w
                      WHERE w.id = 1 AND NEW.occurred_at >= w.as_of - 7776000 AND NEW.occurred_at < w.as_of);
    END;
    DROP TRIGGER customer_activity_interaction_update;
    CREATE TRIGGER customer_activity_interaction_update AFTER UPDATE OF contact_id, occurred_at, deleted_at, kind ON interactions
    WHEN OLD.contact_id IS NOT NEW.contact_id OR OLD.occurred_at IS NOT NEW.occurred_at
      OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) OR (OLD.kind = 'stage') <> (NEW.kind = 'stage') BEGIN
        UPDATE customer_activity
        SET earlier = earlier - (SELECT OLD.occurred_at < w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1),
            recent = recent - (SELECT OLD.occurred_at >= w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1)
        WHERE OLD.deleted_at IS NULL AND OLD.kind <> 'stage' AND contact_id = OLD.contact_id
          AND EXISTS (SELECT 1 FROM customer_activity_window w
                      WHERE w.id = 1 AND OLD.occurred_at >= w.as_of - 7776000 AND OLD.occurred_at < w.as_of);
        UPDATE customer_activity
        SET earlier = earlier + (SELECT NEW.occurred_at < w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1),
            recent = recent + (SELECT NEW.occurred_at >= w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1)
        WHERE NEW.deleted_at IS NULL AND NEW.kind <> 'stage' AND contact_id = NEW.contact_id
          AND EXISTS (SELECT 1 FROM customer_activity_window w
                      WHERE w.id = 1 AND NEW.occurred_at >= w.as_of - 7776000 AND NEW.occurred_at < w.as_of);
    END;
    DROP TRIGGER customer_activity_interaction_delete;
    CREATE TRIGGER customer_activity_interaction_delete AFTER DELETE ON interactions
    WHEN OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL AND OLD.kind <> 'stage' BEGIN
        UPDATE customer_activity
        SET earlier = earlier - (SELECT OLD.occurred_at < w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1),
            recent = recent - (SELECT OLD.occurred_at >= w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1)
        WHERE contact_id = OLD.contact_id
          AND EXISTS (SELECT 1 FROM customer_activity_window w
                      WHERE w.id = 1 AND OLD.occurred_at >= w.as_of - 7776000 AND OLD.occurred_at < w.as_of);
    END;

    DROP TRIGGER customer_activity_contact_insert;
    CREATE TRIGGER customer_activity_contact_insert AFTER INSERT ON contacts
    WHEN NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL BEGIN
        INSERT OR REPLACE INTO customer_activity(contact_id, owner_id, touch, cadence_days, value_tier, earlier, recent)
        SELECT NEW.id, NEW.owner_id, coalesce(NEW.last_interaction_at, NEW.created_at), NEW.cadence_days, NEW.value_tier,
               (SELECT count(*) FROM interactions i WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                  AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of - 3888000),
               (SELECT count(*) FROM interactions i WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                  AND i.occurred_at >= w.as_of - 3888000 AND i.occurred_at < w.as_of)
        FROM customer_activity_window w WHERE w.id = 1;
    END;
    DROP TRIGGER customer_activity_contact_update;
    CREATE TRIGGER customer_activity_contact_update
    AFTER UPDATE OF lifecycle, deleted_at, owner_id, last_interaction_at, created_at, cadence_days, value_tier ON contacts
    WHEN OLD.lifecycle = 'customer' OR NEW.lifecycle = 'customer' BEGIN
        DELETE FROM customer_activity WHERE contact_id = OLD.id AND NOT (NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL);
        UPDATE customer_activity
        SET owner_id = NEW.owner_id, touch = coalesce(NEW.last_interaction_at, NEW.created_at), cadence_days = NEW.cadence_days,
            value_tier = NEW.value_tier
        WHERE contact_id = NEW.id;
        INSERT INTO customer_activity(contact_id, owner_id, touch, cadence_days, value_tier, earlier, recent)
        SELECT NEW.id, NEW.owner_id, coalesce(NEW.last_interaction_at, NEW.created_at), NEW.cadence_days, NEW.value_tier,
               (SELECT count(*) FROM interactions i WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                  AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of - 3888000),
               (SELECT count(*) FROM interactions i WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                  AND i.occurred_at >= w.as_of - 3888000 AND i.occurred_at < w.as_of)
        FROM customer_activity_window w
        WHERE w.id = 1 AND NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM customer_activity a WHERE a.contact_id = NEW.id);
    END;

    UPDATE contact_year_interactions
    SET interactions = (SELECT count(*) FROM interactions i, contact_year_window w
                        WHERE w.id = 1 AND i.contact_id = contact_year_interactions.contact_id AND i.deleted_at IS NULL
                          AND i.kind <> 'stage' AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of)
    WHERE contact_id IN (SELECT i.contact_id FROM interactions i INDEXED BY interactions_by_time, contact_year_window w
                         WHERE w.id = 1 AND i.deleted_at IS NULL AND i.kind = 'stage'
                           AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of);
    UPDATE customer_activity
    SET earlier = (SELECT count(*) FROM interactions i, customer_activity_window w
                   WHERE w.id = 1 AND i.contact_id = customer_activity.contact_id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                     AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of - 3888000),
        recent = (SELECT count(*) FROM interactions i, customer_activity_window w
                  WHERE w.id = 1 AND i.contact_id = customer_activity.contact_id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                    AND i.occurred_at >= w.as_of - 3888000 AND i.occurred_at < w.as_of)
    WHERE contact_id IN (SELECT i.contact_id FROM interactions i INDEXED BY interactions_by_time, customer_activity_window w
                         WHERE w.id = 1 AND i.deleted_at IS NULL AND i.kind = 'stage'
                           AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of);
    """
}
