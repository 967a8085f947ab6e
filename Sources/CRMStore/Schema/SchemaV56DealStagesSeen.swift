/// Version 56: moving a stage (`}`, `{` on the board) writes no report row.
///
/// `report_deal_reach` (steps 35, 47) stored each deal's furthest open stage
/// as a board POSITION, so every change of a stage's position or kind had to
/// work it out again for the deals that entered the stage: swapping two
/// columns recounted about 17,000 deals at 100,000 contacts (40 ms on SQLite,
/// 144 ms on PostgreSQL for one key, far more at a million). What a deal
/// entered does not depend on where the stages stand, so that is what is
/// kept now:
///
/// - `report_deal_seen`: per deal, the ids of every stage it ever entered
///   (its history's and its stage now), ascending, comma-joined ("1,2,4").
///   Written when a deal's history or stage changes (a handful of rows),
///   never when a stage moves, changes kind or is deleted.
/// - The funnel groups the cohort's deals by this text (a few distinct
///   values) and works the furthest open stage of each group out from the
///   stages' positions and kinds as they are at the time of reading
///   (ReportFunnelGroups.byStagesSeen), the same figure as before.
///
/// The six stays triggers of step 35 are made again with the reach part
/// replaced; the stage triggers and `report_deal_reach` are dropped.
/// PostgreSQL's step 56 is the same. Frozen SQL; TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV56DealStagesSeen {
    static let sql = """
    DROP TRIGGER report_deal_reach_stage_kind;
    DROP TRIGGER report_deal_reach_stage_position;
    DROP TRIGGER report_deal_reach_stage_delete;
    DROP TRIGGER report_stage_stays_history_insert;
    DROP TRIGGER report_stage_stays_history_update;
    DROP TRIGGER report_stage_stays_history_delete;
    DROP TRIGGER report_stage_stays_deal_insert;
    DROP TRIGGER report_stage_stays_deal_update;
    DROP TRIGGER report_stage_stays_deal_delete;
    DROP TABLE report_deal_reach;
    CREATE TABLE report_deal_seen (
        deal_id INTEGER PRIMARY KEY,
        stages TEXT NOT NULL
    );
    INSERT INTO report_deal_seen(deal_id, stages)
    SELECT d.id, (SELECT group_concat(s, ',') FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                                                   UNION SELECT d.stage_id ORDER BY 1))
    FROM deals d;
    CREATE TRIGGER report_stage_stays_history_insert AFTER INSERT ON deal_stage_history BEGIN
        DELETE FROM report_stage_stays WHERE deal_id = NEW.deal_id AND history_id IS NOT NULL;
        INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
        SELECT deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency FROM (
            SELECT n.deal_id, n.id AS history_id, n.from_stage_id AS stage_id, n.changed_at AS left_at,
                   n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                   WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                     AND p.changed_at <= n.changed_at AND p.id < n.id) AS secs,
                   d.deleted_at IS NULL AS live, d.owner_id, d.pipeline_id, d.currency
            FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id
            WHERE n.deal_id = NEW.deal_id AND n.from_stage_id IS NOT NULL)
        WHERE secs IS NOT NULL AND secs >= 0;
        INSERT OR REPLACE INTO report_deal_seen(deal_id, stages)
        SELECT d.id, (SELECT group_concat(s, ',') FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                                                       UNION SELECT d.stage_id ORDER BY 1))
        FROM deals d WHERE d.id = NEW.deal_id;
    END;
    CREATE TRIGGER report_stage_stays_history_update AFTER UPDATE ON deal_stage_history BEGIN
        DELETE FROM report_stage_stays WHERE deal_id IN (OLD.deal_id, NEW.deal_id) AND history_id IS NOT NULL;
        INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
        SELECT deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency FROM (
            SELECT n.deal_id, n.id AS history_id, n.from_stage_id AS stage_id, n.changed_at AS left_at,
                   n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                   WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                     AND p.changed_at <= n.changed_at AND p.id < n.id) AS secs,
                   d.deleted_at IS NULL AS live, d.owner_id, d.pipeline_id, d.currency
            FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id
            WHERE n.deal_id IN (OLD.deal_id, NEW.deal_id) AND n.from_stage_id IS NOT NULL)
        WHERE secs IS NOT NULL AND secs >= 0;
        INSERT OR REPLACE INTO report_deal_seen(deal_id, stages)
        SELECT d.id, (SELECT group_concat(s, ',') FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                                                       UNION SELECT d.stage_id ORDER BY 1))
        FROM deals d WHERE d.id IN (OLD.deal_id, NEW.deal_id);
    END;
    CREATE TRIGGER report_stage_stays_history_delete AFTER DELETE ON deal_stage_history BEGIN
        DELETE FROM report_stage_stays WHERE deal_id = OLD.deal_id AND history_id IS NOT NULL;
        INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
        SELECT deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency FROM (
            SELECT n.deal_id, n.id AS history_id, n.from_stage_id AS stage_id, n.changed_at AS left_at,
                   n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                   WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                     AND p.changed_at <= n.changed_at AND p.id < n.id) AS secs,
                   d.deleted_at IS NULL AS live, d.owner_id, d.pipeline_id, d.currency
            FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id
            WHERE n.deal_id = OLD.deal_id AND n.from_stage_id IS NOT NULL)
        WHERE secs IS NOT NULL AND secs >= 0;
        INSERT OR REPLACE INTO report_deal_seen(deal_id, stages)
        SELECT d.id, (SELECT group_concat(s, ',') FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                                                       UNION SELECT d.stage_id ORDER BY 1))
        FROM deals d WHERE d.id = OLD.deal_id;
    END;

    CREATE TRIGGER report_stage_stays_deal_insert AFTER INSERT ON deals BEGIN
        INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
        SELECT NEW.id, NULL, NEW.stage_id, NEW.closed_at, NEW.closed_at - NEW.stage_entered_at,
               NEW.deleted_at IS NULL, NEW.owner_id, NEW.pipeline_id, NEW.currency
        WHERE NEW.status IN ('won', 'lost') AND NEW.closed_at - NEW.stage_entered_at >= 0;
        INSERT OR REPLACE INTO report_deal_seen(deal_id, stages)
        SELECT d.id, (SELECT group_concat(s, ',') FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                                                       UNION SELECT d.stage_id ORDER BY 1))
        FROM deals d WHERE d.id = NEW.id;
    END;
    CREATE TRIGGER report_stage_stays_deal_update
    AFTER UPDATE OF status, stage_id, stage_entered_at, closed_at, deleted_at, owner_id, pipeline_id, currency ON deals BEGIN
        UPDATE report_stage_stays
        SET live = NEW.deleted_at IS NULL, owner_id = NEW.owner_id, pipeline_id = NEW.pipeline_id, currency = NEW.currency
        WHERE deal_id = NEW.id AND history_id IS NOT NULL
          AND (live IS NOT (NEW.deleted_at IS NULL) OR owner_id IS NOT NEW.owner_id OR pipeline_id IS NOT NEW.pipeline_id
               OR currency IS NOT NEW.currency);
        DELETE FROM report_stage_stays WHERE deal_id = OLD.id AND history_id IS NULL;
        INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
        SELECT NEW.id, NULL, NEW.stage_id, NEW.closed_at, NEW.closed_at - NEW.stage_entered_at,
               NEW.deleted_at IS NULL, NEW.owner_id, NEW.pipeline_id, NEW.currency
        WHERE NEW.status IN ('won', 'lost') AND NEW.closed_at - NEW.stage_entered_at >= 0;
        INSERT OR REPLACE INTO report_deal_seen(deal_id, stages)
        SELECT d.id, (SELECT group_concat(s, ',') FROM (SELECT h.to_stage_id AS s FROM deal_stage_history h WHERE h.deal_id = d.id
                                                       UNION SELECT d.stage_id ORDER BY 1))
        FROM deals d WHERE d.id = NEW.id AND OLD.stage_id IS NOT NEW.stage_id;
    END;
    CREATE TRIGGER report_stage_stays_deal_delete AFTER DELETE ON deals BEGIN
        DELETE FROM report_stage_stays WHERE deal_id = OLD.id;
        DELETE FROM report_deal_seen WHERE deal_id = OLD.id;
    END;
    """
}
