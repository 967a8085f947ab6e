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
        row("timeline: type filter, page down and back", alternate([.pageDown], [.pageUp]))
        key(.char("t"))

        progress("million: contacts")
        row("contacts: 2 (open the list)", alternate([.char("2")], [.char("4")]))
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
        row("pipeline: won/lost list (c) and back", alternate([.char("c")], [.escape]))

        progress("million: today")
        key(.char("1"))
        row("today: everyone's (m) and back", alternate([.char("m")], [.char("m")]))
        return rows
    }
}
