import CRMRepositories
/// Schema step 2 (pipeline board): a covering index for the column totals.
/// Count, sum per currency of a pipeline's open deals, grouped by stage, is
/// then read from the index alone: at 30,000 deals the totals of every column
/// cost a few milliseconds instead of a pass over the whole table.
enum SchemaV3PipelineTotals {
    static let sql = """
    CREATE INDEX deals_board_totals ON deals(pipeline_id, status, stage_id, currency, value_minor) WHERE deleted_at IS NULL;
    """
}
