/// Version 68: each lifecycle change knows the span it closes and the one it
/// opens, and whose contact it is, so the reports that read the history
/// (retention, the measured customer lifespan, People's leads turned
/// customers) walk one index range instead of looking each change's contact
/// and neighbours up. With the demo's history at 100,000 contacts (101,297
/// changes, 11,895 in the last quarter) those look-ups made the Customers
/// page 200 ms and People 105 ms; SQLite's page cache of 1 MiB
/// (Database.bound) turns each into a read of the file.
///
/// On every `contact_lifecycle_history` row:
/// - `previous_at`: when the contact entered `from_lifecycle`: the time of
///   its change before this one (in (changed_at, id) order), else the
///   contact's creation. The row is the end of the span
///   (previous_at, changed_at] in `from_lifecycle`; for a time T, the one
///   row with previous_at < T ≤ changed_at is the contact's first change at
///   or after T, whose `from` is its lifecycle just before T.
/// - `next_at`: the time of its next change, NULL for the last: the span
///   (changed_at, next_at] in `to_lifecycle`.
/// - `contact_owner_id`, `contact_deleted_at`: the contact's owner and trash
///   time now, as the reports filter by them.
///
/// Kept by triggers that count a contact's rows again from what is there
/// (a contact has a handful): on a row's insert, delete and move, and on a
/// contact's change of owner, trash or creation time. The trigger order of
/// a lifecycle change (contacts_lifecycle_history writes the row) does not
/// matter. `contact_lifecycle_history_by_time` is made again holding them
/// all after the time; `contact_lifecycle_departures` holds the changes by
/// kind, for the lifespan's customer → former changes, and
/// `contact_lifecycle_conversions` a live lead's or prospect's changes by
/// outcome and owner, for People's conversions (one range per owner, in
/// the order they are counted: no sort).
///
/// ALTER TABLE ADD COLUMN: the step runs once (TempDatabase's
/// `rewindSchema` has its undo). PostgreSQL's step 68 is empty: its reports
/// keep their queries.
enum SchemaV68LifecycleSpans {
    /// Counts the spans of the rows of the contact `contact` names again.
    static func recount(_ contact: String) -> String {
        """
        UPDATE contact_lifecycle_history SET
            previous_at = coalesce(
                (SELECT p.changed_at FROM contact_lifecycle_history p
                 WHERE p.contact_id = contact_lifecycle_history.contact_id
                   AND (p.changed_at, p.id) < (contact_lifecycle_history.changed_at, contact_lifecycle_history.id)
                 ORDER BY p.changed_at DESC, p.id DESC LIMIT 1),
                (SELECT c.created_at FROM contacts c WHERE c.id = contact_lifecycle_history.contact_id)),
            next_at = (SELECT n.changed_at FROM contact_lifecycle_history n
                       WHERE n.contact_id = contact_lifecycle_history.contact_id
                         AND (n.changed_at, n.id) > (contact_lifecycle_history.changed_at, contact_lifecycle_history.id)
                       ORDER BY n.changed_at, n.id LIMIT 1),
            (contact_owner_id, contact_deleted_at) =
                (SELECT c.owner_id, c.deleted_at FROM contacts c WHERE c.id = contact_lifecycle_history.contact_id)
        WHERE contact_id = \(contact);
        """
    }

    static let sql = """
    ALTER TABLE contact_lifecycle_history ADD COLUMN previous_at INTEGER;
    ALTER TABLE contact_lifecycle_history ADD COLUMN next_at INTEGER;
    ALTER TABLE contact_lifecycle_history ADD COLUMN contact_owner_id INTEGER;
    ALTER TABLE contact_lifecycle_history ADD COLUMN contact_deleted_at INTEGER;

    UPDATE contact_lifecycle_history SET
        previous_at = coalesce(o.previous_at, c.created_at), next_at = o.next_at,
        contact_owner_id = c.owner_id, contact_deleted_at = c.deleted_at
    FROM (SELECT id, lag(changed_at) OVER w AS previous_at, lead(changed_at) OVER w AS next_at
          FROM contact_lifecycle_history WINDOW w AS (PARTITION BY contact_id ORDER BY changed_at, id)) o,
         contacts c
    WHERE o.id = contact_lifecycle_history.id AND c.id = contact_lifecycle_history.contact_id;

    DROP INDEX contact_lifecycle_history_by_time;
    CREATE INDEX contact_lifecycle_history_by_time ON contact_lifecycle_history(
        changed_at, previous_at, next_at, to_lifecycle, from_lifecycle, contact_owner_id, contact_deleted_at, contact_id);
    CREATE INDEX contact_lifecycle_departures ON contact_lifecycle_history(from_lifecycle, to_lifecycle, changed_at, previous_at);
    CREATE INDEX contact_lifecycle_conversions ON contact_lifecycle_history(to_lifecycle, contact_owner_id, changed_at, contact_id)
        WHERE from_lifecycle IN ('lead', 'prospect') AND contact_deleted_at IS NULL;

    CREATE TRIGGER lifecycle_spans_insert AFTER INSERT ON contact_lifecycle_history BEGIN
        \(recount("NEW.contact_id"))
    END;
    CREATE TRIGGER lifecycle_spans_delete AFTER DELETE ON contact_lifecycle_history BEGIN
        \(recount("OLD.contact_id"))
    END;
    CREATE TRIGGER lifecycle_spans_update AFTER UPDATE OF contact_id, changed_at ON contact_lifecycle_history BEGIN
        \(recount("OLD.contact_id"))
        \(recount("NEW.contact_id"))
    END;
    CREATE TRIGGER lifecycle_spans_contact AFTER UPDATE OF owner_id, deleted_at, created_at ON contacts
    WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.created_at IS NOT NEW.created_at BEGIN
        \(recount("NEW.id"))
    END;
    """
}
