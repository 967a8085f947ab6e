import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation

/// `crm demo --db PATH [--contacts N] [--seed S] [--append]`
enum DemoCommand {
    static let defaultSeed: UInt64 = 42

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "demo")
        var dbOption: String?
        var contacts = DemoData.defaultContacts
        var seed = defaultSeed
        var seedGiven = false
        var append = false
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--contacts", let v): contacts = try reader.integer("--contacts", inline: v, in: 1...10_000_000)
            case .option("--seed", let v):
                seed = try reader.seed("--seed", inline: v)
                seedGiven = true
            case .option("--append", let v): append = try reader.flag("--append", inline: v)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("demo"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        // Required on purpose: demo data must never land in the real database by default.
        guard let dbOption else { throw reader.fail("--db PATH is required: demo data never goes into your real database by default") }
        // The demo team is written into a file; a server database gets it by
        // copying that file (a connection string never becomes a file name).
        if case .postgres = try DatabaseTarget.parse(dbOption, option: "--db") {
            let name = DatabaseTarget.postgres(conninfo: dbOption).name
            // The commands as they can be pasted: the string quoted for a shell (QA 38 B-F5).
            throw Failure("--db names a PostgreSQL database (\(name)); crm demo fills an SQLite file: run "
                          + "crm demo --db demo.db, then: crm migrate --from demo.db --to \(CompletionScript.quoted(name))",
                          status: ExitCode.unavailable)
        }
        let path = Paths.expand(dbOption)
        let database = try Opening.database(at: path)
        let existing = try database.contacts.count(filter: ContactFilter())
        if existing > 0 && !append {
            throw Failure("\(path) already has \(existing) contacts; add --append to add demo data to them", status: ExitCode.failure)
        }
        // Appending with the same seed would add the same people again; without
        // an explicit seed, the number already there picks a fresh one.
        if existing > 0 && !seedGiven { seed = defaultSeed &+ UInt64(existing) }
        let start = Date()
        let summary: DemoSummary
        do {
            summary = try DemoData.generate(into: database, contacts: contacts, seed: seed)
        } catch {
            throw Failure(error, path: path)
        }
        let seconds = Date().timeIntervalSince(start)
        // Plain digits, as check and backup print their counts.
        func n(_ count: Int, _ noun: String, plural: String? = nil) -> String { "\(count) \(count == 1 ? noun : plural ?? noun + "s")" }
        Output.print("""
            \(path): added \(n(summary.contacts, "contact")), \(n(summary.companies, "company", plural: "companies")), \
            \(n(summary.deals, "deal")), \(n(summary.interactions, "interaction")) \
            (and \(n(summary.stageMoves, "stage move")) in the timelines), \(n(summary.followUps, "follow-up")) (seed \(seed)) in \
            \(String(format: "%.2f", seconds)) s
            """)
        return ExitCode.ok
    }
}
