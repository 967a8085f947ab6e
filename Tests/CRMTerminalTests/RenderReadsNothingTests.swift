import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// Drawing a frame reads state and draws: no repository call, no loading.
/// Proved on a real file: after the resize (the update that sizes the views
/// and loads what fits), every table is dropped under the running app, so any
/// read during drawing would fail and put an error on the status line. The
/// frames must still be exactly those of an intact database.
final class RenderReadsNothingTests: XCTestCase {
    typealias Board = PipelineGoldenTests.Board

    func frame(_ app: AppModel, _ width: Int, _ height: Int) -> String {
        let screen = MemoryScreen(width: width, height: height)
        AppRenderer.render(app, on: screen)
        return goldenText(screen, withStyles: true)
    }

    /// Every table gone, as seen through a connection of its own (virtual
    /// tables first: their shadow tables go with them).
    func dropEveryTable(_ path: String) throws {
        let raw = try Connection(path: path)
        for _ in 0..<4 {
            let tables = try raw.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC") { $0.string(0) }
            if tables.isEmpty { return }
            for table in tables { try? raw.execute("DROP TABLE IF EXISTS \"\(table)\"") }
        }
        XCTFail("tables left: \(try raw.rows("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(0) })")
    }

    /// Opens the view with `keys` at 80x24, then resizes to 120x40 and draws
    /// twice with the database gone: both frames equal the intact one.
    func assertDrawingReadsNothing(_ keys: [Key], file: StaticString = #filePath, line: UInt = #line) throws {
        func prepared() throws -> Board {
            let board = try Board()
            _ = board.draw(80, 24)
            for key in keys { board.app.handle(.key(key)) }
            _ = frame(board.app, 80, 24)
            board.app.handle(.resize(width: 120, height: 40))
            return board
        }
        let intact = try prepared()
        let expected = frame(intact.app, 120, 40)
        let broken = try prepared()
        try dropEveryTable(broken.db.path)
        XCTAssertThrowsError(try broken.db.contacts.count(filter: ContactFilter()), "the database is really gone", file: file, line: line)
        let first = frame(broken.app, 120, 40)
        let second = frame(broken.app, 120, 40)
        XCTAssertNil(broken.app.statusMessage, "drawing made a repository call", file: file, line: line)
        XCTAssertEqual(first, expected, goldenDiff(expected: expected, actual: first), file: file, line: line)
        XCTAssertEqual(second, first, file: file, line: line)
    }

    func testPipelineBoard() throws {
        try assertDrawingReadsNothing([])
    }

    func testWonAndLostDeals() throws {
        try assertDrawingReadsNothing([.char("c")])
    }

    func testDealDetails() throws {
        try assertDrawingReadsNothing([.char("l"), .char("l"), .enter])
    }

    func testToday() throws {
        try assertDrawingReadsNothing([.char("1")])
    }

    func testContactsWhileSearching() throws {
        try assertDrawingReadsNothing([.char("2"), .char("/"), .char("s")])
    }

    func testTimeline() throws {
        try assertDrawingReadsNothing([.char("4")])
    }
}
