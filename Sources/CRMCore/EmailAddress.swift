import Foundation

/// An email address with an optional label ("work", "home").
public struct EmailAddress: Hashable, Sendable {
    public var address: String
    public var label: String

    public init(_ address: String, label: String = "") {
        self.address = address.trimmingCharacters(in: .whitespaces)
        self.label = label
    }

    /// A pragmatic syntax check: one "@", a non-empty local part, a domain
    /// with a dot and no spaces. Full RFC 5322 accepts things no CRM user types.
    public static func isValid(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 3 else { return false }
        if address.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" }) { return false }
        let domain = parts[1]
        guard let dot = domain.lastIndex(of: "."), dot != domain.startIndex,
              domain.index(after: dot) != domain.endIndex else { return false }
        return !domain.hasPrefix(".") && !domain.contains("..")
    }

    public func validate(field: String) -> [FieldError] {
        if address.isEmpty { return [FieldError(field, "is empty; expected an address like name@example.com")] }
        if address.count > 254 { return [FieldError(field, "is too long: at most 254 characters")] }
        return Self.isValid(address) ? [] : [FieldError(field, "\"\(address)\" is not an email address; expected something like name@example.com")]
    }
}
