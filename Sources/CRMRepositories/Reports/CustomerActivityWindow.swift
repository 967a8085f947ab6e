/// The stored 90-day activity window of the Customers report's at-risk list
/// (schema 55 on both engines): each live customer's interactions in the
/// earlier half [as_of − 90 d, as_of − 45 d) and the recent half
/// [as_of − 45 d, as_of) of a window ending at a UTC midnight (`as_of`).
/// The report reaches its own now from there with three short slices of
/// interactions; both engines share these numbers.
public enum CustomerActivityWindow {
    /// The window the counts are stored for, in days: the list's
    /// (CustomersReportSheet.activityWindowDays); a list asked for another
    /// window counts the interactions directly.
    public static let days = 90
    public static let window: Int64 = 7_776_000
    public static let half: Int64 = 3_888_000

    /// The slices between the window's end and `now`: [lo, hi) counted with
    /// `sign` into the recent half, [lo − half, hi − half) moved from the
    /// recent to the earlier half, [lo − window, hi − window) out of the
    /// earlier half. Nil when they would overlap (now half a window or more
    /// from as_of): then the list counts the interactions directly.
    public static func slices(asOf: Int64, now: Int64) -> (lo: Int64, hi: Int64, sign: Int64)? {
        guard abs(now - asOf) < half else { return nil }
        return (min(asOf, now), max(asOf, now), now >= asOf ? 1 : -1)
    }
}
