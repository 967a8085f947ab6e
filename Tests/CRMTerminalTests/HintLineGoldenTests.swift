import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// The bottom line shows whole hints or none: a hint that does not fit is
/// dropped, never cut mid-word. And a wide terminal's board uses its width.
final class HintLineGoldenTests: XCTestCase {
    func testHintsThatDoNotFitAreDroppedWhole80x24() throws {
        let board = try PipelineGoldenTests.Board()
        // A search kept on the board: "Esc clear search" joins the hints.
        board.press(.char("/"), .char("L"), .char("e"), .char("a"), .char("d"), .enter)
        let screen = board.draw(80, 24)
        assertGolden(screen, named: "pipeline-hints-dropped-whole-80x24", withStyles: true)

        let line = try XCTUnwrap(screen.rowsText().last)
        let hints = HintLine.shown(board.app.allBindings).filter { $0.action != .undo }.map(HintLine.hint)
        XCTAssertTrue(line.contains("Esc clear search"), line)
        var shown = 0
        for hint in hints {
            let whole = "\(hint.key) \(hint.title)"
            if line.contains(whole) { shown += 1; continue }
            // Not shown: then no piece of its title is on the line either.
            XCTAssertFalse(line.contains("\(hint.key) \(hint.title.prefix(3))"), "\"\(whole)\" is cut on \(line)")
        }
        XCTAssertGreaterThan(shown, 2)
        XCTAssertLessThan(shown, hints.count, "at 80 columns some hints are dropped")
    }

    func testHintFitKeepsWholeHintsOnly() {
        let hints = [HintLine.Hint(key: "a", title: "alpha"), HintLine.Hint(key: "b", title: "a very long hint indeed"),
                     HintLine.Hint(key: "c", title: "gamma")]
        XCTAssertEqual(HintLine.fit(hints, width: 20).map(\.key), ["a", "c"], "the long one is dropped whole, the short one after it fits")
        XCTAssertEqual(HintLine.fit(hints, width: 7).map(\.key), ["a"])
        XCTAssertEqual(HintLine.fit(hints, width: 6).map(\.key), [])
    }

    func testAWideTerminalShowsEveryStageAcrossTheWholeWidth() throws {
        let board = try PipelineGoldenTests.Board()
        let screen = board.draw(250, 40)
        let text = screen.rowsText().joined(separator: "\n")
        for stage in ["Lead", "Qualified", "Proposal", "Negotiation", "Contract", "Onboarding", "Signature"] {
            XCTAssertTrue(text.contains(stage), "\(stage) fits on a 250-column board")
        }
        // Seven stages, seven columns sharing the width: none wider than readable.
        XCTAssertEqual(BoardLayout.slots(width: 250, stages: 7, fitting: board.app.pipeline.visibleColumnCount), 7)
        XCTAssertEqual(BoardLayout.slots(width: 250, stages: 2, fitting: 9), 6, "two stages: columns at most 44 wide")
        XCTAssertEqual(BoardLayout.slots(width: 80, stages: 7, fitting: 3), 3)
    }
}
