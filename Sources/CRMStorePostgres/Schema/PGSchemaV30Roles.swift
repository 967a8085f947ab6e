// Schema 30 on PostgreSQL, the roles: the CRM's roles (CRMCore `Role`,
// `Permission`) enforced by the database itself, so that a rep connecting
// with psql, or any other program, can do no more than in crm.
//
// Three group roles, nested so each has the rights of the one below:
// crm_rep ⊂ crm_manager ⊂ crm_admin. A CRM user is a login role of the same
// name as users.login, member of the group of its CRM role (PGUserRepository
// keeps both in step, in the same transaction). Group roles belong to the
// whole server, not to one database: one server (cluster) is meant to hold
// one CRM; the grants below are per database.
//
// What the database refuses, by role (Permission in CRMCore):
// - rep: pipelines and stages (managePipelines, changeStageSettings), users
//   (manageUsers), shared settings (changeSharedSettings), handovers
//   (reassignRecords), deleting records for good (emptyTrash; a rep may only
//   delete the contacts and companies of an import when undoing it: a
//   row-level policy), rewriting the audit trail, and changing the owner or
//   assignee of someone else's record (a row trigger: the check needs the
//   old row, which policies cannot see).
// - manager: as a rep, but may hand over and reassign.
// - admin: everything.
// The database owner and superusers are not CRM users: they run migrations,
// moves and fills (the program acting for itself).
//
// FROZEN: part of shipped schema 30 on PostgreSQL; a change is a new step.
enum PGSchemaV30Roles {
    static let sql = """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crm_rep') THEN CREATE ROLE crm_rep NOLOGIN; END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crm_manager') THEN CREATE ROLE crm_manager NOLOGIN; END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crm_admin') THEN CREATE ROLE crm_admin NOLOGIN; END IF;
        IF NOT pg_has_role('crm_manager', 'crm_rep', 'MEMBER') THEN GRANT crm_rep TO crm_manager; END IF;
        IF NOT pg_has_role('crm_admin', 'crm_manager', 'MEMBER') THEN GRANT crm_manager TO crm_admin; END IF;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the database user that creates the CRM schema must be allowed to create roles (CREATEROLE or superuser)';
    END $$;

    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO crm_rep;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO crm_rep;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO crm_rep;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO crm_rep;
    REVOKE INSERT, UPDATE, DELETE ON pipelines, stages, users, shared_settings, handovers, handover_items, crm_schema FROM crm_rep;
    REVOKE UPDATE, DELETE ON audit_log FROM crm_rep;
    REVOKE DELETE ON deals, deal_stage_history, interactions, follow_ups FROM crm_rep;
    REVOKE UPDATE, DELETE ON crm_commits FROM crm_rep;
    GRANT INSERT, UPDATE ON handovers, handover_items TO crm_manager;
    -- Anyone may read the schema version: a role no admin added to the CRM
    -- is then told so, and an old crm hears the schema is too new.
    GRANT SELECT ON crm_schema TO PUBLIC;
    GRANT ALL ON ALL TABLES IN SCHEMA public TO crm_admin;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO crm_admin;

    -- Deleting contacts and companies for good is the admin's (emptying the
    -- trash); anyone may delete the rows of an import they undo.
    ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
    ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
    CREATE POLICY crm_read ON contacts FOR SELECT USING (true);
    CREATE POLICY crm_add ON contacts FOR INSERT WITH CHECK (true);
    CREATE POLICY crm_change ON contacts FOR UPDATE USING (true) WITH CHECK (true);
    CREATE POLICY crm_delete ON contacts FOR DELETE
        USING (batch_id IS NOT NULL OR pg_has_role(session_user, 'crm_admin', 'USAGE'));
    CREATE POLICY crm_read ON companies FOR SELECT USING (true);
    CREATE POLICY crm_add ON companies FOR INSERT WITH CHECK (true);
    CREATE POLICY crm_change ON companies FOR UPDATE USING (true) WITH CHECK (true);
    CREATE POLICY crm_delete ON companies FOR DELETE
        USING (batch_id IS NOT NULL OR pg_has_role(session_user, 'crm_admin', 'USAGE'));

    -- A rep may give away a record of their own, or take one nobody owns,
    -- but not move someone else's (Permission.reassignRecords).
    CREATE FUNCTION crm_check_reassign() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        old_owner bigint := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
    BEGIN
        IF old_owner IS NOT NULL
           AND pg_has_role(session_user, 'crm_rep', 'USAGE')
           AND NOT pg_has_role(session_user, 'crm_manager', 'USAGE')
           AND old_owner IS DISTINCT FROM (SELECT id FROM users WHERE login = session_user) THEN
            RAISE EXCEPTION 'only a manager or an admin reassigns others'' records'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER contacts_check_reassign BEFORE UPDATE OF owner_id ON contacts
        FOR EACH ROW WHEN (NEW.owner_id IS DISTINCT FROM OLD.owner_id) EXECUTE FUNCTION crm_check_reassign('owner_id');
    CREATE TRIGGER companies_check_reassign BEFORE UPDATE OF owner_id ON companies
        FOR EACH ROW WHEN (NEW.owner_id IS DISTINCT FROM OLD.owner_id) EXECUTE FUNCTION crm_check_reassign('owner_id');
    CREATE TRIGGER deals_check_reassign BEFORE UPDATE OF owner_id ON deals
        FOR EACH ROW WHEN (NEW.owner_id IS DISTINCT FROM OLD.owner_id) EXECUTE FUNCTION crm_check_reassign('owner_id');
    CREATE TRIGGER follow_ups_check_reassign BEFORE UPDATE OF assignee_id ON follow_ups
        FOR EACH ROW WHEN (NEW.assignee_id IS DISTINCT FROM OLD.assignee_id) EXECUTE FUNCTION crm_check_reassign('assignee_id');
    """
}
