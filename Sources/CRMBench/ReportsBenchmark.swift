import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

/// The Pipeline and Forecast report pages at volume (the bench database:
/// 100,000 contacts, 30,000 deals): each sample builds a whole sheet as the
/// Reports view and `crm report` do, everyone's and one user's, over this
/// month and the last 365 days. Printed, never asserted (target 50 ms p99).
public struct ReportsBenchmark {
    public var engine: BenchEngine
    public var runs: Int

    public init(engine: BenchEngine, runs: Int) {
        self.engine = engine
        self.runs = runs
    }

    public init(path: String, runs: Int) { self.init(engine: .sqlite(path: path), runs: runs) }

    public func run(progress: (String) -> Void) throws -> [BenchTable.Measurement] {
        // SQLite read-only, as the Reports view reads; PostgreSQL as the program.
        let db: any CRMRepositories
        switch engine {
        case .sqlite(let path): db = try Database(path: path, mode: .read)
        case .postgres: db = try engine.open(login: nil)
        }
        var settings = Settings()
        settings.timeZone = TimeZone(identifier: "UTC")
        let now = Date()
        let owner = try db.allUsers().first.map { [$0.id] } ?? []
        var rows: [BenchTable.Measurement] = []
        for page in [ReportPage.pipeline, .forecast] {
            for (periodName, period) in [("this month", ReportPeriod.month), ("last 365 days", .lastDays(365))] {
                for (who, owners) in [("everyone", [Int64]()), ("one owner", owner)] {
                    progress("report \(page.rawValue) (\(periodName), \(who))")
                    let interval = period.interval(now: now, calendar: settings.effectiveCalendar)
                    let filter = ReportFilter(start: interval.start, end: interval.end, ownerIDs: owners, now: now)
                    rows.append(try ThreadCPUTime.measure("report \(page.rawValue): \(periodName), \(who)", runs: runs, targetMs: 50) {
                        _ = try ReportSheets.build(page, filter, repositories: db, settings: settings)
                    })
                    if page == .pipeline, who == "everyone" {
                        // The page's parts, to show where its time goes (as the
                        // page asks: counts, the ids Enter lists left out).
                        let repo = db.dealReportRepository
                        let parts: [(String, () throws -> Void)] = [
                            ("open stages", { _ = try repo.openStageFigures(filter, withIDs: false) }),
                            ("funnel", { _ = try repo.funnel(filter, withIDs: false) }),
                            ("days per stage", { _ = try repo.stageTimes(filter) }),
                        ]
                        for (name, body) in parts {
                            rows.append(try ThreadCPUTime.measure("report pipeline: \(periodName), everyone, \(name) only", runs: runs, body))
                        }
                    }
                }
            }
        }
        return rows
    }
}
