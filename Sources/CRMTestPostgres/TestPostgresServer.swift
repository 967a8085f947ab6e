import CRMStorePostgres
import Foundation

/// A throwaway PostgreSQL server for the tests: `initdb` into a temporary
/// folder (as the postgres user when the tests run as root, since initdb
/// refuses root), listening only on a Unix socket in that folder, so parallel
/// runs never collide and nothing is reachable from the network. Started once
/// per test process on first use, stopped (`pg_ctl -m immediate stop`) and
/// removed when the test process exits.
///
/// A library of its own (not part of `crm`) so every test target can start
/// one: the engine's tests and the end-to-end tests of the real binary.
public final class TestPostgresServer: @unchecked Sendable {
    static let shared = Result { try TestPostgresServer() }

    /// PostgreSQL's server programs are not installed (`make test` installs
    /// them, so this happens only when tests are run by hand elsewhere).
    public struct NotInstalled: Error, CustomStringConvertible {
        public let description = "PostgreSQL's server (initdb, pg_ctl) is not installed: apt-get install postgresql"
    }

    /// The server of this test process, started on first use.
    public static func start() throws -> TestPostgresServer {
        switch shared {
        case .success(let server): return server
        case .failure(let error): throw error
        }
    }

    public let folder: String
    public let port = 54329
    private let binaries: String
    private let owner: String?
    private var databases = 0
    private let lock = NSLock()
    private var startOptions = ""

    /// The conninfo of database `name` on this server, as superuser or as `user`.
    public func conninfo(database: String, user: String? = nil) -> String {
        "host=\(folder) port=\(port) dbname=\(database) user=\(user ?? "postgres")"
    }

    private init() throws {
        guard let bin = Self.findBinaries() else { throw NotInstalled() }
        binaries = bin
        let base = Self.parentFolder().appendingPathComponent("crm-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        folder = base
        owner = getuid() == 0 ? "postgres" : nil
        if owner != nil { try Self.run("/bin/chown", ["postgres", base]) }
        try runAsOwner("\(bin)/initdb", ["-D", "\(base)/data", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "-U", "postgres"])
        let options = "-k \(base) -c listen_addresses='' -p \(port) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        startOptions = options
        try runAsOwner("\(bin)/pg_ctl", ["-D", "\(base)/data", "-w", "-l", "\(base)/server.log", "-o", options, "start"])
        // Stopped when the test process exits; a watchdog stops it too if
        // the process is killed outright (kill -9, a timeout), so no server
        // outlives its run.
        serverToStop = (bin, base, owner)
        atexit { stopServerAtExit() }
        try startWatchdog(parent: getpid())
    }

    /// Stops the server at once, as a crash or a power cut would (`-m
    /// immediate`: every session is cut without a goodbye), and starts it
    /// again; returns when it accepts connections (`pg_ctl -w`).
    ///
    /// This server runs with synchronous_commit=off (speed): a commit is
    /// acknowledged before its WAL is written, so a crash could lose commits
    /// made just before it, which a real server (synchronous_commit=on)
    /// never does. A CHECKPOINT first writes them, so the crash loses only
    /// what a real crash loses: transactions still open.
    public func restart() throws {
        try crash()
        try startAgain()
    }

    /// The first half of `restart`: the server is gone (every session cut)
    /// until `startAgain`, so a test can watch clients wait for it.
    public func crash() throws {
        try PGConnection(conninfo(database: "postgres")).execute("CHECKPOINT")
        try runAsOwner("\(binaries)/pg_ctl", ["-D", "\(folder)/data", "-m", "immediate", "-w", "stop"])
    }

    /// Starts the server `crash` stopped; returns when it accepts connections.
    public func startAgain() throws {
        try runAsOwner("\(binaries)/pg_ctl", ["-D", "\(folder)/data", "-w", "-l", "\(folder)/server.log", "-o", startOptions, "start"])
    }

    /// A new empty database, dropped with the server at the end of the run:
    /// for a test of what opening a database no crm has touched does (the
    /// migration, an older schema, `crm migrate` into it).
    public func makeDatabase() throws -> String {
        let name = nextName()
        let admin = try PGConnection(conninfo(database: "postgres"))
        try admin.execute("CREATE DATABASE \(name)")
        return name
    }

    /// A new database already at the latest schema, as a first opening
    /// leaves it before anyone signs in: a copy of one template database
    /// migrated once per server (the 64 steps cost a test far more than the
    /// copy). For a test that opens it through PostgresDatabase at once;
    /// what the steps themselves do is PGMigrationTests' (empty databases).
    public func makeMigratedDatabase() throws -> String {
        let template = try migratedTemplate()
        let name = nextName()
        let admin = try PGConnection(conninfo(database: "postgres"))
        try admin.execute("CREATE DATABASE \(name) TEMPLATE \(template)")
        return name
    }

    private func nextName() -> String {
        lock.withLock { databases += 1; return "t\(getpid())_\(databases)" }
    }

    private let templateLock = NSLock()
    private var template: String?

    /// Made on first use: migrated, then closed to connections (a copy
    /// needs a template nobody is connected to, autovacuum included).
    private func migratedTemplate() throws -> String {
        try templateLock.withLock {
            if let template { return template }
            let name = "crm_template"
            let admin = try PGConnection(conninfo(database: "postgres"))
            try admin.execute("CREATE DATABASE \(name)")
            try PostgresDatabase.migrateSchema(conninfo: conninfo(database: name))
            try admin.execute("ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS false")
            template = name
            return name
        }
    }

    /// A shell that waits for this process to end (checking once a second:
    /// it polls a condition, it stands in for no synchronisation), then stops
    /// the server and removes its folder.
    private func startWatchdog(parent: pid_t) throws {
        let stop = (owner.map { "/usr/sbin/runuser -u \($0) -- " } ?? "") + "\(binaries)/pg_ctl -D \(folder)/data -m immediate stop"
        let script = "while kill -0 \(parent) 2>/dev/null; do sleep 1; done; if [ -d \(folder)/data ]; then \(stop); rm -rf \(folder); fi"
        try Self.run("/bin/sh", ["-c", "(\(script)) >/dev/null 2>&1 </dev/null &"])
    }

    private func runAsOwner(_ tool: String, _ arguments: [String]) throws {
        if let owner { try Self.run("/usr/sbin/runuser", ["-u", owner, "--", tool] + arguments) }
        else { try Self.run(tool, arguments) }
    }

    /// posix_spawn and waitpid, output to a file: the server that `pg_ctl
    /// start` leaves running inherits the tool's descriptors, so a pipe would
    /// never reach its end (and Foundation's Process waited forever here).
    public static func runShell(_ command: String) throws { try run("/bin/sh", ["-c", command]) }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("crm-pg-run-\(UUID().uuidString)").path
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard rc == 0 else {
            throw NSError(domain: "TestPostgresServer", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "cannot start \(tool)"])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0, code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw NSError(domain: "TestPostgresServer", code: Int(code),
                          userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments.joined(separator: " ")) failed:\n\(text)"])
        }
    }

    /// Where the server's folder goes: memory (/dev/shm) when it has room
    /// to spare, else the temporary folder. A run makes hundreds of
    /// databases (some 16 MB and 560 files each) that are thrown away at its
    /// end: on a busy disk, writing them and then removing them took longer
    /// than the tests that used them (a minute of `rm` at exit alone).
    private static func parentFolder() -> URL {
        var fs = statvfs()
        let room = statvfs("/dev/shm", &fs) == 0 ? UInt64(fs.f_bavail) * UInt64(fs.f_frsize) : 0
        if room > 8 << 30, access("/dev/shm", W_OK) == 0 { return URL(fileURLWithPath: "/dev/shm") }
        return FileManager.default.temporaryDirectory
    }

    private static func findBinaries() -> String? {
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" } + ["/usr/local/bin", "/usr/bin"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") && FileManager.default.isExecutableFile(atPath: "\($0)/pg_ctl") }
    }
}

/// The server the atexit handler stops (a C function pointer captures nothing).
nonisolated(unsafe) private var serverToStop: (binaries: String, folder: String, owner: String?)?

private func stopServerAtExit() {
    guard let (bin, folder, owner) = serverToStop else { return }
    serverToStop = nil
    // Immediate: nothing of the server is kept, so the shutdown checkpoint a
    // fast stop makes (writing out every database the run made) is waste.
    let stop = "\(bin)/pg_ctl -D \(folder)/data -m immediate -w stop >/dev/null 2>&1; rm -rf \(folder)"
    let command = owner.map { "/usr/sbin/runuser -u \($0) -- sh -c '\(bin)/pg_ctl -D \(folder)/data -m immediate -w stop >/dev/null 2>&1'; rm -rf \(folder)" } ?? stop
    _ = try? TestPostgresServer.runShell(command)
}
