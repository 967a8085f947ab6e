/// Version 33: one full-text entry per deal holding what its card shows, so
/// the board's search reads one index of deals instead of three indexes of
/// other things.
///
/// Before, a board search was "the deal's title matches, OR its company
/// matches, OR its contact matches": three `IN (SELECT rowid … MATCH ?)`
/// lists, materialised again by every statement of a search (the totals and
/// each column's cards). For "a" the contacts' list alone is every contact
/// (50,000 of 100,000), 61 ms for the keystroke at 100,000 contacts.
///
/// `deal_card_fts` holds, for every live deal (not in the trash), the texts
/// the three indexes held for it, folded the same way, in three groups of
/// columns: the deal's (title, lost reason, as `deal_fts`), its company's
/// (name, domain, notes, as `company_fts`), and its contact's (name, company,
/// emails, the rest, as `contact_fts`, from `contact_search_text`). A search
/// asks each group for all its words (`{title lost_reason} : (…) OR …`), so it
/// finds exactly the deals the three lists found, from a list no longer than
/// the deals.
///
/// A tenth column, `place`, holds where the deal is as words no search
/// typed can reach (the searches name the three groups): `p<pipeline>
/// s<stage> <status>`. A column's cards ask for `s12 AND open` beside the
/// words, so the index gives that stage's matches only (1,600 of 15,600 for
/// "a"), where a list of every match would be built again per column.
///
/// The contact's texts are four lookups of `contact_search_text` by id, not
/// a LEFT JOIN of it: that view is itself a join, which SQLite does not
/// flatten into the right side of a LEFT JOIN, so one deal's entry would
/// read the view for every contact (3 s a stage move at 100,000 contacts).
///
/// `deal_card_text` is what an entry holds; the triggers write it again for
/// the deals whose card text a write may change: the deal's own title, lost
/// reason, contact, company, pipeline, stage, status or trash state; a contact's name, title, source,
/// notes, company (or any edit: `updated_at`, which an import's merge sets
/// when it adds emails or tags with their triggers off); a contact's emails
/// and tags; a company's name, domain and notes (its deals', and its
/// contacts' deals', whose contact text names the company: its live
/// contacts through `contacts_by_company`, those in the trash through
/// `contacts_in_trash`, never a walk of every contact).
///
/// Also: a deal or a company deleted for good (the trash purged) takes its
/// `deal_fts` / `company_fts` entry with it (contacts already did). Its id
/// may be given again to the next row inserted (no AUTOINCREMENT), whose
/// entry then failed on the stale one ("constraint failed": creating a deal
/// after purging the newest one); the stale entries are removed once here.
///
/// Frozen SQL.
enum SchemaV33DealCardSearch {
    static let sql = """
    DELETE FROM deal_fts WHERE rowid NOT IN (SELECT id FROM deals);
    DELETE FROM company_fts WHERE rowid NOT IN (SELECT id FROM companies);
    CREATE TRIGGER deals_fts_delete AFTER DELETE ON deals BEGIN
        DELETE FROM deal_fts WHERE rowid = OLD.id;
    END;
    CREATE TRIGGER companies_fts_delete AFTER DELETE ON companies BEGIN
        DELETE FROM company_fts WHERE rowid = OLD.id;
    END;

    CREATE VIEW deal_card_text AS
    SELECT d.id AS id, d.contact_id AS contact_id, d.company_id AS company_id,
           crm_fold(d.title) AS title, crm_fold(d.lost_reason) AS lost_reason,
           crm_fold(coalesce(co.name, '')) AS company_name, crm_fold(coalesce(co.domain, '')) AS company_domain,
           crm_fold(coalesce(co.notes, '')) AS company_notes,
           coalesce((SELECT name FROM contact_search_text WHERE id = d.contact_id), '') AS contact_name,
           coalesce((SELECT company FROM contact_search_text WHERE id = d.contact_id), '') AS contact_company,
           coalesce((SELECT emails FROM contact_search_text WHERE id = d.contact_id), '') AS contact_emails,
           coalesce((SELECT extra FROM contact_search_text WHERE id = d.contact_id), '') AS contact_extra,
           'p' || d.pipeline_id || ' s' || d.stage_id || ' ' || d.status AS place
    FROM deals d
    LEFT JOIN companies co ON co.id = d.company_id
    WHERE d.deleted_at IS NULL;

    CREATE VIRTUAL TABLE deal_card_fts USING fts5(
        title, lost_reason, company_name, company_domain, company_notes,
        contact_name, contact_company, contact_emails, contact_extra, place,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    );
    INSERT INTO deal_card_fts(deal_card_fts, rank) VALUES ('automerge', 0);
    INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                              contact_name, contact_company, contact_emails, contact_extra, place)
    SELECT id, title, lost_reason, company_name, company_domain, company_notes,
           contact_name, contact_company, contact_emails, contact_extra, place
    FROM deal_card_text ORDER BY id;
    INSERT INTO deal_card_fts(deal_card_fts, rank) VALUES ('automerge', 4);

    CREATE TRIGGER deals_card_fts_insert AFTER INSERT ON deals BEGIN
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE id = NEW.id;
    END;
    CREATE TRIGGER deals_card_fts_update AFTER UPDATE OF title, lost_reason, contact_id, company_id, deleted_at, pipeline_id, stage_id, status ON deals BEGIN
        DELETE FROM deal_card_fts WHERE rowid = NEW.id;
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE id = NEW.id;
    END;
    CREATE TRIGGER deals_card_fts_delete AFTER DELETE ON deals BEGIN
        DELETE FROM deal_card_fts WHERE rowid = OLD.id;
    END;

    CREATE TRIGGER contacts_card_fts_update AFTER UPDATE OF name, title, source, notes, company_id, updated_at ON contacts BEGIN
        DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = NEW.id AND deleted_at IS NULL);
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE contact_id = NEW.id;
    END;
    CREATE TRIGGER contact_emails_card_fts_insert AFTER INSERT ON contact_emails BEGIN
        DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = NEW.contact_id AND deleted_at IS NULL);
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE contact_id = NEW.contact_id;
    END;
    CREATE TRIGGER contact_emails_card_fts_delete AFTER DELETE ON contact_emails BEGIN
        DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = OLD.contact_id AND deleted_at IS NULL);
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE contact_id = OLD.contact_id;
    END;
    CREATE TRIGGER contact_tags_card_fts_insert AFTER INSERT ON contact_tags BEGIN
        DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = NEW.contact_id AND deleted_at IS NULL);
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE contact_id = NEW.contact_id;
    END;
    CREATE TRIGGER contact_tags_card_fts_delete AFTER DELETE ON contact_tags BEGIN
        DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = OLD.contact_id AND deleted_at IS NULL);
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE contact_id = OLD.contact_id;
    END;
    CREATE TRIGGER companies_card_fts_update AFTER UPDATE OF name, domain, notes ON companies BEGIN
        DELETE FROM deal_card_fts WHERE rowid IN (
            SELECT id FROM deals WHERE company_id = NEW.id AND deleted_at IS NULL
            UNION SELECT d.id FROM contacts c JOIN deals d ON d.contact_id = c.id AND d.deleted_at IS NULL
                  WHERE c.company_id = NEW.id AND c.deleted_at IS NULL
            UNION SELECT d.id FROM contacts c INDEXED BY contacts_in_trash CROSS JOIN deals d ON d.contact_id = c.id AND d.deleted_at IS NULL
                  WHERE c.company_id = NEW.id AND c.deleted_at IS NOT NULL);
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE id IN (
            SELECT id FROM deals WHERE company_id = NEW.id AND deleted_at IS NULL
            UNION SELECT d.id FROM contacts c JOIN deals d ON d.contact_id = c.id AND d.deleted_at IS NULL
                  WHERE c.company_id = NEW.id AND c.deleted_at IS NULL
            UNION SELECT d.id FROM contacts c INDEXED BY contacts_in_trash CROSS JOIN deals d ON d.contact_id = c.id AND d.deleted_at IS NULL
                  WHERE c.company_id = NEW.id AND c.deleted_at IS NOT NULL);
    END;
    """
}
