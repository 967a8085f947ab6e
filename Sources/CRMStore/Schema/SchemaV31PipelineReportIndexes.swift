/// Version 31: indexes for the Pipeline and Forecast report pages, chosen
/// from their query plans at 30,000 deals and 67,000 stage changes
/// (ReportQueryPlanTests asserts them). Indexes only: the figures are the
/// same queries' figures, read without going to the table rows.
///
/// - deals_report_by_status: the open deals (by stage, by expected close,
///   without a close date) with every column those queries read, so no
///   deal row is read. `deleted_at` is in it only so SQLite sees the index
///   as covering (it is NULL in every entry).
/// - deals_report_by_created: the deals created in a period (the funnel's
///   cohort) with what the cohort and its filter read.
/// - deal_stage_history_by_deal_stage: a deal's entries into a stage, for
///   "when did this stay begin" (the stage times, one lookup per move) and
///   "the furthest stage a deal reached" (the funnel), from the index alone.
/// - deal_stage_history_moves_by_time: the moves out of a stage in a period
///   (not a deal's first entry), with the deal and the stage left.
///
/// Frozen SQL. It cannot run twice (CREATE INDEX): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV31PipelineReportIndexes {
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
