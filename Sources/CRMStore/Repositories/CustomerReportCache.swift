import CRMRepositories
import Foundation

/// The steps the Customers page's sections share, worked out once per page
/// instead of once per section: every customer's value per currency
/// (`valued`), its tier (`ranked`) and its RFM scores (`rfm`) go into three
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
    func prepareFigures(_ filter: ReportFilter, _ policy: ValueTierPolicy) throws {
        let key = "\(filter.end.wholeSecondsSince1970)|\(filter.now.wholeSecondsSince1970)|\(filter.pipelineIDs)|"
            + "\(filter.currency?.code ?? "")|\(policy.key)|\(try c.dataVersion())"
        if c.isAutocommit, let cached = db.customerReportCacheKey, cached == "\(key)|\(c.totalChanges)" { return }
        db.customerReportCacheKey = nil
        try c.execute("""
            CREATE TEMP TABLE IF NOT EXISTS customer_report_valued(
                contact_id, owner_id, bucket, converted, value, deals, last_won, deals_last_year, PRIMARY KEY (contact_id, bucket));
            CREATE TEMP TABLE IF NOT EXISTS customer_report_ranked(
                contact_id, owner_id, bucket, converted, value, deals, last_won, deals_last_year, tier, PRIMARY KEY (contact_id, bucket));
            CREATE TEMP TABLE IF NOT EXISTS customer_report_rfm(contact_id PRIMARY KEY, owner_id, r, f, m);
            DELETE FROM temp.customer_report_valued;
            DELETE FROM temp.customer_report_ranked;
            DELETE FROM temp.customer_report_rfm;
            """)
        for (sql, values) in Self.figureStatements(filter, policy) { try c.run(sql, values) }
        if c.isAutocommit { db.customerReportCacheKey = "\(key)|\(c.totalChanges)" }
    }

    /// Makes the next page work its figures out anew (the bench measures
    /// a page as the first one after a change).
    public func forgetFigures() { db.customerReportCacheKey = nil }

    /// The three statements that fill the tables, with their parameters
    /// (also read by the query plan test). SQLite counts parameters up to
    /// the highest number used, so each binds the values up to its highest.
    static func figureStatements(_ filter: ReportFilter, _ policy: ValueTierPolicy) -> [(String, [SQLBindable])] {
        let values = CustomerValueSQL.values(policy: policy, end: filter.end, pipelineIDs: filter.pipelineIDs, currency: filter.currency)
        let stored = "valued AS (SELECT * FROM temp.customer_report_valued)"
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
            ("""
             INSERT INTO temp.customer_report_rfm
             WITH \(CustomerValueSQL.customersCTE), \(stored), \(rfmCTEs)
             SELECT contact_id, owner_id, r, f, m FROM rfm
             """, values + [SQLValue.null, filter.now]),
        ]
    }
}
