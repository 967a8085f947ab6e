import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The trash of every kind on a real SQLite file: who deleted what and when,
/// restore with what went along, purge (admins; retention by the clock).
final class TrashTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// A database acting as the admin "ana" (its first user), on a clock the test moves.
    func open() throws -> (Database, ManualClock, TempFolder) {
        let folder = TempFolder()
        let clock = ManualClock(start)
        let db = try Database(path: folder.path("crm.db"), login: "ana", clock: clock)
        return (db, clock, folder)
    }

    func deal(_ db: Database, _ title: String, contactID: Int64? = nil, companyID: Int64? = nil) throws -> Deal {
        let p = try db.pipelines.pipelines().first ?? db.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
        ])
        let stage = try XCTUnwrap(db.pipelines.stages(pipelineID: p.id).first { $0.kind == .open })
        return try db.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: title, value: Money(minorUnits: 100_00, currency: .eur),
                                        contactID: contactID, companyID: companyID))
    }

    func testRestoringADeletedDealBringsBackItsFollowUps() throws {
        let (db, clock, _) = try open()
        let contact = try db.contacts.create(Contact(name: "Lena Vogel"))
        let d = try deal(db, "Renewal 2027", contactID: contact.id)
        let call = try db.followUps.create(FollowUp(contactID: contact.id, dealID: d.id, title: "call about renewal", dueAt: start.addingTimeInterval(86_400)))
        let quote = try db.followUps.create(FollowUp(dealID: d.id, title: "send quote", dueAt: start.addingTimeInterval(2 * 86_400)))
        // Deleted on its own before: it stays in the trash when the deal comes back.
        let old = try db.followUps.create(FollowUp(dealID: d.id, title: "old idea", dueAt: start))
        try db.followUps.delete(old.id)
        clock.advance(by: 60)

        try db.deals.delete(d.id)
        XCTAssertNotNil(try db.followUps.get(call.id)?.deletedAt, "the deal's follow-ups go to the trash with it")
        XCTAssertEqual(try db.followUps.open(dealID: d.id).count, 0)
        let listed = try db.trash.entries(kind: nil, after: nil, limit: 10)
        XCTAssertEqual(listed.map(\.kind), [.deal, .followUp], "newest first; the follow-ups that went along are not listed on their own")
        XCTAssertEqual(listed[0].dependents, 2)
        XCTAssertEqual(listed[0].deletedBy, "ana")
        XCTAssertEqual(listed[0].deletedAt, clock.now)

        let result = try db.trash.restore(.deal, d.id)
        XCTAssertEqual(result.restored, [.followUp: 2])
        XCTAssertEqual(result.sentence, "Restored deal \"Renewal 2027\" with 2 follow-ups.")
        XCTAssertNil(try db.deals.get(d.id)?.deletedAt)
        XCTAssertEqual(Set(try db.followUps.open(dealID: d.id).map(\.followUp.id)), [call.id, quote.id])
        XCTAssertNotNil(try db.followUps.get(old.id)?.deletedAt, "what was deleted on its own stays in the trash")
        XCTAssertEqual(try db.auditTrail(entity: "deal", id: d.id, limit: 1).first?.action, "restore")
        // Undo of the restore is the delete again, symmetric.
        try db.trash.trash(.deal, d.id)
        XCTAssertEqual(try db.followUps.open(dealID: d.id).count, 0)
    }

    func testEachKindDeletedAndRestored() throws {
        let (db, clock, _) = try open()
        let company = try db.companies.create(Company(name: "Acme GmbH"))
        let contact = try db.contacts.create(Contact(name: "Jan Berg", companyID: company.id))
        let d = try deal(db, "Acme rollout", contactID: contact.id, companyID: company.id)
        let follow = try db.followUps.create(FollowUp(contactID: contact.id, title: "ask for referral", dueAt: start))
        let note = try db.interactions.log(Interaction(contactID: contact.id, kind: .note, occurredAt: start, body: "met at fair"))
        let call = try db.interactions.log(Interaction(contactID: contact.id, kind: .call, direction: .outbound, occurredAt: start, subject: "intro call"))

        // Interaction and follow-up: alone.
        try db.interactions.delete(call.id)
        XCTAssertEqual(try db.trash.entries(kind: .interaction, after: nil, limit: 5).map(\.title), ["intro call"])
        XCTAssertEqual(try db.trash.restore(.interaction, call.id).sentence, "Restored interaction \"intro call\".")
        try db.followUps.delete(follow.id)
        _ = try db.trash.restore(.followUp, follow.id)
        XCTAssertNil(try db.followUps.get(follow.id)?.deletedAt)

        // Contact: its follow-ups go along and come back; its history stays with it.
        clock.advance(by: 60)
        try db.contacts.delete(contact.id)
        XCTAssertNil(try db.interactions.get(note.id)?.deletedAt)
        XCTAssertNotNil(try db.followUps.get(follow.id)?.deletedAt)
        XCTAssertThrowsError(try db.trash.restore(.followUp, follow.id)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .belongsToAnother)
            XCTAssertTrue("\(error)".contains("restore that contact"), "\(error)")
        }
        let back = try db.trash.restore(.contact, contact.id)
        XCTAssertEqual(back.restored, [.followUp: 1])
        XCTAssertNil(try db.interactions.get(note.id)?.deletedAt)

        // Company: its contacts and deals lose the link, and get it back.
        clock.advance(by: 60)
        try db.companies.delete(company.id)
        XCTAssertNil(try db.contacts.get(contact.id)?.companyID)
        XCTAssertNil(try db.deals.get(d.id)?.companyID)
        XCTAssertNil(try db.contacts.get(contact.id)?.deletedAt, "the contacts stay")
        XCTAssertEqual(try db.trash.entries(kind: .company, after: nil, limit: 5).first?.dependents, 2)
        let company2 = try db.trash.restore(.company, company.id)
        XCTAssertEqual(company2.relinked, [.contact: 1, .deal: 1])
        XCTAssertEqual(try db.contacts.get(contact.id)?.companyID, company.id)
        XCTAssertEqual(try db.deals.get(d.id)?.companyID, company.id)

        // Deal.
        try db.deals.delete(d.id)
        _ = try db.trash.restore(.deal, d.id)
        XCTAssertNil(try db.deals.get(d.id)?.deletedAt)
        XCTAssertEqual(try db.trash.count(kind: nil), 0)
    }

    func testRestoreRefusesWhatIsNotInTheTrash() throws {
        let (db, _, _) = try open()
        let contact = try db.contacts.create(Contact(name: "Mina"))
        XCTAssertThrowsError(try db.trash.restore(.contact, contact.id)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .notInTrash)
            XCTAssertEqual("\(error)", "Contact \(contact.id) (\"Mina\") is not in the trash: nothing to restore")
        }
        XCTAssertThrowsError(try db.trash.restore(.deal, 999)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .notInTrash)
        }
    }

    func testAContactWhoseCompanyWasPurgedComesBackWithoutItAndSaysSo() throws {
        let (db, clock, _) = try open()
        let company = try db.companies.create(Company(name: "Gone Ltd"))
        let contact = try db.contacts.create(Contact(name: "Omid Rahimi", companyID: company.id))
        try db.contacts.delete(contact.id)
        clock.advance(by: 60)
        try db.companies.delete(company.id)
        let purged = try db.trash.purge(kind: .company, deletedBefore: nil)
        XCTAssertEqual(purged.removed, [.company: 1])
        XCTAssertNil(try db.companies.get(company.id))
        let back = try db.trash.restore(.contact, contact.id)
        XCTAssertNil(try db.contacts.get(contact.id)?.companyID)
        XCTAssertTrue(back.sentence.contains("without its company \"Gone Ltd\", which was purged from the trash for good"), back.sentence)
    }

    func testPurgeWithRetentionRemovesOnlyWhatIsOlderAndIsOneAuditedAction() throws {
        let (db, clock, _) = try open()
        let contact = try db.contacts.create(Contact(name: "Old Contact"))
        let d = try deal(db, "Old deal", contactID: contact.id)
        let f = try db.followUps.create(FollowUp(dealID: d.id, title: "chase", dueAt: start))
        try db.deals.delete(d.id)
        try db.contacts.delete(contact.id)
        clock.advance(by: 80 * 86_400)
        let recent = try db.companies.create(Company(name: "Recent"))
        try db.companies.delete(recent.id)
        clock.advance(by: 11 * 86_400)   // the deal and contact: 91 days; the company: 11

        let auditBefore = try db.connection.scalar("SELECT count(*) FROM audit_log") ?? 0
        let purged = try db.trash.purgeExpired(days: 90)
        XCTAssertEqual(purged.removed, [.deal: 1, .followUp: 1, .contact: 1])
        XCTAssertNil(try db.deals.get(d.id))
        XCTAssertNil(try db.followUps.get(f.id))
        XCTAssertNil(try db.contacts.get(contact.id))
        XCTAssertEqual(try db.trash.entries(kind: nil, after: nil, limit: 10).map(\.title), ["Recent"])
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM audit_log") ?? 0, auditBefore + 1, "one action in the audit log")
        XCTAssertEqual(try db.connection.scalar("PRAGMA foreign_key_check") ?? nil, nil)
        XCTAssertEqual(try db.trash.purgeExpired(days: 90).total, 0)
    }

    func testPurgingAContactTakesItsHistoryButNotASharedDealsRecord() throws {
        let (db, _, _) = try open()
        let contact = try db.contacts.create(Contact(name: "Gone"))
        let d = try deal(db, "Kept deal", contactID: contact.id)
        let own = try db.interactions.log(Interaction(contactID: contact.id, kind: .note, occurredAt: start, body: "only about them"))
        let shared = try db.interactions.log(Interaction(contactID: contact.id, dealID: d.id, kind: .call, direction: .outbound, occurredAt: start))
        try db.contacts.delete(contact.id)
        XCTAssertEqual(try db.trash.purge(kind: nil, deletedBefore: nil).removed, [.contact: 1, .interaction: 1])
        XCTAssertNil(try db.interactions.get(own.id))
        XCTAssertNil(try db.interactions.get(shared.id)?.contactID, "the deal's record stays, without the contact")
        XCTAssertNil(try db.deals.get(d.id)?.contactID)
        XCTAssertEqual(try db.connection.scalar("PRAGMA foreign_key_check") ?? nil, nil)
    }

    func testOnlyAnAdminPurges() throws {
        let (db, _, _) = try open()
        _ = try db.users.add(login: "rita", name: "Rita", role: .rep)
        let c = try db.contacts.create(Contact(name: "Kept"))
        try db.contacts.delete(c.id)
        try db.act(as: "rita")
        XCTAssertThrowsError(try db.trash.purge(kind: nil, deletedBefore: nil)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .notPermitted)
            XCTAssertEqual("\(error)", "Only an admin empties the trash; you are rita, a rep. Nothing was purged")
        }
        XCTAssertNotNil(try db.contacts.get(c.id))
        _ = try db.trash.restore(.contact, c.id)   // a rep restores
    }

    func testTheListPagesByKeyset() throws {
        let (db, clock, _) = try open()
        for i in 0..<7 {
            let c = try db.contacts.create(Contact(name: "C\(i)"))
            try db.contacts.delete(c.id)
            if i % 2 == 0 { clock.advance(by: 1) }   // some share a second
        }
        var seen: [String] = [], cursor: TrashCursor?
        while true {
            let page = try db.trash.entries(kind: .contact, after: cursor, limit: 3)
            seen += page.map(\.title)
            guard let last = page.last else { break }
            cursor = last.cursor
        }
        XCTAssertEqual(seen, ["C6", "C5", "C4", "C3", "C2", "C1", "C0"])
        XCTAssertEqual(try db.trash.count(kind: .contact), 7)
        XCTAssertEqual(try db.trash.count(kind: .deal), 0)
    }
}
