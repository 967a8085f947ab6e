import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest
@testable import CRMViewModels

/// A colleague's writes, on the same real file through a second connection,
/// reload only the panes that read what they changed, on the next idle tick.
final class ChangeFeedViewTests: XCTestCase {
    var f: TodayFixture!
    var colleague: Database!
    var vm: ContactsViewModel { f.app.contacts }
    var names: [String] { vm.contacts.rows.map(\.name) }

    override func setUpWithError() throws {
        f = try TodayFixture()
        colleague = try Database(path: f.db.path, login: "omid")
    }

    override func tearDown() {
        colleague = nil
        f = nil
    }

    func tick() { f.app.handle(.tick) }

    func testAChangeToDealsReloadsTheDetailsButNotTheContactsList() throws {
        let ada = try f.contact("Ada Lovelace")
        f.app.start(in: .contacts)
        XCTAssertEqual(names, ["Ada Lovelace"])
        // A contact the list has not loaded yet: written through this
        // screen's own connection, which the feed does not report. Only a
        // reload of the list would show it.
        _ = try f.db.contacts.create(Contact(name: "Zoe Unlisted"))
        tick()
        XCTAssertEqual(names, ["Ada Lovelace"])

        let pipeline = try colleague.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let lead = try XCTUnwrap(colleague.pipelines.stages(pipelineID: pipeline.id).first { $0.kind == .open })
        tick()
        _ = try colleague.deals.create(Deal(pipelineID: pipeline.id, stageID: lead.id, title: "Rollout", value: .zero(.eur), contactID: ada.id))
        tick()
        XCTAssertEqual(vm.detail?.deals.map(\.deal.title), ["Rollout"], "the details show the colleague's deal")
        XCTAssertEqual(names, ["Ada Lovelace"], "the list was not reloaded for a deal")

        // A colleague's call with Ada: her timeline, and the list (her last contact moved).
        _ = try colleague.interactions.log(Interaction(contactID: ada.id, kind: .call, direction: .inbound, occurredAt: f.clock.now,
                                                       body: "Asked about the rollout"))
        tick()
        XCTAssertEqual(vm.timeline.rows.map(\.interaction.body), ["Asked about the rollout"])
        XCTAssertEqual(names, ["Ada Lovelace", "Zoe Unlisted"], "a contact's last contact moved: the list reloads")
    }

    func testAChangeToFollowUpsLeavesTheTimelineAlone() throws {
        let ada = try f.contact("Ada Lovelace")
        f.app.start(in: .timeline)
        // Logged through this screen's connection: only a reload shows it.
        _ = try f.db.interactions.log(Interaction(contactID: ada.id, kind: .note, occurredAt: f.clock.now, body: "Not loaded yet"))
        tick()
        XCTAssertTrue(f.app.timeline.entries.rows.isEmpty)
        _ = try colleague.followUps.create(FollowUp(contactID: ada.id, title: "Call back", dueAt: f.clock.now))
        tick()
        XCTAssertTrue(f.app.timeline.entries.rows.isEmpty, "the timeline reads no follow-ups")
        _ = try colleague.interactions.log(Interaction(contactID: ada.id, kind: .note, occurredAt: f.clock.now, body: "Theirs"))
        tick()
        XCTAssertEqual(Set(f.app.timeline.entries.rows.map(\.interaction.body)), ["Not loaded yet", "Theirs"])
    }
}
