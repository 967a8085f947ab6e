import Foundation

/// How numbers are dialled in one region: its country calling code and the
/// national trunk prefix a number dialled within the country starts with.
///
/// Source: ITU-T E.164 country code assignments ("List of ITU-T
/// Recommendation E.164 assigned country codes", ITU Operational Bulletin)
/// and the national trunk prefixes each administration notifies to the ITU
/// ("Dialling procedures", ITU-T E.164 Supplement / Operational Bulletin).
public struct PhoneRegion: Hashable, Sendable {
    /// ISO 3166-1 alpha-2, upper case ("DE").
    public let code: String
    /// The E.164 country calling code, digits ("49").
    public let countryCode: String
    /// Digits a national number starts with that are not part of its E.164
    /// form ("0" in DE, "8" in RU, "1" in the NANP); "" where the leading
    /// digit stays part of the number (IT, ES).
    public let trunkPrefix: String
    /// False where a national number may be written without the trunk
    /// prefix (the NANP: "212 555 0100" and "1 212 555 0100" are one number).
    public let trunkRequired: Bool

    init(_ code: String, _ countryCode: String, trunk: String, required: Bool = true) {
        self.code = code; self.countryCode = countryCode; self.trunkPrefix = trunk; self.trunkRequired = required
    }

    /// "+98 912 151 9032" (or "0098…") as dialled within this region:
    /// "09121519032", the trunk prefix for the country code. nil when the
    /// number is not written with this region's country code. Lets a
    /// read-only lookup find a number stored in national form before the
    /// database gave it its international one.
    public func nationalDigits(of number: String) -> String? {
        // normalize reads "00" as "+" and digits of any script as ASCII.
        let international = PhoneNumber.normalize(number)
        guard international.hasPrefix("+" + countryCode) else { return nil }
        let rest = international.dropFirst(1 + countryCode.count)
        return rest.count >= 3 ? trunkPrefix + rest : nil
    }

    /// The numbering table. Keep it small; add a row when a team needs it.
    public static let all: [PhoneRegion] = [
        PhoneRegion("DE", "49", trunk: "0"),
        PhoneRegion("AT", "43", trunk: "0"),
        PhoneRegion("CH", "41", trunk: "0"),
        PhoneRegion("IR", "98", trunk: "0"),
        PhoneRegion("US", "1", trunk: "1", required: false),
        PhoneRegion("CA", "1", trunk: "1", required: false),
        PhoneRegion("GB", "44", trunk: "0"),
        PhoneRegion("FR", "33", trunk: "0"),
        PhoneRegion("NL", "31", trunk: "0"),
        PhoneRegion("IT", "39", trunk: ""),
        PhoneRegion("ES", "34", trunk: ""),
        PhoneRegion("TR", "90", trunk: "0"),
        PhoneRegion("AE", "971", trunk: "0"),
        PhoneRegion("SA", "966", trunk: "0"),
        PhoneRegion("CN", "86", trunk: "0"),
        PhoneRegion("RU", "7", trunk: "8"),
        PhoneRegion("IN", "91", trunk: "0"),
    ]

    /// The region with this ISO code (any case), or nil when the table has none.
    public init?(code: String) {
        let upper = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard let found = Self.all.first(where: { $0.code == upper }) else { return nil }
        self = found
    }

    /// The E.164 digits of a national number's digits (no `+`, no `00`), or
    /// nil when they are not a whole national number of this region: without
    /// its required trunk prefix, or shorter than `minimumNationalDigits`
    /// after it.
    public func e164(nationalDigits digits: String) -> String? {
        var rest = Substring(digits)
        if !trunkPrefix.isEmpty, rest.hasPrefix(trunkPrefix) {
            rest = rest.dropFirst(trunkPrefix.count)
        } else if trunkRequired && !trunkPrefix.isEmpty {
            return nil
        }
        // NANP: without the trunk 1 a national number has 10 digits; with it
        // the 1 is the country code too.
        if !trunkRequired, rest.count != 10 { return nil }
        guard rest.count >= Self.minimumNationalDigits, !rest.hasPrefix("0") || trunkPrefix.isEmpty else { return nil }
        return countryCode + rest
    }

    /// Shorter numbers (service numbers, extensions) get no E.164 form.
    public static let minimumNationalDigits = 6
}

extension PhoneNumber {
    /// Whether the number was typed with its own country: `+…` or `00…`.
    public static func isInternational(_ text: String) -> Bool {
        normalize(text).hasPrefix("+")
    }

    /// The E.164 form as digits with the country code ("491719936679"):
    /// from the number itself when typed with `+` or `00`, else from
    /// `region` (a national number with the region's trunk prefix). Nil when
    /// neither gives one (a national number and no region, a short number).
    public static func e164(_ text: String, region: PhoneRegion?) -> String? {
        // "+49 (0)171 …": the (0) is the trunk prefix written for callers
        // inside the country, not part of the international number.
        let normalized = normalize(Latin1Text.contains(text, ascii: "(0)") ? text.replacingOccurrences(of: "(0)", with: "") : text)
        if normalized.hasPrefix("+") {
            let digits = String(normalized.dropFirst())
            return digits.count >= 7 && !digits.hasPrefix("0") ? digits : nil
        }
        return region?.e164(nationalDigits: normalized)
    }

    /// What `contact_phones.e164` stores: the E.164 digits, "" for a number
    /// that has none, or nil (SQL NULL) while a national number waits for a
    /// region to be read with.
    public static func storedE164(_ text: String, region: PhoneRegion?) -> String? {
        if let e164 = e164(text, region: region) { return e164 }
        return region == nil && !isInternational(text) ? nil : ""
    }
}
