/// Version 40: each contact's live interactions in one 365-day window,
/// kept by triggers, so the Customers report's RFM frequency (interactions
/// in the 365 days before now) reads one stored number per customer
/// instead of counting every customer's interactions at each look (35,000
/// index ranges at 100,000 contacts and 1,000,000 interactions).
///
/// A count "in the 365 days before now" moves with time, which no trigger
/// sees. So the stored count is for a fixed window, [as_of − 365 days,
/// as_of), `as_of` being a UTC midnight in `contact_year_window`, and the
/// report adds what changed between as_of and now from the interactions
/// of those two short slices of time (interactions_by_time): the figure is
/// exact whatever `now` is (CustomerYearInteractions). A writer that opens
/// the file on a later day moves the window to its day (recounting only
/// the contacts with interactions in the slices it passes), so the slices
/// stay a day or so long.
///
/// - `contact_year_window`: the one row with as_of. Set here to the
///   current UTC day, and the counts filled for it.
/// - `contact_year_interactions`: per contact (any lifecycle: a contact
///   becoming a customer needs no recount), its live interactions
///   (deleted_at IS NULL) with occurred_at in the window; a contact
///   without any may have no row, or a row of 0.
///
/// Triggers add and take away one interaction on insert, delete and every
/// update of a column that moves it (contact, time, the trash's
/// deleted_at), so logging, editing, trash, restore, purge (the delete
/// cascades), merge (moves the contact), import and its undo keep it
/// exact. The insert trigger is also an `InsertTrigger`: a bulk load drops
/// it and adds the new rows' counts with one grouped statement.
///
/// Frozen SQL. It cannot run twice (CREATE TABLE): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV40CustomerYearInteractions {
    static let sql = """
    CREATE TABLE contact_year_window (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        as_of INTEGER NOT NULL
    );
    INSERT INTO contact_year_window(id, as_of) VALUES (1, CAST(strftime('%s', 'now') AS INTEGER) / 86400 * 86400);

    CREATE TABLE contact_year_interactions (
        contact_id INTEGER PRIMARY KEY,
        interactions INTEGER NOT NULL
    );
    INSERT INTO contact_year_interactions(contact_id, interactions)
    SELECT i.contact_id, count(*) FROM interactions i, contact_year_window w
    WHERE w.id = 1 AND i.deleted_at IS NULL AND i.contact_id IS NOT NULL
      AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of
    GROUP BY i.contact_id;

    CREATE TRIGGER contact_year_interactions_insert AFTER INSERT ON interactions
    WHEN NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL BEGIN
        INSERT INTO contact_year_interactions(contact_id, interactions)
        SELECT NEW.contact_id, 1 FROM contact_year_window w
        WHERE w.id = 1 AND NEW.occurred_at >= w.as_of - 31536000 AND NEW.occurred_at < w.as_of
        ON CONFLICT(contact_id) DO UPDATE SET interactions = interactions + 1;
    END;
    CREATE TRIGGER contact_year_interactions_update AFTER UPDATE OF contact_id, occurred_at, deleted_at ON interactions
    WHEN OLD.contact_id IS NOT NEW.contact_id OR OLD.occurred_at IS NOT NEW.occurred_at
      OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
        UPDATE contact_year_interactions SET interactions = interactions - 1
        WHERE OLD.deleted_at IS NULL AND contact_id = OLD.contact_id
          AND EXISTS (SELECT 1 FROM contact_year_window w
                      WHERE w.id = 1 AND OLD.occurred_at >= w.as_of - 31536000 AND OLD.occurred_at < w.as_of);
        INSERT INTO contact_year_interactions(contact_id, interactions)
        SELECT NEW.contact_id, 1 FROM contact_year_window w
        WHERE w.id = 1 AND NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL
          AND NEW.occurred_at >= w.as_of - 31536000 AND NEW.occurred_at < w.as_of
        ON CONFLICT(contact_id) DO UPDATE SET interactions = interactions + 1;
    END;
    CREATE TRIGGER contact_year_interactions_delete AFTER DELETE ON interactions
    WHEN OLD.deleted_at IS NULL AND OLD.contact_id IS NOT NULL BEGIN
        UPDATE contact_year_interactions SET interactions = interactions - 1
        WHERE contact_id = OLD.contact_id
          AND EXISTS (SELECT 1 FROM contact_year_window w
                      WHERE w.id = 1 AND OLD.occurred_at >= w.as_of - 31536000 AND OLD.occurred_at < w.as_of);
    END;
    """
}
