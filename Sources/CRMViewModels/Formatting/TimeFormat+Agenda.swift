import CRMCore
import Foundation

extension TimeFormat {
    /// A TimeFormat for the user's settings: their zone and calendar.
    public convenience init(settings: Settings) {
        self.init(timeZone: settings.effectiveTimeZone, calendar: settings.effectiveCalendar)
    }

    /// A parser for typed dates in the same zone and calendar as the screen.
    public var dueDateParser: DueDateParser {
        DueDateParser(calendar: calendar)
    }

    /// When a follow-up is due, as the agenda shows it: "15:00" today,
    /// "Tue 09:00" within a week either side, "27 Nov 09:00" this year,
    /// "27 Nov 2027" further away.
    public func due(_ date: Date, now: Date) -> String {
        if calendar.isDate(date, inSameDayAs: now) { return formatter("HH:mm").string(from: date) }
        let days = abs(date.timeIntervalSince(now)) / 86_400
        if days < 6 { return formatter("EEE HH:mm").string(from: date) }
        let sameYear = calendar.component(.year, from: date) == calendar.component(.year, from: now)
        return formatter(sameYear ? "d MMM HH:mm" : "d MMM yyyy").string(from: date)
    }

    /// "Fri 27 Nov 2026": the day a view is about.
    public func day(_ date: Date) -> String {
        formatter("EEE d MMM yyyy").string(from: date)
    }

    /// "Fri 27 Nov 2026 09:00": what a typed date was understood as.
    public func long(_ date: Date) -> String {
        formatter("EEE d MMM yyyy HH:mm").string(from: date)
    }

    /// "2026-11-27 09:00" in the user's calendar: a date to edit by hand.
    public func editable(_ date: Date) -> String {
        formatter("yyyy-MM-dd HH:mm").string(from: date)
    }
}
