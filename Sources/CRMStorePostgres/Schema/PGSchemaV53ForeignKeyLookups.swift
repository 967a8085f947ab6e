/// SQLite's step 53 (SchemaV53ForeignKeyLookups): an index for every column
/// that points at a contact or a company. PostgreSQL checks a removed
/// contact's or company's foreign keys with one query per pointing table,
/// which without these scanned all interactions for each one (the undo of a
/// large import, a trash purge). Frozen SQL.
enum PGSchemaV53ForeignKeyLookups {
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
