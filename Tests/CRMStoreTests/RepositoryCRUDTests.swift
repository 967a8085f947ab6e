import CRMCore
import CRMRepositories
import CRMStore
import XCTest

final class RepositoryCRUDTests: XCTestCase {
    func testCompanies() throws {
        let (db, _) = try makeDatabase()
        var company = try db.companies.create(Company(name: "北京科技", domain: "bj.example.cn"))
        company.notes = "key account"
        company = try db.companies.update(company)
        XCTAssertEqual(company.version, 2)
        XCTAssertEqual(try db.companies.search("北京", limit: 5).map(\.id), [company.id])
        XCTAssertEqual(try db.companies.find(name: "北京科技")?.id, company.id)
        try db.companies.delete(company.id)
        XCTAssertTrue(try db.companies.list(after: nil, limit: 10).isEmpty)
        try db.companies.restore(company.id)
        XCTAssertEqual(try db.companies.list(after: nil, limit: 10).map(\.name), ["北京科技"])
        XCTAssertThrowsError(try db.companies.create(Company(name: ""))) { error in
            XCTAssertEqual((error as? ValidationFailure)?.errors.first?.field, "name")
        }
    }

    func testInteractionsTimelineNewestFirstAndPaged() throws {
        let (db, _) = try makeDatabase()
        let company = try db.companies.create(Company(name: "Acme"))
        let contact = try db.contacts.create(Contact(name: "Ada", companyID: company.id))
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        for i in 0..<7 {
            _ = try db.interactions.log(Interaction(contactID: contact.id, kind: .call, direction: .outbound,
                                                    occurredAt: base.addingTimeInterval(Double(i) * 60), durationSeconds: 30,
                                                    body: "call \(i)"))
        }
        let first = try db.interactions.timeline(.contact(contact.id), before: nil, limit: 4)
        XCTAssertEqual(first.map(\.interaction.body), ["call 6", "call 5", "call 4", "call 3"])
        XCTAssertEqual(first.first?.authorLogin, "tester")
        let next = try db.interactions.timeline(.contact(contact.id), before: first.last!.cursor, limit: 4)
        XCTAssertEqual(next.map(\.interaction.body), ["call 2", "call 1", "call 0"])
        XCTAssertEqual(try db.interactions.timeline(.company(company.id), before: nil, limit: 100).count, 7)
        XCTAssertEqual(try db.contacts.summary(contact.id)?.lastInteractionAt, base.addingTimeInterval(360))

        var edited = first[0].interaction
        edited.outcome = "voicemail"
        edited = try db.interactions.update(edited)
        XCTAssertEqual(edited.version, 2)
        try db.interactions.delete(edited.id)
        XCTAssertEqual(try db.contacts.summary(contact.id)?.lastInteractionAt, base.addingTimeInterval(300))
        try db.interactions.restore(edited.id)
        XCTAssertEqual(try db.contacts.summary(contact.id)?.lastInteractionAt, base.addingTimeInterval(360))
        XCTAssertThrowsError(try db.interactions.log(Interaction(kind: .note, body: "orphan"))) { error in
            XCTAssertEqual((error as? ValidationFailure)?.errors.first?.field, "contact")
        }
    }

    func testFollowUpsByDueWindowAndAssignee() throws {
        let (db, _) = try makeDatabase(login: "sara")
        let omid = try db.users.findOrCreate(login: "omid")
        let contact = try db.contacts.create(Contact(name: "Ada"))
        let now = Date()
        let overdue = try db.followUps.create(FollowUp(contactID: contact.id, title: "send quote", dueAt: now.addingTimeInterval(-3600)))
        _ = try db.followUps.create(FollowUp(contactID: contact.id, assigneeID: omid.id, title: "call back", dueAt: now.addingTimeInterval(3600)))
        _ = try db.followUps.create(FollowUp(contactID: contact.id, title: "renewal", dueAt: now.addingTimeInterval(86400 * 3)))
        XCTAssertEqual(try db.followUps.due(from: nil, to: now, assigneeID: nil, limit: 10).map(\.followUp.title), ["send quote"])
        XCTAssertEqual(try db.followUps.due(from: now, to: nil, assigneeID: db.currentUser.id, limit: 10).map(\.followUp.title), ["renewal"])
        XCTAssertEqual(try db.followUps.due(from: nil, to: nil, assigneeID: omid.id, limit: 10).first?.assigneeLogin, "omid")
        var done = overdue
        done.status = .done
        done = try db.followUps.update(done)
        XCTAssertNotNil(done.doneAt)
        XCTAssertEqual(try db.followUps.open(contactID: contact.id).count, 2)
        try db.followUps.delete(done.id)
        try db.followUps.restore(done.id)
        XCTAssertThrowsError(try db.followUps.create(FollowUp(title: "", dueAt: now))) { error in
            XCTAssertEqual((error as? ValidationFailure)?.errors.first?.field, "title")
        }
    }

    func testDealsByStageMoveWithHistoryAndStaleMove() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        let db = try Database(path: path, login: "sara")
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Proposal", position: 1, probability: 50, rotDays: 14),
        ])
        let stages = try db.pipelines.stages(pipelineID: pipeline.id)
        XCTAssertEqual(stages.map(\.name), ["Lead", "Proposal", "Won", "Lost"])
        let contact = try db.contacts.create(Contact(name: "Ada"))
        let deal = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "Engine",
                                            value: try Money.parse("12,500.00", currency: .eur), contactID: contact.id))
        XCTAssertEqual(try db.deals.cards(stageID: stages[0].id, filter: .init(), after: nil, limit: 10).map(\.deal.title), ["Engine"])
        let moved = try db.deals.move(deal.id, toStage: stages[1].id, expectedVersion: deal.version)
        XCTAssertEqual(moved.stageID, stages[1].id)
        XCTAssertEqual(try db.deals.history(dealID: deal.id).map(\.toStageID), [stages[0].id, stages[1].id])
        XCTAssertEqual(try db.interactions.timeline(.contact(contact.id), before: nil, limit: 5).first?.interaction.kind, .stageChange)

        // A colleague's stale view of the deal cannot move it again.
        let other = try Database(path: path, login: "omid")
        XCTAssertThrowsError(try other.deals.move(deal.id, toStage: stages[2].id, expectedVersion: deal.version)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedBy, "sara")
        }
        let won = try db.deals.move(deal.id, toStage: stages[2].id, expectedVersion: moved.version)
        XCTAssertEqual(won.status, .won)
        XCTAssertNotNil(won.closedAt)
        XCTAssertEqual(try db.deals.deals(contactID: contact.id).map(\.stageName), ["Won"])
    }

    func testChangeFeedSeesAnotherConnectionsCommit() throws {
        let folder = TempFolder()
        let path = folder.path("crm.db")
        let screen = try Database(path: path, login: "a")
        let other = try Database(path: path, login: "b")
        XCTAssertEqual(try screen.pollChanges(), .users, "opening `other` wrote its user row")
        XCTAssertEqual(try screen.pollChanges(), .none)
        _ = try other.contacts.create(Contact(name: "New"))
        XCTAssertEqual(try screen.pollChanges(), .contacts)
        XCTAssertEqual(try screen.pollChanges(), .none)
        _ = try screen.contacts.create(Contact(name: "Own write"))
        XCTAssertEqual(try screen.pollChanges(), .none, "own writes are not external")
    }
}
