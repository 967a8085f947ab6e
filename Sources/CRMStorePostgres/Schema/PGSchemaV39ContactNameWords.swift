/// PostgreSQL step 39: the words of live contacts' names in name order, for
/// the "name words" rank of a search (SQLite has had them since step 25,
/// `contact_name_words`; on SQLite step 39 is empty).
///
/// Why: the GIN index of `contact_search` keeps no weights, so "every word
/// in the name" (`'a':*A`) read every document holding an "a" word anywhere
/// and tested its name words one by one: 20–70 ms for "a" at 100,000
/// contacts, to count or to page a rank that is mostly names.
///
/// `contact_name_words (word, sort_key, contact_id, previous)` holds, for
/// every live contact, each lexeme of weight A (a name word, exactly as the
/// engine cut and folded it into the document) beside the contact's sort
/// key. `previous` is the contact's name word just below this one in byte
/// order (NULL for its lowest), so the contacts with a word beginning with
/// `p` are the rows of the range [p, p + U+10FFFF) whose `previous` is below
/// `p` (or NULL): one row each, however many of their words begin with `p`.
/// A count is then an index-only walk of one range of the key, stopping at
/// its limit; a page is, per word of a narrow prefix, a range already in
/// list order (merged by PostgreSQL); `contact_name_words_by_contact` tells,
/// for a contact met on a walk, whether another typed word is in its name.
///
/// Triggers on `contact_search` keep it (statement-level, over the changed
/// rows as sets, so a bulk write of documents — a move from SQLite, which
/// writes 500 a statement — costs one statement, not a trigger call a row):
/// a document written, rewritten (its words, its contact's sort key, or its
/// trash state, which step 34's triggers pass on) or deleted. Filled once
/// from the documents here.
///
/// Frozen SQL.
enum PGSchemaV39ContactNameWords {
    static let sql = """
    CREATE TABLE contact_name_words (
        word text COLLATE "C" NOT NULL,
        sort_key text COLLATE "C" NOT NULL,
        contact_id bigint NOT NULL,
        previous text COLLATE "C",
        PRIMARY KEY (word, sort_key, contact_id) INCLUDE (previous)
    );
    CREATE INDEX contact_name_words_by_contact ON contact_name_words(contact_id, word);

    -- The name words (weight A) of a document in byte order, and each with
    -- the one below it.
    CREATE FUNCTION crm_name_lexemes(words tsvector) RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(array_agg(w.lexeme COLLATE "C" ORDER BY w.lexeme COLLATE "C"), '{}')
        FROM unnest(words) w WHERE 'A' = ANY(w.weights)
    $$;
    CREATE FUNCTION crm_name_words(words tsvector) RETURNS TABLE(word text, previous text)
    LANGUAGE sql IMMUTABLE AS $$
        SELECT w.lexeme, lag(w.lexeme) OVER (ORDER BY w.lexeme COLLATE "C")
        FROM unnest(words) w WHERE 'A' = ANY(w.weights)
    $$;

    INSERT INTO contact_name_words(word, sort_key, contact_id, previous)
    SELECT w.word, s.sort_key, s.contact_id, w.previous
    FROM contact_search s CROSS JOIN LATERAL crm_name_words(s.words) w
    WHERE s.live AND s.sort_key IS NOT NULL;

    CREATE FUNCTION crm_contact_name_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO contact_name_words(word, sort_key, contact_id, previous)
        SELECT w.word, n.sort_key, n.contact_id, w.previous
        FROM new_documents n CROSS JOIN LATERAL crm_name_words(n.words) w
        WHERE n.live AND n.sort_key IS NOT NULL;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_search_name_words_insert AFTER INSERT ON contact_search
        REFERENCING NEW TABLE AS new_documents
        FOR EACH STATEMENT EXECUTE FUNCTION crm_contact_name_words_insert();

    -- A document rewritten: its contact's rows again, only when what they
    -- come from changed (a note edited leaves the name words alone).
    CREATE FUNCTION crm_contact_name_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM contact_name_words w USING old_documents o JOIN new_documents n ON n.contact_id = o.contact_id
        WHERE w.contact_id = o.contact_id
          AND (n.sort_key IS DISTINCT FROM o.sort_key OR n.live <> o.live
               OR crm_name_lexemes(n.words) <> crm_name_lexemes(o.words));
        INSERT INTO contact_name_words(word, sort_key, contact_id, previous)
        SELECT w.word, n.sort_key, n.contact_id, w.previous
        FROM new_documents n JOIN old_documents o ON o.contact_id = n.contact_id
        CROSS JOIN LATERAL crm_name_words(n.words) w
        WHERE n.live AND n.sort_key IS NOT NULL
          AND (n.sort_key IS DISTINCT FROM o.sort_key OR n.live <> o.live
               OR crm_name_lexemes(n.words) <> crm_name_lexemes(o.words));
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_search_name_words_update AFTER UPDATE ON contact_search
        REFERENCING OLD TABLE AS old_documents NEW TABLE AS new_documents
        FOR EACH STATEMENT EXECUTE FUNCTION crm_contact_name_words_update();

    CREATE FUNCTION crm_contact_name_words_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM contact_name_words w USING old_documents o WHERE w.contact_id = o.contact_id;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_search_name_words_delete AFTER DELETE ON contact_search
        REFERENCING OLD TABLE AS old_documents
        FOR EACH STATEMENT EXECUTE FUNCTION crm_contact_name_words_delete();
    """
}
