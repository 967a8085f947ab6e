import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// The everyday records (companies, contacts, interactions, follow-ups,
/// deals), their paging and their audit trail, written once against the
/// protocols and run on both engines (RecordContractTests). These were the
/// SQLite-only RepositoryCRUDTests, ContactRepositoryTests, PagingTests and
/// AuditTrailTests' page checks.
struct RecordRepositoryContract {
    let store: ContractStore

    func open(_ login: String = "tester") throws -> any CRMRepositories { try store.open(login) }

    // MARK: companies, interactions, follow-ups, deals

    func companies() throws {
        let db = try open()
        var company = try db.companyRepository.create(Company(name: "北京科技", domain: "bj.example.cn"))
        company.notes = "key account"
        company = try db.companyRepository.update(company)
        XCTAssertEqual(company.version, 2)
        XCTAssertEqual(try db.companyRepository.search("北京", limit: 5).map(\.id), [company.id])
        XCTAssertEqual(try db.companyRepository.find(name: "北京科技")?.id, company.id)
        // A name typed without accents, or with Arabic letter forms, finds the company as the import does.
        let societe = try db.companyRepository.create(Company(name: "Société Générale"))
        let pishgaman = try db.companyRepository.create(Company(name: "شرکت بازرگانی پیشگامان"))
        XCTAssertEqual(try db.companyRepository.find(name: "societe generale")?.id, societe.id)
        XCTAssertEqual(try db.companyRepository.find(name: "شركت بازرگاني پيشگامان")?.id, pishgaman.id)
        XCTAssertNil(try db.companyRepository.find(name: "Société"))
        XCTAssertNil(try db.companyRepository.find(name: "--"))
        try db.companyRepository.delete(societe.id)
        try db.companyRepository.delete(pishgaman.id)
        try db.companyRepository.delete(company.id)
        XCTAssertTrue(try db.companyRepository.list(after: nil, limit: 10).isEmpty)
        try db.companyRepository.restore(company.id)
        XCTAssertEqual(try db.companyRepository.list(after: nil, limit: 10).map(\.name), ["北京科技"])
        XCTAssertThrowsError(try db.companyRepository.create(Company(name: ""))) { error in
            XCTAssertEqual((error as? ValidationFailure)?.errors.first?.field, "name")
        }
    }

    func interactionsTimelineNewestFirstAndPaged() throws {
        let db = try open()
        let company = try db.companyRepository.create(Company(name: "Acme"))
        let contact = try db.contactRepository.create(Contact(name: "Ada", companyID: company.id))
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        for i in 0..<7 {
            _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .call, direction: .outbound,
                                                             occurredAt: base.addingTimeInterval(Double(i) * 60), durationSeconds: 30,
                                                             body: "call \(i)"))
        }
        let first = try db.interactionRepository.timeline(.contact(contact.id), before: nil, limit: 4)
        XCTAssertEqual(first.map(\.interaction.body), ["call 6", "call 5", "call 4", "call 3"])
        XCTAssertEqual(first.first?.authorLogin, "tester")
        let next = try db.interactionRepository.timeline(.contact(contact.id), before: try XCTUnwrap(first.last).cursor, limit: 4)
        XCTAssertEqual(next.map(\.interaction.body), ["call 2", "call 1", "call 0"])
        XCTAssertEqual(try db.interactionRepository.timeline(.company(company.id), before: nil, limit: 100).count, 7)
        XCTAssertEqual(try db.contactRepository.summary(contact.id)?.lastInteractionAt, base.addingTimeInterval(360))

        var edited = first[0].interaction
        edited.outcome = "voicemail"
        edited = try db.interactionRepository.update(edited)
        XCTAssertEqual(edited.version, 2)
        try db.interactionRepository.delete(edited.id)
        XCTAssertEqual(try db.contactRepository.summary(contact.id)?.lastInteractionAt, base.addingTimeInterval(300))
        try db.interactionRepository.restore(edited.id)
        XCTAssertEqual(try db.contactRepository.summary(contact.id)?.lastInteractionAt, base.addingTimeInterval(360))
        XCTAssertThrowsError(try db.interactionRepository.log(Interaction(kind: .note, body: "orphan"))) { error in
            XCTAssertEqual((error as? ValidationFailure)?.errors.first?.field, "contact")
        }
    }

    func followUpsByDueWindowAndAssignee() throws {
        let db = try open("sara")
        let omid = try open("omid").currentUser
        let contact = try db.contactRepository.create(Contact(name: "Ada"))
        let now = Date()
        let overdue = try db.followUpRepository.create(FollowUp(contactID: contact.id, title: "send quote", dueAt: now.addingTimeInterval(-3600)))
        _ = try db.followUpRepository.create(FollowUp(contactID: contact.id, assigneeID: omid.id, title: "call back", dueAt: now.addingTimeInterval(3600)))
        _ = try db.followUpRepository.create(FollowUp(contactID: contact.id, title: "renewal", dueAt: now.addingTimeInterval(86400 * 3)))
        XCTAssertEqual(try db.followUpRepository.due(from: nil, to: now, assigneeID: nil, limit: 10).map(\.followUp.title), ["send quote"])
        XCTAssertEqual(try db.followUpRepository.due(from: now, to: nil, assigneeID: db.currentUser.id, limit: 10).map(\.followUp.title), ["renewal"])
        XCTAssertEqual(try db.followUpRepository.due(from: nil, to: nil, assigneeID: omid.id, limit: 10).first?.assigneeLogin, "omid")
        var done = overdue
        done.status = .done
        done = try db.followUpRepository.update(done)
        XCTAssertNotNil(done.doneAt)
        XCTAssertEqual(try db.followUpRepository.open(contactID: contact.id).count, 2)
        try db.followUpRepository.delete(done.id)
        try db.followUpRepository.restore(done.id)
        XCTAssertThrowsError(try db.followUpRepository.create(FollowUp(title: "", dueAt: now))) { error in
            XCTAssertEqual((error as? ValidationFailure)?.errors.first?.field, "title")
        }
    }

    func dealsByStageMoveWithHistoryAndStaleMove() throws {
        let db = try open("sara")
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Proposal", position: 1, probability: 50, rotDays: 14),
        ])
        let stages = try db.pipelineRepository.stages(pipelineID: pipeline.id)
        XCTAssertEqual(stages.map(\.name), ["Lead", "Proposal", "Won", "Lost"])
        let contact = try db.contactRepository.create(Contact(name: "Ada"))
        let deal = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "Engine",
                                                     value: try Money.parse("12,500.00", currency: .eur), contactID: contact.id))
        XCTAssertEqual(try db.dealRepository.cards(stageID: stages[0].id, filter: .init(), after: nil, limit: 10).map(\.deal.title), ["Engine"])
        let moved = try db.dealRepository.move(deal.id, toStage: stages[1].id, expectedVersion: deal.version)
        XCTAssertEqual(moved.stageID, stages[1].id)
        XCTAssertEqual(try db.dealRepository.history(dealID: deal.id).map(\.toStageID), [stages[0].id, stages[1].id])
        XCTAssertEqual(try db.interactionRepository.timeline(.contact(contact.id), before: nil, limit: 5).first?.interaction.kind, .stageChange)

        // A colleague's stale view of the deal cannot move it again.
        let other = try open("omid")
        XCTAssertThrowsError(try other.dealRepository.move(deal.id, toStage: stages[2].id, expectedVersion: deal.version)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedBy, "sara")
        }
        let won = try db.dealRepository.move(deal.id, toStage: stages[2].id, expectedVersion: moved.version)
        XCTAssertEqual(won.status, .won)
        XCTAssertNotNil(won.closedAt)
        XCTAssertEqual(try db.dealRepository.deals(contactID: contact.id).map(\.stageName), ["Won"])
    }

    // MARK: contacts

    func contactCreateReadUpdateDeleteRestore() throws {
        let db = try open()
        let company = try db.companyRepository.create(Company(name: "Müller GmbH", domain: "mueller.de"))
        var contact = try db.contactRepository.create(Contact(
            name: "Jürgen Müller", title: "Einkauf", companyID: company.id,
            emails: [EmailAddress("j.mueller@mueller.de", label: "work")],
            phones: [PhoneNumber("+49 30 1234-5678"), PhoneNumber("0171 555 0101", label: "mobile")],
            tags: ["vip", "berlin"], lifecycle: .customer, source: "fair"))
        XCTAssertEqual(contact.version, 1)
        XCTAssertEqual(contact.ownerID, db.currentUser.id)
        XCTAssertEqual(contact.tags, ["berlin", "vip"])
        XCTAssertEqual(contact.phones.map(\.label), ["", "mobile"])

        contact.title = "Leitung Einkauf"
        contact.emails.append(EmailAddress("juergen@example.org"))
        let updated = try db.contactRepository.update(contact)
        XCTAssertEqual(updated.version, 2)
        XCTAssertEqual(updated.emails.count, 2)
        XCTAssertEqual(try db.auditTrail(entity: "contact", id: contact.id, limit: 1).first?.changes.keys.sorted(), ["emails", "title"])

        let summary = try XCTUnwrap(db.contactRepository.summary(contact.id))
        XCTAssertEqual(summary.companyName, "Müller GmbH")
        XCTAssertEqual(summary.email, "j.mueller@mueller.de")
        XCTAssertEqual(summary.phone, "+49 30 1234-5678")

        try db.contactRepository.delete(contact.id)
        XCTAssertEqual(try db.contactRepository.count(filter: .init()), 0)
        XCTAssertEqual(try db.contactRepository.deleted(limit: 10).map(\.id), [contact.id])
        try db.contactRepository.restore(contact.id)
        XCTAssertEqual(try db.contactRepository.count(filter: .init()), 1)
    }

    func anInvalidContactIsRefusedNamingTheField() throws {
        let db = try open()
        XCTAssertThrowsError(try db.contactRepository.create(Contact(name: " ", emails: [EmailAddress("not-an-email")]))) { error in
            let failure = error as? ValidationFailure
            XCTAssertEqual(failure?.errors.map(\.field), ["name", "email"])
            XCTAssertTrue(failure?.message(for: "email")?.contains("not-an-email") ?? false)
        }
        XCTAssertEqual(try db.contactRepository.count(filter: .init()), 0)
    }

    func aStaleContactUpdateIsRefusedAndTheRowUnchanged() throws {
        let alice = try open("alice"), bob = try open("bob")
        let created = try alice.contactRepository.create(Contact(name: "Li Na", title: "CTO"))
        var bobsCopy = try XCTUnwrap(bob.contactRepository.get(created.id))
        bobsCopy.title = "CEO"
        _ = try bob.contactRepository.update(bobsCopy)

        var alicesCopy = created
        alicesCopy.notes = "met at fair"
        XCTAssertThrowsError(try alice.contactRepository.update(alicesCopy)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("expected stale, got \(error)") }
            XCTAssertEqual(stale.changedBy, "bob")
            XCTAssertEqual(stale.changedFields, ["title"])
            XCTAssertEqual(stale.currentVersion, 2)
            XCTAssertTrue(stale.description.contains("bob"))
        }
        let stored = try XCTUnwrap(alice.contactRepository.get(created.id))
        XCTAssertEqual(stored.title, "CEO")
        XCTAssertEqual(stored.notes, "")
        XCTAssertEqual(stored.version, 2)
    }

    func softDeleteHidesAndRestoreBringsBackTheTimeline() throws {
        let db = try open()
        let contact = try db.contactRepository.create(Contact(name: "زهرا احمدی"))
        _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .call, direction: .inbound, body: "asked for a quote"))
        try db.contactRepository.delete(contact.id)
        XCTAssertTrue(try db.contactRepository.search("زهرا", filter: .init(), limit: 10).isEmpty)
        XCTAssertTrue(try db.contactRepository.list(sort: .name, filter: .init(), cursor: nil, direction: .forward, limit: 10).isEmpty)
        try db.contactRepository.restore(contact.id)
        XCTAssertEqual(try db.contactRepository.search("زهرا", filter: .init(), limit: 10).map(\.id), [contact.id])
        let timeline = try db.interactionRepository.timeline(.contact(contact.id), before: nil, limit: 10)
        XCTAssertEqual(timeline.map(\.interaction.body), ["asked for a quote"])
    }

    func contactFiltersByOwnerTagLifecycleAndCompany() throws {
        let db = try open("sara")
        let omid = try open("omid").currentUser
        let acme = try db.companyRepository.create(Company(name: "Acme"))
        _ = try db.contactRepository.create(Contact(name: "A", companyID: acme.id, tags: ["vip"], lifecycle: .customer))
        _ = try db.contactRepository.create(Contact(name: "B", ownerID: omid.id, lifecycle: .prospect))
        _ = try db.contactRepository.create(Contact(name: "C", tags: ["vip"], ownerID: omid.id, lifecycle: .customer))
        func names(_ f: ContactFilter) throws -> [String] {
            try db.contactRepository.list(sort: .name, filter: f, cursor: nil, direction: .forward, limit: 10).map(\.name)
        }
        XCTAssertEqual(try names(.init(ownerID: omid.id)), ["B", "C"])
        XCTAssertEqual(try names(.init(tag: "vip")), ["A", "C"])
        XCTAssertEqual(try names(.init(lifecycle: .customer)), ["A", "C"])
        XCTAssertEqual(try names(.init(companyID: acme.id)), ["A"])
        XCTAssertEqual(try names(.init(ownerID: omid.id, tag: "vip")), ["C"])
        XCTAssertEqual(try db.contactRepository.allTags(), ["vip"])
    }

    /// One tag per name whatever its letters' case (schema 78 on SQLite, the
    /// unique index on lower(name) on PostgreSQL): typed "über" is the tag
    /// "Über", and a filter finds it by either.
    func tagsAreOneWhateverTheCaseOfTheirLetters() throws {
        let db = try open("sara")
        _ = try db.contactRepository.create(Contact(name: "Anna", tags: ["Über", "VIP"]))
        _ = try db.contactRepository.create(Contact(name: "Bernd", tags: ["über", "ärger"]))
        _ = try db.contactRepository.create(Contact(name: "Clara", tags: ["ÜBER", "ÄRGER", "vip"]))
        XCTAssertEqual(try db.contactRepository.allTags(), ["VIP", "Über", "ärger"], "A–Z without case, then the rest")
        func names(_ f: ContactFilter) throws -> [String] {
            try db.contactRepository.list(sort: .name, filter: f, cursor: nil, direction: .forward, limit: 10).map(\.name)
        }
        for typed in ["über", "Über", "ÜBER", "u\u{0308}ber"] { XCTAssertEqual(try names(.init(tag: typed)), ["Anna", "Bernd", "Clara"], typed) }
        XCTAssertEqual(try names(.init(tag: "ÄRGER")), ["Bernd", "Clara"])
        XCTAssertEqual(try names(.init(tag: "uber")), [], "case, not accents")
        let clara = try XCTUnwrap(try db.contactRepository.search("Clara", filter: .init(), limit: 1).first)
        XCTAssertEqual(Set(try XCTUnwrap(try db.contactRepository.get(clara.id)).tags), ["Über", "ärger", "VIP"])
        // Typed in several cases in one save: the first spelling, not one at
        // random; a dotted İ and a decomposed accent are the same letters.
        let dora = try db.contactRepository.create(Contact(name: "Dora", tags: ["Alfa", "ALFA", "Bravo", "BRAVO", "İstanbul", "u\u{0308}ber"]))
        XCTAssertEqual(Set(try XCTUnwrap(try db.contactRepository.get(dora.id)).tags), ["Alfa", "Bravo", "İstanbul", "Über"])
        _ = try db.contactRepository.create(Contact(name: "Emil", tags: ["istanbul"]))
        XCTAssertEqual(try names(.init(tag: "ISTANBUL")), ["Dora", "Emil"])
        // Retyping a tag in another case changes nothing.
        var retyped = try XCTUnwrap(try db.contactRepository.get(dora.id))
        retyped.tags = ["ALFA", "bravo", "İSTANBUL", "über"]
        let saved = try db.contactRepository.update(retyped)
        XCTAssertEqual(Set(saved.tags), ["Alfa", "Bravo", "İstanbul", "Über"])
        XCTAssertEqual(saved.version, retyped.version, "nothing changed, nothing written")
        XCTAssertEqual(try db.contactRepository.allTags().count, 6)
    }

    // MARK: paging

    func keysetPagingVisitsEveryRowOnceInOrderWhileRowsAreInserted() throws {
        let db = try open()
        var expected: [String] = []
        for i in 0..<95 {
            let name = String(format: "Contact %03d", i * 2)
            _ = try db.contactRepository.create(Contact(name: name))
            expected.append(name)
        }
        var seen: [String] = []
        var cursor: ContactCursor?
        var inserted = 0
        while true {
            let page = try db.contactRepository.list(sort: .name, filter: .init(), cursor: cursor, direction: .forward, limit: 10)
            guard let last = page.last else { break }
            seen += page.map(\.name)
            cursor = last.cursor(for: .name)
            // Another user adds a row behind the cursor and one ahead of it.
            guard inserted < 5 else { continue }
            _ = try db.contactRepository.create(Contact(name: String(format: "Contact %03d", 1 + inserted * 2)))
            let ahead = String(format: "Contact z%03d", inserted)
            _ = try db.contactRepository.create(Contact(name: ahead))
            expected.append(ahead)
            inserted += 1
        }
        XCTAssertEqual(seen.count, Set(seen).count, "a row was visited twice")
        XCTAssertEqual(seen, seen.sorted())
        // Every row that existed at the start, and every row inserted ahead of the cursor, was seen.
        XCTAssertTrue(Set(expected).isSubset(of: Set(seen)), "missing: \(Set(expected).subtracting(seen).sorted())")
    }

    func aBackwardPageReturnsTheRowsBeforeTheCursorInDisplayOrder() throws {
        let db = try open()
        for name in ["a", "b", "c", "d", "e"] { _ = try db.contactRepository.create(Contact(name: name)) }
        let all = try db.contactRepository.list(sort: .name, filter: .init(), cursor: nil, direction: .forward, limit: 10)
        let before = try db.contactRepository.list(sort: .name, filter: .init(), cursor: all[3].cursor(for: .name), direction: .backward, limit: 2)
        XCTAssertEqual(before.map(\.name), ["b", "c"])
    }

    func sortByLastInteraction() throws {
        let db = try open()
        let old = try db.contactRepository.create(Contact(name: "Old"))
        let recent = try db.contactRepository.create(Contact(name: "Recent"))
        _ = try db.contactRepository.create(Contact(name: "Never"))
        _ = try db.interactionRepository.log(Interaction(contactID: old.id, kind: .call, occurredAt: Date(timeIntervalSinceNow: -86400 * 30)))
        _ = try db.interactionRepository.log(Interaction(contactID: recent.id, kind: .email, occurredAt: Date(timeIntervalSinceNow: -60)))
        let byLast = try db.contactRepository.list(sort: .lastInteraction, filter: .init(), cursor: nil, direction: .forward, limit: 10)
        XCTAssertEqual(byLast.map(\.name), ["Recent", "Old", "Never"])
        let second = try db.contactRepository.list(sort: .lastInteraction, filter: .init(), cursor: byLast[0].cursor(for: .lastInteraction),
                                                   direction: .forward, limit: 10)
        XCTAssertEqual(second.map(\.name), ["Old", "Never"])
    }

    // MARK: audit

    func auditValuesAreStoredAsJSONAndReadBackTyped() throws {
        let db = try open()
        var contact = try db.contactRepository.create(Contact(name: "Lena Vogel", tags: ["vip"]))
        contact.tags = ["berlin", "vip"]
        contact.title = "42"
        let owner = try XCTUnwrap(contact.ownerID)
        contact.ownerID = nil
        _ = try db.contactRepository.update(contact)
        // Stored as JSON values: a list as a list, an id as a number, none as null.
        let stored = try XCTUnwrap(store.texts("SELECT changes FROM audit_log WHERE entity = 'contact' AND action = 'update'", []).first ?? nil)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: [Any]])
        XCTAssertEqual(object["tags"]?.first as? [String], ["vip"], "a list is stored as a list")
        XCTAssertEqual(object["tags"]?.last as? [String], ["berlin", "vip"])
        XCTAssertEqual((object["owner"]?.first as? NSNumber)?.int64Value, owner, "an id is a number")
        XCTAssertTrue(object["owner"]?.last is NSNull, "no owner is null")
        XCTAssertEqual(object["title"]?.last as? String, "42", "a text stays text")
        let entry = try XCTUnwrap(db.auditTrail(entity: "contact", id: contact.id, limit: 1).first)
        XCTAssertEqual(entry.changes["tags"], AuditChange(.list([.text("vip")]), .list([.text("berlin"), .text("vip")])))
        XCTAssertEqual(entry.changes["owner"], AuditChange(.int(owner), .null))
        XCTAssertEqual(entry.changes["title"]?.new, .text("42"), "a text stays text")
    }

    func auditPagesFilterAndContinueAfterTheLastID() throws {
        let sara = try open("sara")
        let pipeline = try sara.pipelineRepository.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try sara.pipelineRepository.stages(pipelineID: pipeline.id)[0]
        let deal = try sara.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stage.id, title: "Fleet", value: .zero(.eur)))
        var contact = try sara.contactRepository.create(Contact(name: "Ann"))
        let omid = try open("omid")
        for title in ["a", "b", "c"] {
            contact = try XCTUnwrap(omid.contactRepository.get(contact.id))
            contact.title = title
            contact = try omid.contactRepository.update(contact)
        }
        let all = try omid.auditPage(AuditFilter(), after: nil, limit: 100)
        XCTAssertEqual(all.map(\.id), all.map(\.id).sorted(by: >), "newest first")
        let byOmid = try omid.auditPage(AuditFilter(userLogin: "OMID"), after: nil, limit: 100)
        XCTAssertEqual(byOmid.count, 3)
        XCTAssertTrue(byOmid.allSatisfy { $0.userLogin == "omid" && $0.action == "update" })
        let first = try omid.auditPage(AuditFilter(entity: "contact", entityID: contact.id), after: nil, limit: 2)
        let rest = try omid.auditPage(AuditFilter(entity: "contact", entityID: contact.id), after: first.last?.id, limit: 2)
        XCTAssertEqual(first.map { $0.changes["title"]?.new }, [.text("c"), .text("b")])
        XCTAssertEqual(rest.first?.changes["title"]?.new, .text("a"))
        XCTAssertEqual(rest.last?.action, "create")
        XCTAssertEqual(try omid.auditPage(AuditFilter(entity: "deal"), after: nil, limit: 10).map(\.entityID), [deal.id])
        XCTAssertEqual(try omid.auditPage(AuditFilter(action: "create", since: Date.distantFuture), after: nil, limit: 10), [])
    }
}
