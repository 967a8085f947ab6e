/// Version 27: indexes for the Pipeline and Forecast report pages, so each
/// of their queries reads only the deals and history rows of its question:
///
/// - `deals_by_created`: the funnel's cohort, the deals created in a period;
/// - `deals_by_closed`: stays that ended by winning or losing, in a period;
/// - `deals_open_by_close`: the forecast, open deals by expected close,
///   covering the columns it sums so the table itself is not read;
/// - `deal_stage_history_by_time`: stays that ended by a move, in a period.
///
/// Frozen SQL. TempDatabase's `rewindSchema` has its undo.
enum SchemaV27ReportIndexes {
    static let sql = """
    CREATE INDEX deals_by_created ON deals(created_at) WHERE deleted_at IS NULL;
    CREATE INDEX deals_by_closed ON deals(closed_at) WHERE deleted_at IS NULL AND closed_at IS NOT NULL;
    CREATE INDEX deals_open_by_close ON deals(expected_close, pipeline_id, owner_id, stage_id, currency, value_minor)
        WHERE deleted_at IS NULL AND status = 'open';
    CREATE INDEX deal_stage_history_by_time ON deal_stage_history(changed_at);
    """
}
