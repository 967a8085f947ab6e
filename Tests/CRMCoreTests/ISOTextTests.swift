import CRMCore
import Foundation
import XCTest

/// `isoUTCText` must spell every date exactly as ISO8601DateFormatter does
/// (the audit log holds texts written by both): the formatter is the oracle.
final class ISOTextTests: XCTestCase {
    func formatter() -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f
    }

    func testKnownDates() {
        XCTAssertEqual(Date(timeIntervalSince1970: 0).isoUTCText, "1970-01-01T00:00:00Z")
        XCTAssertEqual(Date(timeIntervalSince1970: 1_796_060_492).isoUTCText, "2026-11-30T17:41:32Z")
        XCTAssertEqual(Date(timeIntervalSince1970: 951_782_400).isoUTCText, "2000-02-29T00:00:00Z", "a leap day of a century year")
        XCTAssertEqual(Date(timeIntervalSince1970: -1).isoUTCText, "1969-12-31T23:59:59Z", "before 1970, rounded down")
        XCTAssertEqual(Date(timeIntervalSince1970: 59.9).isoUTCText, "1970-01-01T00:00:59Z", "a fraction is cut, not rounded")
    }

    func testAgreesWithTheFormatterAcrossTheCalendar() {
        let f = formatter()
        // Every boundary the arithmetic has: eras of 400 years, centuries,
        // leap days, the ends of years and days, before and after 1970,
        // from 1583 (the first whole Gregorian year) to 9999.
        var samples: [Double] = [-12_212_553_600, -2_208_988_800, -86_401, -86_400, -86_399, -0.5,
                                 951_868_799, 4_107_542_400, 253_402_300_799, 253_402_300_799.5]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            samples.append(Double(Int64(x % 265_614_854_400) - 12_212_553_600) + Double(x % 1000) / 1000)
        }
        for t in samples {
            let date = Date(timeIntervalSince1970: t)
            XCTAssertEqual(date.isoUTCText, f.string(from: date), "\(t)")
        }
    }

    func testOutsideGregorianFourDigitYearsItIsTheFormattersOwnText() {
        let f = formatter()
        // Before 1583 the formatter counts Julian days (0080-03-23, not 03-21).
        for t in [-12_212_553_601.0, -59_635_678_957, -62_167_219_201, 253_402_300_800, 1e13, -1e13] {
            let date = Date(timeIntervalSince1970: t)
            XCTAssertEqual(date.isoUTCText, f.string(from: date), "\(t)")
        }
    }
}
