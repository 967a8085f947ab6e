import CRMCore
import Foundation

/// Times and amounts as listings write them: ISO 8601 with the offset of
/// the user's time zone ("2026-11-27T14:30:00+01:00", "…Z" in UTC), and
/// money as a plain decimal string in major units with its currency and its
/// minor units, so no reader ever meets a floating point amount.
public final class ListingTime {
    public let timeZone: TimeZone
    /// Made once: a formatter costs far more to make (ICU) than to use, and
    /// a listing formats a few times per record.
    private let formatter = ISO8601DateFormatter()

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
    }

    /// ISO 8601 with offset, or null for nil and for a stored date no
    /// calendar can spell (written by hand): a script gets no made-up date.
    public func iso(_ date: Date?) -> ListingValue {
        guard let date, DateLimits.shown.contains(date) else { return .null }
        return .text(formatter.string(from: date))
    }

    /// "12500.00" for 1,250,000 minor units of EUR, "-3" for -3 JPY: digits,
    /// an optional minus and the currency's decimals, never grouped. Null for
    /// a stored value that is not a whole number of minor units (`Money.unreadable`).
    public static func decimal(_ money: Money) -> ListingValue {
        guard money.minorUnits != Money.unreadable else { return .null }
        let digits = money.currency.minorDigits
        let magnitude = String(money.minorUnits.magnitude)
        let padded = String(repeating: "0", count: max(0, digits + 1 - magnitude.count)) + magnitude
        let whole = padded.dropLast(digits)
        let text = digits > 0 ? whole + "." + padded.suffix(digits) : whole
        return .text((money.minorUnits < 0 ? "-" : "") + text)
    }

    /// The minor units as stored, null when unreadable.
    public static func minorUnits(_ money: Money) -> ListingValue {
        money.minorUnits == Money.unreadable ? .null : .integer(money.minorUnits)
    }
}
