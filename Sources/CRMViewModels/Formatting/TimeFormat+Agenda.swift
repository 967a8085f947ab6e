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
    /// "Tue 09:00" within the coming week, "27 Nov 09:00" this year (a past
    /// day too: "Sat" among overdue rows read as the coming Saturday, QA 41
    /// #14), "27 Nov 2027" further away (Persian months in three letters:
    /// "13 Far 10:30").
    public func due(_ date: Date, now: Date) -> String {
        if calendar.isDate(date, inSameDayAs: now) { return spell(date, "HH:mm") }
        let days = date.timeIntervalSince(now) / 86_400
        if days > 0, days < 6 { return spell(date, "EEE HH:mm") }
        let sameYear = calendar.component(.year, from: date) == calendar.component(.year, from: now)
        return spellShort(date, sameYear ? "d MMM HH:mm" : "d MMM yyyy")
    }

    /// "Fri 27 Nov 2026": the day a view is about.
    public func day(_ date: Date) -> String {
        spell(date, "EEE d MMM yyyy")
    }

    /// "Fri 27 Nov 2026 09:00": what a typed date was understood as.
    public func long(_ date: Date) -> String {
        spell(date, "EEE d MMM yyyy HH:mm")
    }

    /// "2026-11-27 09:00" in the user's calendar: a date to edit by hand.
    public func editable(_ date: Date) -> String {
        spell(date, "yyyy-MM-dd HH:mm")
    }
}
