@testable import CRMStore
import Foundation
import XCTest

/// What the first screen loads (issue 16): crm is not linked with libpq,
/// which is opened only when a PostgreSQL database is; on an SQLite file the
/// running screen has neither libpq nor the TLS, Kerberos and LDAP libraries
/// it pulls in mapped (they cost about 5 ms of CPU at every start).
final class StartupE2ETests: XCTestCase {
    func testTheScreenOnAnSQLiteFileDoesNotLoadLibpq() throws {
        let t = try TmuxSession()
        defer { t.close() }
        let db = t.path("crm.db")
        XCTAssertEqual(try t.run(["user", "add", "sara", "--name", "Sara Lindqvist", "--role", "admin", "--db", db]).status, 0)
        try t.startCRM("--db \(db) --user sara")
        try t.waitFor(text: "Today")
        let pid = try t.crmPID()
        // Read to its end (Foundation reads a /proc file's first 4 KiB only).
        let maps = try XCTUnwrap(DatabaseBackup.procText("/proc/\(pid)/maps"))
        XCTAssertTrue(maps.contains("libsqlite3"), "the maps were read: \(maps.prefix(400))")
        for library in ["libpq.so", "libgnutls", "libkrb5", "libldap", "libssl"] {
            XCTAssertFalse(maps.contains(library), "\(library) is loaded by the screen on an SQLite file")
        }
        try t.keys("q")
    }

    /// The binary itself does not name libpq among the libraries it needs.
    func testTheBinaryIsNotLinkedWithLibpq() throws {
        let binary = TmuxSession.crmBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("no crm binary at \(binary)") }
        let needed = try Spawn.run(["/usr/bin/env", "readelf", "-d", binary], outputIn: FileManager.default.temporaryDirectory,
                                   environment: ["PATH": "/usr/bin:/bin"])
        guard needed.status == 0 else { throw XCTSkip("readelf is not there: \(needed.output)") }
        XCTAssertTrue(needed.output.contains("libsqlite3"), needed.output)
        XCTAssertFalse(needed.output.contains("libpq"), needed.output)
    }
}
