import Foundation

extension Date {
    /// "2026-11-30T17:41:32Z": whole seconds in UTC, as ISO8601DateFormatter
    /// spells them. Worked out by arithmetic: the formatter builds an ICU
    /// formatter each time it is made, and the audit spells a date for every
    /// row of a bulk change (a snooze of 20,000 follow-ups spent three
    /// quarters of its time there). Years outside 1583…9999 go to the
    /// formatter itself (before the Gregorian reform it counts Julian days),
    /// so the text is always the same as before.
    public var isoUTCText: String {
        let seconds = wholeSecondsSince1970
        // 1583-01-01 and 10000-01-01 in seconds since 1970.
        guard seconds >= -12_212_553_600, seconds < 253_402_300_800 else {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: self)
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let y = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - y.count)) + y
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(inDay / 3_600)):\(two(inDay % 3_600 / 60)):\(two(inDay % 60))Z"
    }

    /// Year, month and day of the proleptic Gregorian calendar for days since
    /// 1970-01-01 (Howard Hinnant's `civil_from_days`); also the export
    /// files' times (ExportTime).
    public static func civil(fromDays z: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = z + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
