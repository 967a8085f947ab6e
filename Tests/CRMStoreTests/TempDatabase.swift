import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// A real SQLite file in a fresh temporary folder, removed after the test.
final class TempFolder {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crm-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

extension XCTestCase {
    /// Opens a new database file acting as `login`; the folder lives as long as the test.
    func makeDatabase(login: String = "tester", file: String = "crm.db") throws -> (Database, TempFolder) {
        let folder = TempFolder()
        return (try Database(path: folder.path(file), login: login), folder)
    }
}
