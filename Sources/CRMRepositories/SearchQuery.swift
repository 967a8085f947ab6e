import CRMCore
import Foundation

/// What the user typed into a search box, turned into an FTS5 prefix query
/// (the PostgreSQL engine reads the same words, digits and phone forms)
/// and, when it looks like part of a phone number, a run of digits.
///
/// Nothing typed is ever FTS5 syntax: every word goes inside a string
/// literal (an embedded `"` doubled), so `NEAR(`, `col:abc`, `a OR b`, `*`,
/// `-x` and `(` are matched as the words they contain. The MATCH string is a
/// bound parameter like any other value.
public struct SearchQuery: Sendable {
    /// What a search matches.
    public enum Scope: Equatable, Sendable {
        /// Nothing typed: no condition at all.
        case everything
        /// Typed, but without a letter or a digit: no row matches.
        case nothing
        /// At least one of `ftsMatch` and `digits` is set.
        case terms
    }

    public let text: String
    public let scope: Scope
    /// The words typed, folded (`SearchFold`), each with a letter or a digit.
    public let words: [String]
    /// `"mul"* AND "ber"*` — every word, folded (`SearchFold`), as a quoted prefix.
    public let ftsMatch: String?
    /// The digits a phone number must contain, for a query made only of
    /// digits and phone punctuation with at least two digits.
    public let digits: String?

    /// For a national number typed with the trunk prefix of the region
    /// (`0171 99…` in DE): the beginning of its international form
    /// (`4917199…`), which numbers stored as `+49 171 99…` start with. Nil
    /// otherwise (no region, `+`/`00`, other digits, fewer than 4 digits).
    public let nationalE164: String?

    public init(_ raw: String, region: PhoneRegion? = nil) {
        text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" })
            .map { word in String(String.UnicodeScalarView(word.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })) }
            // Folded as the index is (schema 8: `crm_fold`): ي finds ی, ۱ finds 1.
            .map(SearchFold.fold)
            .filter(SearchText.hasTerms)
        self.words = words
        ftsMatch = words.isEmpty ? nil : words.map(Self.wordMatch).joined(separator: " AND ")
        digits = Self.phoneDigits(text)
        nationalE164 = digits == nil ? nil : Self.nationalE164(text, region: region)
        internationalE164 = Self.internationalE164(text, digits: digits)
        scope = text.isEmpty ? .everything : (ftsMatch == nil && digits == nil ? .nothing : .terms)
    }

    /// `ftsMatch` for an index with prefix indexes up to `longest`
    /// characters (`interaction_fts`, schema 30): a longer word of letters
    /// and digits is asked for by its first `longest` characters, which is
    /// one list of that index read lazily, where the whole word would make
    /// FTS5 merge the list of every word it begins before the first row.
    /// Such words come back in `longWords`, for the caller to check on the
    /// rows read (`crm_word_prefixes`).
    public func ftsMatch(prefixesUpTo longest: Int) -> (match: String, longWords: [String])? {
        guard !words.isEmpty else { return nil }
        var longWords: [String] = []
        let terms = words.map { word -> String in
            let scalars = word.unicodeScalars
            guard scalars.count > longest, !scalars.contains(where: SearchFold.isCJK),
                  scalars.allSatisfy(SearchWords.isTokenScalar) else { return Self.wordMatch(word) }
            longWords.append(word)
            return Self.quotedPrefix(String(String.UnicodeScalarView(scalars.prefix(longest))))
        }
        return (terms.joined(separator: " AND "), longWords)
    }

    /// The trigram query (`phone_fts`) for numbers containing `digits`:
    /// the digits as one string; two digits, too short for a trigram, as
    /// every trigram that contains them ("55": "550" OR … OR "955"), which a
    /// number of at least three digits (as numbers are kept) has exactly
    /// when it contains the two. Built from ASCII digits only.
    public var phoneMatch: String? {
        guard let digits else { return nil }
        guard digits.count == 2 else { return "\"\(digits)\"" }
        let trigrams = Set((0...9).flatMap { ["\(digits)\($0)", "\($0)\(digits)"] })
        return trigrams.sorted().map { "\"\($0)\"" }.joined(separator: " OR ")
    }

    /// True when the query is a whole national number (`nationalE164` and
    /// at least `wholeNationalDigits` digits): then its digits are matched
    /// literally only in numbers stored in national form, so that
    /// `09123456789` does not find `+90 912 345 6789` (whose digits
    /// 909123456789 contain it across the country code). A shorter run with
    /// the trunk 0 (`0171 99`) is a fragment and matches anywhere, as before.
    public var isWholeNationalNumber: Bool {
        nationalE164 != nil && (digits?.count ?? 0) >= Self.wholeNationalDigits
    }

    public static let wholeNationalDigits = 7

    /// For a number typed with its country (`+49 171…`, or `00` and at
    /// least 8 digits): its international digits, which a number's E.164
    /// form must begin with, so `+49 171` never finds `+34 91 717…`. Nil
    /// otherwise, and for fewer than 3 digits (then the digits match
    /// literally, as before).
    public let internationalE164: String?

    public static func internationalE164(_ text: String, digits: String?) -> String? {
        guard let digits, digits.count >= 3, !digits.hasPrefix("0") else { return nil }
        let typedPlus = text.unicodeScalars.first(where: { $0 == "+" || asciiDigit($0) != nil }) == "+"
        let typedZeros = String(text.unicodeScalars.compactMap(asciiDigit)).hasPrefix("00")
        guard typedPlus || typedZeros else { return nil }
        // "+49 (0)30 …": the (0) is the trunk prefix written for callers
        // inside the country, not part of the international form
        // (PhoneNumbering.e164 drops it from stored numbers the same way).
        guard text.contains("(0)"), let international = phoneDigits(text.replacingOccurrences(of: "(0)", with: "")),
              international.count >= 3 else { return digits }
        return international
    }

    /// See `nationalE164`: the digits typed, when they begin with the
    /// region's trunk prefix but not with `00` and no `+` was typed.
    public static func nationalE164(_ text: String, region: PhoneRegion?) -> String? {
        guard let region, !region.trunkPrefix.isEmpty, !text.contains("+") else { return nil }
        let digits = String(text.unicodeScalars.compactMap(asciiDigit))
        guard digits.count >= 4, !digits.hasPrefix("00"), digits.hasPrefix(region.trunkPrefix) else { return nil }
        return region.countryCode + digits.dropFirst(region.trunkPrefix.count)
    }

    /// One typed word as FTS5 terms. Without CJK characters: a quoted prefix.
    /// With them (schema 10, `SearchFold.cjkGrams`): each CJK run of two or
    /// more characters is the phrase of its overlapping bigrams ("客户希" →
    /// `"客户 户希"`: both, adjacent and in order, so only a run containing
    /// 客户希 matches); one character is its unigram; the other pieces stay
    /// prefixes. All ANDed: "李秀英abc" needs 李秀英 and a word beginning abc.
    public static func wordMatch(_ word: String) -> String {
        guard word.unicodeScalars.contains(where: SearchFold.isCJK) else { return quotedPrefix(word) }
        var terms: [String] = []
        for segment in SearchFold.cjkSegments(word.unicodeScalars) {
            let text = String(String.UnicodeScalarView(segment.scalars))
            if !segment.cjk {
                if SearchText.hasTerms(text) { terms.append(quotedPrefix(text)) }
            } else if segment.scalars.count == 1 {
                terms.append("\"" + text + "\"")
            } else {
                let chars = segment.scalars
                let bigrams = (0..<(chars.count - 1)).map { String(String.UnicodeScalarView([chars[$0], chars[$0 + 1]])) }
                terms.append("\"" + bigrams.joined(separator: " ") + "\"")
            }
        }
        return terms.joined(separator: " AND ")
    }

    /// A word as an FTS5 string (`"` doubled inside) searched as a prefix.
    public static func quotedPrefix(_ word: String) -> String {
        "\"" + word.replacingOccurrences(of: "\"", with: "\"\"") + "\"*"
    }

    /// Phone punctuation a digit query may contain besides its digits.
    public static let phonePunctuation = CharacterSet(charactersIn: "+-()./ ")

    /// The digits to look for in phone numbers, or nil when `text` is not a
    /// digit query (it has letters or other symbols, or fewer than 2 digits).
    ///
    /// Digits match literally: `000` finds numbers containing 000 and
    /// `0069` only numbers containing 0069, leading zeros kept. The one
    /// exception is an international prefix: numbers are stored as their
    /// digits without the `+` or `00` they were typed with (`PhoneNumber.digits`),
    /// so a query `00` followed by at least 8 digits (a whole international
    /// number, not a fragment) is looked up without its `00` and finds the
    /// number typed either as `+49 30 …` or `0049 30 …`. A leading `+` is
    /// punctuation here; `internationalE164` anchors such a query at the
    /// start of a number's international form.
    public static func phoneDigits(_ text: String) -> String? {
        var digits = ""
        for scalar in text.unicodeScalars {
            if let digit = asciiDigit(scalar) {
                digits.append(digit)
            } else if !phonePunctuation.contains(scalar) {
                return nil
            }
        }
        if digits.hasPrefix("00") && digits.count - 2 >= internationalDigits {
            digits.removeFirst(2)
        }
        return digits.count >= 2 ? digits : nil
    }

    /// How many digits must follow a leading `00` for it to be read as the
    /// international prefix.
    public static let internationalDigits = 8

    /// A decimal digit of any script (Persian ۰–۹, Arabic-Indic ٠–٩,
    /// full-width) as its ASCII digit, as stored numbers have them.
    public static func asciiDigit(_ scalar: Unicode.Scalar) -> Character? {
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
              let digit = Int(exactly: value), (0...9).contains(digit) else { return nil }
        return Character(String(digit))
    }
}
