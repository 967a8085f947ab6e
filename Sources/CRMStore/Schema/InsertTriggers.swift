import CRMRepositories
/// The AFTER INSERT triggers that keep the search index and
/// `contacts.last_interaction_at` in step, each defined once here together
/// with the set-based statement that does the same work for many rows at once.
///
/// The migrations create the triggers (SchemaV1, and SchemaV8 for the ones
/// that index `crm_fold(...)` of the text, have the same text written out: a
/// shipped step never changes); `BulkLoader` drops them for the length
/// of one bulk transaction and runs `backfillSQL` instead (one statement per
/// table instead of one trigger run per row), then recreates them from
/// `createSQL` before COMMIT, so no other connection ever sees the schema
/// without them.
///
/// Changing a trigger is two changes together: a new migration step that
/// drops and recreates it, and the same `createSQL` here (BulkLoader would
/// otherwise put the old one back). SchemaFreezeTests fails when the trigger
/// a migrated file has differs from what `createSQL` makes.
struct InsertTrigger {
    let name: String
    let createSQL: String
    /// Does for every row inserted after a watermark what the trigger does
    /// for one. Its single parameter is the largest rowid of `table` before
    /// the bulk load. Nil when another trigger's backfill already covers it.
    let backfillSQL: String?
    /// The table whose rowid watermark `backfillSQL` takes.
    let table: String

    /// Rows in the contact's search entry (emails, tags) are covered by the
    /// contact's own backfill, which reads the whole `contact_search_text` view;
    /// this holds as long as a bulk load adds emails and tags only to contacts
    /// it inserts itself (BulkLoader's API allows nothing else).
    static let contactsFTS = InsertTrigger(
        name: "contacts_fts_insert",
        createSQL: """
        CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
            INSERT INTO contact_fts(rowid, name, company, emails, extra)
            SELECT id, name, company, emails, extra FROM contact_search_text WHERE id = NEW.id;
        END;
        """,
        backfillSQL: """
        INSERT INTO contact_fts(rowid, name, company, emails, extra)
        SELECT id, name, company, emails, extra FROM contact_search_text WHERE id > ?
        """,
        table: "contacts")

    /// Since version 25: the words of a live contact's name in name order
    /// (`SchemaV25ContactNameWords`). Renames, the trash and deletes have
    /// triggers of their own there, which a bulk load (inserts only) never
    /// needs to suspend.
    static let contactNameWords = InsertTrigger(
        name: "contacts_name_words_insert",
        createSQL: """
        CREATE TRIGGER contacts_name_words_insert AFTER INSERT ON contacts
        WHEN NEW.deleted_at IS NULL AND NEW.sort_key IS NOT NULL BEGIN
            INSERT OR IGNORE INTO contact_name_words(word, sort_key, contact_id)
            SELECT value, NEW.sort_key, NEW.id FROM json_each(crm_fts_words(crm_fold(NEW.name)));
        END;
        """,
        backfillSQL: """
        INSERT OR IGNORE INTO contact_name_words(word, sort_key, contact_id)
        SELECT DISTINCT w.value, c.sort_key, c.id FROM contacts c, json_each(crm_fts_words(crm_fold(c.name))) w
        WHERE c.id > ? AND c.deleted_at IS NULL AND c.sort_key IS NOT NULL
        ORDER BY 1, 2, 3
        """,
        table: "contacts")

    static let contactEmailsFTS = InsertTrigger(
        name: "contact_emails_fts_insert",
        createSQL: """
        CREATE TRIGGER contact_emails_fts_insert AFTER INSERT ON contact_emails BEGIN
            UPDATE contact_fts SET emails = (SELECT emails FROM contact_search_text WHERE id = NEW.contact_id)
            WHERE rowid = NEW.contact_id;
        END;
        """,
        backfillSQL: nil, table: "contact_emails")

    static let contactTagsFTS = InsertTrigger(
        name: "contact_tags_fts_insert",
        createSQL: """
        CREATE TRIGGER contact_tags_fts_insert AFTER INSERT ON contact_tags BEGIN
            UPDATE contact_fts SET extra = (SELECT extra FROM contact_search_text WHERE id = NEW.contact_id)
            WHERE rowid = NEW.contact_id;
        END;
        """,
        backfillSQL: nil, table: "contact_tags")

    static let contactPhonesFTS = InsertTrigger(
        name: "contact_phones_fts_insert",
        createSQL: """
        CREATE TRIGGER contact_phones_fts_insert AFTER INSERT ON contact_phones BEGIN
            INSERT INTO phone_fts(rowid, digits) VALUES (NEW.id, NEW.digits);
        END;
        """,
        backfillSQL: "INSERT INTO phone_fts(rowid, digits) SELECT id, digits FROM contact_phones WHERE id > ?",
        table: "contact_phones")

    /// Since version 9: the international form's trigram index.
    static let contactPhonesE164FTS = InsertTrigger(
        name: "contact_phones_e164_fts_insert",
        createSQL: """
        CREATE TRIGGER contact_phones_e164_fts_insert AFTER INSERT ON contact_phones WHEN NEW.e164 <> '' BEGIN
            INSERT INTO phone_e164_fts(rowid, e164) VALUES (NEW.id, NEW.e164);
        END;
        """,
        backfillSQL: "INSERT INTO phone_e164_fts(rowid, e164) SELECT id, e164 FROM contact_phones WHERE id > ? AND e164 <> ''",
        table: "contact_phones")

    static let companiesFTS = InsertTrigger(
        name: "companies_fts_insert",
        createSQL: """
        CREATE TRIGGER companies_fts_insert AFTER INSERT ON companies BEGIN
            INSERT INTO company_fts(rowid, name, domain, notes) VALUES (NEW.id, crm_fold(NEW.name), crm_fold(NEW.domain), crm_fold(NEW.notes));
        END;
        """,
        backfillSQL: "INSERT INTO company_fts(rowid, name, domain, notes) SELECT id, crm_fold(name), crm_fold(domain), crm_fold(notes) FROM companies WHERE id > ?",
        table: "companies")

    static let dealsFTS = InsertTrigger(
        name: "deals_fts_insert",
        createSQL: """
        CREATE TRIGGER deals_fts_insert AFTER INSERT ON deals BEGIN
            INSERT INTO deal_fts(rowid, title, lost_reason) VALUES (NEW.id, crm_fold(NEW.title), crm_fold(NEW.lost_reason));
        END;
        """,
        backfillSQL: "INSERT INTO deal_fts(rowid, title, lost_reason) SELECT id, crm_fold(title), crm_fold(lost_reason) FROM deals WHERE id > ?",
        table: "deals")

    static let interactionsFTS = InsertTrigger(
        name: "interactions_fts_insert",
        createSQL: """
        CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions WHEN NEW.kind != 'stage' BEGIN
            INSERT INTO interaction_fts(rowid, subject, body, outcome)
            VALUES (max(min(NEW.occurred_at, 4294967295), -4294967296) * 2147483648 + NEW.id,
                    crm_fold(NEW.subject), crm_fold(NEW.body), crm_fold(NEW.outcome));
        END;
        """,
        // Keyed by the interaction's place in the timeline (schema 30,
        // `InteractionTimelineKey`), in key order: FTS5 appends rather than
        // merges when rowids come in ascending order.
        backfillSQL: """
        INSERT INTO interaction_fts(rowid, subject, body, outcome)
        SELECT max(min(occurred_at, 4294967295), -4294967296) * 2147483648 + id, crm_fold(subject), crm_fold(body), crm_fold(outcome)
        FROM interactions WHERE id > ? AND kind != 'stage' ORDER BY 1
        """,
        table: "interactions")

    /// A contact's last interaction, for "last contacted" columns, sorting and
    /// the stay-in-touch cadence.
    static let interactionsTouchContact = InsertTrigger(
        name: "interactions_touch_contact",
        createSQL: """
        CREATE TRIGGER interactions_touch_contact AFTER INSERT ON interactions
        WHEN NEW.contact_id IS NOT NULL AND NEW.kind != 'stage' BEGIN
            UPDATE contacts SET last_interaction_at = NEW.occurred_at
            WHERE id = NEW.contact_id AND coalesce(last_interaction_at, 0) < NEW.occurred_at;
        END;
        """,
        // Raises, never lowers, like the trigger. One pass over the new rows
        // (NOT INDEXED: by rowid, not by a walk of the whole contact index),
        // grouped, and only the contacts whose last touch moves are written.
        backfillSQL: """
        UPDATE contacts SET last_interaction_at = n.latest
        FROM (SELECT contact_id, max(occurred_at) AS latest FROM interactions NOT INDEXED
              WHERE id > ? AND contact_id IS NOT NULL AND kind != 'stage'
              GROUP BY contact_id) AS n
        WHERE contacts.id = n.contact_id AND coalesce(contacts.last_interaction_at, 0) < n.latest
        """,
        table: "interactions")

    /// Since version 32: live interactions per author, kind and UTC day, for
    /// the People report (`SchemaV32ReportAggregates`). The backfill adds the
    /// new rows' counts to whatever the days held before the load.
    static let interactionReportDays = InsertTrigger(
        name: "report_interaction_days_insert",
        createSQL: """
        CREATE TRIGGER report_interaction_days_insert AFTER INSERT ON interactions
        WHEN NEW.deleted_at IS NULL AND NEW.author_id IS NOT NULL BEGIN
            INSERT INTO report_interaction_days(author_id, kind, day_start, interactions)
            VALUES (NEW.author_id, NEW.kind, NEW.occurred_at - (NEW.occurred_at % 86400 + 86400) % 86400, 1)
            ON CONFLICT(author_id, kind, day_start) DO UPDATE SET interactions = interactions + 1;
        END;
        """,
        backfillSQL: """
        INSERT INTO report_interaction_days(author_id, kind, day_start, interactions)
        SELECT author_id, kind, occurred_at - (occurred_at % 86400 + 86400) % 86400, count(*)
        FROM interactions NOT INDEXED WHERE id > ? AND deleted_at IS NULL AND author_id IS NOT NULL
        GROUP BY 1, 2, 3
        ON CONFLICT(author_id, kind, day_start) DO UPDATE SET interactions = interactions + excluded.interactions
        """,
        table: "interactions")

    /// Since version 40: each contact's live interactions in the stored
    /// 365-day window (`SchemaV40CustomerYearInteractions`), stage changes
    /// left out since version 66. The backfill
    /// adds the new rows' counts to whatever the contacts held before.
    static let contactYearInteractions = InsertTrigger(
        name: "contact_year_interactions_insert",
        createSQL: """
        CREATE TRIGGER contact_year_interactions_insert AFTER INSERT ON interactions
        WHEN NEW.deleted_at IS NULL AND NEW.contact_id IS NOT NULL AND NEW.kind <> 'stage' BEGIN
            INSERT INTO contact_year_interactions(contact_id, interactions)
            SELECT NEW.contact_id, 1 FROM contact_year_window w
            WHERE w.id = 1 AND NEW.occurred_at >= w.as_of - 31536000 AND NEW.occurred_at < w.as_of
            ON CONFLICT(contact_id) DO UPDATE SET interactions = interactions + 1;
        END;
        """,
        backfillSQL: """
        INSERT INTO contact_year_interactions(contact_id, interactions)
        SELECT i.contact_id, count(*) FROM interactions i NOT INDEXED, contact_year_window w
        WHERE i.id > ? AND w.id = 1 AND i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
          AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of
        GROUP BY i.contact_id
        ON CONFLICT(contact_id) DO UPDATE SET interactions = interactions + excluded.interactions
        """,
        table: "interactions")

    /// Since version 32: live, not cancelled follow-ups per assignee and UTC
    /// day of their due time, with how many were done on time and late.
    static let followUpReportDays = InsertTrigger(
        name: "report_follow_up_days_insert",
        createSQL: """
        CREATE TRIGGER report_follow_up_days_insert AFTER INSERT ON follow_ups
        WHEN NEW.deleted_at IS NULL AND NEW.assignee_id IS NOT NULL AND NEW.status <> 'cancelled' BEGIN
            INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
            VALUES (NEW.assignee_id, NEW.due_at - (NEW.due_at % 86400 + 86400) % 86400, 1,
                    coalesce(NEW.status = 'done' AND NEW.done_at <= NEW.due_at, 0), coalesce(NEW.status = 'done' AND NEW.done_at > NEW.due_at, 0))
            ON CONFLICT(assignee_id, day_start) DO UPDATE SET due = due + 1, done_on_time = done_on_time + excluded.done_on_time,
                done_late = done_late + excluded.done_late;
        END;
        """,
        backfillSQL: """
        INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
        SELECT assignee_id, due_at - (due_at % 86400 + 86400) % 86400, count(*),
               coalesce(sum(status = 'done' AND done_at <= due_at), 0), coalesce(sum(status = 'done' AND done_at > due_at), 0)
        FROM follow_ups NOT INDEXED WHERE id > ? AND deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled'
        GROUP BY 1, 2
        ON CONFLICT(assignee_id, day_start) DO UPDATE SET due = due + excluded.due,
            done_on_time = done_on_time + excluded.done_on_time, done_late = done_late + excluded.done_late
        """,
        table: "follow_ups")
    /// Since version 33: each live deal's card text for the board's search
    /// (`SchemaV33DealCardSearch`), read from `deal_card_text` after every
    /// email and tag of the load exists.
    static let dealsCardFTS = InsertTrigger(
        name: "deals_card_fts_insert",
        createSQL: """
        CREATE TRIGGER deals_card_fts_insert AFTER INSERT ON deals BEGIN
            INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                      contact_name, contact_company, contact_emails, contact_extra, place)
            SELECT id, title, lost_reason, company_name, company_domain, company_notes,
                   contact_name, contact_company, contact_emails, contact_extra, place
            FROM deal_card_text WHERE id = NEW.id;
        END;
        """,
        backfillSQL: """
        INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                  contact_name, contact_company, contact_emails, contact_extra, place)
        SELECT id, title, lost_reason, company_name, company_domain, company_notes,
               contact_name, contact_company, contact_emails, contact_extra, place
        FROM deal_card_text WHERE id > ? ORDER BY id
        """,
        table: "deals")

    /// A contact's new email or tag changes its deals' card text; a bulk
    /// load adds them only to contacts it inserts, whose deals (inserted by
    /// the same load) the deals' backfill writes, so these are suspended too.
    /// An import's merge into an existing contact sets its `updated_at`,
    /// whose trigger (not suspended) writes that contact's deals again.
    static let contactEmailsCardFTS = InsertTrigger(
        name: "contact_emails_card_fts_insert",
        createSQL: """
        CREATE TRIGGER contact_emails_card_fts_insert AFTER INSERT ON contact_emails BEGIN
            DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = NEW.contact_id AND deleted_at IS NULL);
            INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                      contact_name, contact_company, contact_emails, contact_extra, place)
            SELECT id, title, lost_reason, company_name, company_domain, company_notes,
                   contact_name, contact_company, contact_emails, contact_extra, place
            FROM deal_card_text WHERE contact_id = NEW.contact_id;
        END;
        """,
        backfillSQL: nil, table: "contact_emails")

    static let contactTagsCardFTS = InsertTrigger(
        name: "contact_tags_card_fts_insert",
        createSQL: """
        CREATE TRIGGER contact_tags_card_fts_insert AFTER INSERT ON contact_tags BEGIN
            DELETE FROM deal_card_fts WHERE rowid IN (SELECT id FROM deals WHERE contact_id = NEW.contact_id AND deleted_at IS NULL);
            INSERT INTO deal_card_fts(rowid, title, lost_reason, company_name, company_domain, company_notes,
                                      contact_name, contact_company, contact_emails, contact_extra, place)
            SELECT id, title, lost_reason, company_name, company_domain, company_notes,
                   contact_name, contact_company, contact_emails, contact_extra, place
            FROM deal_card_text WHERE contact_id = NEW.contact_id;
        END;
        """,
        backfillSQL: nil, table: "contact_tags")

    /// The FTS5 tables the backfills write to.
    static let ftsTables = ["contact_fts", "company_fts", "deal_fts", "interaction_fts", "phone_fts", "phone_e164_fts", "deal_card_fts"]
    /// FTS5's default automerge setting, which the schema keeps.
    static let ftsAutomerge = 4

    /// Every trigger a bulk load may suspend, in the order their backfills run
    /// (contacts' search text after all emails and tags exist).
    static let all: [InsertTrigger] = [
        contactsFTS, contactNameWords, contactEmailsFTS, contactTagsFTS, contactPhonesFTS, contactPhonesE164FTS, companiesFTS, dealsFTS,
        interactionsFTS, interactionsTouchContact, interactionReportDays, contactYearInteractions, followUpReportDays,
        dealsCardFTS, contactEmailsCardFTS, contactTagsCardFTS,
    ]
}
