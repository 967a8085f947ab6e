import CRMCore
import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// The Today rows of `crm bench`, with the view model exactly as the screen
// uses it: the whole Today view (three follow-up sections with counts, and
// Needs attention with its count), and one triage action plus its undo.

enum AgendaBench {
    /// Times the Today view and triage on the bench database at `path`
    /// (the demo data: 100,000 contacts and 50,000 follow-ups at full size),
    /// acting as its busiest user.
    static func run(path: String, runs: Int) throws -> [BenchTable.Measurement] {
        let db = try Database(path: path)
        let busiest = try db.connection.first("""
            SELECT u.login FROM follow_ups f JOIN users u ON u.id = f.assignee_id
            WHERE f.status = 'open' GROUP BY u.id ORDER BY count(*) DESC LIMIT 1
            """) { $0.string(0) } ?? "bench"
        try db.act(as: busiest)
        let app = AppModel(repositories: db)
        var rows: [BenchTable.Measurement] = []
        for everyone in [false, true] {
            let today = TodayViewModel(context: app)
            today.showEveryone = everyone
            let samples = BenchTable.samples(runs) { today.reload() }
            rows.append(BenchTable.Measurement(name: "today: build view (\(everyone ? "everyone" : "one user")) + needs attention",
                                               samples: samples, targetMs: 16))
        }
        // Triage as a person does it: s 1 snoozes an hour, u undoes it;
        // each is a write plus the reload the screen does after it.
        app.start(in: .today)
        var snooze: [Double] = []
        var undo: [Double] = []
        for _ in 0..<runs where app.today.selectedFollowUp != nil {
            snooze.append(BenchTable.milliseconds { for k in [Key.char("s"), .char("1")] { app.handle(.key(k)) } })
            undo.append(BenchTable.milliseconds { app.handle(.key(.char("u"))) })
        }
        rows.append(BenchTable.Measurement(name: "today: triage snooze (write + reload)", samples: snooze, targetMs: 16))
        rows.append(BenchTable.Measurement(name: "today: triage undo (write + reload)", samples: undo, targetMs: 16))
        return rows
    }
}
