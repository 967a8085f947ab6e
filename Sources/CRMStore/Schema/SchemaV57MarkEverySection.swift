/// Version 57: Today's two follow-up indexes hold each row's version, so
/// that `*` (mark every row of a section) reads ids and versions from the
/// index alone.
///
/// Marking keeps the version each row was seen at (a bulk action writes
/// only over those). `follow_ups_by_assignee` and `follow_ups_by_due` gave
/// the section's ids in order but not the version, so every marked row was
/// looked up in the table: 32,361 overdue follow-ups of one user at a
/// million contacts took 400-470 ms in the sqlite3 shell (the rows spread
/// over the file), against 6-20 ms for the ids alone from the index. Each
/// index is made again under its own name with the version after the
/// columns it had (same order, same part of the table), so every query
/// that read it reads it as before. PostgreSQL's step 57 is the same (a
/// version INCLUDEd, for index-only scans).
///
/// Frozen SQL; TempDatabase's `rewindSchema` has its undo.
enum SchemaV57MarkEverySection {
    static let sql = """
    DROP INDEX follow_ups_by_assignee;
    CREATE INDEX follow_ups_by_assignee ON follow_ups(assignee_id, status, due_at, id, version) WHERE deleted_at IS NULL;
    DROP INDEX follow_ups_by_due;
    CREATE INDEX follow_ups_by_due ON follow_ups(status, due_at, id, version) WHERE deleted_at IS NULL;
    """
}
