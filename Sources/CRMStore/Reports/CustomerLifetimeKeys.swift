import CRMRepositories
import Foundation

/// The Customers page's lifetime value from the keys of schema 54
/// (SchemaV54CustomerLifetimeKeys): the average tenure from each customer's
/// stored "customer since" (`customer_rank_keys_by_since`, one walk), and
/// the won deals of the period's last year from each won value's deals of
/// the stored year (`deals_year`, summed in the same walk of
/// `customer_won_values_by_value` as the value and the deals) corrected to
/// the end of the period with the won deals closed between (the two slices
/// of InteractionYearWindow, a few days of deals). Before, the tenure looked
/// up every customer's lifecycle history and the year's deals were joined
/// to their contacts and companies' customers one by one: about 26,000
/// page reads of a 1 MiB cache at 100,000 contacts, for three figures.
enum CustomerLifetimeKeys {
    /// Whether the file has schema 54's keys.
    static func isStored(_ c: Connection) -> Bool {
        (try? c.scalar("SELECT count(*) FROM pragma_table_info('customer_won_values') WHERE name = 'deals_year'")) == 1
    }

    /// The end of the stored year `deals_year` counts (the interaction
    /// window's as_of); nil on a file older than schema 54.
    static func dealsYearEnd(_ c: Connection) throws -> Int64? {
        guard isStored(c) else { return nil }
        return try CustomerYearInteractions.asOf(c)
    }

    /// Counts `deals_year` again for the window's move from `old` to `new`
    /// (CustomerYearInteractions.moveWindow, in its transaction): the
    /// customers given value by a won deal closed in the slices the window
    /// passed, or every row after a move of a year or more.
    static func moveDealsYear(_ c: Connection, from old: Int64, to new: Int64) throws {
        guard isStored(c) else { return }
        guard let slices = InteractionYearWindow.slices(asOf: old, now: new) else {
            try c.run("UPDATE customer_won_values SET deals_year = \(recount)", [new])
            return
        }
        try c.execute("CREATE TEMP TABLE IF NOT EXISTS deals_year_recount(contact_id INTEGER PRIMARY KEY)")
        try c.run("DELETE FROM temp.deals_year_recount")
        try c.run("""
            INSERT OR IGNORE INTO temp.deals_year_recount(contact_id)
            WITH moved AS MATERIALIZED (
                SELECT d.contact_id, d.company_id FROM deals d INDEXED BY deals_by_status_closed
                WHERE d.deleted_at IS NULL AND d.status = 'won' AND d.closed_at >= ?1 AND d.closed_at < ?2
                UNION ALL
                SELECT d.contact_id, d.company_id FROM deals d INDEXED BY deals_by_status_closed
                WHERE d.deleted_at IS NULL AND d.status = 'won' AND d.closed_at >= ?1 - ?3 AND d.closed_at < ?2 - ?3
            )
            SELECT contact_id FROM moved WHERE contact_id IS NOT NULL
            UNION
            SELECT c.id FROM moved m CROSS JOIN contacts c INDEXED BY contacts_customers_by_company ON c.company_id = m.company_id
            WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer'
            """, [slices.lo, slices.hi, InteractionYearWindow.year])
        try c.run("""
            UPDATE customer_won_values SET deals_year = \(recount)
            WHERE contact_id IN (SELECT contact_id FROM temp.deals_year_recount)
            """, [new])
    }

    /// A row of customer_won_values' won deals closed in [?1 − 365 days,
    /// ?1), counted as its sum counts them (the customer's own deals not of
    /// its company, and its company's).
    private static let recount = """
        (SELECT count(*) FROM (
            SELECT 1 FROM deals d INDEXED BY deals_won_by_contact CROSS JOIN contacts c ON c.id = d.contact_id
            WHERE d.contact_id = customer_won_values.contact_id AND d.currency = customer_won_values.currency
              AND d.deleted_at IS NULL AND d.status = 'won' AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id)
              AND d.closed_at >= ?1 - 31536000 AND d.closed_at < ?1
            UNION ALL
            SELECT 1 FROM contacts c CROSS JOIN deals d INDEXED BY deals_won_by_company ON d.company_id = c.company_id
            WHERE c.id = customer_won_values.contact_id AND d.currency = customer_won_values.currency
              AND d.deleted_at IS NULL AND d.status = 'won' AND d.closed_at >= ?1 - 31536000 AND d.closed_at < ?1))
        """

    /// The customers of the owners (?2, JSON; NULL: everyone's) and their
    /// average tenure in seconds at ?1 (the end of the period, or now):
    /// since the customer last became one (lifecycle history), else since
    /// the contact was created, at least 0 — as the report worked it out
    /// per customer. Those whose `since` is before ?1 (all of them, unless
    /// the period ended before someone became a customer) are one walk of
    /// `customer_rank_keys_by_since`, summed as whole seconds; the others
    /// are looked up in the history before ?1 as before. The average is the
    /// exact sum divided by the count, as avg() gives it.
    static let tenureSQL = """
        WITH early AS (
            SELECT count(*) AS n, coalesce(sum(?1 - k.since), 0) AS seconds
            FROM customer_rank_keys k INDEXED BY customer_rank_keys_by_since
            WHERE k.since < ?1 AND (?2 IS NULL OR k.owner_id IN (SELECT value FROM json_each(?2)))
        ),
        late AS (
            SELECT count(*) AS n, coalesce(sum(max(0, ?1 - coalesce(
                       (SELECT max(h.changed_at) FROM contact_lifecycle_history h
                        WHERE h.contact_id = k.contact_id AND h.to_lifecycle = 'customer' AND h.changed_at < ?1),
                       (SELECT c.created_at FROM contacts c WHERE c.id = k.contact_id)))), 0) AS seconds
            FROM customer_rank_keys k INDEXED BY customer_rank_keys_by_since
            WHERE k.since >= ?1 AND (?2 IS NULL OR k.owner_id IN (SELECT value FROM json_each(?2)))
        )
        SELECT e.n + l.n, CASE WHEN e.n + l.n > 0 THEN 1.0 * (e.seconds + l.seconds) / (e.n + l.n) ELSE 0 END
        FROM early e, late l
        """

    /// The won deals of the year before the end of the period per currency,
    /// as CustomerRankKeys.lastYearSQL counts them, minus those of the
    /// stored year already summed in `deals_year`: the deals closed in
    /// [?1, ?2) counted with ?3, those in [?1 − ?4, ?2 − ?4) with −?3 (the
    /// slices between the stored year's end and the period's end), each
    /// once per valued customer of the owners (?5) it gives value to.
    static let lastYearCorrectionSQL = """
        WITH moved AS MATERIALIZED (
            SELECT d.contact_id, d.company_id, d.currency, ?3 AS delta FROM deals d INDEXED BY deals_by_status_closed
            WHERE d.deleted_at IS NULL AND d.status = 'won' AND d.closed_at >= ?1 AND d.closed_at < ?2
            UNION ALL
            SELECT d.contact_id, d.company_id, d.currency, -?3 FROM deals d INDEXED BY deals_by_status_closed
            WHERE d.deleted_at IS NULL AND d.status = 'won' AND d.closed_at >= ?1 - ?4 AND d.closed_at < ?2 - ?4
        ),
        given AS (
            SELECT c.id AS contact_id, w.currency, w.delta FROM moved w CROSS JOIN contacts c ON c.id = w.contact_id
            WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' AND (c.company_id IS NULL OR w.company_id IS NOT c.company_id)
            UNION ALL
            SELECT c.id, w.currency, w.delta FROM moved w CROSS JOIN contacts c INDEXED BY contacts_customers_by_company
                ON c.company_id = w.company_id
            WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer'
        )
        SELECT g.currency, sum(g.delta) FROM given g
        CROSS JOIN customer_won_values v ON v.contact_id = g.contact_id AND v.currency = g.currency
        CROSS JOIN customer_rank_keys k ON k.contact_id = g.contact_id
        WHERE v.value_minor > 0 AND (?5 IS NULL OR k.owner_id IN (SELECT value FROM json_each(?5)))
        GROUP BY g.currency
        """

    /// The won deals of the year before `end` per currency for the owners
    /// (JSON or NULL): the stored year's (`stored`, summed by the caller in
    /// its walk) corrected to `end`; nil when `end` is a year or more from
    /// the stored year's end (then CustomerRankKeys.lastYearSQL counts them).
    static func lastYearCorrections(_ c: Connection, storedEnd: Int64, end: Int64, owners: SQLBindable) throws -> [String: Int]? {
        guard let slices = InteractionYearWindow.slices(asOf: storedEnd, now: end) else { return nil }
        return Dictionary(try c.rows(lastYearCorrectionSQL, [slices.lo, slices.hi, slices.sign, InteractionYearWindow.year, owners]) {
            ($0.string(0), $0.int(1))
        }, uniquingKeysWith: +)
    }
}
