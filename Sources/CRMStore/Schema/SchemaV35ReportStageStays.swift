/// Version 35: what the Pipeline report worked out again for every deal at
/// each look, kept by triggers instead (at 30,000 deals and 67,000 stage
/// changes the page over the last 365 days spent about 150 ms of CPU in
/// these two figures).
///
/// - `report_stage_stays`: every finished stay of a deal in a stage, with
///   its length in seconds, as the "median days per stage" figure counts
///   stays: a move out of the stage (a history row with `from_stage_id`),
///   entered at the latest earlier row into that stage (`history_id` is the
///   move), or the deal won or lost in the stage, entered at
///   `stage_entered_at` (`history_id` NULL). Only stays with a length of 0
///   seconds or more are rows (the figure ignores the others). The deal's
///   trash state, owner, pipeline and currency are copied in, so the
///   report's filter is read from the stays' indexes alone: a period's
///   stays per stage are one range of `report_stage_stays_by_time`, and a
///   stage's median is read in the order of `report_stage_stays_by_stage`
///   (no sort of every stay of the period).
/// - `report_deal_reach`: the furthest open stage each deal ever entered
///   (the highest position among the open stages of its history and its
///   stage now; -1: none), which the funnel compares with each stage.
///
/// Exact at every commit: a deal's move stays and reach are worked out
/// again from its history whenever a history row of it is written (a deal
/// has a handful), its close stay whenever the deal's status, stage, times
/// or trash state change, the copied columns whenever the deal's change,
/// and the reach of every deal that entered a stage whose position or kind
/// changes. ReportStageStayTests compares both with a recount after every
/// kind of write. A bulk load keeps these triggers (they are not
/// `InsertTrigger`s): a deal's few history rows make each run small.
///
/// Frozen SQL. It cannot run twice (CREATE TABLE): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV35ReportStageStays {
    static let sql = """
    CREATE TABLE report_stage_stays (
        id INTEGER PRIMARY KEY,
        deal_id INTEGER NOT NULL,
        history_id INTEGER,
        stage_id INTEGER,
        left_at INTEGER,
        secs INTEGER NOT NULL,
        live INTEGER NOT NULL,
        owner_id INTEGER,
        pipeline_id INTEGER,
        currency TEXT
    );
    CREATE INDEX report_stage_stays_by_deal ON report_stage_stays(deal_id, history_id);
    CREATE INDEX report_stage_stays_by_time ON report_stage_stays(live, left_at, stage_id, owner_id, pipeline_id, currency);
    CREATE INDEX report_stage_stays_by_stage ON report_stage_stays(stage_id, live, secs, left_at, owner_id, pipeline_id, currency);

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
        FROM deals d WHERE d.status IN ('won', 'lost'))
    WHERE secs IS NOT NULL AND secs >= 0;

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
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                   WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                         coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
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
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                   WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                         coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
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
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                   WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                         coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
        FROM deals d WHERE d.id = OLD.deal_id;
    END;

    CREATE TRIGGER report_stage_stays_deal_insert AFTER INSERT ON deals BEGIN
        INSERT INTO report_stage_stays(deal_id, history_id, stage_id, left_at, secs, live, owner_id, pipeline_id, currency)
        SELECT NEW.id, NULL, NEW.stage_id, NEW.closed_at, NEW.closed_at - NEW.stage_entered_at,
               NEW.deleted_at IS NULL, NEW.owner_id, NEW.pipeline_id, NEW.currency
        WHERE NEW.status IN ('won', 'lost') AND NEW.closed_at - NEW.stage_entered_at >= 0;
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT NEW.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                     WHERE h.deal_id = NEW.id AND hs.kind = 'open'), -1),
                           coalesce((SELECT cs.position FROM stages cs WHERE cs.id = NEW.stage_id AND cs.kind = 'open'), -1));
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
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT NEW.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                     WHERE h.deal_id = NEW.id AND hs.kind = 'open'), -1),
                           coalesce((SELECT cs.position FROM stages cs WHERE cs.id = NEW.stage_id AND cs.kind = 'open'), -1))
        WHERE OLD.stage_id IS NOT NEW.stage_id;
    END;
    CREATE TRIGGER report_stage_stays_deal_delete AFTER DELETE ON deals BEGIN
        DELETE FROM report_stage_stays WHERE deal_id = OLD.id;
        DELETE FROM report_deal_reach WHERE deal_id = OLD.id;
    END;

    CREATE TABLE report_deal_reach (
        deal_id INTEGER PRIMARY KEY,
        reached INTEGER NOT NULL
    );
    INSERT INTO report_deal_reach(deal_id, reached)
    SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                               WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                     coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
    FROM deals d;
    CREATE TRIGGER report_deal_reach_stage_update AFTER UPDATE OF position, kind ON stages
    WHEN OLD.position IS NOT NEW.position OR OLD.kind IS NOT NEW.kind BEGIN
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                   WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                         coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
        FROM deals d
        WHERE d.id IN (SELECT h.deal_id FROM deal_stage_history h WHERE h.to_stage_id = NEW.id) OR d.stage_id = NEW.id;
    END;
    CREATE TRIGGER report_deal_reach_stage_delete AFTER DELETE ON stages BEGIN
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                   WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                         coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
        FROM deals d
        WHERE d.id IN (SELECT h.deal_id FROM deal_stage_history h WHERE h.to_stage_id = OLD.id) OR d.stage_id = OLD.id;
    END;
    """
}
