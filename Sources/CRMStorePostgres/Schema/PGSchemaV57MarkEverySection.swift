/// SQLite's step 57 (SchemaV57MarkEverySection): Today's follow-up indexes
/// hold each row's version, so that `*` (mark every row of a section, ids
/// and the versions they were seen at) is an index-only scan instead of a
/// look-up of every row. Made again under the same names with the same key
/// columns; the version INCLUDEd. Frozen SQL.
enum PGSchemaV57MarkEverySection {
    static let sql = """
    DROP INDEX follow_ups_by_assignee;
    CREATE INDEX follow_ups_by_assignee ON follow_ups(assignee_id, status, due_at, id) INCLUDE (version) WHERE deleted_at IS NULL;
    DROP INDEX follow_ups_by_due;
    CREATE INDEX follow_ups_by_due ON follow_ups(status, due_at, id) INCLUDE (version) WHERE deleted_at IS NULL;
    """
}
