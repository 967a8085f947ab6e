// Schema 30 on PostgreSQL, the session parts: what a session needs to
// survive a dropped connection and to tell its own writes from others'.
//
// `crm_commits`: every outermost transaction that wrote inserts one row
// with a token of its own (a UUID made by the client) just before COMMIT.
// When the connection drops during COMMIT, nobody knows whether the
// transaction committed; after reconnecting, the engine inserts the same
// token first in the retry: a conflict means the first attempt committed
// (so it is not applied twice), a successful insert means it did not (so it
// is not lost), and an insert that waits means the first attempt is still
// being decided by the server (the unique index makes it wait for that).
//
// `crm_own_change`: a second statement-level trigger beside the change feed,
// counting this transaction's own increments of each change counter in a
// transaction-local setting (`crm.own_<kind>`). Read just before COMMIT, it
// lets the polling fallback of the change feed leave out this session's own
// writes exactly, without locks.
//
// FROZEN: part of shipped schema 30 on PostgreSQL; a change is a new step.
enum PGSchemaV30Sessions {
    static let sql = """
    CREATE TABLE crm_commits (
        token text PRIMARY KEY,
        committed_at bigint NOT NULL
    );
    CREATE INDEX crm_commits_by_age ON crm_commits(committed_at);

    CREATE FUNCTION crm_own_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        name text := 'crm.own_' || TG_ARGV[0];
    BEGIN
        PERFORM set_config(name, (coalesce(nullif(current_setting(name, true), ''), '0')::bigint + 1)::text, true);
        RETURN NULL;
    END $$;
    CREATE TRIGGER own_change_users AFTER INSERT OR UPDATE OR DELETE ON users
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('users');
    CREATE TRIGGER own_change_companies AFTER INSERT OR UPDATE OR DELETE ON companies
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('companies');
    CREATE TRIGGER own_change_contacts AFTER INSERT OR UPDATE OR DELETE ON contacts
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('contacts');
    CREATE TRIGGER own_change_contact_emails AFTER INSERT OR UPDATE OR DELETE ON contact_emails
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('contacts');
    CREATE TRIGGER own_change_contact_phones AFTER INSERT OR UPDATE OR DELETE ON contact_phones
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('contacts');
    CREATE TRIGGER own_change_tags AFTER INSERT OR UPDATE OR DELETE ON tags
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('contacts');
    CREATE TRIGGER own_change_contact_tags AFTER INSERT OR UPDATE OR DELETE ON contact_tags
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('contacts');
    CREATE TRIGGER own_change_pipelines AFTER INSERT OR UPDATE OR DELETE ON pipelines
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('pipelines');
    CREATE TRIGGER own_change_stages AFTER INSERT OR UPDATE OR DELETE ON stages
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('pipelines');
    CREATE TRIGGER own_change_deals AFTER INSERT OR UPDATE OR DELETE ON deals
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('deals');
    CREATE TRIGGER own_change_deal_stage_history AFTER INSERT OR UPDATE OR DELETE ON deal_stage_history
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('deals');
    CREATE TRIGGER own_change_interactions AFTER INSERT OR UPDATE OR DELETE ON interactions
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('interactions');
    CREATE TRIGGER own_change_follow_ups AFTER INSERT OR UPDATE OR DELETE ON follow_ups
        FOR EACH STATEMENT EXECUTE FUNCTION crm_own_change('follow_ups');
    """
}
