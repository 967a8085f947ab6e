import CRMCore
import Foundation
import XCTest
@testable import CRMViewModels

/// The screen spells Gregorian dates from the calendar's fields instead of
/// with a DateFormatter (the first one loads ICU's locale data at start):
/// every format the screen uses must read exactly as the formatter reads it,
/// in every kind of zone (half-hour offsets, a 30-minute summer time,
/// transitions), for dates from 1600 to 9999.
final class GregorianSpellingTests: XCTestCase {
    static let formats = ["HH:mm", "EEE HH:mm", "d MMM HH:mm", "d MMM yyyy", "d MMM", "EEE d MMM yyyy",
                          "EEE d MMM yyyy HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "dd.MM.yyyy 'at' HH:mm", "'it''s' d MMM"]
    static let zones = ["UTC", "Europe/Berlin", "Asia/Tehran", "America/St_Johns", "Australia/Lord_Howe",
                        "Pacific/Kiritimati", "America/Sao_Paulo", "Asia/Kathmandu", "Pacific/Chatham"]

    func dates() -> [Date] {
        var dates: [Date] = [
            GregorianSpelling.earliest, DateLimits.shown.upperBound, Date(timeIntervalSince1970: 0),
            Date(timeIntervalSince1970: 1_774_602_000), // 27 March 2026 09:00 UTC, the golden screens' morning
            Date(timeIntervalSince1970: 951_782_400),   // 29 February 2000
        ]
        // Every 3 hours 17 minutes across two years: every transition of
        // every zone above is stepped over, each hour of the day and weekday.
        var t = 1_735_689_600.0 // 1 January 2025
        while t < 1_798_761_600 { dates.append(Date(timeIntervalSince1970: t)); t += 11_820 }
        // And a spread over the whole range.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: GregorianSpelling.earliest.timeIntervalSince1970
                                                                  ... DateLimits.shown.upperBound.timeIntervalSince1970,
                                                                  using: &generator).rounded()))
        }
        return dates
    }

    func testEveryScreenFormatReadsAsTheFormatterReadsIt() throws {
        let dates = dates()
        for zone in Self.zones {
            let tf = TimeFormat(timeZone: try XCTUnwrap(TimeZone(identifier: zone)))
            for format in Self.formats {
                XCTAssertNotNil(GregorianSpelling(format), format)
                for date in dates {
                    let spelled = tf.spell(date, format)
                    let expected = tf.spellWithFormatter(date, format)
                    if spelled != expected {
                        XCTFail("\(zone) \(format) \(date.timeIntervalSince1970): \(spelled) ≠ formatter's \(expected)")
                        return
                    }
                }
            }
        }
    }

    func testOtherFieldsAndCalendarsGoThroughAFormatter() {
        XCTAssertNil(GregorianSpelling("h:mm a"))
        XCTAssertNil(GregorianSpelling("MMMM yyyy"))
        XCTAssertNil(GregorianSpelling("yy-MM-dd"))
        let date = Date(timeIntervalSince1970: 1_774_602_000)
        let gregorian = TimeFormat(timeZone: TimeZone(identifier: "Asia/Tehran")!)
        XCTAssertEqual(gregorian.spell(date, "EEE d MMM yyyy"), "Fri 27 Mar 2026")
        XCTAssertEqual(gregorian.formattersMade, 0)
        XCTAssertEqual(gregorian.spell(date, "h:mm a"), "12:30 PM")
        XCTAssertEqual(gregorian.formattersMade, 1)
        let persian = TimeFormat(timeZone: TimeZone(identifier: "Asia/Tehran")!, calendar: Calendar(identifier: .persian))
        XCTAssertEqual(persian.spell(date, "d MMM yyyy"), "7 Farvardin 1405")
        XCTAssertEqual(persian.formattersMade, 1)
        // Before 1600 (the calendar reform is the formatter's business) and
        // out of the shown range.
        XCTAssertEqual(gregorian.spell(Date(timeIntervalSince1970: -12_000_000_000), "yyyy-MM-dd"),
                       gregorian.spellWithFormatter(Date(timeIntervalSince1970: -12_000_000_000), "yyyy-MM-dd"))
        XCTAssertEqual(gregorian.spell(DateLimits.shown.upperBound.addingTimeInterval(1), "yyyy"), TimeFormat.outOfRange)
    }
}
