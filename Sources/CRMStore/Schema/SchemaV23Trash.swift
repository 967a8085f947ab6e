/// Version 23: a trash for everything. Each deletable table says who put a
/// row in the trash (`deleted_by`; `deleted_at` says when), and `trash_links`
/// remembers what a delete took with it, so a restore brings back exactly
/// that and nothing the user had deleted on its own:
///
/// - `trashed`: a dependent row that went to the trash with the record (a
///   deal's or a contact's follow-ups);
/// - `unlinked`: a live row whose link to the record was cleared (a deleted
///   company's contacts and deals), linked again on restore;
/// - `lost`: a link the record had to something since purged for good
///   (`note` holds its name), so the restore can say it comes back without it.
///
/// Partial indexes keep the trash list (newest first, keyset paged) cheap.
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV23Trash {
    static let sql = """
    ALTER TABLE companies ADD COLUMN deleted_by INTEGER REFERENCES users(id);
    ALTER TABLE contacts ADD COLUMN deleted_by INTEGER REFERENCES users(id);
    ALTER TABLE deals ADD COLUMN deleted_by INTEGER REFERENCES users(id);
    ALTER TABLE interactions ADD COLUMN deleted_by INTEGER REFERENCES users(id);
    ALTER TABLE follow_ups ADD COLUMN deleted_by INTEGER REFERENCES users(id);

    CREATE INDEX companies_in_trash ON companies(deleted_at, id) WHERE deleted_at IS NOT NULL;
    CREATE INDEX contacts_in_trash ON contacts(deleted_at, id) WHERE deleted_at IS NOT NULL;
    CREATE INDEX deals_in_trash ON deals(deleted_at, id) WHERE deleted_at IS NOT NULL;
    CREATE INDEX interactions_in_trash ON interactions(deleted_at, id) WHERE deleted_at IS NOT NULL;
    CREATE INDEX follow_ups_in_trash ON follow_ups(deleted_at, id) WHERE deleted_at IS NOT NULL;

    CREATE TABLE trash_links (
        id INTEGER PRIMARY KEY,
        entity TEXT NOT NULL CHECK (entity IN ('contact','company','deal','follow-up','interaction')),
        entity_id INTEGER NOT NULL,
        link TEXT NOT NULL CHECK (link IN ('trashed','unlinked','lost')),
        dependent TEXT NOT NULL CHECK (dependent IN ('contact','company','deal','follow-up','interaction')),
        dependent_id INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX trash_links_by_entity ON trash_links(entity, entity_id);
    CREATE INDEX trash_links_by_dependent ON trash_links(dependent, dependent_id, link);
    """
}
