import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Enter on a timeline entry (or a report row) of a contact in the trash
/// says so and stays, instead of opening some other contact in its place.
final class OpenTrashedContactTests: XCTestCase {
    func testATrashedContactIsSaidNotReplaced() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-open-trashed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        _ = try db.contacts.create(Contact(name: "Andrés García"))
        let gone = try db.contacts.create(Contact(name: "Amélie Fournier"))
        try db.contacts.delete(gone.id)
        let app = AppModel(repositories: db, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.handle(.resize(width: 100, height: 30))
        app.start(in: .timeline)
        app.openContact(gone.id)
        XCTAssertEqual(app.activeKind, .timeline, "stays where it was")
        XCTAssertEqual(app.statusMessage?.text, "\"Amélie Fournier\" is in the trash (Z shows the trash, to restore it)")
        app.openContact(9_999)
        XCTAssertEqual(app.statusMessage?.text, "Contact 9999 no longer exists")
    }
}
