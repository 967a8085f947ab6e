import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

/// The "Won and lost" and "People" report pages on the bench database
/// (100,000 contacts, about 1,000,000 interactions, 30,000 deals, 50,000
/// follow-ups), built exactly as the Reports view and `crm report` build
/// them, for everyone, over the last 30 days and the last 365 days.
public struct WinLossPeopleBenchmark {
    public var engine: BenchEngine
    public var runs: Int

    public init(engine: BenchEngine, runs: Int) {
        self.engine = engine
        self.runs = runs
    }

    public init(path: String, runs: Int) { self.init(engine: .sqlite(path: path), runs: runs) }

    public func run(progress: (String) -> Void) throws -> [BenchTable.Measurement] {
        let db = try engine.open(login: nil)
        var settings = Settings()
        settings.timeZone = TimeZone(identifier: "UTC")
        let now = Date()
        var rows: [BenchTable.Measurement] = []
        for days in [30, 365] {
            let filter = ReportFilter(start: now.addingTimeInterval(-Double(days) * 86_400), end: now, now: now)
            progress("reports: won and lost, people (last \(days) days)")
            let winLoss = try WinLossReportSheet.build(filter, repositories: db, settings: settings)
            let won = winLoss.section("totals")?.rows.compactMap { row -> Int? in
                if case .count(let n) = row.values[1], !row.isTotal { n } else { nil }
            }.reduce(0, +) ?? 0
            rows.append(try ThreadCPUTime.measure("reports: won and lost (everyone, last \(days) days)", runs: runs, targetMs: 50,
                                                  note: "\(won) won") {
                _ = try WinLossReportSheet.build(filter, repositories: db, settings: settings)
            })
            let people = try PeopleReportSheet.build(filter, repositories: db, settings: settings)
            rows.append(try ThreadCPUTime.measure("reports: people (everyone, last \(days) days)", runs: runs, targetMs: 50,
                                                  note: "\((people.section("activity")?.rows.count ?? 1) - 1) users") {
                _ = try PeopleReportSheet.build(filter, repositories: db, settings: settings)
            })
            if days == 30 {
                // The People page's parts, to show where its time goes (as
                // the page asks: counts, the ids Enter lists left out).
                let repo = db.peopleReportRepository
                let users = try db.allUsers().map(\.id)
                let parts: [(String, () throws -> Void)] = [
                    ("deals", { _ = try repo.deals(filter, users: users, withIDs: false) }),
                    ("interactions", { _ = try repo.interactions(filter, users: users) }),
                    ("follow-ups", { _ = try repo.followUps(filter, users: users, withIDs: false) }),
                    ("stay in touch", { _ = try repo.stayInTouch(filter, rules: settings.cadenceRules, users: users, withIDs: false) }),
                    ("leads turned customers", { _ = try repo.conversions(filter, users: users) }),
                ]
                for (name, body) in parts {
                    rows.append(try ThreadCPUTime.measure("reports: people, \(name) only (last 30 days)", runs: runs, body))
                }
            }
        }
        return rows
    }
}
