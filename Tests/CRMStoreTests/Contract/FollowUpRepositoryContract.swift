import CRMCore
import CRMRepositories
import CRMStorePostgres
import Foundation
import XCTest

/// Follow-ups and Today's agenda, written once against the protocols and
/// run on both engines (SQLite/PostgresFollowUpContractTests).
struct FollowUpRepositoryContract {
    let fixture: EngineFixture
    var open: (String) throws -> EngineSession { fixture.open }
    var now: Date { fixture.clock.now }
    func days(_ n: Double) -> Date { now.addingTimeInterval(n * 86_400) }

    func aFollowUpIsCreatedDoneRefusedWhenStaleAndTrashed() throws {
        let sara = try open("sara"), omid = try open("omid")
        let nina = try sara.addContact("Nina", nil)
        let f = try sara.followUps.create(FollowUp(contactID: nina, title: "Send the offer", dueAt: days(1)))
        XCTAssertEqual(f.assigneeID, sara.userID, "the creator's own unless assigned")
        XCTAssertEqual(f.version, 1)
        XCTAssertEqual(try sara.followUps.get(f.id), f)
        XCTAssertThrowsError(try sara.followUps.create(FollowUp(contactID: nina, title: " ", dueAt: days(1))))
        var done = f
        done.status = .done
        fixture.clock.advance(by: 600)
        let saved = try omid.followUps.update(done)
        XCTAssertEqual(saved.doneAt, now)
        XCTAssertEqual(saved.version, 2)
        var stale = f
        stale.note = "call first"
        XCTAssertThrowsError(try sara.followUps.update(stale)) { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.changedBy, "omid")
            XCTAssertEqual(edit.changedFields, ["status"])
        }
        XCTAssertThrowsError(try sara.followUps.delete(f.id, expectedVersion: 1)) { error in
            guard case RepositoryError.stale = error else { return XCTFail("\(error)") }
        }
        try sara.followUps.delete(f.id, expectedVersion: 2)
        XCTAssertNotNil(try sara.followUps.get(f.id)?.deletedAt)
        try sara.followUps.restore(f.id)
        let trail = try sara.audit("follow-up", f.id)
        XCTAssertEqual(trail.map(\.action), ["restore", "delete", "update", "create"])
        XCTAssertEqual(trail.map(\.userLogin), ["sara", "sara", "omid", "sara"])
        XCTAssertEqual(trail[2].changes["status"], AuditChange(.text("open"), .text("done")))
    }

    /// Today's bulk change as one set: each row written at its own next
    /// version with its own audit row, a row with nothing to change left
    /// as it is, and a row a colleague changed since refusing all of it.
    func aSetOfFollowUpsIsChangedAsOneWithEachVersionAndAudit() throws {
        let sara = try open("sara"), omid = try open("omid")
        let nina = try sara.addContact("Nina", nil)
        let a = try sara.followUps.create(FollowUp(contactID: nina, title: "A", dueAt: days(1)))
        var b = try sara.followUps.create(FollowUp(contactID: nina, title: "B", dueAt: days(2)))
        let c = try sara.followUps.create(FollowUp(contactID: nina, title: "C", dueAt: days(3), status: .done, doneAt: days(0)))
        b.note = "edited once"
        b = try sara.followUps.update(b)
        // Times fixed before the clock moves (days() counts from now).
        let (created, dueA, dueLater) = (days(0), days(1), days(5))
        fixture.clock.advance(by: 60)
        try sara.transaction {
            _ = try sara.followUps.update([a.id: a.version, b.id: b.version, c.id: c.version]) { $0.status = .done }
        }
        XCTAssertEqual(try [a, b, c].map { try XCTUnwrap(sara.followUps.get($0.id)) }.map { "\($0.title) \($0.status.rawValue) v\($0.version)" },
                       ["A done v2", "B done v3", "C done v1"], "C was done already: not written")
        XCTAssertEqual(try sara.followUps.get(a.id)?.doneAt, now)
        XCTAssertEqual(try sara.followUps.get(c.id)?.doneAt, created, "its own done time kept")
        XCTAssertEqual(try sara.audit("follow-up", a.id).first?.changes["status"], AuditChange(.text("open"), .text("done")))
        XCTAssertEqual(try sara.audit("follow-up", b.id).map(\.action), ["update", "update", "create"])
        XCTAssertEqual(try sara.audit("follow-up", c.id).map(\.action), ["create"])

        // Omid moves B meanwhile: Sara's snooze of A and B (seen at v2, v3) changes neither.
        var moved = try XCTUnwrap(omid.followUps.get(b.id))
        moved.dueAt = days(9)
        moved = try omid.followUps.update(moved)
        XCTAssertThrowsError(try sara.transaction {
            _ = try sara.followUps.update([a.id: 2, b.id: 3]) { $0.dueAt = dueLater }
        }) { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.id, b.id)
            XCTAssertEqual(edit.changedBy, "omid")
            XCTAssertEqual(edit.changedFields, ["due"])
        }
        XCTAssertEqual(try sara.followUps.get(a.id)?.dueAt, dueA, "nothing of it written")
        XCTAssertEqual(try sara.followUps.get(a.id)?.version, 2)
        let written = try sara.followUps.update([a.id: 2, b.id: moved.version]) { $0.dueAt = dueLater }
        XCTAssertEqual(written.written, [VersionedID(id: a.id, version: 3), VersionedID(id: b.id, version: 5)])
        XCTAssertEqual(try [a, b].map { try sara.followUps.get($0.id)?.dueAt }, [dueLater, dueLater])
        // What it wrote takes both back (the undo's set update).
        _ = try sara.followUps.update(written.written) { row in written.index(of: row.id).map { written.restore($0, &row) } }
        XCTAssertEqual(try [a, b].map { try sara.followUps.get($0.id)?.dueAt }, [dueA, moved.dueAt])
    }

    /// Issue 16 (memory flat): a set of any size is read and written
    /// `FollowUpSetWrite.chunk` rows at a time, still all or nothing (every
    /// version checked before the first write), and
    /// what it wrote is kept as plain values (no row struct, no text) for
    /// the undo.
    func aSetLargerThanAChunkIsWrittenAChunkAtATimeAndKeptAsPlainValues() throws {
        let sara = try open("sara"), omid = try open("omid")
        let nina = try sara.addContact("Nina", nil)
        let count = FollowUpSetWrite.chunk * 2 + 37
        let note = String(repeating: "a long note ", count: 20)
        var rows: [FollowUp] = []
        try sara.transaction {
            for i in 0..<count {
                rows.append(try sara.followUps.create(FollowUp(contactID: nina, title: "F\(i)", note: note, dueAt: days(Double(i) / 1_000))))
            }
        }
        let seen = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.version) })
        // Omid moves the first row of the third chunk meanwhile.
        let last = rows.sorted { $0.id < $1.id }[FollowUpSetWrite.chunk * 2]
        var moved = last
        moved.dueAt = days(20)
        moved = try omid.followUps.update(moved)
        let later = days(30)
        var changed = 0
        XCTAssertThrowsError(try sara.transaction {
            _ = try sara.followUps.update(seen) { changed += 1; $0.dueAt = later }
        }) { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.id, last.id)
        }
        XCTAssertEqual(changed, 0, "every version checked before any row is changed")
        XCTAssertEqual(try sara.followUps.get(rows[0].id)?.version, 1, "nothing written")
        XCTAssertEqual(try sara.followUps.get(rows[0].id)?.dueAt, rows[0].dueAt)

        var versions = seen
        versions[last.id] = moved.version
        var written = FollowUpSetWrite()
        // A chunk at a time: when the second chunk's first row is changed,
        // the first chunk is written already (all rows at once would change
        // every row before writing any).
        let ids = rows.map(\.id).sorted()
        var firstWhenSecond: Int64?
        try sara.transaction {
            written = try sara.followUps.update(versions) { row in
                if row.id == ids[FollowUpSetWrite.chunk] { firstWhenSecond = try? sara.followUps.get(ids[0])?.version }
                row.dueAt = later
            }
        }
        XCTAssertEqual(firstWhenSecond, 2, "the first chunk written before the second is changed")
        XCTAssertEqual(written.count, count)
        XCTAssertEqual(written.ids, ids)
        XCTAssertEqual(written.versions[FollowUpSetWrite.chunk * 2], moved.version + 1)
        XCTAssertEqual(written.versions.filter { $0 == 2 }.count, count - 1)
        // Plain values only: ids, versions and the due times before and after.
        XCTAssertTrue(_isPOD(FollowUpSetFields.self), "no string or reference in what the undo keeps")
        XCTAssertLessThanOrEqual(written.storedBytes, count * (8 + 8 + 2 * MemoryLayout<Date>.stride) + 256,
                                 "ids, versions and the due times' column, each sized for the set once")
        XCTAssertEqual(try sara.followUps.get(rows[5].id)?.dueAt, later)
        XCTAssertEqual(try sara.followUps.get(rows[5].id)?.note, note, "the text is not rewritten")

        // The undo: every row back as it was, from the record alone.
        var undone = FollowUpSetWrite()
        try sara.transaction {
            undone = try sara.followUps.update(written.written) { row in written.index(of: row.id).map { written.restore($0, &row) } }
        }
        XCTAssertEqual(undone.count, count)
        XCTAssertEqual(try sara.followUps.get(rows[5].id)?.dueAt, rows[5].dueAt)
        XCTAssertEqual(try sara.followUps.get(last.id)?.dueAt, days(20), "omid's due time, as the set found it")
    }

    func aDealTakesItsFollowUpsToTheTrashAndBack() throws {
        let s = try open("sara")
        let p = try s.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(s.pipelines.stages(pipelineID: p.id).first)
        let d = try s.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: "Deal", value: .zero(.eur)))
        let a = try s.followUps.create(FollowUp(dealID: d.id, title: "A", dueAt: days(1)))
        let b = try s.followUps.create(FollowUp(dealID: d.id, title: "B", dueAt: days(2)))
        let gone = try s.followUps.create(FollowUp(dealID: d.id, title: "Gone before", dueAt: days(3)))
        try s.followUps.delete(gone.id)
        try s.deals.delete(d.id)
        XCTAssertEqual(try s.followUps.open(dealID: d.id).count, 0)
        XCTAssertThrowsError(try s.followUps.restore(a.id), "it went with the deal") { error in
            XCTAssertEqual((error as? TrashRefusal)?.reason, .belongsToAnother)
        }
        XCTAssertEqual(try s.audit("deal", d.id).first?.changes["trashed follow-up"], AuditChange(.text(""), .text("\(a.id), \(b.id)")))
        try s.deals.restore(d.id)
        XCTAssertEqual(try s.followUps.open(dealID: d.id).map(\.followUp.title), ["A", "B"], "what went with it, not what was gone before")
        XCTAssertEqual(try s.followUps.get(a.id)?.version, 3)
    }

    func theListPagesBothWaysThroughEveryFilter() throws {
        let sara = try open("sara"), omid = try open("omid")
        let acme = try sara.addCompany("Acme 50% GmbH")
        let nina = try sara.addContact("Nina Müller", acme), ali = try sara.addContact("ALI", nil)
        let p = try sara.pipelines.createPipeline("Sales", stages: [Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10)])
        let stage = try XCTUnwrap(sara.pipelines.stages(pipelineID: p.id).first)
        let d = try sara.deals.create(Deal(pipelineID: p.id, stageID: stage.id, title: "Big_Deal", value: .zero(.eur), companyID: acme))
        var ids: [Int64] = []
        for i in 0..<9 {
            let who = i.isMultiple(of: 3) ? omid : sara
            let f = try who.followUps.create(FollowUp(contactID: i < 4 ? nina : (i < 7 ? ali : nil), dealID: i >= 7 ? d.id : nil,
                                                       title: "Task \(i)", dueAt: days(Double([3, 1, 1, 2, 5, 4, 0, 6, 2][i]))))
            ids.append(f.id)
        }
        var cancelled = try XCTUnwrap(sara.followUps.get(ids[5]))
        cancelled.status = .cancelled
        cancelled.cancelReason = "bought elsewhere"
        _ = try sara.followUps.update(cancelled)
        let byDue = [6, 1, 2, 3, 8, 0, 4, 7].map { ids[$0] }  // open ones by (due, id)
        func pages(_ filter: FollowUpFilter, size: Int) throws -> [Int64] {
            var seen: [Int64] = []
            var cursor: FollowUpCursor?
            while true {
                let page = try sara.followUps.list(filter, after: cursor, limit: size)
                if page.isEmpty { return seen }
                seen += page.map(\.id)
                cursor = FollowUpCursor(page.last!)
            }
        }
        XCTAssertEqual(try pages(FollowUpFilter(), size: 3), byDue)
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter()), 8)
        var back: [Int64] = []
        var before = FollowUpCursor(dueAt: days(100), id: 0)
        while true {
            let page = try sara.followUps.list(FollowUpFilter(), before: before, limit: 3)
            if page.isEmpty { break }
            back = page.map(\.id) + back
            before = FollowUpCursor(page.first!)
        }
        XCTAssertEqual(back, byDue, "paging up gives each page in ascending order")
        XCTAssertEqual(try pages(FollowUpFilter(statuses: [.cancelled]), size: 2), [ids[5]])
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(statuses: [])), 0, "no status: nothing")
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(statuses: [.open, .done, .cancelled])), 9)
        XCTAssertEqual(try pages(FollowUpFilter(assigneeID: omid.userID), size: 2), [6, 3, 0].map { ids[$0] })
        XCTAssertEqual(try pages(FollowUpFilter(contactID: ali), size: 2), [6, 4].map { ids[$0] })
        XCTAssertEqual(try pages(FollowUpFilter(companyID: acme), size: 2), [1, 2, 3, 8, 0, 7].map { ids[$0] },
                       "the contact's company, or the deal's")
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(companyID: acme)), 6)
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(customerText: "nina")), 4, "ASCII letters without case")
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(customerText: "MÜLLER")), 0, "as SQLite's LIKE: other letters keep their case")
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(customerText: "50%")), 6, "% is a character, not a wildcard")
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(customerText: "5_%")), 0)
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(dealText: "g_d")), 2)
        XCTAssertEqual(try sara.followUps.count(FollowUpFilter(dealText: "big_")), 2)
        XCTAssertEqual(try pages(FollowUpFilter(from: days(1), to: days(3)), size: 5), [1, 2, 3, 8].map { ids[$0] })
        XCTAssertEqual(try sara.followUps.due(from: nil, to: days(2), assigneeID: nil, limit: 10).map(\.id), [6, 1, 2].map { ids[$0] })
        XCTAssertEqual(try sara.followUps.due(from: days(1), to: nil, assigneeID: sara.userID, limit: 2).map(\.id), [1, 2].map { ids[$0] })
        XCTAssertEqual(try sara.followUps.open(contactID: nina).map(\.id), [1, 2, 3, 0].map { ids[$0] })
        let row = try XCTUnwrap(sara.followUps.open(dealID: d.id).first)
        XCTAssertEqual(row.dealTitle, "Big_Deal")
        XCTAssertEqual(row.companyName, "Acme 50% GmbH")
        XCTAssertEqual(try sara.followUps.open(contactID: nina).first?.contactName, "Nina Müller")
        XCTAssertEqual(try sara.followUps.open(contactID: nina).first?.assigneeLogin, "sara")
    }

    func todaysAgendaCountsAndPagesWhatIsDueAndWhoNeedsAttention() throws {
        let sara = try open("sara"), omid = try open("omid")
        let start = now
        let old = try sara.addContact("Old friend", nil), older = try sara.addContact("Older friend", nil)
        fixture.clock.advance(by: 10 * 86_400)
        let fresh = try sara.addContact("Fresh", nil)
        let own = try sara.addContact("Own cadence", nil)
        var due: [Int64] = []
        for (i, offset) in [-2.0, 0.5, 0.5, 3].enumerated() {
            due.append(try (i == 3 ? omid : sara).followUps.create(FollowUp(contactID: fresh, title: "T\(i)", dueAt: days(offset))).id)
        }
        let endOfToday = days(1)
        XCTAssertEqual(try sara.agenda.countDue(from: nil, to: endOfToday, assigneeID: nil), 3)
        XCTAssertEqual(try sara.agenda.countDue(from: nil, to: nil, assigneeID: omid.userID), 1)
        let first = try sara.agenda.duePage(from: nil, to: endOfToday, assigneeID: nil, cursor: nil, direction: .forward, limit: 2)
        XCTAssertEqual(first.map(\.id), [due[0], due[1]])
        let cursor = AgendaCursor(dueAt: first[1].followUp.dueAt, id: first[1].id)
        XCTAssertEqual(try sara.agenda.duePage(from: nil, to: endOfToday, assigneeID: nil, cursor: cursor, direction: .forward, limit: 5).map(\.id),
                       [due[2]])
        XCTAssertEqual(try sara.agenda.duePage(from: nil, to: endOfToday, assigneeID: nil, cursor: cursor, direction: .backward, limit: 5).map(\.id),
                       [due[0]], "backward: nearest first")
        XCTAssertEqual(try sara.agenda.duePosition(from: nil, to: endOfToday, assigneeID: nil, cursor: cursor), 1)
        XCTAssertEqual(try sara.agenda.dueIDs(from: nil, to: endOfToday, assigneeID: nil).map(\.id), [due[0], due[1], due[2]])

        // Leads untouched for a week need attention; "Own cadence" every 20 days.
        let rules = [CadenceRule(.lifecycle(.lead), days: 7)]
        let setting = try XCTUnwrap(sara.agenda.attention(contactID: own))
        XCTAssertNil(setting.cadenceDays)
        let set = try sara.agenda.setAttention(ContactAttention(contactID: own, cadenceDays: 20, snoozedUntil: nil, version: setting.version))
        XCTAssertEqual(set.cadenceDays, 20)
        XCTAssertThrowsError(try omid.agenda.setAttention(ContactAttention(contactID: own, cadenceDays: 5, snoozedUntil: nil,
                                                                           version: setting.version))) { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.changedBy, "sara")
            XCTAssertEqual(edit.changedFields, ["cadence"])
        }
        XCTAssertThrowsError(try sara.agenda.setAttention(ContactAttention(contactID: own, cadenceDays: 0, snoozedUntil: nil, version: set.version)))
        XCTAssertEqual(try sara.agenda.attentionPage(rules: rules, now: now, ownerID: nil, cursor: nil, direction: .forward, limit: 10)
            .map(\.contactID), [old, older])
        fixture.clock.advance(by: 30 * 86_400)
        let page = try sara.agenda.attentionPage(rules: rules, now: now, ownerID: nil, cursor: nil, direction: .forward, limit: 10)
        XCTAssertEqual(page.map(\.contactID), [old, older, fresh, own])
        XCTAssertEqual(page.map(\.dueAt), [start.addingTimeInterval(7 * 86_400), start.addingTimeInterval(7 * 86_400),
                                            start.addingTimeInterval(17 * 86_400), start.addingTimeInterval(30 * 86_400)])
        XCTAssertEqual(page.last?.ownCadenceDays, 20)
        XCTAssertEqual(try sara.agenda.pastCadence(rules: rules, now: now, ownerID: nil, limit: 2).map(\.contactID), [old, older])
        XCTAssertEqual(try sara.agenda.countPastCadence(rules: rules, now: now, ownerID: nil), 4)
        XCTAssertEqual(try sara.agenda.attentionPosition(rules: rules, now: now, ownerID: nil, cursor: page[2].cursor), 2)
        XCTAssertEqual(try sara.agenda.attentionPage(rules: rules, now: now, ownerID: nil, cursor: page[2].cursor, direction: .backward,
                                                     limit: 10).map(\.contactID), [older, old])
        XCTAssertEqual(Set(try sara.agenda.attentionIDs(rules: rules, now: now, ownerID: nil).map(\.id)), [old, older, fresh, own])
        // A snooze hides a contact until it ends.
        let current = try XCTUnwrap(sara.agenda.attention(contactID: old))
        _ = try sara.agenda.setAttention(ContactAttention(contactID: old, cadenceDays: nil, snoozedUntil: days(2), version: current.version))
        XCTAssertEqual(try sara.agenda.countPastCadence(rules: rules, now: now, ownerID: nil), 3)
        XCTAssertEqual(try sara.agenda.countPastCadence(rules: rules, now: days(3), ownerID: nil), 4)
        XCTAssertEqual(try sara.audit("contact", old).first?.action, "update")

        // Several at once (Needs attention's bulk, QA 29 #2): each at the
        // version seen, one refusal leaves every one as it was.
        let seen = try [older, fresh].map { try XCTUnwrap(sara.agenda.attention(contactID: $0)) }
        let versions = Dictionary(uniqueKeysWithValues: seen.map { ($0.contactID, $0.version) })
        var stale = versions
        stale[fresh] = versions[fresh]! - 1
        XCTAssertThrowsError(try sara.transaction { _ = try sara.agenda.setAttention(stale) { $0.snoozedUntil = days(5) } }) { error in
            guard case RepositoryError.stale(let edit) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(edit.id, fresh)
        }
        XCTAssertEqual(try [older, fresh].map { try sara.agenda.attention(contactID: $0) }, seen, "nothing written")
        var written: [(before: ContactAttention, wrote: ContactAttention)] = []
        try sara.transaction { written = try sara.agenda.setAttention(versions) { $0.snoozedUntil = days(5) } }
        XCTAssertEqual(written.map(\.before), seen)
        XCTAssertEqual(written.map(\.wrote.snoozedUntil), [days(5), days(5)])
        XCTAssertEqual(written.map(\.wrote.version), seen.map { $0.version + 1 })
        XCTAssertEqual(try [older, fresh].map { try sara.agenda.attention(contactID: $0) }, written.map(\.wrote))
        XCTAssertEqual(try sara.audit("contact", fresh).first?.action, "update")
        XCTAssertEqual(try sara.agenda.countPastCadence(rules: rules, now: days(3), ownerID: nil), 2)
        // Nothing to change: nothing written, the versions stay.
        var again: [(before: ContactAttention, wrote: ContactAttention)] = []
        let wroteVersions = Dictionary(uniqueKeysWithValues: written.map { ($0.wrote.contactID, $0.wrote.version) })
        try sara.transaction { again = try sara.agenda.setAttention(wroteVersions) { _ in } }
        XCTAssertEqual(again.map(\.wrote), written.map(\.wrote))
    }

    /// Today's headers read together (`agendaCounts`) are exactly the
    /// separate counts, for everyone and for one assignee; on PostgreSQL in
    /// one round trip.
    func theHeadersCountsAreTheSeparateCountsReadTogether() throws {
        let sara = try open("sara"), omid = try open("omid")
        let nina = try sara.addContact("Nina", nil)
        _ = try sara.addContact("Old friend", nil)
        let kept = try omid.addContact("Omid's friend", nil)
        fixture.clock.advance(by: 10 * 86_400)
        _ = try sara.addContact("Fresh", nil)
        // Ties on the due time too (the pages' keyset is (due, id)).
        for (i, offset) in [-3.0, -2, -2, 0.25, 0.5, 0.5, 2, 5, 9].enumerated() {
            _ = try (i.isMultiple(of: 3) ? omid : sara).followUps.create(FollowUp(contactID: i == 4 ? kept : nina, title: "T\(i)",
                                                                                 dueAt: days(offset)))
        }
        let windows = [DueWindow(from: nil, to: now), DueWindow(from: now, to: days(1)), DueWindow(from: days(1), to: days(8)),
                       DueWindow(from: nil, to: nil)]
        let rules = [CadenceRule(.lifecycle(.lead), days: 7), CadenceRule(.lifecycle(.customer), days: 3)]
        for who in [nil, sara.userID, omid.userID] {
            let statements = (sara.repositories as? PostgresDatabase)?.connection.statementCount
            let together = try sara.agenda.agendaCounts(windows: windows, assigneeID: who, rules: rules, now: now)
            if let statements {
                XCTAssertEqual((sara.repositories as? PostgresDatabase)?.connection.statementCount, statements + 1, "one round trip")
            }
            XCTAssertEqual(together.due, try windows.map { try sara.agenda.countDue(from: $0.from, to: $0.to, assigneeID: who) },
                           "\(fixture.name): assignee \(String(describing: who))")
            XCTAssertEqual(together.pastCadence, try sara.agenda.countPastCadence(rules: rules, now: now, ownerID: who))
        }
        let everyone = try sara.agenda.agendaCounts(windows: windows, assigneeID: nil, rules: rules, now: now)
        // Counted no further than asked (Today's "1000+"), still in one round trip.
        for limit in [0, 1, 2, 3, 10] {
            let statements = (sara.repositories as? PostgresDatabase)?.connection.statementCount
            let capped = try sara.agenda.agendaCounts(windows: windows, assigneeID: nil, rules: rules, now: now, upTo: limit)
            if let statements {
                XCTAssertEqual((sara.repositories as? PostgresDatabase)?.connection.statementCount, statements + 1, "one round trip")
            }
            XCTAssertEqual(capped, AgendaCounts(due: everyone.due.map { min($0, limit) }, pastCadence: min(everyone.pastCadence, limit)),
                           "\(fixture.name): up to \(limit)")
            XCTAssertEqual(try sara.agenda.countDue(from: nil, to: nil, assigneeID: nil, upTo: limit), min(9, limit))
            XCTAssertEqual(try sara.agenda.countPastCadence(rules: rules, now: now, ownerID: nil, upTo: limit), min(3, limit))
        }
        XCTAssertEqual(everyone.due, [3, 3, 2, 9], "\(fixture.name): overdue, today, the week ahead, all")
        XCTAssertEqual(everyone.pastCadence, 3, "\(fixture.name): the three leads untouched for ten days")
        XCTAssertEqual(try sara.agenda.agendaCounts(windows: [], assigneeID: nil, rules: [], now: now), AgendaCounts(due: [], pastCadence: 0))
    }
}
