// PostgreSQL schema step 56: SQLite's step 56 (SchemaV56DealStagesSeen).
// The Pipeline funnel keeps, per deal, the ids of every stage it entered
// (`report_deal_seen`, ascending, comma-joined) instead of its furthest
// open stage as a position, so a stage that moves, changes kind or is
// deleted writes no report row: `}` on the board recounted about 17,000
// deals in two row triggers (144 ms at 100,000 contacts). The funnel works
// the furthest stage out when it reads (ReportFunnelGroups.byStagesSeen).
// The trigger functions of step 43 that wrote the reach write the stages
// seen instead (same triggers, same names); the stage triggers, their
// functions and `report_deal_reach` go.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV56DealStagesSeen {
    static let sql = """
    DROP TRIGGER report_deal_reach_stage_kind ON stages;
    DROP TRIGGER report_deal_reach_stage_position ON stages;
    DROP TRIGGER report_deal_reach_stage_delete ON stages;
    DROP FUNCTION crm_report_stage_reach();
    DROP FUNCTION crm_report_stage_position_reach();
    CREATE TABLE report_deal_seen (
        deal_id bigint PRIMARY KEY,
        stages text NOT NULL
    );

    -- The stages a deal entered: its history's and where it is now.
    CREATE FUNCTION crm_report_deal_seen_of(deal bigint) RETURNS void LANGUAGE sql AS $fn$
        INSERT INTO report_deal_seen(deal_id, stages)
        SELECT d.id, (SELECT string_agg(x.s::text, ',' ORDER BY x.s)
                      FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                            UNION SELECT d.stage_id) x)
        FROM deals d WHERE d.id = deal
        ON CONFLICT (deal_id) DO UPDATE SET stages = excluded.stages;
    $fn$;

    CREATE OR REPLACE FUNCTION crm_report_history_stays() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM crm_report_move_stays_of(OLD.deal_id);
            PERFORM crm_report_deal_seen_of(OLD.deal_id);
        END IF;
        IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.deal_id IS DISTINCT FROM OLD.deal_id) THEN
            PERFORM crm_report_move_stays_of(NEW.deal_id);
            PERFORM crm_report_deal_seen_of(NEW.deal_id);
        END IF;
        RETURN NULL;
    END $fn$;

    CREATE OR REPLACE FUNCTION crm_report_deal_stays() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM report_stage_stays WHERE deal_id = OLD.id;
            DELETE FROM report_deal_seen WHERE deal_id = OLD.id;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' THEN
            UPDATE report_stage_stays
            SET live = NEW.deleted_at IS NULL, owner_id = NEW.owner_id, pipeline_id = NEW.pipeline_id, currency = NEW.currency
            WHERE deal_id = NEW.id AND history_id IS NOT NULL
              AND (live IS DISTINCT FROM (NEW.deleted_at IS NULL) OR owner_id IS DISTINCT FROM NEW.owner_id
                   OR pipeline_id IS DISTINCT FROM NEW.pipeline_id OR currency IS DISTINCT FROM NEW.currency);
            DELETE FROM report_stage_stays WHERE deal_id = OLD.id AND history_id IS NULL;
        END IF;
        INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
        SELECT NEW.id, NULL, NEW.stage_id, NEW.closed_at, NEW.closed_at - NEW.stage_entered_at,
               NEW.deleted_at IS NULL, NEW.owner_id, NEW.pipeline_id, NEW.currency
        WHERE NEW.status IN ('won', 'lost') AND NEW.closed_at - NEW.stage_entered_at >= 0;
        IF TG_OP = 'INSERT' OR OLD.stage_id IS DISTINCT FROM NEW.stage_id THEN
            PERFORM crm_report_deal_seen_of(NEW.id);
        END IF;
        RETURN NULL;
    END $fn$;

    CREATE OR REPLACE FUNCTION crm_report_recount_all() RETURNS void LANGUAGE sql AS $fn$
        DELETE FROM report_interaction_days;
        INSERT INTO report_interaction_days(author_id, kind, day_start, interactions)
        SELECT author_id, kind, crm_report_day(occurred_at), count(*)
        FROM interactions WHERE deleted_at IS NULL AND author_id IS NOT NULL
        GROUP BY 1, 2, 3;
        DELETE FROM report_follow_up_days;
        INSERT INTO report_follow_up_days(assignee_id, day_start, due, done_on_time, done_late)
        SELECT assignee_id, crm_report_day(due_at), count(*),
               count(*) FILTER (WHERE status = 'done' AND done_at <= due_at), count(*) FILTER (WHERE status = 'done' AND done_at > due_at)
        FROM follow_ups WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled'
        GROUP BY 1, 2;
        DELETE FROM report_stage_stays;
        INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
        SELECT deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency FROM (
            SELECT n.deal_id, n.id AS history_id, n.from_stage_id AS stage_id, n.changed_at AS left_at,
                   n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                   WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                     AND p.changed_at <= n.changed_at AND p.id < n.id) AS secs,
                   d.deleted_at IS NULL AS live, d.owner_id, d.pipeline_id, d.currency
            FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id
            WHERE n.from_stage_id IS NOT NULL
            UNION ALL
            SELECT d.id, NULL, d.stage_id, d.closed_at, d.closed_at - d.stage_entered_at,
                   d.deleted_at IS NULL, d.owner_id, d.pipeline_id, d.currency
            FROM deals d WHERE d.status IN ('won', 'lost')) x
        WHERE secs IS NOT NULL AND secs >= 0;
        DELETE FROM report_deal_seen;
        INSERT INTO report_deal_seen(deal_id, stages)
        SELECT d.id, (SELECT string_agg(x.s::text, ',' ORDER BY x.s)
                      FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                            UNION SELECT d.stage_id) x)
        FROM deals d;
    $fn$;

    DROP FUNCTION crm_report_deal_reach_of(bigint);
    DROP TABLE report_deal_reach;
    INSERT INTO report_deal_seen(deal_id, stages)
    SELECT d.id, (SELECT string_agg(x.s::text, ',' ORDER BY x.s)
                  FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                        UNION SELECT d.stage_id) x)
    FROM deals d;
    ANALYZE report_deal_seen;
    """
}
