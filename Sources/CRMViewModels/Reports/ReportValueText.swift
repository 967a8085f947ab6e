import CRMCore
import CRMRepositories
import Foundation

/// A report figure as text: the same words on screen (in the user's digits)
/// and in `crm report`'s text and CSV (ASCII digits). Dates and months are
/// in the calendar of the `TimeFormat` given.
public struct ReportValueText {
    public let timeFormat: TimeFormat

    public init(timeFormat: TimeFormat) { self.timeFormat = timeFormat }

    /// The text of `value`, with the digits of the time format. A text is a
    /// name as written ("Q4 2026 Shortlist", "Team 42"): its digits stay as
    /// typed (QA 27 #19); figures, dates and months follow the setting.
    public func text(_ value: ReportValue) -> String {
        if case .text(let written) = value { return written }
        return timeFormat.number(ascii(value))
    }

    /// "1 Nov 2026 – 30 Nov 2026": the days of the filter's period, both ends included.
    /// The year is said once when both ends are in it ("1 Nov – 30 Nov 2026").
    public func days(_ filter: ReportFilter) -> String {
        let last = filter.end.addingTimeInterval(-1)
        let cal = timeFormat.calendar
        let sameYear = cal.component(.year, from: filter.start) == cal.component(.year, from: last)
        return "\(timeFormat.spellShort(filter.start, sameYear ? "d MMM" : "d MMM yyyy")) – \(timeFormat.spellShort(last, "d MMM yyyy"))"
    }

    /// Right-aligned in a table: numbers, amounts, shares.
    public static func isNumeric(_ value: ReportValue) -> Bool {
        switch value {
        case .count, .money, .percent, .days, .number: true
        case .text, .date, .month, .empty: false
        }
    }

    private func ascii(_ value: ReportValue) -> String {
        switch value {
        case .text(let t): return t
        case .count(let n): return Self.grouped(n)
        case .money(let m, let converted): return (converted ? "≈ " : "") + m.shown(decimals: true)
        case .percent(let p): return p.map { Self.percent($0) } ?? "–"
        case .days(let d): return d.map { String(format: "%.1f d", $0) } ?? "–"
        case .number(let n): return n.map { String(format: "%.2f", $0) } ?? "–"
        case .date(let d): return timeFormat.spellShort(d, "d MMM yyyy")
        case .month(let year, let month): return Self.month(year: year, month: month, calendar: timeFormat.calendar)
        case .empty: return ""
        }
    }

    /// "41.7%": one decimal, so small differences between reps show.
    public static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    /// "12,345".
    public static func grouped(_ n: Int) -> String {
        var digits = String(n.magnitude)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (n < 0 ? "-" : "") + digits + out
    }

    /// "Nov 2026" or, with the Persian calendar, "Aza 1405".
    public static func month(year: Int, month: Int, calendar: Calendar) -> String {
        guard (1...12).contains(month) else { return "\(year)-\(month)" }
        if calendar.identifier == .persian { return "\(TimeFormat.persianShortMonths[month - 1]) \(year)" }
        return "\(gregorianShortMonths[month - 1]) \(year)"
    }

    static let gregorianShortMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
}
