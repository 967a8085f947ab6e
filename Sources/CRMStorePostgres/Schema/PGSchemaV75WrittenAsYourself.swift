// Schema 75 on PostgreSQL: a rep or a manager writes only as themselves, and
// deletes for good only the contacts and companies of their own import
// (QA 33 #2, #3). Before it, a rep with psql could add audit entries and
// notes in a colleague's name (`crm audit` showed them as the colleague's),
// re-credit a colleague's call, and delete any imported contact for good,
// or first mark any contact imported and then delete it, with no trace.
//
// - audit_log: each row a rep's or a manager's session adds names them
//   (user_id is set to theirs, whatever the statement said).
// - interactions.author_id, deal_stage_history.changed_by and
//   import_batches.user_id: a row may name only the session's own user (or
//   nobody); naming a colleague, or changing who a stored row names, is
//   refused (insufficient_privilege).
// - contacts.batch_id and companies.batch_id are set when a row is imported
//   and never changed by a rep or a manager; the DELETE policy allows a
//   rep's or a manager's session only the rows of an import batch that is
//   their own (an admin: any row, as before).
// Admins, the database's owner and superusers (the program, acting for
// someone with --user) are not limited. The session's CRM user is the
// users row whose login is session_user, as everywhere in the roles.
// Every statement may run again over its own result (CREATE OR REPLACE,
// DROP ... IF EXISTS), like step 70's.
//
// FROZEN: part of shipped schema 75 on PostgreSQL; a change is a new step.
enum PGSchemaV75WrittenAsYourself {
    static let sql = """
    -- The users row of a session limited to writing as itself, or NULL for
    -- the program and admins (who may write for anyone).
    CREATE OR REPLACE FUNCTION crm_limited_session_user() RETURNS bigint LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN pg_has_role(session_user, 'crm_rep', 'USAGE') AND NOT pg_has_role(session_user, 'crm_admin', 'USAGE')
                    THEN coalesce((SELECT id FROM users WHERE login = session_user), -1) END
    $$;

    CREATE OR REPLACE FUNCTION crm_audit_as_session() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE me bigint := crm_limited_session_user();
    BEGIN
        IF me IS NOT NULL THEN NEW.user_id := me; END IF;
        RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS audit_log_as_session ON audit_log;
    CREATE TRIGGER audit_log_as_session BEFORE INSERT ON audit_log
        FOR EACH ROW EXECUTE FUNCTION crm_audit_as_session();

    -- TG_ARGV[0]: the column naming a user.
    CREATE OR REPLACE FUNCTION crm_names_only_session() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        me bigint := crm_limited_session_user();
        named bigint := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    BEGIN
        IF me IS NULL THEN RETURN NEW; END IF;
        IF TG_OP = 'UPDATE' THEN
            IF named IS DISTINCT FROM (to_jsonb(OLD) ->> TG_ARGV[0])::bigint THEN
                RAISE EXCEPTION 'only an admin changes who a stored % names', TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        ELSIF named IS NOT NULL AND named <> me THEN
            RAISE EXCEPTION 'you write % only in your own name', TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS interactions_author_is_session ON interactions;
    CREATE TRIGGER interactions_author_is_session BEFORE INSERT OR UPDATE OF author_id ON interactions
        FOR EACH ROW EXECUTE FUNCTION crm_names_only_session('author_id');
    DROP TRIGGER IF EXISTS deal_stage_history_by_session ON deal_stage_history;
    CREATE TRIGGER deal_stage_history_by_session BEFORE INSERT OR UPDATE OF changed_by ON deal_stage_history
        FOR EACH ROW EXECUTE FUNCTION crm_names_only_session('changed_by');
    DROP TRIGGER IF EXISTS import_batches_by_session ON import_batches;
    CREATE TRIGGER import_batches_by_session BEFORE INSERT OR UPDATE OF user_id ON import_batches
        FOR EACH ROW EXECUTE FUNCTION crm_names_only_session('user_id');

    CREATE OR REPLACE FUNCTION crm_batch_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF crm_limited_session_user() IS NOT NULL THEN
            RAISE EXCEPTION 'only an admin changes which import a stored % came from', TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS contacts_batch_is_kept ON contacts;
    CREATE TRIGGER contacts_batch_is_kept BEFORE UPDATE OF batch_id ON contacts
        FOR EACH ROW WHEN (NEW.batch_id IS DISTINCT FROM OLD.batch_id) EXECUTE FUNCTION crm_batch_is_kept();
    DROP TRIGGER IF EXISTS companies_batch_is_kept ON companies;
    CREATE TRIGGER companies_batch_is_kept BEFORE UPDATE OF batch_id ON companies
        FOR EACH ROW WHEN (NEW.batch_id IS DISTINCT FROM OLD.batch_id) EXECUTE FUNCTION crm_batch_is_kept();

    ALTER POLICY crm_delete ON contacts USING (pg_has_role(session_user, 'crm_admin', 'USAGE')
        OR batch_id IN (SELECT b.id FROM import_batches b WHERE b.user_id = crm_limited_session_user()));
    ALTER POLICY crm_delete ON companies USING (pg_has_role(session_user, 'crm_admin', 'USAGE')
        OR batch_id IN (SELECT b.id FROM import_batches b WHERE b.user_id = crm_limited_session_user()));
    """
}
