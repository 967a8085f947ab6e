import CRMRepositories

// PostgreSQL schema step 76: the tables the database keeps from the others
// (the board's totals, the report and duplicate counts, the ranking keys,
// the name words, the live-refresh counters, the interaction windows) are
// written by the database's own functions only, never by a CRM role
// directly (QA 33 #1). Before, a rep with psql could add a thousand deals to
// a stage's total on the manager's board, empty the name words, or delete
// the report's stage stays, and no audit entry told.
//
// - Every function of the CRM that writes (its trigger functions and the
//   recounts they and the program call) runs as its owner, the database's
//   owner: SECURITY DEFINER, with a search path of public and then pg_temp,
//   so that a temporary table of the session cannot stand in for one of
//   these. The few trigger functions that only check the session
//   (`crm_check_reassign`, `crm_own_change`, step 75's) stay as they were.
// - The CRM's groups keep reading these tables and lose INSERT, UPDATE,
//   DELETE and TRUNCATE on them.
// - The recounts that take arguments may be run only by the owner (and so by
//   the triggers); those the program runs in a user's session stay open to
//   all: each counts again from the rows, whatever its caller.
// - The two daily window moves, which a writer's session ran as statements,
//   are functions here (`crm_contact_year_window_move`,
//   `crm_customer_activity_window_move`), with the same statements.
//
// Still written by the program in a user's session, so still writable by a
// rep: the search documents (`contact_search`, `company_search`; built in
// Swift so they fold words exactly as SQLite's index does) and the value
// tiers' policy (`value_tier_state`; it comes from the opener's settings).
//
// A function replaced by a later step keeps none of this unless the step
// says it again: PGDerivedTablesTests checks every function and table.
//
// CREATE OR REPLACE, ALTER and REVOKE: it can run twice. SQLite's step 76
// is empty: a file has no roles.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV76DerivedTablesKeptByTheDatabase {
    /// The tables only the database's functions write.
    static let tables = [
        "change_counters", "contact_email_key_counts", "contact_name_key_counts", "contact_name_pair_members", "contact_name_pairs",
        "contact_name_words", "contact_phone_key_counts", "contact_year_interactions", "contact_year_window", "customer_activity",
        "customer_activity_window", "customer_rank_keys", "customer_won_values", "customer_won_values_dirty", "deal_board_totals",
        "report_deal_seen", "report_follow_up_days", "report_interaction_days", "report_stage_stays",
    ]

    /// The trigger functions that write nothing and check the session: they
    /// run as the session's role.
    static let checksOnly = ["crm_check_reassign", "crm_own_change", "crm_names_only_session", "crm_audit_as_session", "crm_batch_is_kept"]

    /// The functions the program calls in a user's session.
    static let calledByTheProgram = [
        "crm_name_pairs_decide(text, bigint)", "crm_customer_won_values_refreshed()", "crm_value_tier_rank_all()",
        "crm_contact_year_window_move(bigint)", "crm_customer_activity_window_move(bigint)",
    ]

    static let revokes = """
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON \(tables.joined(separator: ", ")) FROM crm_rep, crm_manager, crm_admin;
        """

    static let sql = """
    -- The year window's move (was PGCustomerYearInteractions.moveWindow's
    -- statements): the contacts with interactions in the slices passed are
    -- counted again, the rest keep their counts; a move of a year or more
    -- counts everyone again. Its lock waits for the writers counting into
    -- the old window (the caller's lock_timeout).
    CREATE OR REPLACE FUNCTION crm_contact_year_window_move(target bigint) RETURNS void LANGUAGE plpgsql AS $fn$
    DECLARE
        seen bigint;
        year constant bigint := \(InteractionYearWindow.year);
        lo bigint;
        hi bigint;
    BEGIN
        LOCK TABLE contact_year_window IN ACCESS EXCLUSIVE MODE;
        SELECT as_of INTO seen FROM contact_year_window WHERE id = 1;
        IF seen IS NULL OR seen = target THEN RETURN; END IF;
        IF abs(target - seen) < year THEN
            lo := least(seen, target);
            hi := greatest(seen, target);
        END IF;
        -- The counts' rows lock their contacts NOWAIT (step 69's key rows).
        PERFORM set_config('crm.window_move', 'on', true);
        IF lo IS NOT NULL THEN
            EXECUTE $q$\(PGCustomerYearInteractions.recountSQL(slices: true))$q$ USING target, year, lo, hi;
        ELSE
            EXECUTE $q$\(PGCustomerYearInteractions.recountSQL(slices: false))$q$ USING target, year;
        END IF;
        UPDATE contact_year_window SET as_of = target WHERE id = 1;
        -- The stored won values' deals of the window (step 69).
        PERFORM crm_customer_won_values_move_year(lo, hi);
    END $fn$;

    -- The at-risk list's window (was PGCustomerActivity.moveWindow's).
    CREATE OR REPLACE FUNCTION crm_customer_activity_window_move(target bigint) RETURNS void LANGUAGE plpgsql AS $fn$
    DECLARE
        seen bigint;
        half constant bigint := \(CustomerActivityWindow.half);
    BEGIN
        LOCK TABLE customer_activity_window IN ACCESS EXCLUSIVE MODE;
        SELECT as_of INTO seen FROM customer_activity_window WHERE id = 1;
        IF seen IS NULL OR seen = target THEN RETURN; END IF;
        UPDATE customer_activity_window SET as_of = target WHERE id = 1;
        IF abs(target - seen) < half THEN
            EXECUTE $q$\(PGCustomerActivity.moveSQL(slices: true))$q$
                USING least(seen, target), greatest(seen, target), CASE WHEN target >= seen THEN 1 ELSE -1 END::bigint, half;
        ELSE
            EXECUTE $q$\(PGCustomerActivity.moveSQL(slices: false))$q$;
        END IF;
    END $fn$;

    DO $do$
    DECLARE f regprocedure;
    BEGIN
        FOR f IN
            SELECT p.oid::regprocedure FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'crm\\_%' AND p.provolatile = 'v'
              AND p.proname NOT IN ('\(checksOnly.joined(separator: "', '"))')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        LOOP
            EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = public, pg_temp', f);
            IF f::text NOT IN ('\(calledByTheProgram.map { $0.replacingOccurrences(of: ", ", with: ",") }.joined(separator: "', '"))')
               AND (SELECT prorettype FROM pg_proc WHERE oid = f) <> 'trigger'::regtype THEN
                EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
            END IF;
        END LOOP;
    END $do$;

    \(revokes)
    """
}
