import Foundation

/// An email address with an optional label ("work", "home").
public struct EmailAddress: Hashable, Sendable {
    public var address: String
    public var label: String

    public init(_ address: String, label: String = "") {
        self.address = Latin1Text.trimmed(address, .whitespaces)
        self.label = label
    }

    /// A pragmatic syntax check: one "@", a non-empty local part, a domain
    /// with a dot and no spaces. Full RFC 5322 accepts things no CRM user types.
    public static func isValid(_ address: String) -> Bool {
        if Latin1Text.isASCII(address) { return isValidASCII(Array(address.utf8)) }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 3 else { return false }
        if address.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" }) { return false }
        let domain = parts[1]
        guard let dot = domain.lastIndex(of: "."), dot != domain.startIndex,
              domain.index(after: dot) != domain.endIndex else { return false }
        return !domain.hasPrefix(".") && !domain.contains("..")
    }

    /// `isValid` of ASCII text, byte by byte (the same rules).
    static func isValidASCII(_ b: [UInt8]) -> Bool {
        guard let at = b.firstIndex(of: UInt8(ascii: "@")), at > 0, b.lastIndex(of: UInt8(ascii: "@")) == at else { return false }
        let domain = b[(at + 1)...]
        guard domain.count >= 3 else { return false }
        // Character.isWhitespace of ASCII: tab, line feed … carriage return, space.
        if b.contains(where: { ($0 >= 0x09 && $0 <= 0x0D) || $0 == 0x20 || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }) { return false }
        let dot = UInt8(ascii: ".")
        guard let last = domain.lastIndex(of: dot), last != domain.startIndex, last != domain.endIndex - 1 else { return false }
        if domain.first == dot { return false }
        for i in domain.indices.dropLast() where b[i] == dot && b[i + 1] == dot { return false }
        return true
    }

    public func validate(field: String) -> [FieldError] {
        if address.isEmpty { return [FieldError(field, "is empty; expected an address like name@example.com")] }
        if !Latin1Text.fits(address, 254) { return [FieldError(field, "is too long: at most 254 characters")] }
        return Self.isValid(address) ? [] : [FieldError(field, "\"\(address)\" is not an email address; expected something like name@example.com")]
    }
}
