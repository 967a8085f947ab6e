import CRMBench
import CRMStore
import Foundation

/// `crm bench --only keys`: the key sweep on a small database first (the
/// memory baseline: the key tables need a contact and a deal, so "empty" is
/// the smallest demo database, 100 contacts), then on the bench database;
/// the peak RSS of each, counted from a reset peak so the fill that built the
/// database does not count, and the difference against the budget (8 MiB).
enum KeysGroup {
    static let smallContacts = 100
    /// Peak RSS on the big database may exceed the small one's by this much.
    static let memoryBudgetMiB = 8.0

    static func run(path: String, contacts: Int, runs: Int, into table: BenchTable, progress: @escaping (String) -> Void) throws {
        var small: Double?
        if contacts > smallContacts {
            let smallPath = (path as NSString).deletingLastPathComponent
                + "/crm-bench-\(smallContacts)-v\(Database.supportedSchemaVersion).db"
            progress("keys: the small database for the memory baseline, \(smallPath)")
            _ = try StoreBenchmarks.prepare(path: smallPath, contacts: smallContacts, seed: DemoCommand.defaultSeed)
            ProcessMemory.resetPeak()
            _ = try KeysBenchmark(engine: .sqlite(path: smallPath), runs: 1).run(progress: progress)
            small = ProcessMemory.peakMiB
        }
        let reset = ProcessMemory.resetPeak()
        let result = try KeysBenchmark(engine: .sqlite(path: path), runs: runs).run(progress: progress)
        result.rows.forEach(table.add)
        Output.print("")
        Output.print("keys: every binding of every key table, \(runs) runs each, a fresh app per run; "
                     + "each key runs in a transaction rolled back after it")
        for line in result.skipped { Output.print("not timed: \(line)") }
        Output.print("peak memory (RSS) after each view's and window's keys\(reset ? "" : " (counted from the process start)"):")
        for (name, mib) in result.peaks { Output.print("  \(ProcessMemory.format(mib))  \(name)") }
        Output.print("resident at the end: \(result.resident); apps made \(result.apps.made), still alive \(result.apps.alive)")
        let peak = result.peaks.compactMap(\.mib).max()
        if let small, let peak {
            let over = peak - small
            Output.print(String(format: "peak memory: %.1f MiB at %d contacts, %.1f MiB at %d contacts: +%.1f MiB (budget +%.0f MiB) %@",
                                peak, contacts, small, smallContacts, over, memoryBudgetMiB, over <= memoryBudgetMiB ? "ok" : "MISSED"))
        } else {
            Output.print("peak memory: \(ProcessMemory.format(peak)) at \(contacts) contacts")
        }
    }

    /// `crm bench --db postgresql://…`: the same sweep and paths on the
    /// SQLite bench file and on the PostgreSQL database holding its copy,
    /// printed side by side; then the PostgreSQL rows over their target.
    static func compare(path: String, conninfo: String, runs: Int, progress: @escaping (String) -> Void) throws {
        progress("keys on SQLite")
        let sqlite = try KeysBenchmark(engine: .sqlite(path: path), runs: runs).run(progress: progress)
        progress("keys on PostgreSQL")
        let postgres = try KeysBenchmark(engine: .postgres(conninfo: conninfo), runs: runs).run(progress: progress)
        let table = BenchComparison(left: ("SQLite", sqlite.rows), right: ("PostgreSQL", postgres.rows))
        Output.print("")
        Output.print("keys: every binding of every key table and the issue's paths, \(runs) runs each, a fresh app per run, "
                     + "on both engines through the same repositories; each key runs in a transaction rolled back after it")
        for line in sqlite.skipped { Output.print("not timed: \(line)") }
        Output.print("")
        Output.print(table.render())
        let misses = table.rightMisses
        Output.print("")
        Output.print(misses.isEmpty ? "PostgreSQL: every row within its p99 target"
                                    : "PostgreSQL: \(misses.count) rows over their p99 target")
        let width = misses.map { BenchTable.format($0.p99).count }.max() ?? 0
        for row in misses {
            let p99 = BenchTable.format(row.p99)
            Output.print("  \(String(repeating: " ", count: width - p99.count))\(p99) ms p99  \(row.name)")
        }
    }
}
