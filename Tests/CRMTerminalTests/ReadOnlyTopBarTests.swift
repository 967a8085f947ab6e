import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMTerminal
@testable import CRMViewModels

/// The top bar of a database this user may only read says "read-only" at
/// every width the program supports (QA 29 #6: at 80 columns the marker
/// had no room and went, leaving a key's refusal the only sign); the
/// database's name, then the login, give way to it.
final class ReadOnlyTopBarTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-readonly-bar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func topLine(file: String, login: String, width: Int, readOnly: Bool) throws -> String {
        let path = folder.appendingPathComponent(file).path
        do { _ = try Database(path: path, login: login) }
        let db = try Database(path: path, mode: readOnly ? .read : .write, login: login)
        let app = AppModel(repositories: db)
        app.start(in: .today)
        let screen = MemoryScreen(width: width, height: 24)
        app.handle(.resize(width: width, height: 24))
        AppRenderer.render(app, on: screen)
        return String(screen.text.split(separator: "\n", omittingEmptySubsequences: false)[0])
    }

    func testTheMarkerKeepsItsPlaceAt80Columns() throws {
        let wide = try topLine(file: "cur.db", login: "sara", width: 120, readOnly: true)
        XCTAssertTrue(wide.contains("read-only") && wide.hasSuffix("sara · cur.db"), wide)
        let narrow = try topLine(file: "cur.db", login: "sara", width: 80, readOnly: true)
        XCTAssertTrue(narrow.contains("read-only"), narrow)
        XCTAssertTrue(narrow.contains(" 5 Reports "), "the views stay: \(narrow)")
        let long = try topLine(file: "the-team-database-of-2026.db", login: "alexandra", width: 80, readOnly: true)
        XCTAssertTrue(long.contains("read-only"), long)
        // A writable database keeps its name where it fits.
        let writable = try topLine(file: "cur.db", login: "sara", width: 80, readOnly: false)
        XCTAssertFalse(writable.contains("read-only"), writable)
        XCTAssertTrue(writable.hasSuffix("sara · cur.db"), writable)
    }
}
