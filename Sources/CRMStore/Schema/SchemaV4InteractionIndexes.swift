import CRMRepositories
/// Schema step 4: most interactions belong to no deal (and some to no
/// company), yet every one of them had an entry in the by-deal and by-company
/// indexes, under NULL. Those entries serve no query — the deal and company
/// timelines and the deal's last activity look up `deal_id = ?` /
/// `company_id = ?`, which a NULL never matches, and SQLite uses a partial
/// index `WHERE x IS NOT NULL` for such a term — but every insert paid for
/// them. Measured on 1M interactions: a bulk insert of 100,000 interactions
/// without deal or company spends ~0.3 s of its time in these two indexes.
enum SchemaV4InteractionIndexes {
    static let sql = """
    DROP INDEX interactions_by_company;
    CREATE INDEX interactions_by_company ON interactions(company_id, occurred_at, id)
        WHERE deleted_at IS NULL AND company_id IS NOT NULL;
    DROP INDEX interactions_by_deal;
    CREATE INDEX interactions_by_deal ON interactions(deal_id, occurred_at, id)
        WHERE deleted_at IS NULL AND deal_id IS NOT NULL;
    """
}
