/// Version 25: the words of live contacts' names in name order, for the
/// "name words" rank of a search (`RankedSearch`, `NameWordsPage`).
///
/// `contact_name_words (word, sort_key, contact_id)` holds, for every live
/// contact, each token the contact index holds for its name (FTS5's
/// unicode61 tokenizer over `crm_fold(name)`, through `crm_fts_words`: the
/// same tokenizer, so a word prefix finds the same contacts in both) beside
/// the contact's sort key. Its key is its only index, so the contacts having
/// one word are a range already in list order: a page of "joh" reads the
/// first rows of each word beginning with "joh" ("johnson", …) merged, not
/// all 2,224 contacts found looked up one by one and sorted.
///
/// Triggers keep it: a contact inserted, renamed, re-keyed, moved to the
/// trash or back, or deleted for good. `BulkLoader` suspends the insert
/// trigger like the other insert triggers (`InsertTrigger.contactNameWords`)
/// and fills the words of its rows in one statement. A derived table, like
/// the FTS tables: not part of a snapshot.
///
/// Frozen SQL. TempDatabase's `rewindSchema` has its undo.
enum SchemaV25ContactNameWords {
    static let sql = """
    CREATE TABLE contact_name_words (
        word TEXT NOT NULL,
        sort_key TEXT NOT NULL,
        contact_id INTEGER NOT NULL,
        PRIMARY KEY (word, sort_key, contact_id)
    ) WITHOUT ROWID;

    INSERT INTO contact_name_words(word, sort_key, contact_id)
    SELECT DISTINCT w.value, c.sort_key, c.id FROM contacts c, json_each(crm_fts_words(crm_fold(c.name))) w
    WHERE c.deleted_at IS NULL AND c.sort_key IS NOT NULL
    ORDER BY 1, 2, 3;

    CREATE TRIGGER contacts_name_words_insert AFTER INSERT ON contacts
    WHEN NEW.deleted_at IS NULL AND NEW.sort_key IS NOT NULL BEGIN
        INSERT OR IGNORE INTO contact_name_words(word, sort_key, contact_id)
        SELECT value, NEW.sort_key, NEW.id FROM json_each(crm_fts_words(crm_fold(NEW.name)));
    END;
    CREATE TRIGGER contacts_name_words_update AFTER UPDATE OF name, sort_key, deleted_at ON contacts BEGIN
        DELETE FROM contact_name_words
        WHERE OLD.deleted_at IS NULL AND sort_key = OLD.sort_key AND contact_id = OLD.id
          AND word IN (SELECT value FROM json_each(crm_fts_words(crm_fold(OLD.name))));
        INSERT OR IGNORE INTO contact_name_words(word, sort_key, contact_id)
        SELECT value, NEW.sort_key, NEW.id FROM json_each(crm_fts_words(crm_fold(NEW.name)))
        WHERE NEW.deleted_at IS NULL AND NEW.sort_key IS NOT NULL;
    END;
    CREATE TRIGGER contacts_name_words_delete AFTER DELETE ON contacts WHEN OLD.deleted_at IS NULL BEGIN
        DELETE FROM contact_name_words
        WHERE sort_key = OLD.sort_key AND contact_id = OLD.id
          AND word IN (SELECT value FROM json_each(crm_fts_words(crm_fold(OLD.name))));
    END;
    """
}
