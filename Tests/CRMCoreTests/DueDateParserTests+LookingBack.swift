import CRMCore
import Foundation
import XCTest

/// The parser reading when something happened ("When" of a logged call,
/// `crm log --at`): a weekday or a day and month without a year is the latest
/// such day up to today, in either calendar; the rest reads as for due dates.
extension DueDateParserTests {
    typealias T = DueDateParserTests

    func lookingBack(_ id: Calendar.Identifier) -> DueDateParser {
        var p = DueDateParser(calendar: T.calendar(id, "Europe/Berlin"))
        p.looksBack = true
        return p
    }

    /// "Now" is Friday 27 March 2026, 16:00 CET (7 Farvardin 1405).
    func testLookingBackGregorian() {
        check(lookingBack(.gregorian), now: "2026-03-27T15:00:00Z", [
            .init("mon 9:30", "2026-03-23T08:30:00Z"),
            .init("fri 10:00", "2026-03-27T09:00:00Z"),   // today is Friday: today
            .init("sat", "2026-03-21T08:00:00Z"),
            .init("yesterday 15:00", "2026-03-26T14:00:00Z"),
            .init("-2h", "2026-03-27T13:00:00Z"),
            .init("27 nov", "2025-11-27T08:00:00Z"),      // the last 27 November
            .init("27 mar 11:00", "2026-03-27T10:00:00Z"),
            .init("2026-01-05 14:30", "2026-01-05T13:30:00Z"),
        ])
    }

    func testLookingBackPersian() {
        check(lookingBack(.persian), now: "2026-03-27T15:00:00Z", [
            .init("6 farvardin 10:00", "2026-03-26T09:00:00Z"),
            .init("10 azar", "2025-12-01T08:00:00Z"),          // 10 Azar 1404, not 1405
            .init("۱۴۰۵-۰۱-۰۵ ۱۴:۳۰", "2026-03-25T13:30:00Z"),
            .init("mon 9:30", "2026-03-23T08:30:00Z"),
        ])
    }
}
