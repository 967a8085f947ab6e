import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// A database this user may only read: everything can be looked at, and
/// every key that would write says why it does nothing, in the status line,
/// the hint bar, `?` and the palette alike (they all read one key table).
final class ReadOnlyDatabaseTests: XCTestCase {
    var folder: URL!
    var path: String!
    var app: AppModel!
    var db: Database!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-readonly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("crm.db").path
        do {
            let writer = try Database(path: path, login: "ana")
            let ada = try writer.contacts.create(Contact(name: "Ada Lovelace"))
            _ = try writer.followUps.create(FollowUp(contactID: ada.id, assigneeID: writer.currentUser.id, title: "Send the quote",
                                                     dueAt: Date().addingTimeInterval(-3_600)))
        }
        // Root may write any file, so the read-only case is asked for
        // directly here; the end-to-end tests reach it through permissions.
        db = try Database(path: path, mode: .read, login: "ana")
        app = AppModel(repositories: db)
        app.start(in: .today)
    }

    override func tearDownWithError() throws {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func press(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }

    func testKeysThatWriteSayWhyAndChangeNothing() throws {
        XCTAssertTrue(app.repositories.isReadOnly)
        XCTAssertEqual(app.today.items(in: .overdue).count, 1, "reading works")
        press(.char("x"))
        XCTAssertNil(app.overlay, "no outcome prompt on a read-only database")
        XCTAssertEqual(app.statusMessage?.text, "Done: \(KeyBinding.readOnlyReason)", "the title's explanation is left out: the reason fits")
        press(.char("s"))
        XCTAssertNil(app.overlay)
        XCTAssertTrue(app.statusMessage?.text.hasSuffix(KeyBinding.readOnlyReason) ?? false)

        press(.char("2"))
        XCTAssertEqual(app.activeKind, .contacts)
        for key in ["a", "e", "d", "n", "c", "f"] {
            press(.char(Character(key)))
            XCTAssertNil(app.overlay, "key \(key) opened something")
            XCTAssertTrue(app.statusMessage?.text.hasSuffix(KeyBinding.readOnlyReason) ?? false, "key \(key): \(String(describing: app.statusMessage))")
        }
        // Through the palette too.
        app.run(.add)
        XCTAssertNil(app.overlay)
        XCTAssertTrue(app.statusMessage?.text.hasSuffix(KeyBinding.readOnlyReason) ?? false)

        press(.char("3"))
        for key in ["a", "w"] {
            press(.char(Character(key)))
            XCTAssertNil(app.overlay, "key \(key) opened something on the board")
        }
        let reader = try Database(path: path, mode: .read)
        XCTAssertEqual(try reader.contacts.count(filter: ContactFilter()), 1)
        XCTAssertEqual(try reader.followUps.due(from: nil, to: nil, assigneeID: nil, limit: 10).count, 1)
    }

    func testHelpAndHintsShowTheReason() {
        let table = app.allBindings
        for action in [ActionID.done, .snooze, .reschedule, .followUp, .logNote, .call] {
            XCTAssertEqual(table.binding(for: action)?.disabledReason, KeyBinding.readOnlyReason, "\(action)")
        }
        // Moving about and reading stay available.
        XCTAssertNil(table.binding(for: .moveDown)?.disabledReason)
        XCTAssertNil(table.binding(for: .toggleEveryone)?.disabledReason)
        press(.char("j"))
        XCTAssertNotEqual(app.statusMessage?.kind, .warning)
    }

    func testAWritableDatabaseDisablesNothing() throws {
        let writable = AppModel(repositories: try Database(path: path, login: "ana"))
        writable.start(in: .today)
        XCTAssertFalse(writable.repositories.isReadOnly)
        XCTAssertFalse(writable.allBindings.contains { $0.disabledReason == KeyBinding.readOnlyReason })
    }
}
