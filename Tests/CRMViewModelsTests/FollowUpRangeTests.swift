import CRMCore
import Foundation
import XCTest
@testable import CRMViewModels

/// A FROM..TO range of follow-ups read as a person means it, on Monday
/// 30 Nov 2026 (9 Azar 1405): a day without a year is the last or the next
/// one, whichever makes the shortest range nearest today.
final class FollowUpRangeTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    var now: Date { ISO8601DateFormatter().date(from: "2026-11-30T11:00:00Z")! }

    func range(_ from: String?, _ to: String?, persian: Bool = false) -> String {
        let tf = TimeFormat(timeZone: utc, calendar: Calendar(identifier: persian ? .persian : .gregorian))
        switch FollowUpListModel.range(from: from, to: to, timeFormat: tf, now: now) {
        case .failure(let e): return "refused: \(e.message)"
        case .success(let r):
            let f = ISO8601DateFormatter()
            return "\(r.from.map(f.string) ?? "-") .. \(r.to.map(f.string) ?? "-")"
        }
    }

    func testYearlessDaysAroundToday() {
        XCTAssertEqual(range("25 nov", "5 dec"), "2026-11-25T00:00:00Z .. 2026-12-06T00:00:00Z", "this week's")
        XCTAssertEqual(range("1 nov", "20 nov"), "2026-11-01T00:00:00Z .. 2026-11-21T00:00:00Z", "the November just gone")
        XCTAssertEqual(range("1 dec", "10 dec"), "2026-12-01T00:00:00Z .. 2026-12-11T00:00:00Z", "the coming December")
        XCTAssertEqual(range("1 jan", "31 mar"), "2027-01-01T00:00:00Z .. 2027-04-01T00:00:00Z", "ahead: follow-ups are")
        XCTAssertEqual(range("mon", "fri"), "2026-11-30T00:00:00Z .. 2026-12-05T00:00:00Z", "this week, today a Monday")
        XCTAssertEqual(range("1 dec", nil), "2026-12-01T00:00:00Z .. -")
        XCTAssertEqual(range("25 nov", nil), "2026-11-25T00:00:00Z .. -", "an open end: the reading nearest today")
        XCTAssertEqual(range(nil, "5 dec"), "- .. 2026-12-06T00:00:00Z")
        XCTAssertEqual(range("2026-12-10", "2026-12-01"), "refused: the range ends before it starts")
        // A start that can be today is today (QA 29 #7: "mon" .. "+30d" on a
        // Monday started next Monday, this week left out).
        XCTAssertEqual(range("mon", "+30d"), "2026-11-30T00:00:00Z .. 2026-12-31T00:00:00Z")
        XCTAssertEqual(range("mon at 9", "+30d"), "2026-11-30T09:00:00Z .. 2026-12-31T00:00:00Z")
        XCTAssertEqual(range("30 nov", "+30d"), "2026-11-30T00:00:00Z .. 2026-12-31T00:00:00Z")
        XCTAssertEqual(range("fri", "+30d"), "2026-12-04T00:00:00Z .. 2026-12-31T00:00:00Z", "another weekday: the coming one")
        XCTAssertEqual(range("mon", nil), "2026-11-30T00:00:00Z .. -")
    }

    func testPersianDaysAroundToday() {
        // ۱ آذر ۱۴۰۵ = 22 Nov 2026, ۱۰ آذر = 1 Dec 2026.
        XCTAssertEqual(range("۱ آذر", "۱۰ آذر", persian: true), "2026-11-22T00:00:00Z .. 2026-12-02T00:00:00Z")
    }
}
