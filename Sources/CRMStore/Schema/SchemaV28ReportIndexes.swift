/// Version 28: indexes for the "Won and lost" and "People" report pages,
/// chosen from their query plans at 30,000 deals and 1,000,000 interactions
/// (ReportQueryPlanTests asserts them).
///
/// - deals_by_status_closed: the deals won or lost in a period are one
///   range (status, close time); the other columns are those the report
///   queries read (owner, pipeline, currency, value, creation for the sales
///   cycle, the lost reason), so no table row is read. Open deals are one
///   range too.
/// - interactions_by_author_kind_time: "calls, emails, … each person logged
///   this month" counts one range per person and kind instead of reading
///   every interaction of the month from the table.
/// - follow_ups_by_assignee_due: a person's follow-ups due in a period with
///   their status and done time, for on time / late / overdue without
///   reading the table.
///
/// Frozen SQL. It cannot run twice (CREATE INDEX): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV28ReportIndexes {
    static let sql = """
    CREATE INDEX deals_by_status_closed
        ON deals(status, closed_at, owner_id, pipeline_id, currency, value_minor, created_at, lost_reason) WHERE deleted_at IS NULL;
    CREATE INDEX interactions_by_author_kind_time ON interactions(author_id, kind, occurred_at) WHERE deleted_at IS NULL;
    CREATE INDEX follow_ups_by_assignee_due ON follow_ups(assignee_id, due_at, status, done_at) WHERE deleted_at IS NULL;
    """
}
