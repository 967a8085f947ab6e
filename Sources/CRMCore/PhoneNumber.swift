import Foundation

/// A phone number as the user typed it, plus its digits-only form (keeping a
/// leading +) that search matches against: "+49 (30) 1234-567" → "+49301234567".
public struct PhoneNumber: Hashable, Sendable {
    public var number: String
    public var label: String

    public init(_ number: String, label: String = "") {
        self.number = Latin1Text.trimmed(number, .whitespaces)
        self.label = label
    }

    public var normalized: String { Self.normalize(number) }

    /// Digits only, with a leading "+" kept (and "00" read as "+"). Digits from
    /// any script (Persian ۰-۹, Arabic-Indic ٠-٩, full-width) become ASCII.
    public static func normalize(_ text: String) -> String {
        if Latin1Text.isASCII(text) { return String(decoding: normalizeASCII(text), as: UTF8.self) }
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
        if Latin1Text.isASCII(text) {
            var bytes = normalizeASCII(text)
            if bytes.first == UInt8(ascii: "+") { bytes.removeFirst() }
            return String(decoding: bytes, as: UTF8.self)
        }
        return normalize(text).filter(\.isNumber)
    }

    /// `normalize` of ASCII text, as bytes: its digits, a "+" before the
    /// first one kept, a leading "00" read as "+".
    static func normalizeASCII(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if b >= 0x30 && b <= 0x39 { out.append(b) }
            else if b == UInt8(ascii: "+") && out.isEmpty { out.append(b) }
        }
        if out.count >= 2 && out[0] == 0x30 && out[1] == 0x30 {
            out.removeFirst(2)
            out.insert(UInt8(ascii: "+"), at: 0)
        }
        return out
    }

    /// `number` without an extension at its end ("ext 12", "ext. 12",
    /// "x12", ";ext=12", "#12"), the one place a number may hold letters.
    public static func withoutExtension(_ number: String) -> Substring {
        var s = Substring(number)
        while s.last == " " { s.removeLast() }
        guard let last = s.last, last.isNumber else { return Substring(number) }
        let digitsStart = s.lastIndex { !$0.isNumber }.map { s.index(after: $0) } ?? s.startIndex
        var head = s[..<digitsStart]
        while head.last == " " || head.last == "=" { head.removeLast() }
        let lower = head.lowercased()
        for marker in [";ext", "extension", "ext.", "ext", "x", "#"] where lower.hasSuffix(marker) {
            return head.dropLast(marker.count)
        }
        return Substring(number)
    }

    /// What a number may hold besides an extension marker.
    static let allowed = CharacterSet(charactersIn: "+-()./ ").union(.decimalDigits)

    static func asciiDigit(_ scalar: Unicode.Scalar) -> Character? {
        guard let value = scalar.properties.numericType == .decimal ? scalar.properties.numericValue : nil else { return nil }
        return Character(String(Int(value)))
    }

    public func validate(field: String) -> [FieldError] {
        let digits = Self.digits(number)
        // Letters only in an extension at the end: "sip:0935…@pbx" or
        // "\"Ana\" <sip:…>" is an address, not a number (QA 30 #4; an "x"
        // anywhere let them through before).
        let core = Self.withoutExtension(number)
        let badCharacter: Bool
        if Latin1Text.isASCII(number) {
            // The same test on bytes: a character outside the allowed set.
            badCharacter = core.utf8.contains { b in
                !((b >= 0x30 && b <= 0x39) || b == 0x20 || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "(")
                  || b == UInt8(ascii: ")") || b == UInt8(ascii: ".") || b == UInt8(ascii: "/"))
            }
        } else {
            badCharacter = core.unicodeScalars.contains(where: { !Self.allowed.contains($0) })
        }
        if badCharacter {
            return [FieldError(field, "\"\(number)\" has characters a phone number cannot have; expected digits, spaces, + - ( ) . /")]
        }
        if digits.count < 3 || digits.count > 20 {
            return [FieldError(field, "\"\(number)\" has \(digits.count) digits; expected 3 to 20, e.g. +49 30 1234567")]
        }
        return []
    }
}
