import CRMRepositories
import Foundation

/// The steps the Customers page's sections share, worked out once per page
/// instead of once per section: every customer's value per currency
/// (`valued`), its tier (`ranked`) and its RFM scores (`rfm`, with `m`) go into
/// temporary tables of this connection (TEMP: a read-only opening may fill
/// them too, the file is never written). Top customers, tiers, lifetime
/// value and segments then read those small tables.
///
/// The tables are kept for the next call while nothing could have changed
/// them: the same end, now, pipelines, currency and policy (the owners
/// filter is applied on reading), no commit by another connection
/// (`PRAGMA data_version`) and no change by this one (total changes).
/// Inside a transaction they are made anew each time: what a transaction
/// sees may be rolled back.
extension SQLiteCustomerReportRepository {
    /// Fills the temporary tables for `filter` and `policy` unless they
    /// already hold them.
    func prepareFigures(_ filter: ReportFilter, _ policy: ValueTierPolicy, scores: Bool = false) throws {
        let key = "\(filter.end.wholeSecondsSince1970)|\(filter.now.wholeSecondsSince1970)|\(filter.pipelineIDs)|"
            + "\(filter.currency?.code ?? "")|\(policy.key)|\(try c.dataVersion())"
        let statements = Self.figureStatements(filter, policy, asOf: try CustomerYearInteractions.asOf(c))
        if !(c.isAutocommit && db.customerReportCacheKey == "\(key)|\(c.totalChanges)") {
            db.customerReportCacheKey = nil
            db.customerReportScoresKey = nil
            // Ids typed INTEGER and currencies TEXT, so a join on them can use
            // the primary keys (an untyped column compared with an integer
            // cannot); the figures are stored as computed, untyped.
            try c.execute("""
                CREATE TEMP TABLE IF NOT EXISTS customer_report_valued(contact_id INTEGER, owner_id INTEGER, bucket TEXT,
                    converted, value, deals, last_won, deals_last_year, PRIMARY KEY (contact_id, bucket));
                CREATE TEMP TABLE IF NOT EXISTS customer_report_ranked(contact_id INTEGER, owner_id INTEGER, bucket TEXT,
                    converted, value, deals, last_won, deals_last_year, tier TEXT, PRIMARY KEY (contact_id, bucket));
                CREATE TEMP TABLE IF NOT EXISTS customer_report_m(contact_id INTEGER PRIMARY KEY, m);
                CREATE TEMP TABLE IF NOT EXISTS customer_report_rfm(contact_id INTEGER PRIMARY KEY, owner_id INTEGER, r, f, m);
                CREATE TEMP TABLE IF NOT EXISTS customer_report_f(contact_id INTEGER PRIMARY KEY, delta);
                CREATE TEMP TABLE IF NOT EXISTS customer_report_scored(contact_id INTEGER PRIMARY KEY, owner_id INTEGER,
                    last_touch INTEGER, frequency INTEGER, m);
                DELETE FROM temp.customer_report_valued;
                DELETE FROM temp.customer_report_ranked;
                """)
            for (sql, values) in statements.prefix(2) { try c.run(sql, values) }
            if c.isAutocommit { db.customerReportCacheKey = "\(key)|\(c.totalChanges)" }
        }
        // The RFM scores (most of the work: a count of interactions per
        // customer and three rankings) only for the sections that show them.
        guard scores, !(c.isAutocommit && db.customerReportScoresKey == "\(key)|\(c.totalChanges)") else { return }
        // The score indexes are dropped while the scores are filled and made
        // again after: one sort each instead of 35,000 inserts in key order.
        try c.execute("""
            DELETE FROM temp.customer_report_m; DELETE FROM temp.customer_report_rfm; DELETE FROM temp.customer_report_f;
            DROP INDEX IF EXISTS temp.customer_report_scored_r; DROP INDEX IF EXISTS temp.customer_report_scored_f;
            DELETE FROM temp.customer_report_scored;
            """)
        for (sql, values) in statements.dropFirst(2).dropLast() { try c.run(sql, values) }
        try c.execute("""
            CREATE INDEX temp.customer_report_scored_r ON customer_report_scored(last_touch, contact_id);
            CREATE INDEX temp.customer_report_scored_f ON customer_report_scored(frequency, contact_id);
            """)
        let count = try c.scalar("SELECT count(*) FROM temp.customer_report_scored") ?? 0
        let bounds = try QuintileBounds.read(c, index: "customer_report_scored_r", key: "last_touch", count: count)
            + QuintileBounds.read(c, index: "customer_report_scored_f", key: "frequency", count: count)
        try c.run(Self.scoreSQL, bounds)
        if c.isAutocommit {
            db.customerReportScoresKey = "\(key)|\(c.totalChanges)"
            db.customerReportCacheKey = "\(key)|\(c.totalChanges)"
        }
    }

    /// Makes the next page work its figures out anew (the bench measures
    /// a page as the first one after a change).
    public func forgetFigures() {
        db.customerReportCacheKey = nil
        db.customerReportScoresKey = nil
        db.customerRankBounds = nil
    }

    /// The RFM boundaries of the stored ranking keys (schema 48) for
    /// `filter` and `policy`, read once per page like the tables above;
    /// nil when the stored keys do not give the figures asked for
    /// (CustomerRankKeys.applies): the page then fills the tables.
    func rankBounds(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> (rf: [SQLBindable], mDefault: [SQLBindable])? {
        guard db.readsStoredRankKeys else { return nil }
        let key = "\(filter.end.wholeSecondsSince1970)|\(filter.now.wholeSecondsSince1970)|\(policy.key)|\(try c.dataVersion())"
        if c.isAutocommit, let cached = db.customerRankBounds, cached.key == "\(key)|\(c.totalChanges)" { return cached.values }
        db.customerRankBounds = nil
        guard try storedKeysApply(filter, policy) else { return nil }
        let values = try CustomerRankKeys.prepareBounds(c, filter, policy)
        if c.isAutocommit { db.customerRankBounds = ("\(key)|\(c.totalChanges)", values) }
        return values
    }

    /// Whether the page reads the stored ranking keys for `filter` and
    /// `policy` (CustomerRankKeys.applies; tests turn them off to compare
    /// with the figures worked out from the won deals).
    func storedKeysApply(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> Bool {
        db.readsStoredRankKeys ? try CustomerRankKeys.applies(c, filter, policy) : false
    }

    /// The statements that fill the tables, with their parameters
    /// (also read by the query plan test). SQLite counts parameters up to
    /// the highest number used, so each binds the values up to its highest.
    /// `asOf`: the end of the stored interaction window (schema 40; nil on
    /// an older file, which counts every customer's interactions).
    static func figureStatements(_ filter: ReportFilter, _ policy: ValueTierPolicy, asOf: Int64?) -> [(String, [SQLBindable])] {
        let values = CustomerValueSQL.values(policy: policy, end: filter.end, pipelineIDs: filter.pipelineIDs, currency: filter.currency)
        let stored = "valued AS (SELECT * FROM temp.customer_report_valued)"
        let frequency = frequencyStatements(filter, asOf: asOf)
        return [
            ("""
             INSERT INTO temp.customer_report_valued
             WITH \(CustomerValueSQL.valuedCTEs(pipelines: !filter.pipelineIDs.isEmpty))
             SELECT contact_id, owner_id, bucket, converted, value, deals, last_won, deals_last_year FROM valued
             """, Array(values.prefix(5))),
            ("""
             INSERT INTO temp.customer_report_ranked
             WITH \(stored), \(CustomerValueSQL.rankedCTE)
             SELECT contact_id, owner_id, bucket, converted, value, deals, last_won, deals_last_year, tier FROM ranked
             """, values),
            // M: the monetary quintile within the customer's currency
            // (customers without value as 0 in the default currency, ?1); in
            // several currencies, the best. Kept apart so the scores below
            // find it by primary key.
            ("""
             INSERT INTO temp.customer_report_m
             WITH \(CustomerValueSQL.customersCTE)
             SELECT contact_id, max(m) FROM (
                 SELECT cu.id AS contact_id,
                        ntile(5) OVER (PARTITION BY coalesce(v.bucket, ?1) ORDER BY coalesce(v.value, 0), cu.id) AS m
                 FROM customers cu LEFT JOIN temp.customer_report_valued v ON v.contact_id = cu.id)
             GROUP BY contact_id
             """, [policy.currency.code]),
            frequency.corrections,
            // Each customer's last touch (the later of the last interaction
            // and the last won deal), frequency (the interactions of the 365
            // days before now, `frequency`) and M score. Every look-up is by
            // primary key or index, per customer.
            ("""
             INSERT INTO temp.customer_report_scored(contact_id, owner_id, last_touch, frequency, m)
             WITH \(CustomerValueSQL.customersCTE)
             SELECT cu.id, cu.owner_id,
                    max(coalesce(cu.last_interaction_at, 0),
                        coalesce((SELECT max(v.last_won) FROM temp.customer_report_valued v WHERE v.contact_id = cu.id), 0)),
                    \(frequency.term),
                    (SELECT q.m FROM temp.customer_report_m q WHERE q.contact_id = cu.id)
             FROM customers cu
             """, frequency.values),
            (scoreSQL, QuintileBounds.none + QuintileBounds.none),
        ]
    }

    /// R and F: the quintile (ntile(5), ties by id) of each customer's last
    /// touch and frequency, from the first key of quintiles 2 to 5 (?1–?8
    /// the last touch's, ?9–?16 the frequency's; QuintileBounds), read from
    /// the indexes of `customer_report_scored`: a score is 1 + the number
    /// of those its (key, id) reaches. The same scores as the window
    /// functions `ntile(5) OVER (ORDER BY key, contact_id)`, which sorted
    /// and numbered all 35,000 customers twice (about 70 ms at 100,000
    /// contacts) where this reads eight index entries.
    static let scoreSQL = """
        INSERT INTO temp.customer_report_rfm(contact_id, owner_id, r, f, m)
        SELECT contact_id, owner_id,
               1 + ((last_touch, contact_id) >= (?1, ?2)) + ((last_touch, contact_id) >= (?3, ?4))
                 + ((last_touch, contact_id) >= (?5, ?6)) + ((last_touch, contact_id) >= (?7, ?8)),
               1 + ((frequency, contact_id) >= (?9, ?10)) + ((frequency, contact_id) >= (?11, ?12))
                 + ((frequency, contact_id) >= (?13, ?14)) + ((frequency, contact_id) >= (?15, ?16)),
               m
        FROM temp.customer_report_scored
        """

    /// A customer's interactions in the 365 days before now, as a term of
    /// the scores' statement (`cu` the customer), and the statement run
    /// before it. With the stored window (schema 40): the stored count by
    /// primary key plus `customer_report_f`, the corrections to now of the
    /// few contacts with interactions in the two slices between the window
    /// and now (CustomerYearInteractions). On an older file, or with a now
    /// a year or more from the window: a count over interactions_by_contact
    /// per customer (?1 now), and nothing before.
    static func frequencyStatements(_ filter: ReportFilter, asOf: Int64?)
        -> (corrections: (String, [SQLBindable]), term: String, values: [SQLBindable]) {
        let now = filter.now.wholeSecondsSince1970
        let year = CustomerYearInteractions.year
        guard let asOf, let slices = CustomerYearInteractions.slices(asOf: asOf, now: now) else {
            return (("DELETE FROM temp.customer_report_f", []), """
                (SELECT count(*) FROM interactions i
                 WHERE i.contact_id = cu.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                   AND i.occurred_at >= ?1 - 31536000 AND i.occurred_at < ?1)
                """, [now])
        }
        return (("INSERT INTO temp.customer_report_f(contact_id, delta) \(CustomerYearInteractions.correctionsSQL)",
                 [slices.lo, slices.hi, slices.sign, year]), """
            coalesce((SELECT y.interactions FROM contact_year_interactions y WHERE y.contact_id = cu.id), 0)
                + coalesce((SELECT f.delta FROM temp.customer_report_f f WHERE f.contact_id = cu.id), 0)
            """, [])
    }
}
