import CRMCore
import Foundation

/// The period a report looks at, as a person says it: this week, this
/// month, this quarter, this year, the one before each (last week, last
/// month: the team lead's review of a closed period), the last N days, or a
/// typed range of whole days in either calendar. Both the Reports view and `crm report --period`
/// read it here, so the same words mean the same days.
public enum ReportPeriod: Equatable, Sendable {
    case week, month, quarter, year
    /// The whole week, month, quarter or year before this one.
    case lastWeek, lastMonth, lastQuarter, lastYear
    case lastDays(Int)
    /// Whole days from `from` to `to`, both included, as typed.
    case range(from: Date, to: Date, typed: String)

    /// The presets the period key steps through.
    public static let presets: [ReportPeriod] = [.week, .month, .quarter, .year, .lastDays(30), .lastDays(90),
                                                 .lastWeek, .lastMonth, .lastQuarter, .lastYear]

    /// "this month", "last 30 days", "1404-01-01..1404-03-31".
    public var name: String {
        switch self {
        case .week: "this week"
        case .month: "this month"
        case .quarter: "this quarter"
        case .year: "this year"
        case .lastWeek: "last week"
        case .lastMonth: "last month"
        case .lastQuarter: "last quarter"
        case .lastYear: "last year"
        case .lastDays(let n): "last \(n) days"
        case .range(_, _, let typed): typed
        }
    }

    /// Start (inclusive) and end (exclusive) in `calendar` (the user's, with
    /// its time zone and first weekday).
    public func interval(now: Date, calendar: Calendar) -> (start: Date, end: Date) {
        let today = calendar.startOfDay(for: now)
        func add(_ c: Calendar.Component, _ n: Int, _ d: Date) -> Date { calendar.date(byAdding: c, value: n, to: d) ?? d }
        switch self {
        case .week:
            let start = calendar.dateInterval(of: .weekOfYear, for: now)?.start ?? today
            return (start, add(.day, 7, start))
        case .month:
            let start = calendar.dateInterval(of: .month, for: now)?.start ?? today
            return (start, add(.month, 1, start))
        case .quarter:
            // By months, not Foundation's .quarter (which the Persian calendar
            // does not answer everywhere): quarters start at months 1, 4, 7, 10.
            let parts = calendar.dateComponents([.year, .month], from: now)
            let first = ((parts.month ?? 1) - 1) / 3 * 3 + 1
            let start = calendar.date(from: DateComponents(year: parts.year, month: first, day: 1)) ?? today
            return (start, add(.month, 3, start))
        case .year:
            let start = calendar.dateInterval(of: .year, for: now)?.start ?? today
            return (start, add(.year, 1, start))
        case .lastWeek, .lastMonth, .lastQuarter, .lastYear:
            // The current one's start is the previous one's end.
            let (current, component, count): (ReportPeriod, Calendar.Component, Int) = switch self {
            case .lastWeek: (.week, .day, 7)
            case .lastMonth: (.month, .month, 1)
            case .lastQuarter: (.quarter, .month, 3)
            default: (.year, .year, 1)
            }
            let end = current.interval(now: now, calendar: calendar).start
            return (add(component, -count, end), end)
        case .lastDays(let n):
            let end = add(.day, 1, today)
            return (add(.day, -n, end), end)
        case .range(let from, let to, _):
            return (calendar.startOfDay(for: from), add(.day, 1, calendar.startOfDay(for: to)))
        }
    }

    public static let examples = "this week, this month, this quarter, this year, last week (month, quarter, year), last 30 days (30d), or FROM..TO such as 2026-01-01..2026-03-31 or 1405-01-01..1405-03-31"

    /// Reads what a person types; Persian digits and either calendar are
    /// accepted (an ISO date whose year is below 1700 is a Jalali date, as
    /// the due-date parser reads it with the Persian calendar).
    public static func parse(_ input: String, now: Date, calendar: Calendar) -> Result<ReportPeriod, DueDateError> {
        let text = LocalDigits.ascii(input).trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "  ", with: " ")
        let bare = text.hasPrefix("this ") ? String(text.dropFirst(5)) : text
        switch bare {
        case "week", "w": return .success(.week)
        case "month", "m": return .success(.month)
        case "quarter", "q": return .success(.quarter)
        case "year", "y": return .success(.year)
        case "last week", "previous week": return .success(.lastWeek)
        case "last month", "previous month": return .success(.lastMonth)
        case "last quarter", "previous quarter": return .success(.lastQuarter)
        case "last year", "previous year": return .success(.lastYear)
        default: break
        }
        if let m = text.range(of: #"^(last )?(\d{1,5}) ?(d|days?)$"#, options: .regularExpression) {
            let digits = text[m].filter(\.isNumber)
            guard let n = Int(digits), (1...36_500).contains(n) else {
                return .failure(DueDateError(message: "\"\(input)\" is not a number of days from 1 to 36500"))
            }
            return .success(.lastDays(n))
        }
        guard let dots = text.range(of: "..") else {
            return .failure(DueDateError(message: "can't read \"\(input)\" as a period; expected \(examples)"))
        }
        let sides = [String(text[..<dots.lowerBound]), String(text[dots.upperBound...])].map { $0.trimmingCharacters(in: .whitespaces) }
        var days: [Date] = []
        for (end, side) in zip(["start", "end"], sides) {
            guard !side.isEmpty else {
                return .failure(DueDateError(message: "\"\(input)\" needs both ends of the range; expected \(examples)"))
            }
            // A period is looked back on: "1 aug" is the latest 1 August; only
            // an end that would then fall before the start is read ahead.
            var reader = parser(for: side, calendar: calendar)
            reader.looksBack = true
            var read = reader.parse(side, now: now)
            if let from = days.first, case .success(let back) = read, calendar.startOfDay(for: back.date) < calendar.startOfDay(for: from) {
                reader.looksBack = false
                read = reader.parse(side, now: now)
            }
            switch read {
            case .success(let due): days.append(due.date)
            case .failure:
                // The due-date parser's hint names times and "+4h", which a
                // range has no use for (QA 31 #3): say which end, and a range.
                return .failure(DueDateError(message: """
                    the range's \(end) "\(side)" is not a date; expected a date such as 2026-01-31, 31 jan or 1405-11-11, \
                    as in 2026-01-01..2026-03-31
                    """))
            }
        }
        guard calendar.startOfDay(for: days[0]) <= calendar.startOfDay(for: days[1]) else {
            return .failure(DueDateError(message: "the range \"\(input)\" ends before it starts"))
        }
        return .success(.range(from: days[0], to: days[1], typed: input.trimmingCharacters(in: .whitespaces)))
    }

    /// The due-date parser of the user's calendar, or the Persian one for an
    /// ISO date with a Jalali year typed under the Gregorian setting.
    private static func parser(for side: String, calendar: Calendar) -> DueDateParser {
        if calendar.identifier != .persian, let year = Int(side.prefix(4)), side.count >= 8, year < 1700 {
            var persian = Calendar(identifier: .persian)
            persian.timeZone = calendar.timeZone
            persian.firstWeekday = calendar.firstWeekday
            return DueDateParser(calendar: persian, defaultTime: (12, 0))
        }
        return DueDateParser(calendar: calendar, defaultTime: (12, 0))
    }
}
