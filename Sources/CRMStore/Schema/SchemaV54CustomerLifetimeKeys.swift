/// Version 54: what the Customers report's lifetime value reads, stored per
/// customer beside schema 48's ranking keys, so the section is two index
/// ranges instead of a look-up per customer and per won deal of the year.
///
/// - `customer_rank_keys.since`: when the customer last became one (the
///   latest change to customer in `contact_lifecycle_history`), else when
///   the contact was created: the start of the average tenure ("years since
///   they became customers"). Indexed with the owner, so the tenure of every
///   customer, or of some owners', is one walk of that index; the few
///   customers whose `since` is at or after the end of the period asked
///   for are looked up in the history as before. Kept by a trigger on the
///   key row's insert (every way a customer arrives writes one: schema 48's
///   triggers and the bulk load's backfill) and by triggers on the history
///   (a change of lifecycle writes a row there, a purge removes them) and on
///   a contact's creation time; the trigger order of a lifecycle change does
///   not matter, each recounts from what is there.
/// - `customer_won_values.deals_year`: of the won deals a customer's sum in
///   a currency is made of, those closed in the stored 365-day window
///   (`contact_year_window`, schema 40: [as_of − 365 days, as_of)): the
///   lifetime value's "won deals of the last year" for a period ending at
///   as_of. The report corrects it to the end of the period asked for from
///   the won deals closed in the two slices between (deals_by_status_closed,
///   InteractionYearWindow's arithmetic). The refresh before COMMIT
///   (ValueTierRecompute.refreshValues) counts it with the sums, and the
///   window's daily move (CustomerYearInteractions.moveWindow) recounts the
///   customers of the deals closed in the slices it passes.
/// - `customer_won_values_by_value` is made again with `deals` and
///   `deals_year` after its columns, so the lifetime sums per currency are
///   one walk of it (the same order for the M quintiles' boundaries).
///
/// PostgreSQL's step 54 is empty: its Customers page keeps no stored keys
/// yet (see PGMigrator). Frozen SQL; TempDatabase's `rewindSchema` has its undo.
enum SchemaV54CustomerLifetimeKeys {
    static let sql = """
    ALTER TABLE customer_rank_keys ADD COLUMN since INTEGER;
    UPDATE customer_rank_keys SET since = coalesce(
        (SELECT max(h.changed_at) FROM contact_lifecycle_history h
         WHERE h.contact_id = customer_rank_keys.contact_id AND h.to_lifecycle = 'customer'),
        (SELECT c.created_at FROM contacts c WHERE c.id = customer_rank_keys.contact_id));
    CREATE INDEX customer_rank_keys_by_since ON customer_rank_keys(since, owner_id);

    CREATE TRIGGER customer_rank_keys_since_insert AFTER INSERT ON customer_rank_keys BEGIN
        UPDATE customer_rank_keys SET since = coalesce(
            (SELECT max(h.changed_at) FROM contact_lifecycle_history h
             WHERE h.contact_id = NEW.contact_id AND h.to_lifecycle = 'customer'),
            (SELECT c.created_at FROM contacts c WHERE c.id = NEW.contact_id))
        WHERE contact_id = NEW.contact_id;
    END;
    CREATE TRIGGER customer_rank_keys_since_history_insert AFTER INSERT ON contact_lifecycle_history
    WHEN NEW.to_lifecycle = 'customer' BEGIN
        UPDATE customer_rank_keys SET since = coalesce(
            (SELECT max(h.changed_at) FROM contact_lifecycle_history h
             WHERE h.contact_id = NEW.contact_id AND h.to_lifecycle = 'customer'),
            (SELECT c.created_at FROM contacts c WHERE c.id = NEW.contact_id))
        WHERE contact_id = NEW.contact_id;
    END;
    CREATE TRIGGER customer_rank_keys_since_history_delete AFTER DELETE ON contact_lifecycle_history
    WHEN OLD.to_lifecycle = 'customer' BEGIN
        UPDATE customer_rank_keys SET since = coalesce(
            (SELECT max(h.changed_at) FROM contact_lifecycle_history h
             WHERE h.contact_id = OLD.contact_id AND h.to_lifecycle = 'customer'),
            (SELECT c.created_at FROM contacts c WHERE c.id = OLD.contact_id))
        WHERE contact_id = OLD.contact_id;
    END;
    CREATE TRIGGER customer_rank_keys_since_history_update AFTER UPDATE OF contact_id, to_lifecycle, changed_at
    ON contact_lifecycle_history BEGIN
        UPDATE customer_rank_keys SET since = coalesce(
            (SELECT max(h.changed_at) FROM contact_lifecycle_history h
             WHERE h.contact_id = customer_rank_keys.contact_id AND h.to_lifecycle = 'customer'),
            (SELECT c.created_at FROM contacts c WHERE c.id = customer_rank_keys.contact_id))
        WHERE contact_id IN (OLD.contact_id, NEW.contact_id);
    END;
    CREATE TRIGGER customer_rank_keys_since_created AFTER UPDATE OF created_at ON contacts
    WHEN OLD.created_at IS NOT NEW.created_at BEGIN
        UPDATE customer_rank_keys SET since = coalesce(
            (SELECT max(h.changed_at) FROM contact_lifecycle_history h
             WHERE h.contact_id = NEW.id AND h.to_lifecycle = 'customer'),
            NEW.created_at)
        WHERE contact_id = NEW.id;
    END;

    ALTER TABLE customer_won_values ADD COLUMN deals_year INTEGER NOT NULL DEFAULT 0;
    UPDATE customer_won_values SET deals_year = (
        SELECT count(*) FROM (
            SELECT d.id FROM deals d INDEXED BY deals_won_by_contact CROSS JOIN contacts c ON c.id = d.contact_id
            WHERE d.contact_id = customer_won_values.contact_id AND d.currency = customer_won_values.currency
              AND d.deleted_at IS NULL AND d.status = 'won' AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id)
              AND d.closed_at >= (SELECT as_of FROM contact_year_window WHERE id = 1) - 31536000
              AND d.closed_at < (SELECT as_of FROM contact_year_window WHERE id = 1)
            UNION ALL
            SELECT d.id FROM contacts c CROSS JOIN deals d INDEXED BY deals_won_by_company ON d.company_id = c.company_id
            WHERE c.id = customer_won_values.contact_id AND d.currency = customer_won_values.currency
              AND d.deleted_at IS NULL AND d.status = 'won'
              AND d.closed_at >= (SELECT as_of FROM contact_year_window WHERE id = 1) - 31536000
              AND d.closed_at < (SELECT as_of FROM contact_year_window WHERE id = 1)));
    DROP INDEX customer_won_values_by_value;
    CREATE INDEX customer_won_values_by_value ON customer_won_values(currency, value_minor, contact_id, deals, deals_year);
    """
}
