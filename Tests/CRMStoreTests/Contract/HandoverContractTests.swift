import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Handing a leaver's work over and undoing it, written once against the
/// protocols and run on both engines (it was SQLite-only in UserHandoverTests).
struct HandoverContract {
    let store: ContractStore

    func auditCount(_ db: any CRMRepositories) throws -> Int { try db.auditPage(AuditFilter(), after: nil, limit: 10_000).count }

    func aHandoverMovesEverythingInOneAuditedActionAndUndoes() throws {
        let n = store.login
        let db = try store.open(n("boss"))
        let users = db.userRepository
        let omid = try users.add(login: n("omid"), name: "", role: .rep)
        _ = try users.add(login: n("sara"), name: "", role: .rep)
        _ = try users.add(login: n("jan"), name: "", role: .rep)
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try db.pipelineRepository.stages(pipelineID: pipeline.id)[0]
        var contacts: [Contact] = []
        for i in 0..<3 { contacts.append(try db.contactRepository.create(Contact(name: "C\(i)", ownerID: omid.id))) }
        var deals: [Deal] = []
        for i in 0..<2 {
            var d = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "D\(i)", value: Money(minorUnits: 100, currency: .eur)))
            d.ownerID = omid.id
            deals.append(try db.dealRepository.update(d))
        }
        let follow = try db.followUpRepository.create(FollowUp(contactID: contacts[0].id, assigneeID: omid.id, title: "Call", dueAt: Date(), createdAt: Date()))
        XCTAssertEqual(try users.holdings(of: n("omid")), HandoverCounts(contacts: 3, openDeals: 2, openFollowUps: 1))
        XCTAssertEqual(try users.holdings(of: n("omid")).sentence(for: n("omid")), "\(n("omid")) owns 3 contacts, 2 open deals, 1 open follow-up")

        // A deactivated or unknown heir: refused, nothing moved.
        _ = try users.add(login: n("gone"), name: "", role: .rep)
        _ = try users.deactivate(login: n("gone"), handover: HandoverPlan())
        XCTAssertThrowsError(try users.deactivate(login: n("omid"), handover: HandoverPlan(everythingTo: n("gone"))))
        XCTAssertThrowsError(try users.deactivate(login: n("omid"), handover: HandoverPlan(contactsTo: n("sara"), dealsTo: n("nobody"))))
        XCTAssertEqual(try users.holdings(of: n("omid")).total, 6)
        XCTAssertEqual(try users.find(login: n("omid"))?.isActive, true)

        let auditBefore = try auditCount(db)
        let (user, handover) = try users.deactivate(login: n("omid"), handover: HandoverPlan(contactsTo: n("sara"), dealsTo: n("jan"), followUpsTo: n("sara")))
        XCTAssertFalse(user.isActive)
        let h = try XCTUnwrap(handover)
        XCTAssertEqual(h.items.count, 6)
        XCTAssertEqual(h.summary, "3 contacts to \(n("sara")), 2 open deals to \(n("jan")), 1 open follow-up to \(n("sara"))")
        XCTAssertEqual(try users.holdings(of: n("omid")).total, 0)
        XCTAssertEqual(try users.holdings(of: n("sara")), HandoverCounts(contacts: 3, openFollowUps: 1))
        XCTAssertEqual(try users.holdings(of: n("jan")).openDeals, 2)
        // One audit entry for the handover (plus the deactivation), and one
        // in each moved record's own trail (who moved it, from whom to whom).
        XCTAssertEqual(try auditCount(db) - auditBefore, 2 + 6)
        let entry = try XCTUnwrap(db.auditTrail(entity: "user", id: omid.id, limit: 10).first { $0.action == "handover" })
        XCTAssertEqual(entry.changes["contacts"], AuditChange(.text("\(n("omid")): 3"), .text(n("sara"))))
        XCTAssertEqual(entry.userLogin, n("boss"))
        let sara = try XCTUnwrap(users.find(login: n("sara"))), jan = try XCTUnwrap(users.find(login: n("jan")))
        let moved = try XCTUnwrap(db.auditTrail(entity: "contact", id: contacts[0].id, limit: 1).first)
        XCTAssertEqual([moved.action, moved.userLogin], ["handover", n("boss")])
        XCTAssertEqual(moved.changes, ["owner": AuditChange(.int(omid.id), .int(sara.id))])
        XCTAssertEqual(try db.auditTrail(entity: "deal", id: deals[0].id, limit: 1).first?.changes,
                       ["owner": AuditChange(.int(omid.id), .int(jan.id))])
        XCTAssertEqual(try db.auditTrail(entity: "follow-up", id: follow.id, limit: 1).first?.changes,
                       ["assignee": AuditChange(.int(omid.id), .int(sara.id))])

        // Someone edits one deal meanwhile: undo leaves that one alone.
        var touched = try XCTUnwrap(db.dealRepository.get(deals[1].id))
        touched.title = "D1 renamed"
        _ = try db.dealRepository.update(touched)
        // A manager may hand over, but undoing this one reactivates omid: an
        // admin's, and the refusal says why (QA 41 #11).
        _ = try users.setRole(login: n("jan"), role: .manager)
        let asJan = try store.open(n("jan"))
        XCTAssertThrowsError(try asJan.userRepository.undoHandover(h.id)) {
            XCTAssertEqual("\($0)", "undoing handover \(h.id) also reactivates the user it deactivated, and only an admin manages users; "
                           + "you are \(n("jan")), a manager")
        }
        let (restored, skipped) = try users.undoHandover(h.id)
        XCTAssertEqual(restored, 5)
        XCTAssertEqual(skipped.count, 1)
        XCTAssertEqual(try users.holdings(of: n("omid")), HandoverCounts(contacts: 3, openDeals: 1, openFollowUps: 1))
        XCTAssertEqual(try db.followUpRepository.get(follow.id)?.assigneeID, omid.id)
        XCTAssertEqual(try users.find(login: n("omid"))?.isActive, true, "undo reactivates who the handover deactivated")
        let back = try XCTUnwrap(db.auditTrail(entity: "contact", id: contacts[0].id, limit: 1).first)
        XCTAssertEqual(back.action, "undo handover")
        XCTAssertEqual(back.changes, ["owner": AuditChange(.int(sara.id), .int(omid.id))])
        XCTAssertEqual(try db.auditTrail(entity: "deal", id: deals[1].id, limit: 1).first?.action, "update",
                       "the deal changed since stays where it is, with no undo entry")
        XCTAssertThrowsError(try users.undoHandover(h.id))
    }

    /// A leaver whose screen is still open when an admin deactivates them
    /// writes nothing more: every action is refused and rolled back.
    func aSessionOfAUserDeactivatedMeanwhileWritesNothing() throws {
        let n = store.login
        let admin = try store.open(n("boss"))
        _ = try admin.userRepository.add(login: n("leaver"), name: "", role: .rep)
        let leaver = try store.open(n("leaver"))
        let before = try leaver.contactRepository.create(Contact(name: "Written while active"))
        _ = try admin.userRepository.deactivate(login: n("leaver"), handover: HandoverPlan())
        let auditBefore = try auditCount(admin)
        XCTAssertThrowsError(try leaver.contactRepository.create(Contact(name: "Written after"))) {
            XCTAssertEqual(($0 as? UserRefusal)?.kind, .deactivated, "\($0)")
            XCTAssertTrue("\($0)".contains("were deactivated by an admin: nothing was saved"), "\($0)")
        }
        var edit = try XCTUnwrap(leaver.contactRepository.get(before.id))
        edit.name = "Renamed after"
        XCTAssertThrowsError(try leaver.contactRepository.update(edit))
        XCTAssertEqual(try admin.contactRepository.get(before.id)?.name, "Written while active", "nothing written")
        XCTAssertNil(try admin.contactRepository.get(before.id + 1))
        XCTAssertEqual(try auditCount(admin), auditBefore)
        // Reactivated, the same session writes again.
        _ = try admin.userRepository.reactivate(login: n("leaver"))
        XCTAssertEqual(try leaver.contactRepository.update(edit).name, "Renamed after")
    }
}

final class SQLiteHandoverContractTests: XCTestCase {
    func testAHandoverMovesEverythingInOneAuditedActionAndUndoes() throws {
        try HandoverContract(store: .sqlite()).aHandoverMovesEverythingInOneAuditedActionAndUndoes()
    }

    func testASessionOfAUserDeactivatedMeanwhileWritesNothing() throws {
        try HandoverContract(store: .sqlite()).aSessionOfAUserDeactivatedMeanwhileWritesNothing()
    }
}

final class PGHandoverContractTests: XCTestCase {
    func testAHandoverMovesEverythingInOneAuditedActionAndUndoes() throws {
        try HandoverContract(store: try .postgres()).aHandoverMovesEverythingInOneAuditedActionAndUndoes()
    }

    func testASessionOfAUserDeactivatedMeanwhileWritesNothing() throws {
        try HandoverContract(store: try .postgres()).aSessionOfAUserDeactivatedMeanwhileWritesNothing()
    }
}
