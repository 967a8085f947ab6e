// PostgreSQL schema step 47: SQLite's step 47 (SchemaV47StageMoveReach). A
// stage that changes position recounts the furthest stage only of the deals
// that entered it and whose furthest position was its old one or is below
// its new one, in one statement (step 43 called a function per deal for
// every deal that entered it: 947 ms for `}` at 100,000 contacts); the
// stage history gets an index by stage. A change of kind recounts every
// deal that entered the stage, as before.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV47StageMoveReach {
    static let sql = """
    CREATE INDEX deal_stage_history_by_to_stage ON deal_stage_history(to_stage_id, deal_id);
    DROP TRIGGER report_deal_reach_stage_update ON stages;
    CREATE FUNCTION crm_report_stage_position_reach() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        INSERT INTO report_deal_reach(deal_id, reached)
        SELECT d.id, greatest(coalesce((SELECT max(hs.position) FROM deal_stage_history h JOIN stages hs ON hs.id = h.to_stage_id
                                        WHERE h.deal_id = d.id AND hs.kind = 'open'), -1),
                              coalesce((SELECT cs.position FROM stages cs WHERE cs.id = d.stage_id AND cs.kind = 'open'), -1))
        FROM report_deal_reach r JOIN deals d ON d.id = r.deal_id
        WHERE r.deal_id IN (SELECT h.deal_id FROM deal_stage_history h WHERE h.to_stage_id = NEW.id
                            UNION SELECT x.id FROM deals x WHERE x.stage_id = NEW.id)
          AND (r.reached = OLD.position OR r.reached < NEW.position)
        ON CONFLICT (deal_id) DO UPDATE SET reached = excluded.reached;
        RETURN NULL;
    END $fn$;
    CREATE TRIGGER report_deal_reach_stage_kind AFTER UPDATE OF kind ON stages
        FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind)
        EXECUTE FUNCTION crm_report_stage_reach();
    CREATE TRIGGER report_deal_reach_stage_position AFTER UPDATE OF position ON stages
        FOR EACH ROW WHEN (OLD.position IS DISTINCT FROM NEW.position AND OLD.kind IS NOT DISTINCT FROM NEW.kind AND NEW.kind = 'open')
        EXECUTE FUNCTION crm_report_stage_position_reach();
    """
}
