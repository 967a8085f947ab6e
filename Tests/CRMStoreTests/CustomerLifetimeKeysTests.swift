import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The Customers page's lifetime value read from schema 54's keys
/// (CustomerLifetimeKeys: each customer's "since", each won value's deals
/// of the stored year) gives the same figures as worked out from the won
/// deals and the lifecycle history, and the keys equal a recount from
/// scratch after every kind of write.
final class CustomerLifetimeKeysTests: XCTestCase {
    typealias Book = CustomerReportTests.Book
    static func day(_ d: Double) -> Date { CustomerReportTests.day(d) }

    /// The lifetime inputs read both ways: from the keys, and from the won
    /// deals with the tenure looked up per customer (as before schema 54).
    private func assertSameLifetime(_ db: Database, _ filter: ReportFilter, _ what: String = "",
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        let report = db.customerReports
        db.readsStoredRankKeys = true
        report.forgetFigures()
        let fromKeys = try report.lifetimeValue(filter, policy: ValueTierPolicy())
        db.readsStoredRankKeys = false
        report.forgetFigures()
        let fromDeals = try report.lifetimeValue(filter, policy: ValueTierPolicy())
        db.readsStoredRankKeys = true
        XCTAssertEqual(fromKeys, fromDeals, "lifetime \(what)", file: file, line: line)
        XCTAssertFalse(fromKeys.isEmpty, "lifetime \(what)", file: file, line: line)
    }

    /// Periods ending before, at and after the stored year's end, a year and
    /// more after it (counted from the deals), before some customers became
    /// customers (their tenure looked up in the history), and one owner's.
    private func assertSameLifetimes(_ db: Database, now: Double, file: StaticString = #filePath, line: UInt = #line) throws {
        let tester = try XCTUnwrap(db.users.find(login: "tester")).id
        for (start, end) in [(100.0, 200.0), (0, 110), (100, 400), (150, now), (now - 30, now + 30), (600, 800), (0, 20)] {
            try assertSameLifetime(db, ReportFilter(start: Self.day(start), end: Self.day(end), now: Self.day(now)),
                                   "\(start)–\(end)", file: file, line: line)
            try assertSameLifetime(db, ReportFilter(start: Self.day(start), end: Self.day(end), ownerIDs: [tester], now: Self.day(now)),
                                   "\(start)–\(end), one owner", file: file, line: line)
        }
    }

    func testLifetimeFromTheKeysIsTheLifetimeFromTheDeals() throws {
        let book = try Book()
        // Finn became a customer on day 120, Jon left on day 80: a period
        // ending on day 110 finds Finn's since after its end.
        try assertSameLifetimes(book.db, now: 190)
        // A writer on a later day moves the stored year: most deals are of
        // the stored year now, the corrections few.
        let later = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(200)))
        try assertSameLifetimes(later, now: 200)
        try assertRecounted(later)
    }

    /// The stored since and deals of the year equal a recount.
    private func assertRecounted(_ db: Database, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        let text = { (row: Row) in (Int32(0) ..< 3).map { row.isNull($0) ? "nil" : row.string($0) }.joined(separator: " ") }
        XCTAssertEqual(try c.rows("SELECT contact_id, since, 0 FROM customer_rank_keys ORDER BY 1", [], text),
                       try c.rows("""
                           SELECT c.id, coalesce((SELECT max(h.changed_at) FROM contact_lifecycle_history h
                                                  WHERE h.contact_id = c.id AND h.to_lifecycle = 'customer'), c.created_at), 0
                           FROM contacts c WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' ORDER BY c.id
                           """, [], text), "since \(what)", file: file, line: line)
        XCTAssertEqual(try c.rows("SELECT contact_id, currency, deals_year FROM customer_won_values ORDER BY 1, 2", [], text),
                       try c.rows("""
                           WITH won AS (
                               SELECT c.id AS contact_id, d.currency, d.closed_at FROM deals d JOIN contacts c ON c.id = d.contact_id
                               WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
                                 AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id)
                               UNION ALL
                               SELECT c.id, d.currency, d.closed_at FROM deals d JOIN contacts c ON c.company_id = d.company_id
                               WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer')
                           SELECT w.contact_id, w.currency,
                                  coalesce(sum(w.closed_at >= y.as_of - 31536000 AND w.closed_at < y.as_of), 0)
                           FROM won w, contact_year_window y WHERE y.id = 1
                           GROUP BY w.contact_id, w.currency ORDER BY 1, 2
                           """, [], text), "deals of the year \(what)", file: file, line: line)
        try assertSameLifetime(db, ReportFilter(start: Self.day(100), end: Self.day(400), now: Self.day(195)), what, file: file, line: line)
    }

    /// The step fills "since" and the deals of the year from what a file
    /// already has (Finn became a customer after his creation; the window
    /// of day 190 holds every won deal).
    func testTheUpgradeFillsTheKeysOfTheCustomersBefore() throws {
        let book = try Book()
        let db = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(190)))
        try rewindSchema(db.connection, to: 53)
        XCTAssertFalse(CustomerLifetimeKeys.isStored(db.connection))
        let upgraded = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(190)))
        XCTAssertTrue(CustomerLifetimeKeys.isStored(upgraded.connection))
        XCTAssertGreaterThan(try upgraded.connection.scalar("SELECT sum(deals_year) FROM customer_won_values") ?? 0, 0)
        try assertRecounted(upgraded, "after the upgrade")
    }

    func testLifetimeKeysFollowEveryKindOfWrite() throws {
        let book = try Book()
        let clock = ManualClock(Self.day(190))
        let db = try Database(path: book.folder.path("crm.db"), login: "tester", clock: clock)
        try assertRecounted(db, "after the upgrade")
        let id = { (name: String) in book.ids[name]! }

        // Logged (a won deal's customer's last touch moves; nothing here).
        clock.now = Self.day(191)
        _ = try db.interactions.log(Interaction(contactID: id("Ben"), kind: .call, occurredAt: Self.day(170)))
        try assertRecounted(db, "logged")

        // Lifecycle in, out and in again: since follows the last change to customer.
        try book.lifecycle("Finn", .former, day: 191)
        try book.lifecycle("Eve", .customer, day: 191)
        try assertRecounted(db, "lifecycles")
        try book.lifecycle("Finn", .customer, day: 192)
        try assertRecounted(db, "back to customer")
        _ = try db.reassignRepository.reassign([ReassignItem(.contact, id("Ada")), ReassignItem(.deal, book.deals["Dan won"]!)],
                                               to: book.omid.currentUser.id)
        try assertRecounted(db, "reassigned")
        _ = try db.users.handOver(from: "omid", plan: HandoverPlan(everythingTo: "tester"))
        try assertRecounted(db, "handed over")

        // A deal won, reopened, lost, deleted and restored; a won deal moved
        // to another contact, its value and its closing changed.
        clock.now = Self.day(193)
        var deal = try XCTUnwrap(try db.deals.get(book.deals["Dan open"]!))
        deal = try db.deals.close(deal.id, as: .won, reason: "", expectedVersion: deal.version)
        try assertRecounted(db, "won")
        deal = try db.deals.reopen(deal.id, expectedVersion: deal.version)
        try assertRecounted(db, "reopened")
        deal = try db.deals.close(deal.id, as: .lost, reason: "price", expectedVersion: deal.version)
        try assertRecounted(db, "lost")
        try db.deals.delete(book.deals["Cleo EUR"]!)
        try assertRecounted(db, "won deal deleted")
        try db.deals.restore(book.deals["Cleo EUR"]!)
        try assertRecounted(db, "won deal restored")
        var big = try XCTUnwrap(try db.deals.get(book.deals["Ada big"]!))
        big.contactID = id("Eve")
        big.value = Money(minorUnits: 123_00, currency: .eur)
        _ = try db.deals.update(big)
        try assertRecounted(db, "won deal edited")

        // Contacts and companies merged, trashed, restored, purged.
        let cleo = try XCTUnwrap(try db.contacts.get(id("Cleo")))
        let gita = try XCTUnwrap(try db.contacts.get(id("Gita")))
        _ = try db.contacts.merge(into: cleo, other: gita.id, otherVersion: gita.version)
        try assertRecounted(db, "contacts merged")
        let acme = try XCTUnwrap(try db.contacts.get(id("Ada"))?.companyID)
        let other = try db.companies.create(Company(name: "Acme Two"))
        try book.deal("Acme Two alone", 250_00, company: other.id, day: 194)
        let survivor = try XCTUnwrap(try db.companies.get(acme))
        _ = try db.companies.merge(into: survivor, other: other.id, otherVersion: other.version)
        try assertRecounted(db, "companies merged")
        try db.trash.trash(.contact, id("Ben"))
        try assertRecounted(db, "contact trashed")
        _ = try db.trash.restore(.contact, id("Ben"))
        try assertRecounted(db, "contact restored")
        try db.trash.trash(.contact, id("Finn"))
        _ = try db.trash.purge(kind: nil, deletedBefore: nil)
        try assertRecounted(db, "purged")

        // A bulk load (as imports and the demo fill write): new customers
        // with won deals, the triggers suspended and caught up.
        try BulkLoader(database: db).load { loader in
            for i in 0 ..< 5 {
                let contact = try loader.insert(Contact(name: "Loaded \(i)", lifecycle: .customer))
                _ = try loader.insert(Deal(pipelineID: book.pipeline.id, stageID: book.won.id, title: "Loaded \(i)",
                                           value: Money(minorUnits: Int64(i + 1) * 50_00, currency: .eur), contactID: contact,
                                           status: .won, closedAt: Self.day(150)), history: [])
            }
        }
        try assertRecounted(db, "bulk load")

        // The stored year moved by a writer opening on later days: a few
        // days (the slices), and more than a year (everything recounted).
        let next = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(250)))
        try assertRecounted(next, "window moved a little")
        let much = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(700)))
        try assertRecounted(much, "window moved a year")
    }

    /// The lifetime statements read their indexes: the tenure and the sums
    /// one walk each, the corrections two ranges of the closed deals.
    func testLifetimeStatementsUseIndexes() throws {
        let book = try Book()
        let c = book.db.connection
        let plan = { (sql: String, values: [SQLBindable]) in try c.rows("EXPLAIN QUERY PLAN " + sql, values) { $0.string(3) } }
        let owners: SQLBindable = SQLValue.null
        let tenure = try plan(CustomerLifetimeKeys.tenureSQL, [book.period.end, owners])
        XCTAssertEqual(tenure.filter { $0.contains("USING COVERING INDEX customer_rank_keys_by_since (since<?)") }.count, 1,
                       tenure.joined(separator: "\n"))
        XCTAssertEqual(tenure.filter { $0.contains("customer_rank_keys_by_since (since>?)") }.count, 1, tenure.joined(separator: "\n"))
        let sums = try plan(CustomerRankKeys.lifetimeSQL, [owners])
        XCTAssertTrue(sums.contains { $0.contains("USING COVERING INDEX customer_won_values_by_value") }, sums.joined(separator: "\n"))
        let corrections = try plan(CustomerLifetimeKeys.lastYearCorrectionSQL, [0, 86_400, 1, InteractionYearWindow.year, owners])
        XCTAssertEqual(corrections.filter { $0.contains("deals_by_status_closed (status=? AND closed_at>? AND closed_at<?)") }.count, 2,
                       corrections.joined(separator: "\n"))
        for line in tenure + sums + corrections {
            XCTAssertFalse(line.contains("TEMP B-TREE FOR ORDER BY"), line)
            XCTAssertFalse(["SCAN contacts", "SCAN deals", "SCAN c", "SCAN d", "SCAN k", "SCAN customer_rank_keys"].contains(line),
                           line + "\n" + (tenure + sums + corrections).joined(separator: "\n"))
        }
    }

    /// The segments are one pass over the customers in id order: no sort
    /// (grouped by score, the sort of 35,000 rows spilled to a temporary
    /// file at 100,000 contacts), each segment's ids in one column.
    func testSegmentsAreOnePassWithoutASort() throws {
        let book = try Book()
        let c = book.db.connection
        let bounds = try CustomerRankKeys.prepareBounds(c, book.period, ValueTierPolicy())
        let plan = try c.rows("EXPLAIN QUERY PLAN " + CustomerRankKeys.segmentsSQL,
                              CustomerRankKeys.parameters(bounds, currency: .eur, owners: SQLValue.null, limit: nil)) { $0.string(3) }
        XCTAssertTrue(plan.contains { $0.hasPrefix("CO-ROUTINE") }, plan.joined(separator: "\n"))
        XCTAssertFalse(plan.contains { $0.contains("TEMP B-TREE") }, plan.joined(separator: "\n"))
        XCTAssertEqual(CustomerRankKeys.segmentDigits.count, 216)
        for (r, f, m) in [(5, 5, 5), (4, 4, 4), (3, 3, 1), (1, 4, 2), (1, 1, 1), (2, 2, 5), (5, 2, 5)] {
            let digit = CustomerRankKeys.segmentDigits[CustomerRankKeys.segmentDigits.index(
                CustomerRankKeys.segmentDigits.startIndex, offsetBy: r * 36 + f * 6 + m)]
            XCTAssertEqual(RFMSegment.allCases[Int(String(digit))!], RFMSegment.of(r: r, f: f, m: m), "\(r) \(f) \(m)")
        }
    }

    /// Each boundary after the first is read from the previous one: the
    /// walk seeks that key in the ranking's index (no walk from its start,
    /// no sort but of the few corrected frequencies).
    func testTheNextBoundaryIsAWalkFromThePreviousOne() throws {
        let book = try Book()
        let c = book.db.connection
        _ = try CustomerRankKeys.prepareBounds(c, book.period, ValueTierPolicy())
        let plan = { (sql: String, values: [SQLBindable]) in try c.rows("EXPLAIN QUERY PLAN " + sql, values) { $0.string(3) } }
        for (name, sql, values, index) in [
            ("R", CustomerRankKeys.rNextSQL, [0, 0, 0] as [SQLBindable], "customer_rank_keys_by_touch (touch>?)"),
            ("F", CustomerRankKeys.fNextSQL, [0, 0, 0], "customer_rank_keys_by_frequency (frequency>?)"),
            ("M", CustomerRankKeys.mNextSQL, ["EUR", 0, 0, 0], "customer_won_values_by_value (currency=? AND value_minor>?)"),
            ("M default", CustomerRankKeys.mDefaultNextSQL, ["EUR", 0, 0, 0], "customer_won_values_by_value (currency=? AND value_minor>?)"),
        ] {
            let lines = try plan(sql, values)
            XCTAssertTrue(lines.contains { $0.contains(index) }, "\(name):\n" + lines.joined(separator: "\n"))
            let walked = lines.prefix { $0 != "RIGHT" || name != "F" }
            XCTAssertFalse(walked.contains { $0.contains("TEMP B-TREE") }, "\(name):\n" + lines.joined(separator: "\n"))
        }
    }
}
