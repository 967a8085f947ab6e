/// Version 13: duplicates can be found by index, and a merge leaves a pointer.
///
/// `contacts.name_key` and `companies.name_key` hold `crm_namekey(name)`
/// (`DuplicateKey.name`: case, diacritics, Persian/Arabic letter forms,
/// punctuation and word order folded), written with the row by the
/// repositories and BulkLoader; the triggers key a row another writer inserts
/// without one or renames, as schema 11's sort key triggers do.
/// `contacts_by_name_key` answers "the same name at the same company" and
/// groups them for the duplicates list; `companies_by_name_key` the same for
/// companies, `companies_by_domain` their web domains. Not partial (`WHERE
/// deleted_at IS NULL`) but with `deleted_at` in the index: SQLite 3.40 reads
/// the row to test a partial index's condition, so grouping 100,000 names
/// read every row instead of the index alone.
///
/// `contact_phones.match_key`: a phone number as duplicates compare it, its
/// international form when it has one, else its digits (`DuplicateKey.phone`
/// computes the same in Swift): written with the row by the repositories and
/// BulkLoader, kept in step by the triggers when another writer (or
/// PhoneE164Fill, giving a national number its international form) does not.
/// A column rather than an index on the expression: SQLite 3.40 reads the
/// row to compute an indexed expression, so grouping 150,000 numbers by it
/// read every row; `contact_phones_by_match` on the column (with the contact)
/// answers the duplicates list from the index alone. For the same reason
/// `contact_emails_by_email` is made again with the contact after the address.
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

    CREATE INDEX contacts_by_name_key ON contacts(name_key, company_id, deleted_at);
    CREATE INDEX companies_by_name_key ON companies(name_key, deleted_at);
    CREATE INDEX companies_by_domain ON companies(lower(domain), id) WHERE deleted_at IS NULL AND domain <> '';
    ALTER TABLE contact_phones ADD COLUMN match_key TEXT;
    UPDATE contact_phones SET match_key = coalesce(nullif(e164, ''), digits);
    CREATE INDEX contact_phones_by_match ON contact_phones(match_key, contact_id);
    DROP INDEX contact_emails_by_email;
    CREATE INDEX contact_emails_by_email ON contact_emails(email COLLATE NOCASE, contact_id);
    CREATE TRIGGER contact_phones_match_key_insert AFTER INSERT ON contact_phones
    WHEN NEW.match_key IS NOT coalesce(nullif(NEW.e164, ''), NEW.digits) BEGIN
        UPDATE contact_phones SET match_key = coalesce(nullif(NEW.e164, ''), NEW.digits) WHERE id = NEW.id;
    END;
    CREATE TRIGGER contact_phones_match_key_update AFTER UPDATE OF e164, digits ON contact_phones
    WHEN NEW.match_key IS NOT coalesce(nullif(NEW.e164, ''), NEW.digits) BEGIN
        UPDATE contact_phones SET match_key = coalesce(nullif(NEW.e164, ''), NEW.digits) WHERE id = NEW.id;
    END;

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
