import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

/// The slow paths of issue 16 ("Flat at a million"), each timed as one key
/// through the real view models on the bench database (no drawing): the
/// Timeline's search per key and its type filter, the Contacts list's loads
/// (open, sort, G, g, a contact far down, Esc after a search), the board's
/// search and its won/lost list, and Today's everyone's view. Printed, never
/// asserted; `crm bench --only million`.
public struct MillionQueriesBenchmark {
    public var path: String
    public var runs: Int

    public init(path: String, runs: Int) {
        self.path = path
        self.runs = runs
    }

    public func run(progress: (String) -> Void) throws -> [BenchTable.Measurement] {
        let db = try Database(path: path, login: "sara")
        let app = AppModel(repositories: db)
        app.start(in: .today)
        app.handle(.resize(width: 120, height: 40))
        var rows: [BenchTable.Measurement] = []
        func key(_ keys: Key...) { for k in keys { _ = app.handle(.key(k)) } }
        func row(_ name: String, note: String = "", _ samples: [Double]) {
            rows.append(BenchTable.Measurement(name: name, samples: samples, targetMs: 16, note: note))
        }
        /// Alternates `forth` and `back`, timing each key: `runs` samples.
        func alternate(_ forth: [Key], _ back: [Key]) -> [Double] {
            (0..<runs).map { i in BenchTable.milliseconds { for k in i % 2 == 0 ? forth : back { _ = app.handle(.key(k)) } } }
        }

        progress("million: timeline")
        key(.char("4"))
        for text in ["a", "ca", "cal", "the", "call", "meeting", "a b"] {
            key(.char("/"))
            for c in text { key(.char(c)) }
            key(.enter)
            row("timeline: search \"\(text)\", first page", note: "the whole key: query + window",
                BenchTable.samples(runs) { app.timeline.reload() })
            key(.char("/"))
            for _ in text { key(.backspace) }
            key(.enter)
        }
        key(.char("/"))
        let typed = Array("call")
        var perKey: [Double] = []
        while perKey.count < runs {
            for c in typed { perKey.append(BenchTable.milliseconds { key(.char(c)) }) }
            for _ in typed { perKey.append(BenchTable.milliseconds { key(.backspace) }) }
        }
        row("timeline: typing \"call\" and erasing it, per key", perKey)
        key(.escape)
        // The type filter cycles all → call → … → stage: six presses reach stage.
        for _ in 0..<6 { key(.char("t")) }
        row("timeline: type \"\(app.timeline.filterSummary)\", first page", BenchTable.samples(runs) { app.timeline.reload() })
        let kindFilter = app.timeline.filter
        let firstPage = try db.interactions.timeline(.all(kindFilter), before: nil, limit: 101)
        if let last = firstPage.last {
            row("timeline: type filter, the next page", note: "what PgDn past the loaded rows reads",
                try BenchTable.samples(runs) { _ = try db.interactions.timeline(.all(kindFilter), before: last.cursor, limit: 101) })
        }
        key(.char("t"))

        progress("million: contacts")
        row("contacts: 2 (open the list)", alternate([.char("2")], [.char("4")]))
        key(.char("2"))
        row("contacts: change sort (s)", alternate([.char("s")], [.char("s")]))
        row("contacts: G / g", alternate([.char("G")], [.char("g")]))
        let late = try db.contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .backward, limit: 1000).first
        if let late {
            row("contacts: open a contact that sorts late", note: "1,000th from the end",
                BenchTable.samples(runs) { app.contacts.show(contactID: late.id) })
        }
        key(.char("g"))
        row("contacts: search \"a\" then Esc", alternate([.char("/"), .char("a")], [.escape]))

        progress("million: pipeline")
        key(.char("3"))
        row("pipeline: search \"a\" then Esc", note: "per pair of keys", alternate([.char("/"), .char("a")], [.escape]))
        var open: [Double] = []
        var back: [Double] = []
        for _ in 0..<runs {
            open.append(BenchTable.milliseconds { key(.char("c")) })
            back.append(BenchTable.milliseconds { key(.escape) })
        }
        row("pipeline: won/lost list (c)", open)
        row("pipeline: Esc from the won/lost list to the board", back)

        progress("million: today")
        key(.char("1"))
        var everyone: [Double] = []
        var mine: [Double] = []
        for _ in 0..<runs {
            everyone.append(BenchTable.milliseconds { key(.char("m")) })
            mine.append(BenchTable.milliseconds { key(.char("m")) })
        }
        row("today: everyone's (m)", everyone)
        row("today: back to mine (m)", mine)
        progress("million: live refresh")
        // Another user's commit: the open view reloads what it shows.
        let other = try Database(path: path, login: "omid")
        guard let contact = try db.contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 1).first else { return rows }
        var refresh: [Double] = []
        for i in 0..<runs {
            _ = try other.interactions.log(Interaction(contactID: contact.id, kind: .note, subject: "bench refresh \(i)"))
            refresh.append(BenchTable.milliseconds { _ = app.handle(.tick) })
        }
        row("today: live refresh after another user's commit", note: "a note logged by omid each time", refresh)
        return rows
    }
}
