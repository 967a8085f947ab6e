@testable import CRMStore
import Foundation
import XCTest

/// Eight people on one server start crm on the same file at the same moment:
/// the real binary, real files, 20 rounds each with a fresh file. Whoever
/// comes first migrates; the others wait for the write lock, see the work
/// done and skip it; the same new login is created once. The screen
/// (`crm --db F --user sara`, on a pseudo-terminal, quit with `q`) is the
/// command that creates the user; `crm followups` is a read-only subcommand
/// that reads the file as it finds it (empty, half-migrated or current) and
/// never migrates it.
final class ConcurrentOpenE2ETests: XCTestCase {
    var folder: URL!
    let rounds = 20
    let processes = 8

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-together-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard FileManager.default.isExecutableFile(atPath: CLITests.binary.path) else {
            throw XCTSkip("crm binary not found at \(CLITests.binary.path); run `swift build` first")
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    var environment: [String: String] {
        ["HOME": folder.path, "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
         "XDG_DATA_HOME": folder.appendingPathComponent("data").path, "TZ": "UTC", "LANG": "C.UTF-8",
         "LC_ALL": "C.UTF-8", "TERM": "screen-256color", "USER": "tester", "EDITOR": "", "PATH": "/usr/bin:/bin"]
    }

    func screen(_ db: String) -> Together.Program {
        // The status bar names the user once the screen is up.
        Together.Program(argv: [CLITests.binary.path, "--db", db, "--user", "sara"], terminal: (ready: "sara", keys: "q"))
    }

    func followUps(_ db: String) -> Together.Program {
        Together.Program(argv: [CLITests.binary.path, "followups", "--db", db])
    }

    /// An empty file, as crm itself creates one (0600) before SQLite opens it.
    func emptyFile(_ path: String) {
        let fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0o600)
        if fd >= 0 { close(fd) }
    }

    var failedProcesses = 0

    /// Runs `programs` together on `db`; returns the failures, described.
    func runRound(_ round: Int, _ db: String, _ programs: [Together.Program]) throws -> [String] {
        var failures = try Together.run(programs, environment: environment, folder: folder)
            .filter { $0.status != 0 }.map { "round \(round): \($0)" }
        failedProcesses += failures.count
        do {
            let c = try Connection(path: db, readOnly: true)
            let version = try c.scalar("PRAGMA user_version") ?? 0
            if version != Int64(Migrator.latestVersion) {
                failures.append("round \(round): the file is at schema version \(version), not \(Migrator.latestVersion)")
            }
            let users = try c.rows("SELECT login FROM users ORDER BY id") { $0.string(0) }
            if users != ["sara"] { failures.append("round \(round): users are \(users), expected exactly one sara") }
        } catch {
            failures.append("round \(round): cannot read the file: \(error)")
        }
        return failures
    }

    func testEightProcessesOpenABrandNewDatabaseTogether() throws {
        var failures: [String] = []
        for round in 0..<rounds {
            let db = folder.appendingPathComponent("new-\(round).db").path
            let programs: [Together.Program]
            if round.isMultiple(of: 2) {
                // No file yet: every screen tries to create it.
                programs = (0..<processes).map { _ in screen(db) }
            } else {
                // An empty file (followups wants the file to exist): half
                // screens, half followups, interleaved.
                emptyFile(db)
                programs = (0..<processes).map { $0.isMultiple(of: 2) ? screen(db) : followUps(db) }
            }
            failures += try runRound(round, db, programs)
        }
        print("8 processes on a new database, \(rounds) rounds: \(failedProcesses) of \(rounds * processes) processes failed; \(failures.count) failures in all")
        XCTAssertEqual(failures.count, 0, failures.prefix(12).joined(separator: "\n"))
    }

    /// Even rounds one step behind; odd rounds two (steps, not version
    /// numbers: branches may leave gaps). No step survives being applied
    /// twice (step 9 adds a column), so a step run twice fails the round.
    func testEightProcessesUpgradeADatabaseBehindTogether() throws {
        var failures: [String] = []
        for round in 0..<rounds {
            // A name as short as the other test's: the status bar at 80
            // columns shows "sara · old-12.db", but dropped the whole right
            // side for "behind-12.db", so the screens were only ever typed
            // at blind after 10 s (200 s for the test instead of 5).
            let db = folder.appendingPathComponent("old-\(round).db").path
            let start = Migrator.steps[Migrator.steps.count - (round.isMultiple(of: 2) ? 2 : 3)].version
            do {
                try Database.prepareFile(at: db)
                let c = try Connection(path: db)
                try Database.configure(c)
                try Migrator.migrate(c, upTo: start)
                XCTAssertEqual(try c.scalar("PRAGMA user_version"), Int64(start))
            }
            let programs = (0..<processes).map { $0.isMultiple(of: 2) ? screen(db) : followUps(db) }
            failures += try runRound(round, db, programs)
        }
        print("8 processes on a database 1 or 2 steps behind, \(rounds) rounds: \(failedProcesses) of \(rounds * processes) processes failed; \(failures.count) failures in all")
        XCTAssertEqual(failures.count, 0, failures.prefix(12).joined(separator: "\n"))
    }
}
