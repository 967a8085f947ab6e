import Foundation
import XCTest
@testable import CRMCore

/// Persian (۰–۹) and Arabic-Indic (٠–٩) digits and month names in Persian
/// script, read by the same parsers as ASCII input, in Tehran and Berlin.
final class PersianInputTests: XCTestCase {
    typealias Case = DueDateParserTests.Case

    /// Each input read as the instant `expected` (ISO 8601, UTC).
    func check(_ parser: DueDateParser, now: String, _ cases: [Case], file: StaticString = #filePath) {
        for c in cases {
            switch parser.parse(c.input, now: DueDateParserTests.utc(now)) {
            case .success(let due):
                XCTAssertEqual(ISO8601DateFormatter().string(from: due.date), c.expected,
                               "\"\(c.input)\" was read as \(due.description)", file: file, line: c.line)
            case .failure(let error):
                XCTFail("\"\(c.input)\" rejected: \(error.message)", file: file, line: c.line)
            }
        }
    }

    /// "Now" is Friday 6 Azar 1405 (27 November 2026), 10:00 in Tehran.
    func testPersianDigitsAndMonthNamesInTehran() {
        let parser = DueDateParser(calendar: DueDateParserTests.calendar(.persian, "Asia/Tehran", firstWeekday: 7))
        check(parser, now: "2026-11-27T06:30:00Z", [
            Case("۱۴۰۵-۰۹-۱۰", "2026-12-01T05:30:00Z"),
            Case("۱۴۰۵/۰۹/۱۰ ۱۴:۰۰", "2026-12-01T10:30:00Z"),
            Case("١٤٠٥-٠٩-١٠", "2026-12-01T05:30:00Z"),        // Arabic-Indic digits
            Case("۱۰ آذر", "2026-12-01T05:30:00Z"),
            Case("10 آذر", "2026-12-01T05:30:00Z"),
            Case("آذر ۱۰", "2026-12-01T05:30:00Z"),
            Case("۱۰ اذر", "2026-12-01T05:30:00Z"),           // alef without madda
            Case("۱۰ آذرماه", "2026-12-01T05:30:00Z"),
            Case("۱۰ آذر ۱۴۰۵ ۱۴:۰۰", "2026-12-01T10:30:00Z"),
            Case("۱ دی", "2026-12-22T05:30:00Z"),
            Case("۱ دي", "2026-12-22T05:30:00Z"),             // Arabic yeh
            Case("۱ فروردین", "2027-03-21T05:30:00Z"),        // Nowruz 1406
            Case("۱ فروردين", "2027-03-21T05:30:00Z"),
            Case("۱ ارديبهشت", "2027-04-21T05:30:00Z"),
            Case("٥ بهمن", "2027-01-25T05:30:00Z"),
            Case("today ۱۵:۰۰", "2026-11-27T11:30:00Z"),
            Case("+۳d", "2026-11-30T05:30:00Z"),
            Case("۱۰ azar", "2026-12-01T05:30:00Z"),
            Case("13 Far 1406", "2027-04-02T05:30:00Z"),         // the short form narrow columns show
        ])
        for bad in ["۱۴۰۵-۰۹-۳۱", "۳۱ آذر", "۱۰ آذرر", "۱۰ ۱۱ آذر"] {
            guard case .failure = parser.parse(bad, now: DueDateParserTests.utc("2026-11-27T06:30:00Z")) else {
                return XCTFail("\"\(bad)\" should be refused")
            }
        }
    }

    /// Relative days, weekdays, "next week/month", parts of the day and
    /// "ساعت" (at) in Persian, with or without the zero-width non-joiner and
    /// in Arabic-keyboard letters. "Now" is Friday 6 Azar 1405 (27 November
    /// 2026), 10:00 in Tehran; the week starts on Saturday.
    func testPersianDayWordsInTehran() {
        let parser = DueDateParser(calendar: DueDateParserTests.calendar(.persian, "Asia/Tehran", firstWeekday: 7))
        check(parser, now: "2026-11-27T06:30:00Z", [
            Case("فردا", "2026-11-28T05:30:00Z"),
            Case("فردا ساعت ۱۵:۰۰", "2026-11-28T11:30:00Z"),
            Case("فردا 3pm", "2026-11-28T11:30:00Z"),
            Case("امروز عصر", "2026-11-27T10:30:00Z"),
            Case("پس‌فردا", "2026-11-29T05:30:00Z"),
            Case("پس فردا", "2026-11-29T05:30:00Z"),
            Case("دیروز", "2026-11-26T05:30:00Z"),
            Case("جمعه", "2026-12-04T05:30:00Z"),              // today is Friday: a week away
            Case("شنبه", "2026-11-28T05:30:00Z"),
            Case("يكشنبه", "2026-11-29T05:30:00Z"),            // Arabic yeh and kaf
            Case("سه‌شنبه", "2026-12-01T05:30:00Z"),
            Case("سه شنبه ۱۴:۳۰", "2026-12-01T11:00:00Z"),
            Case("پنج‌شنبه صبح", "2026-12-03T05:30:00Z"),
            Case("هفته‌ی بعد", "2026-11-28T05:30:00Z"),         // Saturday starts the week
            Case("هفته بعد", "2026-11-28T05:30:00Z"),
            Case("ماه آینده", "2026-12-22T05:30:00Z"),          // 1 Dey
        ])
        for bad in ["فرداا", "جمعه جمعه", "ساعت"] {
            guard case .failure = parser.parse(bad, now: DueDateParserTests.utc("2026-11-27T06:30:00Z")) else {
                return XCTFail("\"\(bad)\" should be refused")
            }
        }
    }

    /// A whole hour as people say it: after "ساعت" / "at" ("فردا ساعت ۱۰",
    /// "mon at 9") and before a part of the day, which says which half of
    /// the day it is ("دوشنبه ۹ صبح", "۵ عصر" 17:00, "۹ شب" 21:00). "Now" is
    /// Friday 6 Azar 1405 (27 November 2026), 10:00 in Tehran (UTC+3:30).
    func testWholeHoursAfterAtAndBeforeAPartOfTheDay() {
        let parser = DueDateParser(calendar: DueDateParserTests.calendar(.persian, "Asia/Tehran", firstWeekday: 7))
        check(parser, now: "2026-11-27T06:30:00Z", [
            Case("ساعت ۱۰", "2026-11-27T06:30:00Z"),
            Case("فردا ساعت ۱۰", "2026-11-28T06:30:00Z"),
            Case("دیروز ساعت ۱۰", "2026-11-26T06:30:00Z"),
            Case("دوشنبه ۹ صبح", "2026-11-30T05:30:00Z"),
            Case("دوشنبه ساعت ۹ صبح", "2026-11-30T05:30:00Z"),
            Case("فردا ۵ عصر", "2026-11-28T13:30:00Z"),
            Case("فردا ۵:۳۰ عصر", "2026-11-28T14:00:00Z"),
            Case("فردا ۱ ظهر", "2026-11-28T09:30:00Z"),
            Case("فردا ۱۲ ظهر", "2026-11-28T08:30:00Z"),
            Case("فردا ۹ شب", "2026-11-28T17:30:00Z"),
            Case("فردا ۱۷ عصر", "2026-11-28T13:30:00Z"),       // an hour already past noon stays
            Case("mon at 9", "2026-11-30T05:30:00Z"),
            Case("at 16", "2026-11-27T12:30:00Z"),
            Case("tomorrow 7 evening", "2026-11-28T15:30:00Z"),
            Case("fri 3pm", "2026-12-04T11:30:00Z"),           // unchanged
            Case("فردا عصر", "2026-11-28T10:30:00Z"),          // a part alone is a time of its own
        ])
        for bad in ["ساعت ۲۵", "فردا ۱۵ صبح", "mon at 9 9", "27 صبح", "فردا ۱۲ شب", "فردا ۲ شب"] {
            guard case .failure = parser.parse(bad, now: DueDateParserTests.utc("2026-11-27T06:30:00Z")) else {
                return XCTFail("\"\(bad)\" should be refused")
            }
        }
        guard case .failure(let error) = parser.parse("فرداا ۱۰", now: DueDateParserTests.utc("2026-11-27T06:30:00Z")) else {
            return XCTFail("\"فرداا ۱۰\" should be refused")
        }
        XCTAssertTrue(error.message.contains("فردا ساعت ۱۰"), "the Persian calendar's hint shows a Persian example: \(error.message)")
    }

    /// More ways the same times are written (QA 29 #5): "بعد از ظهر" with
    /// spaces, "بامداد", "و نیم", "پیش"/"دیگر" after an amount, "هفته پیش",
    /// "دیشب", "دوشنبه گذشته", "۱۵ دی ماه"; and in English "fri at 5 pm",
    /// "2026-11-27 at 10", "at noon", "last monday", "day before yesterday".
    /// "Now" is Friday 6 Azar 1405 (27 November 2026), 10:00 in Tehran.
    func testMoreSpellingsOfTimesAndDaysPast() {
        let parser = DueDateParser(calendar: DueDateParserTests.calendar(.persian, "Asia/Tehran", firstWeekday: 7))
        check(parser, now: "2026-11-27T06:30:00Z", [
            Case("دیروز ۲ بعد از ظهر", "2026-11-26T10:30:00Z"),
            Case("دیروز ۳ بامداد", "2026-11-25T23:30:00Z"),
            Case("دیروز ساعت ۱۰ و نیم", "2026-11-26T07:00:00Z"),
            Case("فردا ۹ و ربع", "2026-11-28T05:45:00Z"),
            Case("۱۰ دقیقه پیش", "2026-11-27T06:20:00Z"),
            Case("۲ ساعت پیش", "2026-11-27T04:30:00Z"),
            Case("۳ روز پیش", "2026-11-24T05:30:00Z"),
            Case("۳ روز دیگر", "2026-11-30T05:30:00Z"),
            Case("هفته پیش", "2026-11-20T05:30:00Z"),
            Case("هفته گذشته", "2026-11-20T05:30:00Z"),
            Case("دیشب", "2026-11-26T14:30:00Z"),
            Case("دیشب ساعت ۱۰", "2026-11-26T18:30:00Z"),
            Case("دوشنبه گذشته", "2026-11-23T05:30:00Z"),
            Case("سه شنبه قبل ساعت ۱۴:۰۰", "2026-11-24T10:30:00Z"),
            Case("دوشنبه بعد", "2026-11-30T05:30:00Z"),
            Case("۱۵ دی ماه", "2027-01-05T05:30:00Z"),
            Case("fri at 5 pm", "2026-12-04T13:30:00Z"),
            Case("2026-11-27 at 10", "2026-11-27T06:30:00Z"),
            Case("at noon", "2026-11-27T08:30:00Z"),
            Case("tomorrow at noon", "2026-11-28T08:30:00Z"),
            Case("last monday", "2026-11-23T05:30:00Z"),
            Case("last fri 9:30", "2026-11-20T06:00:00Z"),     // on a Friday: a week ago
            Case("day before yesterday", "2026-11-25T05:30:00Z"),
        ])
        for bad in ["دیروز ۱۲ شب", "هفته پیش پیش", "last", "last week monday", "۲ گربه پیش"] {
            guard case .failure = parser.parse(bad, now: DueDateParserTests.utc("2026-11-27T06:30:00Z")) else {
                return XCTFail("\"\(bad)\" should be refused")
            }
        }
    }

    /// The Gregorian and the Persian calendar in Berlin, on the Friday before
    /// clocks go forward (27 March 2026 = 7 Farvardin 1405, 16:00 CET).
    func testPersianDigitsAndMonthNamesInBerlin() {
        let gregorian = DueDateParser(calendar: DueDateParserTests.calendar(.gregorian, "Europe/Berlin"))
        check(gregorian, now: "2026-03-27T15:00:00Z", [
            Case("۲۰۲۶-۰۳-۳۰", "2026-03-30T07:00:00Z"),
            Case("٣٠ mar", "2026-03-30T07:00:00Z"),
            Case("tomorrow ۱۵:۳۰", "2026-03-28T14:30:00Z"),
            Case("+۳d", "2026-03-30T07:00:00Z"),
            // A month in Persian script is a Jalali month in either calendar.
            Case("۱۰ فروردین", "2026-03-30T07:00:00Z"),
            Case("۱۰ فروردین ۱۴۰۵ ۱۰:۰۰", "2026-03-30T08:00:00Z"),
        ])
        let persian = DueDateParser(calendar: DueDateParserTests.calendar(.persian, "Europe/Berlin"))
        check(persian, now: "2026-03-27T15:00:00Z", [
            Case("۱۴۰۵-۰۱-۱۰", "2026-03-30T07:00:00Z"),
            Case("۱۰ فروردین", "2026-03-30T07:00:00Z"),
            Case("۸ فروردین ۱۰:۰۰", "2026-03-28T09:00:00Z"),
            Case("۱ اردیبهشت", "2026-04-21T07:00:00Z"),
        ])
    }

    func testAmountsDurationsAndNumbersInPersianDigits() throws {
        XCTAssertEqual(try Money.parse("۱۲٬۵۰۰", currency: .eur).minorUnits, 1_250_000)
        XCTAssertEqual(try Money.parse("۱۲,۵۰۰", currency: .eur).minorUnits, 1_250_000)
        XCTAssertEqual(try Money.parse("١٢٫٥", currency: .eur).minorUnits, 1_250)
        XCTAssertEqual(try Money.parse("۱۲.۵k", currency: .eur).minorUnits, 1_250_000)
        XCTAssertThrowsError(try Money.parse("۱۰۰۰۰۰۰۰۰۰۰۰۰۰", currency: .eur)) { error in
            XCTAssertTrue("\(error)".contains("\"۱۰۰۰۰۰۰۰۰۰۰۰۰۰\" is too large"), "\(error)")
        }
        XCTAssertEqual(try DurationText.parse("۲۵"), 1500)
        XCTAssertEqual(try DurationText.parse("٢٥"), 1500)
        XCTAssertEqual(try DurationText.parse("۱:۰۵:۰۰"), 3900)
        XCTAssertThrowsError(try DurationText.parse("۲۵:۶۰")) { error in
            XCTAssertTrue("\(error)".contains("\"۲۵:۶۰\": seconds go up to 59"), "\(error)")
        }
        XCTAssertEqual(try Stage.parseProbability("۴۰"), 40)
        XCTAssertEqual(try Stage.parseProbability("۴۰٪"), 40)
        XCTAssertEqual(try Stage.parseProbability("٤٠%"), 40)
        XCTAssertThrowsError(try Stage.parseProbability("۱۰۱"))
        XCTAssertEqual(try Stage.parseRotDays("۳۰"), 30)
        XCTAssertThrowsError(try Stage.parseRotDays("۳۶۵۱"))
        let (settings, problems) = SettingsFile.parse("cadence.customer = ۱۰\n")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(settings.lifecycleCadence[.customer], 10)
    }

    func testDigitsSettingIsReadWrittenAndDefaultsToASCII() {
        XCTAssertEqual(Settings().digits, .ascii)
        let (s, problems) = SettingsFile.parse("digits = Persian\n")
        XCTAssertEqual(problems, [])
        XCTAssertEqual(s.digits, .persian)
        XCTAssertEqual(SettingsFile.parse(SettingsFile.render(s)).0, s, "render and parse round-trip")
        XCTAssertTrue(SettingsFile.render(Settings()).contains("digits = ascii"))
        let (bad, badProblems) = SettingsFile.parse("theme = mono\ndigits = roman\n")
        XCTAssertEqual(bad.digits, .ascii, "a bad line keeps the default")
        XCTAssertEqual(badProblems.map(\.line), [2])
        XCTAssertTrue(badProblems.first?.message.contains("expected ascii or persian") ?? false)
    }

    func testDigitsBothWays() {
        XCTAssertEqual(LocalDigits.ascii("۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩ ٫٬٪ abc"), "0123456789 0123456789 .,% abc")
        XCTAssertEqual(LocalDigits.persian("12 Azar 1405, 09:30"), "۱۲ Azar ۱۴۰۵, ۰۹:۳۰")
        XCTAssertEqual(LocalDigits.persian("no digits"), "no digits")
        // Separators between digits take the Persian forms, and read back (QA 31 #5).
        XCTAssertEqual(LocalDigits.persian("33,500.00 EUR, 7.5 d."), "۳۳٬۵۰۰٫۰۰ EUR, ۷٫۵ d.")
        XCTAssertEqual(LocalDigits.ascii(LocalDigits.persian("33,500.00 EUR")), "33,500.00 EUR")
    }

    /// QA 38 A-F8: "Settings saved to /tmp/qa۳۸a/…" named a folder that does
    /// not exist. A path or an address in a sentence keeps its digits.
    func testProseKeepsTheDigitsOfPathsAndAddresses() {
        XCTAssertEqual(LocalDigits.persianProse("Settings saved to /tmp/qa38a/h-sara/.config/crm/settings"),
                       "Settings saved to /tmp/qa38a/h-sara/.config/crm/settings")
        XCTAssertEqual(LocalDigits.persianProse("Sent to ali99@example.com at 10:30, 2 left"),
                       "Sent to ali99@example.com at ۱۰:۳۰, ۲ left")
        XCTAssertEqual(LocalDigits.persianProse("Due 1405/09/11 09:30"), "Due ۱۴۰۵/۰۹/۱۱ ۰۹:۳۰", "a date with slashes is a number")
        XCTAssertEqual(LocalDigits.persianProse("3 contacts, 33,500.00 EUR"), LocalDigits.persian("3 contacts, 33,500.00 EUR"))
    }
}
