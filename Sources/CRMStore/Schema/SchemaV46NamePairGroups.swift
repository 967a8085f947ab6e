/// Version 46: which name groups list a pair, so the Duplicates list's
/// weakest reason walks only groups that show something.
///
/// A group of contacts with one name at one company lists the pair of its
/// oldest live contact with each other one, unless that pair shares an email
/// address or a phone number: then the pair is listed under that stronger
/// reason. At 100,000 demo contacts all 544 name groups share an address, so
/// the list's end (`G`) and the page after the last number checked every one
/// of them (a few index seeks each) to find no pair at all: 27 ms median,
/// 45 ms p99 for `G`, and 152 ms at a million.
///
/// `contact_name_pair_members` names the contacts whose pair with their
/// group's oldest is listed under "similar name" (the condition the list's
/// own walk applies). `contact_name_pairs` holds the (name key, company) of
/// every group that has such a member, in the list's key order, so the walk
/// meets only groups that give pairs. Triggers decide a group again whenever
/// anything its answer depends on changes: a contact inserted, deleted, given
/// another name, company or trash state (old and new group), an email or a
/// phone number of a member added, removed or changed; most contacts (no
/// namesake at their company) add nothing. Bulk loads suspend the insert
/// triggers and decide every shared name key once (DerivedTableTrigger).
///
/// Frozen SQL.
enum SchemaV46NamePairGroups {
    static let sql = """
    CREATE VIEW contact_name_pair_members AS
    SELECT m.name_key, m.company_id, m.id FROM contacts m
    WHERE m.deleted_at IS NULL AND m.company_id IS NOT NULL AND m.name_key <> ''
      AND m.id > (SELECT min(a.id) FROM contacts a
                  WHERE a.name_key = m.name_key AND a.company_id = m.company_id AND a.deleted_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM contact_emails y JOIN contact_emails x ON x.email = y.email COLLATE NOCASE
                      WHERE y.contact_id = m.id
                        AND x.contact_id = (SELECT min(a.id) FROM contacts a
                                            WHERE a.name_key = m.name_key AND a.company_id = m.company_id
                                              AND a.deleted_at IS NULL))
      AND NOT EXISTS (SELECT 1 FROM contact_phones y JOIN contact_phones x ON x.match_key = y.match_key
                      WHERE y.contact_id = m.id AND length(y.match_key) >= 6
                        AND x.contact_id = (SELECT min(a.id) FROM contacts a
                                            WHERE a.name_key = m.name_key AND a.company_id = m.company_id
                                              AND a.deleted_at IS NULL));

    CREATE TABLE contact_name_pairs (
        name_key TEXT NOT NULL,
        company_id INTEGER NOT NULL,
        PRIMARY KEY (name_key, company_id)
    ) WITHOUT ROWID;

    INSERT INTO contact_name_pairs(name_key, company_id)
    SELECT DISTINCT m.name_key, m.company_id FROM contact_name_key_counts k INDEXED BY contact_name_keys_shared
    JOIN contact_name_pair_members m ON m.name_key = k.name_key AND m.company_id = k.company_id
    WHERE k.n > 1;

    CREATE TRIGGER contact_name_pairs_contact_insert AFTER INSERT ON contacts
    WHEN NEW.name_key IS NOT NULL AND NEW.company_id IS NOT NULL BEGIN
        INSERT OR IGNORE INTO contact_name_pairs(name_key, company_id)
        SELECT NEW.name_key, NEW.company_id WHERE EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = NEW.name_key AND m.company_id = NEW.company_id);
    END;
    CREATE TRIGGER contact_name_pairs_contact_delete AFTER DELETE ON contacts
    WHEN OLD.name_key IS NOT NULL AND OLD.company_id IS NOT NULL BEGIN
        DELETE FROM contact_name_pairs WHERE name_key = OLD.name_key AND company_id = OLD.company_id
          AND NOT EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = OLD.name_key AND m.company_id = OLD.company_id);
    END;
    CREATE TRIGGER contact_name_pairs_contact_update AFTER UPDATE OF name_key, company_id, deleted_at ON contacts
    WHEN OLD.name_key IS NOT NEW.name_key OR OLD.company_id IS NOT NEW.company_id
      OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL) BEGIN
        DELETE FROM contact_name_pairs WHERE name_key = OLD.name_key AND company_id = OLD.company_id
          AND NOT EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = OLD.name_key AND m.company_id = OLD.company_id);
        DELETE FROM contact_name_pairs WHERE name_key = NEW.name_key AND company_id = NEW.company_id
          AND NOT EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = NEW.name_key AND m.company_id = NEW.company_id);
        INSERT OR IGNORE INTO contact_name_pairs(name_key, company_id)
        SELECT NEW.name_key, NEW.company_id WHERE NEW.name_key IS NOT NULL AND NEW.company_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = NEW.name_key AND m.company_id = NEW.company_id);
        INSERT OR IGNORE INTO contact_name_pairs(name_key, company_id)
        SELECT OLD.name_key, OLD.company_id WHERE OLD.name_key IS NOT NULL AND OLD.company_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = OLD.name_key AND m.company_id = OLD.company_id);
    END;

    -- Another address can only tie a pair to a stronger reason; one fewer can only free it.
    CREATE TRIGGER contact_name_pairs_email_insert AFTER INSERT ON contact_emails BEGIN
        DELETE FROM contact_name_pairs
        WHERE (name_key, company_id) = (SELECT name_key, company_id FROM contacts WHERE id = NEW.contact_id)
          AND NOT EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = contact_name_pairs.name_key AND m.company_id = contact_name_pairs.company_id);
    END;
    CREATE TRIGGER contact_name_pairs_email_delete AFTER DELETE ON contact_emails BEGIN
        INSERT OR IGNORE INTO contact_name_pairs(name_key, company_id)
        SELECT g.name_key, g.company_id FROM contacts g
        WHERE g.id = OLD.contact_id AND g.name_key IS NOT NULL AND g.company_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = g.name_key AND m.company_id = g.company_id);
    END;
    CREATE TRIGGER contact_name_pairs_email_update AFTER UPDATE OF email, contact_id ON contact_emails BEGIN
        DELETE FROM contact_name_pairs
        WHERE (name_key, company_id) IN (SELECT name_key, company_id FROM contacts WHERE id IN (OLD.contact_id, NEW.contact_id))
          AND NOT EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = contact_name_pairs.name_key AND m.company_id = contact_name_pairs.company_id);
        INSERT OR IGNORE INTO contact_name_pairs(name_key, company_id)
        SELECT g.name_key, g.company_id FROM contacts g
        WHERE g.id IN (OLD.contact_id, NEW.contact_id) AND g.name_key IS NOT NULL AND g.company_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = g.name_key AND m.company_id = g.company_id);
    END;

    -- Another number can only tie a pair to a stronger reason; one fewer can only free it.
    CREATE TRIGGER contact_name_pairs_phone_insert AFTER INSERT ON contact_phones BEGIN
        DELETE FROM contact_name_pairs
        WHERE (name_key, company_id) = (SELECT name_key, company_id FROM contacts WHERE id = NEW.contact_id)
          AND NOT EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = contact_name_pairs.name_key AND m.company_id = contact_name_pairs.company_id);
    END;
    CREATE TRIGGER contact_name_pairs_phone_delete AFTER DELETE ON contact_phones BEGIN
        INSERT OR IGNORE INTO contact_name_pairs(name_key, company_id)
        SELECT g.name_key, g.company_id FROM contacts g
        WHERE g.id = OLD.contact_id AND g.name_key IS NOT NULL AND g.company_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = g.name_key AND m.company_id = g.company_id);
    END;
    CREATE TRIGGER contact_name_pairs_phone_update AFTER UPDATE OF match_key, contact_id ON contact_phones BEGIN
        DELETE FROM contact_name_pairs
        WHERE (name_key, company_id) IN (SELECT name_key, company_id FROM contacts WHERE id IN (OLD.contact_id, NEW.contact_id))
          AND NOT EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = contact_name_pairs.name_key AND m.company_id = contact_name_pairs.company_id);
        INSERT OR IGNORE INTO contact_name_pairs(name_key, company_id)
        SELECT g.name_key, g.company_id FROM contacts g
        WHERE g.id IN (OLD.contact_id, NEW.contact_id) AND g.name_key IS NOT NULL AND g.company_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = g.name_key AND m.company_id = g.company_id);
    END;
    """
}
