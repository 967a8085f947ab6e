import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The pipeline board in the real `crm` binary, in tmux, on a real database:
/// a sales rep moves a deal two stages right and marks it won, while a
/// colleague's `crm` on the same file sees it happen.
final class PipelineBoardE2ETests: XCTestCase {
    func testMoveTwoStagesAndWinWhileAColleagueWatches() throws {
        let term = try TmuxSession(width: 120, height: 40)
        defer { term.close() }
        let dbPath = term.path("crm.db")
        let dealID = try Self.seed(dbPath)

        // Open the board in two crm processes on the same file.
        try term.startCRM("--db \(dbPath) --user alice", window: "rep")
        try term.startCRM("--db \(dbPath) --user bob", window: "colleague")
        for window in ["rep", "colleague"] {
            try term.waitFor(text: "Contacts", window: window)
            try term.keys("3", window: window)
            try term.waitFor(text: "E2E Deal", window: window)
        }
        var screen = try term.screen(window: "rep")
        XCTAssertEqual(BoardScreen.header(screen, column: "Lead"), ["Lead · 10%                   1", "Σ 10.0k EUR  ≈ 1.0k EUR"], screen)
        XCTAssertEqual(BoardScreen.header(screen, column: "Proposal")?.last, "Σ 0", screen)

        // Two stages to the right: the focus follows the deal.
        try term.keys("L", window: "rep")
        try term.waitFor(text: "E2E Deal: Lead → Qualified", window: "rep")
        try term.keys("L", window: "rep")
        screen = try term.waitFor(text: "E2E Deal: Qualified → Proposal", window: "rep")
        XCTAssertEqual(BoardScreen.header(screen, column: "Lead")?.last, "Σ 0", screen)
        XCTAssertEqual(BoardScreen.header(screen, column: "Proposal"), ["Proposal · 50%              1", "Σ 10.0k EUR  ≈ 5.0k EUR"], screen)

        // The colleague's screen follows within a second, without a key press.
        try term.waitFor("the move on the colleague's board", window: "colleague", timeout: 1.0) {
            BoardScreen.header($0, column: "Proposal")?.last == "Σ 10.0k EUR  ≈ 5.0k EUR"
                && BoardScreen.header($0, column: "Lead")?.last == "Σ 0"
        }

        // Won: the deal leaves the board and the column totals drop.
        try term.keys("w", window: "rep")
        screen = try term.waitFor(text: "Won: E2E Deal", window: "rep")
        XCTAssertEqual(BoardScreen.header(screen, column: "Proposal")?.last, "Σ 0", screen)
        XCTAssertFalse(screen.contains("E2E Deal\u{20}\u{20}"), screen)
        try term.waitFor("the won deal gone from the colleague's board", window: "colleague", timeout: 1.0) {
            BoardScreen.header($0, column: "Proposal")?.last == "Σ 0" && !$0.contains("Lead → ")
        }

        // Quit both; the database tells the same story.
        for window in ["rep", "colleague"] { try term.keys("q", window: window) }
        try term.waitFor("crm to exit", window: "rep") { !$0.contains("Pipeline") }
        let db = try Database(path: dbPath)
        let history = try db.deals.history(dealID: dealID)
        XCTAssertEqual(history.count, 3, "the creation row and two moves")
        XCTAssertEqual(history.filter { $0.fromStageID != nil }.count, 2)
        let deal = try XCTUnwrap(db.deals.get(dealID))
        XCTAssertEqual(deal.status, .won)
        XCTAssertNotNil(deal.closedAt)
        let stages = try db.pipelines.stages(pipelineID: deal.pipelineID)
        XCTAssertEqual(stages.first { $0.id == deal.stageID }?.name, "Proposal", "won from the stage it reached")
        let alice = try XCTUnwrap(db.users.all().first { $0.login == "alice" })
        XCTAssertEqual(history.last?.changedBy, alice.id)
        let timeline = try db.interactions.timeline(.deal(dealID), before: nil, limit: 10)
        XCTAssertEqual(timeline.map(\.interaction.subject),
                       ["E2E Deal: won (in Proposal)", "E2E Deal: Qualified → Proposal", "E2E Deal: Lead → Qualified"])
    }

    /// A pipeline with four stages, the deal under test in Lead, another deal.
    static func seed(_ path: String) throws -> Int64 {
        let db = try Database(path: path, login: "alice")
        let names = ["Lead", "Qualified", "Proposal", "Negotiation"]
        let pipeline = try db.pipelines.createPipeline("Sales", stages: names.indices.map {
            Stage(pipelineID: 0, name: names[$0], position: $0, probability: [10, 25, 50, 75][$0])
        })
        let stages = try db.pipelines.stages(pipelineID: pipeline.id)
        let deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "E2E Deal",
                                            value: Money(minorUnits: 10_000_00, currency: .eur)))
        _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[3].id, title: "Other deal",
                                     value: Money(minorUnits: 2_000_00, currency: .usd)))
        _ = try db.users.findOrCreate(login: "bob")
        return deal.id
    }
}

/// The real binary in a private tmux server (`tmux -L <unique>`), driven
/// with send-keys and read with capture-pane, polling with a timeout; the
/// server is ended by its name only.
/// Reading the board off a captured screen.
enum BoardScreen {
    /// The header of a board column as a person reads it: the stage line and
    /// the first totals line, cut out of the screen between the "│" separators.
    static func header(_ screen: String, column stage: String) -> [String]? {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let headerRow = rows.firstIndex(where: { $0.contains("\(stage) · ") }), headerRow + 1 < rows.count else { return nil }
        let names = rows[headerRow].components(separatedBy: "│")
        guard let index = names.firstIndex(where: { $0.hasPrefix("\(stage) · ") }) else { return nil }
        let totals = rows[headerRow + 1].components(separatedBy: "│")
        guard index < totals.count else { return nil }
        return [names[index].trimmingCharacters(in: .whitespaces), totals[index].trimmingCharacters(in: .whitespaces)]
    }
}
