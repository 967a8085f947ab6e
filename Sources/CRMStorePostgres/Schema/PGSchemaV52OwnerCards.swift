// PostgreSQL schema step 52: SQLite's step 52 (SchemaV52BoardTotals) without
// its table of column totals (here the totals are an index-only scan of
// deals_board_totals / deals_board_by_owner), with its index of one owner's
// cards per column: the board filtered to one owner (`o`, `m`) read a
// column's cards in position order through deals_by_stage and dropped every
// other owner's, all of a stage's deals for an owner with few there.
//
// FROZEN once shipped; a change is a new step.
enum PGSchemaV52OwnerCards {
    static let sql = """
    CREATE INDEX deals_board_owner_cards ON deals(stage_id, owner_id, position, id) WHERE deleted_at IS NULL AND status = 'open';
    """
}
