import Foundation
import XCTest
@testable import CRMCore

/// Due dates as people type them, read in two time zones with a daylight-saving
/// change in the window, in the Gregorian and the Persian calendar.
final class DueDateParserTests: XCTestCase {
    struct Case {
        let input: String
        let expected: String  // the instant, ISO 8601 in UTC
        let line: UInt
        init(_ input: String, _ expected: String, line: UInt = #line) {
            self.input = input; self.expected = expected; self.line = line
        }
    }

    static func calendar(_ id: Calendar.Identifier, _ zone: String, firstWeekday: Int = 2) -> Calendar {
        var cal = Calendar(identifier: id)
        cal.timeZone = TimeZone(identifier: zone)!
        cal.firstWeekday = firstWeekday
        return cal
    }

    static func utc(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: text)!
    }

    func check(_ parser: DueDateParser, now: String, _ cases: [Case], file: StaticString = #filePath) {
        let nowDate = Self.utc(now)
        for c in cases {
            switch parser.parse(c.input, now: nowDate) {
            case .success(let due):
                XCTAssertEqual(ISO8601DateFormatter().string(from: due.date), c.expected,
                               "\"\(c.input)\" was read as \(due.description)", file: file, line: c.line)
            case .failure(let error):
                XCTFail("\"\(c.input)\" rejected: \(error.message)", file: file, line: c.line)
            }
        }
    }

    /// Berlin: clocks go forward on Sunday 29 March 2026 at 02:00 (CET → CEST).
    /// "Now" is Friday 27 March, 16:00 CET.
    func testGregorianBerlinAcrossDaylightSaving() {
        let parser = DueDateParser(calendar: Self.calendar(.gregorian, "Europe/Berlin"))
        check(parser, now: "2026-03-27T15:00:00Z", [
            Case("today 15:00", "2026-03-27T14:00:00Z"),
            Case("15:00", "2026-03-27T14:00:00Z"),
            Case("3pm", "2026-03-27T14:00:00Z"),
            Case("now", "2026-03-27T15:00:00Z"),
            Case("tomorrow", "2026-03-28T08:00:00Z"),
            Case("Tomorrow 8:30", "2026-03-28T07:30:00Z"),
            Case("tomorrow morning", "2026-03-28T08:00:00Z"),
            Case("tomorrow 9", "2026-03-28T08:00:00Z"),      // a whole hour after a day word (QA 45 KB #8)
            Case("sun 10", "2026-03-29T08:00:00Z"),
            Case("sun 10:00", "2026-03-29T08:00:00Z"),       // CEST from here on
            Case("+3d", "2026-03-30T07:00:00Z"),             // 09:00 wall clock, one hour less UTC offset
            Case("in 3 days", "2026-03-30T07:00:00Z"),
            Case("fri", "2026-04-03T07:00:00Z"),             // today is Friday: the next one
            Case("next fri at 17:00", "2026-04-03T15:00:00Z"),
            Case("+2w", "2026-04-10T07:00:00Z"),
            Case("yesterday", "2026-03-26T08:00:00Z"),
            Case("-3d", "2026-03-24T08:00:00Z"),
            Case("2 weeks ago", "2026-03-13T08:00:00Z"),
            Case("+4h", "2026-03-27T19:00:00Z"),
            Case("+30min", "2026-03-27T15:30:00Z"),
            Case("+48h", "2026-03-29T15:00:00Z"),            // exact hours: 18:00 wall clock after the change
            Case("next week", "2026-03-30T07:00:00Z"),       // Monday
            Case("next month", "2026-04-01T07:00:00Z"),
            Case("eom", "2026-03-31T07:00:00Z"),             // the month's last day, CEST
            Case("end of month 17:00", "2026-03-31T15:00:00Z"),
            Case("+1mo", "2026-04-27T07:00:00Z"),
            Case("2026-11-27", "2026-11-27T08:00:00Z"),
            Case("2026-11-27 14:30", "2026-11-27T13:30:00Z"),
            Case("2026-07-01T14:30", "2026-07-01T12:30:00Z"),
            Case("2026-11-27T14:30Z", "2026-11-27T14:30:00Z"),
            Case("2026-11-27 14:30 +03:30", "2026-11-27T11:00:00Z"),
            Case("27 nov", "2026-11-27T08:00:00Z"),
            Case("nov 27 16:00", "2026-11-27T15:00:00Z"),
            Case("1 mar", "2027-03-01T08:00:00Z"),            // already past this year: next year
            Case("27 november 2027", "2027-11-27T08:00:00Z"),
        ])
    }

    /// New York: clocks go forward on Sunday 8 March 2026. "Now" is Saturday
    /// 7 March, 12:00 EST.
    func testGregorianNewYorkAcrossDaylightSaving() {
        let parser = DueDateParser(calendar: Self.calendar(.gregorian, "America/New_York", firstWeekday: 1))
        check(parser, now: "2026-03-07T17:00:00Z", [
            Case("today 15:00", "2026-03-07T20:00:00Z"),
            Case("tomorrow 09:00", "2026-03-08T13:00:00Z"),  // EDT: UTC-4
            Case("+1d", "2026-03-08T13:00:00Z"),
            Case("+24h", "2026-03-08T17:00:00Z"),
            Case("mon", "2026-03-09T13:00:00Z"),
            Case("next week", "2026-03-08T13:00:00Z"),       // weeks start on Sunday here
            Case("2026-03-08 02:30", "2026-03-08T07:30:00Z"), // in the gap: moved to 03:30 EDT
        ])
    }

    /// The Persian calendar in Tehran (UTC+3:30, no daylight saving since
    /// 2022). "Now" is Friday 6 Azar 1405 (27 November 2026), 10:00.
    /// Dates as Europe writes them, "tonight" and "last night", and the
    /// Persian "at night" hours that name no day (QA 30 #8).
    func testDottedDatesNightsAndTheHoursOfTheNight() {
        let parser = DueDateParser(calendar: Self.calendar(.gregorian, "Europe/Berlin"))
        check(parser, now: "2026-11-27T15:00:00Z", [
            Case("27.11.2026", "2026-11-27T08:00:00Z"),
            Case("27.11.2026 14:30", "2026-11-27T13:30:00Z"),
            Case("3.12.26", "2026-12-03T08:00:00Z"),
            Case("3.12.", "2026-12-03T08:00:00Z"),
            Case("3.12", "2026-12-03T08:00:00Z"),
            Case("1.1.", "2027-01-01T08:00:00Z"),          // the next 1 January
            Case("tonight", "2026-11-27T19:00:00Z"),
            Case("tonight 22:30", "2026-11-27T21:30:00Z"),
            Case("last night", "2026-11-26T19:00:00Z"),
            Case("tomorrow night", "2026-11-28T19:00:00Z"),
        ])
        var back = parser
        back.looksBack = true
        check(back, now: "2026-11-27T15:00:00Z", [Case("1.1.", "2026-01-01T08:00:00Z")])
        for bad in ["31.11.2026", "27.13.2026"] {
            guard case .failure = parser.parse(bad, now: Self.utc("2026-11-27T15:00:00Z")) else { return XCTFail("\(bad) read") }
        }
        let persian = DueDateParser(calendar: Self.calendar(.persian, "Asia/Tehran", firstWeekday: 7))
        check(persian, now: "2026-11-27T06:30:00Z", [Case("فردا ۹ شب", "2026-11-28T17:30:00Z")])
        guard case .failure(let midnight) = persian.parse("فردا ۱۲ شب", now: Self.utc("2026-11-27T06:30:00Z")) else {
            return XCTFail("midnight guessed")
        }
        XCTAssertEqual(midnight.message, """
            "فردا ۱۲ شب": which night? type the time on the clock with the day it falls on, such as \
            فردا ۰۰:۰۰ (tomorrow 00:00) or امروز ۲۳:۵۹ (today 23:59)
            """)
    }

    func testPersianTehran() {
        let parser = DueDateParser(calendar: Self.calendar(.persian, "Asia/Tehran", firstWeekday: 7))
        check(parser, now: "2026-11-27T06:30:00Z", [
            Case("tomorrow", "2026-11-28T05:30:00Z"),
            Case("today 15:00", "2026-11-27T11:30:00Z"),
            Case("1405-09-10", "2026-12-01T05:30:00Z"),      // Jalali digits
            Case("1405/09/10", "2026-12-01T05:30:00Z"),
            Case("10 azar", "2026-12-01T05:30:00Z"),
            Case("10 azar 1405 14:00", "2026-12-01T10:30:00Z"),
            Case("2026-12-01", "2026-12-01T05:30:00Z"),      // a Gregorian year still reads as Gregorian
            Case("next month", "2026-12-22T05:30:00Z"),      // 1 Dey 1405
            Case("next week", "2026-11-28T05:30:00Z"),       // weeks start on Saturday
            Case("+2w", "2026-12-11T05:30:00Z"),
            Case("1 farvardin", "2027-03-21T05:30:00Z"),     // Nowruz 1406
        ])
    }

    /// The Persian calendar in Berlin, across the same daylight-saving change.
    func testPersianBerlinAcrossDaylightSaving() {
        let parser = DueDateParser(calendar: Self.calendar(.persian, "Europe/Berlin"))
        check(parser, now: "2026-03-27T15:00:00Z", [     // 7 Farvardin 1405
            Case("+3d", "2026-03-30T07:00:00Z"),
            Case("1405-01-10", "2026-03-30T07:00:00Z"),
            Case("1405-01-08 10:00", "2026-03-28T09:00:00Z"),
            Case("next month", "2026-04-21T07:00:00Z"),      // 1 Ordibehesht
        ])
    }

    func testDescriptionsInBothCalendars() throws {
        let now = Self.utc("2026-11-27T06:30:00Z")
        let gregorian = DueDateParser(calendar: Self.calendar(.gregorian, "Europe/Berlin"))
        XCTAssertEqual(try gregorian.parse("2026-11-27", now: now).get().description, "Fri 27 Nov 2026 09:00")
        let persian = DueDateParser(calendar: Self.calendar(.persian, "Asia/Tehran"))
        XCTAssertEqual(try persian.parse("1405-09-10", now: now).get().description, "Tue 10 Azar 1405 09:00")
    }

    func testRejectedInputsSayWhatWorks() {
        let now = Self.utc("2026-03-27T15:00:00Z")
        let parser = DueDateParser(calendar: Self.calendar(.gregorian, "Europe/Berlin"))
        for input in ["", "blah", "+3x", "2026-02-30", "25:00", "tomorrow 25:00", "31 feb", "31 nov 2026", "fri fri",
                      "+3d 10:00 11:00", "13pm", "2026-13-01"] {
            guard case .failure(let error) = parser.parse(input, now: now) else {
                XCTFail("\"\(input)\" should be rejected"); continue
            }
            XCTAssertTrue(error.message.contains("try tomorrow 15:00, fri, +3d, next week"), error.message)
        }
        if case .failure(let error) = parser.parse("blah", now: now) {
            XCTAssertEqual(error.message, "can't read \"blah\" as a date; try tomorrow 15:00, fri, +3d, next week, 27 nov, 2026-11-27 14:30")
        }
        // A day no such month has is said so (QA 40 #8).
        XCTAssertEqual(parser.parse("32 dec", now: now),
                       .failure(DueDateError(message: "\"32 dec\": dec has 31 days; try tomorrow 15:00, fri, +3d, next week, 27 nov, 2026-11-27 14:30")))
        if case .failure(let error) = parser.parse("nov 31", now: now) { XCTAssertTrue(error.message.hasPrefix("\"nov 31\": nov has 30 days;"), error.message) }
        // With a time, a year, as numbers, and a leap day without a year (QA 42).
        for (input, why) in [("31 apr 10:00", "apr has 30 days"), ("29 feb 2027", "feb 2027 has 28 days"),
                             ("2026-12-32", "2026-12 has 31 days"), ("2026-02-30", "2026-02 has 28 days"),
                             ("29 feb", "feb 29 comes only in a leap year; say which, e.g. 29 feb 2028")] {
            guard case .failure(let error) = parser.parse(input, now: now) else { XCTFail("\"\(input)\" should be rejected"); continue }
            XCTAssertTrue(error.message.hasPrefix("\"\(input)\": \(why);"), error.message)
        }
        // "m" alone is asked about, never guessed: minutes to a caller, months to a planner.
        XCTAssertEqual(parser.parse("-10m", now: now), .failure(DueDateError(message: "\"-10m\": minutes or months? type -10min or -10mo")))
        XCTAssertEqual(parser.parse("+2m", now: now), .failure(DueDateError(message: "\"+2m\": minutes or months? type +2min or +2mo")))
        XCTAssertEqual(parser.parse("10 m ago", now: now), .failure(DueDateError(message: "\"10 m ago\": minutes or months? type 10min ago or 10mo ago")))
        XCTAssertEqual(parser.loggedTime("-10m", now: now), .failure(DueDateError(message: "\"-10m\": minutes or months? type -10min or -10mo")))
        XCTAssertEqual(try parser.loggedTime("-10min", now: now).get().date, now.addingTimeInterval(-600))
        let persian = DueDateParser(calendar: Self.calendar(.persian, "Asia/Tehran"))
        if case .failure(let error) = persian.parse("1405-12-31", now: now) {  // 1405 is not a leap year
            XCTAssertTrue(error.message.contains("6 azar, 1405-09-06 14:30"), error.message)
            XCTAssertTrue(error.message.hasPrefix("\"1405-12-31\": 1405-12 has 29 days;"), error.message)
        } else {
            XCTFail("31 Esfand 1405 does not exist")
        }
    }
}

/// A date too far out says the range, however it was typed.
final class DueDateRangeMessageTests: XCTestCase {
    func testFarDatesNameTheRange() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parser = DueDateParser(calendar: calendar)
        let now = ISO8601DateFormatter().date(from: "2026-11-29T10:00:00Z")!
        for text in ["10000-01-01", "+10001d", "+36500d", "in 20000 days", "+999999d"] {
            guard case .failure(let error) = parser.parse(text, now: now) else { return XCTFail("\(text) was read") }
            XCTAssertTrue(error.message.contains("out of range; expected a date from 1 Jan 1900 to 31 Dec 9999"), "\(text): \(error.message)")
        }
        guard case .failure(let error) = parser.parse("someday", now: now) else { return XCTFail("someday was read") }
        XCTAssertTrue(error.message.hasPrefix("can't read"), error.message)
    }
}
