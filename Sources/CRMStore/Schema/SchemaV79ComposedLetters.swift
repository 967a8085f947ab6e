/// Version 79: a letter written as its base and a combining mark is
/// searched as the letter typed whole (`SearchFold.composed`): й stored as
/// и and U+0306 (FTS5 dropped the breve, so "йошкин" did not find it and
/// "иошкин" did), が as か and U+3099 (FTS5 cut the word at the mark), 한 as
/// three jamo. Such text comes from pastes of macOS file names and from some
/// keyboards.
///
/// `crm_fold` now composes them, and every row written from now on is
/// indexed so; this step indexes again the rows written before that hold
/// such a mark. FTS5 keeps no trace of the dropped marks in its words, so
/// they are found in the text itself (`crm_composes`, a pass over each
/// table), and each is deleted from its index and written again with the
/// triggers' own expressions; the duplicate name keys of the names among
/// them are worked out again too. Run twice, it changes nothing.
///
/// Frozen SQL.
enum SchemaV79ComposedLetters {
    /// Text holding a mark `SearchFold.composes` names, in any of `columns`.
    private static func holdsOne(_ columns: String...) -> String {
        "crm_composes(\(columns.joined(separator: ", "))) = 1"
    }

    static let sql = """
    CREATE TEMP TABLE crm_step79_contacts(id INTEGER PRIMARY KEY);
    INSERT INTO crm_step79_contacts(id)
    SELECT c.id FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
    WHERE \(holdsOne("c.name", "c.title", "c.source", "c.notes", "co.name"))
       OR EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id AND \(holdsOne("e.email")))
       OR EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id AND \(holdsOne("t.name")));
    DELETE FROM contact_fts WHERE rowid IN (SELECT id FROM crm_step79_contacts);
    INSERT INTO contact_fts(rowid, name, company, emails, extra)
    SELECT id, name, company, emails, extra FROM contact_search_text WHERE id IN (SELECT id FROM crm_step79_contacts);

    DELETE FROM contact_name_words WHERE contact_id IN (SELECT id FROM contacts WHERE \(holdsOne("name")));
    INSERT OR IGNORE INTO contact_name_words(word, sort_key, contact_id)
    SELECT DISTINCT w.value, c.sort_key, c.id FROM contacts c, json_each(crm_fts_words(crm_fold(c.name))) w
    WHERE \(holdsOne("c.name")) AND c.deleted_at IS NULL AND c.sort_key IS NOT NULL;
    UPDATE contacts SET name_key = crm_namekey(name) WHERE \(holdsOne("name")) AND name_key IS NOT crm_namekey(name);

    CREATE TEMP TABLE crm_step79_companies(id INTEGER PRIMARY KEY);
    INSERT INTO crm_step79_companies(id)
    SELECT id FROM companies WHERE \(holdsOne("name", "domain", "notes"));
    DELETE FROM company_fts WHERE rowid IN (SELECT id FROM crm_step79_companies);
    INSERT INTO company_fts(rowid, name, domain, notes)
    SELECT id, crm_fold(name), crm_fold(domain), crm_fold(notes) FROM companies WHERE id IN (SELECT id FROM crm_step79_companies);
    UPDATE companies SET name_key = crm_namekey(name) WHERE \(holdsOne("name")) AND name_key IS NOT crm_namekey(name);

    CREATE TEMP TABLE crm_step79_deals(id INTEGER PRIMARY KEY);
    INSERT INTO crm_step79_deals(id) SELECT id FROM deals WHERE \(holdsOne("title", "lost_reason"));
    DELETE FROM deal_fts WHERE rowid IN (SELECT id FROM crm_step79_deals);
    INSERT INTO deal_fts(rowid, title, lost_reason)
    SELECT id, crm_fold(title), crm_fold(lost_reason) FROM deals WHERE id IN (SELECT id FROM crm_step79_deals);

    -- A deal's card holds its contact's and its company's words too.
    INSERT OR IGNORE INTO crm_step79_deals(id)
    SELECT id FROM deals WHERE contact_id IN (SELECT id FROM crm_step79_contacts)
                            OR company_id IN (SELECT id FROM crm_step79_companies);
    DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM crm_step79_deals);
    INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                              contact_name, contact_company, contact_emails, contact_extra, place)
    SELECT id, title, lost_reason, company_name, company_domain, company_notes,
           contact_name, contact_company, contact_emails, contact_extra, place
    FROM deal_card_text WHERE id IN (SELECT id FROM crm_step79_deals);

    -- An interaction's rowid here is its time (clamped) * 2^31 + its id.
    CREATE TEMP TABLE crm_step79_interactions(id INTEGER PRIMARY KEY);
    INSERT INTO crm_step79_interactions(id)
    SELECT id FROM interactions
    WHERE kind != 'stage' AND \(holdsOne("subject", "body", "outcome"));
    DELETE FROM interaction_fts WHERE rowid IN (
        SELECT max(min(occurred_at, 4294967295), -4294967296) * 2147483648 + id FROM interactions
        WHERE id IN (SELECT id FROM crm_step79_interactions));
    INSERT INTO interaction_fts(rowid, subject, body, outcome)
    SELECT max(min(occurred_at, 4294967295), -4294967296) * 2147483648 + id, crm_fold(subject), crm_fold(body), crm_fold(outcome)
    FROM interactions WHERE id IN (SELECT id FROM crm_step79_interactions);

    DROP TABLE crm_step79_contacts;
    DROP TABLE crm_step79_companies;
    DROP TABLE crm_step79_deals;
    DROP TABLE crm_step79_interactions;
    """
}
