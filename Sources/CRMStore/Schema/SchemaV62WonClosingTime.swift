/// Version 62: a won deal's closing time is part of what the Customers
/// report stores per customer, so a change of it marks its customers.
///
/// Since schema 48 `customer_won_values` keeps the latest closing time of a
/// customer's won deals (`last_won`, schema 48's R key `touch` is the later
/// of it and the last interaction) and since schema 54 how many of them
/// closed in the stored year (`deals_year`). Both are counted by the
/// refresh before COMMIT (ValueTierRecompute.refreshValues) for the
/// customers schema 32's triggers mark, and those triggers (and schema
/// 29's stale mark that runs the refresh) listened to every column of a
/// won deal the sums read except `closed_at`: editing a won deal's close
/// date left `last_won`, `touch` and `deals_year` as they were, and the
/// page's R quintiles (and the lifetime's deals of the year) differed from
/// the ones worked out from the deals (found by the rank keys contract on
/// branch h-pgcust, session 27).
///
/// The two update triggers are made again with `closed_at` in their
/// columns, in the same transaction as the write (exact under concurrent
/// writers: the refresh runs under the same write lock before COMMIT).
/// Files written before this step may hold stale rows: every stored row's
/// `last_won` and `deals_year` are counted again here (schema 48's
/// `customer_rank_keys_value_update` follows `last_won` to `touch`), as
/// step 48 and 54 counted them. PostgreSQL's step 62 is empty: its page
/// keeps no stored closing times on main. Frozen SQL; TempDatabase's
/// `rewindSchema` has its undo.
enum SchemaV62WonClosingTime {
    static let sql = """
    DROP TRIGGER customer_won_values_deal_update;
    CREATE TRIGGER customer_won_values_deal_update
    AFTER UPDATE OF status, value_minor, currency, contact_id, company_id, deleted_at, closed_at ON deals
    WHEN OLD.status = 'won' OR NEW.status = 'won' BEGIN
        INSERT OR IGNORE INTO customer_won_values_dirty(kind, id)
        SELECT 'contact', OLD.contact_id WHERE OLD.contact_id IS NOT NULL
        UNION ALL SELECT 'company', OLD.company_id WHERE OLD.company_id IS NOT NULL
        UNION ALL SELECT 'contact', NEW.contact_id WHERE NEW.contact_id IS NOT NULL
        UNION ALL SELECT 'company', NEW.company_id WHERE NEW.company_id IS NOT NULL;
    END;
    DROP TRIGGER value_tier_stale_deal_update;
    CREATE TRIGGER value_tier_stale_deal_update
    AFTER UPDATE OF status, value_minor, currency, contact_id, company_id, deleted_at, closed_at ON deals
    WHEN OLD.status = 'won' OR NEW.status = 'won'
    BEGIN UPDATE value_tier_state SET stale = 1 WHERE stale = 0; END;

    UPDATE customer_won_values SET (last_won, deals_year) = (
        SELECT max(closed_at), coalesce(sum(closed_at >= (SELECT as_of FROM contact_year_window WHERE id = 1) - 31536000
                                            AND closed_at < (SELECT as_of FROM contact_year_window WHERE id = 1)), 0)
        FROM (
            SELECT d.closed_at FROM deals d INDEXED BY deals_won_by_contact CROSS JOIN contacts c ON c.id = d.contact_id
            WHERE d.contact_id = customer_won_values.contact_id AND d.currency = customer_won_values.currency
              AND d.deleted_at IS NULL AND d.status = 'won' AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id)
            UNION ALL
            SELECT d.closed_at FROM contacts c CROSS JOIN deals d INDEXED BY deals_won_by_company ON d.company_id = c.company_id
            WHERE c.id = customer_won_values.contact_id AND d.currency = customer_won_values.currency
              AND d.deleted_at IS NULL AND d.status = 'won'));
    """
}
