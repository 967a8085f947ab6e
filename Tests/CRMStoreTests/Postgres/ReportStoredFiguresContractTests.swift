import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The report figures both engines keep by triggers (SQLite's steps 32 and
/// 35, PostgreSQL's step 43): interactions per author, kind and day,
/// follow-ups per assignee and day, every finished stay in a stage and the
/// stages each deal entered (step 56). After every kind of write they are exactly what a
/// recount from the rows gives, on both engines; and the People and
/// Pipeline figures read from them are the counts over the rows, for
/// periods that cut days anywhere.
struct ReportStoredFiguresContract {
    let db: any CRMRepositories
    /// The rows of a query, each as one text (plain SQL both engines read).
    let rows: (_ sql: String) throws -> [String]
    /// The Pipeline figures worked out from the stage history, as before the stored tables.
    let fromHistory: (_ filter: ReportFilter) throws -> (times: [StageTimeFigure], funnel: [String])
    let clock: ManualClock

    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    static let day = "(%@ - (%@ %% 86400 + 86400) %% 86400)"
    static func dayOf(_ column: String) -> String { String(format: day, column, column) }

    func sorted(_ sql: String) throws -> [String] { try rows(sql).sorted() }

    /// Each stored table against a recount with the definition it keeps.
    func assertKept(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let interactionDay = Self.dayOf("occurred_at")
        XCTAssertEqual(
            try sorted("SELECT author_id || ' ' || kind || ' ' || day_start || ' ' || interactions FROM report_interaction_days WHERE interactions <> 0"),
            try sorted("""
                SELECT author_id || ' ' || kind || ' ' || \(interactionDay) || ' ' || count(*) FROM interactions
                WHERE deleted_at IS NULL AND author_id IS NOT NULL GROUP BY author_id, kind, \(interactionDay)
                """), "interactions per day after \(step)", file: file, line: line)
        let dueDay = Self.dayOf("due_at")
        XCTAssertEqual(
            try sorted("""
                SELECT assignee_id || ' ' || day_start || ' ' || due || ' ' || done_on_time || ' ' || done_late
                FROM report_follow_up_days WHERE due <> 0 OR done_on_time <> 0 OR done_late <> 0
                """),
            try sorted("""
                SELECT assignee_id || ' ' || \(dueDay) || ' ' || count(*) || ' '
                       || sum(CASE WHEN status = 'done' AND done_at <= due_at THEN 1 ELSE 0 END) || ' '
                       || sum(CASE WHEN status = 'done' AND done_at > due_at THEN 1 ELSE 0 END)
                FROM follow_ups WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled'
                GROUP BY assignee_id, \(dueDay)
                """), "follow-ups per day after \(step)", file: file, line: line)
        let stay = """
            deal_id || ' ' || coalesce(history_id, -1) || ' ' || coalesce(stage_id, -1) || ' ' || coalesce(left_at, -1) || ' '
            || secs || ' ' || %@ || ' ' || coalesce(owner_id, -1) || ' ' || coalesce(pipeline_id, -1) || ' ' || coalesce(currency, '-')
            """
        XCTAssertEqual(
            try sorted("SELECT \(String(format: stay, "CASE WHEN live THEN 1 ELSE 0 END")) FROM report_stage_stays"),
            try sorted("""
                SELECT \(String(format: stay, "live")) FROM (
                    SELECT n.deal_id, n.id AS history_id, n.from_stage_id AS stage_id, n.changed_at AS left_at,
                           n.changed_at - (SELECT max(p.changed_at) FROM deal_stage_history p
                                           WHERE p.deal_id = n.deal_id AND p.to_stage_id = n.from_stage_id
                                             AND p.changed_at <= n.changed_at AND p.id < n.id) AS secs,
                           CASE WHEN d.deleted_at IS NULL THEN 1 ELSE 0 END AS live, d.owner_id, d.pipeline_id, d.currency
                    FROM deal_stage_history n JOIN deals d ON d.id = n.deal_id WHERE n.from_stage_id IS NOT NULL
                    UNION ALL
                    SELECT d.id, NULL, d.stage_id, d.closed_at, d.closed_at - d.stage_entered_at,
                           CASE WHEN d.deleted_at IS NULL THEN 1 ELSE 0 END, d.owner_id, d.pipeline_id, d.currency
                    FROM deals d WHERE d.status IN ('won', 'lost')) x
                WHERE secs IS NOT NULL AND secs >= 0
                """), "stays after \(step)", file: file, line: line)
        // The stages each deal entered (step 56): its history's and its stage now, ascending.
        var entered: [Int64: Set<Int64>] = [:]
        for pair in try rows("""
            SELECT h.deal_id || ' ' || h.to_stage_id FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id
            UNION SELECT d.id || ' ' || d.stage_id FROM deals d
            """) {
            let ids = pair.split(separator: " ").compactMap { Int64($0) }
            entered[ids[0], default: []].insert(ids[1])
        }
        XCTAssertEqual(try sorted("SELECT deal_id || ' ' || stages FROM report_deal_seen"),
                       entered.map { "\($0.key) " + $0.value.sorted().map(String.init).joined(separator: ",") }.sorted(),
                       "stages entered after \(step)", file: file, line: line)
        try assertFiguresAreTheRowCounts(step, file: file, line: line)
    }

    /// Periods over the last year, a few days and one day, cut mid-day
    /// (as a local midnight cuts UTC days); everyone's, one owner's, one
    /// pipeline and currency.
    func filters(owner: Int64, pipeline: Int64) -> [ReportFilter] {
        let now = clock.now
        var filters: [ReportFilter] = []
        for (from, to) in [(-400.0, 1.0), (-3.3, 0.5), (-1.0, 1.0), (-0.2, 0.1)] {
            let start = now.addingTimeInterval(from * 86_400), end = now.addingTimeInterval(to * 86_400)
            filters.append(ReportFilter(start: start, end: end, now: now))
            filters.append(ReportFilter(start: start, end: end, ownerIDs: [owner], now: now))
            filters.append(ReportFilter(start: start, end: end, pipelineIDs: [pipeline], currency: .eur, now: now))
        }
        return filters
    }

    var owner: Int64 = 0
    var pipeline: Int64 = 0

    func assertFiguresAreTheRowCounts(_ step: String, file: StaticString, line: UInt) throws {
        let users = try db.allUsers().map(\.id)
        let people = db.peopleReportRepository, deals = db.dealReportRepository
        for filter in filters(owner: owner, pipeline: pipeline) {
            let (s, e) = (filter.start.wholeSecondsSince1970, filter.end.wholeSecondsSince1970)
            let interactions = try people.interactions(filter, users: users)
                .flatMap { user, kinds in kinds.map { "\(user) \($0.key.rawValue) \($0.value)" } }.sorted()
            XCTAssertEqual(interactions, try sorted("""
                SELECT author_id || ' ' || kind || ' ' || count(*) FROM interactions
                WHERE deleted_at IS NULL AND author_id IS NOT NULL AND kind <> 'stage' AND occurred_at >= \(s) AND occurred_at < \(e)
                GROUP BY author_id, kind
                """), "interactions of \(filter.start)…\(filter.end) after \(step)", file: file, line: line)
            let followUps = try people.followUps(filter, users: users)
                .map { "\($0.key) \($0.value.due) \($0.value.onTime) \($0.value.late) \($0.value.overdue) \($0.value.overdueIDs)" }.sorted()
            let overdue = try rows("""
                SELECT assignee_id || ' ' || id FROM follow_ups WHERE deleted_at IS NULL AND status = 'open'
                  AND due_at >= \(s) AND due_at < \(e) AND due_at < \(filter.now.wholeSecondsSince1970)
                """).map { $0.split(separator: " ").compactMap { Int64($0) } }
            let counted = try rows("""
                SELECT assignee_id || ' ' || count(*) || ' ' || sum(CASE WHEN status = 'done' AND done_at <= due_at THEN 1 ELSE 0 END) || ' '
                       || sum(CASE WHEN status = 'done' AND done_at > due_at THEN 1 ELSE 0 END)
                FROM follow_ups WHERE deleted_at IS NULL AND assignee_id IS NOT NULL AND status <> 'cancelled'
                  AND due_at >= \(s) AND due_at < \(e)
                GROUP BY assignee_id
                """).map { line -> String in
                let user = Int64(line.split(separator: " ")[0]) ?? 0
                let ids = overdue.filter { $0[0] == user }.map { $0[1] }.sorted()
                return "\(line) \(ids.count) \(ids)"
            }.sorted()
            XCTAssertEqual(followUps, counted, "follow-ups of \(filter.start)…\(filter.end) after \(step)", file: file, line: line)

            let expected = try fromHistory(filter)
            XCTAssertEqual(try deals.stageTimes(filter).sorted { $0.stageID < $1.stageID }, expected.times.sorted { $0.stageID < $1.stageID },
                           "median days per stage after \(step)", file: file, line: line)
            XCTAssertEqual(try deals.funnel(filter).stages.map { "\($0.stageID): \($0.dealIDs)" }.sorted(), expected.funnel.sorted(),
                           "funnel after \(step)", file: file, line: line)
        }
    }

    func checkEveryWriteKeepsTheFigures() throws {
        var contract = self
        let omid = try db.userRepository.add(login: "omid", name: "Omid", role: .rep)
        let lena = try db.userRepository.add(login: "lena", name: "Lena", role: .rep)
        let sales = try db.pipelineRepository.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Qualified", position: 1, probability: 30),
            Stage(pipelineID: 0, name: "Proposal", position: 2, probability: 60),
            Stage(pipelineID: 0, name: "Negotiation", position: 3, probability: 80),
        ])
        let stages = try db.pipelineRepository.stages(pipelineID: sales.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }
        contract.owner = omid.id
        contract.pipeline = sales.id
        try contract.assertKept("nothing")

        // Interactions: logged, moved in time, to another author and kind, trashed, restored.
        let contacts = db.contactRepository, interactions = db.interactionRepository, followUps = db.followUpRepository
        let ana = try contacts.create(Contact(name: "Ana Ruiz", ownerID: omid.id, lifecycle: .customer))
        let bo = try contacts.create(Contact(name: "Bo Lind", ownerID: lena.id, lifecycle: .lead))
        func log(_ contact: Contact, _ kind: InteractionKind, hoursAgo: Double) throws -> Interaction {
            try interactions.log(Interaction(contactID: contact.id, kind: kind, occurredAt: clock.now.addingTimeInterval(-hoursAgo * 3_600),
                                             body: "spoke"))
        }
        var call = try log(ana, .call, hoursAgo: 2)
        _ = try log(ana, .email, hoursAgo: 30)
        let meeting = try log(bo, .meeting, hoursAgo: 70)
        _ = try log(bo, .note, hoursAgo: 24 * 200)
        try contract.assertKept("logging")
        call.occurredAt = clock.now.addingTimeInterval(-5 * 86_400)
        call.kind = .message
        call = try interactions.update(call)
        try contract.assertKept("an interaction moved in time and kind")
        try interactions.delete(meeting.id)
        try contract.assertKept("an interaction trashed")
        try interactions.restore(meeting.id)
        try contract.assertKept("an interaction restored")

        // Follow-ups: due, done early and late, cancelled, moved, reassigned, trashed.
        func followUp(_ title: String, hours: Double, assignee: Int64) throws -> FollowUp {
            try followUps.create(FollowUp(contactID: ana.id, assigneeID: assignee, title: title,
                                          dueAt: clock.now.addingTimeInterval(hours * 3_600), createdAt: clock.now))
        }
        var early = try followUp("early", hours: 5, assignee: omid.id)
        var late = try followUp("late", hours: -30, assignee: omid.id)
        var cancelled = try followUp("cancelled", hours: -3, assignee: lena.id)
        let open = try followUp("open", hours: -50, assignee: lena.id)
        _ = try followUp("later", hours: 24 * 3, assignee: lena.id)
        try contract.assertKept("follow-ups created")
        early.status = .done
        early.doneAt = clock.now
        early = try followUps.update(early)
        late.status = .done
        late.doneAt = clock.now
        late = try followUps.update(late)
        cancelled.status = .cancelled
        cancelled = try followUps.update(cancelled)
        try contract.assertKept("follow-ups done and cancelled")
        late.dueAt = clock.now.addingTimeInterval(-6 * 86_400)
        late.assigneeID = lena.id
        late = try followUps.update(late)
        late.status = .open
        late.doneAt = nil
        late = try followUps.update(late)
        try contract.assertKept("a follow-up moved, reassigned and opened again")
        try followUps.delete(open.id)
        try contract.assertKept("a follow-up trashed")
        try followUps.restore(open.id)
        try contract.assertKept("a follow-up restored")

        // Deals: created, moved on and back, won, lost, reopened, edited, reassigned, trashed, purged.
        let deals = db.dealRepository
        func deal(_ title: String, stage: Int = 0, owner: Int64? = nil, currency: Currency = .eur) throws -> Deal {
            try deals.create(Deal(pipelineID: sales.id, stageID: stages[stage].id, title: title,
                                  value: Money(minorUnits: 1_000_00, currency: currency), ownerID: owner,
                                  stageEnteredAt: clock.now, createdAt: clock.now, updatedAt: clock.now))
        }
        func move(_ id: Int64, to stage: Int, after hours: Double) throws {
            clock.advance(by: hours * 3_600)
            _ = try deals.move(id, toStage: stages[stage].id, expectedVersion: try XCTUnwrap(deals.get(id)).version)
        }
        let a = try deal("A"), b = try deal("B", owner: omid.id), c = try deal("C", currency: .usd)
        try contract.assertKept("creating deals")
        try move(a.id, to: 1, after: 5)
        try move(a.id, to: 2, after: 30)
        try move(b.id, to: 2, after: 2)
        try move(c.id, to: 1, after: 1)
        try move(a.id, to: 1, after: 12)
        try move(a.id, to: 3, after: 50)
        try contract.assertKept("moves on and back")
        let entered = try XCTUnwrap(deals.get(b.id)).stageEnteredAt
        try move(b.id, to: 0, after: 3)
        _ = try deals.moveBack(b.id, toStage: stages[2].id, enteredAt: entered, expectedVersion: try XCTUnwrap(deals.get(b.id)).version)
        try contract.assertKept("a move taken back")
        clock.advance(by: 7_200)
        let wonA = try deals.close(a.id, as: .won, reason: "", expectedVersion: try XCTUnwrap(deals.get(a.id)).version)
        _ = try deals.close(c.id, as: .lost, reason: "price", expectedVersion: try XCTUnwrap(deals.get(c.id)).version)
        try contract.assertKept("won and lost")
        clock.advance(by: 600)
        _ = try deals.reopen(a.id, expectedVersion: wonA.version)
        try contract.assertKept("reopened")
        var edited = try XCTUnwrap(deals.get(c.id))
        edited.ownerID = omid.id
        edited.value = Money(minorUnits: 5_00, currency: .eur)
        _ = try deals.update(edited)
        try contract.assertKept("an edit of owner and currency")
        _ = try db.reassignRepository.reassign([ReassignItem(.deal, b.id), ReassignItem(.contact, ana.id)], to: lena.id)
        try contract.assertKept("reassignment")
        try deals.delete(b.id)
        try contract.assertKept("a deal trashed")
        try deals.restore(b.id)
        try contract.assertKept("a deal restored")
        try deals.delete(c.id)
        try db.trashRepository.trash(.contact, bo.id)
        try contract.assertKept("a contact trashed with its follow-ups")
        _ = try db.trashRepository.purge(kind: nil, deletedBefore: nil)
        try contract.assertKept("a purge")

        // Stages: reordered, deleted with their deals moved, restored.
        // Schema 56: a stage's move writes no stored row (the funnel reads
        // where the stages stand now), yet its figures follow the move.
        let seen = "SELECT deal_id || ' ' || stages FROM report_deal_seen"
        let seenBefore = try sorted(seen)
        try db.pipelineRepository.moveStage(stages[3].id, by: -2)
        XCTAssertEqual(try sorted(seen), seenBefore, "a stage's move rewrote the stages deals entered")
        try contract.assertKept("a stage reordered")
        // Swaps and a long move.
        try db.pipelineRepository.moveStage(stages[1].id, by: 1)
        try contract.assertKept("a stage moved one to the right")
        try db.pipelineRepository.moveStage(stages[0].id, by: 3)
        try contract.assertKept("the first stage moved to the end")
        try db.pipelineRepository.moveStage(stages[0].id, by: -3)
        try contract.assertKept("and back to the start")
        let d = try deal("D", stage: 1)
        try move(d.id, to: 2, after: 1)
        let deletion = try db.pipelineRepository.deleteStage(stages[2].id, movingDealsTo: stages[0].id)
        try contract.assertKept("a stage deleted")
        _ = try db.pipelineRepository.restoreStage(deletion)
        try contract.assertKept("a stage restored")
    }
}

final class SQLiteReportStoredFiguresTests: XCTestCase {
    func testEveryWriteKeepsTheFigures() throws {
        let folder = TempFolder()
        let clock = ManualClock(ReportStoredFiguresContract.start)
        let db = try Database(path: folder.path("crm.db"), login: "boss", clock: clock)
        try ReportStoredFiguresContract(
            db: db, rows: { sql in try db.connection.rows(sql) { $0.optionalString(0) ?? "" } },
            fromHistory: { filter in
                let times = SQLiteDealReportRepository.stageTimesQuery(filter), funnel = SQLiteDealReportRepository.funnelQuery(filter)
                return (try db.connection.rows(times.sql, times.values) {
                            StageTimeFigure(stageID: $0.int64(0), stays: $0.int(1), medianDays: $0.double(2))
                        },
                        try db.connection.rows(funnel.sql, funnel.values) { "\($0.int64(0)): \(ReportSQL.ids($0.optionalString(1)))" })
            }, clock: clock).checkEveryWriteKeepsTheFigures()
    }
}

final class PGReportStoredFiguresTests: XCTestCase {
    func testEveryWriteKeepsTheFigures() throws {
        let server = try TestPostgresServer.require()
        let clock = ManualClock(ReportStoredFiguresContract.start)
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "boss", clock: clock)
        try ReportStoredFiguresContract(
            db: db, rows: { sql in try db.connection.rows(sql) { $0.string(0) } },
            fromHistory: { filter in
                let funnel = PGDealReportRepository.funnelQuery(filter)
                return (try PGDealReportRepository(db: db).stageTimesFromHistory(filter),
                        try db.connection.rows(funnel.sql, funnel.values) { "\($0.int64(0)): \(PGReportSQL.ids($0.optionalString(1)))" })
            }, clock: clock).checkEveryWriteKeepsTheFigures()
    }

    /// `crm migrate` into PostgreSQL loads with the triggers off and fills
    /// the four tables once: they hold what the triggers would have kept.
    func testACopyFillsTheStoredFigures() throws {
        let folder = TempFolder()
        let clock = ManualClock(ReportStoredFiguresContract.start)
        let source = try Database(path: folder.path("crm.db"), login: "boss", clock: clock)
        let omid = try source.users.findOrCreate(login: "omid")
        let sales = try source.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Offer", position: 1, probability: 50),
        ])
        let stages = try source.pipelines.stages(pipelineID: sales.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }
        let ana = try source.contacts.create(Contact(name: "Ana Ruiz", ownerID: omid.id, lifecycle: .customer))
        _ = try source.interactions.log(Interaction(contactID: ana.id, kind: .call, occurredAt: clock.now.addingTimeInterval(-3_600), body: "x"))
        _ = try source.followUps.create(FollowUp(contactID: ana.id, assigneeID: omid.id, title: "call back",
                                                 dueAt: clock.now.addingTimeInterval(-7_200), createdAt: clock.now))
        let deal = try source.deals.create(Deal(pipelineID: sales.id, stageID: stages[0].id, title: "A",
                                                value: Money(minorUnits: 100, currency: .eur), ownerID: omid.id,
                                                stageEnteredAt: clock.now, createdAt: clock.now, updatedAt: clock.now))
        clock.advance(by: 3_600)
        let moved = try source.deals.move(deal.id, toStage: stages[1].id, expectedVersion: deal.version)
        clock.advance(by: 3_600)
        _ = try source.deals.close(deal.id, as: .won, reason: "", expectedVersion: moved.version)

        let server = try TestPostgresServer.require()
        let target = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "boss", clock: clock)
        try copySnapshot(from: source, into: target)
        XCTAssertEqual(try target.connection.rows("SELECT count(*) FROM report_stage_stays") { $0.string(0) }, ["2"])
        XCTAssertEqual(try target.connection.rows("SELECT sum(interactions) FROM report_interaction_days WHERE kind = 'call'") { $0.string(0) }, ["1"])
        var copied = ReportStoredFiguresContract(
            db: target, rows: { sql in try target.connection.rows(sql) { $0.string(0) } },
            fromHistory: { filter in
                let funnel = PGDealReportRepository.funnelQuery(filter)
                return (try PGDealReportRepository(db: target).stageTimesFromHistory(filter),
                        try target.connection.rows(funnel.sql, funnel.values) { "\($0.int64(0)): \(PGReportSQL.ids($0.optionalString(1)))" })
            }, clock: clock)
        copied.owner = omid.id
        copied.pipeline = sales.id
        try copied.assertKept("a copy by crm migrate")
        // The triggers are on again after the copy.
        _ = try target.interactionRepository.log(Interaction(contactID: ana.id, kind: .call, occurredAt: clock.now, body: "y"))
        try copied.assertKept("a write after the copy")
    }
}
