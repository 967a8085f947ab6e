import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// The stored interactions per contact of schema 40 (`contact_year_interactions`
/// in the window ending `contact_year_window.as_of`), on both engines: exactly
/// what a recount from the interactions gives after every kind of write and
/// after a writer moves the window; and the RFM frequency read from them
/// (plus the corrections to the report's now) is the count worked out by
/// hand, for a now after the window, before it, and a year or more away.
struct CustomerYearInteractionsContract {
    /// A new session on the engine's database (a writer opening it moves the
    /// window to the clock's day).
    let open: () throws -> any CRMRepositories
    /// The rows of a query, each as text.
    let rows: (_ sql: String) throws -> [String]
    /// One statement of plain SQL.
    let run: (_ sql: String) throws -> Void
    let clock: ManualClock

    static let t: Int64 = 1_781_481_600  // 2026-06-15 00:00 UTC
    static func at(_ days: Int64, _ seconds: Int64 = 0) -> Date { Date(timeIntervalSince1970: Double(t + days * 86_400 + seconds)) }

    /// The stored counts against a recount with the definition they keep.
    func assertKept(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let stored = try rows("SELECT contact_id || ' ' || interactions FROM contact_year_interactions WHERE interactions <> 0 ORDER BY contact_id")
        let counted = try rows("""
            SELECT i.contact_id || ' ' || count(*) FROM interactions i, contact_year_window w
            WHERE w.id = 1 AND i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
              AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of
            GROUP BY i.contact_id ORDER BY i.contact_id
            """)
        XCTAssertEqual(stored, counted, "stored counts after \(step)", file: file, line: line)
        XCTAssertEqual(try rows("SELECT count(*) FROM contact_year_interactions WHERE interactions < 0"), ["0"], step, file: file, line: line)
    }

    func asOf() throws -> Int64 { Int64(try rows("SELECT as_of FROM contact_year_window").first ?? "") ?? -1 }

    func checkEveryWriteKeepsTheCounts() throws {
        clock.now = Self.at(0, 3_600)
        let db = try open()
        XCTAssertEqual(try asOf(), Self.t, "a writer opening the database moves the window to its day")
        let omid = try db.userRepository.add(login: "omid", name: "Omid", role: .rep)
        _ = try db.userRepository.add(login: "lena", name: "Lena", role: .rep)
        let contacts = db.contactRepository, interactions = db.interactionRepository
        let ana = try contacts.create(Contact(name: "Ana Ruiz", ownerID: omid.id, lifecycle: .customer))
        let bo = try contacts.create(Contact(name: "Bo Lind", lifecycle: .customer))
        func log(_ contact: Contact, _ days: Int64) throws -> Interaction {
            try interactions.log(Interaction(contactID: contact.id, kind: .call, occurredAt: Self.at(days), body: "spoke"))
        }
        var call = try log(ana, -10)
        _ = try log(ana, -364)
        _ = try log(ana, -366)  // before the window
        _ = try log(ana, 3)     // after its end: not yet counted
        let meeting = try log(bo, -1)
        try assertKept("logging")
        call.occurredAt = Self.at(-400)
        call = try interactions.update(call)
        try assertKept("moving an interaction out of the window")
        call.occurredAt = Self.at(-20)
        call.contactID = bo.id
        call = try interactions.update(call)
        try assertKept("moving an interaction to another contact")
        try interactions.delete(meeting.id)
        try assertKept("deleting an interaction")
        try interactions.restore(meeting.id)
        try assertKept("restoring it")
        try db.trashRepository.trash(.contact, bo.id)
        try assertKept("trashing a contact")
        _ = try db.trashRepository.restore(.contact, bo.id)
        try assertKept("restoring the contact")

        let anaAgain = try contacts.create(Contact(name: "Ana Ruiz", lifecycle: .customer))
        _ = try log(anaAgain, -2)
        let survivor = try XCTUnwrap(contacts.get(ana.id))
        let merged = try contacts.merge(into: survivor, other: anaAgain.id, otherVersion: try XCTUnwrap(contacts.get(anaAgain.id)).version)
        try assertKept("merging two contacts")
        try contacts.undoMerge(merged)
        try assertKept("undoing the merge")

        let reassigned = try db.reassignRepository.reassign([ReassignItem(.contact, ana.id)], to: db.currentUser.id)
        try assertKept("reassigning")
        _ = try db.reassignRepository.undoReassign(reassigned)
        let handover = try XCTUnwrap(try db.userRepository.deactivate(login: "omid", handover: HandoverPlan(everythingTo: "lena")).1)
        _ = try db.userRepository.undoHandover(handover.id)
        try assertKept("a handover and its undo")

        // Deals: a stage move, won, lost and reopened (a stage change may
        // log an interaction of the contact).
        let pipeline = try db.pipelineRepository.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Offer", position: 1, probability: 50),
        ])
        let stages = try db.pipelineRepository.stages(pipelineID: pipeline.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }
        var deal = try db.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stages[0].id, title: "Ana's order",
                                                     value: Money(minorUnits: 100_00, currency: .eur), contactID: ana.id))
        deal = try db.dealRepository.move(deal.id, toStage: stages[1].id, expectedVersion: deal.version)
        deal = try db.dealRepository.close(deal.id, as: .won, reason: "", expectedVersion: deal.version)
        deal = try db.dealRepository.reopen(deal.id, expectedVersion: deal.version)
        deal = try db.dealRepository.close(deal.id, as: .lost, reason: "price", expectedVersion: deal.version)
        try assertKept("a deal moved, won, reopened and lost")

        var source: any ImportSource = ImportRows([.contact(ImportContact(line: 2, name: "Cai Wen", lifecycle: .customer))])
        let summary = try db.importRepository.importContacts(from: &source, options: ImportOptions(label: "f.csv"), progress: nil) { _ in }
        let cai = try XCTUnwrap(Int64(try rows("SELECT id FROM contacts WHERE name = 'Cai Wen'").first ?? ""))
        _ = try interactions.log(Interaction(contactID: cai, kind: .note, occurredAt: Self.at(-30), body: "imported"))
        try assertKept("an import and a note on the imported contact")
        _ = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: true)
        try assertKept("undoing the import")

        try db.trashRepository.trash(.contact, bo.id)
        _ = try db.trashRepository.purge(kind: nil, deletedBefore: nil)
        try assertKept("purging a contact with its interactions")

        // The window moves when a writer opens the database on a later day:
        // by a few days (the slices passed), and by more than a year.
        clock.now = Self.at(3, 60)
        _ = try open()
        XCTAssertEqual(try asOf(), Self.t + 3 * 86_400)
        try assertKept("moving the window by three days")
        clock.now = Self.at(500)
        _ = try open()
        XCTAssertEqual(try asOf(), Self.t + 500 * 86_400)
        try assertKept("moving the window by more than a year")
        clock.now = Self.at(-30)
        _ = try open()
        XCTAssertEqual(try asOf(), Self.t - 30 * 86_400)
        try assertKept("moving the window back")
    }

    /// Five customers with known interactions (days from T; as_of = T):
    ///   Cu1: 3 at −5        Cu2: 1 at −5, 5 at −300   Cu3: 4 at −5
    ///   Cu4: 1 at −5, 3 at +50                         Cu5: 5 at −5
    /// F ranks the interactions of the 365 days before now (ties by id):
    ///   now T:       [3, 6, 4, 1, 5]  → F 2 5 3 1 4
    ///   now T+100:   [3, 1, 4, 4, 5]  → F 2 1 3 4 5  (slices after as_of)
    ///   now T−100:   [0, 5, 0, 0, 0]  → F 1 5 2 3 4  (slices before it)
    ///   now T+500:   [0, 0, 0, 0, 0]  → F 1 2 3 4 5  (a year away: counted)
    func checkFrequencyIsTheCountForAnyNow() throws {
        clock.now = Self.at(0, 60)
        let db = try open()
        XCTAssertEqual(try asOf(), Self.t)
        var ids: [Int64] = []
        for (k, counts) in [[-5: 3], [-5: 1, -300: 5], [-5: 4], [-5: 1, 50: 3], [-5: 5]].enumerated() {
            let contact = try db.contactRepository.create(Contact(name: "Cu\(k + 1)", lifecycle: .customer))
            ids.append(contact.id)
            for (day, n) in counts.sorted(by: { $0.key < $1.key }) {
                for i in 0 ..< n {
                    _ = try db.interactionRepository.log(Interaction(contactID: contact.id, kind: .call,
                                                                     occurredAt: Self.at(Int64(day), Int64(i)), body: "x"))
                }
            }
        }
        // Cu1's deals moved stage 4 times at −5 and 3 times at +50: no
        // contact with Cu1 (QA 29 #17). Counted, F at T would be 5 4 2 1 3.
        for (day, n) in [(-5, 4), (50, 3)] as [(Int64, Int64)] {
            for i in 0 ..< n {
                _ = try db.interactionRepository.log(Interaction(contactID: ids[0], kind: .stageChange,
                                                                 occurredAt: Self.at(day, 100 + i), body: "Lead → Offer"))
            }
        }
        // A won deal each (values apart), so every one is a top customer.
        try run("INSERT INTO pipelines(id, name, position, created_at) VALUES (100, 'Sales', 9, 0)")
        try run("INSERT INTO stages(id, pipeline_id, name, position, probability, kind) VALUES (102, 100, 'Won', 1, 100, 'won')")
        for (k, id) in ids.enumerated() {
            let closed = Self.t - 400 * 86_400
            try run("""
                INSERT INTO deals(id, pipeline_id, stage_id, title, value_minor, currency, contact_id, status,
                                  created_at, updated_at, stage_entered_at, closed_at)
                VALUES (\(k + 1), 100, 102, 'd\(k)', \((k + 1) * 1000), 'EUR', \(id), 'won', \(closed), \(closed), \(closed), \(closed))
                """)
        }
        try assertKept("the five customers")
        let report = db.customerReportRepository
        for (days, expected) in [(0, [2, 5, 3, 1, 4]), (100, [2, 1, 3, 4, 5]), (-100, [1, 5, 2, 3, 4]), (500, [1, 2, 3, 4, 5])] {
            let now = Self.at(Int64(days), 7_200)
            let rows = try report.topCustomers(ReportFilter(start: now.addingTimeInterval(-90 * 86_400), end: now, now: now),
                                               policy: ValueTierPolicy(), limit: 10)
            let f = Dictionary(uniqueKeysWithValues: rows.map { ($0.contactID, $0.frequency) })
            XCTAssertEqual(ids.map { f[$0] ?? 0 }, expected, "F at T\(days >= 0 ? "+" : "")\(days)")
        }
    }
}

final class SQLiteCustomerYearInteractionsTests: XCTestCase {
    private func contract() -> (CustomerYearInteractionsContract, TempFolder) {
        let folder = TempFolder()
        let clock = ManualClock(CustomerYearInteractionsContract.at(0))
        var last: Database?
        let path = folder.path("crm.db")
        let contract = CustomerYearInteractionsContract(
            open: { let db = try Database(path: path, login: "boss", clock: clock); last = db; return db },
            rows: { sql in try XCTUnwrap(last).connection.rows(sql) { $0.optionalString(0) ?? "" } },
            run: { sql in try XCTUnwrap(last).connection.run(sql) },
            clock: clock)
        return (contract, folder)
    }

    func testEveryWriteKeepsTheCounts() throws { let (c, keep) = contract(); try c.checkEveryWriteKeepsTheCounts(); _ = keep }
    func testFrequencyIsTheCountForAnyNow() throws { let (c, keep) = contract(); try c.checkFrequencyIsTheCountForAnyNow(); _ = keep }

    /// The migration fills the counts for the interactions a file had.
    func testTheMigrationFillsTheCounts() throws {
        let (db, folder) = try makeDatabase()
        let contact = try db.contacts.create(Contact(name: "Someone", lifecycle: .customer))
        _ = try db.interactions.log(Interaction(contactID: contact.id, kind: .call, occurredAt: Date().addingTimeInterval(-86_400 * 3), body: "x"))
        try rewindSchema(db.connection, to: 37)
        let path = db.path
        let again = try Database(path: path, login: "tester")
        XCTAssertEqual(try again.connection.scalar("SELECT interactions FROM contact_year_interactions WHERE contact_id = ?", [contact.id]), 1)
        _ = folder
    }

    /// Step 66 counts again the contacts whose stage changes the triggers
    /// before it counted as interactions (QA 29 #17): the year's count, the
    /// ranking key that copies it and the at-risk list's recent half.
    func testStepSixtySixTakesTheStageChangesOutOfTheCounts() throws {
        let (db, folder) = try makeDatabase()
        let contact = try db.contacts.create(Contact(name: "Someone", lifecycle: .customer))
        try rewindSchema(db.connection, to: 65)
        let when = Date().addingTimeInterval(-86_400 * 3)
        _ = try db.interactions.log(Interaction(contactID: contact.id, kind: .call, occurredAt: when, body: "x"))
        _ = try db.interactions.log(Interaction(contactID: contact.id, kind: .stageChange, occurredAt: when, body: "Lead → Offer"))
        func counts(_ c: Connection) throws -> [Int64?] {
            [try c.scalar("SELECT interactions FROM contact_year_interactions WHERE contact_id = ?", [contact.id]),
             try c.scalar("SELECT frequency FROM customer_rank_keys WHERE contact_id = ?", [contact.id]),
             try c.scalar("SELECT recent FROM customer_activity WHERE contact_id = ?", [contact.id])]
        }
        XCTAssertEqual(try counts(db.connection), [2, 2, 2], "the triggers of step 65 count the stage change")
        let again = try Database(path: db.path, login: "tester")
        XCTAssertGreaterThanOrEqual(again.schemaVersion, 66)
        XCTAssertEqual(try counts(again.connection), [1, 1, 1])
        _ = try again.interactions.log(Interaction(contactID: contact.id, kind: .stageChange, occurredAt: when, body: "Offer → Won"))
        XCTAssertEqual(try counts(again.connection), [1, 1, 1], "and its triggers do not")
        _ = folder
    }

    /// The corrections read two ranges of interactions_by_time, the stored
    /// counts are found by primary key: no scan of interactions.
    func testTheFrequencyUsesTheTimeIndexAndTheStoredCounts() throws {
        let (db, folder) = try makeDatabase()
        let now = Date()
        let filter = ReportFilter(start: now.addingTimeInterval(-90 * 86_400), end: now, now: now.addingTimeInterval(3 * 86_400))
        // The page's own tables are made where the stored ranking keys
        // (schema 48, CustomerRankKeysTests) do not apply.
        db.readsStoredRankKeys = false
        _ = try db.customerReports.segments(filter, policy: ValueTierPolicy())  // makes the temporary tables
        let statements = SQLiteCustomerReportRepository.figureStatements(filter, ValueTierPolicy(), asOf: try CustomerYearInteractions.asOf(db.connection))
        var plan: [String] = []
        for (sql, values) in statements {
            plan += try db.connection.rows("EXPLAIN QUERY PLAN " + sql, values) { $0.string(3) }
        }
        let text = plan.joined(separator: "\n")
        XCTAssertEqual(plan.filter { $0.hasPrefix("SEARCH i USING INDEX interactions_by_time") }.count, 2, text)
        XCTAssertTrue(plan.contains { $0.hasPrefix("SEARCH y USING INTEGER PRIMARY KEY") }, text)
        XCTAssertFalse(plan.contains { $0.contains("interactions_by_contact") }, text)
        XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN i") || $0.hasPrefix("SCAN y") }, text)
        _ = folder
    }
}

final class PGCustomerYearInteractionsTests: XCTestCase {
    private func contract() throws -> CustomerYearInteractionsContract {
        let server = try TestPostgresServer.require()
        let info = server.conninfo(database: try server.makeMigratedDatabase())
        let clock = ManualClock(CustomerYearInteractionsContract.at(0))
        var last: PostgresDatabase?
        return CustomerYearInteractionsContract(
            open: { let db = try PostgresDatabase(conninfo: info, login: "boss", clock: clock); last = db; return db },
            rows: { sql in try XCTUnwrap(last).connection.rows(sql) { $0.string(0) } },
            run: { sql in _ = try XCTUnwrap(last).connection.run(sql) },
            clock: clock)
    }

    func testEveryWriteKeepsTheCounts() throws { try contract().checkEveryWriteKeepsTheCounts() }
    func testFrequencyIsTheCountForAnyNow() throws { try contract().checkFrequencyIsTheCountForAnyNow() }

    /// The corrections come from interactions_by_time and the stored counts
    /// are joined by primary key, not counted per customer.
    func testTheFrequencyUsesTheTimeIndexAndTheStoredCounts() throws {
        let server = try TestPostgresServer.require()
        let db = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "tester")
        try db.connection.run("SET enable_seqscan = off")
        let values = PGCustomerValueSQL.values(policy: ValueTierPolicy(), end: Date(), now: Date().addingTimeInterval(3 * 86_400))
        let plan = try db.connection.query("EXPLAIN WITH \(PGCustomerValueSQL.storedFrequencyCTEs) SELECT * FROM rfm", values)
            .rows.map { $0.string(0) }.joined(separator: "\n")
        XCTAssertTrue(plan.contains("interactions_by_time"), plan)
        XCTAssertTrue(plan.contains("contact_year_interactions_pkey"), plan)
        XCTAssertFalse(plan.contains("interactions_by_contact"), plan)
    }
}
