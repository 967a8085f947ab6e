import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// An app let go with no window open is freed with everything it loaded
/// (issue 16, memory flat: `crm bench` makes hundreds of apps, and each
/// one kept alive holds its pages of rows for the rest of the run).
final class AppModelReleaseTests: XCTestCase {
    var folder: URL!
    var db: Database!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-release-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        _ = try db.contactRepository.create(Contact(name: "Ada Lovelace"))
    }

    override func tearDown() {
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func testAnAppLetGoIsFreedFromEveryView() throws {
        for view in [ViewKind.today, .contacts, .pipeline, .timeline, .reports] {
            weak var released: AppModel?
            do {
                let app = AppModel(repositories: db, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                                   timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
                app.handle(.resize(width: 120, height: 40))
                app.start(in: view)
                _ = app.settle()
                for key in [Key.char("j"), .char("/"), .char("a"), .escape, .tab] { app.handle(.key(key)) }
                app.handle(.tick)
                _ = app.settle()
                released = app
            }
            XCTAssertNil(released, "the app started in \(view) is still alive after it was let go")
        }
    }
}
