import Foundation

/// An amount of money in integer minor units: never a floating point value.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// The most a deal may be worth, in minor units of its currency: 10^15 − 1,
    /// that is 9,999,999,999,999.99 EUR, 999,999,999,999,999 JPY or
    /// 999,999,999,999.999 KWD. Amounts live in Int64 (at most about 9.22 × 10^18):
    /// - one deal, and its weighted value, are far inside it;
    /// - a column's total in one currency stays inside it for any 9,223 deals
    ///   even at this maximum, and for a million deals averaging up to
    ///   9.2 × 10^12 minor units (92 billion euros) each;
    /// - a lower maximum such as 10^12 (a million deals at the maximum) would
    ///   be too small where the unit is small: 10^12 minor units of IRR or LBP
    ///   (two ISO decimals) are 10^10 rials or pounds, a few ten thousand euros.
    /// Totals are therefore never computed in a way that can trap: the store
    /// adds in parts that cannot overflow and joins them with checked
    /// arithmetic, a total beyond Int64 is shown as "out of range", and
    /// weighting (`weighted(percent:)`) never forms the product sum × 100.
    public static let maxMinorUnits: Int64 = 999_999_999_999_999

    /// The largest amount a deal may hold in `currency`.
    public static func maximum(_ currency: Currency) -> Money { Money(minorUnits: maxMinorUnits, currency: currency) }

    /// Whether a deal may hold this amount: from 0 to `maxMinorUnits`. A stored
    /// amount outside (written by an old version or by hand) is shown flagged.
    public var isInRange: Bool { (0...Self.maxMinorUnits).contains(minorUnits) }

    /// 10^digits, for the few digits a minor unit has (0 to 4).
    static func scale(_ digits: Int) -> Int64 {
        (0..<max(0, digits)).reduce(Int64(1)) { p, _ in p * 10 }
    }

    /// The currency signs read in a typed amount, and which codes each is
    /// the sign of ("$": the dollars and pesos that write it).
    static let signs: [(String, @Sendable (String) -> Bool)] = [
        ("€", { $0 == "EUR" }),
        ("£", { ["GBP", "EGP", "FKP", "GIP", "SHP", "SSP", "SYP", "LBP"].contains($0) }),
        ("¥", { ["JPY", "CNY"].contains($0) }),
        ("$", { $0.hasSuffix("D") || ["MXN", "ARS", "CLP", "COP", "CUP", "DOP", "UYU", "BRL", "NIO", "TOP", "WST"].contains($0) }),
    ]

    /// Parses what people type: "1234.5", "1,234.50", "1 234,50", "12k".
    /// The last "." or "," followed by at most the currency's minor digits is
    /// the decimal separator; other separators group thousands. Every step is
    /// checked, so no input can overflow; amounts outside 0 to
    /// `maximum(currency)` are refused with that range in the message.
    public static func parse(_ text: String, currency: Currency) throws -> Money {
        let field = "value"
        var s = LocalDigits.ascii(text).trimmingCharacters(in: .whitespaces)
        // A sign of another currency is refused as "100 USD" is, never dropped:
        // "$100" typed in a EUR deal is no 100 euros (QA 27 #15).
        for (sign, isOf) in signs where s.contains(sign) {
            guard isOf(currency.code) else {
                throw FieldError(field, "\"\(text)\": \(sign) is not the sign of \(currency.code); set the currency to the one meant")
            }
            s = s.replacingOccurrences(of: sign, with: "")
        }
        for code in [currency.code, currency.code.lowercased()] where !code.isEmpty {
            s = s.replacingOccurrences(of: code, with: "")
        }
        s = s.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
            .replacingOccurrences(of: "'", with: "")
        var multiplier: Int64 = 1
        if let last = s.last, last == "k" || last == "K" { multiplier = 1000; s.removeLast() }
        else if let last = s.last, last == "m" || last == "M" { multiplier = 1_000_000; s.removeLast() }
        let negative = s.hasPrefix("-")
        if negative { s.removeFirst() }
        let example = currency.minorDigits > 0 ? "1234.50 or 1,234.50" : "1234"
        let range = "from 0 to \(maximum(currency).formatted())"
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }) else {
            throw FieldError(field, "\"\(text)\" is not an amount; expected e.g. \(example)")
        }
        var integer = s
        var fraction = ""
        if let sep = s.lastIndex(where: { $0 == "." || $0 == "," }) {
            let after = s[s.index(after: sep)...]
            let sameSeparators = s.filter { $0 == s[sep] }.count
            // "1,234" and "1.234.567" group thousands; "12.5" and "1.234,50" have
            // decimals. With both marks the last is the decimal one, whatever
            // follows it: "1,234.567" is never 1,234,567 (QA 29 #14).
            let bothMarks = s.contains(".") && s.contains(",")
            let grouping = after.count == 3 && !bothMarks && (currency.minorDigits < 3 || sameSeparators > 1)
            // "1,500" in a currency of three decimals (KWD, BHD, OMR…) is
            // fifteen hundred as the screen writes it and one and a half as
            // many write it: asked, never guessed (QA 30 #5). "1.500" is
            // the three decimals, as KWD is written.
            if !grouping, currency.minorDigits == 3, after.count == 3, !bothMarks, sameSeparators == 1, s[sep] == "," {
                let whole = s[..<sep]
                throw FieldError(field, "\"\(text)\": \(whole)\(after) or \(whole).\(after) \(currency.code)? type \(whole)\(after) or \(whole).\(after)")
            }
            if !grouping {
                guard after.count <= currency.minorDigits else {
                    throw FieldError(field, "\"\(text)\" has more decimals than \(currency.code) allows (\(currency.minorDigits)); expected e.g. \(example)")
                }
                integer = String(s[..<sep])
                fraction = String(after)
            }
        }
        // Thousands groups must look like them: "1,234,567", never "0.001"
        // or "12,34,5" read as a whole number by accident.
        let groups = integer.split(separator: ".", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        if groups.count > 1 {
            let first = groups[0].drop { $0 == "0" }  // leading zeros say nothing
            guard (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw FieldError(field, "\"\(text)\" is not an amount in \(currency.code): its separators fit neither thousands nor decimals; expected e.g. \(example)")
            }
        }
        integer.removeAll { $0 == "." || $0 == "," }
        // Leading zeros say nothing; more than 18 digits cannot fit in Int64 at all.
        let digits = integer.drop { $0 == "0" }
        let tooLarge = FieldError(field, "\"\(text)\" is too large; at most \(maximum(currency).formatted())")
        guard digits.count <= 18, let whole = Int64(digits.isEmpty ? "0" : String(digits)) else { throw tooLarge }
        fraction += String(repeating: "0", count: max(0, currency.minorDigits - fraction.count))
        let minor = Int64(fraction.isEmpty ? "0" : fraction) ?? 0
        let (scaled, o1) = whole.multipliedReportingOverflow(by: scale(currency.minorDigits))
        let (plus, o2) = scaled.addingReportingOverflow(minor)
        let (total, o3) = plus.multipliedReportingOverflow(by: multiplier)
        guard !o1, !o2, !o3, total <= maxMinorUnits else { throw tooLarge }
        if negative && total != 0 { throw FieldError(field, "\"\(text)\" is negative; expected an amount \(range)") }
        return Money(minorUnits: total, currency: currency)
    }

    /// "12,345.00 EUR" — grouping with commas, the code after the amount so
    /// that columns of mixed currencies stay unambiguous. Exact for every
    /// Int64, in range or not (forms show a stored amount as it is).
    public var description: String { formatted() }

    public func formatted(withCode: Bool = true, decimals: Bool = true) -> String {
        let scale = UInt64(Self.scale(currency.minorDigits))
        // The magnitude as UInt64: exact for Int64.min too.
        let magnitude = minorUnits.magnitude
        let whole = magnitude / scale
        let frac = magnitude % scale
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
            text += "." + String(repeating: "0", count: max(0, currency.minorDigits - f.count)) + f
        }
        return withCode ? text + " " + currency.displayCode : text
    }

    /// What a screen shows for a deal's amount: `formatted()`, or for an
    /// amount no deal may hold, that it is out of range, then the amount;
    /// Int64.min alone, which is also what the store reads a value that is
    /// not a whole number at all as (`unreadable`), shows no made-up figure.
    public func shown(decimals: Bool = true) -> String {
        if isInRange { return formatted(decimals: decimals) }
        if minorUnits == Self.unreadable { return "out of range " + currency.displayCode }
        return "out of range (\(formatted(decimals: decimals)))"
    }

    /// The amount a stored value that is not a whole number of minor units
    /// (a REAL or TEXT written by hand) is read as: out of range, flagged.
    public static let unreadable = Int64.min

    /// "12.3k EUR" style for narrow places such as kanban headers and cards;
    /// "out of range EUR" for an amount no deal may hold.
    /// `total`: a sum of many deals, which may well pass what one deal may
    /// hold; only a negative one is out of range.
    public func compact(total: Bool = false) -> String {
        guard total ? minorUnits >= 0 : isInRange else { return "out of range " + currency.displayCode }
        let value = Double(minorUnits) / Double(Self.scale(currency.minorDigits))
        let text: String
        switch abs(value) {
        case 1_000_000_000_000...: text = String(format: "%.1fT", value / 1_000_000_000_000)
        case 1_000_000_000...: text = String(format: "%.1fG", value / 1_000_000_000)
        case 1_000_000...: text = String(format: "%.1fM", value / 1_000_000)
        case 100_000...: text = String(format: "%.0fk", value / 1000)
        case 1_000...: text = String(format: "%.1fk", value / 1000)
        default:
            // Below a thousand every digit fits: 0.001 KWD is not "0 KWD".
            let whole = minorUnits % Self.scale(currency.minorDigits) == 0
            text = String(format: "%.\(whole ? 0 : currency.minorDigits)f", value)
        }
        return text + " " + currency.displayCode
    }

    /// This amount times `percent` / 100, rounded half up: a deal's or a
    /// column's value weighted by its stage's win probability. Computed as
    /// (a·100 + b)·p / 100 = a·p + (b·p + 50) / 100, so no product larger than
    /// the amount itself is ever formed: exact and trap-free for every amount
    /// from 0 to Int64.max. Nil for a negative amount or a percentage outside
    /// 0 to 100 (stored by hand), which have no meaningful weighting.
    public func weighted(percent: Int) -> Money? {
        guard minorUnits >= 0, (0...100).contains(percent) else { return nil }
        let p = Int64(percent)
        let weighted = (minorUnits / 100) * p + ((minorUnits % 100) * p + 50) / 100
        return Money(minorUnits: weighted, currency: currency)
    }
}
