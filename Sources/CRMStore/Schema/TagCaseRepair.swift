/// Step 78's merge of tags that differ only in their letters' case, run
/// again whenever a file opened for writing holds such tags: a crm before
/// schema 78 still running beside this one, or a lossless copy of an older
/// crm's `export all` loaded into a new file, can write them after the step
/// (QA 35 #1), and `crm migrate` to PostgreSQL refuses a file that has them.
/// Almost every open finds none: one read of the small tags table, no
/// write lock. Not a user's edit: no audit row (the merged tags keep the
/// oldest spelling; their contacts lose nothing).
enum TagCaseRepair {
    @discardableResult
    static func run(_ connection: Connection) throws -> Bool {
        guard try connection.scalar("""
            SELECT count(*) FROM (SELECT 1 FROM tags GROUP BY crm_tag_key(name) HAVING count(*) > 1 LIMIT 1)
            """) ?? 0 > 0 else { return false }
        try connection.transaction { try connection.execute(SchemaV78TagCase.sql) }
        return true
    }
}
