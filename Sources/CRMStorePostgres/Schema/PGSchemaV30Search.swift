/// Part of PostgreSQL step 30: contact and company search (and the email
/// index the duplicates queries walk).
///
/// SQLite searches `contact_fts`/`company_fts` (FTS5, `unicode61
/// remove_diacritics 2`, over `crm_fold` of the text) by word prefix and
/// `phone_fts` (trigrams) for digits anywhere in a number. Here:
///
/// - `contact_search` / `company_search` hold one stored document a row: a
///   `tsvector` whose lexemes and positions the engine builds in Swift with
///   the very tokenizer and folding the SQLite index uses
///   (`SearchWords`, `SearchFold.indexed`; see `PGSearchDocument`), so both
///   engines find the same words — Persian/Arabic letter forms, accents,
///   case, CJK bigrams included. The name's words carry weight A, so one
///   GIN index answers both "every word anywhere" and "every word in the
///   name" (`'joh':*A`). Columns are kept apart by a gap in the positions,
///   as FTS5 never matches a phrase across columns. The repositories
///   rewrite a document in the same transaction as every write that
///   changes its text (a contact's name, emails, tags, notes; its
///   company's name).
/// - digits anywhere in a phone number: `pg_trgm` indexes on
///   `contact_phones.digits` and `e164` (LIKE '%123%').
/// - `unaccent` and the `crm_search` configuration (simple + unaccent):
///   what a person querying with psql uses to search the same text
///   (`to_tsvector('crm_search', …)`); the engine itself never depends on
///   the server's locale or dictionaries.
///
/// A server without the extensions refuses the step with one sentence
/// naming the extension (SQLSTATE CRMX1, see PGError+Repository).
///
/// Frozen SQL.
enum PGSchemaV30Search {
    static let sql = """
    DO $crm$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
            RAISE EXCEPTION USING ERRCODE = 'CRMX1', MESSAGE = 'the PostgreSQL extension "unaccent" is not installed on the server: install Debian''s postgresql package (or your distribution''s postgresql-contrib), which ships it, then open the database again';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
            RAISE EXCEPTION USING ERRCODE = 'CRMX1', MESSAGE = 'the PostgreSQL extension "pg_trgm" is not installed on the server: install Debian''s postgresql package (or your distribution''s postgresql-contrib), which ships it, then open the database again';
        END IF;
        BEGIN
            CREATE EXTENSION IF NOT EXISTS unaccent;
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION USING ERRCODE = 'CRMX1', MESSAGE = 'the extensions "unaccent" and "pg_trgm" must be created by the database owner: run CREATE EXTENSION unaccent; CREATE EXTENSION pg_trgm; as the owner of this database (psql), then open it again';
        END;
    END
    $crm$;

    CREATE TEXT SEARCH CONFIGURATION crm_search (COPY = simple);
    ALTER TEXT SEARCH CONFIGURATION crm_search
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, simple;

    CREATE TABLE contact_search (
        contact_id bigint PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
        -- name (weight A), company, emails, title/source/notes/tags, as contact_fts's columns
        words tsvector NOT NULL
    );
    CREATE INDEX contact_search_by_word ON contact_search USING gin(words);

    CREATE TABLE company_search (
        company_id bigint PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
        -- name, domain, notes, as company_fts's columns
        words tsvector NOT NULL
    );
    CREATE INDEX company_search_by_word ON company_search USING gin(words);

    CREATE INDEX contact_phones_by_digits_trgm ON contact_phones USING gin(digits gin_trgm_ops);
    CREATE INDEX contact_phones_by_e164_trgm ON contact_phones USING gin(e164 gin_trgm_ops) WHERE e164 <> '';

    -- Email addresses as SQLite's NOCASE compares them (ASCII case only, byte
    -- order): the duplicates walk and probe (PGDuplicates.nocase).
    CREATE INDEX contact_emails_by_email_nocase ON contact_emails
        ((translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C"), contact_id);
    """
}
