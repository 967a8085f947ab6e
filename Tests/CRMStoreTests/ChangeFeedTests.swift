import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The change feed on one real file opened twice, as two users' screens: a
/// write through one is reported by the other's `pollChanges` as exactly the
/// kinds of records it touched.
final class ChangeFeedTests: XCTestCase {
    var folder: TempFolder!
    var screen: Database!
    var other: Database!

    override func setUpWithError() throws {
        folder = TempFolder()
        screen = try Database(path: folder.path("crm.db"), login: "ana")
        other = try Database(path: folder.path("crm.db"), login: "omid")
        XCTAssertEqual(try screen.pollChanges(), .users, "opening `other` created omid")
        XCTAssertEqual(try screen.pollChanges(), .none)
    }

    override func tearDown() {
        screen = nil
        other = nil
        folder = nil
    }

    func testEachWriteReportsTheKindsItTouched() throws {
        let company = try other.companies.create(Company(name: "Acme"))
        XCTAssertEqual(try screen.pollChanges(), .companies)

        let ada = try other.contacts.create(Contact(name: "Ada", companyID: company.id, emails: [EmailAddress("ada@acme.example")],
                                                    tags: ["vip"]))
        XCTAssertEqual(try screen.pollChanges(), .contacts)

        // The contact's last-contact time moves with it.
        _ = try other.interactions.log(Interaction(contactID: ada.id, kind: .call, direction: .outbound, occurredAt: Date()))
        XCTAssertEqual(try screen.pollChanges(), [.interactions, .contacts])

        let pipeline = try other.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        XCTAssertEqual(try screen.pollChanges(), .pipelines)

        let stage = try XCTUnwrap(other.pipelines.stages(pipelineID: pipeline.id).first { $0.kind == .open })
        let deal = try other.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Rollout", value: .zero(.eur)))
        XCTAssertEqual(try screen.pollChanges(), .deals)

        _ = try other.followUps.create(FollowUp(contactID: ada.id, dealID: deal.id, title: "Call back", dueAt: Date()))
        XCTAssertEqual(try screen.pollChanges(), .followUps)

        // Its follow-up goes to the trash with it: Today must drop it too.
        try other.contacts.delete(ada.id)
        XCTAssertEqual(try screen.pollChanges(), [.contacts, .followUps])
        XCTAssertEqual(try screen.pollChanges(), .none)
    }

    func testWritesBetweenTwoPollsAddUp() throws {
        _ = try other.companies.create(Company(name: "Acme"))
        _ = try other.contacts.create(Contact(name: "Ada"))
        XCTAssertEqual(try screen.pollChanges(), [.companies, .contacts])
    }

    func testOwnWritesAreNotReportedEvenWhenAColleagueWritesToo() throws {
        _ = try screen.contacts.create(Contact(name: "Mine"))
        XCTAssertEqual(try screen.pollChanges(), .none)
        _ = try other.companies.create(Company(name: "Theirs"))
        XCTAssertEqual(try screen.pollChanges(), .companies, "my contact was not theirs")
    }

    /// A bulk load counts once per kind it loaded, not once per row.
    func testABulkLoadReportsTheKindsItLoaded() throws {
        try BulkLoader(database: other).load { loader in
            let company = try loader.insert(Company(name: "Loaded GmbH"))
            for i in 0..<50 { _ = try loader.insert(Contact(name: "Loaded \(i)", companyID: company, tags: ["bulk"])) }
        }
        XCTAssertEqual(try screen.pollChanges(), [.companies, .contacts])
        XCTAssertEqual(try screen.pollChanges(), .none)
        // The counter triggers are back after the load.
        _ = try other.contacts.create(Contact(name: "After"))
        XCTAssertEqual(try screen.pollChanges(), .contacts)
    }
}
