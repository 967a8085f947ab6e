import Foundation

/// The keys two records are compared on when duplicates are looked for. A key
/// is only ever compared for equality; it is never shown.
public enum DuplicateKey {
    /// A name folded for everything two people typing the same name may do
    /// differently: case, diacritics ("Günter" = "Gunter"), width, the
    /// Persian/Arabic letter forms and joiners (`SearchFold.fold`), and
    /// punctuation, spacing and word order ("Müller, Günter" = "günter
    /// müller"): the words, folded, sorted, joined by one space. '' for a
    /// name without letters or digits, which matches nothing.
    ///
    /// Stored in `contacts.name_key` and `companies.name_key` (schema 13,
    /// SQL function `crm_namekey`), so a change here is a new migration step
    /// that fills the column again.
    public static func name(_ text: String) -> String {
        if Latin1Text.isLatin1(text) { return latin1Name(text) }
        let folded = SearchFold.fold(text)
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words = folded.unicodeScalars
            .split { !($0.properties.isAlphabetic || $0.properties.numericType != nil) }
            .map { String(String.UnicodeScalarView($0)) }
        words.sort()
        return words.joined(separator: " ")
    }

    /// `name` of text with no scalar above U+00FF: the same folding, one
    /// scalar at a time from a table (SearchFold changes nothing there).
    static func latin1Name(_ text: String) -> String {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let folding = Latin1Text.keyFolding[Int(scalar.value)]
            for (s, isWord) in zip(folding.scalars, folding.word) {
                if isWord { word.append(s) } else if !word.isEmpty { words.append(String(word)); word = .init() }
            }
        }
        if !word.isEmpty { words.append(String(word)) }
        words.sort()
        return words.joined(separator: " ")
    }

    /// What two phone numbers are compared on: the international form when
    /// the number has one (so "+49 171 9936679", "0049 171 9936679" and, read
    /// as German, "0171 9936679" are one number), else its digits; nil for a
    /// number too short to say anything (fewer than 6 digits). The store
    /// computes the same as `coalesce(nullif(e164, ''), digits)` of a row.
    public static func phone(_ number: String, region: PhoneRegion?) -> String? {
        let key = storedPhone(number, e164: PhoneNumber.storedE164(number, region: region))
        return key.count >= minimumPhoneDigits ? key : nil
    }

    /// `contact_phones.match_key` of a number stored with `e164`: the same
    /// as the migration's `coalesce(nullif(e164, ''), digits)`.
    public static func storedPhone(_ number: String, e164: String?) -> String {
        if let e164, !e164.isEmpty { return e164 }
        return PhoneNumber.digits(number)
    }

    public static let minimumPhoneDigits = 6
}
