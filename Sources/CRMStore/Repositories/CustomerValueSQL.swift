import CRMCore
import CRMRepositories
import Foundation

/// The SQL of a customer's won value and value tier, written once and used
/// both by the stored tiers (ValueTierRecompute) and by the Customers
/// report, so the two cannot define a tier differently.
///
/// Parameters, by number (every query that uses `ctes` binds `values` first):
/// ?1 the policy's conversion factors as JSON ({"USD": 92.0}: minor units
/// of the default currency per minor unit), ?2 the default currency, ?3 the
/// end (deals closed before it count), ?4 the pipelines (JSON array, NULL:
/// all), ?5 one currency (NULL: all), ?6 tier A's share (0…1), ?7 tiers A
/// and B together (0…1).
enum CustomerValueSQL {
    /// `customers` (every live customer), `won` (their won deals: their own
    /// not of their company, and their company's; each deal once per
    /// customer), `valued` (value per customer and bucket: a currency, or
    /// the default currency for every currency the policy converts) and
    /// `ranked` (each valued customer's tier within its bucket: A while the
    /// value of the customers ranked above is below tier A's share of the
    /// bucket's total, B while below A + B, else C; ties by id).
    /// `pipelines`: whether ?4 filters by pipeline; without it the won
    /// deals are read from their covering indexes alone (the pipeline is
    /// not in them). The indexes are named, and the joins start from the
    /// 6,600 won deals (CROSS JOIN keeps that order), not from the 35,000
    /// customers: without statistics the planner took the general indexes
    /// and looked up every customer's row (1.6 s instead of 0.1 s at 100k).
    /// The report and the recompute run on files at schema 29 only.
    static func ctes(pipelines: Bool) -> String { valuedCTEs(pipelines: pipelines) + ",\n" + rankedCTE }

    /// `customers`: every live customer, from its covering partial index.
    static let customersCTE = """
        customers AS (
            SELECT id, company_id, owner_id, last_interaction_at, created_at, value_tier
            FROM contacts INDEXED BY contacts_customers_by_company
            WHERE deleted_at IS NULL AND lifecycle = 'customer'
        )
        """

    /// `rates`, `customers`, `won` and `valued` (parameters ?1–?5 only), so
    /// the report can keep `valued` in a temporary table and rank it, and
    /// score it, without working it out again.
    static func valuedCTEs(pipelines: Bool) -> String {
        let pipeline = pipelines ? "AND d.pipeline_id IN (SELECT value FROM json_each(?4))" : "AND ?4 IS NULL"
        return """
        rates AS MATERIALIZED (SELECT key AS currency, value AS factor FROM json_each(?1)),
        \(customersCTE),
        won AS (
            SELECT c.id AS contact_id, c.owner_id, d.currency, d.value_minor, d.closed_at
            FROM deals d INDEXED BY deals_won_by_contact CROSS JOIN contacts c ON c.id = d.contact_id
            WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
              AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id)
              AND coalesce(d.closed_at, 0) < ?3 AND (?5 IS NULL OR d.currency = ?5) \(pipeline)
            UNION ALL
            SELECT c.id, c.owner_id, d.currency, d.value_minor, d.closed_at
            FROM deals d INDEXED BY deals_won_by_company
            CROSS JOIN contacts c INDEXED BY contacts_customers_by_company ON c.company_id = d.company_id
            WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
              AND coalesce(d.closed_at, 0) < ?3 AND (?5 IS NULL OR d.currency = ?5) \(pipeline)
        ),
        valued AS MATERIALIZED (
            SELECT w.contact_id, max(w.owner_id) AS owner_id, CASE WHEN r.factor IS NULL THEN w.currency ELSE ?2 END AS bucket,
                   max(r.factor IS NOT NULL AND w.currency <> ?2) AS converted,
                   sum(CASE WHEN r.factor IS NULL THEN w.value_minor ELSE w.value_minor * r.factor END) AS value,
                   count(*) AS deals, max(w.closed_at) AS last_won,
                   sum(coalesce(w.closed_at, 0) >= ?3 - 31536000) AS deals_last_year
            FROM won w LEFT JOIN rates r ON r.currency = w.currency
            GROUP BY w.contact_id, bucket
        )
        """
    }

    /// `rates` and `valued` from the stored sums per customer and currency
    /// (`customer_won_values`, schema 32) instead of the won deals: what the
    /// stored tiers are ranked from (parameters ?1 and ?2; ?3–?5 unused: the
    /// stored sums are of every won deal, in every pipeline and currency).
    /// The same value per customer and bucket as `valuedCTEs` with no end:
    /// exactly, in integers, for unconverted currencies; a converted
    /// currency's sum is multiplied by its rate once rather than deal by deal.
    static let storedValuedCTEs = """
        rates AS MATERIALIZED (SELECT key AS currency, value AS factor FROM json_each(?1)),
        valued AS MATERIALIZED (
            SELECT v.contact_id, NULL AS owner_id, CASE WHEN r.factor IS NULL THEN v.currency ELSE ?2 END AS bucket,
                   0 AS converted, sum(CASE WHEN r.factor IS NULL THEN v.value_minor ELSE v.value_minor * r.factor END) AS value,
                   0 AS deals, NULL AS last_won, 0 AS deals_last_year
            FROM customer_won_values v LEFT JOIN rates r ON r.currency = v.currency
            GROUP BY v.contact_id, bucket
        )
        """

    /// `ranked` after a `valued` (parameters ?6 and ?7).
    static let rankedCTE = """
        ranked AS (
            SELECT contact_id, owner_id, bucket, converted, value, deals, last_won, deals_last_year,
                   CASE WHEN sum(value) OVER above - value < ?6 * sum(value) OVER everyone THEN 'A'
                        WHEN sum(value) OVER above - value < ?7 * sum(value) OVER everyone THEN 'B'
                        ELSE 'C' END AS tier
            FROM valued WHERE value > 0
            WINDOW everyone AS (PARTITION BY bucket),
                   above AS (PARTITION BY bucket ORDER BY value DESC, contact_id ROWS UNBOUNDED PRECEDING)
        )
        """

    static func values(policy: ValueTierPolicy, end: Date?, pipelineIDs: [Int64] = [], currency: Currency? = nil) -> [SQLBindable] {
        let a = max(0, min(1, policy.tierA / 100))
        let ab = max(a, min(1, (policy.tierA + policy.tierB) / 100))
        return [json(policy.minorFactors), policy.currency.code, end?.wholeSecondsSince1970 ?? Int64.max,
                pipelineIDs.isEmpty ? nil : json(pipelineIDs), currency?.code, a, ab]
    }

    /// A JSON text of plain numbers and ISO codes (nothing a person typed
    /// reaches it unchecked): bound as one parameter and read by json_each.
    static func json(_ factors: [String: Double]) -> String {
        "{" + factors.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    static func json(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
}

/// Keeps `contacts.value_tier` in step (schema 29): the schema's triggers
/// mark the tiers stale when a won deal or a customer changes; just before
/// the COMMIT of that same transaction this works every tier out anew in
/// SQL and writes only the tiers that changed. Since schema 32 it first
/// brings the stored won value per customer (`customer_won_values`) up to
/// date for the customers the write touched, then ranks those sums, not
/// every won deal joined to its customers. Done in the transaction,
/// under SQLite's one write lock, it is right however many people write at
/// once: each commit leaves tiers made from exactly the data it commits.
/// Done once per transaction, a bulk load pays it once. Measured at 100,000
/// contacts and 30,000 deals in `crm bench` ("tier recompute").
///
/// The shares and rates come from the settings of whoever opened the
/// database (`Database.valueTierPolicy`); the whole team should use the
/// same `tier.A`, `tier.B` and `rate.*` (the README says so), as the
/// tiers are one stored value per customer.
final class ValueTierRecompute {
    var policy: ValueTierPolicy

    init(policy: ValueTierPolicy) { self.policy = policy }

    /// The hook run before COMMIT: cheap (one read of the flag) unless a
    /// write marked the tiers stale.
    func recomputeIfStale(_ c: Connection) throws {
        guard try c.scalar("SELECT stale FROM value_tier_state WHERE id = 1") == 1 else { return }
        try recompute(c)
    }

    /// Whether the stored tiers are stale or were made with another policy
    /// (checked when a writer opens the file).
    func isOutOfDate(_ c: Connection) throws -> Bool {
        try c.scalar("SELECT count(*) FROM value_tier_state WHERE id = 1 AND (stale = 1 OR policy IS NOT ?)", [policy.key]) == 1
    }

    func recompute(_ c: Connection) throws {
        try refreshValues(c)
        if try ValueTierCuts.recompute(c, policy: policy) { return }
        try c.execute("CREATE TEMP TABLE IF NOT EXISTS value_tier_work(contact_id INTEGER PRIMARY KEY, tier TEXT NOT NULL)")
        try c.run("DELETE FROM temp.value_tier_work")
        // Ranked from the stored sums (schema 32), about 15,000 rows at
        // 100,000 contacts, instead of from every won deal joined to its
        // customers (about 106 ms a commit).
        let rankKeys = CustomerRankKeys.isStored(c)
        if rankKeys {
            // Since schema 48 each currency's sum keeps its tier (the
            // Customers report's tiers and top customers read it): the tier
            // of its bucket's ranking, and a contact's tier the best of them.
            try c.execute("""
                CREATE TEMP TABLE IF NOT EXISTS value_tier_ranks(contact_id INTEGER, currency TEXT, tier TEXT NOT NULL,
                                                                 PRIMARY KEY (contact_id, currency))
                """)
            try c.run("DELETE FROM temp.value_tier_ranks")
            // Without exchange rates a bucket is a currency: the ranked rows
            // are the stored rows, no join back to them.
            try c.run(policy.minorFactors.count == 1 ? """
                INSERT INTO temp.value_tier_ranks(contact_id, currency, tier)
                WITH \(CustomerValueSQL.storedValuedCTEs), \(CustomerValueSQL.rankedCTE)
                SELECT contact_id, bucket, tier FROM ranked
                """ : """
                INSERT INTO temp.value_tier_ranks(contact_id, currency, tier)
                WITH \(CustomerValueSQL.storedValuedCTEs), \(CustomerValueSQL.rankedCTE)
                SELECT v.contact_id, v.currency, k.tier
                FROM ranked k CROSS JOIN customer_won_values v ON v.contact_id = k.contact_id
                LEFT JOIN rates r ON r.currency = v.currency
                WHERE k.bucket = CASE WHEN r.factor IS NULL THEN v.currency ELSE ?2 END
                """, CustomerValueSQL.values(policy: policy, end: nil))
            try c.run("INSERT INTO temp.value_tier_work(contact_id, tier) SELECT contact_id, min(tier) FROM temp.value_tier_ranks GROUP BY contact_id")
        } else {
            try c.run("""
                INSERT INTO temp.value_tier_work(contact_id, tier)
                WITH \(CustomerValueSQL.storedValuedCTEs), \(CustomerValueSQL.rankedCTE)
                SELECT contact_id, min(tier) FROM ranked GROUP BY contact_id
                """, CustomerValueSQL.values(policy: policy, end: nil))
        }
        // Only the rows whose tier changes are written: a recompute after a
        // small change touches a handful of contacts, not every customer.
        try c.run("""
            UPDATE contacts SET value_tier = NULL
            WHERE value_tier IS NOT NULL AND deleted_at IS NULL
              AND id NOT IN (SELECT contact_id FROM temp.value_tier_work)
            """)
        // Driven from the work table (one primary key look-up per valued
        // customer): UPDATE … FROM scanned all 100,000 contacts.
        try c.run("""
            UPDATE contacts SET value_tier = (SELECT w.tier FROM temp.value_tier_work w WHERE w.contact_id = contacts.id)
            WHERE id IN (SELECT w.contact_id FROM temp.value_tier_work w CROSS JOIN contacts c ON c.id = w.contact_id
                         WHERE c.value_tier IS NOT w.tier)
            """)
        if rankKeys {
            // Written only where a tier changes, from the ranked rows by key.
            try c.run("""
                UPDATE customer_won_values SET tier = NULL
                WHERE tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM temp.value_tier_ranks w
                                                       WHERE w.contact_id = customer_won_values.contact_id
                                                         AND w.currency = customer_won_values.currency)
                """)
            try c.run("""
                UPDATE customer_won_values
                SET tier = (SELECT w.tier FROM temp.value_tier_ranks w
                            WHERE w.contact_id = customer_won_values.contact_id AND w.currency = customer_won_values.currency)
                WHERE (contact_id, currency) IN (
                    SELECT w.contact_id, w.currency FROM temp.value_tier_ranks w
                    CROSS JOIN customer_won_values v ON v.contact_id = w.contact_id AND v.currency = w.currency
                    WHERE v.tier IS NOT w.tier)
                """)
        }
        try c.run("UPDATE value_tier_state SET stale = 0, policy = ? WHERE id = 1", [policy.key])
    }

    /// Brings `customer_won_values` (schema 32) up to date for the contacts
    /// and companies the triggers marked since the last commit: each marked
    /// customer's sums are worked out again from its won deals, exactly as
    /// `CustomerValueSQL.valuedCTEs` counts them (its own deals not of its
    /// company, and its company's), and the marks are cleared.
    func refreshValues(_ c: Connection) throws {
        // Emptied first: the incremental tiers (ValueTierCuts) read it as
        // the customers this commit refreshed.
        try c.execute("CREATE TEMP TABLE IF NOT EXISTS value_refresh(contact_id INTEGER PRIMARY KEY)")
        try c.run("DELETE FROM temp.value_refresh")
        guard try c.scalar("SELECT EXISTS (SELECT 1 FROM customer_won_values_dirty)") == 1 else { return }
        // Since schema 48 the sums also keep their deals and last closing,
        // since schema 54 the deals closed in the stored year (its window's
        // end, ?1).
        let hasRankKeys = CustomerRankKeys.isStored(c)
        let yearEnd = try CustomerLifetimeKeys.dealsYearEnd(c)
        // A marked contact, and every live customer of a marked company.
        try c.run("""
            INSERT OR IGNORE INTO temp.value_refresh(contact_id)
            SELECT id FROM customer_won_values_dirty WHERE kind = 'contact'
            UNION
            SELECT c.id FROM customer_won_values_dirty x CROSS JOIN contacts c INDEXED BY contacts_customers_by_company
                ON c.company_id = x.id
            WHERE x.kind = 'company' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
            """)
        try c.run("DELETE FROM customer_won_values WHERE contact_id IN (SELECT contact_id FROM temp.value_refresh)")
        try c.run("""
            INSERT INTO customer_won_values(contact_id, currency, value_minor\(hasRankKeys ? ", deals, last_won" : "")\(
                yearEnd == nil ? "" : ", deals_year"))
            SELECT contact_id, currency, sum(value_minor)\(hasRankKeys ? ", count(*), max(closed_at)" : "")\(
                yearEnd == nil ? "" : ", coalesce(sum(closed_at >= ?1 - 31536000 AND closed_at < ?1), 0)") FROM (
                SELECT c.id AS contact_id, d.currency, d.value_minor, d.closed_at
                FROM temp.value_refresh r CROSS JOIN contacts c ON c.id = r.contact_id
                CROSS JOIN deals d INDEXED BY deals_won_by_contact ON d.contact_id = c.id
                WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' AND d.deleted_at IS NULL AND d.status = 'won'
                  AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id) AND coalesce(d.closed_at, 0) < 9223372036854775807
                UNION ALL
                SELECT c.id, d.currency, d.value_minor, d.closed_at
                FROM temp.value_refresh r CROSS JOIN contacts c ON c.id = r.contact_id
                CROSS JOIN deals d INDEXED BY deals_won_by_company ON d.company_id = c.company_id
                WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' AND d.deleted_at IS NULL AND d.status = 'won'
                  AND coalesce(d.closed_at, 0) < 9223372036854775807)
            GROUP BY contact_id, currency
            """, yearEnd.map { [$0] } ?? [])
        try c.run("DELETE FROM customer_won_values_dirty")
    }
}
