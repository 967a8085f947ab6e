import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// QA's report, as two colleagues live it in the real binary: one types a
/// value too large for any total, which is refused with the range; an old
/// version writes it into the file anyway, with a currency code that is not
/// ISO 4217. Before, the board of everyone who opened the pipeline crashed.
final class NumbersE2ETests: XCTestCase {
    func testAValueNoTotalCanHoldIsRefusedAndWhenStoredAnywayTheBoardsStillWork() throws {
        let term = try TmuxSession(width: 120, height: 40)
        defer { term.close() }
        let dbPath = term.path("crm.db")
        let dealID = try PipelineBoardE2ETests.seed(dbPath)

        try term.startCRM("--db \(dbPath) --user alice", window: "rep")
        try term.startCRM("--db \(dbPath) --user bob", window: "colleague")
        for window in ["rep", "colleague"] {
            try term.waitFor(text: "Contacts", window: window)
            try term.keys("3", window: window)
            try term.waitFor(text: "E2E Deal", window: window)
        }

        // Bob types QA's value into a new deal: refused next to the field, with the range.
        try term.keys("a", window: "colleague")
        try term.waitFor(text: "New deal in Sales", window: "colleague")
        try term.type("Huge", window: "colleague")
        try term.keys("Tab", window: "colleague")
        try term.type("9300000000000000", window: "colleague")
        // The preview under the field says it at once, with the whole value: all of it arrived.
        try term.waitFor(text: "\"9300000000000000\" is too large", window: "colleague")
        try term.keys("C-s", window: "colleague")
        let form = try term.waitFor(text: "Please correct the fields marked below", window: "colleague")
        XCTAssertTrue(form.contains("9300000000000000"), "what was typed stays:\n\(form)")
        try term.keys("Escape", window: "colleague")
        // A key sent at once after Esc would arrive as Alt-key: wait for the question.
        try term.waitFor(text: "Discard what you typed?", window: "colleague")
        try term.keys("y", window: "colleague")
        try term.waitFor("the form to close", window: "colleague") { !$0.contains("New deal in Sales") }

        // An old version writes it anyway, and a deal in "XYZ".
        let old = try Database(path: dbPath, login: "old")
        try old.connection.run("UPDATE deals SET value_minor = ? WHERE id = ?", [Int64(930_000_000_000_000_000), dealID])
        let odd = try old.deals.create(Deal(pipelineID: try XCTUnwrap(old.deals.get(dealID)).pipelineID,
                                            stageID: try XCTUnwrap(old.deals.get(dealID)).stageID, title: "Odd currency",
                                            value: Money(minorUnits: 300_00, currency: .eur)))
        try old.connection.run("UPDATE deals SET currency = 'XYZ' WHERE id = ?", [odd.id])

        // Both boards follow by themselves: flagged, apart, and still running.
        for window in ["rep", "colleague"] {
            let screen = try term.waitFor("the flagged totals", window: window, timeout: 2) {
                BoardScreen.header($0, column: "Lead") == ["Lead · 10%                   2", "Σ out of range EUR"]
                    && $0.contains("Σ 300 XYZ?  ≈ 30 XYZ?") && $0.contains("300 XYZ? · old")
            }
            XCTAssertTrue(screen.contains("out of range EUR · alice"), screen)
            XCTAssertFalse(screen.contains("no open stage"), screen)
        }
        // The board still answers keys: the flagged deal opens, then moves on.
        try term.keys("Enter", window: "rep")
        try term.waitFor(text: "out of range (9,300,000,000,000,000.00 EUR)", window: "rep")
        try term.keys("Escape", window: "rep")
        try term.waitFor("the details to close", window: "rep") { !$0.contains("Stage history") }
        try term.keys("L", window: "rep")
        try term.waitFor(text: "E2E Deal: Lead → Qualified", window: "rep")
        try term.waitFor("the totals to follow the deal", window: "rep") {
            BoardScreen.header($0, column: "Qualified")?.last == "Σ out of range EUR"
                && BoardScreen.header($0, column: "Lead")?.last == "Σ 300 XYZ?  ≈ 30 XYZ?"
        }
        for window in ["rep", "colleague"] { try term.keys("q", window: window) }
        try term.waitFor("crm to exit", window: "rep") { !$0.contains("Pipeline") }
        XCTAssertEqual(try Database(path: dbPath).deals.get(dealID)?.value.minorUnits, 930_000_000_000_000_000,
                       "moving it kept the stored value as it was")
    }
}
