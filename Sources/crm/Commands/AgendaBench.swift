import CRMCore
import CRMStore
import CRMViewModels
import Foundation

// `crm bench-today [--contacts N] [--followups N] [--runs N]`: the Today view's
// figures. Builds a scratch database (N contacts, customers and prospects
// spread over the last 60 days of contact, M open follow-ups due from 30
// days ago to 60 days ahead), then times, with the view model exactly as the
// screen uses it:
//   build      the whole Today view: three follow-up sections with counts and
//              Needs attention with its count
//   triage     one snooze (write + reload) and its undo (write + reload)
// The rows below are meant for `crm bench`'s table; until it is merged they
// print on their own.

struct AgendaBenchRow {
    let name: String
    let median: Double
    let p99: Double
}

enum AgendaBench {
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    /// Fills `db` with `contacts` contacts and `followUps` open follow-ups in
    /// one transaction, with bound statements.
    static func seed(_ db: Database, contacts: Int, followUps: Int, now: Date) throws {
        let users = try (0..<5).map { try db.users.findOrCreate(login: $0 == 0 ? "bench" : "rep\($0)").id }
        var rng = SystemRandomNumberGenerator()
        let stages = ["customer", "customer", "prospect", "lead", "former"]
        try db.transaction {
            let c = db.connection
            for i in 0..<contacts {
                let last = now.addingTimeInterval(-Double(Int.random(in: 0..<(60 * 86_400), using: &rng)))
                try c.run("""
                    INSERT INTO contacts(name, owner_id, lifecycle, last_interaction_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, ["Contact \(i)", users[i % users.count], stages[i % stages.count], last,
                          now.addingTimeInterval(-90 * 86_400), now])
            }
            for i in 0..<followUps {
                let due = now.addingTimeInterval(Double(Int.random(in: (-30 * 86_400)..<(60 * 86_400), using: &rng)))
                try c.run("""
                    INSERT INTO follow_ups(contact_id, assignee_id, title, due_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, [Int64(1 + (i * 7) % contacts), users[i % users.count], "Follow up \(i)", due, now, now])
            }
        }
        try db.connection.execute("ANALYZE")
    }

    static func run(contacts: Int, followUps: Int, runs: Int) throws -> [AgendaBenchRow] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bench-today-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("bench.db").path, login: "bench")
        let now = Date()
        let seedTime = try time { try seed(db, contacts: contacts, followUps: followUps, now: now) }
        FileHandle.standardError.write(Data("seeded \(contacts) contacts, \(followUps) follow-ups in \(Int(seedTime)) ms\n".utf8))
        let app = AppModel(repositories: db)
        var rows: [AgendaBenchRow] = []
        for everyone in [false, true] {
            let today = TodayViewModel(context: app)
            today.showEveryone = everyone
            today.reload()  // warm
            let samples = (0..<runs).map { _ in time { today.reload() } }
            rows.append(AgendaBenchRow(name: "today view build (\(everyone ? "everyone" : "one user")) incl. needs attention",
                                       median: percentile(samples, 0.5), p99: percentile(samples, 0.99)))
        }
        // Triage: snooze the selected follow-up by an hour, then undo it; each
        // is a write plus the reload the screen does after it.
        // Driven by keys, as a person does it: s 1 Enter, then u.
        app.start(in: .today)
        var snooze: [Double] = []
        var undo: [Double] = []
        for _ in 0..<runs where app.today.selectedFollowUp != nil {
            snooze.append(time { for k in [Key.char("s"), .char("1"), .enter] { app.handle(.key(k)) } })
            undo.append(time { app.handle(.key(.char("u"))) })
        }
        if !snooze.isEmpty {
            rows.append(AgendaBenchRow(name: "triage: snooze (write + reload)", median: percentile(snooze, 0.5), p99: percentile(snooze, 0.99)))
            rows.append(AgendaBenchRow(name: "triage: undo (write + reload)", median: percentile(undo, 0.5), p99: percentile(undo, 0.99)))
        }
        return rows
    }
}

/// `crm bench-today`; returns the exit status.
func runAgendaBench(arguments: [String]) -> Int32 {
    var contacts = 100_000, followUps = 50_000, runs = 200
    var i = 0
    while i < arguments.count {
        let next = i + 1 < arguments.count ? Int(arguments[i + 1].replacingOccurrences(of: "_", with: "")) : nil
        switch (arguments[i], next) {
        case ("--contacts", let n?): contacts = max(n, 10)
        case ("--followups", let n?): followUps = max(n, 1)
        case ("--runs", let n?): runs = max(n, 1)
        default:
            FileHandle.standardError.write(Data("usage: crm bench-today [--contacts N] [--followups N] [--runs N]\n".utf8))
            return 64
        }
        i += 2
    }
    do {
        let rows = try AgendaBench.run(contacts: contacts, followUps: followUps, runs: runs)
        print("\(contacts) contacts, \(followUps) follow-ups, \(runs) runs (ms)")
        for r in rows { print(String(format: "%-58@ median %7.2f  p99 %7.2f", r.name as NSString, r.median, r.p99)) }
        return 0
    } catch {
        FileHandle.standardError.write(Data("crm: \(error)\n".utf8))
        return 1
    }
}
