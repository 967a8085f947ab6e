import CRMCore
import Foundation
import XCTest
@testable import CRMViewModels

/// The deal's Close by (and the board's `b`) in either calendar: every
/// example shown is accepted, a Gregorian date is read as one with the
/// Persian calendar too, and the form shows its reading before saving.
final class CloseDateTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let now = ISO8601DateFormatter().date(from: "2026-11-30T11:00:00Z")!

    func day(_ text: String, persian: Bool) throws -> String {
        let tf = TimeFormat(timeZone: utc, calendar: Calendar(identifier: persian ? .persian : .gregorian))
        let date = try XCTUnwrap(DealForms.parseDate(text, field: "expected close", in: tf, now: now))
        return String(ISO8601DateFormatter().string(from: date).prefix(10))
    }

    func testPersianCalendarTakesItsOwnExamplesAndGregorianDates() throws {
        XCTAssertEqual(try day("2026-12-31", persian: true), "2026-12-31")
        XCTAssertEqual(try day("15 dec", persian: true), "2026-12-15")
        XCTAssertEqual(try day("1405-10-10", persian: true), "2026-12-31")
        XCTAssertEqual(try day("۱۵ دی", persian: true), "2027-01-05")
        XCTAssertEqual(try day("15 dey", persian: true), "2027-01-05")
        XCTAssertEqual(try day("2026-12-31", persian: false), "2026-12-31")
        let tf = TimeFormat(timeZone: utc, calendar: Calendar(identifier: .persian))
        for example in DealForms.closeExamples(tf).components(separatedBy: ", ") {
            XCTAssertNoThrow(try DealForms.parseDate(example, field: "expected close", in: tf, now: now), example)
        }
        XCTAssertThrowsError(try DealForms.parseDate("someday", field: "expected close", in: tf, now: now)) { error in
            XCTAssertEqual((error as? FieldError)?.message, "\"someday\" is not a date; expected e.g. 1405-10-10, 15 dey, next month or +30d")
        }
    }
}
