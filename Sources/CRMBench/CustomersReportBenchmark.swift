import CRMCore
import CRMRepositories
import CRMStore
import CRMStorePostgres
import CRMViewModels
import Foundation

/// The Customers report page (Reports, page 5) on the bench database
/// (100,000 contacts, about 1,000,000 interactions, 30,000 deals): each of
/// its queries, the whole page as the screen and `crm report customers`
/// build it, and the stored tiers' recompute that a change of won value
/// adds to its transaction; on SQLite or on PostgreSQL (`engine`), through
/// the same repository protocol.
public struct CustomersReportBenchmark {
    public var engine: BenchEngine
    public var runs: Int

    public init(path: String, runs: Int) {
        self.init(engine: .sqlite(path: path), runs: runs)
    }

    public init(engine: BenchEngine, runs: Int) {
        self.engine = engine
        self.runs = runs
    }

    public func run(progress: (String) -> Void) throws -> [BenchTable.Measurement] {
        let db = try engine.open(login: nil)
        let report = db.customerReportRepository
        // Each engine keeps a page's shared figures for its next section.
        let forgetFigures = {
            (report as? SQLiteCustomerReportRepository)?.forgetFigures()
            (report as? PGCustomerReportRepository)?.forgetFigures()
        }
        let settings = Settings()
        let policy = ValueTierPolicy(settings: settings)
        let now = Date()
        // The last quarter: the period the team lead looks at most.
        let filter = ReportFilter(start: now.addingTimeInterval(-90 * 86_400), end: now, now: now)
        var rows: [BenchTable.Measurement] = []
        func measure(_ name: String, _ body: () throws -> Void) throws {
            progress("customers report: \(name)")
            // Each sample works the shared figures out anew (the page after
            // a change), not from the previous sample's temporary tables.
            rows.append(try ThreadCPUTime.measure("customers report: \(name)", runs: runs, targetMs: 50) {
                forgetFigures(); try body()
            })
        }
        try measure("value per customer (top 20)") { _ = try report.topCustomers(filter, policy: policy, limit: 20) }
        try measure("tiers") { _ = try report.tiers(filter, policy: policy) }
        try measure("lifetime value") { _ = try report.lifetimeValue(filter, policy: policy) }
        // Segments and retention as the page asks (counted), with every id
        // (the protocol's full answer, what the page read before), and what
        // Enter on a row asks: that row's customers.
        try measure("RFM segments") { _ = try report.segmentCounts(filter, policy: policy) }
        try measure("RFM segments with every id") { _ = try report.segments(filter, policy: policy) }
        try measure("Enter on a segment (loyal)") { _ = try report.segmentCustomers(filter, policy: policy, segment: .loyal) }
        try measure("retention") { _ = try report.retentionCounts(filter) }
        try measure("retention with every id") { _ = try report.retention(filter) }
        try measure("Enter on retention's first row") { _ = try report.retentionCustomers(filter, part: .atStart) }
        try measure("at risk") {
            _ = try report.atRisk(filter, rules: settings.cadenceRules, windowDays: CustomersReportSheet.activityWindowDays, limit: 20,
                                  withIDs: false)
        }
        // With the ids of every customer at risk (`crm report --json` has no use for them; the protocol's full answer).
        try measure("at risk with every id") {
            _ = try report.atRisk(filter, rules: settings.cadenceRules, windowDays: CustomersReportSheet.activityWindowDays, limit: 20)
        }
        try measure("whole page") { _ = try CustomersReportSheet.build(filter, repositories: db, settings: settings) }
        progress("customers report: tier recompute")
        rows.append(try ThreadCPUTime.measure("value tiers: recompute (in a won deal's transaction)", runs: max(1, runs / 10),
                                              targetMs: 50) { try report.recomputeValueTiers(policy: policy) })
        return rows
    }
}
