import CRMCore
import CRMExchange
import CRMRepositories
import Foundation
import XCTest

/// `crm export`'s rows and the listing commands' deals and follow-ups,
/// written once against the seam and run on both engines
/// (SQLite/PostgresExportListingContractTests).
struct ExportListingContract {
    let fixture: EngineFixture
    var open: (String) throws -> EngineSession { fixture.open }

    /// Every page of `page`, keyset by id as the Exporter pages.
    private func all<Row>(_ pageSize: Int, _ id: (Row) -> Int64, _ page: (Int64?, Int) throws -> [Row]) throws -> [Row] {
        var rows: [Row] = []
        var after: Int64?
        while true {
            let part = try page(after, pageSize)
            rows += part
            guard part.count == pageSize, let last = part.last else { return rows }
            XCTAssertTrue(part.map(id) == part.map(id).sorted(), "a page is in id order")
            after = id(last)
        }
    }

    func exportPagesHoldLiveRowsInIDOrderWithTheirNames() throws {
        let book = try ExportBook(fixture: fixture)
        let w = try book.write()
        let export = book.sara.repositories.exportRepository
        // Tom (five addresses) is in the trash: three columns, Reza's.
        XCTAssertEqual(try export.contactFieldCounts(), ContactFieldCounts(emails: 3, phones: 2))
        let contacts = try all(2, { $0.contact.id }, export.contacts)
        XCTAssertEqual(contacts.map(\.contact.id), ["ada", "maria", "reza", "wei"].map { w.contacts[$0]! })
        let ada = try XCTUnwrap(contacts.first)
        XCTAssertEqual(ada.companyName, "Acme GmbH")
        XCTAssertEqual(ada.ownerLogin, "sara")
        XCTAssertEqual(ada.contact.emails.map(\.address), ["ada@acme.de", "ada@home.example"])
        XCTAssertEqual(ada.contact.phones.map(\.label), ["office", "mobile"])
        XCTAssertEqual(ada.contact.tags, ["alpha", "Berlin", "vip", "älter"], "NOCASE order: ASCII case ignored, the rest byte-wise")
        XCTAssertEqual(contacts[2].contact.emails.count, 3, "the trashed contact's addresses beside it stay with no one")
        XCTAssertEqual(contacts[2].ownerLogin, "omid")
        XCTAssertEqual(contacts[3].contact.tags, [])

        let companies = try all(1, { $0.company.id }, export.companies)
        XCTAssertEqual(companies.map(\.company.name), ["Acme GmbH", "Ünal & Söhne"])
        XCTAssertEqual(companies.map(\.ownerLogin), ["sara", "omid"])

        let deals = try all(2, { $0.deal.id }, export.deals)
        XCTAssertEqual(deals.map(\.deal.id), ["rollout", "won", "lost"].map { w.deals[$0]! })
        XCTAssertEqual(deals.map(\.stageName), ["Offer", "Won", "Lost"])
        XCTAssertEqual(deals.map(\.probability), [60, 100, 0])
        XCTAssertEqual(deals.map(\.pipelineName), ["Sales", "Sales", "Sales"])
        XCTAssertEqual(deals[0].contactName, "Ada Lovelace")
        XCTAssertEqual(deals[0].companyName, "Acme GmbH")
        XCTAssertEqual(deals[1].ownerLogin, "omid")
        XCTAssertEqual(deals[2].deal.lostReason, "price; \"too high\"")
        XCTAssertNotNil(deals[1].deal.closedAt)

        let interactions = try all(2, { $0.interaction.id }, export.interactions)
        XCTAssertFalse(interactions.contains { $0.interaction.id == w.interactions["oops"] })
        let call = try XCTUnwrap(interactions.first { $0.interaction.id == w.interactions["call"] })
        XCTAssertEqual(call.authorLogin, "sara")
        XCTAssertEqual(call.contactName, "Ada Lovelace")
        XCTAssertEqual(call.companyName, "Acme GmbH", "a contact's interaction is also its company's")
        XCTAssertEqual(call.interaction.durationSeconds, 754)
        let note = try XCTUnwrap(interactions.first { $0.interaction.id == w.interactions["note"] })
        XCTAssertEqual(note.dealTitle, "Acme rollout, phase 2")
        XCTAssertEqual(interactions.filter { $0.interaction.kind == .stageChange }.count, 3, "each move is on the timeline")

        let followUps = try all(2, { $0.followUp.id }, export.followUps)
        XCTAssertEqual(followUps.map(\.followUp.id), ["offer", "omid's", "done", "cancelled"].map { w.followUps[$0]! })
        XCTAssertEqual(followUps[1].assigneeLogin, "omid")
        XCTAssertEqual(followUps[1].createdByLogin, "sara")
        XCTAssertEqual(followUps[1].dealTitle, "Acme rollout, phase 2")
        XCTAssertEqual(followUps[2].followUp.status, .done)
        XCTAssertEqual(followUps[2].updatedAt, followUps[2].followUp.doneAt)
        XCTAssertEqual(followUps[3].followUp.cancelReason, "trip cancelled")
        XCTAssertEqual(followUps[0].contactName, "Ada Lovelace")

        // Past the end, and an empty page.
        XCTAssertEqual(try export.contacts(after: w.contacts["wei"], limit: 10), [])
        XCTAssertEqual(try export.deals(after: nil, limit: 0), [])
    }

    /// A whole export sees one moment: what another session writes while it
    /// runs shows in the next export, never half in this one.
    func anExportReadsOneMomentWhileOthersWrite() throws {
        let sara = try open("sara"), omid = try open("omid")
        let first = try sara.repositories.contactRepository.create(Contact(name: "First"))
        let export = sara.repositories.exportRepository
        let (before, during) = try export.consistentRead { () -> ([Int64], [Int64]) in
            let before = try export.contacts(after: nil, limit: 10).map(\.contact.id)
            _ = try omid.repositories.contactRepository.create(Contact(name: "Written meanwhile"))
            return (before, try export.contacts(after: nil, limit: 10).map(\.contact.id))
        }
        XCTAssertEqual(before, [first.id])
        XCTAssertEqual(during, [first.id], "the export does not see what was committed after it began")
        XCTAssertEqual(try export.contacts(after: nil, limit: 10).count, 2)
    }

    // MARK: the listing commands

    func dealsAreListedByEveryFilterAPageAtATime() throws {
        let sara = try open("sara"), omid = try open("omid")
        let r = sara.repositories
        let sales = try r.pipelineRepository.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Offer", position: 1, probability: 50),
            Stage(pipelineID: 0, name: "Won", position: 2, probability: 100, kind: .won),
        ])
        let renewals = try r.pipelineRepository.createPipeline("Renewals", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 20),
        ])
        let s = try r.pipelineRepository.stages(pipelineID: sales.id)
        let renewalLead = try XCTUnwrap(r.pipelineRepository.stages(pipelineID: renewals.id).first)
        let acme = try r.companyRepository.create(Company(name: "Acme"))
        let ada = try r.contactRepository.create(Contact(name: "Ada", companyID: acme.id))
        func deal(_ title: String, _ stage: Stage, owner: EngineSession) throws -> Deal {
            try owner.repositories.dealRepository.create(Deal(pipelineID: stage.pipelineID, stageID: stage.id, title: title,
                                                              value: Money(minorUnits: 100, currency: .eur), contactID: ada.id,
                                                              companyID: acme.id))
        }
        let a = try deal("A", s[0], owner: sara)
        let b = try deal("B", s[1], owner: omid)
        var c = try deal("C", s[0], owner: sara)
        c = try r.dealRepository.move(c.id, toStage: s[2].id, expectedVersion: c.version)
        let d = try deal("D", renewalLead, owner: omid)
        let e = try deal("E", s[1], owner: sara)
        let gone = try deal("Gone", s[1], owner: sara)
        try r.dealRepository.delete(gone.id)
        _ = try r.interactionRepository.log(Interaction(dealID: b.id, kind: .call, occurredAt: fixture.clock.now.addingTimeInterval(-60)))

        let listing = r.listingRepository
        func ids(_ filter: DealListFilter, pageSize: Int = 100) throws -> [Int64] {
            try all(pageSize, { $0.id }, { try listing.deals(filter, afterID: $0, limit: $1) }).map(\.id)
        }
        XCTAssertEqual(try ids(DealListFilter()), [a, b, c, d, e].map(\.id), "live deals, by id; the trashed one is not listed")
        XCTAssertEqual(try ids(DealListFilter(), pageSize: 2), [a, b, c, d, e].map(\.id))
        XCTAssertEqual(try ids(DealListFilter(pipelineID: renewals.id)), [d.id])
        XCTAssertEqual(try ids(DealListFilter(stageIDs: [s[1].id])), [b.id, e.id])
        XCTAssertEqual(try ids(DealListFilter(stageIDs: [s[0].id, renewalLead.id])), [a.id, d.id], "a stage name can name one stage per pipeline")
        XCTAssertEqual(try ids(DealListFilter(status: .won)), [c.id])
        XCTAssertEqual(try ids(DealListFilter(status: .open), pageSize: 1), [a, b, d, e].map(\.id))
        XCTAssertEqual(try ids(DealListFilter(ownerID: omid.userID)), [b.id, d.id])
        XCTAssertEqual(try ids(DealListFilter(pipelineID: sales.id, stageIDs: [s[1].id], status: .open, ownerID: sara.userID)), [e.id])
        XCTAssertEqual(try ids(DealListFilter(pipelineID: renewals.id, status: .won)), [])
        XCTAssertEqual(try listing.deals(DealListFilter(), afterID: c.id, limit: 1).map(\.id), [d.id])

        let card = try XCTUnwrap(listing.deals(DealListFilter(stageIDs: [s[1].id]), afterID: nil, limit: 1).first)
        XCTAssertEqual(card.deal.title, "B")
        XCTAssertEqual(card.contactName, "Ada")
        XCTAssertEqual(card.companyName, "Acme")
        XCTAssertEqual(card.ownerLogin, "omid")
        XCTAssertEqual(card.stageName, "Offer")
        XCTAssertEqual(card.lastInteractionAt, fixture.clock.now.addingTimeInterval(-60))
    }

    func aCompanysOpenFollowUpsComeThroughItsContactsAndDeals() throws {
        let sara = try open("sara"), omid = try open("omid")
        let r = sara.repositories
        let acme = try r.companyRepository.create(Company(name: "Acme"))
        let other = try r.companyRepository.create(Company(name: "Other"))
        let ada = try r.contactRepository.create(Contact(name: "Ada", companyID: acme.id))
        let bob = try r.contactRepository.create(Contact(name: "Bob", companyID: acme.id))
        let gone = try r.contactRepository.create(Contact(name: "Gone", companyID: acme.id))
        let stranger = try r.contactRepository.create(Contact(name: "Stranger", companyID: other.id))
        let p = try r.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let lead = try XCTUnwrap(r.pipelineRepository.stages(pipelineID: p.id).first)
        let deal = try r.dealRepository.create(Deal(pipelineID: p.id, stageID: lead.id, title: "Acme deal",
                                                    value: .zero(.eur), contactID: stranger.id, companyID: acme.id))
        let otherDeal = try r.dealRepository.create(Deal(pipelineID: p.id, stageID: lead.id, title: "Other deal",
                                                         value: .zero(.eur), companyID: other.id))
        let now = fixture.clock.now
        func due(_ days: Double) -> Date { now.addingTimeInterval(days * 86_400) }
        let f = r.followUpRepository
        let late = try f.create(FollowUp(contactID: bob.id, title: "Late", dueAt: due(-2)))
        let viaDeal = try f.create(FollowUp(dealID: deal.id, assigneeID: omid.userID, title: "Via the deal", dueAt: due(1)))
        let sameTimeA = try f.create(FollowUp(contactID: ada.id, title: "Same time A", dueAt: due(3)))
        let sameTimeB = try f.create(FollowUp(contactID: ada.id, dealID: deal.id, title: "Same time B", dueAt: due(3)))
        var done = try f.create(FollowUp(contactID: ada.id, title: "Done", dueAt: due(0)))
        done.status = .done
        _ = try f.update(done)
        let trashed = try f.create(FollowUp(contactID: ada.id, title: "Trashed", dueAt: due(0)))
        try f.delete(trashed.id)
        _ = try f.create(FollowUp(contactID: gone.id, title: "Of a trashed contact", dueAt: due(0)))
        try r.contactRepository.delete(gone.id)
        _ = try f.create(FollowUp(contactID: stranger.id, title: "Of another company's contact", dueAt: due(0)))
        _ = try f.create(FollowUp(dealID: otherDeal.id, title: "Of another company's deal", dueAt: due(0)))

        let rows = try r.listingRepository.openFollowUps(companyID: acme.id)
        XCTAssertEqual(rows.map(\.id), [late.id, viaDeal.id, sameTimeA.id, sameTimeB.id], "soonest first, then by id; each once")
        XCTAssertEqual(rows[0].contactName, "Bob")
        XCTAssertEqual(rows[0].companyName, "Acme")
        XCTAssertEqual(rows[1].dealTitle, "Acme deal")
        XCTAssertEqual(rows[1].assigneeLogin, "omid")
        XCTAssertEqual(try r.listingRepository.openFollowUps(companyID: other.id).map(\.followUp.title),
                       ["Of another company's contact", "Of another company's deal"])
        XCTAssertEqual(try r.listingRepository.openFollowUps(companyID: 9_999), [])
    }
}
