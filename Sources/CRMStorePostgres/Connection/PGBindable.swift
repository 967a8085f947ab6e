import Foundation

/// Swift values that can be bound as statement parameters. Every value goes
/// through `PQexecParams` as text (the statement casts it where the type is
/// not obvious, `$1::bigint`), never through string concatenation.
public protocol PGBindable {
    /// The parameter's text, or nil for SQL NULL.
    var pgText: String? { get }
}

extension Int64: PGBindable { public var pgText: String? { String(self) } }
extension Int: PGBindable { public var pgText: String? { String(self) } }
extension Int32: PGBindable { public var pgText: String? { String(self) } }
extension Double: PGBindable { public var pgText: String? { "\(self)" } }
extension String: PGBindable { public var pgText: String? { self } }
extension Bool: PGBindable { public var pgText: String? { self ? "true" : "false" } }
/// Dates are stored as whole seconds since 1970 UTC, as on SQLite, so a row
/// moves between the engines unchanged (and `to_timestamp(col)` shows it in psql).
extension Date: PGBindable {
    public var pgText: String? {
        let seconds = timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite else { return seconds > 0 ? String(Int64.max) : String(Int64.min) }
        if seconds >= 9.2e18 { return String(Int64.max) }
        if seconds <= -9.2e18 { return String(Int64.min) }
        return String(Int64(seconds))
    }
}
extension Optional: PGBindable where Wrapped: PGBindable {
    public var pgText: String? { self?.pgText ?? nil }
}

/// SQL NULL of any type, for a parameter list written inline.
public struct PGNull: PGBindable {
    public init() {}
    public var pgText: String? { nil }
}
