import CRMTerminal
import CRMRepositories
import CRMCore
import CRMStore
import CRMViewModels
import Foundation

/// The pipeline rows of `crm bench`: the board of a 30,000-deal pipeline
/// drawn into the in-memory screen at 120x40, a move, and how many cells one
/// move changes. Each figure is end to end: key → view model → SQLite → frame.
public struct PipelineBenchmark {
    public typealias Measurement = BenchTable.Measurement

    public let path: String
    public let deals: Int
    public let runs: Int

    public init(path: String, deals: Int = 30_000, runs: Int = 200) {
        self.path = path
        self.deals = deals
        self.runs = runs
    }

    static func time(_ runs: Int, warmup: Int = 3, _ body: () throws -> Void) rethrows -> [Double] {
        try BenchTable.samples(runs, warmup: warmup, body)
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> [Measurement] {
        let db = try Database(path: path, login: "rep0")
        progress("pipeline: \(deals) deals")
        let fill = Date()
        let pipeline = try PipelineBenchData.prepare(db, deals: deals)
        let fillSeconds = Date().timeIntervalSince(fill)
        let app = AppModel(repositories: db)
        app.start(in: .pipeline)
        app.pipeline.show(pipelineID: pipeline.id)
        let size = Size(width: 120, height: 40)
        app.handle(.resize(width: size.width, height: size.height))
        let screen = MemoryScreen(size: size)
        AppRenderer.render(app, on: screen)
        var out: [Measurement] = []
        let board = "\(deals) deals, 120x40"

        out.append(Measurement(name: "pipeline: draw board (\(board))", samples: Self.time(runs) { AppRenderer.render(app, on: screen) },
                               targetMs: 16, note: "frame from loaded state; filled in \(String(format: "%.1f", fillSeconds)) s"))
        out.append(Measurement(name: "pipeline: reload + draw (another user's change)", samples: Self.time(runs) {
            app.pipeline.refresh()
            AppRenderer.render(app, on: screen)
        }, targetMs: 16, note: "totals of all stages + visible cards"))
        out.append(Measurement(name: "pipeline: scroll column one card + draw", samples: Self.time(runs) {
            app.handle(.key(.char("j")))
            AppRenderer.render(app, on: screen)
        }, targetMs: 16, note: "keyset per column"))
        // A move right and back: each is one sample (write, history row,
        // timeline row, two columns' totals and cards, frame).
        var moves: [Double] = []
        for i in 0..<(runs * 2) {
            let key: Key = i % 2 == 0 ? .char("L") : .char("H")
            moves += Self.time(1, warmup: 0) {
                app.handle(.key(key))
                AppRenderer.render(app, on: screen)
            }
        }
        out.append(Measurement(name: "pipeline: move deal one stage + draw", samples: moves, targetMs: 16,
                               note: "UPDATE + history + timeline row, both columns reloaded"))
        // What one move changes on screen: the cells ncurses has to send.
        let before = screen.rowsText()
        app.handle(.key(.char("L")))
        AppRenderer.render(app, on: screen)
        let after = screen.rowsText()
        let changed = zip(before, after).reduce(0) { sum, rows in
            let a = Array(rows.0), b = Array(rows.1)
            return sum + (0..<max(a.count, b.count)).filter { $0 >= a.count || $0 >= b.count || a[$0] != b[$0] }.count
        }
        app.handle(.key(.char("H")))
        out.append(Measurement(name: "pipeline: characters changed by one move (120x40)", samples: [Double(changed)], targetMs: nil,
                               note: "cells, not ms; bytes on the wire measured with script in tmux"))
        return out
    }
}
