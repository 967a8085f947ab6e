import CRMCore
import CRMRepositories
import Foundation

/// How the "Won and lost" page cuts a period: by week for a period of up to
/// 92 days (a quarter), else by month, in the user's calendar (Gregorian or
/// Persian), time zone and first weekday. The first and last buckets are
/// cut at the period's edges, so every deal of the period is in one bucket
/// and none from outside it.
struct ReportPeriodBuckets {
    enum Unit { case week, month }

    let unit: Unit
    let buckets: [ReportBucket]
    let calendar: Calendar

    static let weeksUpToDays: Double = 92

    init(start: Date, end: Date, calendar: Calendar) {
        self.calendar = calendar
        unit = end.timeIntervalSince(start) <= Self.weeksUpToDays * 86_400 ? .week : .month
        let component: Calendar.Component = unit == .week ? .weekOfYear : .month
        var result: [ReportBucket] = []
        var from = calendar.dateInterval(of: component, for: start)?.start ?? start
        while from < end {
            guard let next = calendar.date(byAdding: component, value: 1, to: from), next > from else { break }
            result.append(ReportBucket(start: max(from, start), end: min(next, end)))
            from = next
        }
        buckets = result
    }

    /// The twelve whole weeks up to and including the one `day` falls in, oldest first.
    static func lastTwelveWeeks(through day: Date, calendar: Calendar) -> [ReportBucket] {
        guard let current = calendar.dateInterval(of: .weekOfYear, for: day) else { return [] }
        return (0..<12).reversed().compactMap { back -> ReportBucket? in
            guard let start = calendar.date(byAdding: .weekOfYear, value: -back, to: current.start),
                  let end = calendar.date(byAdding: .weekOfYear, value: 1, to: start) else { return nil }
            return ReportBucket(start: start, end: end)
        }
    }

    /// A bucket's label: the day its week starts, or its month in the user's calendar.
    func label(_ bucket: ReportBucket) -> ReportValue {
        switch unit {
        case .week: return .date(bucket.start)
        case .month:
            let parts = calendar.dateComponents([.year, .month], from: bucket.start)
            return .month(year: parts.year ?? 0, month: parts.month ?? 0)
        }
    }
}
