// PostgreSQL schema step 45: SQLite's step 45 (SchemaV45BoardKeys), the indexes
// of the Pipeline board's keys.
//
// - deals_by_stage_position: `max(position)` of a stage's deals, where a
//   moved or new deal goes. Without it `L` (deal to the next stage) paid a
//   sequential scan of deals, 30 ms of its 52 at 100,000 contacts; with it an
//   index-only scan backward reads one entry.
// - deals_lost_reasons: the lost reasons in reason order with their close
//   times, so `x` (mark lost) groups them by an index-only scan (1 ms, from
//   27 ms cold through the table).
// - deals_board_by_owner: the column totals of one owner's deals (`o`), one
//   range of the index (deals_board_totals has no owner: every open deal of
//   the pipeline was read and filtered). PostgreSQL's deals_board_totals is
//   covering already (SQLite's step 45 rebuilds its own).
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV45BoardKeys {
    static let sql = """
    CREATE INDEX deals_by_stage_position ON deals(stage_id, position);
    CREATE INDEX deals_lost_reasons ON deals(status, lost_reason, closed_at)
        WHERE deleted_at IS NULL AND lost_reason <> '';
    CREATE INDEX deals_board_by_owner ON deals(pipeline_id, status, owner_id, stage_id, currency, value_minor)
        WHERE deleted_at IS NULL;
    """
}
