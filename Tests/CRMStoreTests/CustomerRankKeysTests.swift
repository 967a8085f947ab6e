import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The Customers page read from the stored ranking keys (schema 48,
/// CustomerRankKeys) gives the same figures as worked out from the won
/// deals, and the stored keys equal a recount from scratch after every kind
/// of write.
final class CustomerRankKeysTests: XCTestCase {
    typealias Book = CustomerReportTests.Book
    static func day(_ d: Double) -> Date { CustomerReportTests.day(d) }

    /// Thirty more customers around the book's, with ties in value, in
    /// interactions and in last touch, in two currencies and two owners, so
    /// every quintile has several rows and ties across its boundaries.
    private func crowd(_ book: Book) throws {
        for i in 0 ..< 30 {
            let owner = i % 3 == 0 ? book.omid : book.db
            let id = try owner.contacts.create(Contact(name: "Crowd \(i)", lifecycle: .customer)).id
            book.ids["Crowd \(i)"] = id
            if i % 4 != 0 {
                try book.deal("Crowd deal \(i)", Int64(i % 5 + 1) * 100_00, currency: i % 6 == 1 ? "USD" : "EUR",
                              contact: "Crowd \(i)", day: Double(40 + i % 7 * 10))
            }
            for n in 0 ..< i % 4 {
                book.clock.now = Self.day(Double(60 + i % 3 * 20 + n))
                _ = try book.db.interactions.log(Interaction(contactID: id, kind: .call, occurredAt: book.clock.now))
            }
        }
        book.clock.now = Self.day(190)
    }

    /// Every section from the stored keys and from the won deals.
    private func assertSameFigures(_ db: Database, _ filter: ReportFilter, stored: Bool = true,
                                   file: StaticString = #filePath, line: UInt = #line) throws {
        let report = db.customerReports
        let policy = ValueTierPolicy()
        XCTAssertEqual(try CustomerRankKeys.applies(db.connection, filter, policy), stored, "stored keys apply", file: file, line: line)
        func both<T: Equatable>(_ name: String, _ read: () throws -> T) throws {
            db.readsStoredRankKeys = true
            report.forgetFigures()
            let fromKeys = try read()
            db.readsStoredRankKeys = false
            report.forgetFigures()
            let fromDeals = try read()
            db.readsStoredRankKeys = true
            XCTAssertEqual(fromKeys, fromDeals, name, file: file, line: line)
        }
        try both("top") { try report.topCustomers(filter, policy: policy, limit: 100) }
        try both("top 3") { try report.topCustomers(filter, policy: policy, limit: 3) }
        try both("tiers") { try report.tiers(filter, policy: policy) }
        try both("segments") { try report.segments(filter, policy: policy) }
        try both("segment counts") { try report.segmentCounts(filter, policy: policy) }
        try both("each segment's customers") {
            try RFMSegment.allCases.map { try report.segmentCustomers(filter, policy: policy, segment: $0) }
        }
        // The counts and each segment's list are the lists of `segments`.
        let segments = try report.segments(filter, policy: policy)
        XCTAssertEqual(try report.segmentCounts(filter, policy: policy).map(\.customers), segments.map(\.contactIDs.count),
                       file: file, line: line)
        XCTAssertEqual(try RFMSegment.allCases.map { try report.segmentCustomers(filter, policy: policy, segment: $0) },
                       segments.map(\.contactIDs), file: file, line: line)
        try both("lifetime") { try report.lifetimeValue(filter, policy: policy) }
    }

    func testStoredKeysGiveTheFiguresOfTheWonDeals() throws {
        let book = try Book()
        try crowd(book)
        let tester = book.db.currentUser.id
        // The book's period: every interaction after the stored window's
        // end, so every frequency is a correction to now.
        try assertSameFigures(book.db, book.period)
        try assertSameFigures(book.db, ReportFilter(start: Self.day(100), end: Self.day(200), ownerIDs: [tester], now: Self.day(190)))
        try assertSameFigures(book.db, ReportFilter(start: Self.day(150), end: Self.day(190), now: Self.day(190)))
        // Won deals closed after the end, a pipeline or a currency: the
        // figures are worked out from the won deals.
        try assertSameFigures(book.db, ReportFilter(start: Self.day(0), end: Self.day(100), now: Self.day(190)), stored: false)
        try assertSameFigures(book.db, ReportFilter(start: Self.day(0), end: Self.day(200), pipelineIDs: [book.pipeline.id],
                                                    now: Self.day(190)), stored: false)
        // A writer opening the file later moves the stored window to its
        // day: most counts are stored now, the corrections few.
        let later = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(190)))
        try assertSameFigures(later, ReportFilter(start: Self.day(100), end: Self.day(200), now: Self.day(195)))
        try assertSameFigures(later, ReportFilter(start: Self.day(100), end: Self.day(200), now: Self.day(190)))
        try assertRecounted(later)
    }

    /// The stored sums and keys equal a recount from the deals, contacts
    /// and interactions.
    private func assertRecounted(_ db: Database, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        let c = db.connection
        let won = """
            won AS (
                SELECT c.id AS contact_id, d.currency, d.value_minor, d.closed_at FROM deals d JOIN contacts c ON c.id = d.contact_id
                WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
                  AND (c.company_id IS NULL OR d.company_id IS NOT c.company_id)
                UNION ALL
                SELECT c.id, d.currency, d.value_minor, d.closed_at FROM deals d JOIN contacts c ON c.company_id = d.company_id
                WHERE d.deleted_at IS NULL AND d.status = 'won' AND c.deleted_at IS NULL AND c.lifecycle = 'customer')
            """
        // Five columns each, as text (NULL as "nil").
        let text = { (row: Row) in (Int32(0) ..< 5).map { row.isNull($0) ? "nil" : row.string($0) }.joined(separator: " ") }
        XCTAssertEqual(try c.rows("SELECT contact_id, currency, value_minor, deals, last_won FROM customer_won_values ORDER BY 1, 2", [], text),
                       try c.rows("""
                           WITH \(won) SELECT contact_id, currency, sum(value_minor), count(*), max(closed_at)
                           FROM won GROUP BY contact_id, currency ORDER BY 1, 2
                           """, [], text), "won values \(what)", file: file, line: line)
        XCTAssertEqual(try c.rows("SELECT contact_id, owner_id, touch, frequency, valued FROM customer_rank_keys ORDER BY 1", [], text),
                       try c.rows("""
                           WITH \(won)
                           SELECT c.id, c.owner_id,
                                  max(coalesce(c.last_interaction_at, 0), coalesce((SELECT max(w.closed_at) FROM won w WHERE w.contact_id = c.id), 0)),
                                  (SELECT count(*) FROM interactions i, contact_year_window y
                                   WHERE y.id = 1 AND i.contact_id = c.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                                     AND i.occurred_at >= y.as_of - 31536000 AND i.occurred_at < y.as_of),
                                  EXISTS (SELECT 1 FROM won w WHERE w.contact_id = c.id)
                           FROM contacts c WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' ORDER BY c.id
                           """, [], text), "ranking keys \(what)", file: file, line: line)
        // The page reads them: the same figures as from the won deals.
        try assertSameFigures(db, ReportFilter(start: Self.day(100), end: Self.day(400), now: Self.day(195)), file: file, line: line)
    }

    func testStoredKeysFollowEveryKindOfWrite() throws {
        let book = try Book()
        try crowd(book)
        // Opened on a later day: the stored window holds the interactions.
        let clock = ManualClock(Self.day(190))
        let db = try Database(path: book.folder.path("crm.db"), login: "tester", clock: clock)
        try assertRecounted(db, "after the upgrade")
        let id = { (name: String) in book.ids[name]! }

        // Logged, edited (time and contact), trashed, restored.
        clock.now = Self.day(191)
        var note = try db.interactions.log(Interaction(contactID: id("Ben"), kind: .call, occurredAt: Self.day(170)))
        try assertRecounted(db, "logged")
        note.occurredAt = Self.day(120)
        note.contactID = id("Crowd 4")
        note = try db.interactions.update(note)
        try assertRecounted(db, "edited")
        try db.interactions.delete(note.id)
        try assertRecounted(db, "interaction trashed")
        try db.interactions.restore(note.id)
        try assertRecounted(db, "interaction restored")

        // Lifecycle in and out, reassigned, handed over.
        try book.lifecycle("Finn", .former, day: 191)
        try book.lifecycle("Eve", .customer, day: 191)
        clock.now = Self.day(192)
        try assertRecounted(db, "lifecycles")
        let omid = book.omid.currentUser.id
        _ = try db.reassignRepository.reassign([ReassignItem(.contact, id("Ada")), ReassignItem(.deal, book.deals["Dan won"]!)], to: omid)
        try assertRecounted(db, "reassigned")

        // A deal won, reopened, lost, deleted and restored; a won deal moved
        // to another contact and its value changed.
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
        big.contactID = id("Crowd 5")
        big.value = Money(minorUnits: 123_00, currency: .eur)
        _ = try db.deals.update(big)
        try assertRecounted(db, "won deal edited")

        // Contacts merged, trashed, restored, purged.
        let cleo = try XCTUnwrap(try db.contacts.get(id("Cleo")))
        let gita = try XCTUnwrap(try db.contacts.get(id("Gita")))
        _ = try db.contacts.merge(into: cleo, other: gita.id, otherVersion: gita.version)
        try assertRecounted(db, "merged")
        try db.trash.trash(.contact, id("Ben"))
        try assertRecounted(db, "contact trashed")
        _ = try db.trash.restore(.contact, id("Ben"))
        try assertRecounted(db, "contact restored")
        try db.trash.trash(.contact, id("Crowd 7"))
        _ = try db.trash.purge(kind: nil, deletedBefore: nil)
        try assertRecounted(db, "purged")

        // A bulk load (as imports and the demo fill write): new customers
        // with deals and interactions, the triggers suspended and caught up.
        try BulkLoader(database: db).load { loader in
            let pipeline = book.pipeline
            for i in 0 ..< 5 {
                let contact = try loader.insert(Contact(name: "Loaded \(i)", lifecycle: .customer))
                _ = try loader.insert(Deal(pipelineID: pipeline.id, stageID: book.won.id, title: "Loaded \(i)",
                                           value: Money(minorUnits: Int64(i + 1) * 50_00, currency: .eur), contactID: contact,
                                           status: .won, closedAt: Self.day(150)), history: [])
                for n in 0 ..< i {
                    try loader.insert(Interaction(contactID: contact, kind: .email, occurredAt: Self.day(Double(100 + n))))
                }
            }
        }
        try assertRecounted(db, "bulk load")

        // The window moved by a writer opening on a later day.
        let next = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(250)))
        try assertRecounted(next, "window moved")
    }

    /// The new statements read their indexes: no scan of a base table, no
    /// sort of the customers (the F boundaries merge two ordered arms).
    func testStoredKeyStatementsUseIndexes() throws {
        let book = try Book()
        let c = book.db.connection
        let bounds = try CustomerRankKeys.prepareBounds(c, book.period, ValueTierPolicy())
        let plan = { (sql: String, values: [SQLBindable]) in try c.rows("EXPLAIN QUERY PLAN " + sql, values) { $0.string(3) } }
        let r = try plan(CustomerRankKeys.rFirstSQL, [0])
        XCTAssertTrue(r.contains { $0.contains("USING COVERING INDEX customer_rank_keys_by_touch") }, r.joined(separator: "\n"))
        let f = try plan(CustomerRankKeys.fFirstSQL, [0])
        XCTAssertTrue(f.contains { $0.contains("MERGE (UNION ALL)") }, f.joined(separator: "\n"))
        XCTAssertTrue(f.contains { $0.contains("customer_rank_keys_by_frequency") }, f.joined(separator: "\n"))
        let m = try plan(CustomerRankKeys.mDefaultFirstSQL, ["EUR", 0])
        XCTAssertTrue(m.contains { $0.contains("MERGE (UNION ALL)") }, m.joined(separator: "\n"))
        XCTAssertTrue(m.contains { $0.contains("customer_rank_keys_by_valued") } && m.contains { $0.contains("customer_won_values_by_value") },
                      m.joined(separator: "\n"))
        for (name, sql, values) in [("R", CustomerRankKeys.rFirstSQL, [0] as [SQLBindable]), ("F", CustomerRankKeys.fFirstSQL, [0]),
                                    ("M", CustomerRankKeys.mFirstSQL, ["EUR", 0]), ("M default", CustomerRankKeys.mDefaultFirstSQL, ["EUR", 0])] {
            let lines = try plan(sql, values)
            XCTAssertFalse(lines.contains { $0.contains("customer_rank_keys") && $0.hasPrefix("SCAN") && !$0.contains("INDEX") },
                           "\(name):\n" + lines.joined(separator: "\n"))
            // Only the few corrected keys (the right arm of F) are sorted.
            let walked = lines.prefix { $0 != "RIGHT" || name != "F" }
            XCTAssertFalse(walked.contains { $0.contains("TEMP B-TREE") }, "\(name):\n" + lines.joined(separator: "\n"))
        }
        let owners: SQLBindable = SQLValue.null
        let top = try plan(CustomerRankKeys.topSQL, CustomerRankKeys.parameters(bounds, currency: .eur, owners: owners, limit: 20))
        XCTAssertTrue(top.contains { $0.contains("customer_won_values_by_rank") }, top.joined(separator: "\n"))
        // The walk in value order stops at the limit; only its rows are sorted again.
        XCTAssertFalse(top.prefix { $0 != "SCAN t" }.contains { $0.contains("TEMP B-TREE") }, top.joined(separator: "\n"))
        let tiers = try plan(CustomerRankKeys.tiersSQL, [owners])
        XCTAssertTrue(tiers.contains { $0.contains("customer_won_values_by_rank") }, tiers.joined(separator: "\n"))
        let lifetime = try plan(CustomerRankKeys.lifetimeSQL, [owners]) + plan(CustomerRankKeys.lastYearSQL, [owners, book.period.end])
        XCTAssertTrue(lifetime.contains { $0.contains("deals_by_status_closed") }, lifetime.joined(separator: "\n"))
        let segments = try plan(CustomerRankKeys.segmentsSQL, CustomerRankKeys.parameters(bounds, currency: .eur, owners: owners, limit: nil))
        for line in lifetime + segments + top + tiers where line.hasPrefix("SCAN ") {
            // The customers' keys are read whole by design (one pass); no
            // other table is scanned.
            XCTAssertTrue(["SCAN k", "SCAN v", "SCAN r", "SCAN w", "SCAN g", "SCAN t", "SCAN top", "SCAN (subquery-", "SCAN json_each"]
                            .contains { line == $0 || line.hasPrefix($0 + " ") || $0.hasSuffix("-") && line.hasPrefix($0) },
                          line + "\n" + (lifetime + segments + top + tiers).joined(separator: "\n"))
        }
    }
}
