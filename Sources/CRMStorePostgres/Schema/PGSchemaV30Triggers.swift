// PostgreSQL schema step 30, part 2: the triggers that keep data right
// whichever path writes it, as the SQLite schema's triggers do: a contact's
// last interaction, the lifecycle history, the value tiers' staleness mark,
// and the change feed (a counter per kind for polling, and a notification on
// channel `crm_changes` with the kind as payload, delivered at commit).
//
// The change feed fires once per statement, not per row: a 100,000-row
// import sends one notification per kind, and the counters' rows are locked
// once per statement. The counter is read by pollers only after the writing
// transaction commits, so a poll never sees a change before its rows.
//
// FROZEN: part of shipped schema 30 on PostgreSQL; a change is a new step.
enum PGSchemaV30Triggers {
    static let sql = """
    CREATE FUNCTION crm_touch_contact() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.contact_id IS NOT NULL AND NEW.kind <> 'stage' THEN
            UPDATE contacts SET last_interaction_at = NEW.occurred_at
            WHERE id = NEW.contact_id AND coalesce(last_interaction_at, 0) < NEW.occurred_at;
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER interactions_touch_contact AFTER INSERT ON interactions
        FOR EACH ROW EXECUTE FUNCTION crm_touch_contact();

    CREATE FUNCTION crm_untouch_contact() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.contact_id IS NOT NULL OR OLD.contact_id IS NOT NULL THEN
            UPDATE contacts SET last_interaction_at = (
                SELECT max(occurred_at) FROM interactions i
                WHERE i.contact_id = contacts.id AND i.deleted_at IS NULL AND i.kind <> 'stage')
            WHERE id IN (NEW.contact_id, OLD.contact_id);
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER interactions_untouch_contact AFTER UPDATE OF deleted_at, occurred_at, contact_id ON interactions
        FOR EACH ROW WHEN (NEW.deleted_at IS DISTINCT FROM OLD.deleted_at OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at
                           OR NEW.contact_id IS DISTINCT FROM OLD.contact_id)
        EXECUTE FUNCTION crm_untouch_contact();

    CREATE FUNCTION crm_lifecycle_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO contact_lifecycle_history(contact_id, from_lifecycle, to_lifecycle, changed_at)
        VALUES (NEW.id, OLD.lifecycle, NEW.lifecycle, NEW.updated_at);
        RETURN NULL;
    END $$;
    CREATE TRIGGER contacts_lifecycle_history AFTER UPDATE OF lifecycle ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle <> NEW.lifecycle) EXECUTE FUNCTION crm_lifecycle_history();

    -- Any change to won value or to who is a customer marks the tiers stale;
    -- they are worked out again before the writing transaction commits.
    CREATE FUNCTION crm_value_tiers_stale() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE value_tier_state SET stale = 1 WHERE stale = 0;
        RETURN NULL;
    END $$;
    CREATE TRIGGER value_tier_stale_deal_insert AFTER INSERT ON deals
        FOR EACH ROW WHEN (NEW.status = 'won') EXECUTE FUNCTION crm_value_tiers_stale();
    CREATE TRIGGER value_tier_stale_deal_update
        AFTER UPDATE OF status, value_minor, currency, contact_id, company_id, deleted_at ON deals
        FOR EACH ROW WHEN (OLD.status = 'won' OR NEW.status = 'won') EXECUTE FUNCTION crm_value_tiers_stale();
    CREATE TRIGGER value_tier_stale_deal_delete AFTER DELETE ON deals
        FOR EACH ROW WHEN (OLD.status = 'won') EXECUTE FUNCTION crm_value_tiers_stale();
    CREATE TRIGGER value_tier_stale_contact_insert AFTER INSERT ON contacts
        FOR EACH ROW WHEN (NEW.lifecycle = 'customer') EXECUTE FUNCTION crm_value_tiers_stale();
    CREATE TRIGGER value_tier_stale_contact_update AFTER UPDATE OF lifecycle, company_id, deleted_at ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle = 'customer' OR NEW.lifecycle = 'customer') EXECUTE FUNCTION crm_value_tiers_stale();
    CREATE TRIGGER value_tier_stale_contact_delete AFTER DELETE ON contacts
        FOR EACH ROW WHEN (OLD.lifecycle = 'customer') EXECUTE FUNCTION crm_value_tiers_stale();

    -- The change feed: TG_ARGV[0] is the kind a table's rows belong to
    -- (emails, phones and tags are part of contacts; stages of pipelines;
    -- stage history of deals), as on SQLite.
    CREATE FUNCTION crm_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE change_counters SET counter = counter + 1 WHERE kind = TG_ARGV[0];
        PERFORM pg_notify('crm_changes', TG_ARGV[0]);
        RETURN NULL;
    END $$;
    CREATE TRIGGER change_feed_users AFTER INSERT OR UPDATE OR DELETE ON users
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('users');
    CREATE TRIGGER change_feed_companies AFTER INSERT OR UPDATE OR DELETE ON companies
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('companies');
    CREATE TRIGGER change_feed_contacts AFTER INSERT OR UPDATE OR DELETE ON contacts
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('contacts');
    CREATE TRIGGER change_feed_contact_emails AFTER INSERT OR UPDATE OR DELETE ON contact_emails
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('contacts');
    CREATE TRIGGER change_feed_contact_phones AFTER INSERT OR UPDATE OR DELETE ON contact_phones
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('contacts');
    CREATE TRIGGER change_feed_tags AFTER INSERT OR UPDATE OR DELETE ON tags
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('contacts');
    CREATE TRIGGER change_feed_contact_tags AFTER INSERT OR UPDATE OR DELETE ON contact_tags
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('contacts');
    CREATE TRIGGER change_feed_pipelines AFTER INSERT OR UPDATE OR DELETE ON pipelines
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('pipelines');
    CREATE TRIGGER change_feed_stages AFTER INSERT OR UPDATE OR DELETE ON stages
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('pipelines');
    CREATE TRIGGER change_feed_deals AFTER INSERT OR UPDATE OR DELETE ON deals
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('deals');
    CREATE TRIGGER change_feed_deal_stage_history AFTER INSERT OR UPDATE OR DELETE ON deal_stage_history
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('deals');
    CREATE TRIGGER change_feed_interactions AFTER INSERT OR UPDATE OR DELETE ON interactions
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('interactions');
    CREATE TRIGGER change_feed_follow_ups AFTER INSERT OR UPDATE OR DELETE ON follow_ups
        FOR EACH STATEMENT EXECUTE FUNCTION crm_changed('follow_ups');
    """
}
