import Foundation

/// An ISO 4217 currency: its code and how many minor units (cents) it has.
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let code: String
    public let minorDigits: Int

    public init?(_ code: String) {
        let upper = code.uppercased()
        guard upper.count == 3, upper.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        self.code = upper
        self.minorDigits = Self.exceptions[upper] ?? 2
    }

    /// Currencies whose minor unit is not the usual 1/100.
    static let exceptions: [String: Int] = [
        "JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "XOF": 0, "XAF": 0, "PYG": 0,
        "IRR": 0, "IQD": 3, "KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3, "LYD": 3,
    ]

    public static let eur = Currency("EUR")!
    public static let usd = Currency("USD")!

    public var description: String { code }
    public static func < (a: Currency, b: Currency) -> Bool { a.code < b.code }
}

/// An amount of money in integer minor units: never a floating point value.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Parses what people type: "1234.5", "1,234.50", "1 234,50", "12k".
    /// The last "." or "," followed by at most the currency's minor digits is
    /// the decimal separator; other separators group thousands.
    public static func parse(_ text: String, currency: Currency) throws -> Money {
        let field = "value"
        var s = text.trimmingCharacters(in: .whitespaces)
        for symbol in ["€", "$", "£", "¥", currency.code, currency.code.lowercased()] {
            s = s.replacingOccurrences(of: symbol, with: "")
        }
        s = s.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
            .replacingOccurrences(of: "'", with: "")
        var multiplier: Int64 = 1
        if let last = s.last, last == "k" || last == "K" { multiplier = 1000; s.removeLast() }
        else if let last = s.last, last == "m" || last == "M" { multiplier = 1_000_000; s.removeLast() }
        let negative = s.hasPrefix("-")
        if negative { s.removeFirst() }
        let example = currency.minorDigits > 0 ? "1234.50 or 1,234.50" : "1234"
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }) else {
            throw FieldError(field, "\"\(text)\" is not an amount; expected e.g. \(example)")
        }
        var integer = s
        var fraction = ""
        if let sep = s.lastIndex(where: { $0 == "." || $0 == "," }) {
            let after = s[s.index(after: sep)...]
            let sameSeparators = s.filter { $0 == s[sep] }.count
            // "1,234" and "1.234.567" group thousands; "12.5" and "1.234,50" have decimals.
            let grouping = after.count == 3 && (currency.minorDigits < 3 || sameSeparators > 1)
            if !grouping {
                guard after.count <= currency.minorDigits else {
                    throw FieldError(field, "\"\(text)\" has more decimals than \(currency.code) allows (\(currency.minorDigits)); expected e.g. \(example)")
                }
                integer = String(s[..<sep])
                fraction = String(after)
            }
        }
        integer.removeAll { $0 == "." || $0 == "," }
        if integer.isEmpty { integer = "0" }
        guard fraction.count <= currency.minorDigits else {
            throw FieldError(field, "\"\(text)\" has more decimals than \(currency.code) allows (\(currency.minorDigits))")
        }
        fraction += String(repeating: "0", count: currency.minorDigits - fraction.count)
        guard let whole = Int64(integer), let minor = Int64(fraction.isEmpty ? "0" : fraction) else {
            throw FieldError(field, "\"\(text)\" is too large")
        }
        let scale = Int64(pow(10.0, Double(currency.minorDigits)))
        let (product, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { throw FieldError(field, "\"\(text)\" is too large") }
        var total = (product + minor)
        let (scaled, overflow2) = total.multipliedReportingOverflow(by: multiplier)
        guard !overflow2 else { throw FieldError(field, "\"\(text)\" is too large") }
        total = negative ? -scaled : scaled
        return Money(minorUnits: total, currency: currency)
    }

    /// "12,345.00 EUR" — grouping with commas, the code after the amount so
    /// that columns of mixed currencies stay unambiguous.
    public var description: String { formatted() }

    public func formatted(withCode: Bool = true, decimals: Bool = true) -> String {
        let scale = Int64(pow(10.0, Double(currency.minorDigits)))
        let magnitude = minorUnits.magnitude
        let whole = magnitude / UInt64(scale)
        let frac = magnitude % UInt64(scale)
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        var text = (minorUnits < 0 ? "-" : "") + grouped
        if decimals && currency.minorDigits > 0 {
            let f = String(frac)
            text += "." + String(repeating: "0", count: currency.minorDigits - f.count) + f
        }
        return withCode ? text + " " + currency.code : text
    }

    /// "12.3k EUR" style for narrow places such as kanban headers and cards.
    public func compact() -> String {
        let scale = pow(10.0, Double(currency.minorDigits))
        let value = Double(minorUnits) / scale
        let a = abs(value)
        let text: String
        switch a {
        case 1_000_000_000...: text = String(format: "%.1fG", value / 1_000_000_000)
        case 1_000_000...: text = String(format: "%.1fM", value / 1_000_000)
        case 100_000...: text = String(format: "%.0fk", value / 1000)
        case 1_000...: text = String(format: "%.1fk", value / 1000)
        default: text = String(format: "%.0f", value)
        }
        return text + " " + currency.code
    }
}
