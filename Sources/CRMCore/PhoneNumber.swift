import Foundation

/// A phone number as the user typed it, plus its digits-only form (keeping a
/// leading +) that search matches against: "+49 (30) 1234-567" → "+49301234567".
public struct PhoneNumber: Hashable, Sendable {
    public var number: String
    public var label: String

    public init(_ number: String, label: String = "") {
        self.number = number.trimmingCharacters(in: .whitespaces)
        self.label = label
    }

    public var normalized: String { Self.normalize(number) }

    /// Digits only, with a leading "+" kept (and "00" read as "+"). Digits from
    /// any script (Persian ۰-۹, Arabic-Indic ٠-٩, full-width) become ASCII.
    public static func normalize(_ text: String) -> String {
        var out = ""
        var sawDigit = false
        for scalar in text.unicodeScalars {
            if let d = asciiDigit(scalar) {
                out.append(d)
                sawDigit = true
            } else if scalar == "+" && !sawDigit && out.isEmpty {
                out.append("+")
            }
        }
        if out.hasPrefix("00") { out = "+" + out.dropFirst(2) }
        return out
    }

    /// Only the digits, no "+": what a digit search compares with.
    public static func digits(_ text: String) -> String {
        normalize(text).filter(\.isNumber)
    }

    static func asciiDigit(_ scalar: Unicode.Scalar) -> Character? {
        guard let value = scalar.properties.numericType == .decimal ? scalar.properties.numericValue : nil else { return nil }
        return Character(String(Int(value)))
    }

    public func validate(field: String) -> [FieldError] {
        let digits = Self.digits(number)
        let allowed = CharacterSet(charactersIn: "+-()./ ").union(.decimalDigits)
        let extension_ = number.lowercased().contains("ext") || number.lowercased().contains("x")
        if number.unicodeScalars.contains(where: { !allowed.contains($0) }) && !extension_ {
            return [FieldError(field, "\"\(number)\" has characters a phone number cannot have; expected digits, spaces, + - ( ) . /")]
        }
        if digits.count < 3 || digits.count > 20 {
            return [FieldError(field, "\"\(number)\" has \(digits.count) digits; expected 3 to 20, e.g. +49 30 1234567")]
        }
        return []
    }
}
