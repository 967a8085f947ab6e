import Foundation

/// The best split of one stored name into vCard's N components (family;
/// given; additional; prefix; suffix), since the CRM keeps a person's name
/// as one field:
/// - a trailing ", Jr." (", PhD", …) is the suffix, and so is a trailing
///   "Jr.", "Sen.", "III" without the comma after at least two other words;
/// - leading titles ("Dr.", "Prof. Dr.", "Frau", "Mrs.") are the prefix;
/// - "Müller, Günter" (comma): family before the comma, the rest given;
/// - a name in Han script with no spaces (王小明): the first character is the
///   family name, as in most Chinese names; two words in Han, kana or Hangul
///   ("田中 花子", "김 민준") are family name then given name;
/// - otherwise words: the first is given, the last the family name, with
///   lower-case particles before it ("van", "de", "bin") kept in the family
///   name, and words between them additional names;
/// - one word alone is the given name.
/// FN always holds the name exactly as stored, so nothing is lost if the
/// split guesses wrong.
public enum PersonName {
    public struct Parts: Equatable, Sendable {
        public var family = ""
        public var given = ""
        public var additional = ""
        public var suffix = ""
        public var prefix = ""

        public init(family: String = "", given: String = "", additional: String = "", suffix: String = "", prefix: String = "") {
            self.family = family; self.given = given; self.additional = additional; self.suffix = suffix; self.prefix = prefix
        }
    }

    /// What follows a comma (or ends a name of three words or more) as a
    /// name's suffix rather than a given or family name.
    static let suffixes: Set<String> = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d.", "esq", "esq.",
                                        "sen.", "jun.", "d.j.", "d.ä."]

    /// Titles written before a name (in lower case).
    static let prefixes: Set<String> = ["dr.", "dr", "prof.", "prof", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "mx.", "mx",
                                        "herr", "frau", "sir", "dame", "mag.", "ing.", "dipl.-ing.", "dott.", "sr.", "sra.",
                                        "m.", "mme", "mme.", "mlle"]

    public static func split(_ name: String) -> Parts {
        var trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var suffix = ""
        if let comma = trimmed.lastIndex(of: ","),
           suffixes.contains(trimmed[trimmed.index(after: comma)...].trimmingCharacters(in: .whitespaces).lowercased()) {
            suffix = trimmed[trimmed.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            trimmed = trimmed[..<comma].trimmingCharacters(in: .whitespaces)
        }
        var prefix: [String] = []
        if !trimmed.contains(",") {
            var words = trimmed.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            if suffix.isEmpty, words.count >= 3, let last = words.last, suffixes.contains(last.lowercased()) {
                suffix = last
                words.removeLast()
            }
            // Titles before the name, as long as a word of it is left.
            while words.count - prefix.count > 1, prefixes.contains(words[prefix.count].lowercased()) { prefix.append(words[prefix.count]) }
            words.removeFirst(prefix.count)
            trimmed = words.joined(separator: " ")
            // "Dr. Müller": a title and one word is a family name.
            if !prefix.isEmpty, words.count == 1 {
                return Parts(family: trimmed, suffix: suffix, prefix: prefix.joined(separator: " "))
            }
        }
        var parts = splitWithoutSuffix(trimmed)
        parts.suffix = suffix
        parts.prefix = prefix.joined(separator: " ")
        return parts
    }

    static func splitWithoutSuffix(_ trimmed: String) -> Parts {
        if let comma = trimmed.firstIndex(of: ",") {
            let family = trimmed[..<comma].trimmingCharacters(in: .whitespaces)
            let given = trimmed[trimmed.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            if !family.isEmpty && !given.isEmpty { return Parts(family: family, given: given) }
        }
        let words = trimmed.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        if words.count == 1, let only = words.first {
            if only.count >= 2, only.count <= 4, only.unicodeScalars.allSatisfy(isHan) {
                return Parts(family: String(only.prefix(1)), given: String(only.dropFirst()))
            }
            return Parts(given: only)
        }
        guard words.count >= 2 else { return Parts() }
        // "田中 花子", "王 小明", "김 민준": East Asian names are written
        // family name first, with or without the space.
        if words.count == 2, words.allSatisfy({ $0.unicodeScalars.allSatisfy(isEastAsian) }) {
            return Parts(family: words[0], given: words[1])
        }
        var familyStart = words.count - 1
        while familyStart > 1, let first = words[familyStart - 1].first, first.isLowercase { familyStart -= 1 }
        return Parts(family: words[familyStart...].joined(separator: " "), given: words[0],
                     additional: words[1..<familyStart].joined(separator: " "))
    }

    /// Han, kana or Hangul: the scripts of names written family name first.
    static func isEastAsian(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0xAC00...0xD7AF, 0x1100...0x11FF: true
        default: isHan(s)
        }
    }

    static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: true
        default: false
        }
    }
}
