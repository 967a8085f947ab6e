/// Version 53: an index for every column that points at a contact or a
/// company, so that removing one for good is a lookup per pointing table.
///
/// A row removed from `contacts` or `companies` (the undo of an import, a
/// trash purge) makes SQLite look for rows that still point at it, one
/// query per foreign key. The indexes that existed on those columns are
/// partial (`WHERE deleted_at IS NULL`: the live timeline, the live deals),
/// which that query cannot use, so each removed contact scanned all
/// interactions (about 40 ms at 1,000,000): undoing a 60,000-row import ran
/// for over nine minutes under the write lock. Each index here leaves out
/// the rows that point at nothing (`IS NOT NULL`), which an equality lookup
/// may still use, and which an import leaves in place during its load (its
/// rows never have `merged_into`). PostgreSQL's step 53 is the same (its
/// foreign key checks need the same indexes).
///
/// Frozen SQL; TempDatabase's `rewindSchema` has its undo.
enum SchemaV53ForeignKeyLookups {
    static let sql = """
    CREATE INDEX interactions_by_contact_key ON interactions(contact_id) WHERE contact_id IS NOT NULL;
    CREATE INDEX interactions_by_company_key ON interactions(company_id) WHERE company_id IS NOT NULL;
    CREATE INDEX follow_ups_by_contact_key ON follow_ups(contact_id) WHERE contact_id IS NOT NULL;
    CREATE INDEX deals_by_contact_key ON deals(contact_id) WHERE contact_id IS NOT NULL;
    CREATE INDEX deals_by_company_key ON deals(company_id) WHERE company_id IS NOT NULL;
    CREATE INDEX contacts_by_company_key ON contacts(company_id) WHERE company_id IS NOT NULL;
    CREATE INDEX contacts_by_merged_into ON contacts(merged_into) WHERE merged_into IS NOT NULL;
    CREATE INDEX companies_by_merged_into ON companies(merged_into) WHERE merged_into IS NOT NULL;
    """
}
