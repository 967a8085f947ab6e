@testable import CRMStore
import Foundation
import XCTest

/// Upgrading an existing file can take seconds per step on a large database:
/// on a terminal, crm says what it is doing, step by step, and how long it took.
final class UpgradeProgressE2ETests: XCTestCase {
    func testAnUpgradeSaysEachStepOnTheTerminal() throws {
        let term = try TmuxSession()
        defer { term.close() }
        let path = term.path("old.db")
        let older = Migrator.steps[Migrator.steps.count - 3].version
        let firstStep = Migrator.steps[Migrator.steps.count - 2].version
        do {
            let c = try Connection(path: path)
            try c.execute("PRAGMA journal_mode = WAL")
            try Migrator.migrate(c, upTo: older)
        }
        try term.startCRM("demo --db \(path) --contacts 1 --append --seed 5")
        let screen = try term.waitFor(text: "crm: upgraded \(path) from schema \(older) to \(Migrator.latestVersion) in", timeout: 30)
        XCTAssertTrue(screen.contains("crm: upgrading \(path) to schema \(Migrator.latestVersion): step \(firstStep) of \(Migrator.latestVersion)…"), screen)
        XCTAssertTrue(screen.contains("step \(Migrator.latestVersion) of \(Migrator.latestVersion)…"), screen)
        XCTAssertEqual(try Connection(path: path, readOnly: true).scalar("PRAGMA user_version"), Int64(Migrator.latestVersion))
    }

    func testANewFileIsCreatedWithoutUpgradeLines() throws {
        let term = try TmuxSession()
        defer { term.close() }
        let path = term.path("new.db")
        // Quoted apart, so the typed command line does not already show the word.
        try term.startCRM("demo --db \(path) --contacts 1 --seed 5; echo demo-fini''shed")
        let screen = try term.waitFor(text: "demo-finished", timeout: 30)
        XCTAssertFalse(screen.contains("upgrading"), screen)
    }
}
