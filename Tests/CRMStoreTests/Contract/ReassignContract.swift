import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Reassigning a marked selection and taking it back, written once against
/// the seam and run on both engines (SQLite/PostgresReassignContractTests).
/// sara is the admin (the first user); omid and lea are reps.
struct ReassignContract {
    let fixture: EngineFixture
    var open: (String) throws -> EngineSession { fixture.open }

    private struct Team {
        let sara: EngineSession, omid: EngineSession, lea: EngineSession
        let pipeline: Pipeline, lead: Stage
    }

    private func team() throws -> Team {
        let sara = try open("sara"), omid = try open("omid"), lea = try open("lea")
        let p = try sara.repositories.pipelineRepository.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
        ])
        return Team(sara: sara, omid: omid, lea: lea, pipeline: p,
                    lead: try XCTUnwrap(sara.repositories.pipelineRepository.stages(pipelineID: p.id).first))
    }

    private func contact(_ s: EngineSession, _ name: String) throws -> Contact {
        try s.repositories.contactRepository.create(Contact(name: name))
    }

    private func deal(_ t: Team, _ s: EngineSession, _ title: String) throws -> Deal {
        try s.repositories.dealRepository.create(Deal(pipelineID: t.pipeline.id, stageID: t.lead.id, title: title, value: .zero(.eur)))
    }

    func aSelectionMovesInOneGoAndComesBackExceptWhatChangedSince() throws {
        let t = try team()
        let r = t.sara.repositories
        let mine = try contact(t.sara, "Mine")
        let omids = try contact(t.omid, "Omid's")
        let leas = try contact(t.lea, "Lea's already")
        let dealA = try deal(t, t.sara, "Deal A")
        let dealB = try deal(t, t.omid, "Deal B")
        fixture.clock.advance(by: 60)

        let moved = try r.reassignRepository.reassign(
            [ReassignItem(.contact, mine.id), ReassignItem(.contact, omids.id), ReassignItem(.contact, leas.id),
             ReassignItem(.deal, dealA.id), ReassignItem(.deal, dealB.id)], to: t.lea.userID)
        XCTAssertEqual(moved.toOwnerID, t.lea.userID)
        XCTAssertEqual(moved.toLogin, "lea")
        XCTAssertEqual(moved.unchanged, 1, "lea's own contact: nothing to write")
        XCTAssertEqual(moved.moved.map(\.name), ["Mine", "Omid's", "Deal A", "Deal B"])
        XCTAssertEqual(moved.moved.map(\.fromOwnerID), [t.sara.userID, t.omid.userID, t.sara.userID, t.omid.userID])
        XCTAssertEqual(moved.moved.map(\.version), [2, 2, 2, 2])
        let now = fixture.clock.now
        for id in [mine.id, omids.id] {
            let c = try XCTUnwrap(r.contactRepository.get(id))
            XCTAssertEqual(c.ownerID, t.lea.userID)
            XCTAssertEqual(c.version, 2)
            XCTAssertEqual(c.updatedAt, now)
        }
        XCTAssertEqual(try r.contactRepository.get(leas.id)?.version, 1)
        XCTAssertEqual(try r.dealRepository.get(dealB.id)?.ownerID, t.lea.userID)
        let trail = try t.sara.audit("contact", omids.id)
        XCTAssertEqual(trail.first?.action, "reassign")
        XCTAssertEqual(trail.first?.userLogin, "sara")
        XCTAssertEqual(trail.first?.changes, ["owner": AuditChange(.int(t.omid.userID), .int(t.lea.userID))])
        XCTAssertEqual(try t.sara.audit("deal", dealA.id).first?.changes,
                       ["owner": AuditChange(.int(t.sara.userID), .int(t.lea.userID))])

        // Since: omid renames his old contact, someone trashes Deal B.
        fixture.clock.advance(by: 60)
        var renamed = try XCTUnwrap(t.omid.repositories.contactRepository.get(omids.id))
        renamed.title = "Buyer"
        _ = try t.omid.repositories.contactRepository.update(renamed)
        try r.dealRepository.delete(dealB.id)

        fixture.clock.advance(by: 60)
        let undo = try r.reassignRepository.undoReassign(moved)
        XCTAssertEqual(undo.restored, 2)
        XCTAssertEqual(undo.refused.map(\.name), ["Omid's", "Deal B"])
        let stale = undo.refused[0].stale
        XCTAssertEqual(stale.changedBy, "omid")
        XCTAssertEqual(stale.changedFields, ["title"])
        XCTAssertEqual(stale.expectedVersion, 2)
        XCTAssertEqual(stale.currentVersion, 3)
        XCTAssertFalse(stale.deleted)
        XCTAssertTrue(undo.refused[1].stale.deleted)
        XCTAssertEqual(try r.contactRepository.get(mine.id)?.ownerID, t.sara.userID)
        XCTAssertEqual(try r.contactRepository.get(mine.id)?.version, 3)
        XCTAssertEqual(try r.dealRepository.get(dealA.id)?.ownerID, t.sara.userID)
        XCTAssertEqual(try r.contactRepository.get(omids.id)?.ownerID, t.lea.userID, "left as omid left it")
        XCTAssertEqual(try r.dealRepository.get(dealB.id)?.ownerID, t.lea.userID)
        let back = try t.sara.audit("contact", mine.id)
        XCTAssertEqual(back.map(\.action), ["reassign", "reassign", "create"])
        XCTAssertEqual(back.first?.changes, ["owner": AuditChange(.int(t.lea.userID), .int(t.sara.userID))])
        XCTAssertEqual(try t.sara.audit("deal", dealB.id).map(\.action), ["delete", "reassign", "create"])

        // Taking it back twice puts nothing back: every record is at a newer version now.
        let again = try r.reassignRepository.undoReassign(moved)
        XCTAssertEqual(again.restored, 0)
        XCTAssertEqual(again.refused.count, 4)
    }

    func aReassignmentIsRefusedWholeAndWritesNothing() throws {
        let t = try team()
        let r = t.sara.repositories
        let mine = try contact(t.sara, "Mine")
        let gone = try contact(t.sara, "Gone")
        try r.contactRepository.delete(gone.id)
        let omidsOwn = try contact(t.omid, "Omid's own")
        let leas = try deal(t, t.lea, "Lea's deal")
        _ = try open("ghost")
        _ = try r.userRepository.deactivate(login: "ghost", handover: HandoverPlan())
        let ghost = try XCTUnwrap(r.userRepository.find(login: "ghost"))
        let mineBefore = try XCTUnwrap(r.contactRepository.get(mine.id))
        let auditBefore = try t.sara.audit("contact", mine.id).count

        XCTAssertThrowsError(try r.reassignRepository.reassign([ReassignItem(.contact, mine.id)], to: 9_999)) { error in
            guard case RepositoryError.notFound(let entity, let id) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(entity, "user")
            XCTAssertEqual(id, 9_999)
        }
        XCTAssertThrowsError(try r.reassignRepository.reassign([ReassignItem(.contact, mine.id)], to: ghost.id)) { error in
            XCTAssertEqual(error as? UserRefusal,
                           UserRefusal(.deactivated, "ghost is deactivated: choose an active user as the new owner"))
        }
        // The first item would move; the second is in the trash: neither moves.
        XCTAssertThrowsError(try r.reassignRepository.reassign(
            [ReassignItem(.contact, mine.id), ReassignItem(.contact, gone.id)], to: t.omid.userID)) { error in
            guard case RepositoryError.notFound(let entity, let id) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(entity, "contact")
            XCTAssertEqual(id, gone.id)
        }
        XCTAssertThrowsError(try r.reassignRepository.reassign([ReassignItem(.deal, 9_999)], to: t.omid.userID)) { error in
            guard case RepositoryError.notFound(let entity, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(entity, "deal")
        }
        // A rep hands over his own, not a colleague's: his own stays too.
        XCTAssertThrowsError(try t.omid.repositories.reassignRepository.reassign(
            [ReassignItem(.contact, omidsOwn.id), ReassignItem(.deal, leas.id)], to: t.sara.userID)) { error in
            let refusal = error as? UserRefusal
            XCTAssertEqual(refusal?.kind, .notPermitted)
            XCTAssertTrue(refusal?.description.hasPrefix("Lea's deal is not yours: ") == true, refusal?.description ?? "\(error)")
            XCTAssertTrue(refusal?.description.hasSuffix("; you are omid, a rep") == true, refusal?.description ?? "\(error)")
        }
        XCTAssertEqual(try r.contactRepository.get(mine.id), mineBefore)
        XCTAssertEqual(try t.sara.audit("contact", mine.id).count, auditBefore)
        XCTAssertEqual(try r.contactRepository.get(omidsOwn.id)?.ownerID, t.omid.userID)
        XCTAssertEqual(try r.contactRepository.get(omidsOwn.id)?.version, 1)
        XCTAssertEqual(try r.dealRepository.get(leas.id)?.version, 1)

        // What a rep may do: hand his own over.
        let handed = try t.omid.repositories.reassignRepository.reassign([ReassignItem(.contact, omidsOwn.id)], to: t.lea.userID)
        XCTAssertEqual(handed.moved.map(\.name), ["Omid's own"])
        XCTAssertEqual(try t.omid.audit("contact", omidsOwn.id).first?.userLogin, "omid")
        // An empty selection writes nothing and says so.
        let nothing = try r.reassignRepository.reassign([], to: t.lea.userID)
        XCTAssertEqual(nothing.moved.count + nothing.unchanged, 0)
    }
}
