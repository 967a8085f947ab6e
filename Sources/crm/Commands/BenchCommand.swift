import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import CRMTerminal
import Foundation

/// `crm bench [--contacts N] [--db PATH] [--runs R]`
enum BenchCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "bench")
        var dbOption: String?
        var contacts = 100_000
        var runs = 200
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file")
            case .option("--contacts", let v): contacts = try reader.integer("--contacts", inline: v, in: 100...10_000_000)
            case .option("--runs", let v): runs = try reader.integer("--runs", inline: v, in: 1...100_000)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("bench"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let path = dbOption.map(Paths.expand) ?? "\(Paths.temporaryFolder)/crm-bench-\(contacts).db"
        let table = BenchTable()
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
            let (counts, fill) = try StoreBenchmarks.prepare(path: path, contacts: contacts, seed: DemoCommand.defaultSeed)
            Output.print("database: \(path)")
            Output.print("holds: \(counts.contacts) contacts, \(counts.companies) companies, \(counts.deals) deals, " +
                  "\(counts.interactions) interactions, \(counts.followUps) open follow-ups")
            if let fill {
                Output.print("filled with demo data in \(String(format: "%.2f", fill)) s (target ≤ 20 s at 100,000 contacts)")
            } else {
                Output.print("reused (already had ≥ \(contacts) contacts)")
            }
            let bench = StoreBenchmarks(path: path, runs: runs) { Output.error("crm bench: \($0)") }
            try bench.run(into: table)
            // The screens, end to end (key → view model → SQLite → frame).
            let progress: (String) -> Void = { Output.error("crm bench: \($0)") }
            try ContactsBenchmark(path: path, runs: runs).run(progress: progress).forEach(table.add)
            try AgendaBench.run(path: path, runs: runs).forEach(table.add)
            let pipelinePath = (path as NSString).deletingPathExtension + "-pipeline.db"
            try PipelineBenchmark(path: pipelinePath, deals: 30_000, runs: runs).run(progress: progress).forEach(table.add)
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
