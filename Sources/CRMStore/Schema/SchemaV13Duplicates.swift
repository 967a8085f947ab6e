/// Version 13: duplicates can be found by index, and a merge leaves a pointer.
///
/// `contacts.name_key` and `companies.name_key` hold `crm_namekey(name)`
/// (`DuplicateKey.name`: case, diacritics, Persian/Arabic letter forms,
/// punctuation and word order folded), written with the row by the
/// repositories and BulkLoader; the triggers key a row another writer inserts
/// without one or renames, as schema 11's sort key triggers do.
/// `contacts_by_name_key` answers "the same name at the same company" and
/// groups them for the duplicates list; `companies_by_name_key` the same for
/// companies, `companies_by_domain` their web domains.
///
/// `contact_phones_by_match`: a phone number as duplicates compare it, its
/// international form when it has one, else its digits (`DuplicateKey.phone`
/// computes the same in Swift); queries must use this exact expression.
///
/// `merged_into`: the survivor a merged-away contact or company points to
/// (it is in the trash; undoing the merge clears the pointer).
///
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV13Duplicates {
    static let sql = """
    ALTER TABLE contacts ADD COLUMN name_key TEXT;
    ALTER TABLE contacts ADD COLUMN merged_into INTEGER REFERENCES contacts(id);
    ALTER TABLE companies ADD COLUMN name_key TEXT;
    ALTER TABLE companies ADD COLUMN merged_into INTEGER REFERENCES companies(id);
    UPDATE contacts SET name_key = crm_namekey(name);
    UPDATE companies SET name_key = crm_namekey(name);

    CREATE INDEX contacts_by_name_key ON contacts(name_key, company_id, id) WHERE deleted_at IS NULL;
    CREATE INDEX companies_by_name_key ON companies(name_key, id) WHERE deleted_at IS NULL;
    CREATE INDEX companies_by_domain ON companies(lower(domain), id) WHERE deleted_at IS NULL AND domain <> '';
    CREATE INDEX contact_phones_by_match ON contact_phones(coalesce(nullif(e164, ''), digits), contact_id);

    CREATE TRIGGER contacts_name_key_insert AFTER INSERT ON contacts WHEN NEW.name_key IS NULL BEGIN
        UPDATE contacts SET name_key = crm_namekey(NEW.name) WHERE id = NEW.id;
    END;
    CREATE TRIGGER contacts_name_key_update AFTER UPDATE OF name ON contacts
    WHEN NEW.name_key IS NOT crm_namekey(NEW.name) BEGIN
        UPDATE contacts SET name_key = crm_namekey(NEW.name) WHERE id = NEW.id;
    END;
    CREATE TRIGGER companies_name_key_insert AFTER INSERT ON companies WHEN NEW.name_key IS NULL BEGIN
        UPDATE companies SET name_key = crm_namekey(NEW.name) WHERE id = NEW.id;
    END;
    CREATE TRIGGER companies_name_key_update AFTER UPDATE OF name ON companies
    WHEN NEW.name_key IS NOT crm_namekey(NEW.name) BEGIN
        UPDATE companies SET name_key = crm_namekey(NEW.name) WHERE id = NEW.id;
    END;
    """
}
