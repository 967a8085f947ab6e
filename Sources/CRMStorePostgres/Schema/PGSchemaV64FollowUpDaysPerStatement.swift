// PostgreSQL schema step 64: the People report's follow-up days
// (`report_follow_up_days`, step 43) kept by statement triggers with
// transition tables instead of a row trigger per follow-up.
//
// Today's bulk actions write thousands of follow-ups in one statement (a
// snooze of everyone's Overdue, 19,784 rows on the 100,000-contact copy):
// the row trigger ran two statements per row against the same few hundred
// (assignee, day) rows, each updated again and again in one transaction, and
// took 11.3 s of the UPDATE's 14 s. Per statement, each (assignee, day)
// gets one summed delta, upserted in key order (two sessions writing the
// same days wait for each other, never deadlock), as step 60's board totals.
// Only rows whose counted columns changed are counted, as the row trigger's
// WHEN did. Same trigger names, so a bulk copy suspends them as before
// (PGReportStoredFigures). It can run again over itself (a test that takes
// a database back to an earlier step runs the later ones again). SQLite's
// step 64 is empty.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV64FollowUpDaysPerStatement {
    static let sql = """
    DROP TRIGGER report_follow_up_days_insert ON follow_ups;
    DROP TRIGGER report_follow_up_days_update ON follow_ups;
    DROP TRIGGER report_follow_up_days_delete ON follow_ups;
    DROP FUNCTION IF EXISTS crm_report_follow_up_days();

    CREATE OR REPLACE FUNCTION crm_report_follow_up_days_rows() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        -- Each branch: the rows' deltas (+1 a row counted now, -1 a row no
        -- longer counted), summed per (assignee, day), upserted in key order.
        IF TG_OP = 'INSERT' THEN
            INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
            SELECT a, d, sum(n), sum(o), sum(l) FROM (
                SELECT assignee_id AS a, crm_report_day(due_at) AS d, 1 AS n,
                       coalesce((status = 'done' AND done_at <= due_at)::int, 0) AS o,
                       coalesce((status = 'done' AND done_at > due_at)::int, 0) AS l
                FROM new_rows WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled') x
            GROUP BY a, d HAVING sum(n) <> 0 OR sum(o) <> 0 OR sum(l) <> 0 ORDER BY a, d
            ON CONFLICT (assignee_id, day_start) DO UPDATE SET due = report_follow_up_days.due + excluded.due,
                done_on_time = report_follow_up_days.done_on_time + excluded.done_on_time,
                done_late = report_follow_up_days.done_late + excluded.done_late;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
            SELECT a, d, sum(n), sum(o), sum(l) FROM (
                SELECT assignee_id AS a, crm_report_day(due_at) AS d, -1 AS n,
                       -coalesce((status = 'done' AND done_at <= due_at)::int, 0) AS o,
                       -coalesce((status = 'done' AND done_at > due_at)::int, 0) AS l
                FROM old_rows WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled') x
            GROUP BY a, d HAVING sum(n) <> 0 OR sum(o) <> 0 OR sum(l) <> 0 ORDER BY a, d
            ON CONFLICT (assignee_id, day_start) DO UPDATE SET due = report_follow_up_days.due + excluded.due,
                done_on_time = report_follow_up_days.done_on_time + excluded.done_on_time,
                done_late = report_follow_up_days.done_late + excluded.done_late;
        ELSE
            -- Only rows whose counted columns changed, as the row trigger's WHEN.
            INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
            SELECT a, d, sum(n), sum(o), sum(l) FROM (
                SELECT o.assignee_id AS oa, o.due_at AS od, o.status AS os, o.done_at AS odone, o.deleted_at AS odel,
                       n.assignee_id AS na, n.due_at AS nd, n.status AS ns, n.done_at AS ndone, n.deleted_at AS ndel
                FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE o.assignee_id IS DISTINCT FROM n.assignee_id OR o.due_at IS DISTINCT FROM n.due_at
                   OR o.status IS DISTINCT FROM n.status OR o.done_at IS DISTINCT FROM n.done_at
                   OR (o.deleted_at IS NULL) <> (n.deleted_at IS NULL)) c,
            LATERAL (
                SELECT oa, crm_report_day(od), -1, -coalesce((os = 'done' AND odone <= od)::int, 0),
                       -coalesce((os = 'done' AND odone > od)::int, 0)
                WHERE odel IS NULL AND oa IS NOT NULL AND os <> 'cancelled'
                UNION ALL
                SELECT na, crm_report_day(nd), 1, coalesce((ns = 'done' AND ndone <= nd)::int, 0),
                       coalesce((ns = 'done' AND ndone > nd)::int, 0)
                WHERE ndel IS NULL AND na IS NOT NULL AND ns <> 'cancelled') AS x(a, d, n, o, l)
            GROUP BY a, d HAVING sum(n) <> 0 OR sum(o) <> 0 OR sum(l) <> 0 ORDER BY a, d
            ON CONFLICT (assignee_id, day_start) DO UPDATE SET due = report_follow_up_days.due + excluded.due,
                done_on_time = report_follow_up_days.done_on_time + excluded.done_on_time,
                done_late = report_follow_up_days.done_late + excluded.done_late;
        END IF;
        RETURN NULL;
    END $fn$;

    CREATE TRIGGER report_follow_up_days_insert AFTER INSERT ON follow_ups
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_report_follow_up_days_rows();
    CREATE TRIGGER report_follow_up_days_update AFTER UPDATE ON follow_ups
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_report_follow_up_days_rows();
    CREATE TRIGGER report_follow_up_days_delete AFTER DELETE ON follow_ups
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_report_follow_up_days_rows();
    """
}
