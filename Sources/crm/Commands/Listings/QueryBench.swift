import CRMBench
import CRMExchange
import CRMStore
import Foundation

// The `crm query` rows of `crm bench`: a mail client runs the whole program
// for every lookup, so the figure that counts is the whole process (start,
// open, search, print), measured by running this very binary; the in-process
// row shows how much of it is the work itself.
enum QueryBench {
    /// A full name, and a prefix that finds more contacts than a query reads.
    static let queries = ["anna müller", "gün"]

    static func run(path: String, runs: Int) throws -> [BenchTable.Measurement] {
        var rows: [BenchTable.Measurement] = []
        for text in queries {
            let inProcess = try BenchTable.samples(runs) {
                let (found, _) = try Database.reading(path) { try QueryCommand.read(text, $0) }
                _ = AddressQuery.lines(query: text, found: found)
            }
            rows.append(BenchTable.Measurement(name: "query \"\(text)\": open + search + addresses, in process", samples: inProcess))
            guard let binary = Bundle.main.executablePath else { continue }
            let whole = try BenchTable.samples(min(runs, 50)) { try spawn(binary, ["query", "--db", path, text]) }
            rows.append(BenchTable.Measurement(name: "query \"\(text)\": whole process (crm query, as mutt runs it)",
                                               samples: whole, targetMs: 20))
        }
        return rows
    }

    /// Runs `binary` with `args`, output to /dev/null, and waits for it.
    static func spawn(_ binary: String, _ args: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        let argv = ([binary] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        guard status == 0 else { throw Failure("cannot run \(binary): \(String(cString: strerror(status)))", status: ExitCode.software) }
        var exit: Int32 = 0
        waitpid(pid, &exit, 0)
    }
}
