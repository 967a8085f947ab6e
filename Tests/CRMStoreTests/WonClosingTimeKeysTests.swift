import CRMCore
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// A won deal's close date edited (later, earlier, past the stored year):
/// the Customers page's stored keys follow it (schema 62). Before it, the
/// stored last closing (`customer_won_values.last_won`), the R key
/// (`customer_rank_keys.touch`) and the deals of the stored year kept the
/// old date, and the R quintiles read from them differed from the ones
/// worked out from the deals (the rank keys contract on h-pgcust found it).
///
/// CustomerReportTests' book, figures by hand. The second writer opens on
/// day 190: the stored year is [day −175, day 190). Gita's one won deal is
/// 100 USD closed on day 60, her interactions days 10, 20, 30.
final class WonClosingTimeKeysTests: XCTestCase {
    typealias Book = CustomerReportTests.Book
    static func day(_ d: Double) -> Date { CustomerReportTests.day(d) }
    static func seconds(_ d: Double) -> Int64 { Int64(day(d).timeIntervalSince1970) }

    /// Gita's stored last closing and deals of the year (USD), and her R key.
    private func gitaKeys(_ db: Database, _ gita: Int64) throws -> [Int64] {
        let c = db.connection
        return [try c.scalar("SELECT last_won FROM customer_won_values WHERE contact_id = ? AND currency = 'USD'", [gita]) ?? -1,
                try c.scalar("SELECT deals_year FROM customer_won_values WHERE contact_id = ? AND currency = 'USD'", [gita]) ?? -1,
                try c.scalar("SELECT touch FROM customer_rank_keys WHERE contact_id = ?", [gita]) ?? -1]
    }

    /// R, F and M of the top customers, from the stored keys; and the
    /// segments from the stored keys equal to the ones worked out from the deals.
    private func scores(_ db: Database, _ period: ReportFilter, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let report = db.customerReports
        XCTAssertTrue(try CustomerRankKeys.applies(db.connection, period, ValueTierPolicy()), "stored keys apply", file: file, line: line)
        report.forgetFigures()
        let stored = try report.topCustomers(period, policy: ValueTierPolicy(), limit: 10)
        let storedSegments = try report.segments(period, policy: ValueTierPolicy())
        db.readsStoredRankKeys = false
        report.forgetFigures()
        let counted = try report.topCustomers(period, policy: ValueTierPolicy(), limit: 10)
        let countedSegments = try report.segments(period, policy: ValueTierPolicy())
        db.readsStoredRankKeys = true
        report.forgetFigures()
        XCTAssertEqual(stored, counted, "top customers", file: file, line: line)
        XCTAssertEqual(storedSegments, countedSegments, "segments", file: file, line: line)
        return stored.map { "\($0.name) \($0.recency)\($0.frequency)\($0.monetary)" }
    }

    func testStoredKeysFollowAWonDealsCloseDate() throws {
        let book = try Book()
        let db = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(190)))
        // Another connection moves the close date alone, in a transaction
        // (the deal form writes every column with the status, which the
        // triggers listened to; an UPDATE of closed_at alone, as a script,
        // a sync or the rank keys contract writes it, is what they missed).
        // Its commit refreshes the stored keys for whoever reads next.
        let other = try Database(path: book.folder.path("crm.db"), login: "omid", clock: ManualClock(Self.day(190)))
        let gita = book.ids["Gita"]!
        let period = book.period
        func close(_ d: Double) throws {
            let c = other.connection
            try c.transaction { try c.run("UPDATE deals SET closed_at = ? WHERE id = ?", [Self.seconds(d), book.deals["Gita"]!]) }
        }

        // As CustomerReportTests worked it out: R by last touch Finn (never)
        // 1, Gita (won day 60) 1, Dan (120) 2, Ben (150) 3, Cleo (180) 4,
        // Ada (185) 5; F and M as there.
        XCTAssertEqual(try gitaKeys(db, gita), [Self.seconds(60), 1, Self.seconds(60)])
        let asBuilt = ["Ada 555", "Cleo 424", "Ben 343", "Dan 212", "Cleo 424", "Gita 131"]
        XCTAssertEqual(try scores(db, period), asBuilt)

        // Later, to day 185: her touch 185 ties Ada's and follows it (the
        // id breaks ties): Finn 0 and Dan 120 share R 1, Ben 2, Cleo 3,
        // Ada 4, Gita 5. Still in the stored year.
        try close(185)
        XCTAssertEqual(try gitaKeys(db, gita), [Self.seconds(185), 1, Self.seconds(185)])
        let gitaLast = ["Ada 455", "Cleo 324", "Ben 243", "Dan 112", "Cleo 324", "Gita 531"]
        XCTAssertEqual(try scores(db, period), gitaLast)

        // Earlier, to day 5: her touch is her last call (day 30), the R
        // ranks as built; day 5 is in the stored year.
        try close(5)
        XCTAssertEqual(try gitaKeys(db, gita), [Self.seconds(5), 1, Self.seconds(30)])
        XCTAssertEqual(try scores(db, period), asBuilt)

        // Past the stored year's end (day 195, before the period's end 200):
        // no deal of the stored year; touch 195 is the latest: R as at 185.
        try close(195)
        XCTAssertEqual(try gitaKeys(db, gita), [Self.seconds(195), 0, Self.seconds(195)])
        XCTAssertEqual(try scores(db, period), gitaLast)
    }

    /// A file at schema 61 whose stored rows missed an edited close date:
    /// step 62 counts them again.
    func testStepRepairsStaleRows() throws {
        let book = try Book()
        let gita = book.ids["Gita"]!
        let c = book.db.connection
        try rewindSchema(c, to: 61)
        // The old triggers: the edit leaves the stored keys at day 60.
        try c.transaction {
            try c.run("UPDATE deals SET closed_at = ? WHERE id = ?", [Self.seconds(185), book.deals["Gita"]!])
        }
        XCTAssertEqual(try gitaKeys(book.db, gita), [Self.seconds(60), 0, Self.seconds(60)])
        let db = try Database(path: book.folder.path("crm.db"), login: "tester", clock: ManualClock(Self.day(190)))
        XCTAssertEqual(db.schemaVersion, Database.supportedSchemaVersion, "upgraded through step 62")
        XCTAssertEqual(try gitaKeys(db, gita), [Self.seconds(185), 1, Self.seconds(185)])
    }
}
