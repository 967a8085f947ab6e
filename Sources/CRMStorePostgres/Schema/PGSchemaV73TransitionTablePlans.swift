// PostgreSQL schema step 73: the statement triggers that joined a
// statement's old rows to its new rows no longer keep one cached plan for
// every size of statement.
//
// A PL/pgSQL function plans each of its statements once per session and
// keeps the plan. A transition table's row count is known when a statement
// is planned, so the first statements of a session (one follow-up done,
// one contact edited: one row each) planned the join of `old_rows` to
// `new_rows` as a nested loop, and the session kept it. A later bulk
// action in that session (Today's snooze of everyone's Overdue: 15,469
// follow-ups at 100,000 contacts) then compared every old row with every
// new one: 239 million comparisons, 36 s of a snooze that takes 1.3 s
// with a hash join (auto_explain; `crm bench --only keys` showed it as a
// median of 1.4 s in one run and 21.5 s in the next).
//
// - The People report's follow-up days (step 64) need no join at all: an
//   old row's deltas and its new row's cancel out when nothing they count
//   changed (same assignee, day and outcome), and HAVING drops the sums that
//   come to 0. So each old row counts -1 and each new row +1, one pass each.
// - A contact's name words (step 39) are rewritten only for contacts whose
//   name words changed, which needs the join: its two statements are sent
//   with EXECUTE, so each is planned for the rows it has.
//
// CREATE OR REPLACE of the same function names, so the triggers stay as
// they are and a bulk copy suspends them as before; it can run twice.
// SQLite's step 73 is empty (its triggers are per row).
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV73TransitionTablePlans {
    /// The rows of a transition table the report counts, each with its
    /// sign (`sign`: 1 new, -1 old): (a assignee, d day, n, o on time, l late).
    private static func counted(_ table: String, _ sign: Int) -> String {
        """
        SELECT assignee_id AS a, crm_report_day(due_at) AS d, \(sign) AS n,
               \(sign) * coalesce((status = 'done' AND done_at <= due_at)::int, 0) AS o,
               \(sign) * coalesce((status = 'done' AND done_at > due_at)::int, 0) AS l
        FROM \(table) WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled'
        """
    }

    private static let upsert = """
        due = report_follow_up_days.due + excluded.due,
                done_on_time = report_follow_up_days.done_on_time + excluded.done_on_time,
                done_late = report_follow_up_days.done_late + excluded.done_late
        """

    static let sql = """
    CREATE OR REPLACE FUNCTION crm_report_follow_up_days_rows() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        -- The deltas of the statement's rows (+1 a row counted now, -1 a
        -- row counted before), summed per (assignee, day), upserted in key
        -- order. An updated row whose counted columns did not change adds
        -- up to 0 and HAVING drops it. Each branch names only the
        -- transition tables its trigger has (a DELETE has no new rows).
        IF TG_OP = 'INSERT' THEN
            INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
            SELECT a, d, sum(n), sum(o), sum(l) FROM (\(counted("new_rows", 1))) x
            GROUP BY a, d HAVING sum(n) <> 0 OR sum(o) <> 0 OR sum(l) <> 0 ORDER BY a, d
            ON CONFLICT (assignee_id, day_start) DO UPDATE SET \(upsert);
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
            SELECT a, d, sum(n), sum(o), sum(l) FROM (\(counted("old_rows", -1))) x
            GROUP BY a, d HAVING sum(n) <> 0 OR sum(o) <> 0 OR sum(l) <> 0 ORDER BY a, d
            ON CONFLICT (assignee_id, day_start) DO UPDATE SET \(upsert);
        ELSE
            INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
            SELECT a, d, sum(n), sum(o), sum(l) FROM (\(counted("new_rows", 1)) UNION ALL \(counted("old_rows", -1))) x
            GROUP BY a, d HAVING sum(n) <> 0 OR sum(o) <> 0 OR sum(l) <> 0 ORDER BY a, d
            ON CONFLICT (assignee_id, day_start) DO UPDATE SET \(upsert);
        END IF;
        RETURN NULL;
    END $fn$;

    CREATE OR REPLACE FUNCTION crm_contact_name_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        EXECUTE $sql$
            DELETE FROM contact_name_words w USING old_documents o JOIN new_documents n ON n.contact_id = o.contact_id
            WHERE w.contact_id = o.contact_id
              AND (n.sort_key IS DISTINCT FROM o.sort_key OR n.live <> o.live
                   OR crm_name_lexemes(n.words) <> crm_name_lexemes(o.words))
            $sql$;
        EXECUTE $sql$
            INSERT INTO contact_name_words(word, sort_key, contact_id, previous)
            SELECT w.word, n.sort_key, n.contact_id, w.previous
            FROM new_documents n JOIN old_documents o ON o.contact_id = n.contact_id
            CROSS JOIN LATERAL crm_name_words(n.words) w
            WHERE n.live AND n.sort_key IS NOT NULL
              AND (n.sort_key IS DISTINCT FROM o.sort_key OR n.live <> o.live
                   OR crm_name_lexemes(n.words) <> crm_name_lexemes(o.words))
            $sql$;
        RETURN NULL;
    END $$;
    """
}
