/// The other AFTER INSERT triggers a bulk load suspends: those that fill a
/// row's derived keys when the writer left them out (sort and duplicate keys,
/// schemas 11 and 13) and the one that marks the value tiers stale when a
/// customer arrives (schema 29). BulkLoader always writes the keys itself, so
/// the triggers do nothing there, but their mere presence makes every INSERT a
/// "multi-write" statement: SQLite then keeps a statement journal for it, a
/// copy of each page the row touches, which the connection's temp_store =
/// FILE puts in a temporary file. That was ten page writes per imported
/// contact, a fifth of an import's processor time.
///
/// Unlike `InsertTrigger` the definitions are not repeated here: BulkLoader
/// keeps the SQL the file itself has (sqlite_master) and puts exactly that
/// back before COMMIT, so a later migration that redefines one of them is
/// followed without a change here. `backfillSQL` does for every row after the
/// watermark (its one parameter: the largest rowid of `table` before the
/// load) what the trigger does for one.
struct RowKeyTrigger {
    let name: String
    let table: String
    let backfillSQL: String

    static let all: [RowKeyTrigger] = [
        RowKeyTrigger(name: "contacts_sort_key_insert", table: "contacts",
                      backfillSQL: "UPDATE contacts SET sort_key = crm_sortkey(name) WHERE id > ? AND sort_key IS NULL"),
        RowKeyTrigger(name: "contacts_name_key_insert", table: "contacts",
                      backfillSQL: "UPDATE contacts SET name_key = crm_namekey(name) WHERE id > ? AND name_key IS NULL"),
        RowKeyTrigger(name: "value_tier_stale_contact_insert", table: "contacts",
                      backfillSQL: """
                      UPDATE value_tier_state SET stale = 1
                      WHERE stale = 0 AND EXISTS (SELECT 1 FROM contacts WHERE id > ? AND lifecycle = 'customer')
                      """),
        RowKeyTrigger(name: "companies_sort_key_insert", table: "companies",
                      backfillSQL: "UPDATE companies SET sort_key = crm_sortkey(name) WHERE id > ? AND sort_key IS NULL"),
        RowKeyTrigger(name: "companies_name_key_insert", table: "companies",
                      backfillSQL: "UPDATE companies SET name_key = crm_namekey(name) WHERE id > ? AND name_key IS NULL"),
        RowKeyTrigger(name: "contact_phones_match_key_insert", table: "contact_phones",
                      backfillSQL: """
                      UPDATE contact_phones SET match_key = coalesce(nullif(e164, ''), digits)
                      WHERE id > ? AND match_key IS NOT coalesce(nullif(e164, ''), digits)
                      """),
    ]
}
