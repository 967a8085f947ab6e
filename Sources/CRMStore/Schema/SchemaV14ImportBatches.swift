/// Version 14: imports are recorded as batches, so one can be listed and
/// undone as a whole.
///
/// `import_batches` is one row per import (who, when, which file, the
/// counts); the contacts and companies an import created carry its id in
/// `batch_id`; `import_merges` keeps, per existing contact an import merged
/// into, the values it had before (the fields the merge filled, as JSON),
/// the email, phone and tag rows the merge added, and the version the merge
/// wrote, so an undo can put it back and can tell when someone edited it
/// since.
///
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV14ImportBatches {
    static let sql = """
    CREATE TABLE import_batches (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        format TEXT NOT NULL DEFAULT '',
        user_id INTEGER REFERENCES users(id),
        created_at INTEGER NOT NULL,
        rows_read INTEGER NOT NULL DEFAULT 0,
        created_count INTEGER NOT NULL DEFAULT 0,
        merged_count INTEGER NOT NULL DEFAULT 0,
        skipped_count INTEGER NOT NULL DEFAULT 0,
        rejected_count INTEGER NOT NULL DEFAULT 0,
        companies_created INTEGER NOT NULL DEFAULT 0,
        undone_at INTEGER,
        undone_by INTEGER REFERENCES users(id)
    );

    ALTER TABLE contacts ADD COLUMN batch_id INTEGER REFERENCES import_batches(id);
    ALTER TABLE companies ADD COLUMN batch_id INTEGER REFERENCES import_batches(id);
    CREATE INDEX contacts_by_batch ON contacts(batch_id) WHERE batch_id IS NOT NULL;
    CREATE INDEX companies_by_batch ON companies(batch_id) WHERE batch_id IS NOT NULL;

    CREATE TABLE import_merges (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES import_batches(id),
        contact_id INTEGER NOT NULL REFERENCES contacts(id),
        before TEXT NOT NULL DEFAULT '{}',
        added_emails TEXT NOT NULL DEFAULT '[]',
        added_phones TEXT NOT NULL DEFAULT '[]',
        added_tags TEXT NOT NULL DEFAULT '[]',
        version_after INTEGER NOT NULL
    );
    CREATE INDEX import_merges_by_batch ON import_merges(batch_id, id);
    CREATE INDEX import_merges_by_contact ON import_merges(contact_id);
    """
}
