import CRMRepositories
import XCTest

/// Ids joined by the database (group_concat, string_agg) read byte by byte,
/// never split into substrings (the Customers page's retention lists held
/// 25 MiB of substrings at a million contacts): ascending by default, or in
/// the order they were joined in, as the Customers report reads them.
final class ReportIDTextTests: XCTestCase {
    func testIdsAscendingOrInTheOrderJoined() {
        XCTAssertEqual(ReportIDText.ids("30,1,2000000,7"), [1, 7, 30, 2_000_000])
        XCTAssertEqual(ReportIDText.ids("30,1,2000000,7", sorted: false), [30, 1, 2_000_000, 7])
        XCTAssertEqual(ReportIDText.ids(nil, sorted: false), [])
        XCTAssertEqual(ReportIDText.ids("", sorted: false), [])
        XCTAssertEqual(ReportIDText.ids("5", sorted: false), [5])
        XCTAssertEqual(ReportIDText.ids("5,,6", sorted: false), [5, 6], "an empty piece is no id")
        let many = (1...200_000).reversed().map(Int64.init)
        XCTAssertEqual(ReportIDText.ids(many.map(String.init).joined(separator: ","), sorted: false), many)
    }
}
