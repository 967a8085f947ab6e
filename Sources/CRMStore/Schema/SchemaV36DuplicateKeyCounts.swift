/// Version 36: how many rows share each duplicate key, so the duplicates
/// list walks only the keys that more than one row has.
///
/// The list groups each reason's index (the emails, the phone match keys,
/// the name keys at one company) and keeps the groups of more than one
/// contact. Such groups are rare: at 100,000 contacts 3,940 addresses, 23
/// numbers and 544 names among 100,000–150,000 keys each. Finding the next
/// page of groups therefore read the whole index of a reason whenever the
/// page lay past its last group: `G` in the Duplicates list walked every
/// name key and every number from the end before it reached the addresses
/// (336 ms at 100,000 contacts, ten times that at a million), and the page
/// after the last pair of numbers every name key.
///
/// Each table holds a key and how many rows have it — every row, in the
/// trash or not (the list still checks the live contacts of a key, as
/// before), and only keys a group can have (a name key with a company).
/// The partial indexes hold only the keys of more than one row: a walk of
/// one of them in key order meets only candidate groups, a few thousand at
/// most, in the order the list shows them. Triggers keep the counts: a row
/// inserted, deleted (a purge, a cascade) or given another key. The email
/// table compares as the list does (ASCII case ignored, NOCASE).
///
/// Frozen SQL.
enum SchemaV36DuplicateKeyCounts {
    static let sql = """
    CREATE TABLE contact_email_key_counts (
        email TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
        n INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX contact_email_keys_shared ON contact_email_key_counts(email, n) WHERE n > 1;
    INSERT INTO contact_email_key_counts(email, n)
    SELECT email, count(*) FROM contact_emails GROUP BY email COLLATE NOCASE;
    CREATE TRIGGER contact_email_key_counts_insert AFTER INSERT ON contact_emails BEGIN
        INSERT INTO contact_email_key_counts(email, n) VALUES (NEW.email, 1)
        ON CONFLICT(email) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER contact_email_key_counts_delete AFTER DELETE ON contact_emails BEGIN
        UPDATE contact_email_key_counts SET n = n - 1 WHERE email = OLD.email;
    END;
    CREATE TRIGGER contact_email_key_counts_update AFTER UPDATE OF email ON contact_emails
    WHEN OLD.email IS NOT NEW.email BEGIN
        UPDATE contact_email_key_counts SET n = n - 1 WHERE email = OLD.email;
        INSERT INTO contact_email_key_counts(email, n) VALUES (NEW.email, 1)
        ON CONFLICT(email) DO UPDATE SET n = n + 1;
    END;

    CREATE TABLE contact_phone_key_counts (
        match_key TEXT NOT NULL PRIMARY KEY,
        n INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX contact_phone_keys_shared ON contact_phone_key_counts(match_key, n) WHERE n > 1;
    INSERT INTO contact_phone_key_counts(match_key, n)
    SELECT match_key, count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY match_key;
    CREATE TRIGGER contact_phone_key_counts_insert AFTER INSERT ON contact_phones
    WHEN NEW.match_key IS NOT NULL BEGIN
        INSERT INTO contact_phone_key_counts(match_key, n) VALUES (NEW.match_key, 1)
        ON CONFLICT(match_key) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER contact_phone_key_counts_delete AFTER DELETE ON contact_phones
    WHEN OLD.match_key IS NOT NULL BEGIN
        UPDATE contact_phone_key_counts SET n = n - 1 WHERE match_key = OLD.match_key;
    END;
    CREATE TRIGGER contact_phone_key_counts_update AFTER UPDATE OF match_key ON contact_phones
    WHEN OLD.match_key IS NOT NEW.match_key BEGIN
        UPDATE contact_phone_key_counts SET n = n - 1 WHERE match_key = OLD.match_key;
        INSERT INTO contact_phone_key_counts(match_key, n) SELECT NEW.match_key, 1 WHERE NEW.match_key IS NOT NULL
        ON CONFLICT(match_key) DO UPDATE SET n = n + 1;
    END;

    CREATE TABLE contact_name_key_counts (
        name_key TEXT NOT NULL,
        company_id INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (name_key, company_id)
    ) WITHOUT ROWID;
    CREATE INDEX contact_name_keys_shared ON contact_name_key_counts(name_key, company_id, n) WHERE n > 1;
    INSERT INTO contact_name_key_counts(name_key, company_id, n)
    SELECT name_key, company_id, count(*) FROM contacts
    WHERE name_key IS NOT NULL AND company_id IS NOT NULL GROUP BY name_key, company_id;
    CREATE TRIGGER contact_name_key_counts_insert AFTER INSERT ON contacts
    WHEN NEW.name_key IS NOT NULL AND NEW.company_id IS NOT NULL BEGIN
        INSERT INTO contact_name_key_counts(name_key, company_id, n) VALUES (NEW.name_key, NEW.company_id, 1)
        ON CONFLICT(name_key, company_id) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER contact_name_key_counts_delete AFTER DELETE ON contacts
    WHEN OLD.name_key IS NOT NULL AND OLD.company_id IS NOT NULL BEGIN
        UPDATE contact_name_key_counts SET n = n - 1 WHERE name_key = OLD.name_key AND company_id = OLD.company_id;
    END;
    CREATE TRIGGER contact_name_key_counts_update AFTER UPDATE OF name_key, company_id ON contacts
    WHEN OLD.name_key IS NOT NEW.name_key OR OLD.company_id IS NOT NEW.company_id BEGIN
        UPDATE contact_name_key_counts SET n = n - 1 WHERE name_key = OLD.name_key AND company_id = OLD.company_id;
        INSERT INTO contact_name_key_counts(name_key, company_id, n)
        SELECT NEW.name_key, NEW.company_id, 1 WHERE NEW.name_key IS NOT NULL AND NEW.company_id IS NOT NULL
        ON CONFLICT(name_key, company_id) DO UPDATE SET n = n + 1;
    END;
    """
}
