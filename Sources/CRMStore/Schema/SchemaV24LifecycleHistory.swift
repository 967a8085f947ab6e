/// Version 24: when each contact's lifecycle changed (lead → prospect →
/// customer → former), like the deal stage history, so reports compute
/// conversion and retention instead of guessing them from today's values.
///
/// A row records one change: from, to, when, and who made it (NULL when
/// unknown). A contact with no row has had its lifecycle since it was
/// created. The trigger catches every path that changes `lifecycle` (the
/// edit form, a merge, an import merge, a restore), so no write can forget
/// it; the writer's user id is not on the contacts row, so the repository
/// that knows it fills `changed_by` right after its update (see
/// SQLiteContactRepository.update).
///
/// Existing databases are filled from the audit log, which has recorded
/// every lifecycle edit as `{"lifecycle": [old, new]}` since version 1 (as
/// text before version 22, as JSON strings after: both read the same with
/// json_extract).
///
/// Frozen SQL. It cannot run twice (CREATE TABLE): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV24LifecycleHistory {
    static let sql = """
    CREATE TABLE contact_lifecycle_history (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        from_lifecycle TEXT NOT NULL,
        to_lifecycle TEXT NOT NULL,
        changed_at INTEGER NOT NULL,
        changed_by INTEGER REFERENCES users(id)
    );
    CREATE INDEX contact_lifecycle_history_by_contact ON contact_lifecycle_history(contact_id, changed_at);
    CREATE INDEX contact_lifecycle_history_by_time ON contact_lifecycle_history(changed_at, to_lifecycle);

    CREATE TRIGGER contacts_lifecycle_history AFTER UPDATE OF lifecycle ON contacts
    WHEN OLD.lifecycle <> NEW.lifecycle
    BEGIN
        INSERT INTO contact_lifecycle_history(contact_id, from_lifecycle, to_lifecycle, changed_at)
        VALUES (NEW.id, OLD.lifecycle, NEW.lifecycle, NEW.updated_at);
    END;

    INSERT INTO contact_lifecycle_history(contact_id, from_lifecycle, to_lifecycle, changed_at, changed_by)
    SELECT a.entity_id, json_extract(a.changes, '$.lifecycle[0]'), json_extract(a.changes, '$.lifecycle[1]'), a.at, a.user_id
    FROM audit_log a JOIN contacts c ON c.id = a.entity_id
    WHERE a.entity = 'contact' AND json_valid(a.changes)
      AND json_extract(a.changes, '$.lifecycle[0]') IN ('lead', 'prospect', 'customer', 'former')
      AND json_extract(a.changes, '$.lifecycle[1]') IN ('lead', 'prospect', 'customer', 'former')
      AND json_extract(a.changes, '$.lifecycle[0]') <> json_extract(a.changes, '$.lifecycle[1]')
    ORDER BY a.id;
    """
}
