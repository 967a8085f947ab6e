import CRMRepositories
import CRMViewModels
import Foundation
import XCTest

/// A refused stale edit says who and when: the time of day for a save made
/// today, the full date for an older one, in the user's calendar and zone.
final class StaleRefusalWordingTests: XCTestCase {
    private let now = ISO8601DateFormatter().date(from: "2026-03-14T15:30:00Z")!

    private func format(_ calendar: Calendar.Identifier = .gregorian) -> TimeFormat {
        let f = TimeFormat()
        f.apply(timeZone: TimeZone(identifier: "UTC")!, calendar: Calendar(identifier: calendar))
        return f
    }

    private func stale(at date: Date?, deleted: Bool = false) -> StaleEdit {
        StaleEdit(entity: "deal", id: 7, expectedVersion: 2, currentVersion: 3, changedBy: "omid", changedAt: date,
                  changedFields: ["stage", "value"], deleted: deleted)
    }

    func testTodaysSaveIsToldByItsTimeOfDay() {
        let f = format()
        let s = stale(at: now.addingTimeInterval(-26 * 60))
        XCTAssertEqual(s.sentence(time: { f.moment($0, now: self.now) }),
                       "The deal was changed by omid at 15:04 (stage, value); your change was not saved")
    }

    func testAnOlderSaveIsToldByItsDate() {
        let f = format()
        let s = stale(at: now.addingTimeInterval(-86_400), deleted: true)
        XCTAssertEqual(s.sentence(time: { f.moment($0, now: self.now) }),
                       "The deal was deleted by omid at 2026-03-13 15:30; your change was not saved")
    }

    func testWithoutATimeItSaysMeanwhile() {
        XCTAssertEqual(stale(at: nil).sentence(time: { _ in "never used" }),
                       "The deal was changed by omid meanwhile (stage, value); your change was not saved")
        XCTAssertEqual(stale(at: now).description, "The deal was changed by omid meanwhile (stage, value); your change was not saved")
    }

    func testThePersianCalendarWritesItsOwnDate() {
        let f = format(.persian)
        let s = stale(at: now.addingTimeInterval(-3 * 86_400))
        XCTAssertEqual(s.sentence(time: { f.moment($0, now: self.now) }),
                       "The deal was changed by omid at 1404-12-20 15:30 (stage, value); your change was not saved")
    }
}
