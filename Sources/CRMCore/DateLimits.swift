import Foundation

/// Which dates a person may type, and which a screen can show.
public enum DateLimits {
    /// Typed dates (due dates, a deal's close date, date filters) lie in the
    /// years 1900 to 9999 of the Gregorian calendar, in the user's time zone.
    /// Before 1900 no follow-up or deal is plausible, and 9999 is the last
    /// year Foundation's formatters spell with four digits; stored as whole
    /// seconds, the range is far inside Int64.
    public static let typedYears = 1900...9999

    /// The typed range in `timeZone`: 1 Jan 1900 00:00 up to, not including,
    /// 1 Jan 10000 00:00.
    public static func typedRange(in timeZone: TimeZone) -> Range<Date> {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        let start = gregorian.date(from: DateComponents(year: typedYears.lowerBound, month: 1, day: 1))
            ?? Date(timeIntervalSince1970: -2_208_988_800)
        let end = gregorian.date(from: DateComponents(year: typedYears.upperBound + 1, month: 1, day: 1))
            ?? Date(timeIntervalSince1970: 253_402_300_800)
        return start ..< end
    }

    public static func isTypable(_ date: Date, in timeZone: TimeZone) -> Bool {
        typedRange(in: timeZone).contains(date)
    }

    /// "a date from 1 Jan 1900 to 31 Dec 9999", the bounds spelled in
    /// `calendar` (a Persian calendar gives its own years), for messages.
    public static func typedRangeDescription(in calendar: Calendar) -> String {
        let range = typedRange(in: calendar.timeZone)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        f.dateFormat = "d MMM yyyy"
        return "a date from \(f.string(from: range.lowerBound)) to \(f.string(from: range.upperBound.addingTimeInterval(-1)))"
    }

    /// Dates a screen can spell: years 1 to 9999 (UTC). Outside, Foundation's
    /// formatters return empty text; a stored date there (written by hand or
    /// another program) is shown as out of range instead.
    public static let shown: ClosedRange<Date> =
        Date(timeIntervalSince1970: -62_135_596_800) ... Date(timeIntervalSince1970: 253_402_300_799)
}
