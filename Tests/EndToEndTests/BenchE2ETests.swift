import Foundation
import XCTest

/// `crm bench` itself, at a tiny size, so it cannot rot: the build of its
/// database (and its reuse, keyed by size and schema version), the keys
/// group (every binding of every key table, the paths, the peak
/// memory) and the bulk group (BulkLoader against the sqlite3 shell). Rows
/// are checked to be there, never their times.
final class BenchE2ETests: XCTestCase {
    var run: CRMRun!

    override func setUpWithError() throws { run = try CRMRun.temporary("bench") }
    override func tearDown() { run.remove() }

    func testTheKeysGroupBuildsItsDatabaseDrivesEveryTableAndReusesIt() throws {
        let first = try run.crm("bench", "--contacts", "100", "--runs", "1", "--only", "keys")
        XCTAssertEqual(first.status, 0, first.err)
        let built = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: run.folder.path)
            .first { $0.hasPrefix("crm-bench-100-v") && $0.hasSuffix(".db") }, "the bench database is named by size and schema version")
        XCTAssertTrue(first.out.contains("built with demo data in"), first.out)
        for row in ["Today (1): ", "Contacts (2): ", "Pipeline (3): ", "Timeline (4): ",
                    "Contacts: the trash (T): ", "Pipeline: won and lost deals (c): ", "Pipeline: a deal's details (Enter): ",
                    "Forms (a, e, f, n, …): ", "Questions (d delete, …): ", "Call mode (c): ", "The command palette (:): ",
                    "Help (? or F1): ", "Everywhere: ",
                    "path: first screen", "path: `2` open Contacts", "path: Timeline search \"cal\"",
                    "path: Timeline type filter \"stage change\"", "path: Contacts search \"a b\"", "path: Pipeline Esc Esc after a search",
                    "path: Pipeline won/lost list `c`", "path: Today everyone's `m`", "path: open a contact that sorts late",
                    "path: live refresh after another user's commit"] {
            XCTAssertTrue(first.out.contains(row), "a row for \(row)\n\(first.out)")
        }
        XCTAssertTrue(first.out.contains("writes: rolled back"), "keys that write are driven and rolled back")
        XCTAssertTrue(first.out.contains("peak memory (RSS) after each view"), first.out)
        XCTAssertTrue(first.out.contains("peak memory: "), first.out)
        // Read from /proc (VmHWM, "Name:\t   123 kB"), which the small
        // database's baseline resets; and every app the sweep made let go
        // (a form left open kept its app and its pages alive, issue 16).
        XCTAssertTrue(first.out.contains("resident at the end: ") && first.out.contains("(anonymous "), first.out)
        XCTAssertFalse(first.out.contains("anonymous unknown"), first.out)
        XCTAssertTrue(first.out.contains("still alive 0"), first.out)
        // Rolled back: the keys left the database as it was (only the live
        // refresh's notes, real commits of a second user, were added).
        let again = try run.crm("bench", "--contacts", "100", "--runs", "1", "--only", "keys")
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.out.contains("reused"), "the second run reuses \(built): \(again.out)")
    }

    func testTheBulkGroupSetsBulkLoaderAgainstTheSqliteShell() throws {
        let result = try run.crm("bench", "--contacts", "100", "--runs", "1", "--only", "bulk")
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("bulk write 1000 interactions: sqlite3 shell, one transaction"), result.out)
        XCTAssertTrue(result.out.contains("bulk write 1000 interactions: BulkLoader, one transaction"), result.out)
        XCTAssertTrue(result.out.contains("x the sqlite3 shell's rate"), result.out)
        let left = try FileManager.default.contentsOfDirectory(atPath: run.folder.path).filter { $0.hasPrefix("crm-bench-bulk") }
        XCTAssertEqual(left, [], "the bulk group's scratch files are removed")
    }
}
