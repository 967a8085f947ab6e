import CRMCore
import CRMRepositories
import CRMStore
import Foundation

/// The follow-ups list (Today's `F`, `crm followups --all`): the first page,
/// a keyset page deep in the list (as far as scrolling got), every status,
/// and the count for the title. The page figures should not grow with depth.
struct FollowUpListBenchmark {
    let path: String
    let runs: Int

    func run(into table: BenchTable) throws {
        let db = try Database(path: path)
        let repo = db.followUps
        let open = FollowUpFilter()
        let every = FollowUpFilter(statuses: Set(FollowUpStatus.allCases))
        let total = try repo.count(every)
        try table.time("follow-ups list: first page (100, open, by due)", runs: runs, targetMs: 5) {
            _ = try repo.list(open, after: nil, limit: 100)
        }
        // The cursor of the deepest row a person could scroll to, found by
        // walking pages as scrolling would.
        var cursor: FollowUpCursor?
        var walked = 0
        while walked < 50_000 {
            let page = try repo.list(every, after: cursor, limit: 1_000)
            guard let last = page.last else { break }
            cursor = FollowUpCursor(last)
            walked += page.count
            if page.count < 1_000 { break }
        }
        let depth = max(walked - 100, 0)
        var deep: FollowUpCursor?
        if depth > 0 { deep = try repo.list(every, after: nil, limit: depth).last.map(FollowUpCursor.init) }
        try table.time("follow-ups list: keyset page at row \(depth) of \(total) (every status)", runs: runs, targetMs: 5) {
            _ = try repo.list(every, after: deep, limit: 100)
        }
        try table.time("follow-ups list: count (every status)", runs: runs, targetMs: 16) {
            _ = try repo.count(every)
        }
    }
}
