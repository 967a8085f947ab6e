/// Version 8: search folds Persian and Arabic letter forms (SearchFold): the
/// index holds `crm_fold(text)`, an SQL function every Connection registers,
/// and queries are folded by the same Swift function. "علي كريمي" typed with
/// Arabic ي and ك finds "علی کریمی", "یوسف" finds "يوسف الحسن", "پیش‌فاکتور"
/// with a ZWNJ finds "پیشفاکتور", "۱۴۰۲" finds "1402". The stored text
/// itself is untouched: only the FTS copies are folded.
///
/// The contact search view folds its columns, so every trigger and backfill
/// that reads it folds alike; the company, deal and interaction triggers fold
/// their NEW values. The four FTS tables are dropped and made again (faster
/// than deleting a million rows one by one) and filled from the rows, with
/// automerge off for the fill as BulkLoader does. The phone trigram table
/// holds ASCII digits already and is left alone.
///
/// Frozen SQL; InsertTrigger holds the same insert triggers.
enum SchemaV8FoldedSearch {
    static let sql = """
    DROP VIEW contact_search_text;
    CREATE VIEW contact_search_text AS
    SELECT c.id AS id, crm_fold(c.name) AS name, crm_fold(coalesce(co.name, '')) AS company,
           crm_fold(coalesce((SELECT group_concat(email, ' ') FROM contact_emails e WHERE e.contact_id = c.id), '')) AS emails,
           crm_fold(c.title || ' ' || c.source || ' ' || c.notes || ' ' ||
           coalesce((SELECT group_concat(t.name, ' ') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '')) AS extra
    FROM contacts c LEFT JOIN companies co ON co.id = c.company_id;

    DROP TRIGGER companies_fts_insert;
    CREATE TRIGGER companies_fts_insert AFTER INSERT ON companies BEGIN
        INSERT INTO company_fts(rowid, name, domain, notes) VALUES (NEW.id, crm_fold(NEW.name), crm_fold(NEW.domain), crm_fold(NEW.notes));
    END;
    DROP TRIGGER companies_fts_update;
    CREATE TRIGGER companies_fts_update AFTER UPDATE OF name, domain, notes ON companies BEGIN
        DELETE FROM company_fts WHERE rowid = NEW.id;
        INSERT INTO company_fts(rowid, name, domain, notes) VALUES (NEW.id, crm_fold(NEW.name), crm_fold(NEW.domain), crm_fold(NEW.notes));
        UPDATE contact_fts SET company = crm_fold(NEW.name) WHERE rowid IN (SELECT id FROM contacts WHERE company_id = NEW.id);
    END;

    DROP TRIGGER deals_fts_insert;
    CREATE TRIGGER deals_fts_insert AFTER INSERT ON deals BEGIN
        INSERT INTO deal_fts(rowid, title, lost_reason) VALUES (NEW.id, crm_fold(NEW.title), crm_fold(NEW.lost_reason));
    END;
    DROP TRIGGER deals_fts_update;
    CREATE TRIGGER deals_fts_update AFTER UPDATE OF title, lost_reason ON deals BEGIN
        DELETE FROM deal_fts WHERE rowid = NEW.id;
        INSERT INTO deal_fts(rowid, title, lost_reason) VALUES (NEW.id, crm_fold(NEW.title), crm_fold(NEW.lost_reason));
    END;

    DROP TRIGGER interactions_fts_insert;
    CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions WHEN NEW.kind != 'stage' BEGIN
        INSERT INTO interaction_fts(rowid, subject, body, outcome) VALUES (NEW.id, crm_fold(NEW.subject), crm_fold(NEW.body), crm_fold(NEW.outcome));
    END;
    DROP TRIGGER interactions_fts_update;
    CREATE TRIGGER interactions_fts_update AFTER UPDATE OF subject, body, outcome ON interactions WHEN NEW.kind != 'stage' BEGIN
        DELETE FROM interaction_fts WHERE rowid = NEW.id;
        INSERT INTO interaction_fts(rowid, subject, body, outcome) VALUES (NEW.id, crm_fold(NEW.subject), crm_fold(NEW.body), crm_fold(NEW.outcome));
    END;

    DROP TABLE contact_fts;
    CREATE VIRTUAL TABLE contact_fts USING fts5(
        name, company, emails, extra,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    );
    DROP TABLE company_fts;
    CREATE VIRTUAL TABLE company_fts USING fts5(
        name, domain, notes,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    );
    DROP TABLE deal_fts;
    CREATE VIRTUAL TABLE deal_fts USING fts5(
        title, lost_reason,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    );
    DROP TABLE interaction_fts;
    CREATE VIRTUAL TABLE interaction_fts USING fts5(
        subject, body, outcome,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    );

    INSERT INTO contact_fts(contact_fts, rank) VALUES ('automerge', 0);
    INSERT INTO company_fts(company_fts, rank) VALUES ('automerge', 0);
    INSERT INTO deal_fts(deal_fts, rank) VALUES ('automerge', 0);
    INSERT INTO interaction_fts(interaction_fts, rank) VALUES ('automerge', 0);
    INSERT INTO contact_fts(rowid, name, company, emails, extra)
    SELECT id, name, company, emails, extra FROM contact_search_text;
    INSERT INTO company_fts(rowid, name, domain, notes)
    SELECT id, crm_fold(name), crm_fold(domain), crm_fold(notes) FROM companies;
    INSERT INTO deal_fts(rowid, title, lost_reason)
    SELECT id, crm_fold(title), crm_fold(lost_reason) FROM deals;
    INSERT INTO interaction_fts(rowid, subject, body, outcome)
    SELECT id, crm_fold(subject), crm_fold(body), crm_fold(outcome) FROM interactions WHERE kind != 'stage';
    INSERT INTO contact_fts(contact_fts, rank) VALUES ('automerge', 4);
    INSERT INTO company_fts(company_fts, rank) VALUES ('automerge', 4);
    INSERT INTO deal_fts(deal_fts, rank) VALUES ('automerge', 4);
    INSERT INTO interaction_fts(interaction_fts, rank) VALUES ('automerge', 4);
    """
}
