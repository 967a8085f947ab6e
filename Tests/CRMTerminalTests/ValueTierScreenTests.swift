import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// A customer's value tier on the contact's details pane and on the call
/// card, drawn into the in-memory screen.
final class ValueTierScreenTests: XCTestCase {
    func testTheTierShowsOnTheDetailsAndTheCallCard() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-tier-screen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Talk", position: 0, probability: 20),
            Stage(pipelineID: 0, name: "Won", position: 1, probability: 100, kind: .won),
        ])
        let won = try XCTUnwrap(try db.pipelines.stages(pipelineID: pipeline.id).first { $0.kind == .won })
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", title: "CTO", lifecycle: .customer))
        _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: won.id, title: "Engine",
                                     value: Money(minorUnits: 900_00, currency: .eur), contactID: ada.id, status: .won))
        let app = AppModel(repositories: db, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                           timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .contacts)
        func screen() -> String {
            let screen = MemoryScreen(width: 120, height: 40)
            app.handle(.resize(width: 120, height: 40))
            AppRenderer.render(app, on: screen)
            return screen.rowsText().joined(separator: "\n")
        }
        XCTAssertTrue(screen().contains("Tier      A (value tier)"), screen())
        app.handle(.key(.char("c")))
        XCTAssertTrue(screen().contains("CTO · tier A"), screen())
    }
}
