import CRMRepositories
/// Version 1 of the schema. Times are whole seconds since 1970 UTC. Every row a
/// user can delete has `deleted_at` (soft delete, restorable from the trash)
/// and every editable row a `version` that an update must name.
///
/// Frozen, like every shipped step: literal SQL, no interpolation. The insert
/// triggers are written out here as they shipped; InsertTrigger (used by
/// BulkLoader to drop and recreate them) holds the same text, and
/// SchemaFreezeTests checks that the two agree. Changing a trigger means a
/// new migration step plus the same change in InsertTrigger.
enum SchemaV1 {
    static let sql = """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        login TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
    );

    CREATE TABLE companies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        domain TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        owner_id INTEGER REFERENCES users(id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX companies_by_name ON companies(name COLLATE NOCASE, id) WHERE deleted_at IS NULL;

    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        company_id INTEGER REFERENCES companies(id),
        owner_id INTEGER REFERENCES users(id),
        lifecycle TEXT NOT NULL DEFAULT 'lead' CHECK (lifecycle IN ('lead','prospect','customer','former')),
        source TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        -- kept by the triggers on interactions: lists sort and filter on it
        last_interaction_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX contacts_by_name ON contacts(name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_created ON contacts(created_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_last_interaction ON contacts(coalesce(last_interaction_at, 0), id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_company ON contacts(company_id, name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_owner ON contacts(owner_id, name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
    CREATE INDEX contacts_by_lifecycle ON contacts(lifecycle, name COLLATE NOCASE, id) WHERE deleted_at IS NULL;

    CREATE TABLE contact_emails (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX contact_emails_by_contact ON contact_emails(contact_id, position);
    CREATE INDEX contact_emails_by_email ON contact_emails(email COLLATE NOCASE);

    CREATE TABLE contact_phones (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        number TEXT NOT NULL,
        -- digits only: what "any part of the number" search matches
        digits TEXT NOT NULL,
        label TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX contact_phones_by_contact ON contact_phones(contact_id, position);

    CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );
    CREATE TABLE contact_tags (
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        PRIMARY KEY (contact_id, tag_id)
    ) WITHOUT ROWID;
    CREATE INDEX contact_tags_by_tag ON contact_tags(tag_id, contact_id);

    CREATE TABLE pipelines (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        deleted_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
    );

    CREATE TABLE stages (
        id INTEGER PRIMARY KEY,
        pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        probability INTEGER NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
        kind TEXT NOT NULL DEFAULT 'open' CHECK (kind IN ('open','won','lost')),
        rot_days INTEGER,
        deleted_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX stages_by_pipeline ON stages(pipeline_id, position);

    CREATE TABLE deals (
        id INTEGER PRIMARY KEY,
        pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
        stage_id INTEGER NOT NULL REFERENCES stages(id),
        title TEXT NOT NULL,
        value_minor INTEGER NOT NULL DEFAULT 0,
        currency TEXT NOT NULL DEFAULT 'EUR',
        expected_close INTEGER,
        owner_id INTEGER REFERENCES users(id),
        contact_id INTEGER REFERENCES contacts(id),
        company_id INTEGER REFERENCES companies(id),
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','won','lost')),
        lost_reason TEXT NOT NULL DEFAULT '',
        stage_entered_at INTEGER NOT NULL,
        position REAL NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        closed_at INTEGER,
        deleted_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX deals_by_stage ON deals(stage_id, status, position, id) WHERE deleted_at IS NULL;
    CREATE INDEX deals_by_pipeline_status ON deals(pipeline_id, status, closed_at) WHERE deleted_at IS NULL;
    CREATE INDEX deals_by_contact ON deals(contact_id) WHERE deleted_at IS NULL;
    CREATE INDEX deals_by_company ON deals(company_id) WHERE deleted_at IS NULL;

    CREATE TABLE deal_stage_history (
        id INTEGER PRIMARY KEY,
        deal_id INTEGER NOT NULL REFERENCES deals(id),
        from_stage_id INTEGER REFERENCES stages(id),
        to_stage_id INTEGER NOT NULL REFERENCES stages(id),
        changed_at INTEGER NOT NULL,
        changed_by INTEGER REFERENCES users(id)
    );
    CREATE INDEX deal_stage_history_by_deal ON deal_stage_history(deal_id, changed_at);

    CREATE TABLE interactions (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER REFERENCES contacts(id),
        company_id INTEGER REFERENCES companies(id),
        deal_id INTEGER REFERENCES deals(id),
        kind TEXT NOT NULL CHECK (kind IN ('call','email','meeting','note','message','stage')),
        direction TEXT NOT NULL DEFAULT '' CHECK (direction IN ('in','out','')),
        occurred_at INTEGER NOT NULL,
        duration_s INTEGER,
        outcome TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        author_id INTEGER REFERENCES users(id),
        created_at INTEGER NOT NULL,
        deleted_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX interactions_by_contact ON interactions(contact_id, occurred_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX interactions_by_company ON interactions(company_id, occurred_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX interactions_by_deal ON interactions(deal_id, occurred_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX interactions_by_time ON interactions(occurred_at, id) WHERE deleted_at IS NULL;

    CREATE TABLE follow_ups (
        id INTEGER PRIMARY KEY,
        contact_id INTEGER REFERENCES contacts(id),
        deal_id INTEGER REFERENCES deals(id),
        assignee_id INTEGER REFERENCES users(id),
        title TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        due_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
        done_at INTEGER,
        created_by INTEGER REFERENCES users(id),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX follow_ups_by_due ON follow_ups(status, due_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX follow_ups_by_assignee ON follow_ups(assignee_id, status, due_at, id) WHERE deleted_at IS NULL;
    CREATE INDEX follow_ups_by_contact ON follow_ups(contact_id, status, due_at) WHERE deleted_at IS NULL;
    CREATE INDEX follow_ups_by_deal ON follow_ups(deal_id, status, due_at) WHERE deleted_at IS NULL;

    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        user_id INTEGER REFERENCES users(id),
        entity TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        -- JSON object: field -> [old, new]
        changes TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_by_entity ON audit_log(entity, entity_id, id);

    -- Full-text search. Plain FTS5 tables (they keep their own copy of the
    -- text) so a trigger can replace a row by rowid without the old values.
    CREATE VIRTUAL TABLE contact_fts USING fts5(
        name, company, emails, extra,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    );
    CREATE VIRTUAL TABLE company_fts USING fts5(
        name, domain, notes,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    );
    CREATE VIRTUAL TABLE deal_fts USING fts5(
        title, lost_reason,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
    );
    CREATE VIRTUAL TABLE interaction_fts USING fts5(
        subject, body, outcome,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    );
    -- Any run of 3+ digits anywhere in a phone number.
    CREATE VIRTUAL TABLE phone_fts USING fts5(digits, tokenize = 'trigram');

    -- The text of one contact as search sees it.
    CREATE VIEW contact_search_text AS
    SELECT c.id AS id, c.name AS name, coalesce(co.name, '') AS company,
           coalesce((SELECT group_concat(email, ' ') FROM contact_emails e WHERE e.contact_id = c.id), '') AS emails,
           c.title || ' ' || c.source || ' ' || c.notes || ' ' ||
           coalesce((SELECT group_concat(t.name, ' ') FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id), '') AS extra
    FROM contacts c LEFT JOIN companies co ON co.id = c.company_id;

    CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
        INSERT INTO contact_fts(rowid, name, company, emails, extra)
        SELECT id, name, company, emails, extra FROM contact_search_text WHERE id = NEW.id;
    END;
    CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, title, source, notes, company_id ON contacts BEGIN
        DELETE FROM contact_fts WHERE rowid = NEW.id;
        INSERT INTO contact_fts(rowid, name, company, emails, extra)
        SELECT id, name, company, emails, extra FROM contact_search_text WHERE id = NEW.id;
    END;
    CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
        DELETE FROM contact_fts WHERE rowid = OLD.id;
    END;
    CREATE TRIGGER contact_emails_fts_insert AFTER INSERT ON contact_emails BEGIN
        UPDATE contact_fts SET emails = (SELECT emails FROM contact_search_text WHERE id = NEW.contact_id)
        WHERE rowid = NEW.contact_id;
    END;
    CREATE TRIGGER contact_emails_fts_delete AFTER DELETE ON contact_emails BEGIN
        UPDATE contact_fts SET emails = (SELECT emails FROM contact_search_text WHERE id = OLD.contact_id)
        WHERE rowid = OLD.contact_id;
    END;
    CREATE TRIGGER contact_tags_fts_insert AFTER INSERT ON contact_tags BEGIN
        UPDATE contact_fts SET extra = (SELECT extra FROM contact_search_text WHERE id = NEW.contact_id)
        WHERE rowid = NEW.contact_id;
    END;
    CREATE TRIGGER contact_tags_fts_delete AFTER DELETE ON contact_tags BEGIN
        UPDATE contact_fts SET extra = (SELECT extra FROM contact_search_text WHERE id = OLD.contact_id)
        WHERE rowid = OLD.contact_id;
    END;
    CREATE TRIGGER contact_phones_fts_insert AFTER INSERT ON contact_phones BEGIN
        INSERT INTO phone_fts(rowid, digits) VALUES (NEW.id, NEW.digits);
    END;
    CREATE TRIGGER contact_phones_fts_delete AFTER DELETE ON contact_phones BEGIN
        DELETE FROM phone_fts WHERE rowid = OLD.id;
    END;

    CREATE TRIGGER companies_fts_insert AFTER INSERT ON companies BEGIN
        INSERT INTO company_fts(rowid, name, domain, notes) VALUES (NEW.id, NEW.name, NEW.domain, NEW.notes);
    END;
    CREATE TRIGGER companies_fts_update AFTER UPDATE OF name, domain, notes ON companies BEGIN
        DELETE FROM company_fts WHERE rowid = NEW.id;
        INSERT INTO company_fts(rowid, name, domain, notes) VALUES (NEW.id, NEW.name, NEW.domain, NEW.notes);
        UPDATE contact_fts SET company = NEW.name WHERE rowid IN (SELECT id FROM contacts WHERE company_id = NEW.id);
    END;

    CREATE TRIGGER deals_fts_insert AFTER INSERT ON deals BEGIN
        INSERT INTO deal_fts(rowid, title, lost_reason) VALUES (NEW.id, NEW.title, NEW.lost_reason);
    END;
    CREATE TRIGGER deals_fts_update AFTER UPDATE OF title, lost_reason ON deals BEGIN
        DELETE FROM deal_fts WHERE rowid = NEW.id;
        INSERT INTO deal_fts(rowid, title, lost_reason) VALUES (NEW.id, NEW.title, NEW.lost_reason);
    END;

    CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions WHEN NEW.kind != 'stage' BEGIN
        INSERT INTO interaction_fts(rowid, subject, body, outcome) VALUES (NEW.id, NEW.subject, NEW.body, NEW.outcome);
    END;
    CREATE TRIGGER interactions_fts_update AFTER UPDATE OF subject, body, outcome ON interactions WHEN NEW.kind != 'stage' BEGIN
        DELETE FROM interaction_fts WHERE rowid = NEW.id;
        INSERT INTO interaction_fts(rowid, subject, body, outcome) VALUES (NEW.id, NEW.subject, NEW.body, NEW.outcome);
    END;

    CREATE TRIGGER interactions_touch_contact AFTER INSERT ON interactions
    WHEN NEW.contact_id IS NOT NULL AND NEW.kind != 'stage' BEGIN
        UPDATE contacts SET last_interaction_at = NEW.occurred_at
        WHERE id = NEW.contact_id AND coalesce(last_interaction_at, 0) < NEW.occurred_at;
    END;
    CREATE TRIGGER interactions_untouch_contact AFTER UPDATE OF deleted_at, occurred_at, contact_id ON interactions
    WHEN NEW.contact_id IS NOT NULL OR OLD.contact_id IS NOT NULL BEGIN
        UPDATE contacts SET last_interaction_at = (
            SELECT max(occurred_at) FROM interactions i
            WHERE i.contact_id = contacts.id AND i.deleted_at IS NULL AND i.kind != 'stage')
        WHERE id IN (NEW.contact_id, OLD.contact_id);
    END;
    """
}
