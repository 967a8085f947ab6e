import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMViewModels
import Foundation
import XCTest

/// Roles on the screen: a key the role may not use stays in the table with
/// its reason, does nothing when pressed, and says why.
final class RolePermissionTests: XCTestCase {
    /// The pipeline of `f` opened by a second user with `role`.
    func app(_ f: PipelineFixture, as login: String, role: Role) throws -> (AppModel, Database) {
        _ = try f.db.users.add(login: login, name: "", role: role)
        let db = try Database(path: f.folder.appendingPathComponent("crm.db").path, login: login, newLogins: .asTheDatabaseSays)
        let app = AppModel(repositories: db, clock: f.clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
        app.start(in: .pipeline)
        app.pipeline.setViewport(columns: 3, cardsPerColumn: 4)
        return (app, db)
    }

    func testEveryAdminOnlyActionIsRefusedForARepWithItsReason() throws {
        let f = try PipelineFixture(stageCount: 3)
        try f.deal("Kept", stage: 1)
        let (app, db) = try app(f, as: "rita", role: .rep)
        XCTAssertEqual(db.currentUser.role, .rep)
        let adminOnly = ActionID.allCases.filter { $0.permission?.minimumRole == .admin }
        XCTAssertFalse(adminOnly.isEmpty)
        let table = app.allBindings
        for action in adminOnly {
            guard let binding = table.binding(for: action) else { continue }
            XCTAssertNotNil(binding.disabledReason, "\(action) is open to a rep")
            XCTAssertTrue(binding.disabledReason?.hasPrefix("only an admin") == true, "\(action): \(binding.disabledReason ?? "")")
        }
        // Every stage and pipeline key on the board is listed, disabled, with why.
        for action: ActionID in [.addPipeline, .renamePipeline, .addStage, .renameStage, .deleteStage, .moveStageLeft, .moveStageRight,
                                 .stageProbability, .stageRotDays, .administration] {
            XCTAssertNotNil(table.binding(for: action)?.disabledReason, "\(action) missing or enabled: the help must show it with the reason")
        }
        XCTAssertEqual(table.binding(for: .renameStage)?.disabledReason, "only an admin changes pipelines and stages")
        XCTAssertEqual(table.binding(for: .stageProbability)?.disabledReason, "only an admin changes stage probabilities and rotting limits")
        // Pressed: nothing changes, the status line says why.
        let before = try db.pipelines.stages(pipelineID: f.pipeline.id).map(\.name)
        app.handle(.key(.char("l")))
        for key: Key in [.char("R"), .char("%"), .char("T"), .char("D"), .char("A"), .char("{"), .char("}"), .char("P"), .ctrl("r"), .char("U")] {
            app.handle(.key(key))
            XCTAssertNil(app.overlay, "\(key.label) opened something for a rep")
            XCTAssertTrue(app.statusMessage?.text.contains("only an admin") == true, "\(key.label): \(app.statusMessage?.text ?? "")")
        }
        // The palette runs nothing either.
        app.run(.deleteStage)
        XCTAssertNil(app.overlay)
        XCTAssertEqual(try db.pipelines.stages(pipelineID: f.pipeline.id).map(\.name), before)
        // Everyday work stays open to a rep.
        XCTAssertNil(table.binding(for: .add)?.disabledReason)
    }

    func testAManagerStillMayNotChangeStagesButAnAdminMay() throws {
        let f = try PipelineFixture(stageCount: 3)
        let (manager, _) = try app(f, as: "mona", role: .manager)
        XCTAssertNotNil(manager.allBindings.binding(for: .renameStage)?.disabledReason)
        f.start()
        XCTAssertNil(f.app.allBindings.binding(for: .renameStage)?.disabledReason, "alice, the first user, is the admin")
        XCTAssertNil(f.app.allBindings.binding(for: .administration)?.disabledReason)
    }

    func testAdministrationCommandsParse() {
        XCTAssertEqual(try AdminCommand.parse("add jan manager Jan Novák").get(), .add(login: "jan", role: .manager, name: "Jan Novák"))
        XCTAssertEqual(try AdminCommand.parse("add jan").get(), .add(login: "jan", role: .rep, name: ""))
        XCTAssertEqual(try AdminCommand.parse("deactivate omid to sara").get(), .deactivate(login: "omid", plan: HandoverPlan(everythingTo: "sara")))
        XCTAssertEqual(try AdminCommand.parse("deactivate omid contacts sara deals jan followups sara").get(),
                       .deactivate(login: "omid", plan: HandoverPlan(contactsTo: "sara", dealsTo: "jan", followUpsTo: "sara")))
        XCTAssertEqual(try AdminCommand.parse("role sara admin").get(), .setRole(login: "sara", role: .admin))
        if case .success = AdminCommand.parse("role sara boss") { XCTFail("boss is not a role") }
        if case .success = AdminCommand.parse("deactivate omid to") { XCTFail("to needs a login") }
    }

    func testHandoverOnTheAdministrationScreenAsksFirstMovesAllAndUUndoes() throws {
        let f = try PipelineFixture(stageCount: 2)
        _ = try f.db.users.add(login: "omid", name: "", role: .rep)
        _ = try f.db.users.add(login: "sara", name: "", role: .rep)
        let omid = try XCTUnwrap(f.db.users.find(login: "omid"))
        let contact = try f.db.contacts.create(Contact(name: "Ada", ownerID: omid.id))
        var deal = try f.deal("Big")
        deal.ownerID = omid.id
        deal = try f.db.deals.update(deal)
        f.start()
        f.app.administer(.deactivate(login: "omid", plan: HandoverPlan(everythingTo: "sara")))
        guard case .confirm(let question) = f.app.overlay else { return XCTFail("shows what moves first") }
        XCTAssertTrue(question.question.hasPrefix("omid owns 1 contact, 1 open deal, 0 open follow-ups"), question.question)
        XCTAssertEqual(try f.db.contacts.get(contact.id)?.ownerID, omid.id, "nothing moved before the yes")
        f.press(.char("y"))
        let sara = try XCTUnwrap(f.db.users.find(login: "sara"))
        XCTAssertEqual(try f.db.contacts.get(contact.id)?.ownerID, sara.id)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.ownerID, sara.id)
        XCTAssertEqual(try f.db.users.find(login: "omid")?.isActive, false)
        XCTAssertFalse(f.app.userLogins().contains("omid"), "a deactivated user leaves the pickers")
        f.press(.char("u"))
        if case .confirm = f.app.overlay { f.press(.char("y")) }
        XCTAssertEqual(try f.db.contacts.get(contact.id)?.ownerID, omid.id)
        XCTAssertEqual(try f.db.deals.get(deal.id)?.ownerID, omid.id)
        XCTAssertEqual(try f.db.users.find(login: "omid")?.isActive, true)
    }

    /// A rep may give away their own contact, not move a colleague's.
    func testARepMayNotReassignAColleaguesContactButAManagerMay() throws {
        let f = try PipelineFixture(stageCount: 1)
        let omid = try f.db.users.add(login: "omid", name: "", role: .rep)
        let theirs = try f.db.contacts.create(Contact(name: "Theirs", ownerID: omid.id))
        let (_, rita) = try app(f, as: "rita", role: .rep)
        let mine = try f.db.contacts.create(Contact(name: "Mine", ownerID: rita.currentUser.id))
        // The form as opened (the stored owner), then the owner chosen in it.
        func form(_ c: Contact, owner: String) -> FormModel {
            let stored = c.ownerID == omid.id ? "omid" : "rita"
            let fields = ContactForms.contactFields(c, companyName: "", owners: ["alice", "omid", "rita"], ownerLogin: stored)
            let form = FormModel(title: "Edit", fields: fields) { _ in "" }
            form["owner"] = owner
            return form
        }
        XCTAssertThrowsError(try ContactForms.apply(form(theirs, owner: "rita"), to: theirs, repos: rita)) { error in
            XCTAssertEqual(error as? FieldError, FieldError("owner", "only a manager or an admin reassigns others' records"))
        }
        XCTAssertEqual(try ContactForms.apply(form(mine, owner: "omid"), to: mine, repos: rita).contact.ownerID, omid.id)
        _ = try f.db.users.setRole(login: "rita", role: .manager)
        let manager = try Database(path: f.folder.appendingPathComponent("crm.db").path, login: "rita")
        XCTAssertEqual(try ContactForms.apply(form(theirs, owner: "rita"), to: theirs, repos: manager).contact.ownerID, manager.currentUser.id)
    }

    /// QA 43: a rep's `A` on a colleague's follow-up was saved on SQLite,
    /// where PostgreSQL's trigger refuses it. The file's repositories refuse
    /// it too, whichever screen or bulk action asks; a rep still hands on
    /// their own, and a manager anyone's.
    func testARepMayNotTakeAColleaguesFollowUpOrRecordsOnTheFileEither() throws {
        let f = try PipelineFixture(stageCount: 1)
        let omid = try f.db.users.add(login: "omid", name: "", role: .rep)
        let contact = try f.db.contacts.create(Contact(name: "Theirs", ownerID: omid.id))
        let theirs = try f.db.followUps.create(FollowUp(contactID: contact.id, assigneeID: omid.id, title: "Call back", dueAt: f.clock.now))
        let deal = try f.db.deals.create(Deal(pipelineID: f.pipeline.id, stageID: f.stages[0].id, title: "Big", value: .zero(.eur),
                                              ownerID: omid.id))
        let (_, rita) = try app(f, as: "rita", role: .rep)
        let refusal = "only a manager or an admin reassigns others' records; you are rita, a rep"
        var taken = theirs
        taken.assigneeID = rita.currentUser.id
        XCTAssertThrowsError(try rita.followUps.update(taken)) { error in
            XCTAssertEqual((error as? UserRefusal)?.description, "\"Call back\" is not yours: " + refusal)
        }
        XCTAssertThrowsError(try rita.followUps.update([VersionedID(id: theirs.id, version: theirs.version)]) { $0.assigneeID = nil })
        var contactTaken = contact
        contactTaken.ownerID = rita.currentUser.id
        XCTAssertThrowsError(try rita.contacts.update(contactTaken)) { error in
            XCTAssertEqual((error as? UserRefusal)?.description, "Theirs is not yours: " + refusal)
        }
        var dealTaken = deal
        dealTaken.ownerID = rita.currentUser.id
        XCTAssertThrowsError(try rita.deals.update(dealTaken))
        XCTAssertEqual(try f.db.followUps.get(theirs.id)?.assigneeID, omid.id, "nothing moved")
        XCTAssertEqual(try f.db.contacts.get(contact.id)?.ownerID, omid.id)
        // Her own she hands on; other fields of theirs she still works on.
        let mine = try rita.followUps.create(FollowUp(contactID: contact.id, assigneeID: rita.currentUser.id, title: "Mine", dueAt: f.clock.now))
        var given = mine
        given.assigneeID = omid.id
        XCTAssertEqual(try rita.followUps.update(given).assigneeID, omid.id)
        var retitled = theirs
        retitled.title = "Call back on Monday"
        XCTAssertEqual(try rita.followUps.update(retitled).title, "Call back on Monday")
        _ = try f.db.users.setRole(login: "rita", role: .manager)
        let manager = try Database(path: f.folder.appendingPathComponent("crm.db").path, login: "rita")
        var managed = try XCTUnwrap(try manager.followUps.get(theirs.id))
        managed.assigneeID = manager.currentUser.id
        XCTAssertEqual(try manager.followUps.update(managed).assigneeID, manager.currentUser.id)
    }
}
