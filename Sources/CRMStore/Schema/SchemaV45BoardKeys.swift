/// Version 45: indexes for keys of the Pipeline board (issues 16, 17:
/// every key ≤ 16 ms p99 at 100,000 contacts), chosen from their query plans;
/// BoardKeyQueryPlanTests asserts them on both engines.
///
/// - deals_by_stage_position: where a deal moved to a stage (`L`, `H`, a new
///   deal) goes, `max(position)` of every deal in that stage (open, closed or
///   in the trash: positions never collide after a restore). Without it
///   SQLite scanned the deals table (2.4 ms of the 6 ms of `L` here) and
///   PostgreSQL ran a sequential scan (30 ms); with it the maximum is one
///   step into the index.
/// - deals_lost_reasons: the lost reasons offered when a deal is marked lost
///   (`x`), most used first. The query counted them through
///   deals_report_by_status and read every lost deal's row for its reason
///   (5,361 rows from all over the table, about 20 ms of page reads with the
///   connection's 1 MiB cache); this index holds the reason and the close
///   time in reason order, so the groups come from the index alone.
///   `deleted_at` is in it only so SQLite sees the index as covering (it is
///   NULL in every entry), as in step 31.
/// - deals_board_totals again, with `deleted_at`: step 3's index was never
///   covering for SQLite (the query names `deleted_at`), so the column
///   totals were read through deals_report_by_status, every open deal of
///   every pipeline; now one range of the pipeline's open deals.
/// - deals_board_by_owner: the same totals when the board shows one owner's
///   deals (`o`), one range of that owner's open deals in the pipeline
///   (0.6 ms where the other indexes read all 18,000 open deals, 3 ms).
///
/// Frozen SQL. It cannot run twice (CREATE INDEX): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV45BoardKeys {
    static let sql = """
    CREATE INDEX deals_by_stage_position ON deals(stage_id, position);
    CREATE INDEX deals_lost_reasons ON deals(status, lost_reason, closed_at, deleted_at)
        WHERE deleted_at IS NULL AND lost_reason <> '';
    DROP INDEX deals_board_totals;
    CREATE INDEX deals_board_totals ON deals(pipeline_id, status, stage_id, currency, value_minor, deleted_at)
        WHERE deleted_at IS NULL;
    CREATE INDEX deals_board_by_owner ON deals(pipeline_id, status, owner_id, stage_id, currency, value_minor, deleted_at)
        WHERE deleted_at IS NULL;
    """
}
