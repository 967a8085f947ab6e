/// Version 19: a cancelled follow-up keeps why it was cancelled ("customer
/// bought elsewhere"), and the follow-ups list (every status, any date,
/// sorted by due) gets an index that serves it without a status prefix, so
/// paging stays flat at 50,000 follow-ups whatever the status filter.
///
/// Frozen SQL. It cannot run twice (ADD COLUMN): TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV19FollowUpCancelReason {
    static let sql = """
    ALTER TABLE follow_ups ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
    CREATE INDEX follow_ups_by_due_any_status ON follow_ups(due_at, id) WHERE deleted_at IS NULL;
    """
}
