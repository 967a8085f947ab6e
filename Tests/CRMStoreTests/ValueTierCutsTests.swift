import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The tiers brought up to date from each currency's cuts (ValueTierCuts)
/// in a won deal's transaction: figures by hand on CustomerReportTests'
/// book (shares A 80 %, B 15 %), and the same rows as the full ranking.
final class ValueTierCutsTests: XCTestCase {
    typealias Book = CustomerReportTests.Book

    /// Each stored sum's tier ("name currency tier"), then each contact's.
    private func tiers(_ book: Book) throws -> [String] {
        let c = book.db.connection
        return try c.rows("""
            SELECT c.name || ' ' || v.currency || ' ' || coalesce(v.tier, '-') FROM customer_won_values v
            JOIN contacts c ON c.id = v.contact_id ORDER BY c.name, v.currency
            """) { $0.string(0) }
            + c.rows("SELECT name || ' ' || coalesce(value_tier, '-') FROM contacts ORDER BY name") { $0.string(0) }
    }

    /// The full ranking's rows (the stored policy made unknown, so the
    /// recompute ranks everyone in SQL), as `tiers` reads them.
    private func fullRanking(_ book: Book) throws -> [String] {
        let c = book.db.connection
        try c.transaction {
            try c.run("UPDATE value_tier_state SET policy = 'none' WHERE id = 1")
            try ValueTierRecompute(policy: ValueTierPolicy()).recompute(c)
        }
        return try tiers(book)
    }

    func testTiersFromTheCutsAfterWrites() throws {
        let book = try Book()
        // As built (CustomerReportTests): EUR Ada A, Cleo A, Ben B, Dan C;
        // USD Cleo A, Gita B; a contact's best.
        let asBuilt = ["Ada EUR A", "Ben EUR B", "Cleo EUR A", "Cleo USD A", "Dan EUR C", "Gita USD B",
                       "Ada A", "Ben B", "Cleo A", "Dan C", "Eve -", "Finn -", "Gita B", "Hank -", "Ivy -", "Jon -"]
        XCTAssertEqual(try tiers(book), asBuilt)

        // Ada's big deal down to 100 EUR: Ada 1100, Ben 1000, Cleo 1500, Dan
        // 500 (4100; A while above < 3280, B < 3895): Cleo (0) A, Ada
        // (1500) A, Ben (2600) A, Dan (3600) B. USD unchanged.
        var big = try XCTUnwrap(try book.db.deals.get(book.deals["Ada big"]!))
        big.value = Money(minorUnits: 100_00, currency: .eur)
        _ = try book.db.deals.update(big)
        let smaller = ["Ada EUR A", "Ben EUR A", "Cleo EUR A", "Cleo USD A", "Dan EUR B", "Gita USD B",
                       "Ada A", "Ben A", "Cleo A", "Dan B", "Eve -", "Finn -", "Gita B", "Hank -", "Ivy -", "Jon -"]
        XCTAssertEqual(try tiers(book), smaller)
        XCTAssertEqual(try fullRanking(book), smaller)

        // Back to 6000 EUR, and Cleo made a former customer on another
        // connection: EUR Ada 7000, Ben 1000, Dan 500 (8500; A < 6800,
        // B < 8075): Ada (0) A, Ben (7000) B, Dan (8000) B; USD Gita alone
        // (0) A. Cleo's sums go, her tier with them.
        big = try XCTUnwrap(try book.db.deals.get(book.deals["Ada big"]!))
        big.value = Money(minorUnits: 6000_00, currency: .eur)
        _ = try book.db.deals.update(big)
        var cleo = try XCTUnwrap(try book.omid.contacts.get(book.ids["Cleo"]!))
        cleo.lifecycle = .former
        _ = try book.omid.contacts.update(cleo)
        let cleoGone = ["Ada EUR A", "Ben EUR B", "Dan EUR B", "Gita USD A",
                        "Ada A", "Ben B", "Cleo -", "Dan B", "Eve -", "Finn -", "Gita A", "Hank -", "Ivy -", "Jon -"]
        XCTAssertEqual(try tiers(book), cleoGone)
        XCTAssertEqual(try fullRanking(book), cleoGone)
    }
}
