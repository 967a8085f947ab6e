import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// The trash of every kind, written once against the protocols and run on
/// both engines (TrashContractTests): who deleted what and when, restore
/// with what went along, purge (admins; retention by the clock), the list
/// paged by keyset. The same inputs give the same answers on each.
struct TrashRepositoryContract {
    let store: ContractStore
    let clock: ManualClock
    var start: Date { Date(timeIntervalSince1970: 1_780_000_000) }

    /// `store` must run on `clock`, set to `start`.
    init(store: ContractStore, clock: ManualClock) { self.store = store; self.clock = clock }

    /// The admin "ana", the store's first user.
    func open() throws -> any CRMRepositories { try store.open("ana") }

    func deal(_ db: any CRMRepositories, _ title: String, contactID: Int64? = nil, companyID: Int64? = nil) throws -> Deal {
        let p = try db.pipelineRepository.pipelines().first ?? db.pipelineRepository.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
        ])
        let stage = try XCTUnwrap(db.pipelineRepository.stages(pipelineID: p.id).first { $0.kind == .open })
        return try db.dealRepository.create(Deal(pipelineID: p.id, stageID: stage.id, title: title, value: Money(minorUnits: 100_00, currency: .eur),
                                                 contactID: contactID, companyID: companyID))
    }

    /// QA 27 #16: a deal form open while a colleague trashes the contact
    /// (or company) it names: the new deal, or the edit that links it, is
    /// refused with who deleted it, never a live deal on a trashed contact.
    func aDealIsNeverLinkedToARecordTrashedMeanwhile() throws {
        let ana = try open(), omid = try store.open("omid")
        let contact = try ana.contactRepository.create(Contact(name: "Imported Dup"))
        let company = try ana.companyRepository.create(Company(name: "Meier AG"))
        let unlinked = try deal(ana, "Unlinked")
        try omid.contactRepository.delete(contact.id)
        try omid.companyRepository.delete(company.id)
        for (attempt, entity) in [
            ({ _ = try deal(ana, "Race deal", contactID: contact.id) }, "contact"),
            ({ _ = try deal(ana, "Race deal", companyID: company.id) }, "company"),
            ({ var d = unlinked; d.contactID = contact.id; _ = try ana.dealRepository.update(d) }, "contact"),
        ] as [(() throws -> Void, String)] {
            XCTAssertThrowsError(try attempt()) { error in
                guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
                XCTAssertEqual([stale.entity, stale.changedBy], [entity, "omid"])
                XCTAssertTrue(stale.deleted)
            }
        }
        XCTAssertEqual(try ana.dealRepository.get(unlinked.id)?.version, unlinked.version, "nothing written")
        // An edit that leaves the link as it was is not refused for it.
        var renamed = unlinked
        renamed.title = "Renamed"
        XCTAssertEqual(try ana.dealRepository.update(renamed).title, "Renamed")
    }

    /// Where an id went (QA 30 #18): a merged-away contact or company names
    /// its survivor, a trashed record the trash, an unknown id nothing.
    func whereaboutsSayWhereARecordWent() throws {
        let db = try open()
        let keep = try db.contactRepository.create(Contact(name: "Günter Müller"))
        let other = try db.contactRepository.create(Contact(name: "Gunter Muller"))
        _ = try db.contactRepository.merge(into: keep, other: other.id, otherVersion: other.version)
        let firm = try db.companyRepository.create(Company(name: "Alpenblick Travel LLC"))
        let copy = try db.companyRepository.create(Company(name: "Alpenblick Travel"))
        _ = try db.companyRepository.merge(into: firm, other: copy.id, otherVersion: copy.version)
        let gone = try deal(db, "Old order")
        try db.dealRepository.delete(gone.id)
        let trash = db.trashRepository
        XCTAssertEqual(try trash.whereabouts(.contact, keep.id), .live)
        XCTAssertEqual(try trash.whereabouts(.contact, other.id), .mergedInto(keep.id))
        XCTAssertEqual(try trash.whereabouts(.company, copy.id), .mergedInto(firm.id))
        XCTAssertEqual(try trash.whereabouts(.deal, gone.id), .inTrash)
        XCTAssertEqual(try trash.whereabouts(.followUp, 999_999), .missing)
        XCTAssertEqual(RecordWhereabouts.mergedInto(keep.id).refusal(.contact, other.id),
                       "contact \(other.id) was merged into contact \(keep.id), which holds its history now: use \(keep.id)")
        XCTAssertEqual(RecordWhereabouts.inTrash.refusal(.followUp, 7), "follow-up 7 is in the trash (crm trash restore followup 7 brings it back)")
        XCTAssertNil(RecordWhereabouts.live.refusal(.deal, 1))
    }

    /// A trashed contact is found by its number in any spelling; a live
    /// one, a merged-away one and another number are not (QA 30 #19).
    func contactsInTrashAreFoundByPhone() throws {
        let db = try open()
        let ada = try db.contactRepository.create(Contact(name: "Ada", phones: [PhoneNumber("+49 30 5550101")]))
        _ = try db.contactRepository.create(Contact(name: "Live Bob", phones: [PhoneNumber("+49 30 5550102")]))
        let keep = try db.contactRepository.create(Contact(name: "Cleo", phones: [PhoneNumber("+49 30 5550103")]))
        let copy = try db.contactRepository.create(Contact(name: "Cleo M", phones: [PhoneNumber("+49 30 5550103")]))
        _ = try db.contactRepository.merge(into: keep, other: copy.id, otherVersion: copy.version)
        try db.contactRepository.delete(ada.id)
        let found = try db.trashRepository.contactsInTrash(withPhone: "0049 30 555 0101", limit: 5)
        XCTAssertEqual(found.map(\.title), ["Ada"])
        XCTAssertEqual(found.first?.deletedBy, "ana")
        XCTAssertEqual(try db.trashRepository.contactsInTrash(withPhone: "+49 30 5550102", limit: 5), [], "live")
        XCTAssertEqual(try db.trashRepository.contactsInTrash(withPhone: "+49 30 5550103", limit: 5), [], "merged away: the survivor has it")
        XCTAssertEqual(try db.trashRepository.contactsInTrash(withPhone: "x", limit: 5), [])
    }

    func auditCount(_ db: any CRMRepositories) throws -> Int { try db.auditPage(AuditFilter(), after: nil, limit: 10_000).count }

    func restoringADeletedDealBringsBackItsFollowUps() throws {
        let db = try open()
        let contact = try db.contactRepository.create(Contact(name: "Lena Vogel"))
        let d = try deal(db, "Renewal 2027", contactID: contact.id)
        let call = try db.followUpRepository.create(FollowUp(contactID: contact.id, dealID: d.id, title: "call about renewal", dueAt: start.addingTimeInterval(86_400)))
        let quote = try db.followUpRepository.create(FollowUp(dealID: d.id, title: "send quote", dueAt: start.addingTimeInterval(2 * 86_400)))
        // Deleted on its own before: it stays in the trash when the deal comes back.
        let old = try db.followUpRepository.create(FollowUp(dealID: d.id, title: "old idea", dueAt: start))
        try db.followUpRepository.delete(old.id)
        clock.advance(by: 60)

        try db.dealRepository.delete(d.id)
        XCTAssertNotNil(try db.followUpRepository.get(call.id)?.deletedAt, "the deal's follow-ups go to the trash with it")
        XCTAssertEqual(try db.followUpRepository.open(dealID: d.id).count, 0)
        let listed = try db.trashRepository.entries(kind: nil, after: nil, limit: 10)
        XCTAssertEqual(listed.map(\.kind), [.deal, .followUp], "newest first; the follow-ups that went along are not listed on their own")
        XCTAssertEqual(listed.first?.dependents, 2)
        XCTAssertEqual(listed.first?.deletedBy, "ana")
        XCTAssertEqual(listed.first?.deletedAt, clock.now)
        XCTAssertEqual(listed.first?.detail, "Lena Vogel", "a deal's detail: its company, else its contact")

        let result = try db.trashRepository.restore(.deal, d.id)
        XCTAssertEqual(result.restored, [.followUp: 2])
        XCTAssertEqual(result.sentence, "Restored deal \"Renewal 2027\" with 2 follow-ups.")
        XCTAssertNil(try db.dealRepository.get(d.id)?.deletedAt)
        XCTAssertEqual(Set(try db.followUpRepository.open(dealID: d.id).map(\.followUp.id)), [call.id, quote.id])
        XCTAssertNotNil(try db.followUpRepository.get(old.id)?.deletedAt, "what was deleted on its own stays in the trash")
        XCTAssertEqual(try db.auditTrail(entity: "deal", id: d.id, limit: 1).first?.action, "restore")
        // Undo of the restore is the delete again, symmetric.
        try db.trashRepository.trash(.deal, d.id)
        XCTAssertEqual(try db.followUpRepository.open(dealID: d.id).count, 0)
    }

    /// A note, a call or a follow-up saved a moment after a colleague put
    /// the contact (or the deal) in the trash is refused with who did it and
    /// when, as a stale edit is: nothing lives on hidden in the trash after
    /// its author was told it was logged.
    func nothingNewHangsOnARecordInTheTrash() throws {
        let ana = try open()
        let contact = try ana.contactRepository.create(Contact(name: "Amélie Fournier"))
        let d = try deal(ana, "Fournier renewal", contactID: contact.id)
        let omid = try store.open("omid")
        clock.advance(by: 60)
        try ana.contactRepository.delete(contact.id)
        try ana.dealRepository.delete(d.id)
        func refusal(_ write: () throws -> Void) -> StaleEdit? {
            do { try write() } catch RepositoryError.stale(let stale) { return stale } catch { XCTFail("\(error)") }
            return nil
        }
        let note = refusal { _ = try omid.interactionRepository.log(Interaction(contactID: contact.id, kind: .note, occurredAt: start, body: "typed meanwhile")) }
        XCTAssertEqual(note?.deleted, true)
        XCTAssertEqual(note?.changedBy, "ana")
        XCTAssertEqual(note?.changedAt, clock.now)
        XCTAssertEqual(note?.sentence(time: nil), "The contact was deleted by ana meanwhile; your change was not saved")
        let follow = refusal { _ = try omid.followUpRepository.create(FollowUp(contactID: contact.id, title: "call back", dueAt: start)) }
        XCTAssertEqual(follow?.entity, "contact")
        let onDeal = refusal { _ = try omid.followUpRepository.create(FollowUp(dealID: d.id, title: "send the offer", dueAt: start)) }
        XCTAssertEqual(onDeal?.entity, "deal")
        XCTAssertEqual(try store.texts("SELECT count(*) FROM interactions WHERE body = 'typed meanwhile'", []), ["0"])
        XCTAssertEqual(try store.texts("SELECT count(*) FROM follow_ups WHERE title IN ('call back', 'send the offer')", []), ["0"])
        // Restored, the same writes go through.
        _ = try ana.trashRepository.restore(.contact, contact.id)
        XCTAssertNoThrow(try omid.interactionRepository.log(Interaction(contactID: contact.id, kind: .note, occurredAt: start, body: "typed meanwhile")))
    }

    func eachKindDeletedAndRestored() throws {
        let db = try open()
        let company = try db.companyRepository.create(Company(name: "Acme GmbH"))
        let contact = try db.contactRepository.create(Contact(name: "Jan Berg", companyID: company.id))
        let d = try deal(db, "Acme rollout", contactID: contact.id, companyID: company.id)
        let follow = try db.followUpRepository.create(FollowUp(contactID: contact.id, title: "ask for referral", dueAt: start))
        let note = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .note, occurredAt: start, body: "met at fair"))
        let call = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .call, direction: .outbound, occurredAt: start, subject: "intro call"))

        // Interaction and follow-up: alone.
        try db.interactionRepository.delete(call.id)
        XCTAssertEqual(try db.trashRepository.entries(kind: .interaction, after: nil, limit: 5).map(\.title), ["intro call"])
        XCTAssertEqual(try db.trashRepository.entries(kind: .interaction, after: nil, limit: 5).map(\.detail), ["Jan Berg"])
        XCTAssertEqual(try db.trashRepository.restore(.interaction, call.id).sentence, "Restored interaction \"intro call\".")
        try db.followUpRepository.delete(follow.id)
        _ = try db.trashRepository.restore(.followUp, follow.id)
        XCTAssertNil(try db.followUpRepository.get(follow.id)?.deletedAt)

        // Contact: its follow-ups go along and come back; its history stays with it.
        clock.advance(by: 60)
        try db.contactRepository.delete(contact.id)
        XCTAssertEqual(try db.trashRepository.entries(kind: .contact, after: nil, limit: 5).map(\.detail), ["Acme GmbH"])
        XCTAssertNil(try db.interactionRepository.get(note.id)?.deletedAt)
        XCTAssertNotNil(try db.followUpRepository.get(follow.id)?.deletedAt)
        XCTAssertThrowsError(try db.trashRepository.restore(.followUp, follow.id)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .belongsToAnother)
            XCTAssertEqual("\(error)", """
                Follow-up \(follow.id) went to the trash with contact \(contact.id) ("Jan Berg"): \
                restore that contact to bring it back (crm trash restore contact \(contact.id))
                """)
        }
        let back = try db.trashRepository.restore(.contact, contact.id)
        XCTAssertEqual(back.restored, [.followUp: 1])
        XCTAssertNil(try db.interactionRepository.get(note.id)?.deletedAt)

        // Company: its contacts and deals lose the link, and get it back.
        clock.advance(by: 60)
        try db.companyRepository.delete(company.id)
        XCTAssertNil(try db.contactRepository.get(contact.id)?.companyID)
        XCTAssertNil(try db.dealRepository.get(d.id)?.companyID)
        XCTAssertNil(try db.contactRepository.get(contact.id)?.deletedAt, "the contacts stay")
        XCTAssertEqual(try db.trashRepository.entries(kind: .company, after: nil, limit: 5).first?.dependents, 2)
        let company2 = try db.trashRepository.restore(.company, company.id)
        XCTAssertEqual(company2.relinked, [.contact: 1, .deal: 1])
        XCTAssertEqual(company2.sentence, "Restored company \"Acme GmbH\" linked again to 1 contact and 1 deal.")
        XCTAssertEqual(try db.contactRepository.get(contact.id)?.companyID, company.id)
        XCTAssertEqual(try db.dealRepository.get(d.id)?.companyID, company.id)

        // Deal.
        try db.dealRepository.delete(d.id)
        _ = try db.trashRepository.restore(.deal, d.id)
        XCTAssertNil(try db.dealRepository.get(d.id)?.deletedAt)
        XCTAssertEqual(try db.trashRepository.count(kind: nil), 0)
    }

    func restoreRefusesWhatIsNotInTheTrash() throws {
        let db = try open()
        let contact = try db.contactRepository.create(Contact(name: "Mina"))
        XCTAssertThrowsError(try db.trashRepository.restore(.contact, contact.id)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .notInTrash)
            XCTAssertEqual("\(error)", "Contact \(contact.id) (\"Mina\") is not in the trash: nothing to restore")
        }
        XCTAssertThrowsError(try db.trashRepository.restore(.deal, 999)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .notInTrash)
        }
        XCTAssertThrowsError(try db.trashRepository.trash(.deal, 999)) { error in
            guard case RepositoryError.notFound = error else { return XCTFail("\(error)") }
        }
    }

    func aContactWhoseCompanyWasPurgedComesBackWithoutItAndSaysSo() throws {
        let db = try open()
        let company = try db.companyRepository.create(Company(name: "Gone Ltd"))
        let contact = try db.contactRepository.create(Contact(name: "Omid Rahimi", companyID: company.id))
        try db.contactRepository.delete(contact.id)
        clock.advance(by: 60)
        try db.companyRepository.delete(company.id)
        let purged = try db.trashRepository.purge(kind: .company, deletedBefore: nil)
        XCTAssertEqual(purged.removed, [.company: 1])
        XCTAssertEqual(purged.sentence, "Purged for good: 1 company.")
        XCTAssertNil(try db.companyRepository.get(company.id))
        let back = try db.trashRepository.restore(.contact, contact.id)
        XCTAssertNil(try db.contactRepository.get(contact.id)?.companyID)
        XCTAssertTrue(back.sentence.contains("without its company \"Gone Ltd\", which was purged from the trash for good"), back.sentence)
        XCTAssertEqual(try db.contactRepository.search("Gone", filter: ContactFilter(), limit: 5).map(\.name), [],
                       "the company's name is no longer found on the contact")
        XCTAssertEqual(try db.contactRepository.search("Omid", filter: ContactFilter(), limit: 5).map(\.name), ["Omid Rahimi"])
        try store.checkIntegrity()
    }

    func purgeWithRetentionRemovesOnlyWhatIsOlderAndIsOneAuditedAction() throws {
        let db = try open()
        let contact = try db.contactRepository.create(Contact(name: "Old Contact"))
        let d = try deal(db, "Old deal", contactID: contact.id)
        let f = try db.followUpRepository.create(FollowUp(dealID: d.id, title: "chase", dueAt: start))
        try db.dealRepository.delete(d.id)
        try db.contactRepository.delete(contact.id)
        clock.advance(by: 80 * 86_400)
        let recent = try db.companyRepository.create(Company(name: "Recent"))
        try db.companyRepository.delete(recent.id)
        clock.advance(by: 11 * 86_400)   // the deal and contact: 91 days; the company: 11

        let auditBefore = try auditCount(db)
        let purged = try db.trashRepository.purgeExpired(days: 90)
        XCTAssertEqual(purged.removed, [.deal: 1, .followUp: 1, .contact: 1])
        XCTAssertNil(try db.dealRepository.get(d.id))
        XCTAssertNil(try db.followUpRepository.get(f.id))
        XCTAssertNil(try db.contactRepository.get(contact.id))
        XCTAssertEqual(try db.trashRepository.entries(kind: nil, after: nil, limit: 10).map(\.title), ["Recent"])
        XCTAssertEqual(try auditCount(db), auditBefore + 1, "one action in the audit log")
        let record = try XCTUnwrap(db.auditPage(AuditFilter(), after: nil, limit: 1).first)
        XCTAssertEqual([record.entity, record.action, record.userLogin], ["trash", "purge", "ana"])
        XCTAssertEqual(record.changes["reason"]?.new, .text("retention 90 days"))
        XCTAssertEqual(record.changes["deal"]?.new, .text("\(d.id)"))
        try store.checkIntegrity()
        XCTAssertEqual(try db.trashRepository.purgeExpired(days: 90).total, 0)
        XCTAssertEqual(try auditCount(db), auditBefore + 1, "nothing purged: nothing audited")
    }

    func purgingByKindAndDateLeavesTheRest() throws {
        let db = try open()
        let older = try db.contactRepository.create(Contact(name: "Older"))
        try db.contactRepository.delete(older.id)
        let company = try db.companyRepository.create(Company(name: "Older Co"))
        try db.companyRepository.delete(company.id)
        clock.advance(by: 10 * 86_400)
        let newer = try db.contactRepository.create(Contact(name: "Newer"))
        try db.contactRepository.delete(newer.id)

        let purged = try db.trashRepository.purge(kind: .contact, deletedBefore: start.addingTimeInterval(86_400))
        XCTAssertEqual(purged.removed, [.contact: 1])
        XCTAssertEqual(try db.trashRepository.entries(kind: nil, after: nil, limit: 10).map(\.title), ["Newer", "Older Co"])
        let record = try XCTUnwrap(db.auditPage(AuditFilter(), after: nil, limit: 1).first)
        XCTAssertEqual(record.changes["reason"]?.new, .text("purge"))
        XCTAssertEqual(try db.trashRepository.purge(kind: nil, deletedBefore: nil).removed, [.contact: 1, .company: 1])
        XCTAssertEqual(try db.auditPage(AuditFilter(), after: nil, limit: 1).first?.changes["reason"]?.new, .text("empty"))
        XCTAssertEqual(try db.trashRepository.count(kind: nil), 0)
        XCTAssertEqual(try db.trashRepository.purge(kind: nil, deletedBefore: nil).sentence, "Nothing to purge: the trash holds nothing that old.")
    }

    func purgingAContactTakesItsHistoryButNotASharedDealsRecord() throws {
        let db = try open()
        let contact = try db.contactRepository.create(Contact(name: "Gone"))
        let d = try deal(db, "Kept deal", contactID: contact.id)
        let own = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .note, occurredAt: start, body: "only about them"))
        let shared = try db.interactionRepository.log(Interaction(contactID: contact.id, dealID: d.id, kind: .call, direction: .outbound, occurredAt: start))
        try db.contactRepository.delete(contact.id)
        XCTAssertEqual(try db.trashRepository.purge(kind: nil, deletedBefore: nil).removed, [.contact: 1, .interaction: 1])
        XCTAssertNil(try db.interactionRepository.get(own.id))
        XCTAssertNil(try db.interactionRepository.get(shared.id)?.contactID, "the deal's record stays, without the contact")
        XCTAssertNil(try db.dealRepository.get(d.id)?.contactID)
        try store.checkIntegrity()
    }

    /// A contact's lifecycle history and a deal's stage history go with it.
    func purgingRecordsWithHistoryLeavesNothingPointingAtThem() throws {
        let db = try open()
        var contact = try db.contactRepository.create(Contact(name: "Was a customer"))
        contact.lifecycle = .customer
        contact = try db.contactRepository.update(contact)
        let d = try deal(db, "Moved deal", contactID: contact.id)
        let stages = try db.pipelineRepository.stages(pipelineID: d.pipelineID)
        _ = try db.dealRepository.move(d.id, toStage: stages[1].id, expectedVersion: d.version)
        try db.dealRepository.delete(d.id)
        try db.contactRepository.delete(contact.id)
        XCTAssertEqual(try db.trashRepository.purge(kind: nil, deletedBefore: nil).removed, [.contact: 1, .deal: 1, .interaction: 1],
                       "the deal's stage-change record goes with the deal and the contact")
        XCTAssertNil(try db.contactRepository.get(contact.id))
        XCTAssertNil(try db.dealRepository.get(d.id))
        try store.checkIntegrity()
    }

    /// A contact an import merged into keeps that merge for the batch's
    /// undo (`import_merges`): purging it takes the merge along (the purge
    /// failed on it), and undoing the import afterwards leaves it gone.
    func purgingAContactAnImportMergedIntoTakesTheMergeAlong() throws {
        let db = try open()
        let ada = try db.contactRepository.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        let (summary, _) = try ImportContract.run(db, [
            ImportContract.row(2, "Ada Lovelace", emails: ["ada@example.com"], title: "Countess"),
            ImportContract.row(3, "Grace Hopper", emails: ["grace@example.com"]),
        ], ImportOptions(label: "f.csv", onDuplicate: .merge))
        XCTAssertEqual(summary.merged, 1)
        try db.contactRepository.delete(ada.id)
        XCTAssertEqual(try db.trashRepository.purge(kind: .contact, deletedBefore: nil).removed, [.contact: 1])
        XCTAssertNil(try db.contactRepository.get(ada.id))
        _ = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
        XCTAssertNil(try db.contactRepository.get(ada.id), "the undo does not bring back a purged contact")
        XCTAssertEqual(try db.contactRepository.search("Grace", filter: ContactFilter(), limit: 5).count, 0, "the created one is undone")
        try store.checkIntegrity()
    }

    func onlyAnAdminPurges() throws {
        let db = try open()
        let c = try db.contactRepository.create(Contact(name: "Kept"))
        try db.contactRepository.delete(c.id)
        let rita = try store.open("rita")
        XCTAssertEqual(rita.currentUser.role, .rep)
        XCTAssertThrowsError(try rita.trashRepository.purge(kind: nil, deletedBefore: nil)) { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .notPermitted)
            XCTAssertEqual("\(error)", "Only an admin empties the trash; you are rita, a rep. Nothing was purged")
        }
        XCTAssertNotNil(try db.contactRepository.get(c.id))
        _ = try rita.trashRepository.restore(.contact, c.id)   // a rep restores
        XCTAssertNil(try db.contactRepository.get(c.id)?.deletedAt)
    }

    func theListPagesByKeyset() throws {
        let db = try open()
        for i in 0..<7 {
            let c = try db.contactRepository.create(Contact(name: "C\(i)"))
            try db.contactRepository.delete(c.id)
            if i % 2 == 0 { clock.advance(by: 1) }   // some share a second
        }
        // A deal and a follow-up deleted at the same second as C6: the kind orders them.
        let d = try deal(db, "D")
        try db.dealRepository.delete(d.id)
        let f = try db.followUpRepository.create(FollowUp(title: "F", dueAt: start))
        try db.followUpRepository.delete(f.id)
        var seen: [String] = [], cursor: TrashCursor?
        while true {
            let page = try db.trashRepository.entries(kind: .contact, after: cursor, limit: 3)
            seen += page.map(\.title)
            guard let last = page.last else { break }
            cursor = last.cursor
        }
        XCTAssertEqual(seen, ["C6", "C5", "C4", "C3", "C2", "C1", "C0"])
        var all: [String] = []
        cursor = nil
        while true {
            let page = try db.trashRepository.entries(kind: nil, after: cursor, limit: 2)
            all += page.map(\.title)
            guard let last = page.last else { break }
            cursor = last.cursor
        }
        XCTAssertEqual(all, ["F", "D", "C6", "C5", "C4", "C3", "C2", "C1", "C0"])
        XCTAssertEqual(try db.trashRepository.count(kind: .contact), 7)
        XCTAssertEqual(try db.trashRepository.count(kind: .deal), 1)
        XCTAssertEqual(try db.trashRepository.count(kind: nil), 9)
        XCTAssertEqual(try db.trashRepository.count(kind: .interaction), 0)
    }
}
