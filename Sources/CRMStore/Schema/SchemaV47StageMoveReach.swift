/// Version 47: moving a stage (`}`, `{` on the board) no longer works out
/// again the furthest stage of every deal that ever entered it.
///
/// `report_deal_reach` (step 35) stores each deal's furthest open stage as a
/// position, so a stage that changes position changes it for some deals —
/// but only for those that entered the stage and whose furthest position
/// was the stage's old one (it was their furthest) or is below its new one
/// (it now is): for any other deal the stage was and stays below its
/// furthest. Step 35's trigger recounted all of them (about 17,000 deals a
/// stage at 100,000 contacts, twice a swap: 60–220 ms a key), reading them
/// through a scan of the stage history, which had no index by stage. Now:
///
/// - deal_stage_history_by_to_stage: the deals that entered a stage, one range;
/// - report_deal_reach_stage_position: a position change of an open stage
///   recounts only the deals above;
/// - report_deal_reach_stage_kind: a change of kind (open, won, lost) recounts
///   every deal that entered the stage, as before.
///
/// ReportStoredFiguresContract recounts the table after reorders on both
/// engines. PostgreSQL's step 47 is the same. Frozen SQL; TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV47StageMoveReach {
    static let sql = """
    CREATE INDEX deal_stage_history_by_to_stage ON deal_stage_history(to_stage_id, deal_id);
    DROP TRIGGER report_deal_reach_stage_update;
    CREATE TRIGGER report_deal_reach_stage_kind AFTER UPDATE OF kind ON stages
    WHEN OLD.kind IS NOT NEW.kind BEGIN
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                   WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                         coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
        FROM deals d
        WHERE d.id IN (SELECT h.deal_id FROM deal_stage_history h WHERE h.to_stage_id = NEW.id
                       UNION SELECT x.id FROM deals x WHERE x.stage_id = NEW.id);
    END;
    CREATE TRIGGER report_deal_reach_stage_position AFTER UPDATE OF position ON stages
    WHEN OLD.position IS NOT NEW.position AND OLD.kind IS NEW.kind AND NEW.kind = 'open' BEGIN
        INSERT OR REPLACE INTO report_deal_reach(deal_id, reached)
        SELECT d.id, max(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                   WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                         coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
        FROM report_deal_reach r JOIN deals d ON d.id = r.deal_id
        WHERE r.deal_id IN (SELECT h.deal_id FROM deal_stage_history h WHERE h.to_stage_id = NEW.id
                            UNION SELECT x.id FROM deals x WHERE x.stage_id = NEW.id)
          AND (r.reached = OLD.position OR r.reached < NEW.position);
    END;
    """
}
