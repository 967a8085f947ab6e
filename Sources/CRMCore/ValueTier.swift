import Foundation

/// A customer's value tier (ABC analysis): A holds the customers that make
/// the first 80 % of all won value (`tier.A`), B the next 15 % (`tier.B`),
/// C the rest. Worked out by the store from won deals (see the Customers
/// report); a contact without won value has none.
public enum ValueTier: String, CaseIterable, Sendable, Codable, Comparable {
    case a = "A", b = "B", c = "C"

    public var title: String { "Tier \(rawValue)" }

    /// "a", "A", "tier a" → .a.
    public static func parse(_ text: String) -> ValueTier? {
        var t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if t.hasPrefix("TIER") { t = String(t.dropFirst(4)).trimmingCharacters(in: .whitespaces) }
        return ValueTier(rawValue: t)
    }

    public static func < (l: ValueTier, r: ValueTier) -> Bool { l.rawValue < r.rawValue }
}
