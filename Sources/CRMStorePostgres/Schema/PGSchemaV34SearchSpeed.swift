/// PostgreSQL step 34: what a search with many hits needs to stay under a
/// keystroke at 100,000 contacts (on SQLite, step 34 is empty: its search
/// structures are FTS5 tables of their own).
///
/// **Where a contact's document sorts.** `contact_search` gains the
/// contact's `sort_key` and whether it is `live` (not in the trash), kept by
/// triggers: a document written takes them from its contact; a contact
/// renamed, trashed or restored passes them on. With them the search reads
/// one table, never a join to `contacts`:
/// - a rank with many hits walks `contact_search_by_name` (live documents in
///   name order, the list's order) and tests each row's words, stopping
///   when the page is full: "a" reads about 200 rows for a page of 100,
///   where the GIN index gave 80,000 ids to join and sort (0.5–1.5 s);
/// - a rank with few hits still asks the GIN index, and sorts its hits by
///   the sort key read in the same row;
/// - a count reads the GIN index's hits and checks `live` and the name
///   ranges in the same row, stopping at its limit.
///
/// **What a deal's card shows, as words.** SQLite's board search (step 33,
/// `deal_card_fts`) finds a deal when every word is in its own texts, or
/// every word in its company's, or every word in its contact's. Here
/// `deals.card_words` holds the three documents in one `tsvector`, each with
/// a weight of its own (the deal's title and lost reason A, the company's
/// document B, the contact's C), so a query asks each weight for every word
/// (`('ann':*A & 'gmb':*A) | (… B) | (… C)`) and a phrase never spans two of
/// them (its words must carry the same weight). Triggers keep it: a deal
/// written (its words, company, contact, or back from the trash) recomputes
/// its own; a company's or contact's document rewritten recomputes those of
/// their live deals (`deals_by_company`, `deals_by_contact`).
///
/// Frozen SQL.
enum PGSchemaV34SearchSpeed {
    static let sql = """
    ALTER TABLE contact_search ADD COLUMN sort_key text COLLATE "C";
    ALTER TABLE contact_search ADD COLUMN live boolean NOT NULL DEFAULT false;
    UPDATE contact_search s SET sort_key = c.sort_key, live = (c.deleted_at IS NULL) FROM contacts c WHERE c.id = s.contact_id;
    CREATE INDEX contact_search_by_name ON contact_search(sort_key, contact_id) WHERE live;

    CREATE FUNCTION crm_contact_search_place() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT c.sort_key, c.deleted_at IS NULL INTO NEW.sort_key, NEW.live FROM contacts c WHERE c.id = NEW.contact_id;
        NEW.live := coalesce(NEW.live, false);
        RETURN NEW;
    END $$;
    CREATE TRIGGER contact_search_place BEFORE INSERT ON contact_search
        FOR EACH ROW EXECUTE FUNCTION crm_contact_search_place();

    CREATE FUNCTION crm_contact_search_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE contact_search SET sort_key = NEW.sort_key, live = (NEW.deleted_at IS NULL) WHERE contact_id = NEW.id;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contacts_search_follow AFTER UPDATE OF sort_key, deleted_at ON contacts
        FOR EACH ROW
        WHEN (OLD.sort_key IS DISTINCT FROM NEW.sort_key OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
        EXECUTE FUNCTION crm_contact_search_follow();

    ALTER TABLE deals ADD COLUMN card_words tsvector;
    CREATE FUNCTION crm_deal_card_words(deal_words tsvector, company bigint, contact bigint) RETURNS tsvector
    LANGUAGE sql STABLE AS $$
        SELECT setweight(coalesce(deal_words, ''::tsvector), 'A')
            || setweight(coalesce((SELECT s.words FROM company_search s WHERE s.company_id = company), ''::tsvector), 'B')
            || setweight(coalesce((SELECT s.words FROM contact_search s WHERE s.contact_id = contact), ''::tsvector), 'C')
    $$;
    UPDATE deals SET card_words = crm_deal_card_words(search_words, company_id, contact_id);
    CREATE INDEX deals_by_card_words ON deals USING gin (card_words) WHERE deleted_at IS NULL;

    CREATE FUNCTION crm_deal_card() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.card_words := crm_deal_card_words(NEW.search_words, NEW.company_id, NEW.contact_id);
        RETURN NEW;
    END $$;
    CREATE TRIGGER deals_card BEFORE INSERT OR UPDATE OF search_words, company_id, contact_id, deleted_at ON deals
        FOR EACH ROW EXECUTE FUNCTION crm_deal_card();

    CREATE FUNCTION crm_company_deal_cards() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE deals SET card_words = crm_deal_card_words(search_words, company_id, contact_id)
        WHERE company_id = NEW.company_id AND deleted_at IS NULL;
        RETURN NULL;
    END $$;
    CREATE TRIGGER company_search_deal_cards AFTER INSERT ON company_search
        FOR EACH ROW EXECUTE FUNCTION crm_company_deal_cards();
    CREATE TRIGGER company_search_deal_cards_update AFTER UPDATE OF words ON company_search
        FOR EACH ROW WHEN (OLD.words IS DISTINCT FROM NEW.words) EXECUTE FUNCTION crm_company_deal_cards();

    CREATE FUNCTION crm_contact_deal_cards() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE deals SET card_words = crm_deal_card_words(search_words, company_id, contact_id)
        WHERE contact_id = NEW.contact_id AND deleted_at IS NULL;
        RETURN NULL;
    END $$;
    CREATE TRIGGER contact_search_deal_cards AFTER INSERT ON contact_search
        FOR EACH ROW EXECUTE FUNCTION crm_contact_deal_cards();
    CREATE TRIGGER contact_search_deal_cards_update AFTER UPDATE OF words ON contact_search
        FOR EACH ROW WHEN (OLD.words IS DISTINCT FROM NEW.words) EXECUTE FUNCTION crm_contact_deal_cards();
    """
}
