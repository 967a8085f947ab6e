/// Version 55: what the Customers report's "at risk" list reads, stored per
/// live customer and kept by triggers, so the list is one pass over the
/// customers whose activity falls (a partial index) instead of two counts
/// of interactions for each of the 35,000 customers at every look (at
/// 100,000 contacts and 1,000,000 interactions: 64,000 index ranges, whose
/// pages the rest of the page pushes out of the cache, hence a p99 3.7
/// times the median).
///
/// "Falling" compares the live interactions (every kind) of the two halves
/// of the 90 days before now (CustomersReportSheet.activityWindowDays):
/// counts that move with time, which no trigger sees. So, as with step 40's
/// year window, the counts are stored for a fixed window ending at `as_of`
/// (a UTC midnight in `customer_activity_window`): `earlier` the
/// interactions in [as_of − 90 d, as_of − 45 d), `recent` those in
/// [as_of − 45 d, as_of). The report adds what changed between as_of and
/// its now from three short slices of interactions_by_time
/// (CustomerActivity), and a writer that opens the file on a later day
/// moves the window to its day, recounting only the contacts with
/// interactions in the slices passed.
///
/// - `customer_activity`: one row per live customer (not deleted,
///   lifecycle customer) with what the cadence needs besides the settings
///   (owner, last touch = coalesce(last interaction, created), own cadence,
///   value tier) and the two counts. The settings' cadence rules are applied
///   when the report reads (nothing stored depends on them).
/// - `customer_activity_falling`: the rows with earlier > recent, by owner,
///   covering every column the list reads.
///
/// Triggers: an interaction's insert, delete and every update of its
/// contact, time or trash mark move one count; a contact's insert, delete
/// and update of lifecycle, trash, owner, last interaction, creation, own
/// cadence or tier add, drop or rewrite its row (logging, editing, trash,
/// restore, purge, merge, import and its undo, reassign, hand-over,
/// lifecycle changes and the tiers' recompute all write those). The two
/// insert triggers are `DerivedTableTrigger`s suspended by every bulk load,
/// which recounts the rows of the contacts it added or gave interactions.
///
/// Frozen SQL. It cannot run twice (CREATE TABLE): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV55CustomerActivity {
    static let sql = """
    CREATE TABLE customer_activity_window (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        as_of INTEGER NOT NULL
    );
    INSERT INTO customer_activity_window(id, as_of) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER) / 86400 * 86400);

    CREATE TABLE customer_activity (
        contact_id INTEGER PRIMARY KEY,
        owner_id INTEGER,
        touch INTEGER NOT NULL,
        cadence_days INTEGER,
        value_tier TEXT,
        earlier INTEGER NOT NULL,
        recent INTEGER NOT NULL
    );
    INSERT INTO customer_activity(contact_id, owner_id, touch, cadence_days, value_tier, earlier, recent)
    SELECT c.id, c.owner_id, coalesce(c.last_interaction_at, c.created_at), c.cadence_days, c.value_tier,
           (SELECT count(*) FROM interactions i INDEXED BY interactions_by_contact
            WHERE i.contact_id = c.id AND i.deleted_at IS NULL AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of - 3888000),
           (SELECT count(*) FROM interactions i INDEXED BY interactions_by_contact
            WHERE i.contact_id = c.id AND i.deleted_at IS NULL AND i.occurred_at >= w.as_of - 3888000 AND i.occurred_at < w.as_of)
    FROM contacts c INDEXED BY contacts_customers_by_company, customer_activity_window w
    WHERE w.id = 1 AND c.deleted_at IS NULL AND c.lifecycle = 'customer';
    CREATE INDEX customer_activity_falling
        ON customer_activity(owner_id, contact_id, touch, cadence_days, value_tier, earlier, recent) WHERE earlier > recent;

    CREATE TRIGGER customer_activity_interaction_insert AFTER INSERT ON interactions
    WHEN NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL BEGIN
        UPDATE customer_activity
        SET earlier = earlier + (SELECT NEW.occurred_at < w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1),
            recent = recent + (SELECT NEW.occurred_at >= w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1)
        WHERE contact_id = NEW.contact_id
          AND EXISTS (SELECT 1 FROM customer_activity_window w
                      WHERE w.id = 1 AND NEW.occurred_at >= w.as_of - 7776000 AND NEW.occurred_at < w.as_of);
    END;
    CREATE TRIGGER customer_activity_interaction_update AFTER UPDATE OF contact_id, occurred_at, deleted_at ON interactions
    WHEN OLD.contact_id IS NOT NEW.contact_id OR OLD.occurred_at IS NOT NEW.occurred_at
      OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
        UPDATE customer_activity
        SET earlier = earlier - (SELECT OLD.occurred_at < w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1),
            recent = recent - (SELECT OLD.occurred_at >= w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1)
        WHERE OLD.deleted_at IS NULL AND contact_id = OLD.contact_id
          AND EXISTS (SELECT 1 FROM customer_activity_window w
                      WHERE w.id = 1 AND OLD.occurred_at >= w.as_of - 7776000 AND OLD.occurred_at < w.as_of);
        UPDATE customer_activity
        SET earlier = earlier + (SELECT NEW.occurred_at < w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1),
            recent = recent + (SELECT NEW.occurred_at >= w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1)
        WHERE NEW.deleted_at IS NULL AND contact_id = NEW.contact_id
          AND EXISTS (SELECT 1 FROM customer_activity_window w
                      WHERE w.id = 1 AND NEW.occurred_at >= w.as_of - 7776000 AND NEW.occurred_at < w.as_of);
    END;
    CREATE TRIGGER customer_activity_interaction_delete AFTER DELETE ON interactions
    WHEN OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL BEGIN
        UPDATE customer_activity
        SET earlier = earlier - (SELECT OLD.occurred_at < w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1),
            recent = recent - (SELECT OLD.occurred_at >= w.as_of - 3888000 FROM customer_activity_window w WHERE w.id = 1)
        WHERE contact_id = OLD.contact_id
          AND EXISTS (SELECT 1 FROM customer_activity_window w
                      WHERE w.id = 1 AND OLD.occurred_at >= w.as_of - 7776000 AND OLD.occurred_at < w.as_of);
    END;

    CREATE TRIGGER customer_activity_contact_insert AFTER INSERT ON contacts
    WHEN NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL BEGIN
        INSERT OR REPLACE INTO customer_activity(contact_id, owner_id, touch, cadence_days, value_tier, earlier, recent)
        SELECT NEW.id, NEW.owner_id, coalesce(NEW.last_interaction_at, NEW.created_at), NEW.cadence_days, NEW.value_tier,
               (SELECT count(*) FROM interactions i WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL
                  AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of - 3888000),
               (SELECT count(*) FROM interactions i WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL
                  AND i.occurred_at >= w.as_of - 3888000 AND i.occurred_at < w.as_of)
        FROM customer_activity_window w WHERE w.id = 1;
    END;
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
               (SELECT count(*) FROM interactions i WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL
                  AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of - 3888000),
               (SELECT count(*) FROM interactions i WHERE i.contact_id = NEW.id AND i.deleted_at IS NULL
                  AND i.occurred_at >= w.as_of - 3888000 AND i.occurred_at < w.as_of)
        FROM customer_activity_window w
        WHERE w.id = 1 AND NEW.lifecycle = 'customer' AND NEW.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM customer_activity a WHERE a.contact_id = NEW.id);
    END;
    CREATE TRIGGER customer_activity_contact_delete AFTER DELETE ON contacts WHEN OLD.lifecycle = 'customer' BEGIN
        DELETE FROM customer_activity WHERE contact_id = OLD.id;
    END;
    """
}
