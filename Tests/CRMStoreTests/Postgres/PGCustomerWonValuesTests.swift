import CRMCore
import CRMRepositories
@testable import CRMStore
@testable import CRMStorePostgres
import Foundation
import XCTest

/// Schema 67 on PostgreSQL (PGSchemaV67CustomerWonValues): the stored won
/// values per customer equal a recount from the won deals after every kind
/// of write, the tiers ranked from them equal the tiers ranked from the
/// deals, and the Customers page reads them when they apply
/// (PGCustomerStoredValues) with the same figures as from the won deals.
final class PGCustomerWonValuesTests: XCTestCase {
    /// Carries the second writer's connection and error to its thread.
    private final class Outcome: @unchecked Sendable {
        var second: PGConnection?
        var error: Error?
    }

    static let start = Date(timeIntervalSince1970: 1_767_225_600 + 200 * 86_400)

    private struct Book {
        let db: PostgresDatabase
        let conninfo: String
        let clock: ManualClock
        let sales: Pipeline
        let stages: [Stage]
        var ids: [String: Int64] = [:]
        var deals: [String: Int64] = [:]
        var acme: Int64 = 0
        var omid: Int64 = 0
        var lena: Int64 = 0

        var contacts: any ContactRepository { db.contactRepository }
        func contact(_ name: String) throws -> Contact { try XCTUnwrap(try contacts.get(ids[name]!)) }
        func deal(_ title: String) throws -> Deal { try XCTUnwrap(try db.dealRepository.get(deals[title]!)) }

        /// A deal, won `daysAgo` days before the clock's now unless `status` says otherwise.
        mutating func deal(_ title: String, _ minor: Int64, currency: Currency = .eur, contact: String? = nil,
                           company: Int64? = nil, daysAgo: Double = 10, status: DealStatus = .won) throws {
            let now = clock.now
            clock.now = now.addingTimeInterval(-daysAgo * 86_400)
            defer { clock.now = now }
            let deal = try db.dealRepository.create(Deal(
                pipelineID: sales.id, stageID: stages[0].id, title: title, value: Money(minorUnits: minor, currency: currency),
                contactID: contact.map { ids[$0]! }, companyID: company, stageEnteredAt: clock.now,
                createdAt: clock.now, updatedAt: clock.now))
            deals[title] = deal.id
            if status != .open {
                _ = try db.dealRepository.close(deal.id, as: status, reason: status == .lost ? "price" : "", expectedVersion: deal.version)
            }
        }
    }

    private func book() throws -> Book {
        let server = try TestPostgresServer.require()
        let clock = ManualClock(Self.start)
        let conninfo = server.conninfo(database: try server.makeMigratedDatabase())
        let db = try PostgresDatabase(conninfo: conninfo, login: "boss", clock: clock)
        let sales = try db.pipelineRepository.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Offer", position: 1, probability: 50),
        ])
        let stages = try db.pipelineRepository.stages(pipelineID: sales.id).filter { $0.kind == .open }.sorted { $0.position < $1.position }
        var book = Book(db: db, conninfo: conninfo, clock: clock, sales: sales, stages: stages)
        book.omid = try db.userRepository.add(login: "omid", name: "Omid", role: .rep).id
        book.lena = try db.userRepository.add(login: "lena", name: "Lena", role: .rep).id
        book.acme = try db.companyRepository.create(Company(name: "Acme")).id
        let people: [(String, Int64?, Lifecycle, Int64?)] = [
            ("Ada", book.acme, .customer, nil), ("Ben", book.acme, .customer, book.omid), ("Cleo", nil, .customer, nil),
            ("Dan", nil, .customer, book.omid), ("Eve", nil, .lead, nil), ("Finn", nil, .customer, book.lena),
        ]
        for p in people {
            book.ids[p.0] = try db.contactRepository.create(Contact(name: p.0, companyID: p.1, ownerID: p.3, lifecycle: p.2)).id
        }
        try book.deal("Ada big", 6000_00, contact: "Ada", daysAgo: 190)
        try book.deal("Acme alone", 600_00, company: book.acme, daysAgo: 180)
        try book.deal("Ben with Acme", 400_00, contact: "Ben", company: book.acme, daysAgo: 50)
        try book.deal("Cleo EUR", 1500_00, contact: "Cleo", daysAgo: 170)
        try book.deal("Cleo USD", 500_00, currency: .usd, contact: "Cleo", daysAgo: 40)
        try book.deal("Dan won", 500_00, contact: "Dan", daysAgo: 150)
        try book.deal("Dan lost", 1000_00, contact: "Dan", daysAgo: 120, status: .lost)
        try book.deal("Dan open", 700_00, contact: "Dan", status: .open)
        try book.deal("Eve", 1000_00, contact: "Eve", daysAgo: 130)
        // A crowd with ties in value and in interactions, in two currencies
        // and three owners, so every quintile has several rows.
        for i in 0 ..< 24 {
            let owner = [nil, book.omid, book.lena][i % 3]
            let name = "Crowd \(i)"
            book.ids[name] = try db.contactRepository.create(Contact(name: name, ownerID: owner, lifecycle: .customer)).id
            if i % 4 != 0 {
                try book.deal("Crowd deal \(i)", Int64(i % 5 + 1) * 100_00, currency: i % 6 == 1 ? .usd : .eur, contact: name,
                              daysAgo: Double(5 + i % 7 * 60))
            }
            for n in 0 ..< i % 4 {
                _ = try db.interactionRepository.log(Interaction(contactID: book.ids[name]!, kind: .call,
                                                                 occurredAt: clock.now.addingTimeInterval(-Double(1 + n + i % 3 * 20) * 86_400)))
            }
        }
        return book
    }

    /// The stored sums equal a recount from the deals, no mark is left,
    /// the stored tiers equal the tiers ranked from the deals, and the
    /// page reads the sums with the figures of the deals.
    private func assertRecounted(_ book: Book, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try assertSumsAndTiers(book.db, what, file: file, line: line)
        let end = book.clock.now.addingTimeInterval(86_400)
        try assertSameFigures(book, ReportFilter(start: end.addingTimeInterval(-100 * 86_400), end: end, now: book.clock.now),
                              what, file: file, line: line)
        try assertSameFigures(book, ReportFilter(start: end.addingTimeInterval(-100 * 86_400), end: end, ownerIDs: [book.omid],
                                                 now: book.clock.now), what + " (omid's)", file: file, line: line)
    }

    /// The stored sums equal a recount from the deals, no mark is left, and
    /// the stored tiers equal the tiers ranked from the deals.
    private func assertSumsAndTiers(_ db: PostgresDatabase, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        let text = { (row: PGRow) in (0 ..< 5).map { row.isNull($0) ? "nil" : row.string($0) }.joined(separator: " ") }
        XCTAssertEqual(try c.rows("SELECT contact_id, currency, value_minor, deals, last_won FROM customer_won_values ORDER BY 1, 2", [], text),
                       try c.rows("""
                           WITH \(PGCustomerValueSQL.ctes)
                           SELECT contact_id, currency, sum(value_minor)::bigint, count(*), max(closed_at)
                           FROM won GROUP BY contact_id, currency ORDER BY 1, 2
                           """, PGCustomerValueSQL.values(policy: ValueTierPolicy(), end: nil), text),
                       "won values after \(what)", file: file, line: line)
        XCTAssertEqual(try c.integer("SELECT count(*) FROM customer_won_values_dirty"), 0, "marks left after \(what)", file: file, line: line)
        XCTAssertEqual(try c.rows("""
                           SELECT id || ' ' || value_tier FROM contacts WHERE deleted_at IS NULL AND value_tier IS NOT NULL ORDER BY id
                           """) { $0.string(0) },
                       try c.rows("""
                           WITH \(PGCustomerValueSQL.ctes)
                           SELECT contact_id || ' ' || min(tier) FROM ranked GROUP BY contact_id ORDER BY contact_id
                           """, PGCustomerValueSQL.values(policy: db.valueTierPolicy, end: nil)) { $0.string(0) },
                       "stored tiers after \(what)", file: file, line: line)
        // Each sum's own tier (schema 74), ranked within its currency, while
        // the policy has no rates; a sum of 0 or less has none.
        if db.valueTierPolicy.minorFactors.count == 1 {
            XCTAssertEqual(try c.scalar("SELECT sum_tiers FROM value_tier_state WHERE id = 1"), db.valueTierPolicy.key,
                           "the sums ranked with the policy after \(what)", file: file, line: line)
            XCTAssertEqual(try c.rows("""
                               SELECT contact_id || ' ' || currency || ' ' || coalesce(tier, '-') FROM customer_won_values
                               ORDER BY contact_id, currency COLLATE "C"
                               """) { $0.string(0) },
                           try c.rows("""
                               WITH \(PGCustomerValueSQL.ctes)
                               SELECT v.contact_id || ' ' || v.currency || ' ' || coalesce(r.tier, '-') FROM customer_won_values v
                               LEFT JOIN ranked r ON r.contact_id = v.contact_id AND r.bucket = v.currency
                               ORDER BY v.contact_id, v.currency COLLATE "C"
                               """, PGCustomerValueSQL.values(policy: db.valueTierPolicy, end: nil)) { $0.string(0) },
                           "each sum's tier after \(what)", file: file, line: line)
        }
        try assertRankKeys(db, what, file: file, line: line)
    }

    /// The stored ranking keys (schema 69) equal a recount from the
    /// contacts, the window's counts, the stored sums and the history.
    static let rankKeysRecount = """
        SELECT c.id, c.owner_id, c.last_interaction_at, (SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = c.id),
               greatest(coalesce(c.last_interaction_at, 0),
                        coalesce((SELECT max(v.last_won) FROM customer_won_values v WHERE v.contact_id = c.id), 0)),
               coalesce((SELECT y.interactions FROM contact_year_interactions y WHERE y.contact_id = c.id), 0),
               EXISTS (SELECT 1 FROM customer_won_values v WHERE v.contact_id = c.id),
               coalesce((SELECT max(h.changed_at) FROM contact_lifecycle_history h
                         WHERE h.contact_id = c.id AND h.to_lifecycle = 'customer'), c.created_at)
        FROM contacts c WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' ORDER BY c.id
        """

    private func assertRankKeys(_ db: PostgresDatabase, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        let text = { (row: PGRow) in (0 ..< 8).map { row.isNull($0) ? "nil" : row.string($0) }.joined(separator: " ") }
        XCTAssertEqual(try c.rows("""
                           SELECT contact_id, owner_id, interacted, last_won, touch, frequency, valued, since
                           FROM customer_rank_keys ORDER BY contact_id
                           """, [], text),
                       try c.rows(Self.rankKeysRecount, [], text), "ranking keys after \(what)", file: file, line: line)
        XCTAssertEqual(try c.rows("SELECT contact_id, currency, deals_year FROM customer_won_values ORDER BY 1, 2") {
                           "\($0.int64(0)) \($0.string(1)) \($0.int64(2))" },
                       try c.rows("""
                           WITH \(PGCustomerValueSQL.ctes)
                           SELECT contact_id, currency, count(*) FILTER (
                               WHERE closed_at >= (SELECT as_of FROM contact_year_window) - 31536000
                                 AND closed_at < (SELECT as_of FROM contact_year_window))
                           FROM won GROUP BY contact_id, currency ORDER BY 1, 2
                           """, PGCustomerValueSQL.values(policy: ValueTierPolicy(), end: nil)) {
                           "\($0.int64(0)) \($0.string(1)) \($0.int64(2))" },
                       "won deals of the stored window after \(what)", file: file, line: line)
    }

    /// The window's move to a writer's day (at its open) counts the stored
    /// year's won deals again for the new end: a few weeks (the slices
    /// passed), and more than a year (everyone), and the page reads them
    /// with the figures of the deals.
    func testTheWindowsMoveKeepsTheStoredYear() throws {
        var book = try book()
        try assertRecounted(book, "the book")
        for days in [20.0, 45, 400] {
            book.clock.advance(by: days * 86_400)
            let reopened = try PostgresDatabase(conninfo: book.conninfo, login: "boss", clock: book.clock)
            XCTAssertEqual(try reopened.connection.integer("SELECT as_of FROM contact_year_window"),
                           InteractionYearWindow.dayStart(book.clock.now.wholeSecondsSince1970))
            try assertRecounted(book, "a move of \(Int(days)) days")
            try book.deal("Won after \(Int(days))", 10_00, contact: "Cleo", daysAgo: 2)
            try assertRecounted(book, "a deal won after a move of \(Int(days)) days")
        }
    }

    /// `crm migrate` into PostgreSQL loads with the marking triggers off
    /// and counts every customer's sums once: they are the recount, and the
    /// triggers mark again after the copy.
    func testACopyFillsTheStoredValues() throws {
        let source = try CustomerReportTests.Book()
        let server = try TestPostgresServer.require()
        let clock = ManualClock(Self.start)
        let target = try PostgresDatabase(conninfo: server.conninfo(database: try server.makeMigratedDatabase()), login: "boss", clock: clock)
        try copySnapshot(from: source.db, into: target)
        XCTAssertGreaterThan(try target.connection.integer("SELECT count(*) FROM customer_won_values") ?? 0, 0)
        try assertSumsAndTiers(target, "a copy by crm migrate")
        let cleo = try XCTUnwrap(try target.contactRepository.get(source.ids["Cleo"]!))
        var moved = cleo
        moved.companyID = try target.connection.integer("SELECT id FROM companies WHERE name = 'Acme'")
        _ = try target.contactRepository.update(moved)
        try assertSumsAndTiers(target, "a write after the copy")
    }

    /// Every section from the stored sums and from the won deals.
    private func assertSameFigures(_ book: Book, _ filter: ReportFilter, _ what: String, stored: Bool = true,
                                   policy: ValueTierPolicy = ValueTierPolicy(), file: StaticString = #filePath, line: UInt = #line) throws {
        let report = PGCustomerReportRepository(db: book.db)
        XCTAssertEqual(try report.storedValuesApply(filter, policy), stored, "stored values apply (\(what))", file: file, line: line)
        XCTAssertEqual(try report.rankBounds(filter, policy) != nil, stored, "stored ranking keys apply (\(what))", file: file, line: line)
        func both<T: Equatable>(_ name: String, _ read: () throws -> T) throws {
            report.readsStoredValues = true
            report.forgetFigures()
            let fromSums = try read()
            report.readsStoredValues = false
            report.forgetFigures()
            let fromDeals = try read()
            report.readsStoredValues = true
            XCTAssertEqual(fromSums, fromDeals, "\(name) after \(what)", file: file, line: line)
        }
        try both("top") { try report.topCustomers(filter, policy: policy, limit: 100) }
        try both("top 3") { try report.topCustomers(filter, policy: policy, limit: 3) }
        try both("tiers") { try report.tiers(filter, policy: policy) }
        try both("segments") { try report.segments(filter, policy: policy) }
        try both("segment counts") { try report.segmentCounts(filter, policy: policy) }
        try both("each segment's customers") {
            try RFMSegment.allCases.map { try report.segmentCustomers(filter, policy: policy, segment: $0) }
        }
        try both("lifetime") { try report.lifetimeValue(filter, policy: policy) }
    }

    func testThePageReadsTheStoredValuesWhenTheyApply() throws {
        var book = try book()
        let now = book.clock.now
        let end = now.addingTimeInterval(86_400)
        try assertSameFigures(book, ReportFilter(start: end.addingTimeInterval(-30 * 86_400), end: end, now: now), "the book")
        // A won deal closed at or after the end, a pipeline, a currency,
        // rates: the figures are worked out from the won deals.
        try assertSameFigures(book, ReportFilter(start: now.addingTimeInterval(-100 * 86_400), end: now.addingTimeInterval(-20 * 86_400),
                                                 now: now), "an earlier end", stored: false)
        try assertSameFigures(book, ReportFilter(start: now, end: end, pipelineIDs: [book.sales.id], now: now), "a pipeline", stored: false)
        try assertSameFigures(book, ReportFilter(start: now, end: end, currency: .usd, now: now), "a currency", stored: false)
        try assertSameFigures(book, ReportFilter(start: now, end: end, now: now), "rates", stored: false,
                              policy: ValueTierPolicy(rates: ["USD": 0.9]))
        // Inside a transaction that changed won value: its own marks wait
        // for the COMMIT, so the page works from the deals it sees.
        struct Rollback: Error {}
        do {
            try book.db.connection.transaction {
                try book.db.connection.run("UPDATE deals SET value_minor = 1 WHERE id = ?::bigint", [book.deals["Ada big"]!])
                try assertSameFigures(book, ReportFilter(start: now, end: end, now: now), "an uncommitted change", stored: false)
                throw Rollback()
            }
        } catch is Rollback {}
        try book.deal("Late", 100_00, contact: "Cleo", daysAgo: 0)
        try assertRecounted(book, "a deal won now")
    }

    func testStoredValuesFollowEveryKindOfWrite() throws {
        let book = try book()
        let db = book.db
        try assertRecounted(book, "the book")

        // Logged interactions (no won value, but the page's R and F move).
        book.clock.advance(by: 3_600)
        _ = try db.interactionRepository.log(Interaction(contactID: book.ids["Cleo"]!, kind: .meeting, occurredAt: book.clock.now))
        try assertRecounted(book, "a log")

        // Won, lost, reopened; value, currency and closing time edited.
        var deal = try book.deal("Dan open")
        deal = try db.dealRepository.close(deal.id, as: .won, reason: "", expectedVersion: deal.version)
        try assertRecounted(book, "won")
        deal = try db.dealRepository.reopen(deal.id, expectedVersion: deal.version)
        try assertRecounted(book, "reopened")
        deal = try db.dealRepository.close(deal.id, as: .lost, reason: "price", expectedVersion: deal.version)
        try assertRecounted(book, "lost")
        var big = try book.deal("Ada big")
        big.value = Money(minorUnits: 123_00, currency: .usd)
        big = try db.dealRepository.update(big)
        try assertRecounted(book, "value and currency")
        big.closedAt = book.clock.now.addingTimeInterval(-3 * 86_400)
        big = try db.dealRepository.update(big)
        try assertRecounted(book, "closing time")
        var moved = try book.deal("Acme alone")
        moved.companyID = nil
        moved.contactID = book.ids["Finn"]
        _ = try db.dealRepository.update(moved)
        try assertRecounted(book, "a won deal moved to another customer")
        try db.dealRepository.delete(book.deals["Cleo EUR"]!)
        try assertRecounted(book, "a won deal trashed")
        try db.dealRepository.restore(book.deals["Cleo EUR"]!)
        try assertRecounted(book, "a won deal restored")

        // Contacts: lifecycle, company, owner; trashed, restored, purged, merged.
        var eve = try book.contact("Eve")
        eve.lifecycle = .customer
        _ = try book.contacts.update(eve)
        var finn = try book.contact("Finn")
        finn.lifecycle = .former
        _ = try book.contacts.update(finn)
        try assertRecounted(book, "lifecycles")
        var ben = try book.contact("Ben")
        ben.companyID = nil
        _ = try book.contacts.update(ben)
        var cleo = try book.contact("Cleo")
        cleo.companyID = book.acme
        cleo.ownerID = book.omid
        _ = try book.contacts.update(cleo)
        try assertRecounted(book, "companies and owner")
        try db.trashRepository.trash(.contact, book.ids["Ada"]!)
        try assertRecounted(book, "a customer trashed")
        _ = try db.trashRepository.restore(.contact, book.ids["Ada"]!)
        try assertRecounted(book, "a customer restored")
        try db.trashRepository.trash(.contact, book.ids["Crowd 5"]!)
        _ = try db.trashRepository.purge(kind: nil, deletedBefore: nil)
        try assertRecounted(book, "purged")
        let survivor = try book.contact("Cleo")
        let other = try book.contact("Dan")
        _ = try book.contacts.merge(into: survivor, other: other.id, otherVersion: other.version)
        try assertRecounted(book, "merged")

        // An import of customers of Acme (they get its won deals), and its undo.
        let (summary, _) = try ImportContract.run(db, [ImportContract.row(2, "Imported One", company: "Acme", lifecycle: .customer),
                                                       ImportContract.row(3, "Imported Two", lifecycle: .customer)],
                                                  ImportOptions(label: "customers.csv"))
        try assertRecounted(book, "an import")
        _ = try db.importRepository.undoImport(try XCTUnwrap(summary.batchID), force: false)
        try assertRecounted(book, "an import undone")

        // A handover of omid's contacts and deals to lena, and its undo.
        let (_, handover) = try db.userRepository.deactivate(login: "omid", handover: HandoverPlan(contactsTo: "lena", dealsTo: "lena"))
        try assertRecounted(book, "a handover")
        _ = try db.userRepository.undoHandover(try XCTUnwrap(handover).id)
        try assertRecounted(book, "a handover undone")

        // The policy changed by a writer: tiers ranked again from the sums.
        try PGCustomerReportRepository(db: db).recomputeValueTiers(policy: ValueTierPolicy(tierA: 50, tierB: 30))
        try assertRecounted(book, "another policy")
    }

    /// Two sessions winning deals of the same company's customers at once:
    /// the second waits for the first's COMMIT (value_tier_state's row
    /// lock), neither deadlocks, and the sums hold both.
    func testTwoWritersCommittingWonDealsAtOnce() throws {
        var book = try book()
        try book.deal("Ada open", 111_00, contact: "Ada", status: .open)
        try book.deal("Acme open", 222_00, company: book.acme, status: .open)
        let first = book.db.connection
        let outcome = Outcome()
        outcome.second = try PGConnection(book.conninfo)
        let watcher = try PGConnection(book.conninfo)
        let secondPid = try XCTUnwrap(try outcome.second!.integer("SELECT pg_backend_pid()"))
        let ada = book.deals["Ada open"]!, acme = book.deals["Acme open"]!, closed = book.clock.now.wholeSecondsSince1970
        let done = DispatchSemaphore(value: 0)
        try first.transaction {
            try first.run("UPDATE deals SET status = 'won', closed_at = ?::bigint WHERE id = ?::bigint", [closed, ada])
            Thread.detachNewThread {
                do {
                    let second = outcome.second!
                    _ = try second.transaction {
                        try second.run("UPDATE deals SET status = 'won', closed_at = ?::bigint WHERE id = ?::bigint", [closed, acme])
                    }
                } catch { outcome.error = error }
                done.signal()
            }
            // Polled with a timeout: the second waits for this transaction's row lock.
            let deadline = Date().addingTimeInterval(10)
            while try watcher.integer("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'", [secondPid]) != 1 {
                guard Date() < deadline else { return XCTFail("the second writer never waited for the first") }
                usleep(10_000)
            }
            try first.run("UPDATE deals SET value_minor = ?::bigint WHERE id = ?::bigint", [Int64(333_00), ada])
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertNil(outcome.error)
        try assertRecounted(book, "two writers")
    }

    /// Two sessions at once, one making a lead a customer, the other
    /// logging an interaction with that contact that moves its count of the
    /// stored window but not its last interaction (the count's row is new,
    /// so the key row is not there to write yet): whichever starts first,
    /// the other waits for its COMMIT, neither deadlocks, and the key row
    /// holds the count (schema 69).
    func testTwoWritersKeepTheRankKeys() throws {
        for lifecycleFirst in [true, false] {
            let book = try book()
            let eve = book.ids["Eve"]!
            // Eve's last interaction is now (after the window's end, not
            // counted in it); the one logged below is older.
            _ = try book.db.interactionRepository.log(Interaction(contactID: eve, kind: .call, occurredAt: book.clock.now))
            XCTAssertEqual(try book.db.connection.integer("SELECT count(*) FROM contact_year_interactions WHERE contact_id = ?::bigint", [eve]), 0)
            let first = book.db.connection
            let outcome = Outcome()
            outcome.second = try PGConnection(book.conninfo)
            let watcher = try PGConnection(book.conninfo)
            let secondPid = try XCTUnwrap(try outcome.second!.integer("SELECT pg_backend_pid()"))
            let then = book.clock.now.wholeSecondsSince1970 - 30 * 86_400
            let makeCustomer = "UPDATE contacts SET lifecycle = 'customer', updated_at = \(then) WHERE id = \(eve)"
            let log = "INSERT INTO interactions(contact_id, kind, occurred_at, created_at, author_id) VALUES (\(eve), 'call', \(then), \(then), 1)"
            let done = DispatchSemaphore(value: 0)
            try first.transaction {
                try first.run(lifecycleFirst ? makeCustomer : log)
                Thread.detachNewThread {
                    do {
                        let second = outcome.second!
                        _ = try second.transaction { try second.run(lifecycleFirst ? log : makeCustomer) }
                    } catch { outcome.error = error }
                    done.signal()
                }
                // Polled with a timeout: the second waits for this transaction's lock.
                let deadline = Date().addingTimeInterval(10)
                while try watcher.integer("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'", [secondPid]) != 1 {
                    guard Date() < deadline else { return XCTFail("the second writer never waited for the first") }
                    usleep(10_000)
                }
            }
            XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
            XCTAssertNil(outcome.error)
            XCTAssertEqual(try first.integer("SELECT frequency FROM customer_rank_keys WHERE contact_id = ?::bigint", [eve]), 1,
                           "lifecycle first: \(lifecycleFirst)")
            try assertRecounted(book, "two writers, lifecycle first: \(lifecycleFirst)")
        }
    }

    /// A window's move that meets a contact held by another writer (a lead
    /// whose count's row the move makes) gives up, leaving the window and
    /// every stored figure as they were; the next open moves it.
    func testAMoveMeetingAHeldContactIsLeftToTheNextOpen() throws {
        let book = try book()
        let eve = book.ids["Eve"]!
        _ = try book.db.interactionRepository.log(Interaction(contactID: eve, kind: .call, occurredAt: book.clock.now))
        let before = try book.db.connection.integer("SELECT as_of FROM contact_year_window")
        book.clock.advance(by: 2 * 86_400)
        let holder = try PGConnection(book.conninfo)
        try holder.transaction {
            try holder.run("UPDATE contacts SET name = name WHERE id = ?::bigint", [eve])
            _ = try PostgresDatabase(conninfo: book.conninfo, login: "boss", clock: book.clock)
            XCTAssertEqual(try book.db.connection.integer("SELECT as_of FROM contact_year_window"), before, "the move gave up")
        }
        try assertRecounted(book, "a move given up")
        _ = try PostgresDatabase(conninfo: book.conninfo, login: "boss", clock: book.clock)
        XCTAssertEqual(try book.db.connection.integer("SELECT as_of FROM contact_year_window"),
                       InteractionYearWindow.dayStart(book.clock.now.wholeSecondsSince1970))
        XCTAssertEqual(try book.db.connection.integer("SELECT interactions FROM contact_year_interactions WHERE contact_id = ?::bigint", [eve]), 1)
        var made = try book.contact("Eve")
        made.lifecycle = .customer
        _ = try book.contacts.update(made)
        try assertRecounted(book, "the next open's move")
    }

    /// Step 69 run a second time on a database with data leaves the keys
    /// as a recount makes them (a PostgreSQL step must survive that).
    func testRankKeysStepRunsTwice() throws {
        let book = try book()
        try book.db.connection.transaction { _ = try book.db.connection.script(PGSchemaV69CustomerRankKeys.sql) }
        try assertRecounted(book, "step 69 again")
        var eve = try book.contact("Eve")
        eve.lifecycle = .customer
        _ = try book.contacts.update(eve)
        try assertRecounted(book, "a write after step 69 ran again")
    }

    /// The page's statement with the stored values reads neither the won
    /// deals' indexes nor any table whole (a book big enough for the
    /// planner to tell: 2,000 contacts, 20,000 interactions, ANALYZE).
    func testThePageReadsTheStoredValuesThroughIndexes() throws {
        let book = try book()
        let c = book.db.connection
        _ = try c.script("""
            INSERT INTO contacts(id, name, lifecycle, owner_id, created_at, updated_at)
                SELECT 1000 + g, 'C' || g, (ARRAY['lead','customer'])[1 + g % 2], 1, 0, 0 FROM generate_series(1, 2000) g;
            INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, contact_id, status, created_at, updated_at,
                              stage_entered_at, closed_at)
                SELECT \(book.sales.id), \(book.stages[0].id), 'D' || g, g * 100, 'EUR', 1001 + g % 2000, 'won', 0, 0, 0,
                       \(PGCustomerWonValuesTests.start.wholeSecondsSince1970) - g * 172800 FROM generate_series(1, 3000) g;
            INSERT INTO interactions(contact_id, kind, occurred_at, created_at, author_id)
                SELECT 1001 + g % 2000, 'call', \(PGCustomerWonValuesTests.start.wholeSecondsSince1970) - g * 900, 0, 1
                FROM generate_series(1, 20000) g;
            ANALYZE;
            """)
        let report = PGCustomerReportRepository(db: book.db)
        let now = book.clock.now
        let p = ReportFilter(start: now.addingTimeInterval(-30 * 86_400), end: now.addingTimeInterval(86_400), now: now)
        XCTAssertTrue(try report.storedValuesApply(p, ValueTierPolicy()))
        let sql = "WITH \(try report.scoreCTEs(p, ValueTierPolicy())),\n\(PGCustomerPageSQL.page)"
        let plan = try c.query("EXPLAIN " + sql, report.values(p, ValueTierPolicy()) + [20]).rows.map { $0.string(0) }
            .joined(separator: "\n")
        print("plan of the Customers page from the stored values:\n\(plan)")
        XCTAssertTrue(plan.contains("customer_won_values"), plan)
        for unwanted in ["Seq Scan on interactions", "Seq Scan on deals", "deals_won_by_contact", "deals_won_by_company"] {
            XCTAssertFalse(plan.contains(unwanted), "\(unwanted):\n\(plan)")
        }
        // From the stored ranking keys (schema 69): the page's statement
        // and the segments' read neither the interactions nor the deals whole.
        let bounds = try XCTUnwrap(try report.rankBounds(p, ValueTierPolicy()))
        for (name, keyed) in [("page", PGCustomerRankKeys.pageSQL(sumTiers: false)),
                              ("page with stored tiers", PGCustomerRankKeys.pageSQL(sumTiers: true)),
                              ("segments", PGCustomerRankKeys.segmentsSQL(ids: false))] {
            let plan = try c.query("EXPLAIN " + keyed, report.values(p, ValueTierPolicy()) + [20] + bounds.parameters).rows
                .map { $0.string(0) }.joined(separator: "\n")
            print("plan of the Customers page's \(name) from the stored keys:\n\(plan)")
            XCTAssertTrue(plan.contains("customer_rank_keys") || plan.contains("customer_won_values"), plan)
            for unwanted in ["Seq Scan on interactions", "Seq Scan on deals"] {
                XCTAssertFalse(plan.contains(unwanted), "\(name): \(unwanted):\n\(plan)")
            }
        }
    }
}
