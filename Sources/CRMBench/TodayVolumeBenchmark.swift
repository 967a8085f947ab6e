import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

/// Today at volume, through the view model exactly as the screen drives it:
/// building the view (four counts and the shown section's first page) and
/// each page move (PgDn, and G to the far end), for one user with 5,000
/// overdue follow-ups and for everyone on the bench database (100,000
/// contacts, 50,000 open follow-ups).
public struct TodayVolumeBenchmark {
    public var path: String
    public var runs: Int
    /// The user the 5,000 overdue follow-ups are given to (added once).
    public static let overdueLogin = "bench-overdue"
    public static let overdueCount = 5_000

    public init(path: String, runs: Int) {
        self.path = path
        self.runs = runs
    }

    public func run(progress: (String) -> Void) throws -> [BenchTable.Measurement] {
        let db = try Database(path: path, login: Self.overdueLogin)
        try prepareOverdue(db)
        let app = AppModel(repositories: db)
        var rows: [BenchTable.Measurement] = []
        for everyone in [false, true] {
            let who = everyone ? "everyone" : "one user, \(Self.overdueCount) overdue"
            progress("today at volume (\(who))")
            let today = TodayViewModel(context: app)
            today.showEveryone = everyone
            today.viewport = 30
            rows.append(BenchTable.Measurement(name: "today: build (\(who))",
                                               samples: BenchTable.samples(runs) { today.reload() }, targetMs: 16))
            // Page moves through the whole Overdue section and back, as a
            // person holding PgDn: each sample is one key.
            today.reload()
            var pages: [Double] = []
            var down = true
            while pages.count < runs {
                let before = today.selectedOrdinal
                pages.append(BenchTable.milliseconds { today.perform(down ? .pageDown : .pageUp) })
                if today.selectedOrdinal == before || today.section != .overdue {
                    down.toggle()
                    if today.section != .overdue { today.perform(.previousSection) }
                }
            }
            rows.append(BenchTable.Measurement(name: "today: page move in Overdue (\(who))", samples: pages, targetMs: 5))
            var ends: [Double] = []
            for i in 0..<runs {
                ends.append(BenchTable.milliseconds { today.perform(i % 2 == 0 ? .bottom : .top) })
            }
            rows.append(BenchTable.Measurement(name: "today: G / g to the far end of Overdue (\(who))", samples: ends, targetMs: 5))
        }
        return rows
    }

    /// Gives the bench user 5,000 overdue follow-ups, once (a reused bench
    /// database keeps them), spread over the last 60 days.
    func prepareOverdue(_ db: Database) throws {
        let me = db.currentUser.id
        let existing = try db.agenda.countDue(from: nil, to: Date(), assigneeID: me)
        guard existing < Self.overdueCount else { return }
        let contacts = try db.contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 500)
        let now = Date()
        try db.transaction {
            for i in existing..<Self.overdueCount {
                _ = try db.followUps.create(FollowUp(contactID: contacts.isEmpty ? nil : contacts[i % contacts.count].id, assigneeID: me,
                                                     title: "Overdue \(i + 1)",
                                                     dueAt: now.addingTimeInterval(-Double(60 * 86_400) + Double(i) * 1_000)))
            }
        }
    }
}
