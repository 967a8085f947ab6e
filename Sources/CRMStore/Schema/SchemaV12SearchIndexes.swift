/// Version 12: two narrow indexes for searches that find thousands of rows
/// (`crm bench`, 100,000 contacts and 135,000 numbers).
///
/// - `contacts_live_by_id (id, sort_key)` of the live contacts: a search
///   that sorts its hits by name looks each one up here (a few hundred
///   pages) instead of in the table's rows (notes and all): "joh", 2,224
///   hits, a third faster; a count of hits likewise.
/// - `contact_phones_by_e164_contact (e164, contact_id)` in place of
///   `contact_phones_by_e164 (e164)`: a number typed with its country
///   (`+49 171`, 6,000 numbers) gives its contacts straight from the index,
///   not one row lookup a number.
///
/// Frozen SQL. TempDatabase's `rewindSchema` has its undo.
enum SchemaV12SearchIndexes {
    static let sql = """
    CREATE INDEX contacts_live_by_id ON contacts(id, sort_key) WHERE deleted_at IS NULL;
    CREATE INDEX contact_phones_by_e164_contact ON contact_phones(e164, contact_id);
    DROP INDEX contact_phones_by_e164;
    """
}
