/// Part of step 30 on PostgreSQL: the word search of deals (title, lost
/// reason: SQLite's `deal_fts`) and of the timeline (subject, body, outcome:
/// SQLite's `interaction_fts`). The words are computed in Swift
/// (`PGSearchWords`, the same folding as SQLite's `crm_fold`) and stored as a
/// tsvector; NULL means "not indexed yet" (a row copied in by SQL), which
/// `PGInteractionSearch.indexMissing` fills. Frozen once shipped.
enum PGSchemaV30DealTimelineSearch {
    static let sql = """
    ALTER TABLE deals ADD COLUMN search_words tsvector;
    CREATE INDEX deals_by_words ON deals USING gin (search_words) WHERE deleted_at IS NULL;
    CREATE INDEX deals_without_words ON deals (id) WHERE search_words IS NULL;

    ALTER TABLE interactions ADD COLUMN search_words tsvector;
    CREATE INDEX interactions_by_words ON interactions USING gin (search_words) WHERE deleted_at IS NULL;
    CREATE INDEX interactions_without_words ON interactions (id) WHERE search_words IS NULL;
    """
}
