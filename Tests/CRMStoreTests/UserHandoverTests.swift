import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// Users, roles and handing over a leaver's work, on a real SQLite file.
final class UserHandoverTests: XCTestCase {
    func testFirstUserIsAdminAndUnknownLoginsAreRefusedWithASuggestion() throws {
        let (db, folder) = try makeDatabase(login: "boss")
        XCTAssertEqual(db.currentUser.role, .admin)
        _ = try db.users.add(login: "sara", name: "Sara", role: .rep)
        XCTAssertThrowsError(try Database(path: folder.path("crm.db"), login: "Sara", newLogins: .asTheDatabaseSays)) { error in
            XCTAssertEqual(error as? UserRefusal,
                           UserRefusal(.unknownUser, "no user 'Sara'; did you mean 'sara'? An admin adds users with `crm user add`"))
        }
        XCTAssertEqual(try db.users.all().map(\.login), ["boss", "sara"], "no second Sara")
        try db.users.setCreatesUsersOnFirstUse(true)
        let newcomer = try Database(path: folder.path("crm.db"), login: "newcomer", newLogins: .asTheDatabaseSays)
        XCTAssertEqual(newcomer.currentUser.role, .rep)
    }

    func testDeactivatedUserCannotOpenAndTheLastAdminStays() throws {
        let (db, folder) = try makeDatabase(login: "boss")
        _ = try db.users.add(login: "omid", name: "", role: .rep)
        XCTAssertThrowsError(try db.users.deactivate(login: "boss", handover: HandoverPlan())) {
            XCTAssertEqual(($0 as? UserRefusal)?.kind, .conflict)
        }
        XCTAssertThrowsError(try db.users.setRole(login: "boss", role: .rep)) {
            XCTAssertTrue("\($0)".contains("you are the last active admin"), "\($0)")
        }
        _ = try db.users.deactivate(login: "omid", handover: HandoverPlan())
        XCTAssertThrowsError(try Database(path: folder.path("crm.db"), login: "omid", newLogins: .asTheDatabaseSays)) {
            XCTAssertEqual(($0 as? UserRefusal)?.kind, .deactivated)
        }
        let rep = try Database(path: folder.path("crm.db"), login: "boss")
        _ = try rep.users.add(login: "rita", name: "", role: .rep)
        let rita = try Database(path: folder.path("crm.db"), login: "rita")
        XCTAssertThrowsError(try rita.users.add(login: "x", name: "", role: .admin)) {
            XCTAssertEqual("\($0)", "only an admin manages users; you are rita, a rep")
        }
    }

    func testHandoverMovesEverythingInOneAuditedActionAndUndoes() throws {
        let (db, _) = try makeDatabase(login: "boss")
        let omid = try db.users.add(login: "omid", name: "", role: .rep)
        let sara = try db.users.add(login: "sara", name: "", role: .rep)
        let jan = try db.users.add(login: "jan", name: "", role: .rep)
        let pipeline = try db.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try db.pipelines.stages(pipelineID: pipeline.id)[0]
        var contacts: [Contact] = []
        for i in 0..<3 { contacts.append(try db.contacts.create(Contact(name: "C\(i)", ownerID: omid.id))) }
        var deals: [Deal] = []
        for i in 0..<2 {
            var d = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "D\(i)", value: Money(minorUnits: 100, currency: Currency("EUR")!)))
            d.ownerID = omid.id
            deals.append(try db.deals.update(d))
        }
        let follow = try db.followUps.create(FollowUp(contactID: contacts[0].id, assigneeID: omid.id, title: "Call", dueAt: Date(), createdAt: Date()))
        XCTAssertEqual(try db.users.holdings(of: "omid"), HandoverCounts(contacts: 3, openDeals: 2, openFollowUps: 1))
        XCTAssertEqual(try db.users.holdings(of: "omid").sentence(for: "omid"), "omid owns 3 contacts, 2 open deals, 1 open follow-up")

        // A deactivated or unknown heir: refused, nothing moved.
        _ = try db.users.add(login: "gone", name: "", role: .rep)
        _ = try db.users.deactivate(login: "gone", handover: HandoverPlan())
        XCTAssertThrowsError(try db.users.deactivate(login: "omid", handover: HandoverPlan(everythingTo: "gone")))
        XCTAssertThrowsError(try db.users.deactivate(login: "omid", handover: HandoverPlan(contactsTo: "sara", dealsTo: "nobody")))
        XCTAssertEqual(try db.users.holdings(of: "omid").total, 6)
        XCTAssertEqual(try db.users.find(login: "omid")?.isActive, true)

        let auditBefore = try db.connection.scalar("SELECT count(*) FROM audit_log") ?? 0
        let (user, handover) = try db.users.deactivate(login: "omid", handover: HandoverPlan(contactsTo: "sara", dealsTo: "jan", followUpsTo: "sara"))
        XCTAssertFalse(user.isActive)
        let h = try XCTUnwrap(handover)
        XCTAssertEqual(h.items.count, 6)
        XCTAssertEqual(h.summary, "3 contacts to sara, 2 open deals to jan, 1 open follow-up to sara")
        XCTAssertEqual(try db.users.holdings(of: "omid").total, 0)
        XCTAssertEqual(try db.users.holdings(of: "sara"), HandoverCounts(contacts: 3, openFollowUps: 1))
        XCTAssertEqual(try db.users.holdings(of: "jan").openDeals, 2)
        // One audit entry for the handover (plus the deactivation).
        XCTAssertEqual((try db.connection.scalar("SELECT count(*) FROM audit_log") ?? 0) - auditBefore, 2)
        let entry = try XCTUnwrap(db.audit.entries(entity: "user", id: omid.id).first { $0.action == "handover" })
        XCTAssertEqual(entry.changes["contacts"], AuditChange(.text("omid: 3"), .text("sara")))
        XCTAssertEqual(entry.userLogin, "boss")

        // Someone edits one deal meanwhile: undo leaves that one alone.
        var touched = try XCTUnwrap(db.deals.get(deals[1].id))
        touched.title = "D1 renamed"
        _ = try db.deals.update(touched)
        let (restored, skipped) = try db.users.undoHandover(h.id)
        XCTAssertEqual(restored, 5)
        XCTAssertEqual(skipped.count, 1)
        XCTAssertEqual(try db.users.holdings(of: "omid"), HandoverCounts(contacts: 3, openDeals: 1, openFollowUps: 1))
        XCTAssertEqual(try db.followUps.get(follow.id)?.assigneeID, omid.id)
        XCTAssertEqual(try db.users.find(login: "omid")?.isActive, true, "undo reactivates who the handover deactivated")
        XCTAssertThrowsError(try db.users.undoHandover(h.id))
        _ = (sara, jan)
    }

    /// An existing team keeps working after the upgrade to schema 21: every
    /// user it had becomes an admin, and unknown logins are refused from then.
    func testUpgradeMakesEveryExistingUserAnAdmin() throws {
        let folder = TempFolder()
        let path = folder.path("old.db")
        do {
            let db = try Database(path: path, login: "ana")
            _ = try db.users.findOrCreate(login: "bob")
            try rewindSchema(db.connection, to: 15)
            XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'role'"), 0)
            // Read as it is, before the upgrade: everyone reads as an admin.
            try Database.reading(path, login: "bob") { old in XCTAssertEqual(old.currentUser.role, .admin) }
        }
        let db = try Database(path: path, login: "bob", newLogins: .asTheDatabaseSays)
        XCTAssertEqual(try db.users.all().map(\.role), [.admin, .admin])
        XCTAssertFalse(try db.users.createsUsersOnFirstUse())
        XCTAssertThrowsError(try Database(path: path, login: "carol", newLogins: .asTheDatabaseSays))
    }
}
