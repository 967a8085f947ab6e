import CRMCore
import Foundation

/// How times appear on screen: relative when recent ("5 min ago", "in 2 h"),
/// absolute otherwise, always in the user's time zone.
/// A class so its DateFormatters are made once: making one costs more than
/// drawing a whole pane.
public final class TimeFormat {
    public private(set) var timeZone: TimeZone
    /// Gregorian or Persian: every date shown goes through it.
    public private(set) var calendar: Calendar
    private var formatters: [String: DateFormatter] = [:]
    /// The digits of every date, time and number the screen shows through
    /// this TimeFormat (`digits = persian` in the settings). Only the screen
    /// sets it; the command line keeps ASCII.
    public var digits: Settings.DigitsChoice = .ascii

    /// `text` with its ASCII digits in the digits of the settings: for
    /// amounts, counts and durations a pane shows.
    public func number(_ text: String) -> String {
        digits == .persian ? LocalDigits.persian(text) : text
    }

    /// `number` for a sentence (the status line) that may quote a path or
    /// an email address, whose digits stay as they are.
    public func numberInProse(_ text: String) -> String {
        digits == .persian ? LocalDigits.persianProse(text) : text
    }

    /// A call's logged duration (`loggedDuration`) in the screen's digits.
    public func shownDuration(_ seconds: Int) -> String {
        number(Self.loggedDuration(seconds))
    }

    public init(timeZone: TimeZone = .current, calendar: Calendar = Calendar(identifier: .gregorian)) {
        self.timeZone = timeZone
        var cal = calendar
        cal.timeZone = timeZone
        self.calendar = cal
    }

    /// Switches zone and calendar (the settings screen saved new ones).
    public func apply(timeZone: TimeZone, calendar: Calendar) {
        self.timeZone = timeZone
        var cal = calendar
        cal.timeZone = timeZone
        self.calendar = cal
        formatters = [:]
    }

    /// `date` in `format`; "out of range" for a stored date no formatter can
    /// spell (beyond the year 9999 or before the year 1: written by hand or by
    /// another program), where Foundation would give an empty text.
    ///
    /// In the Gregorian calendar the screen's formats (numbers, English day
    /// and month abbreviations) are spelled from the calendar's fields, as
    /// en_US_POSIX spells them, without a DateFormatter: the first one a
    /// process makes loads ICU's locale data and costs about 1 ms of the
    /// first screen, each further format about 0.2 ms (issue 16). Other
    /// calendars, and formats with other fields, go through a formatter.
    func spell(_ date: Date, _ format: String) -> String {
        guard DateLimits.shown.contains(date) else { return Self.outOfRange }
        if calendar.identifier == .gregorian, date >= GregorianSpelling.earliest, let spelling = gregorianSpelling(format) {
            return number(spelling.spell(date, in: calendar))
        }
        return number(formatter(format).string(from: date))
    }

    /// The same as `spell`, always through a DateFormatter (tests compare the two).
    func spellWithFormatter(_ date: Date, _ format: String) -> String {
        number(formatter(format).string(from: date))
    }

    /// How many DateFormatters this TimeFormat made (tests: none for the
    /// first screen in the Gregorian calendar).
    private(set) var formattersMade = 0

    private var spellings: [String: GregorianSpelling?] = [:]

    private func gregorianSpelling(_ format: String) -> GregorianSpelling? {
        if let known = spellings[format] { return known }
        let parsed = GregorianSpelling(format)
        spellings[format] = parsed
        return parsed
    }

    public static let outOfRange = "out of range"

    /// `date` in `format` for a narrow column: with the Persian calendar each
    /// "MMM" is the month's three-letter form ("16 Sha 1404" where the full
    /// name, "16 Shahrivar 1404", would be cut), as Gregorian months are
    /// ("14 Mar 2025"). The due-date parser reads these forms back.
    func spellShort(_ date: Date, _ format: String) -> String {
        guard calendar.identifier == .persian, format.contains("MMM"), DateLimits.shown.contains(date) else {
            return spell(date, format)
        }
        let month = calendar.component(.month, from: date)
        guard (1...12).contains(month) else { return spell(date, format) }
        return spell(date, format.replacingOccurrences(of: "MMM", with: "'\(Self.persianShortMonths[month - 1])'"))
    }

    /// The Jalali months in three letters, each the start of the name the
    /// due-date parser knows (farvardin … esfand).
    public static let persianShortMonths = ["Far", "Ord", "Kho", "Tir", "Mor", "Sha", "Meh", "Aba", "Aza", "Dey", "Bah", "Esf"]

    func formatter(_ format: String) -> DateFormatter {
        if let f = formatters[format] { return f }
        let f = DateFormatter()
        formattersMade += 1
        f.locale = Locale(identifier: "en_US_POSIX")
        f.calendar = calendar
        f.timeZone = timeZone
        f.dateFormat = format
        formatters[format] = f
        return f
    }

    public func relative(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        let future = seconds < 0
        let s = abs(seconds)
        func phrase(_ text: String) -> String { number(future ? "in \(text)" : "\(text) ago") }
        switch s {
        case ..<60: return future ? "in <1 min" : "just now"
        case ..<3600: return phrase("\(Int(s / 60)) min")
        case ..<86400: return phrase("\(Int(s / 3600)) h")
        case ..<(86400 * 7): return phrase("\(Int(s / 86400)) d")
        default: return absolute(date, now: now)
        }
    }

    /// "14 Mar 2025", or "14 Mar" in the current year (Persian: "16 Sha 1404").
    public func absolute(_ date: Date, now: Date) -> String {
        let sameYear = calendar.component(.year, from: date) == calendar.component(.year, from: now)
        return spellShort(date, sameYear ? "d MMM" : "d MMM yyyy")
    }

    /// "15:04" on the day of `now`, else "2026-03-14 15:04": when a
    /// colleague's save happened, short enough for a one-line refusal.
    public func moment(_ date: Date, now: Date) -> String {
        calendar.isDate(date, inSameDayAs: now) ? spell(date, "HH:mm") : full(date)
    }

    /// "2026-03-14 15:04"
    public func full(_ date: Date) -> String {
        spell(date, "yyyy-MM-dd HH:mm")
    }

    /// "mm:ss", or "h:mm:ss" past an hour: the call timer.
    public static func duration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        if s >= 3600 { return String(format: "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60) }
        return String(format: "%02d:%02d", s / 60, s % 60)
    }

    /// A logged call's duration, as `duration(_:)`; a stored one that no form
    /// accepts (negative, or over a day: written by hand or another program)
    /// is said to be out of range instead of shown as 00:00 or a huge count.
    public static func loggedDuration(_ seconds: Int) -> String {
        (0...Interaction.maxDurationSeconds).contains(seconds) ? duration(seconds) : "duration \(outOfRange)"
    }
}
