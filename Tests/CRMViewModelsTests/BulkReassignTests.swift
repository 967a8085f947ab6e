import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// Marking rows with Space and reassigning them together with O: one
/// transaction, audited, one `u` takes it back except a row changed since.
final class BulkReassignTests: XCTestCase {
    var folder: URL!
    var sara: Database!
    var omid: Database!
    var jan: Database!
    var clock: ManualClock!
    var app: AppModel!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-reassign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("crm.db").path
        clock = ManualClock(Date(timeIntervalSince1970: 1_790_000_000))
        sara = try Database(path: path, login: "sara", clock: clock)  // the first user: admin
        omid = try Database(path: path, login: "omid", clock: clock)
        jan = try Database(path: path, login: "jan", clock: clock)
        for name in ["Ann", "Ben", "Cem", "Dora"] {
            _ = try omid.contacts.create(Contact(name: name))
        }
    }

    override func tearDown() {
        app = nil
        sara = nil; omid = nil; jan = nil
        try? FileManager.default.removeItem(at: folder)
    }

    func open(as db: Database) {
        app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .contacts)
        app.contacts.setViewport(list: 10, timeline: 10)
    }

    func press(_ keys: Key...) { for k in keys { app.handle(.key(k)) } }
    func type(_ text: String) { for c in text { app.handle(.key(.char(c))) } }
    func owners() throws -> [String: String] {
        let users = Dictionary(uniqueKeysWithValues: try sara.allUsers().map { ($0.id, $0.login) })
        return Dictionary(uniqueKeysWithValues: try sara.connection.rows("SELECT name, owner_id FROM contacts") {
            ($0.string(0), users[$0.int64(1)] ?? "?")
        })
    }

    func testMarkedContactsMoveTogetherAndOneUndoTakesBackAllButTheStaleRow() throws {
        open(as: sara)
        press(.char(" "), .char(" "), .char(" "))  // Ann, Ben, Cem
        XCTAssertEqual(app.contacts.marked.count, 3)
        press(.char("O"))
        guard case .prompt(let prompt)? = app.overlay else { return XCTFail("no owner picker") }
        XCTAssertEqual(prompt.suggestions, ["jan", "omid", "sara"], "the active users")
        type("jan")
        press(.enter)
        XCTAssertEqual(try owners(), ["Ann": "jan", "Ben": "jan", "Cem": "jan", "Dora": "omid"])
        XCTAssertEqual(app.contacts.marked, [], "the marks go once the owners changed")
        XCTAssertEqual(app.statusMessage?.text, "Reassigned 3 to jan; u undoes")
        let audit = try sara.auditPage(AuditFilter(entity: "contact", action: "reassign"), after: nil, limit: 10)
        XCTAssertEqual(audit.count, 3)
        XCTAssertEqual(audit.first?.changes["owner"]?.new, .int(jan.currentUser.id))
        XCTAssertEqual(audit.first?.changes["owner"]?.old, .int(omid.currentUser.id))

        // Jan changes Ben's title meanwhile: Ben stays as Jan left him.
        let benID = try XCTUnwrap(try jan.connection.first("SELECT id FROM contacts WHERE name = 'Ben'") { $0.int64(0) })
        var ben = try XCTUnwrap(try jan.contacts.get(benID))
        ben.title = "Buyer"
        _ = try jan.contacts.update(ben)
        press(.char("u"))
        XCTAssertEqual(try owners(), ["Ann": "omid", "Ben": "jan", "Cem": "omid", "Dora": "omid"])
        let message = try XCTUnwrap(app.statusMessage?.text)
        XCTAssertTrue(message.hasPrefix("Undone for 2 of 3; kept as they are: Ben: jan changed the title"), message)
    }

    func testARepHandsOverTheirOwnButNotOthers() throws {
        open(as: omid)
        XCTAssertEqual(omid.currentUser.role, .rep)
        press(.char(" "), .char("O"))
        type("jan")
        press(.enter)
        XCTAssertEqual(try owners()["Ann"], "jan", "Ann was omid's own")
        // Ann is jan's now: omid, a rep, may not give her away again.
        open(as: omid)
        press(.char(" "), .char(" "), .char("O"))
        type("sara")
        press(.enter)
        XCTAssertEqual(try owners(), ["Ann": "jan", "Ben": "omid", "Cem": "omid", "Dora": "omid"], "nothing half-done")
        XCTAssertEqual(app.statusMessage?.text,
                       "Ann is not yours: only a manager or an admin reassigns others' records; you are omid, a rep")
    }

    func testAnUnknownOwnerIsRefusedWithTheChoices() throws {
        open(as: sara)
        press(.char("O"))
        type("sarah")
        press(.enter)
        XCTAssertEqual(app.statusMessage?.text, "No active user 'sarah': choose one of jan, omid, sara")
        XCTAssertEqual(try owners()["Ann"], "omid")
        // Asked again with the text as typed (QA 45 KB #4): it is corrected, not retyped.
        guard case .prompt(let again)? = app.overlay else { return XCTFail("the prompt closed") }
        XCTAssertEqual(again.input.text, "sarah")
        press(.backspace)   // "sarah" → "sara"
        press(.enter)
        XCTAssertEqual(try owners()["Ann"], "sara")
    }

    func testMarkedDealsOnTheBoardMoveTogether() throws {
        let pipeline = try sara.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try sara.pipelines.stages(pipelineID: pipeline.id)[0]
        for title in ["Fleet", "Boiler"] {
            _ = try omid.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: title, value: .zero(.eur)))
        }
        app = AppModel(repositories: sara, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .pipeline)
        app.pipeline.setViewport(columns: 3, cardsPerColumn: 4)
        press(.char(" "), .char("j"), .char(" "))
        XCTAssertEqual(app.pipeline.markedDeals.count, 2)
        press(.char("O"))
        type("jan")
        press(.enter)
        let owners = try sara.connection.rows("SELECT DISTINCT owner_id FROM deals") { $0.int64(0) }
        XCTAssertEqual(owners, [jan.currentUser.id])
        press(.char("u"))
        XCTAssertEqual(try sara.connection.rows("SELECT DISTINCT owner_id FROM deals") { $0.int64(0) }, [omid.currentUser.id])
    }
}
