import Foundation

/// An ISO 4217 currency: its code and how many digits its minor unit (cents) has.
///
/// What a person types must be an active code (`init?(_:)`, the table in
/// ISO4217.swift). What is read back from storage is taken as it is
/// (`init(stored:)`): a code that is not active (written by an old version, by
/// another program or by hand) keeps its own text, is flagged (`isKnown` is
/// false, shown as "XYZ?") and, being a different value, is summed apart;
/// it is never mistaken for EUR or any other currency.
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The code exactly as typed (upper-cased) or stored.
    public let code: String
    public let minorDigits: Int
    /// Whether `code` is an active ISO 4217 code.
    public let isKnown: Bool

    /// A typed code, in any case and with spaces around; nil unless it is an
    /// active ISO 4217 code.
    public init?(_ code: String) {
        let upper = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard let digits = ISO4217.minorDigits[upper] else { return nil }
        self.code = upper
        self.minorDigits = digits
        self.isKnown = true
    }

    /// A stored code, exactly as stored. An unknown one is read with two
    /// decimals, the most common minor unit, so its amount is at least shown.
    public init(stored code: String) {
        self.code = code
        self.minorDigits = ISO4217.minorDigits[code] ?? 2
        self.isKnown = ISO4217.minorDigits[code] != nil
    }

    /// A typed code, or the reason it is none (for `field`'s error).
    public static func parse(_ text: String, field: String = "currency") throws -> Currency {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let currency = Currency(t) { return currency }
        throw FieldError(field, t.isEmpty ? "is required; expected an ISO 4217 code such as EUR, USD or JPY"
                                          : "\"\(t)\" is not an ISO 4217 currency code; expected e.g. EUR, USD, GBP, JPY")
    }

    public static let eur = Currency("EUR")!
    public static let usd = Currency("USD")!

    /// The code as screens show it: flagged with "?" when it is not an active
    /// ISO 4217 code.
    public var displayCode: String { isKnown ? code : code + "?" }

    public var description: String { displayCode }
    public static func < (a: Currency, b: Currency) -> Bool { a.code < b.code }
}
