import Foundation

/// The arithmetic of the stored interaction window both engines keep
/// (schema 40): each contact's live interactions in [as_of − 365 days,
/// as_of), and the two slices of time a count for another `now` corrects
/// it with:
///
///   F(now) = stored + #[as_of, now) − #[as_of − 365 d, now − 365 d)   (now ≥ as_of)
///   F(now) = stored − #[now, as_of) + #[now − 365 d, as_of − 365 d)   (now < as_of)
///
/// Kept here, engine-neutral, so SQLite and PostgreSQL cut the same slices.
public enum InteractionYearWindow {
    /// The window's length: the RFM frequency's 365 days.
    public static let year: Int64 = 31_536_000

    /// The UTC midnight at or before `seconds` (also before 1970): where a
    /// writer moves the window.
    public static func dayStart(_ seconds: Int64) -> Int64 { seconds - ((seconds % 86_400) + 86_400) % 86_400 }

    /// The slices between the window's end and `now`: [lo, hi), counted
    /// with `sign`, and [lo − year, hi − year), counted with −sign. Nil
    /// when they would overlap (now a year or more from as_of): then the
    /// figure is counted from the interactions directly.
    public static func slices(asOf: Int64, now: Int64) -> (lo: Int64, hi: Int64, sign: Int64)? {
        guard abs(now - asOf) < year else { return nil }
        return (min(asOf, now), max(asOf, now), now >= asOf ? 1 : -1)
    }
}
