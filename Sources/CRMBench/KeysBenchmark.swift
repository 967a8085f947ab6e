import CRMCore
import CRMDemo
import CRMRepositories
import CRMStore
import CRMTerminal
import CRMViewModels
import Foundation

/// `crm bench --only keys`: every binding of every key table — each view,
/// its sub-views, every window over them and the global keys, read from
/// `AppModel.keyTables()` as help, the man page and KeyTableTests read them —
/// pressed on a fresh app on the bench database, `runs` times, each sample
/// from the key to the finished frame (see KeyHarness). Then the paths the
/// "Flat at a million" issue measured from outside (BenchPaths), and the peak
/// memory after each view's keys.
public struct KeysBenchmark {
    public let engine: BenchEngine
    public let runs: Int

    public init(engine: BenchEngine, runs: Int) {
        self.engine = engine
        self.runs = runs
    }

    public struct Result {
        public var rows: [BenchTable.Measurement] = []
        /// What was not timed, and why.
        public var skipped: [String] = []
        /// Peak RSS after each table's keys, in table order (MiB).
        public var peaks: [(table: String, mib: Double?)] = []
        /// What was resident at the end, by kind, and SQLite's own share.
        public var resident = ""
        /// The apps the sweep made, and how many it left alive (0: each let go).
        public var apps: (made: Int, alive: Int) = (0, 0)
    }

    /// `CRM_BENCH_KEYS=Duplicates,search`: only the rows whose name holds
    /// one of these words (ASCII case ignored), to measure a few keys again
    /// without the whole sweep; unset, every row. A word after `-` leaves
    /// its rows out (`CRM_BENCH_KEYS=-snooz`: everything but the bulk
    /// snooze and its undo, which take minutes on a large team).
    static let only: [String]? = ProcessInfo.processInfo.environment["CRM_BENCH_KEYS"]
        .map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty } }

    static func selected(_ name: String) -> Bool {
        guard let only, !only.isEmpty else { return true }
        let lowered = name.lowercased()
        let left = only.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) }
        if left.contains(where: { !$0.isEmpty && lowered.contains($0) }) { return false }
        let wanted = only.filter { !$0.hasPrefix("-") }
        return wanted.isEmpty || wanted.contains { lowered.contains($0) }
    }

    /// The key tables' sweep; `paths`: the paths too.
    public func run(paths: Bool = true, progress: (String) -> Void) throws -> Result {
        // The first demo user (an admin with follow-ups, deals and
        // interactions of their own): Today has rows, and no key is
        // disabled for want of a right.
        let db = try engine.open(login: DemoData.users[0].login)
        let harness = KeyHarness(db: db)
        var result = Result()
        let tables = try harness.freshApp(in: .today).keyTables()
        for table in tables {
            progress("keys: \(table.title)")
            if table.title.hasPrefix("Typing") {
                result.skipped.append("\(table.title): the line editor alone, no database and no frame (its keys are timed in every search above)")
                continue
            }
            for binding in table.bindings {
                // One key per binding: the others (j and ↓) run the same action.
                guard let key = binding.keys.first else {
                    result.skipped.append("\(table.title): \(binding.title): no key of its own (the palette runs it; : is timed)")
                    continue
                }
                var samples: [Double] = []
                var statements: Int?
                let name = "\(table.title): \(key.label) \(binding.title)"
                guard Self.selected(name) else { continue }
                for run in 0..<runs {
                    let app = harness.freshApp(in: table.view ?? .contacts)
                    try KeyHarness.enter(table, app)
                    AppRenderer.render(app, on: harness.screen)
                    let press = { try harness.undone { harness.press([key], app) } }
                    samples.append(try run == runs - 1 ? harness.listingStatements(name, press) : press())
                    statements = harness.lastStatements
                    // Figures a Reports key asked for are computed on the
                    // reports' thread after the key returned: awaited here,
                    // untimed, so they do not run into the next sample.
                    _ = app.settle()
                }
                var note = binding.disabledReason.map { "disabled here: \($0)" } ?? ""
                if binding.action.writes && binding.disabledReason == nil { note = "writes: rolled back" }
                if let statements { note = note.isEmpty ? "\(statements) statements" : "\(note); \(statements) statements" }
                // A few keys re-measured: every sample, to tell a slow first run from a slow key.
                // and the peak memory so far, to tell which key raised it.
                if Self.only != nil {
                    progress("\(name): " + samples.map { String(format: "%.1f", $0) }.joined(separator: " ") + " ms; peak "
                             + ProcessMemory.format(ProcessMemory.peakMiB))
                }
                result.rows.append(BenchTable.Measurement(name: name, samples: samples,
                                                          targetMs: 16, note: note))
            }
            result.peaks.append((table.title, ProcessMemory.peakMiB))
        }
        if paths {
            progress("keys: the issue's paths")
            result.rows += try BenchPaths(engine: engine, db: db, harness: harness, runs: runs).run()
            result.peaks.append(("the issue's paths (searches, filters, a late contact)", ProcessMemory.peakMiB))
        }
        harness.leavePrevious()
        result.apps = harness.apps
        result.resident = "\(ProcessMemory.format(ProcessMemory.residentMiB)) (\(ProcessMemory.residentParts)); \(ProcessMemory.sqliteParts)"
        return result
    }
}
