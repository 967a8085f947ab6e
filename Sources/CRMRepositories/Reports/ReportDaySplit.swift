import CRMCore
import Foundation

/// A report period [start, end) cut for the per-day counts of schema 32
/// (`SchemaV32ReportAggregates`; PostgreSQL's step 43 keeps the same): the whole UTC days inside it, read from
/// the counts, and the two partial days at its edges, read from the base
/// table. A period is cut at the user's local midnight (or any second), so
/// its edges are seldom UTC midnights; together the three parts cover
/// exactly the seconds the period does, and a count over them is the same
/// count as over the period.
public struct ReportDaySplit: Equatable, Sendable {
    /// The period in whole seconds, as a `Date` is bound (rounded down).
    public let start: Int64, end: Int64
    /// The whole days: `day_start` from `daysStart` up to (not including)
    /// `daysEnd`; empty when the period holds no whole UTC day.
    public let daysStart: Int64, daysEnd: Int64
    /// The seconds before the first whole day: [start, headEnd).
    public let headEnd: Int64
    /// The seconds after the last whole day: [tailStart, end).
    public let tailStart: Int64

    public static let day: Int64 = 86_400
    /// Beyond ±2^52 seconds no day is cut (the sums below stay in 64 bits);
    /// such far edges are read from the base table, which holds nothing there.
    public static let far: Int64 = 1 << 52

    /// The first second of the UTC day holding `t` (also before 1970).
    public static func dayStart(_ t: Int64) -> Int64 { t - ((t % day) + day) % day }

    public init(start: Date, end: Date) {
        self.init(start: start.wholeSecondsSince1970, end: end.wholeSecondsSince1970)
    }

    /// The whole period as one edge, no day from the counts (a file older
    /// than schema 32 has none).
    public init(wholePeriod start: Date, _ end: Date) {
        self.start = start.wholeSecondsSince1970
        self.end = end.wholeSecondsSince1970
        (daysStart, daysEnd, headEnd, tailStart) = (0, 0, self.end, self.end)
    }

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
        let from = max(start, -Self.far), to = min(end, Self.far)
        let first = Self.dayStart(from) == from ? from : Self.dayStart(from) + Self.day
        let last = Self.dayStart(to)
        if first < last {
            (daysStart, daysEnd, headEnd, tailStart) = (first, last, first, last)
        } else {
            // No whole day inside: everything is one edge.
            (daysStart, daysEnd, headEnd, tailStart) = (0, 0, end, end)
        }
    }
}
