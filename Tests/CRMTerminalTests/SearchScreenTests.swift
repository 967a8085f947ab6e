import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import CRMViewModels
import Foundation
import XCTest

/// What a person sees of a search: the counter with the true number of
/// matches, and, for text without letters or digits, a sentence saying so on
/// the contacts, board and timeline screens alike.
final class SearchScreenTests: XCTestCase {
    var folder: URL!
    var db: Database!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-search-screen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara")
        try db.transaction {
            for i in 0..<310 { _ = try db.contacts.create(Contact(name: String(format: "Person %04d", i))) }
            for i in 0..<90 { _ = try db.contacts.create(Contact(name: String(format: "Other %04d", i))) }
        }
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace"))
        _ = try db.interactions.log(Interaction(contactID: ada.id, kind: .note, body: "Sent the draft"))
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(try db.pipelines.stages(pipelineID: pipeline.id).first)
        _ = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Alpha rollout",
                                     value: Money(minorUnits: 100_00, currency: .eur)))
        app = AppModel(repositories: db, clock: ManualClock(Date(timeIntervalSince1970: 1_790_000_000)),
                       timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
    }

    override func tearDown() {
        app = nil
        db = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func keys(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }

    func screen() -> String {
        let screen = MemoryScreen(width: 120, height: 40)
        app.handle(.resize(width: 120, height: 40))
        AppRenderer.render(app, on: screen)
        return screen.rowsText().joined(separator: "\n")
    }

    func testTheContactListCounterShowsEveryMatch() {
        app.start(in: .contacts)
        keys(.char("/"))
        type("person")
        keys(.enter)
        XCTAssertTrue(screen().contains(" 1/310 "), screen())
        keys(.char("G"))
        XCTAssertTrue(screen().contains(" 310/310 "), screen())
        XCTAssertTrue(screen().contains("Person 0309"), screen())
    }

    func testContactsSaySearchNeedsLettersOrDigits() {
        app.start(in: .contacts)
        keys(.char("/"))
        type("--")
        let text = screen()
        XCTAssertTrue(text.contains("No matches: type letters or digits. Esc clears the search."), text)
        XCTAssertFalse(text.contains("Person 0000"), text)
    }

    func testTheBoardSaysSearchNeedsLettersOrDigits() {
        app.start(in: .pipeline)
        keys(.char("/"))
        type("[")
        let text = screen()
        XCTAssertTrue(text.contains("No matches: type letters or digits"), text)
        XCTAssertFalse(text.contains("Alpha rollout"), text)
    }

    func testTheTimelineSaysSearchNeedsLettersOrDigits() {
        app.start(in: .timeline)
        keys(.char("/"))
        type("😀")
        let text = screen()
        XCTAssertTrue(text.contains("No matches: type letters or digits. x clears the filters."), text)
        XCTAssertFalse(text.contains("Sent the draft"), text)
    }
}
