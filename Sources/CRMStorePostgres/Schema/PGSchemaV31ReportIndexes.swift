// PostgreSQL schema steps 31–33, numbered as SQLite's so both engines say
// the same version (a copy between them carries its version, and each
// engine refuses a newer one).
//
// - 31: SQLite's covering indexes for the Pipeline and Forecast pages
//   (SchemaV31PipelineReportIndexes); the same indexes serve PostgreSQL's
//   plans for those queries.
// - 32: on SQLite, per-day counts and stored won values kept by triggers for
//   the People page and the value tiers. Nothing on PostgreSQL: its report
//   queries read the base tables through their indexes.
// - 33: on SQLite, one full-text index of each deal's card for the board's
//   search. Nothing on PostgreSQL: deals carry their own search words
//   (PGSchemaV30DealTimelineSearch); step 34 later gave each deal's card a
//   search document of its own (PGSchemaV34SearchSpeed).
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV31ReportIndexes {
    static let sql = """
    CREATE INDEX deals_report_by_status
        ON deals(status, stage_id, currency, expected_close, owner_id, pipeline_id, value_minor, deleted_at) WHERE deleted_at IS NULL;
    CREATE INDEX deals_report_by_created
        ON deals(created_at, pipeline_id, status, stage_id, owner_id, currency, deleted_at) WHERE deleted_at IS NULL;
    CREATE INDEX deal_stage_history_by_deal_stage ON deal_stage_history(deal_id, to_stage_id, changed_at);
    CREATE INDEX deal_stage_history_moves_by_time
        ON deal_stage_history(changed_at, deal_id, from_stage_id) WHERE from_stage_id IS NOT NULL;
    """
}
