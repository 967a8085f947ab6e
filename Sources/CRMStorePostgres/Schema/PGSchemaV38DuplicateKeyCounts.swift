// PostgreSQL schema step 38: how many rows share each duplicate key, as
// SQLite's step 36 (SchemaV36DuplicateKeyCounts) keeps them there.
//
// The Duplicates list walks each reason's keys in order and keeps the keys
// of more than one live contact. Until 37 PostgreSQL found those by grouping
// the whole index of a reason (every address, every number, every name key
// at a company) up to the page's groups: the first page was quick, but a
// page past a reason's last group, and `G` (the list's end), grouped every
// key of the reason (6.9 s for `G` at 10,000 contacts on a loaded machine).
//
// Each table holds a key and how many rows have it, trash included (the walk
// still checks the live contacts of each candidate key); the partial index
// holds only the keys of more than one row, a few thousand at most among
// 100,000–150,000, so a walk of it, forward or backward, meets only
// candidate groups in the order the list shows them, byte-wise (COLLATE "C")
// as SQLite orders keys. Email keys are stored folded as SQLite's NOCASE
// compares (ASCII case only, PGDuplicates.nocase) in "C", the collation of
// `contact_emails_by_email_nocase`; phone and name keys keep their columns'
// collation, so a key joins its rows through their own indexes. Row triggers keep
// the counts (insert, delete, a purge's cascade, a changed key); a count that
// reaches 0 stays as a row of 0, as on SQLite. `crm migrate` into PostgreSQL
// loads rows with these triggers off and counts once at the end
// (PGDuplicateKeyCounts.rebuild). Duplicate companies (a few thousand
// rows) need no counts: two byte-ordered indexes serve their walk.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV38DuplicateKeyCounts {
    static let sql = """
    CREATE TABLE contact_email_key_counts (
        email text COLLATE "C" PRIMARY KEY,
        n bigint NOT NULL
    );
    CREATE INDEX contact_email_keys_shared ON contact_email_key_counts(email) WHERE n > 1;

    CREATE TABLE contact_phone_key_counts (
        match_key text PRIMARY KEY,
        n bigint NOT NULL
    );
    CREATE INDEX contact_phone_keys_shared ON contact_phone_key_counts((match_key COLLATE "C")) WHERE n > 1;

    CREATE TABLE contact_name_key_counts (
        name_key text NOT NULL,
        company_id bigint NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (name_key, company_id)
    );
    CREATE INDEX contact_name_keys_shared ON contact_name_key_counts((name_key COLLATE "C"), company_id) WHERE n > 1;

    -- Duplicate companies: the live companies' web domains (ASCII case
    -- folded) and name keys in byte order, so the walk groups them from
    -- either end of an index instead of sorting every company.
    CREATE INDEX companies_by_domain_nocase ON companies
        ((translate(domain, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C"), id)
        WHERE deleted_at IS NULL AND domain <> '';
    CREATE INDEX companies_by_name_key_bytes ON companies((name_key COLLATE "C"), id)
        WHERE deleted_at IS NULL AND name_key <> '';

    CREATE FUNCTION crm_email_key_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE contact_email_key_counts SET n = n - 1
            WHERE email = translate(OLD.email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO contact_email_key_counts(email, n)
            VALUES (translate(NEW.email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), 1)
            ON CONFLICT (email) DO UPDATE SET n = contact_email_key_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_email_key_counts_insert AFTER INSERT ON contact_emails
        FOR EACH ROW EXECUTE FUNCTION crm_email_key_count();
    CREATE TRIGGER contact_email_key_counts_delete AFTER DELETE ON contact_emails
        FOR EACH ROW EXECUTE FUNCTION crm_email_key_count();
    CREATE TRIGGER contact_email_key_counts_update AFTER UPDATE OF email ON contact_emails
        FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION crm_email_key_count();

    -- match_key is generated: an UPDATE cannot name it, so the update trigger
    -- fires on any update and compares the keys.
    CREATE FUNCTION crm_phone_key_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.match_key IS NOT NULL THEN
            UPDATE contact_phone_key_counts SET n = n - 1 WHERE match_key = OLD.match_key;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.match_key IS NOT NULL THEN
            INSERT INTO contact_phone_key_counts(match_key, n) VALUES (NEW.match_key, 1)
            ON CONFLICT (match_key) DO UPDATE SET n = contact_phone_key_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_phone_key_counts_insert AFTER INSERT ON contact_phones
        FOR EACH ROW WHEN (NEW.match_key IS NOT NULL) EXECUTE FUNCTION crm_phone_key_count();
    CREATE TRIGGER contact_phone_key_counts_delete AFTER DELETE ON contact_phones
        FOR EACH ROW WHEN (OLD.match_key IS NOT NULL) EXECUTE FUNCTION crm_phone_key_count();
    CREATE TRIGGER contact_phone_key_counts_update AFTER UPDATE ON contact_phones
        FOR EACH ROW WHEN (OLD.match_key IS DISTINCT FROM NEW.match_key) EXECUTE FUNCTION crm_phone_key_count();

    CREATE FUNCTION crm_name_key_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.name_key IS NOT NULL AND OLD.company_id IS NOT NULL THEN
            UPDATE contact_name_key_counts SET n = n - 1
            WHERE name_key = OLD.name_key AND company_id = OLD.company_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.name_key IS NOT NULL AND NEW.company_id IS NOT NULL THEN
            INSERT INTO contact_name_key_counts(name_key, company_id, n) VALUES (NEW.name_key, NEW.company_id, 1)
            ON CONFLICT (name_key, company_id) DO UPDATE SET n = contact_name_key_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_name_key_counts_insert AFTER INSERT ON contacts
        FOR EACH ROW WHEN (NEW.name_key IS NOT NULL AND NEW.company_id IS NOT NULL) EXECUTE FUNCTION crm_name_key_count();
    CREATE TRIGGER contact_name_key_counts_delete AFTER DELETE ON contacts
        FOR EACH ROW WHEN (OLD.name_key IS NOT NULL AND OLD.company_id IS NOT NULL) EXECUTE FUNCTION crm_name_key_count();
    CREATE TRIGGER contact_name_key_counts_update AFTER UPDATE OF name_key, company_id ON contacts
        FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key OR OLD.company_id IS DISTINCT FROM NEW.company_id)
        EXECUTE FUNCTION crm_name_key_count();

    INSERT INTO contact_email_key_counts(email, n)
    SELECT translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), count(*) FROM contact_emails GROUP BY 1;
    INSERT INTO contact_phone_key_counts(match_key, n)
    SELECT match_key, count(*) FROM contact_phones WHERE match_key IS NOT NULL GROUP BY 1;
    INSERT INTO contact_name_key_counts(name_key, company_id, n)
    SELECT name_key, company_id, count(*) FROM contacts
    WHERE name_key IS NOT NULL AND company_id IS NOT NULL GROUP BY 1, 2;
    ANALYZE contact_email_key_counts;
    ANALYZE contact_phone_key_counts;
    ANALYZE contact_name_key_counts;
    """
}
