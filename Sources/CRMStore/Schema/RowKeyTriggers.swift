/// The other AFTER INSERT triggers a bulk load suspends: those that fill a
/// row's derived keys when the writer left them out (sort and duplicate keys,
/// schemas 11 and 13), the one that marks the value tiers stale when a
/// customer arrives (schema 29), the one that marks a new customer's won
/// values for recomputing (schema 32), and those that count the rows of
/// each duplicate key (schema 36, `keyCounts`). BulkLoader always writes the
/// keys itself, so the key triggers do nothing there, but their mere presence makes every INSERT a
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
        // Since version 32: a customer's won values are recomputed before COMMIT.
        RowKeyTrigger(name: "customer_won_values_contact_insert", table: "contacts",
                      backfillSQL: """
                      INSERT OR IGNORE INTO customer_won_values_dirty(kind, id)
                      SELECT 'contact', id FROM contacts WHERE id > ? AND lifecycle = 'customer'
                      """),
        // Since version 48: a new customer's ranking keys (the Customers
        // report); its won values and window count arrive after, by their
        // own triggers, or are read here if they came first.
        RowKeyTrigger(name: "customer_rank_keys_contact_insert", table: "contacts",
                      backfillSQL: """
                      INSERT OR REPLACE INTO customer_rank_keys(contact_id, owner_id, touch, frequency, valued)
                      SELECT c.id, c.owner_id,
                             max(coalesce(c.last_interaction_at, 0),
                                 coalesce((SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = c.id), 0)),
                             coalesce((SELECT y.interactions FROM contact_year_interactions y WHERE y.contact_id = c.id), 0),
                             EXISTS (SELECT 1 FROM customer_won_values v WHERE v.contact_id = c.id)
                      FROM contacts c WHERE c.id > ? AND c.lifecycle = 'customer' AND c.deleted_at IS NULL
                      """),
    ] + keyCounts

    /// Since version 36: how many rows have each duplicate key. After the
    /// keys' own backfills (above), each key a new row has is counted again
    /// over the whole table — set, not added to: a load may also change an
    /// earlier row's key (an import's merge gives a company to a contact),
    /// which the update triggers (never suspended) count as it happens, and
    /// a recount is right whatever they did. `IN (…)` with a list of the new
    /// rows' keys seeks the key's index where it exists and scans the table
    /// once where a demo fill dropped it.
    static let keyCounts: [RowKeyTrigger] = [
        RowKeyTrigger(name: "contact_email_key_counts_insert", table: "contact_emails",
                      backfillSQL: """
                      INSERT INTO contact_email_key_counts(email, n)
                      SELECT email, count(*) FROM contact_emails
                      WHERE email COLLATE NOCASE IN (SELECT email FROM contact_emails WHERE id > ?)
                      GROUP BY email COLLATE NOCASE
                      ON CONFLICT(email) DO UPDATE SET n = excluded.n
                      """),
        RowKeyTrigger(name: "contact_phone_key_counts_insert", table: "contact_phones",
                      backfillSQL: """
                      INSERT INTO contact_phone_key_counts(match_key, n)
                      SELECT match_key, count(*) FROM contact_phones
                      WHERE match_key IN (SELECT match_key FROM contact_phones WHERE id > ? AND match_key IS NOT NULL)
                      GROUP BY match_key
                      ON CONFLICT(match_key) DO UPDATE SET n = excluded.n
                      """),
        RowKeyTrigger(name: "contact_name_key_counts_insert", table: "contacts",
                      backfillSQL: """
                      INSERT INTO contact_name_key_counts(name_key, company_id, n)
                      SELECT name_key, company_id, count(*) FROM contacts
                      WHERE (name_key, company_id) IN (SELECT name_key, company_id FROM contacts
                                                       WHERE id > ? AND name_key IS NOT NULL AND company_id IS NOT NULL)
                      GROUP BY name_key, company_id
                      ON CONFLICT(name_key, company_id) DO UPDATE SET n = excluded.n
                      """),
    ]
}
