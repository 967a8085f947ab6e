import CRMBench
import CRMDemo
import CRMRepositories
import Foundation

/// `crm bench --clients N [--seconds S]`: N child processes of this very
/// binary, each signed in as one of the team and running the load mix
/// (LoadClient) for S seconds, all starting at the same moment; then their
/// figures gathered (LoadTally) and the database checked (LoadCheck). A
/// child is this command again with `CRM_BENCH_LOAD_CLIENT` set — not an
/// option, since no person runs one by hand.
enum LoadGroup {
    static let clientVariable = "CRM_BENCH_LOAD_CLIENT"

    /// What the parent tells a child: which client, as whom, which run, when to start.
    struct Spec {
        var index: Int
        var login: String
        var runID: String
        var start: Double

        var text: String { "\(index):\(runID):\(start):\(login)" }

        init(index: Int, login: String, runID: String, start: Double) {
            self.index = index; self.login = login; self.runID = runID; self.start = start
        }

        init?(_ text: String) {
            let parts = text.split(separator: ":", maxSplits: 3).map(String.init)
            guard parts.count == 4, let index = Int(parts[0]), let start = Double(parts[2]) else { return nil }
            self.init(index: index, login: parts[3], runID: parts[1], start: start)
        }
    }

    /// The spec this process was started with, if it is a load client.
    static var childSpec: Spec? {
        ProcessInfo.processInfo.environment[clientVariable].flatMap(Spec.init)
    }

    // MARK: the child

    static func child(_ spec: Spec, engine: BenchEngine, clients: Int, seconds: Int) -> Int32 {
        let out = FileHandle.standardOutput
        do {
            let repos = try engine.open(login: spec.login)
            let client = LoadClient(index: spec.index, clients: clients, runID: spec.runID, repos: repos) { line in
                out.write(Data((line + "\n").utf8))
            }
            try client.prepare()
            // Everyone starts together: connecting 50 processes takes a while on a small machine.
            while Date().timeIntervalSince1970 < spec.start { usleep(10_000) }
            let left = spec.start + Double(seconds) - Date().timeIntervalSince1970
            client.run(until: DispatchTime.now().uptimeNanoseconds + UInt64(max(0, left) * 1e9))
            return ExitCode.ok
        } catch {
            Output.error("crm bench: load client \(spec.index) (\(spec.login)): \(error)")
            return ExitCode.tempFail
        }
    }

    // MARK: the parent

    /// Runs the load on `engine` (`dbText`: how a child names it) and prints
    /// the figures and the check; false when the check found a difference.
    static func run(engine: BenchEngine, dbText: String, clients: Int, seconds: Int,
                    progress: (String) -> Void) throws -> Bool {
        // Held in a local: the program's session, for the baseline and the check.
        let program = try engine.open(login: nil)
        let baseline = try LoadCheck.baseline(program)
        let team = try program.allUsers().map(\.login)
        let demo = team.filter { login in DemoData.users.contains { $0.login == login } }.sorted()
        // As many of the team as there are clients; the clients take turns.
        let logins = Array(demo.prefix(clients))
        guard !logins.isEmpty else { throw Failure("\(dbText) has none of the demo team's users to sign in as", status: ExitCode.noUser) }
        guard let binary = ChildRun.ownBinary else { throw Failure("cannot find this program's own file to start clients", status: ExitCode.software) }
        let folder = try Paths.makeTemporaryFolder("crm-bench-load", purpose: "for the load clients' records")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runID = "\(getpid())x\(Int(Date().timeIntervalSince1970))"
        // Time to start and connect every client before the common start.
        let start = Date().timeIntervalSince1970 + 2 + 0.2 * Double(clients)
        progress("load: \(clients) clients on \(engine.title) as \(logins.joined(separator: ", ")), \(seconds) s")
        var children: [(pid: pid_t, spec: Spec)] = []
        defer {
            // A failure half-way: the clients already started are ended, each by its pid.
            for child in children { kill(child.pid, SIGKILL); var status: Int32 = 0; waitpid(child.pid, &status, 0) }
        }
        for index in 0..<clients {
            let spec = Spec(index: index, login: logins[index % logins.count], runID: runID, start: start)
            let pid = try spawn(binary, ["bench", "--db", dbText, "--clients", String(clients), "--seconds", String(seconds)],
                                environment: [clientVariable: spec.text, "CRM_PG_LISTEN": "off"],
                                stdout: "\(folder)/client-\(index).out", stderr: "\(folder)/client-\(index).err")
            children.append((pid, spec))
        }
        // Waited for by pid; a client still running two minutes after the
        // end is stuck, and is ended (by its pid) and reported.
        let giveUp = start + Double(seconds) + 120
        var failed: [String] = []
        var running = children
        while !running.isEmpty {
            running = running.filter { child in
                var status: Int32 = 0
                let done = waitpid(child.pid, &status, WNOHANG)
                if done == 0 {
                    if Date().timeIntervalSince1970 > giveUp {
                        kill(child.pid, SIGKILL)
                        waitpid(child.pid, &status, 0)
                        failed.append("client \(child.spec.index): still running long after the end; ended")
                        return false
                    }
                    return true
                }
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                if code != 0 {
                    let err = (try? String(contentsOfFile: "\(folder)/client-\(child.spec.index).err", encoding: .utf8)) ?? ""
                    failed.append("client \(child.spec.index) exited with \(code): \(err.split(separator: "\n").first ?? "")")
                }
                return false
            }
            if !running.isEmpty { usleep(50_000) }
        }
        children = []
        var tally = LoadTally()
        for index in 0..<clients {
            tally.read((try? String(contentsOfFile: "\(folder)/client-\(index).out", encoding: .utf8)) ?? "")
        }
        let check = try LoadCheck(repos: program, runID: runID, historyAfter: baseline, tally: tally)
        Output.print("")
        Output.print("load on \(engine.title): \(clients) clients (as \(logins.joined(separator: ", "))), \(seconds) s, "
                     + "\(tally.actions) actions, \(String(format: "%.1f", Double(tally.actions) / Double(seconds))) per second")
        Output.print(tally.render(seconds: Double(seconds)))
        for line in failed { Output.print("client failed: \(line)") }
        if tally.errorCount > 0 {
            Output.print("errors: \(tally.errorCount); first: \(tally.errors.joined(separator: " | "))")
        }
        if tally.unreadable > 0 { Output.print("unreadable record lines: \(tally.unreadable)") }
        Output.print(check.summary)
        for line in check.details { Output.print("  \(line)") }
        return check.consistent && failed.isEmpty
    }

    /// Starts `binary` with `args` and extra `environment`, its output to
    /// new private files; returns its pid (waited for by the caller).
    private static func spawn(_ binary: String, _ args: [String], environment: [String: String],
                              stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        for (fd, path) in [(STDOUT_FILENO, stdout), (STDERR_FILENO, stderr)] {
            posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([binary] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { throw Failure("cannot start a load client: \(String(cString: strerror(spawned)))", status: ExitCode.software) }
        return pid
    }
}
