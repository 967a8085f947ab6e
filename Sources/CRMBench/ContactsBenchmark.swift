import CRMTerminal
import CRMRepositories
import CRMCore
import CRMStore
import CRMViewModels
import Foundation

/// The contacts-workspace rows of `crm bench`: each figure is end to end, a
/// key through the view model and SQLite to a frame drawn into the in-memory
/// screen at 120x40, on the bench database (100,000 contacts, 1M interactions).
public struct ContactsBenchmark {
    public let path: String
    public let runs: Int

    public init(path: String, runs: Int = 200) {
        self.path = path
        self.runs = runs
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> [BenchTable.Measurement] {
        let db = try Database(path: path, login: "bench")
        let heavy = try contactWithManyInteractions(db, count: 1000)
        let app = AppModel(repositories: db)
        app.handle(.resize(width: 120, height: 40))
        app.start(in: .contacts)
        let screen = MemoryScreen(size: Size(width: 120, height: 40))
        func frame(_ keys: [Key]) {
            for key in keys { app.handle(.key(key)) }
            AppRenderer.render(app, on: screen)
        }
        frame([])
        progress("contacts workspace: timing keys at 120x40")
        var out: [BenchTable.Measurement] = []

        // Search as you type: each sample is one key of "mül", "رضا" or "5309"
        // typed and erased again, with the results and details of the first hit.
        let typing: [Key] = ["m", "ü", "l"].map { .char($0) } + Array(repeating: .backspace, count: 3)
            + ["ر", "ض", "ا"].map { .char($0) } + Array(repeating: .backspace, count: 3)
            + ["5", "3", "0", "9"].map { .char($0) } + Array(repeating: .backspace, count: 4)
        frame([.char("/")])
        var searchSamples: [Double] = []
        // By the text in the box after the key, to name the slowest.
        var byText: [String: [Double]] = [:]
        for i in 0..<max(runs, typing.count) {
            let ms = BenchTable.milliseconds { frame([typing[i % typing.count]]) }
            searchSamples.append(ms)
            byText[app.contacts.searchText, default: []].append(ms)
        }
        frame([.escape])
        let slowest = byText.map { BenchTable.Measurement(name: $0.key, samples: $0.value) }.max { $0.median < $1.median }
        out.append(.init(name: "contacts: search as you type, per key", samples: searchSamples, targetMs: 16,
                         note: "\"mül\", \"رضا\", \"5309\" typed and erased"
                             + (slowest.map { "; slowest \"\($0.name)\" " + String(format: "%.1f ms median", $0.median) } ?? "")))

        frame([.char("g")])
        out.append(.init(name: "contacts: selection move (j)", samples: BenchTable.samples(runs) { frame([.char("j")]) },
                         targetMs: 16, note: "the highlight; details follow at rest"))
        out.append(.init(name: "contacts: selection move + its details", samples: BenchTable.samples(runs) {
            frame([.char("j")])
            app.contacts.loadPendingDetails()
            AppRenderer.render(app, on: screen)
        }, targetMs: 16, note: "highlight frame, then details + timeline frame"))
        frame([.char("g")])
        out.append(.init(name: "contacts: page down", samples: BenchTable.samples(runs) { frame([.pageDown]) },
                         targetMs: 16, note: "keyset pages load as needed"))
        out.append(.init(name: "contacts: open contact with 1,000 interactions",
                         samples: BenchTable.samples(runs) {
                             app.contacts.show(contactID: heavy)
                             AppRenderer.render(app, on: screen)
                         }, targetMs: 16, note: "list around it, details, first timeline page"))
        out.append(.init(name: "contacts: redraw after another user's change",
                         samples: BenchTable.samples(runs) {
                             app.contacts.refresh()
                             AppRenderer.render(app, on: screen)
                         }, targetMs: 16, note: "selection kept"))
        return out
    }

    /// A contact with `count` interactions (made once, kept in the bench database).
    private func contactWithManyInteractions(_ db: Database, count: Int) throws -> Int64 {
        if let id = try db.connection.scalar("SELECT id FROM contacts WHERE name = 'Bench Heavy Caller' AND deleted_at IS NULL") {
            return id
        }
        return try db.transaction {
            let contact = try db.contacts.create(Contact(name: "Bench Heavy Caller", phones: [PhoneNumber("+1 555 0100 999")]))
            let start = Date().addingTimeInterval(-Double(count) * 3600)
            for i in 0..<count {
                _ = try db.interactions.log(Interaction(contactID: contact.id, kind: i % 3 == 0 ? .call : .note,
                                                        direction: .outbound, occurredAt: start.addingTimeInterval(Double(i) * 3600),
                                                        durationSeconds: i % 3 == 0 ? 120 : nil, body: "Interaction \(i)\nsecond line"))
            }
            return contact.id
        }
    }
}
