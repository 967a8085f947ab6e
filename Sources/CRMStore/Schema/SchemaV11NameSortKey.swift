/// Version 11: lists sorted by name follow each script's alphabet
/// (`NameSortKey`): German umlauts beside their base letters, the Persian
/// alphabet, Cyrillic in order, other scripts by code point after Latin.
///
/// `contacts.sort_key` and `companies.sort_key` hold `crm_sortkey(name)`,
/// computed once when the row is written; the name indexes (and the contact
/// indexes by company, owner and lifecycle) are made again on
/// `(…, sort_key, id)`, so a keyset page is still a range of an index. The
/// repositories and BulkLoader write the key with the row; the triggers key
/// a row some other writer inserts without one (sort_key NULL) and follow a
/// rename whose key was not written with it.
///
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV11NameSortKey {
    static let sql = """
    ALTER TABLE contacts ADD COLUMN sort_key TEXT;
    ALTER TABLE companies ADD COLUMN sort_key TEXT;
    UPDATE contacts SET sort_key = crm_sortkey(name);
    UPDATE companies SET sort_key = crm_sortkey(name);

    DROP INDEX contacts_by_name;
    DROP INDEX contacts_by_company;
    DROP INDEX contacts_by_owner;
    DROP INDEX contacts_by_lifecycle;
    DROP INDEX companies_by_name;
    CREATE INDEX contacts_by_name ON contacts(sort_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_company ON contacts(company_id, sort_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_owner ON contacts(owner_id, sort_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_lifecycle ON contacts(lifecycle, sort_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX companies_by_name ON companies(sort_key, id) WHERE deleted_at IS NULL;

    CREATE TRIGGER contacts_sort_key_insert AFTER INSERT ON contacts WHEN NEW.sort_key IS NULL BEGIN
        UPDATE contacts SET sort_key = crm_sortkey(NEW.name) WHERE id = NEW.id;
    END;
    CREATE TRIGGER contacts_sort_key_update AFTER UPDATE OF name ON contacts
    WHEN NEW.sort_key IS NOT crm_sortkey(NEW.name) BEGIN
        UPDATE contacts SET sort_key = crm_sortkey(NEW.name) WHERE id = NEW.id;
    END;
    CREATE TRIGGER companies_sort_key_insert AFTER INSERT ON companies WHEN NEW.sort_key IS NULL BEGIN
        UPDATE companies SET sort_key = crm_sortkey(NEW.name) WHERE id = NEW.id;
    END;
    CREATE TRIGGER companies_sort_key_update AFTER UPDATE OF name ON companies
    WHEN NEW.sort_key IS NOT crm_sortkey(NEW.name) BEGIN
        UPDATE companies SET sort_key = crm_sortkey(NEW.name) WHERE id = NEW.id;
    END;
    """
}
