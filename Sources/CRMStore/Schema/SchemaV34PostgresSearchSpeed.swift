/// Version 34: nothing on SQLite. PostgreSQL's step 34
/// (PGSchemaV34SearchSpeed) gives its search documents the contact's sort
/// key and trash state and its deals one document of what their card shows;
/// SQLite has the equivalents already (`contact_name_words`, step 25;
/// `deal_card_fts`, step 33). The number moves on so both engines say the
/// same version and a copy between them carries it.
///
/// Frozen SQL.
enum SchemaV34PostgresSearchSpeed {
    static let sql = ""
}
