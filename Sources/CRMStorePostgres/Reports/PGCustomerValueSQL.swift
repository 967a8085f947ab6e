import CRMCore
import CRMRepositories
import Foundation

/// A customer's won value and value tier in PostgreSQL's SQL, the same
/// definition as SQLite's CustomerValueSQL, used by both the Customers
/// report and the stored tiers (PGValueTierRecompute).
///
/// Parameters: $1 the policy's conversion factors (jsonb {"USD": 92.0}),
/// $2 the default currency, $3 the end (deals closed before it count),
/// $4 the pipelines (bigint[], NULL: all), $5 one currency (NULL: all),
/// $6 tier A's share (0…1), $7 tiers A and B together (0…1), $8 the owners
/// (bigint[], NULL: everyone's), $9 now. Every statement binds all nine
/// (`values`), so each parameter has a type wherever it is used.
/// Values are double precision, as SQLite's (integers, or reals once
/// converted); sums of whole minor units stay exact below 2^53.
enum PGCustomerValueSQL {
    static let ctes = """
        rates AS MATERIALIZED (SELECT key AS currency, value::float8 AS factor FROM jsonb_each_text($1::jsonb)),
        customers AS (
            SELECT id, company_id, owner_id, last_interaction_at, created_at, value_tier
            FROM contacts WHERE deleted_at IS NULL AND lifecycle = 'customer'
        ),
        won AS (
            SELECT c.id AS contact_id, c.owner_id, d.currency, d.value_minor, d.closed_at
            FROM deals d JOIN contacts c ON c.id = d.contact_id
            WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
              AND (c.company_id IS NULL OR d.company_id IS DISTINCT FROM c.company_id)
              AND coalesce(d.closed_at, 0) < $3::bigint AND ($5::text IS NULL OR d.currency = $5::text)
              AND ($4::bigint[] IS NULL OR d.pipeline_id = ANY($4::bigint[]))
            UNION ALL
            SELECT c.id, c.owner_id, d.currency, d.value_minor, d.closed_at
            FROM deals d JOIN contacts c ON c.company_id = d.company_id
            WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
              AND coalesce(d.closed_at, 0) < $3::bigint AND ($5::text IS NULL OR d.currency = $5::text)
              AND ($4::bigint[] IS NULL OR d.pipeline_id = ANY($4::bigint[]))
        ),
        valued AS MATERIALIZED (
            SELECT w.contact_id, max(w.owner_id) AS owner_id,
                   CASE WHEN r.factor IS NULL THEN w.currency ELSE $2::text END COLLATE "C" AS bucket,
                   bool_or(r.factor IS NOT NULL AND w.currency <> $2::text) AS converted,
                   sum(CASE WHEN r.factor IS NULL THEN w.value_minor::float8 ELSE w.value_minor * r.factor END) AS value,
                   count(*) AS deals, max(w.closed_at) AS last_won,
                   count(*) FILTER (WHERE coalesce(w.closed_at, 0) >= $3::numeric - 31536000) AS deals_last_year
            FROM won w LEFT JOIN rates r ON r.currency = w.currency
            GROUP BY w.contact_id, 3
        ),
        ranked AS MATERIALIZED (
            SELECT contact_id, owner_id, bucket, converted, value, deals, last_won, deals_last_year,
                   CASE WHEN sum(value) OVER above - value < $6::float8 * sum(value) OVER everyone THEN 'A'
                        WHEN sum(value) OVER above - value < $7::float8 * sum(value) OVER everyone THEN 'B'
                        ELSE 'C' END AS tier
            FROM valued WHERE value > 0
            WINDOW everyone AS (PARTITION BY bucket),
                   above AS (PARTITION BY bucket ORDER BY value DESC, contact_id ROWS UNBOUNDED PRECEDING)
        ),
        mscore AS MATERIALIZED (
            SELECT contact_id, max(m) AS m FROM (
                SELECT cu.id AS contact_id,
                       ntile(5) OVER (PARTITION BY coalesce(v.bucket, $2::text) ORDER BY coalesce(v.value, 0), cu.id) AS m
                FROM customers cu LEFT JOIN valued v ON v.contact_id = cu.id) x
            GROUP BY contact_id
        ),
        scored AS (
            -- Joined, not looked up per customer: a CTE has no index, and a
            -- correlated look-up into one scans it once per customer.
            SELECT cu.id AS contact_id, cu.owner_id,
                   greatest(coalesce(cu.last_interaction_at, 0), coalesce(lw.last_won, 0)) AS last_touch,
                   (SELECT count(*) FROM interactions i
                    WHERE i.contact_id = cu.id AND i.deleted_at IS NULL AND i.occurred_at >= $9::bigint - 31536000
                      AND i.occurred_at < $9::bigint) AS frequency,
                   q.m
            FROM customers cu
            LEFT JOIN (SELECT contact_id, max(last_won) AS last_won FROM valued GROUP BY contact_id) lw ON lw.contact_id = cu.id
            LEFT JOIN mscore q ON q.contact_id = cu.id
        ),
        rfm AS (
            SELECT contact_id, owner_id, ntile(5) OVER (ORDER BY last_touch, contact_id) AS r,
                   ntile(5) OVER (ORDER BY frequency, contact_id) AS f, m
            FROM scored
        ),
        -- Names $8's type for statements that do not filter by owner (an
        -- unreferenced CTE is analysed, never run).
        owners AS (SELECT $8::bigint[] AS ids)
        """

    /// `ctes`' frequency term as it holds it (its literal's indentation removed).
    private static let countedTerm = "(SELECT count(*) FROM interactions i\n"
        + "            WHERE i.contact_id = cu.id AND i.deleted_at IS NULL AND i.occurred_at >= $9::bigint - 31536000\n"
        + "              AND i.occurred_at < $9::bigint) AS frequency,"

    /// `ctes` with a frequency that leaves the deals' stage changes out
    /// (schema 66: no contact with the customer). `ctes` itself is frozen
    /// into step 30, which counts every kind; its frequency is read by the
    /// report only, never by the tiers' recompute of step 30.
    static let countedFrequencyCTEs: String = {
        let counted = ctes.replacingOccurrences(of: countedTerm, with: "(SELECT count(*) FROM interactions i\n"
            + "            WHERE i.contact_id = cu.id AND i.deleted_at IS NULL AND i.kind <> 'stage'\n"
            + "              AND i.occurred_at >= $9::bigint - 31536000 AND i.occurred_at < $9::bigint) AS frequency,")
        precondition(counted != ctes, "the frequency term of PGCustomerValueSQL.ctes changed: update countedTerm")
        return counted
    }()

    /// `ctes` with the RFM frequency read from the stored window (schema 40,
    /// `contact_year_interactions`, one row per contact joined by primary
    /// key) plus `yearfix`, the corrections to $9 = now of the contacts with
    /// interactions in the two slices between the window and now
    /// (InteractionYearWindow; read from interactions_by_time), instead of
    /// a count of every customer's interactions. Made from `ctes` by
    /// replacing its frequency term, so the two cannot differ elsewhere
    /// (`ctes` itself is frozen into step 30); valid while now is less than a
    /// year from the window's end (PGCustomerReportRepository checks).
    static let storedFrequencyCTEs: String = {
        let customers = "FROM customers cu\n    LEFT JOIN (SELECT contact_id, max(last_won)"
        let stored = ctes
            .replacingOccurrences(of: countedTerm, with: "coalesce(y.interactions, 0) + coalesce(f.delta, 0) AS frequency,")
            .replacingOccurrences(of: customers, with: "FROM customers cu\n"
                + "    LEFT JOIN contact_year_interactions y ON y.contact_id = cu.id\n"
                + "    LEFT JOIN yearfix f ON f.contact_id = cu.id\n"
                + "    LEFT JOIN (SELECT contact_id, max(last_won)")
        precondition(stored.contains("yearfix f") && !stored.contains("SELECT count(*) FROM interactions"),
                     "the frequency term of PGCustomerValueSQL.ctes changed: update storedFrequencyCTEs")
        return """
            yearwindow AS MATERIALIZED (
                SELECT least(as_of, $9::bigint) AS lo, greatest(as_of, $9::bigint) AS hi,
                       CASE WHEN $9::bigint >= as_of THEN 1 ELSE -1 END AS sign
                FROM contact_year_window WHERE id = 1
            ),
            -- The slices' ends as scalar subqueries, not a join: joined, the
            -- planner guessed a third of the table per slice and read all of
            -- interactions_by_contact (130 ms at 1,000,000 interactions)
            -- instead of the few rows of interactions_by_time.
            yearfix AS MATERIALIZED (
                SELECT x.contact_id, sum(x.delta) AS delta FROM (
                    SELECT i.contact_id, (SELECT sign FROM yearwindow) AS delta FROM interactions i
                    WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
                      AND i.occurred_at >= (SELECT lo FROM yearwindow) AND i.occurred_at < (SELECT hi FROM yearwindow)
                    UNION ALL
                    SELECT i.contact_id, -(SELECT sign FROM yearwindow) FROM interactions i
                    WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
                      AND i.occurred_at >= (SELECT lo FROM yearwindow) - 31536000
                      AND i.occurred_at < (SELECT hi FROM yearwindow) - 31536000) x
                GROUP BY x.contact_id
            ),

            """ + stored
    }()

    /// The owners filter on a row of `alias`.
    static func owned(_ alias: String) -> String { "($8::bigint[] IS NULL OR \(alias).owner_id = ANY($8::bigint[]))" }

    static func values(policy: ValueTierPolicy, end: Date?, pipelineIDs: [Int64] = [], currency: Currency? = nil,
                       owners: [Int64] = [], now: Date = Date(timeIntervalSince1970: 0)) -> [any PGBindable] {
        let a = max(0, min(1, policy.tierA / 100))
        let ab = max(a, min(1, (policy.tierA + policy.tierB) / 100))
        return [json(policy.minorFactors), policy.currency.code, end?.wholeSecondsSince1970 ?? Int64.max,
                pipelineIDs.isEmpty ? nil : PGReportSQL.array(pipelineIDs), currency?.code, a, ab,
                owners.isEmpty ? nil : PGReportSQL.array(owners), now.wholeSecondsSince1970]
    }

    /// A JSON object of ISO codes and plain numbers (nothing typed by a person).
    static func json(_ factors: [String: Double]) -> String {
        "{" + factors.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }
}


/// Keeps `contacts.value_tier` in step on PostgreSQL, as ValueTierRecompute
/// does on SQLite. At every COMMIT that changed a won deal or a customer the
/// schema's deferred trigger (PGSchemaV30ValueTiers) recomputes with the
/// policy stored in value_tier_state; `recompute(policy)` stores a new
/// policy and recomputes at once (when the settings' shares or rates change).
public final class PGValueTierRecompute {
    public var policy: ValueTierPolicy
    public init(policy: ValueTierPolicy) { self.policy = policy }

    /// The new tiers from every won deal, written only where a contact's
    /// tier changes (to a tier, or to none); parameters as
    /// PGCustomerValueSQL's. Frozen into step 30's trigger function; since
    /// step 67 the tiers are ranked from the stored sums instead
    /// (PGSchemaV67CustomerWonValues.storedTierUpdateSQL).
    static let updateSQL = """
        WITH \(PGCustomerValueSQL.ctes),
        fresh AS (SELECT contact_id, min(tier) AS tier FROM ranked GROUP BY contact_id),
        changes AS (
            SELECT c.id, f.tier FROM contacts c LEFT JOIN fresh f ON f.contact_id = c.id
            WHERE c.deleted_at IS NULL AND (c.value_tier IS NOT NULL OR f.tier IS NOT NULL)
              AND c.value_tier IS DISTINCT FROM f.tier
        )
        UPDATE contacts SET value_tier = changes.tier FROM changes WHERE contacts.id = changes.id
        """

    /// Whether the stored tiers were made with another policy (a writer
    /// opening the database with other settings recomputes).
    public func isOutOfDate(_ c: PGConnection) throws -> Bool {
        try c.integer("SELECT count(*) FROM value_tier_state WHERE id = 1 AND (stale = 1 OR policy IS DISTINCT FROM ?)", [policy.key]) == 1
    }

    /// Stores the policy and works every tier out anew, in one transaction.
    public func recompute(_ c: PGConnection) throws {
        try c.transaction {
            let values = PGCustomerValueSQL.values(policy: policy, end: nil)
            // No JIT for the ranking (as the trigger's function, step 42).
            _ = try c.execute("SET LOCAL jit = off")
            // The row lock first: a concurrent commit's recompute waits.
            try c.run("""
                UPDATE value_tier_state SET policy = ?, factors = ?, currency = ?, tier_a = ?::float8, tier_ab = ?::float8 WHERE id = 1
                """, [policy.key, values[0], values[1], values[5], values[6]])
            // The stored sums of the customers writes marked (schema 67),
            // then every tier ranked anew from them with the policy just
            // stored: each sum's and each contact's (schema 74).
            try c.run("SELECT crm_customer_won_values_refreshed()")
            try c.run("SELECT crm_value_tier_rank_all()")
            try c.run("UPDATE value_tier_state SET stale = 0 WHERE id = 1")
        }
    }
}
