import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// A section whose table the screen draws over more lines a row (too wide
/// for it): the model places its rows and scrolls by those lines, so the
/// selected row is whole on screen with its section's title and header.
final class ReportsModelLinesPerRowTests: XCTestCase {
    func testRowsTakeTheLinesTheScreenGivesThem() throws {
        let f = try ReportFixture()
        let app = AppModel(repositories: f.db, clock: f.clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!), settings: f.settings)
        app.handle(.resize(width: 80, height: 24))
        app.start(in: .reports)
        XCTAssertTrue(app.settle())
        let reports: ReportsModel = try XCTUnwrap(app.reports)
        let sheet = try XCTUnwrap(reports.sheet)
        let first = sheet.sections[0].rows.count
        XCTAssertEqual(reports.line(ofRow: 1), 3, "title, header, row 0, row 1")
        XCTAssertEqual(reports.line(ofRow: first), 2 + first + 1 + 2, "the second section after the first and a blank line")
        // The first section two lines a row (and its header two).
        reports.setLayout(linesPerRow: [2] + Array(repeating: 1, count: sheet.sections.count - 1), noteLines: [3])
        XCTAssertEqual(reports.line(ofRow: 0), 3, "title, two header lines")
        XCTAssertEqual(reports.line(ofRow: 1), 5)
        XCTAssertEqual(reports.line(ofRow: first), 1 + 2 + 2 * first + 1 + 2)
        let lines = sheet.sections.enumerated().reduce(0) { $0 + 2 + ($1.offset == 0 ? 2 : 1) * (1 + $1.element.rows.count) }
        XCTAssertEqual(reports.bodyLines, lines + 3 + (sheet.notes.count - 1), "the first note wrapped over three lines")
        // Down to the last row of the first section: both its lines in view.
        for _ in 1 ..< first { app.handle(.key(.down)) }
        let last = reports.line(ofRow: first - 1)
        XCTAssertGreaterThanOrEqual(last, reports.scrollTop)
        XCTAssertLessThan(last + 1, reports.scrollTop + reports.viewportLines)
    }
}
