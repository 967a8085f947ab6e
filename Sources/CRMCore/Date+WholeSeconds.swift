import Foundation

extension Date {
    /// Whole seconds since 1970 UTC (rounded down), as dates are stored.
    /// Saturates at the ends of Int64 instead of trapping: a stored Int64.max
    /// reads back as 2^63 seconds (the nearest Double), which `Int64(_:)`
    /// would refuse with a crash; written back it is Int64.max again.
    public var wholeSecondsSince1970: Int64 {
        let t = timeIntervalSince1970.rounded(.down)
        if t.isNaN { return 0 }
        if t >= Double(Int64.max) { return .max }
        if t <= Double(Int64.min) { return .min }
        return Int64(t)
    }
}
