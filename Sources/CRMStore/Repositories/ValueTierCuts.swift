import CRMCore
import CRMRepositories
import Foundation

/// The stored value tiers brought up to date from the cuts of each
/// currency's ranking instead of ranking every customer again: the
/// recompute a won deal's transaction pays before COMMIT, under the write
/// lock (ValueTierRecompute; 245 ms of CPU at 100,000 contacts for the
/// window functions over every stored sum, while a colleague waits).
///
/// Without exchange rates a customer's bucket is the currency of each of
/// its stored sums (`customer_won_values`), and `CustomerValueSQL.rankedCTE`
/// gives a sum tier A while the value ranked above it (value descending,
/// ties by id) is below tier A's share of its currency's total, B while
/// below A + B, else C. The value above only grows down the ranking, so
/// each currency's tiers are a run of A, then of B, then of C: two cuts.
/// This walks each currency's rank index (it holds the tier) from the top,
/// the total summed first from the value index, writing the rows whose
/// tier differs, down to the first C row; every row after it that is not
/// C yet is made C with one range update. The contacts whose tiers moved,
/// and those the refresh before it summed again (`temp.value_refresh`),
/// get the best of their tiers, as the full ranking gives them.
///
/// Only when the stored tiers were made with this policy (the step that
/// follows a change of shares or rates ranks everyone again) and there are
/// no rates (a converted bucket adds currencies up: ranked in SQL as
/// before). The same tiers, row for row, as the full ranking: the tests of
/// the tiers run through this path, and ValueTierCutsTests compares it
/// with the full ranking after writes.
enum ValueTierCuts {
    /// Brings the tiers up to date and returns true, or returns false
    /// (nothing written) where the full ranking must run.
    static func recompute(_ c: Connection, policy: ValueTierPolicy) throws -> Bool {
        guard policy.minorFactors.count == 1, CustomerRankKeys.isStored(c),
              try c.text("SELECT policy FROM value_tier_state WHERE id = 1") == policy.key else { return false }
        let a = max(0, min(1, policy.tierA / 100))
        let ab = max(a, min(1, (policy.tierA + policy.tierB) / 100))
        try c.execute("CREATE TEMP TABLE IF NOT EXISTS value_tier_moved(contact_id INTEGER PRIMARY KEY)")
        try c.run("DELETE FROM temp.value_tier_moved")
        let currencies = try c.rows("SELECT DISTINCT currency FROM customer_won_values INDEXED BY customer_won_values_by_value") {
            $0.string(0)
        }
        for currency in currencies {
            try cut(c, currency, a: a, ab: ab)
        }
        // The best tier of each contact whose sums moved or were summed
        // again (NULL: none left); a trashed contact keeps its tier, as the
        // full ranking leaves it.
        try c.run("""
            UPDATE contacts SET value_tier = (SELECT min(v.tier) FROM customer_won_values v WHERE v.contact_id = contacts.id)
            WHERE id IN (SELECT contact_id FROM temp.value_tier_moved UNION SELECT contact_id FROM temp.value_refresh)
              AND deleted_at IS NULL
              AND value_tier IS NOT (SELECT min(v.tier) FROM customer_won_values v WHERE v.contact_id = contacts.id)
            """)
        try c.run("UPDATE value_tier_state SET stale = 0, policy = ? WHERE id = 1", [policy.key])
        return true
    }

    /// One currency: the rows down to the first C row walked and written
    /// where they differ, every row after it made C, sums of 0 or less
    /// without a tier.
    private static func cut(_ c: Connection, _ currency: String, a: Double, ab: Double) throws {
        let total = try c.scalar("""
            SELECT sum(value_minor) FROM customer_won_values INDEXED BY customer_won_values_by_value
            WHERE currency = ?1 AND value_minor > 0
            """, [currency]) ?? 0
        let shareA = a * Double(total), shareAB = ab * Double(total)
        var changed: [(id: Int64, tier: String)] = []
        var firstC: (value: Int64, id: Int64)?
        let walk = try c.prepare("""
            SELECT contact_id, value_minor, tier FROM customer_won_values INDEXED BY customer_won_values_by_rank
            WHERE currency = ?1 AND value_minor > 0 ORDER BY value_minor DESC, contact_id
            """)
        try walk.bind([currency])
        let row = Row(statement: walk)
        var above: Int64 = 0
        while try walk.step() {
            let id = row.int64(0), value = row.int64(1)
            // The value ranked above this row (`sum(value) OVER above - value`).
            let tier = Double(above) < shareA ? "A" : Double(above) < shareAB ? "B" : "C"
            if tier == "C" {
                firstC = (value, id)
                walk.reset()
                break
            }
            if row.optionalString(2) != tier { changed.append((id, tier)) }
            above += value
        }
        for (id, tier) in changed {
            try c.run("INSERT OR IGNORE INTO temp.value_tier_moved(contact_id) VALUES (?)", [id])
            try c.run("UPDATE customer_won_values SET tier = ? WHERE contact_id = ? AND currency = ?", [tier, id, currency])
        }
        if let firstC {
            // From the first C row on, in rank order: value below its value,
            // or its value and an id from its id.
            let after = """
                currency = ?1 AND value_minor > 0 AND value_minor <= ?2 AND (value_minor < ?2 OR contact_id >= ?3)
                AND tier IS NOT 'C'
                """
            try c.run("""
                INSERT OR IGNORE INTO temp.value_tier_moved(contact_id)
                SELECT contact_id FROM customer_won_values INDEXED BY customer_won_values_by_rank WHERE \(after)
                """, [currency, firstC.value, firstC.id])
            try c.run("UPDATE customer_won_values SET tier = 'C' WHERE \(after)", [currency, firstC.value, firstC.id])
        }
        try c.run("""
            INSERT OR IGNORE INTO temp.value_tier_moved(contact_id)
            SELECT contact_id FROM customer_won_values INDEXED BY customer_won_values_by_value
            WHERE currency = ?1 AND value_minor <= 0 AND tier IS NOT NULL
            """, [currency])
        try c.run("UPDATE customer_won_values SET tier = NULL WHERE currency = ?1 AND value_minor <= 0 AND tier IS NOT NULL", [currency])
    }
}
