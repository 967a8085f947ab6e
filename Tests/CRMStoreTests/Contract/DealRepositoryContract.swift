import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Pipelines and deals, written once against the protocols and run on both
/// engines (SQLiteDealContractTests, PostgresDealContractTests): the same
/// inputs must give the same rows, versions, refusals and audit records.
struct DealRepositoryContract {
    let fixture: EngineFixture
    var open: (String) throws -> EngineSession { fixture.open }

    /// "Sales" with Lead 10%, Qualified 25%, Proposal 50% (and Won, Lost).
    func pipeline(_ s: EngineSession, stages: Int = 3) throws -> (Pipeline, [Stage]) {
        let names = ["Lead", "Qualified", "Proposal", "Negotiation"]
        let p = try s.pipelines.createPipeline("Sales", stages: (0..<stages).map {
            Stage(pipelineID: 0, name: names[$0], position: $0, probability: [10, 25, 50, 75][$0])
        })
        return (p, try s.pipelines.stages(pipelineID: p.id))
    }

    func deal(_ s: EngineSession, _ p: Pipeline, _ stage: Stage, _ title: String, _ minor: Int64 = 100_00,
              _ currency: Currency = .eur, contact: Int64? = nil, company: Int64? = nil, owner: Int64? = nil) throws -> Deal {
        try s.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: title, value: Money(minorUnits: minor, currency: currency),
                                ownerID: owner, contactID: contact, companyID: company))
    }

    func stagesComeWithWonAndLostOutcomesAndPipelinesAreAudited() throws {
        let s = try open("sara")
        let (p, stages) = try pipeline(s)
        XCTAssertEqual(stages.map(\.kind), [.open, .open, .open, .won, .lost])
        XCTAssertEqual(stages.map(\.name), ["Lead", "Qualified", "Proposal", "Won", "Lost"])
        XCTAssertEqual(stages.map(\.probability), [10, 25, 50, 100, 0])
        XCTAssertEqual(try s.pipelines.pipelines().map(\.name), ["Sales"])
        try s.pipelines.renamePipeline(p.id, to: "New business")
        XCTAssertEqual(try s.pipelines.pipelines().map { [$0.name, "\($0.version)"] }, [["New business", "2"]])
        XCTAssertThrowsError(try s.pipelines.renamePipeline(p.id, to: "  "), "a name is required")
        XCTAssertThrowsError(try s.pipelines.renamePipeline(999, to: "X")) { error in
            guard case RepositoryError.notFound = error else { return XCTFail("\(error)") }
        }
        let trail = try s.audit("pipeline", p.id)
        XCTAssertEqual(trail.map(\.action), ["rename", "create"])
        XCTAssertEqual(trail.first?.changes["name"], AuditChange(.text("Sales"), .text("New business")))
        XCTAssertEqual(trail.map(\.userLogin), ["sara", "sara"])
        let second = try s.pipelines.createPipeline("Renewals", stages: [Stage(pipelineID: 0, name: "Due", position: 0, probability: 40)])
        XCTAssertEqual(second.position, 1)
        XCTAssertEqual(try s.pipelines.pipelines().map(\.name), ["New business", "Renewals"])
    }

    func aDealIsCreatedReadUpdatedAndAuditedWithVersions() throws {
        let sara = try open("sara"), omid = try open("omid")
        let (p, stages) = try pipeline(sara)
        let company = try sara.addCompany("Acme")
        let contact = try sara.addContact("Nina Berger", company)
        let created = try deal(sara, p, stages[0], "Acme renewal", 1234_56, contact: contact, company: company)
        XCTAssertEqual(created.version, 1)
        XCTAssertEqual(created.ownerID, sara.userID, "the creator owns a deal given no owner")
        XCTAssertEqual(created.stageEnteredAt, fixture.clock.now)
        XCTAssertEqual(created.position, 1)
        XCTAssertEqual(try sara.deals.get(created.id), created)
        XCTAssertNil(try sara.deals.get(9999))
        XCTAssertThrowsError(try deal(sara, p, stages[0], "  "), "a title is required")

        var edit = created
        edit.title = "Acme renewal 2026"
        edit.value = Money(minorUnits: 2000_00, currency: .eur)
        fixture.clock.advance(by: 60)
        let updated = try omid.deals.update(edit)
        XCTAssertEqual(updated.version, 2)
        XCTAssertEqual(updated.title, "Acme renewal 2026")
        XCTAssertEqual(updated.updatedAt, fixture.clock.now)
        XCTAssertEqual(try sara.deals.update(updated).version, 2, "nothing changed: nothing written")

        var stale = created
        stale.title = "Sara's title"
        XCTAssertThrowsError(try sara.deals.update(stale)) { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.changedBy, "omid")
            XCTAssertEqual(edit.changedFields, ["title", "value"])
            XCTAssertEqual(edit.expectedVersion, 1)
            XCTAssertEqual(edit.currentVersion, 2)
        }
        let trail = try sara.audit("deal", created.id)
        XCTAssertEqual(trail.map(\.action), ["update", "create"])
        XCTAssertEqual(trail.map(\.userLogin), ["omid", "sara"])
        XCTAssertEqual(trail.last?.changes["title"], AuditChange(.text(""), .text("Acme renewal")))
        XCTAssertEqual(Set(trail.first.map { Array($0.changes.keys) } ?? []), ["title", "value"])

        let card = try XCTUnwrap(sara.deals.card(created.id))
        XCTAssertEqual(card.contactName, "Nina Berger")
        XCTAssertEqual(card.companyName, "Acme")
        XCTAssertEqual(card.ownerLogin, "sara")
        XCTAssertEqual(card.stageName, "Lead")
        XCTAssertNil(card.lastInteractionAt)
        _ = try sara.interactions.log(Interaction(contactID: contact, dealID: created.id, kind: .call, occurredAt: fixture.clock.now,
                                                  subject: "Called"))
        XCTAssertEqual(try sara.deals.card(created.id)?.lastInteractionAt, fixture.clock.now)
        XCTAssertEqual(try sara.deals.deals(contactID: contact).map(\.id), [created.id])
        XCTAssertEqual(try sara.deals.deals(companyID: company).map(\.id), [created.id])
    }

    func aDealGoesToTheTrashWithItsFollowUpsAndComesBack() throws {
        let s = try open("sara")
        let (p, stages) = try pipeline(s)
        let contact = try s.addContact("Ali Rezaei", nil)
        let d = try deal(s, p, stages[0], "Trash me", contact: contact)
        try s.deals.delete(d.id)
        XCTAssertNotNil(try s.deals.get(d.id)?.deletedAt)
        XCTAssertEqual(try s.deals.get(d.id)?.version, 2)
        XCTAssertEqual(try s.deals.cards(stageID: stages[0].id, filter: DealFilter(), after: nil, limit: 10).count, 0)
        XCTAssertEqual(try s.deals.deals(contactID: contact).count, 0)
        XCTAssertThrowsError(try s.deals.delete(d.id), "already in the trash") { error in
            guard case RepositoryError.notFound = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try s.deals.move(d.id, toStage: stages[1].id, expectedVersion: 2), "a deal in the trash does not move") { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(edit.deleted)
        }
        try s.deals.restore(d.id)
        XCTAssertNil(try s.deals.get(d.id)?.deletedAt)
        XCTAssertEqual(try s.deals.get(d.id)?.version, 3)
        XCTAssertEqual(try s.audit("deal", d.id).map(\.action), ["restore", "delete", "create"])
        XCTAssertThrowsError(try s.deals.restore(d.id), "not in the trash") { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .notInTrash)
        }
    }

    func columnsPageBothWaysThroughTheFilter() throws {
        let sara = try open("sara"), omid = try open("omid")
        let (p, stages) = try pipeline(sara)
        let acme = try sara.addCompany("Acme")
        var titles: [String] = []
        for i in 0..<7 {
            let title = ["Müller GmbH", "Zeta", "Alpha one", "Beta", "Gamma", "Delta", "Epsilon"][i]
            _ = try deal(i.isMultiple(of: 2) ? sara : omid, p, stages[1], title, company: i == 3 ? acme : nil)
            titles.append(title)
        }
        var seen: [String] = []
        var cursor: DealCursor?
        while true {
            let page = try sara.deals.cards(stageID: stages[1].id, filter: DealFilter(), after: cursor, limit: 3)
            if page.isEmpty { break }
            seen += page.map(\.deal.title)
            cursor = page.last.map { DealCursor(position: $0.deal.position, id: $0.id) }
        }
        XCTAssertEqual(seen, titles, "board order: position, then id")
        var back: [String] = []
        var before = try XCTUnwrap(cursor)
        while true {
            let page = try sara.deals.cards(stageID: stages[1].id, filter: DealFilter(), before: before, limit: 2)
            if page.isEmpty { break }
            back += page.map(\.deal.title)
            before = DealCursor(position: page.last!.deal.position, id: page.last!.id)
        }
        XCTAssertEqual(back, titles.dropLast().reversed(), "scrolling up: nearest first")
        let omids = try sara.deals.cards(stageID: stages[1].id, filter: DealFilter(ownerID: omid.userID), after: nil, limit: 10)
        XCTAssertEqual(omids.map(\.deal.title), ["Zeta", "Beta", "Delta"])
        func found(_ text: String) throws -> [String] {
            try sara.deals.cards(stageID: stages[1].id, filter: DealFilter(text: text), after: nil, limit: 10).map(\.deal.title)
        }
        XCTAssertEqual(try found("mul"), ["Müller GmbH"], "accents folded, by prefix")
        XCTAssertEqual(try found("MÜLLER gm"), ["Müller GmbH"], "every word a prefix")
        XCTAssertEqual(try found("alpha two"), [])
        XCTAssertEqual(try found("--"), [], "no letters: nothing, never everything")
        XCTAssertEqual(try found("  ").count, 7, "nothing typed: no filter")
        XCTAssertEqual(try sara.deals.stageTotals(stageID: stages[1].id, filter: DealFilter(text: "eps")).count, 1)
        // One owner's totals (the board's `o`: deals_board_by_owner, schema 45), per column and per stage.
        let ownTotals = try sara.deals.stageTotals(pipelineID: p.id, filter: DealFilter(ownerID: omid.userID))
        XCTAssertEqual(ownTotals.mapValues(\.count), [stages[1].id: 3])
        XCTAssertEqual(try sara.deals.stageTotals(stageID: stages[1].id, filter: DealFilter(ownerID: omid.userID)), ownTotals[stages[1].id])
        XCTAssertEqual(try sara.deals.stageTotals(pipelineID: p.id, filter: DealFilter(ownerID: sara.userID)).mapValues(\.count),
                       [stages[1].id: 4])
    }

    func totalsPerStageAndCurrencyAreExactAndFollowTheFilter() throws {
        let s = try open("sara")
        let (p, stages) = try pipeline(s)
        _ = try deal(s, p, stages[2], "Alpha", 1000_00)
        _ = try deal(s, p, stages[2], "Beta", 333_33)
        _ = try deal(s, p, stages[2], "Gamma", 50_00, .usd)
        let big = Money.maxMinorUnits
        for i in 0..<3 { _ = try deal(s, p, stages[1], "Big \(i)", big, .usd) }
        let closed = try deal(s, p, stages[2], "Closed", 9_00)
        _ = try s.deals.close(closed.id, as: .won, reason: "", expectedVersion: closed.version)
        let totals = try s.deals.stageTotals(pipelineID: p.id, filter: DealFilter())
        let proposal = try XCTUnwrap(totals[stages[2].id])
        XCTAssertEqual(proposal.count, 3, "open deals only")
        XCTAssertEqual(proposal.byCurrency.map(\.currency.code), ["EUR", "USD"])
        XCTAssertEqual(proposal.byCurrency[0].sum?.minorUnits, 1333_33)
        XCTAssertEqual(proposal.byCurrency[0].weighted?.minorUnits, 666_67, "half of 1333.33, rounded half up")
        XCTAssertEqual(proposal.byCurrency[1].sum?.minorUnits, 50_00)
        let qualified = try XCTUnwrap(totals[stages[1].id])
        XCTAssertEqual(qualified.byCurrency.first?.sum?.minorUnits, 3 * big, "exact beyond a double's 2^53")
        XCTAssertEqual(qualified.byCurrency.first?.weighted?.minorUnits, (3 * big) / 4, "25% of …97, .25 rounded down")
        XCTAssertNil(totals[stages[0].id], "empty stages have no rows")
        XCTAssertEqual(try s.deals.stageTotals(stageID: stages[2].id, filter: DealFilter(text: "beta")).count, 1)
        XCTAssertEqual(try s.deals.stageTotals(stageID: stages[2].id, filter: DealFilter()), proposal)
        XCTAssertEqual(try s.deals.stageTotals(stageID: 999, filter: DealFilter()).count, 0)
    }

    func reorderPlacesBetweenNeighboursAndRenumbersWhenOutOfRoom() throws {
        let s = try open("sara")
        let (p, stages) = try pipeline(s)
        let a = try deal(s, p, stages[0], "A"), b = try deal(s, p, stages[0], "B"), c = try deal(s, p, stages[0], "C")
        func order() throws -> [String] { try s.deals.cards(stageID: stages[0].id, filter: DealFilter(), after: nil, limit: 10).map(\.deal.title) }
        var moved = try s.deals.reorder(c.id, by: -1, expectedVersion: c.version)
        XCTAssertEqual(try order(), ["A", "C", "B"])
        XCTAssertEqual(moved.position, 1.5, "halfway between A (1) and B (2)")
        XCTAssertThrowsError(try s.deals.reorder(c.id, by: -1, expectedVersion: c.version), "stale version") { error in
            guard case RepositoryError.stale = error else { return XCTFail("\(error)") }
        }
        for _ in 0..<80 {
            moved = try s.deals.reorder(c.id, by: 1, expectedVersion: moved.version)
            moved = try s.deals.reorder(c.id, by: -1, expectedVersion: moved.version)
        }
        XCTAssertEqual(try order(), ["A", "C", "B"])
        XCTAssertEqual(moved.version, c.version + 161)
        let top = try s.deals.reorder(a.id, by: -1, expectedVersion: try XCTUnwrap(s.deals.get(a.id)).version)
        XCTAssertEqual(top.version, try XCTUnwrap(s.deals.get(a.id)).version, "already first: nothing written")
        XCTAssertEqual(try s.audit("deal", b.id).map(\.action), ["create"])
        XCTAssertEqual(try s.audit("deal", c.id).first?.changes.keys.sorted(), ["position"])
    }

    func closeReopenAndLostReasons() throws {
        let s = try open("sara")
        let (p, stages) = try pipeline(s)
        let d1 = try deal(s, p, stages[1], "One"), d2 = try deal(s, p, stages[1], "Two"), d3 = try deal(s, p, stages[1], "Three")
        XCTAssertThrowsError(try s.deals.close(d1.id, as: .lost, reason: "  ", expectedVersion: d1.version))
        _ = try s.deals.close(d1.id, as: .lost, reason: "Price", expectedVersion: d1.version)
        fixture.clock.advance(by: 10)
        _ = try s.deals.close(d2.id, as: .lost, reason: "Timing", expectedVersion: d2.version)
        fixture.clock.advance(by: 10)
        let won = try s.deals.close(d3.id, as: .won, reason: "ignored", expectedVersion: d3.version)
        XCTAssertEqual(won.lostReason, "")
        XCTAssertEqual(won.closedAt, fixture.clock.now)
        XCTAssertThrowsError(try s.deals.close(d3.id, as: .lost, reason: "x", expectedVersion: won.version), "already won")
        XCTAssertEqual(try s.deals.lostReasons(limit: 5), ["Timing", "Price"], "as often, then the latest first")
        let all = try s.deals.closedDeals(pipelineID: p.id, status: nil, filter: DealFilter(), after: nil, limit: 2)
        XCTAssertEqual(all.map(\.deal.title), ["Three", "Two"])
        let rest = try s.deals.closedDeals(pipelineID: p.id, status: nil, filter: DealFilter(), after: all.last!.closedCursor, limit: 2)
        XCTAssertEqual(rest.map(\.deal.title), ["One"])
        XCTAssertEqual(try s.deals.closedDeals(pipelineID: p.id, status: .lost, filter: DealFilter(), after: nil, limit: 5).map(\.deal.title),
                       ["Two", "One"])
        XCTAssertEqual(try s.deals.closedDeals(pipelineID: p.id, status: .lost, filter: DealFilter(text: "timi"), after: nil, limit: 5)
            .map(\.deal.title), ["Two"], "the lost reason is searched too")
        let current = try XCTUnwrap(s.deals.get(d2.id))
        XCTAssertEqual(current.stageID, stages[1].id, "a closed deal keeps the stage it was closed in")
        let reopened = try s.deals.reopen(d2.id, expectedVersion: current.version)
        XCTAssertEqual(reopened.status, .open)
        XCTAssertEqual(reopened.lostReason, "")
        XCTAssertNil(reopened.closedAt)
        let subjects = try s.interactions.timeline(.deal(d2.id), before: nil, limit: 5).map(\.interaction.subject)
        XCTAssertEqual(subjects, ["Two: reopened (was lost)", "Two: lost (in Qualified) — Timing"])
        XCTAssertEqual(try s.audit("deal", d2.id).map(\.action), ["reopen", "lost", "create"])
        XCTAssertEqual(try s.audit("deal", d2.id)[1].changes["lost reason"], AuditChange(.text(""), .text("Timing")))
        XCTAssertEqual(reopened.stageEnteredAt, fixture.clock.now, "reopened later: a new stay in the stage")

        // An undo of won keeps when the deal entered its stage (days in stage, rotting).
        let entered = try XCTUnwrap(s.deals.get(d1.id)).stageEnteredAt
        let lostOne = try XCTUnwrap(s.deals.get(d1.id))
        fixture.clock.advance(by: 3_600)
        let back = try s.deals.reopen(d1.id, expectedVersion: lostOne.version, stageEnteredAt: entered)
        XCTAssertEqual(back.stageEnteredAt, entered)
        XCTAssertEqual(back.stageID, stages[1].id)
    }

    func movesAreRecordedAndAStaleMoveIsRefusedWithWhoAndWhat() throws {
        let sara = try open("sara"), omid = try open("omid")
        let (p, stages) = try pipeline(sara)
        let contact = try sara.addContact("Lena Vogel", nil)
        let d = try deal(sara, p, stages[0], "Vogel", contact: contact)
        // Both see version 1; Omid moves first, Sara's move is refused.
        let seenBySara = try XCTUnwrap(sara.deals.get(d.id)), seenByOmid = try XCTUnwrap(omid.deals.get(d.id))
        fixture.clock.advance(by: 3600)
        let moved = try omid.deals.move(d.id, toStage: stages[1].id, expectedVersion: seenByOmid.version)
        XCTAssertEqual(moved.version, 2)
        XCTAssertEqual(moved.stageID, stages[1].id)
        XCTAssertEqual(moved.stageEnteredAt, fixture.clock.now)
        XCTAssertEqual(moved.position, 1)
        XCTAssertThrowsError(try sara.deals.move(d.id, toStage: stages[2].id, expectedVersion: seenBySara.version)) { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.changedBy, "omid")
            XCTAssertEqual(edit.changedFields, ["stage"])
            XCTAssertEqual(edit.currentVersion, 2)
            XCTAssertFalse(edit.deleted)
        }
        XCTAssertEqual(try sara.deals.get(d.id)?.stageID, stages[1].id, "the refused move changed nothing")
        XCTAssertEqual(try sara.deals.move(d.id, toStage: stages[1].id, expectedVersion: 2).version, 2, "same stage: nothing written")
        XCTAssertThrowsError(try sara.deals.move(d.id, toStage: 999, expectedVersion: 2)) { error in
            guard case RepositoryError.notFound = error else { return XCTFail("\(error)") }
        }
        // Won by moving to the outcome stage, then taken back to where it was.
        fixture.clock.advance(by: 60)
        let wonStage = try XCTUnwrap(stages.first { $0.kind == .won })
        let won = try sara.deals.move(d.id, toStage: wonStage.id, expectedVersion: 2)
        XCTAssertEqual(won.status, .won)
        XCTAssertEqual(won.closedAt, fixture.clock.now)
        let back = try sara.deals.moveBack(d.id, toStage: stages[1].id, enteredAt: moved.stageEnteredAt, position: 0.5,
                                           expectedVersion: won.version)
        XCTAssertEqual(back.position, 0.5, "back in the place it had, not at the bottom")
        XCTAssertEqual(back.status, .open)
        XCTAssertNil(back.closedAt)
        XCTAssertEqual(back.stageEnteredAt, moved.stageEnteredAt, "its days in the stage are what they were")
        let history = try sara.deals.historyEntries(dealID: d.id)
        XCTAssertEqual(history.map(\.toStageName), ["Lead", "Qualified", "Won", "Qualified"])
        XCTAssertEqual(history.map(\.fromStageName), [nil, "Lead", "Qualified", "Won"])
        XCTAssertEqual(history.map(\.changedByLogin), ["sara", "omid", "sara", "sara"])
        XCTAssertEqual(try sara.deals.history(dealID: d.id).map(\.toStageID), history.map(\.change.toStageID))
        let timeline = try sara.interactions.timeline(.contact(contact), before: nil, limit: 10)
        XCTAssertEqual(timeline.map(\.interaction.subject), ["Vogel: Won → Qualified", "Vogel: Qualified → Won", "Vogel: Lead → Qualified"])
        XCTAssertEqual(timeline.map(\.authorLogin), ["sara", "sara", "omid"])
        XCTAssertEqual(try sara.audit("deal", d.id).map(\.action), ["move", "move", "move", "create"])
    }

    func stageManagement() throws {
        let s = try open("sara")
        let (p, stages) = try pipeline(s)
        let d = try deal(s, p, stages[1], "Mover")
        let added = try s.pipelines.addStage(Stage(pipelineID: p.id, name: "Demo", position: 0, probability: 30), after: stages[1].id)
        XCTAssertEqual(added.kind, .open)
        var open = try s.pipelines.stages(pipelineID: p.id).filter { $0.kind == .open }
        XCTAssertEqual(open.map(\.name), ["Lead", "Qualified", "Demo", "Proposal"])
        let first = try s.pipelines.addStage(Stage(pipelineID: p.id, name: "Inbox", position: 0, probability: 5), after: nil)
        XCTAssertEqual(try s.pipelines.stages(pipelineID: p.id).first?.id, first.id)
        var edited = added
        edited.name = "Live demo"
        edited.rotDays = 10
        edited = try s.pipelines.updateStage(edited)
        XCTAssertEqual(edited.rotDays, 10)
        XCTAssertEqual(edited.version, 2)
        XCTAssertThrowsError(try s.pipelines.updateStage(added), "stale stage edit") { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.changedFields, ["name", "rot days"])
        }
        XCTAssertEqual(try s.audit("stage", added.id).first?.changes["rot days"], AuditChange(.text("never"), .text("10")))
        try s.pipelines.moveStage(added.id, by: -1)
        open = try s.pipelines.stages(pipelineID: p.id).filter { $0.kind == .open }
        XCTAssertEqual(open.map(\.name), ["Inbox", "Lead", "Live demo", "Qualified", "Proposal"])
        try s.pipelines.moveStage(first.id, by: -1)
        XCTAssertEqual(try s.pipelines.stages(pipelineID: p.id).first?.id, first.id, "already first")
        let won = try XCTUnwrap(s.pipelines.stages(pipelineID: p.id).first { $0.kind == .won })
        XCTAssertThrowsError(try s.pipelines.deleteStage(stages[1].id, movingDealsTo: won.id), "deals only go to open stages")
        XCTAssertThrowsError(try s.pipelines.deleteStage(won.id, movingDealsTo: stages[0].id), "outcomes stay")
        XCTAssertThrowsError(try s.pipelines.deleteStage(stages[1].id, movingDealsTo: stages[1].id), "not to itself")
        let deletion = try s.pipelines.deleteStage(stages[1].id, movingDealsTo: added.id)
        XCTAssertEqual(deletion.moved.map(\.dealID), [d.id])
        XCTAssertEqual(deletion.moved.map(\.version), [2])
        XCTAssertEqual(try s.deals.get(d.id)?.stageID, added.id)
        XCTAssertEqual(try s.deals.historyEntries(dealID: d.id).map(\.toStageName), ["Qualified", "Live demo"])
        XCTAssertEqual(try s.pipelines.stages(pipelineID: p.id).filter { $0.kind == .open }.map(\.name),
                       ["Inbox", "Lead", "Live demo", "Proposal"])
        XCTAssertEqual(try s.interactions.timeline(.deal(d.id), before: nil, limit: 5).map(\.interaction.subject),
                       ["Mover: Qualified → Live demo"])
        XCTAssertEqual(try s.audit("stage", stages[1].id).first?.changes["deals moved to"], AuditChange(.text(""), .text("Live demo")))
    }

    /// QA 27 #8: a stage's name is not another stage's of the same pipeline,
    /// nor a pipeline's another pipeline's, as people read them (case and
    /// accents folded); another pipeline may have a stage of the same name.
    func stageAndPipelineNamesDoNotRepeat() throws {
        let s = try open("sara")
        let (p, stages) = try pipeline(s)
        func refused(_ attempt: () throws -> Void, _ message: String, line: UInt = #line) {
            XCTAssertThrowsError(try attempt(), line: line) { error in
                XCTAssertEqual((error as? ValidationFailure)?.errors, [FieldError("name", message)], line: line)
            }
        }
        refused({ _ = try s.pipelines.addStage(Stage(pipelineID: p.id, name: "qualified", position: 0, probability: 30), after: nil) },
                "there is already a stage \"Qualified\" in this pipeline; choose another name")
        var lead = stages[0]
        lead.name = "Proposal"
        refused({ _ = try s.pipelines.updateStage(lead) }, "there is already a stage \"Proposal\" in this pipeline; choose another name")
        lead.name = "Léad in"
        XCTAssertEqual(try s.pipelines.updateStage(lead).name, "Léad in", "a new name, or the same in other case, saves")
        refused({ _ = try s.pipelines.createPipeline("sales", stages: []) }, "there is already a pipeline \"Sales\"; choose another name")
        let other = try s.pipelines.createPipeline("Renewals", stages: [Stage(pipelineID: 0, name: "Qualified", position: 0, probability: 10)])
        refused({ try s.pipelines.renamePipeline(other.id, to: "SALES") }, "there is already a pipeline \"Sales\"; choose another name")
        XCTAssertEqual(try s.pipelines.pipelines().map(\.name), ["Sales", "Renewals"])
    }

    /// A board or deal form opened before an admin deleted a stage: moving
    /// a deal into it, or creating one there, is refused with who deleted it
    /// (a deal in a deleted stage shows on no board and in no report).
    func aDealNeverGoesIntoAStageDeletedMeanwhile() throws {
        let sara = try open("sara"), omid = try open("omid")
        let (p, stages) = try pipeline(sara, stages: 3)
        let mine = try deal(omid, p, stages[0], "Riverbend licences")
        _ = try sara.pipelines.deleteStage(stages[2].id, movingDealsTo: stages[1].id)
        for attempt in [
            { _ = try omid.deals.move(mine.id, toStage: stages[2].id, expectedVersion: mine.version) },
            { _ = try deal(omid, p, stages[2], "New in Proposal") },
        ] {
            XCTAssertThrowsError(try attempt()) { error in
                guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
                XCTAssertEqual([stale.entity, stale.changedBy], ["stage", "sara"])
                XCTAssertTrue(stale.deleted)
            }
        }
        XCTAssertEqual(try omid.deals.get(mine.id)?.stageID, stages[0].id)
        XCTAssertEqual(try omid.deals.get(mine.id)?.version, mine.version, "nothing written")
        // An open stage still takes it.
        XCTAssertEqual(try omid.deals.move(mine.id, toStage: stages[1].id, expectedVersion: mine.version).stageID, stages[1].id)
    }

    func deletingAStageAndTakingItBackLeavesAColleaguesLaterMove() throws {
        let sara = try open("sara"), omid = try open("omid")
        let p = try sara.pipelines.createPipeline("Sales", stages: ["Lead", "Proposal", "Won later"].enumerated().map {
            Stage(pipelineID: 0, name: $0.element, position: $0.offset, probability: 10)
        })
        let stages = try sara.pipelines.stages(pipelineID: p.id).filter { $0.kind == .open }
        let a = try deal(sara, p, stages[1], "A"), b = try deal(sara, p, stages[1], "B")
        _ = try deal(sara, p, stages[0], "Already there")
        let enteredA = a.stageEnteredAt
        fixture.clock.advance(by: 86_400)
        let deletion = try sara.pipelines.deleteStage(stages[1].id, movingDealsTo: stages[0].id)
        XCTAssertEqual(Set(deletion.moved.map(\.dealID)), [a.id, b.id])
        XCTAssertEqual(try sara.deals.cards(stageID: stages[0].id, filter: DealFilter(), after: nil, limit: 5).map(\.deal.title),
                       ["Already there", "A", "B"], "appended below, in their old order")
        let moved = try XCTUnwrap(omid.deals.get(b.id))
        _ = try omid.deals.move(b.id, toStage: stages[2].id, expectedVersion: moved.version)
        let restore = try sara.pipelines.restoreStage(deletion)
        XCTAssertEqual(restore, StageRestore(movedBack: 1, kept: 1))
        XCTAssertEqual(try sara.deals.get(a.id)?.stageID, stages[1].id)
        XCTAssertEqual(try sara.deals.get(a.id)?.stageEnteredAt, enteredA, "back with the time it had entered")
        XCTAssertEqual(try sara.deals.get(b.id)?.stageID, stages[2].id, "Omid's move stands")
        XCTAssertThrowsError(try sara.pipelines.restoreStage(deletion), "a stage is restored once")
        // The delete's move is taken back with it: one stay in Proposal, and
        // no "→ Lead" line left on the deal's timeline.
        XCTAssertEqual(try sara.deals.historyEntries(dealID: a.id).map(\.toStageName), ["Proposal"])
        XCTAssertEqual(try sara.interactions.timeline(.deal(a.id), before: nil, limit: 5).map(\.interaction.subject)
                           .filter { $0.contains("→") }, [])
        XCTAssertEqual(try sara.deals.historyEntries(dealID: b.id).map(\.toStageName), ["Proposal", "Lead", "Won later"],
                       "B was not moved back: its history stays as it happened")
        XCTAssertEqual(try sara.interactions.timeline(.deal(b.id), before: nil, limit: 5).map(\.interaction.subject),
                       ["B: Lead → Won later", "B: Proposal → Lead"])
        XCTAssertEqual(try sara.audit("stage", stages[1].id).map(\.action), ["restore", "delete"])
    }
}
