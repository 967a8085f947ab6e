import CRMCore
import CRMRepositories
import Foundation
import XCTest

/// Interactions and timelines, written once against the protocols and run
/// on both engines (SQLite/PostgresInteractionContractTests).
struct InteractionRepositoryContract {
    let fixture: EngineFixture
    var open: (String) throws -> EngineSession { fixture.open }
    var now: Date { fixture.clock.now }

    func loggingFillsTheCompanyAndIsAuditedUpdatedAndTrashed() throws {
        let sara = try open("sara"), omid = try open("omid")
        let acme = try sara.addCompany("Acme")
        let nina = try sara.addContact("Nina Berger", acme)
        let call = try sara.interactions.log(Interaction(contactID: nina, kind: .call, direction: .outbound, occurredAt: now,
                                                        durationSeconds: 300, outcome: "Interested", subject: "Intro call"))
        XCTAssertEqual(call.companyID, acme, "an interaction with a contact belongs to its company too")
        XCTAssertEqual(call.authorID, sara.userID)
        XCTAssertEqual(call.version, 1)
        XCTAssertEqual(call.durationSeconds, 300)
        XCTAssertEqual(try sara.interactions.get(call.id), call)
        XCTAssertNil(try sara.interactions.get(9999))
        var edit = call
        edit.outcome = "Wants a demo"
        edit.body = "Call back on Monday"
        let updated = try omid.interactions.update(edit)
        XCTAssertEqual(updated.version, 2)
        XCTAssertEqual(try omid.interactions.update(updated).version, 2, "nothing changed: nothing written")
        var stale = call
        stale.subject = "Sara's subject"
        XCTAssertThrowsError(try sara.interactions.update(stale)) { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.changedBy, "omid")
            XCTAssertEqual(edit.changedFields, ["body", "outcome"])
        }
        var badDeal = updated
        badDeal.dealID = 999
        XCTAssertThrowsError(try sara.interactions.update(badDeal)) { error in
            XCTAssertEqual((error as? ValidationFailure)?.errors.first?.field, "deal")
        }
        let trail = try sara.audit("interaction", call.id)
        XCTAssertEqual(trail.map(\.action), ["update", "create"])
        XCTAssertEqual(trail.last?.changes["kind"], AuditChange(.text(""), .text("call")))
        XCTAssertEqual(trail.first?.changes["outcome"], AuditChange(.text("Interested"), .text("Wants a demo")))

        try sara.interactions.delete(call.id)
        XCTAssertEqual(try sara.interactions.timeline(.contact(nina), before: nil, limit: 5).count, 0)
        XCTAssertEqual(try sara.interactions.get(call.id)?.version, 3)
        try sara.interactions.restore(call.id)
        XCTAssertEqual(try sara.interactions.timeline(.contact(nina), before: nil, limit: 5).map(\.id), [call.id])
        XCTAssertEqual(try sara.audit("interaction", call.id).map(\.action), ["restore", "delete", "update", "create"])
    }

    func aStageChangeIsHistoryAndCannotBeEdited() throws {
        let s = try open("sara")
        let p = try s.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
                                                                Stage(pipelineID: 0, name: "Won over", position: 1, probability: 50)])
        let stages = try s.pipelines.stages(pipelineID: p.id)
        let d = try s.deals.create(Deal(pipelineID: p.id, stageID: stages[0].id, title: "Deal", value: .zero(.eur)))
        _ = try s.deals.move(d.id, toStage: stages[1].id, expectedVersion: d.version)
        var entry = try XCTUnwrap(s.interactions.timeline(.deal(d.id), before: nil, limit: 1).first?.interaction)
        XCTAssertEqual(entry.kind, .stageChange)
        entry.subject = "edited"
        XCTAssertThrowsError(try s.interactions.update(entry)) { error in
            XCTAssertEqual((error as? ValidationFailure)?.errors.first?.field, "kind")
        }
    }

    /// Seven entries, two at the same second, for a contact; paging by
    /// (occurred_at, id) newest first reaches each exactly once.
    func timelinesPageNewestFirstInEveryScope() throws {
        let s = try open("sara")
        let acme = try s.addCompany("Acme")
        let nina = try s.addContact("Nina", acme), ali = try s.addContact("Ali", nil)
        let p = try s.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(s.pipelines.stages(pipelineID: p.id).first)
        let d = try s.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: "Deal", value: .zero(.eur)))
        var logged: [Int64] = []
        let base = now
        for i in 0..<7 {
            let at = base.addingTimeInterval(Double([0, 60, 60, 120, 180, 240, 300][i]))
            logged.append(try s.interactions.log(Interaction(contactID: nina, dealID: i < 3 ? d.id : nil, kind: i.isMultiple(of: 2) ? .note : .call,
                                                             occurredAt: at, subject: "Entry \(i)")).id)
        }
        _ = try s.interactions.log(Interaction(contactID: ali, kind: .meeting, occurredAt: base, subject: "Other"))
        let expected = [6, 5, 4, 3, 2, 1, 0].map { logged[$0] }
        func pages(_ scope: TimelineScope, size: Int) throws -> [Int64] {
            var seen: [Int64] = []
            var cursor: TimelineCursor?
            while true {
                let page = try s.interactions.timeline(scope, before: cursor, limit: size)
                if page.isEmpty { return seen }
                seen += page.map(\.id)
                cursor = page.last?.cursor
            }
        }
        XCTAssertEqual(try pages(.contact(nina), size: 3), expected)
        XCTAssertEqual(try pages(.company(acme), size: 2), expected)
        XCTAssertEqual(try pages(.deal(d.id), size: 2), [2, 1, 0].map { logged[$0] })
        XCTAssertEqual(try pages(.all(TimelineFilter()), size: 3).count, 8)
        XCTAssertEqual(try pages(.all(TimelineFilter(kinds: [.call])), size: 2), [5, 3, 1].map { logged[$0] })
        XCTAssertEqual(try pages(.all(TimelineFilter(kinds: [.call, .meeting])), size: 2).count, 4)
        XCTAssertEqual(try pages(.all(TimelineFilter(from: base.addingTimeInterval(60), to: base.addingTimeInterval(180))), size: 2),
                       [3, 2, 1].map { logged[$0] })
        XCTAssertEqual(try pages(.all(TimelineFilter(authorID: s.userID, contactID: ali)), size: 2).count, 1)
        let first = try XCTUnwrap(s.interactions.timeline(.contact(nina), before: nil, limit: 1).first)
        XCTAssertEqual(first.contactName, "Nina")
        XCTAssertEqual(first.companyName, "Acme")
        XCTAssertEqual(first.authorLogin, "sara")
        XCTAssertEqual(try s.interactions.timeline(.deal(d.id), before: nil, limit: 1).first?.dealTitle, "Deal")
    }

    /// The timeline's text search: words of subject, body and outcome by
    /// prefix, accents and case folded, Persian and Arabic letter forms one,
    /// every word needed; stage changes never found.
    func theTimelineSearchFindsWordsByPrefixAsFolded() throws {
        let s = try open("sara")
        let nina = try s.addContact("Nina", nil), reza = try s.addContact("Reza", nil)
        let p = try s.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
                                                                Stage(pipelineID: 0, name: "Proposal", position: 1, probability: 10)])
        let stages = try s.pipelines.stages(pipelineID: p.id)
        let d = try s.deals.create(Deal(pipelineID: p.id, stageID: stages[0].id, title: "Müller proposal", value: .zero(.eur), contactID: nina))
        func log(_ kind: InteractionKind, _ contact: Int64, subject: String = "", body: String = "", outcome: String = "", after seconds: Double) throws -> Int64 {
            try s.interactions.log(Interaction(contactID: contact, kind: kind, occurredAt: now.addingTimeInterval(seconds),
                                               outcome: outcome, subject: subject, body: body)).id
        }
        let muller = try log(.call, nina, subject: "Call with Müller", after: 10)
        let proposal = try log(.email, nina, subject: "Proposal sent", body: "Mail to nina@example.com with the PROPOSAL.pdf", after: 20)
        let persian = try log(.note, reza, body: "جلسه با علی درباره پیش‌فاکتور", after: 30)
        let outcome = try log(.meeting, reza, outcome: "Signed O'Brien contract", after: 40)
        fixture.clock.advance(by: 50)
        _ = try s.deals.move(d.id, toStage: stages[1].id, expectedVersion: d.version)  // "Müller proposal: Lead → Proposal"
        func found(_ text: String, _ filter: TimelineFilter = TimelineFilter()) throws -> [Int64] {
            var f = filter
            f.text = text
            return try s.interactions.timeline(.all(f), before: nil, limit: 10).map(\.id)
        }
        XCTAssertEqual(try found("mul"), [muller], "accents folded; the stage change is not searched")
        XCTAssertEqual(try found("MUELLER"), [])
        XCTAssertEqual(try found("prop"), [proposal])
        XCTAssertEqual(try found("example"), [proposal], "an address is words, as unicode61 cuts it")
        XCTAssertEqual(try found("pdf prop"), [proposal], "every word, in any order")
        XCTAssertEqual(try found("pdf mul"), [])
        XCTAssertEqual(try found("علي"), [persian], "Arabic yeh finds Persian yeh")
        XCTAssertEqual(try found("فاکتور"), [persian], "a word after a joiner is a word")
        XCTAssertEqual(try found("پیشفاکتور"), [persian], "and the joined word one")
        XCTAssertEqual(try found("o'brien"), [outcome], "the outcome is searched; punctuation inside a word")
        XCTAssertEqual(try found("sign"), [outcome])
        XCTAssertEqual(try found("--"), [], "no letters: nothing")
        XCTAssertEqual(try found("prop", TimelineFilter(kinds: [.call])), [])
        XCTAssertEqual(try found("prop", TimelineFilter(kinds: [.stageChange])), [], "stage changes are never found")
        XCTAssertEqual(try found("a", TimelineFilter(contactID: nina)), [], "no word of Nina's starts with a")
        XCTAssertEqual(try found("c", TimelineFilter(contactID: nina)), [proposal, muller], "call, com")
        XCTAssertEqual(try found("c"), [outcome, proposal, muller])
        let page = try s.interactions.timeline(.all(TimelineFilter(text: "c")), before: nil, limit: 1)
        XCTAssertEqual(try s.interactions.timeline(.all(TimelineFilter(text: "c")), before: page.last?.cursor, limit: 5).map(\.id), [proposal, muller])
        // An edit is found by its new words only.
        var edited = try XCTUnwrap(s.interactions.get(muller))
        edited.subject = "Call with Schmidt"
        _ = try s.interactions.update(edited)
        XCTAssertEqual(try found("mul"), [])
        XCTAssertEqual(try found("schm"), [muller])
        try s.interactions.delete(muller)
        XCTAssertEqual(try found("schm"), [], "the trash is not searched")
    }
}
