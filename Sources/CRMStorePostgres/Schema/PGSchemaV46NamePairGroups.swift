// PostgreSQL schema step 46: which name groups list a pair in the Duplicates
// list, as SQLite's step 46 (SchemaV46NamePairGroups) keeps them there.
//
// The list's weakest reason (a name at one company) walked every shared name
// key and checked each group for a pair its strongest reason leaves to it; at
// 100,000 demo contacts all 544 such groups share an address, so `G` (the
// list's end) read every one of them to find nothing: 125 ms median, 210 ms
// p99. `contact_name_pairs` holds the (name key, company) of every group
// that lists a pair now; its index in byte order (as SQLite orders keys) is
// the walk, which so meets only groups that give pairs. `contact_name_pair_members` is the condition itself: a live contact
// that is not its group's oldest and shares no address (ASCII case ignored)
// and no number of 6+ digits with it.
//
// Row triggers decide a group again whenever its answer may change: a
// contact inserted, deleted, renamed, moved to another company, trashed or
// restored (its old and new group); an address or number of a contact added,
// removed or changed (that contact's group). Two transactions changing one
// group at once would each decide it from what they see: the decision takes
// a transaction lock on the group first, so the second waits for the first
// to commit and decides from both. Most contacts (no namesake at their
// company) add nothing. `crm migrate` loads rows with these
// triggers off and decides every shared name key once at the end
// (PGDuplicateKeyCounts.rebuild).
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV46NamePairGroups {
    static let sql = """
    CREATE VIEW contact_name_pair_members AS
    SELECT m.name_key, m.company_id, m.id FROM contacts m
    WHERE m.deleted_at IS NULL AND m.company_id IS NOT NULL AND m.name_key <> ''
      AND m.id > (SELECT min(a.id) FROM contacts a
                  WHERE a.name_key = m.name_key AND a.company_id = m.company_id AND a.deleted_at IS NULL)
      AND NOT EXISTS (
          SELECT 1 FROM contact_emails y JOIN contact_emails x
            ON (translate(x.email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C")
             = (translate(y.email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C")
          WHERE y.contact_id = m.id
            AND x.contact_id = (SELECT min(a.id) FROM contacts a
                                WHERE a.name_key = m.name_key AND a.company_id = m.company_id AND a.deleted_at IS NULL))
      AND NOT EXISTS (
          SELECT 1 FROM contact_phones y JOIN contact_phones x ON x.match_key = y.match_key
          WHERE y.contact_id = m.id AND length(y.match_key) >= 6
            AND x.contact_id = (SELECT min(a.id) FROM contacts a
                                WHERE a.name_key = m.name_key AND a.company_id = m.company_id AND a.deleted_at IS NULL));

    CREATE TABLE contact_name_pairs (
        name_key text NOT NULL,
        company_id bigint NOT NULL,
        PRIMARY KEY (name_key, company_id)
    );
    CREATE INDEX contact_name_pairs_bytes ON contact_name_pairs((name_key COLLATE "C"), company_id);

    CREATE FUNCTION crm_name_pairs_decide(k text, c bigint) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        IF k IS NULL OR c IS NULL OR k = '' THEN
            RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended(k || '/' || c::text, 46));
        IF EXISTS (SELECT 1 FROM contact_name_pair_members m WHERE m.name_key = k AND m.company_id = c) THEN
            INSERT INTO contact_name_pairs(name_key, company_id) VALUES (k, c) ON CONFLICT DO NOTHING;
        ELSE
            DELETE FROM contact_name_pairs WHERE name_key = k AND company_id = c;
        END IF;
    END $$;

    CREATE FUNCTION crm_name_pairs_contact() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            PERFORM crm_name_pairs_decide(OLD.name_key, OLD.company_id);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.name_key IS DISTINCT FROM NEW.name_key
                                                     OR OLD.company_id IS DISTINCT FROM NEW.company_id)) THEN
            PERFORM crm_name_pairs_decide(NEW.name_key, NEW.company_id);
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_name_pairs_contact_insert AFTER INSERT ON contacts
        FOR EACH ROW WHEN (NEW.name_key IS NOT NULL AND NEW.company_id IS NOT NULL) EXECUTE FUNCTION crm_name_pairs_contact();
    CREATE TRIGGER contact_name_pairs_contact_delete AFTER DELETE ON contacts
        FOR EACH ROW WHEN (OLD.name_key IS NOT NULL AND OLD.company_id IS NOT NULL) EXECUTE FUNCTION crm_name_pairs_contact();
    CREATE TRIGGER contact_name_pairs_contact_update AFTER UPDATE OF name_key, company_id, deleted_at ON contacts
        FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key OR OLD.company_id IS DISTINCT FROM NEW.company_id
                           OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
        EXECUTE FUNCTION crm_name_pairs_contact();

    CREATE FUNCTION crm_name_pairs_of_contact() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            PERFORM crm_name_pairs_decide(g.name_key, g.company_id) FROM contacts g WHERE g.id = OLD.contact_id;
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.contact_id IS DISTINCT FROM NEW.contact_id) THEN
            PERFORM crm_name_pairs_decide(g.name_key, g.company_id) FROM contacts g WHERE g.id = NEW.contact_id;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_name_pairs_email_insert AFTER INSERT ON contact_emails
        FOR EACH ROW EXECUTE FUNCTION crm_name_pairs_of_contact();
    CREATE TRIGGER contact_name_pairs_email_delete AFTER DELETE ON contact_emails
        FOR EACH ROW EXECUTE FUNCTION crm_name_pairs_of_contact();
    CREATE TRIGGER contact_name_pairs_email_update AFTER UPDATE OF email, contact_id ON contact_emails
        FOR EACH ROW EXECUTE FUNCTION crm_name_pairs_of_contact();
    -- match_key is generated: an UPDATE cannot name it, so the update trigger
    -- fires on any update and compares.
    CREATE TRIGGER contact_name_pairs_phone_insert AFTER INSERT ON contact_phones
        FOR EACH ROW EXECUTE FUNCTION crm_name_pairs_of_contact();
    CREATE TRIGGER contact_name_pairs_phone_delete AFTER DELETE ON contact_phones
        FOR EACH ROW EXECUTE FUNCTION crm_name_pairs_of_contact();
    CREATE TRIGGER contact_name_pairs_phone_update AFTER UPDATE ON contact_phones
        FOR EACH ROW WHEN (OLD.match_key IS DISTINCT FROM NEW.match_key OR OLD.contact_id IS DISTINCT FROM NEW.contact_id)
        EXECUTE FUNCTION crm_name_pairs_of_contact();

    INSERT INTO contact_name_pairs(name_key, company_id)
    SELECT DISTINCT m.name_key, m.company_id FROM contact_name_key_counts k
    JOIN contact_name_pair_members m ON m.name_key = k.name_key AND m.company_id = k.company_id
    WHERE k.n > 1;
    ANALYZE contact_name_pairs;
    """
}
