import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import CRMTerminal
import Foundation

/// `crm bench [--contacts N] [--db PATH|postgresql://…] [--runs R] [--only GROUP] [--clients N [--seconds S]]`
enum BenchCommand {
    /// The groups of rows `--only` picks from: the store, the screens on the
    /// bench database, editing long texts (its own small database), search
    /// alone (the store's search rows and the contacts screen's keys), the
    /// query, import and duplicate rows alone, and Today at volume.
    /// `keys`: every binding of every key table and the "Flat at a million"
    /// paths, with the peak memory (KeysBenchmark).
    /// `bulk`: BulkLoader against the sqlite3 shell on the same rows (BulkRatioBenchmark).
    /// The groups a PostgreSQL --db runs on both engines, side by side.
    static let sideBySide: Set<String> = ["keys", "reports", "winloss-people", "customers"]
    static let groups = ["store", "screens", "editing", "search", "query", "import", "duplicates", "today", "keys", "bulk", "winloss-people", "reports", "million", "customers"]

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "bench")
        var dbOption: String?
        var contacts = 100_000
        var runs = 200
        var only: String?
        var runsGiven = false
        var clients: Int?
        var seconds: Int?
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v):
                dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL URI")
            case .option("--clients", let v): clients = try reader.integer("--clients", inline: v, in: 1...200)
            case .option("--seconds", let v): seconds = try reader.integer("--seconds", inline: v, in: 1...3600)
            case .option("--contacts", let v): contacts = try reader.integer("--contacts", inline: v, in: 100...10_000_000)
            case .option("--runs", let v):
                runs = try reader.integer("--runs", inline: v, in: 1...100_000)
                runsGiven = true
            case .option("--only", let v):
                let group = try reader.value("--only", inline: v, expected: "one of \(groups.joined(separator: ", "))")
                guard groups.contains(group) else {
                    throw reader.fail("--only is \"\(group)\"; expected one of \(groups.joined(separator: ", "))")
                }
                only = group
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("bench"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let target = try dbOption.map { try DatabaseTarget.parse($0, option: "--db") }
        if seconds != nil && clients == nil { throw reader.fail("--seconds is the length of a load run: give --clients too") }
        if let spec = LoadGroup.childSpec, let clients, let target {
            // A load client started by the run below (LoadGroup), not a person.
            switch target {
            case .sqlite(let path): return LoadGroup.child(spec, engine: .sqlite(path: path), clients: clients, seconds: seconds ?? 60)
            case .postgres(let conninfo): return LoadGroup.child(spec, engine: .postgres(conninfo: conninfo), clients: clients, seconds: seconds ?? 60)
            }
        }
        var postgres: String?
        if case .postgres(let conninfo) = target {
            postgres = conninfo
            if clients == nil, let only, !Self.sideBySide.contains(only) {
                throw reader.fail("--only \(only) runs on SQLite only; with --db postgresql://… the bench runs the keys, reports, "
                                  + "winloss-people and customers groups (both engines side by side) or a load run (--clients)")
            }
        }
        if clients != nil, only != nil { throw reader.fail("--clients is a load run of its own; leave out --only") }
        // Keyed by size and schema version: a database built by an older crm
        // is not migrated (minutes at a million) but built again beside it.
        // With a PostgreSQL --db the SQLite file is the cached one, copied there.
        var path = "\(Paths.temporaryFolder)/crm-bench-\(contacts)-v\(Database.supportedSchemaVersion).db"
        if case .sqlite(let given) = target { path = given }
        let table = BenchTable()
        let progress: (String) -> Void = { Output.error("crm bench: \($0)") }
        if only == "import" {
            let report: ImportBench.Report
            do {
                report = try ImportBench.run(rows: contacts, runs: runs, progress: progress)
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(error)
            }
            report.lines.forEach { Output.print($0) }
            report.measurements.forEach(table.add)
            Output.print("")
            print(table.render())
            return ExitCode.ok
        }
        if only == "editing" {
            try EditingBenchmark(runs: runs).run(progress: progress).forEach(table.add)
            print(table.render())
            return ExitCode.ok
        }
        do {
            if FileManager.default.fileExists(atPath: path) {
                // Held in a local: repositories keep only an unowned reference to their database.
                let database = try Opening.database(at: path)
                let existing = try database.contacts.count(filter: ContactFilter())
                if existing > 0 && existing < contacts {
                    throw Failure("\(path) has only \(existing) contacts, fewer than --contacts \(contacts); remove it or name another --db",
                                  status: ExitCode.failure)
                }
            }
            Output.error("crm bench: preparing \(path) ...")
            let (counts, fill) = try StoreBenchmarks.prepare(path: path, contacts: contacts, seed: DemoCommand.defaultSeed) { name, ms in
                progress("build: \(name) \(String(format: "%.1f", ms / 1000)) s")
            }
            Output.print("database: \(path)")
            Output.print("holds: \(counts.contacts) contacts, \(counts.companies) companies, \(counts.deals) deals, " +
                  "\(counts.interactions) interactions, \(counts.followUps) open follow-ups")
            if let fill {
                Output.print("built with demo data in \(String(format: "%.2f", fill)) s (aim ≤ 180 s at 1,000,000 contacts)")
            } else {
                Output.print("reused (already had ≥ \(contacts) contacts)")
            }
            if let postgres {
                try BenchPostgres.prepare(conninfo: postgres, from: path, contacts: contacts, progress: progress)
            }
            if let clients {
                // The load: on SQLite (one file, one writer at a time), then on PostgreSQL when named.
                // The cached bench file stays as it was built (other groups measure it):
                // without a --db file of its own, the load writes into a copy.
                var loadPath = path
                var loadFolder: String?
                if case .sqlite = target {} else {
                    let folder = try Paths.makeTemporaryFolder("crm-bench-load-db", purpose: "for the load run's copy of the bench file")
                    loadFolder = folder
                    loadPath = folder + "/load.db"
                    progress("copying the bench file for the load run (the cached one is never written to)")
                    _ = try DatabaseBackup.backup(from: path, to: loadPath, replace: false)
                    Output.print("load run on a copy: \(loadPath) (removed afterwards)")
                }
                defer { if let loadFolder { try? FileManager.default.removeItem(atPath: loadFolder) } }
                var engines: [(BenchEngine, String)] = [(.sqlite(path: loadPath), loadPath)]
                if let postgres { engines.append((.postgres(conninfo: postgres), postgres)) }
                var consistent = true
                for (engine, text) in engines {
                    consistent = try LoadGroup.run(engine: engine, dbText: text, clients: clients, seconds: seconds ?? 60,
                                                   progress: progress) && consistent
                }
                return consistent ? ExitCode.ok : ExitCode.software
            }
            if let postgres, only == "customers" {
                // The Customers report page on both engines, side by side.
                try CustomersCompare.run(path: path, conninfo: postgres, runs: runs, progress: progress)
                return ExitCode.ok
            }
            if let postgres, only == "reports" || only == "winloss-people" {
                // The report pages through `any CRMRepositories` on both engines, one table.
                let engines = (sqlite: BenchEngine.sqlite(path: path), postgres: BenchEngine.postgres(conninfo: postgres))
                func rows(_ engine: BenchEngine) throws -> [BenchTable.Measurement] {
                    progress("\(only ?? "") on \(engine.title)")
                    return only == "reports" ? try ReportsBenchmark(engine: engine, runs: runs).run(progress: progress)
                                             : try WinLossPeopleBenchmark(engine: engine, runs: runs).run(progress: progress)
                }
                let comparison = BenchComparison(left: ("SQLite", try rows(engines.sqlite)), right: ("PostgreSQL", try rows(engines.postgres)))
                Output.print("")
                Output.print(comparison.render())
                return ExitCode.ok
            }
            if let postgres {
                // Every key and path through `any CRMRepositories` on both engines, one table.
                try KeysGroup.compare(path: path, conninfo: postgres, runs: runsGiven ? runs : 5, progress: progress)
                return ExitCode.ok
            }
            if only == "search" {
                let bench = StoreBenchmarks(path: path, runs: runs) { Output.error("crm bench: \($0)") }
                // Held in a local: repositories keep only an unowned reference to their database.
                let database = try Database(path: path)
                try bench.runSearch(database, into: table)
                try ContactsBenchmark(path: path, runs: runs).run(progress: progress).forEach(table.add)
            }
            if only == nil || only == "store" {
                let bench = StoreBenchmarks(path: path, runs: runs) { Output.error("crm bench: \($0)") }
                try bench.run(into: table)
            }
            if only == "duplicates" {
                // Only the duplicate rows of the store group.
                try DuplicatesBenchmark(path: path, runs: runs).run(into: table)
            }
            if only == nil || only == "screens" {
                // The screens, end to end (key → view model → SQLite → frame).
                try ContactsBenchmark(path: path, runs: runs).run(progress: progress).forEach(table.add)
                try AgendaBench.run(path: path, runs: runs).forEach(table.add)
                let pipelinePath = (path as NSString).deletingPathExtension + "-pipeline.db"
                try PipelineBenchmark(path: pipelinePath, deals: 30_000, runs: runs).run(progress: progress).forEach(table.add)
            }
            if only == nil || only == "today" {
                // Today at volume: 5,000 overdue for one user; everyone's at full size.
                try TodayVolumeBenchmark(path: path, runs: runs).run(progress: progress).forEach(table.add)
            }
            if only == nil || only == "reports" {
                // The Pipeline and Forecast report pages over the 30,000 deals.
                try ReportsBenchmark(path: path, runs: runs).run(progress: progress).forEach(table.add)
            }
            if only == nil || only == "winloss-people" {
                // Report pages 3 and 4 (Won and lost, People) at full size.
                try WinLossPeopleBenchmark(path: path, runs: runs).run(progress: progress).forEach(table.add)
            }
            if only == nil || only == "keys" {
                // Every key is a fresh app and a frame: 5 runs each unless --runs says.
                try KeysGroup.run(path: path, contacts: contacts, runs: runsGiven ? runs : 5, into: table, progress: progress)
            }
            if only == nil || only == "bulk" {
                let folder = "\(Paths.temporaryFolder)/crm-bench-bulk-\(getpid())"
                let rows = min(200_000, max(1_000, contacts * 2))
                do {
                    try BulkRatioBenchmark(folder: folder, rows: rows, runs: min(runs, 3), log: progress).run().forEach(table.add)
                } catch let failure as BulkRatioFailure {
                    throw Failure(failure.description, status: ExitCode.software)
                }
            }
            if only == nil || only == "million" {
                // The paths of "Flat at a million", a key each through the view models.
                try MillionQueriesBenchmark(path: path, runs: runs).run(progress: progress).forEach(table.add)
            }
            if only == nil || only == "customers" {
                // The Customers report page and the stored value tiers.
                try CustomersReportBenchmark(path: path, runs: runs).run(progress: progress).forEach(table.add)
            }
            if only == nil || only == "query" {
                try QueryBench.run(path: path, runs: runs).forEach(table.add)
            }
            if only == nil {
                try EditingBenchmark(runs: runs).run(progress: progress).forEach(table.add)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(error, path: path)
        }
        Output.print("")
        Output.print(table.render())
        return ExitCode.ok
    }
}
