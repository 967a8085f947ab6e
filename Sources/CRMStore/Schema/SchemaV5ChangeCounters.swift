import CRMRepositories
/// Schema step 5: which kinds of records other users changed. `PRAGMA
/// data_version` says cheaply *that* another connection committed; these
/// counters say *what*: one row per kind of record (the names of
/// `ChangeSet.kinds`), bumped by an AFTER INSERT/UPDATE/DELETE trigger on each
/// table of that kind. The screen compares them with the ones it saw last,
/// only when data_version moved, and reloads only the panes that read a kind
/// that changed.
///
/// A contact's emails, phones and tags count as the contact; a deal's stage
/// history as the deal; stages as their pipeline. A new interaction with a
/// contact also bumps `contacts`, through the trigger that moves the contact's
/// last-contact time (lists show it).
///
/// BulkLoader drops the `change_counter_*` triggers for the length of a bulk
/// load (reading their definitions back from the schema) and bumps every
/// counter once at the end instead.
///
/// Frozen: this text is what step 5 was; a later change is a new step.
enum SchemaV5ChangeCounters {
    static let sql = """
    CREATE TABLE change_counters (
        kind TEXT PRIMARY KEY,
        counter INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    INSERT INTO change_counters(kind) VALUES
        ('contacts'), ('companies'), ('interactions'), ('follow_ups'), ('deals'), ('pipelines'), ('users');
    CREATE TRIGGER change_counter_users_insert AFTER INSERT ON users BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'users'; END;
    CREATE TRIGGER change_counter_users_update AFTER UPDATE ON users BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'users'; END;
    CREATE TRIGGER change_counter_users_delete AFTER DELETE ON users BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'users'; END;
    CREATE TRIGGER change_counter_companies_insert AFTER INSERT ON companies BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'companies'; END;
    CREATE TRIGGER change_counter_companies_update AFTER UPDATE ON companies BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'companies'; END;
    CREATE TRIGGER change_counter_companies_delete AFTER DELETE ON companies BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'companies'; END;
    CREATE TRIGGER change_counter_contacts_insert AFTER INSERT ON contacts BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contacts_update AFTER UPDATE ON contacts BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contacts_delete AFTER DELETE ON contacts BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_emails_insert AFTER INSERT ON contact_emails BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_emails_update AFTER UPDATE ON contact_emails BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_emails_delete AFTER DELETE ON contact_emails BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_phones_insert AFTER INSERT ON contact_phones BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_phones_update AFTER UPDATE ON contact_phones BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_phones_delete AFTER DELETE ON contact_phones BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_tags_insert AFTER INSERT ON tags BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_tags_update AFTER UPDATE ON tags BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_tags_delete AFTER DELETE ON tags BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_tags_insert AFTER INSERT ON contact_tags BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_tags_update AFTER UPDATE ON contact_tags BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_contact_tags_delete AFTER DELETE ON contact_tags BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'contacts'; END;
    CREATE TRIGGER change_counter_pipelines_insert AFTER INSERT ON pipelines BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'pipelines'; END;
    CREATE TRIGGER change_counter_pipelines_update AFTER UPDATE ON pipelines BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'pipelines'; END;
    CREATE TRIGGER change_counter_pipelines_delete AFTER DELETE ON pipelines BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'pipelines'; END;
    CREATE TRIGGER change_counter_stages_insert AFTER INSERT ON stages BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'pipelines'; END;
    CREATE TRIGGER change_counter_stages_update AFTER UPDATE ON stages BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'pipelines'; END;
    CREATE TRIGGER change_counter_stages_delete AFTER DELETE ON stages BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'pipelines'; END;
    CREATE TRIGGER change_counter_deals_insert AFTER INSERT ON deals BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'deals'; END;
    CREATE TRIGGER change_counter_deals_update AFTER UPDATE ON deals BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'deals'; END;
    CREATE TRIGGER change_counter_deals_delete AFTER DELETE ON deals BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'deals'; END;
    CREATE TRIGGER change_counter_deal_stage_history_insert AFTER INSERT ON deal_stage_history BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'deals'; END;
    CREATE TRIGGER change_counter_deal_stage_history_update AFTER UPDATE ON deal_stage_history BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'deals'; END;
    CREATE TRIGGER change_counter_deal_stage_history_delete AFTER DELETE ON deal_stage_history BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'deals'; END;
    CREATE TRIGGER change_counter_interactions_insert AFTER INSERT ON interactions BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'interactions'; END;
    CREATE TRIGGER change_counter_interactions_update AFTER UPDATE ON interactions BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'interactions'; END;
    CREATE TRIGGER change_counter_interactions_delete AFTER DELETE ON interactions BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'interactions'; END;
    CREATE TRIGGER change_counter_follow_ups_insert AFTER INSERT ON follow_ups BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'follow_ups'; END;
    CREATE TRIGGER change_counter_follow_ups_update AFTER UPDATE ON follow_ups BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'follow_ups'; END;
    CREATE TRIGGER change_counter_follow_ups_delete AFTER DELETE ON follow_ups BEGIN UPDATE change_counters SET counter = counter + 1 WHERE kind = 'follow_ups'; END;
    """
}
