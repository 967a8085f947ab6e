import CRMCore
import Foundation

/// Where the words of a search are in a text as it is shown, so that a row
/// can say which of its fields a search found and mark the words on screen.
///
/// It reads a query as the engines do (`ContactFilter.text`): every word is
/// folded (`SearchFold`: Arabic and Persian letter forms, joiners, digits of
/// every script; Latin case and accents) and found at the start of a word of
/// the text ("mül" marks "Mül" in "Müller", "كريمي" marks "کریمی"); a run of
/// CJK characters is found anywhere inside a CJK run ("秀英" in "李秀英");
/// the digits of a number typed as one are found among a phone number's
/// digits, across its spaces and dashes.
///
/// Ranges are of the text given, never of a folded copy, so the text shown
/// stays exactly as stored. Pure; costs a few microseconds for a short field.
public struct SearchHighlight: Sendable {
    /// The folded pieces a word of the text must start with (never empty strings).
    let prefixes: [[Unicode.Scalar]]
    /// The folded CJK runs that must occur inside the text.
    let runs: [[Unicode.Scalar]]
    /// The digits of a query typed as a phone number (at least two), else nil.
    public let digits: String?

    public init(_ query: String) {
        var prefixes: [[Unicode.Scalar]] = []
        var runs: [[Unicode.Scalar]] = []
        for word in query.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" }) {
            let folded = Self.fold(String(word))
            for segment in SearchFold.cjkSegments(folded) {
                if segment.cjk {
                    runs.append(segment.scalars)
                } else {
                    // A word such as "o'b" is the FTS phrase "o" "b": each piece.
                    prefixes += segment.scalars.split(whereSeparator: { !Self.isWordScalar($0) }).map(Array.init)
                }
            }
        }
        self.prefixes = prefixes
        self.runs = runs
        self.digits = Self.phoneDigits(query)
    }

    /// Whether nothing in the query can be marked.
    public var isEmpty: Bool { prefixes.isEmpty && runs.isEmpty && digits == nil }

    /// The ranges of `text` the query's words match, in order, not overlapping.
    public func ranges(in text: String) -> [Range<String.Index>] {
        guard !prefixes.isEmpty || !runs.isEmpty, !text.isEmpty else { return [] }
        // The text folded into one buffer, and each character with where its
        // folded scalars start there: a word is then a slice of the buffer
        // (a search's rows scan whole notes; an array per character was
        // most of the time of typing "call").
        var flat: [Unicode.Scalar] = []
        flat.reserveCapacity(text.utf8.count)
        var chars: [(range: Range<String.Index>, start: Int)] = []
        var i = text.startIndex
        while i < text.endIndex {
            let next = text.index(after: i)
            chars.append((i..<next, flat.count))
            Self.fold(text[i..<next], into: &flat)
            i = next
        }
        func end(_ k: Int) -> Int { k + 1 < chars.count ? chars[k + 1].start : flat.count }
        func isWordCharacter(_ k: Int) -> Bool { flat[chars[k].start..<end(k)].contains(where: Self.isWordScalar) }
        var marked = [Bool](repeating: false, count: chars.count)
        // Words: maximal runs of characters with a letter or digit.
        var start = 0
        while start < chars.count {
            guard isWordCharacter(start) else { start += 1; continue }
            var stop = start
            while stop < chars.count, isWordCharacter(stop) || chars[stop].start == end(stop) { stop += 1 }
            let word = flat[chars[start].start..<(stop < chars.count ? chars[stop].start : flat.count)]
            for prefix in prefixes where word.starts(with: prefix) {
                // Mark the characters that make up the prefix.
                var covered = 0
                var k = start
                while k < stop, covered < prefix.count {
                    covered += end(k) - chars[k].start
                    marked[k] = true
                    k += 1
                }
            }
            start = stop
        }
        // CJK runs anywhere.
        if !runs.isEmpty {
            let single = chars.indices.map { end($0) - chars[$0].start == 1 ? flat[chars[$0].start] : Unicode.Scalar(0) }
            for run in runs where run.count <= single.count {
                for s in 0...(single.count - run.count) where single[s..<(s + run.count)].elementsEqual(run) {
                    for k in s..<(s + run.count) { marked[k] = true }
                }
            }
        }
        return Self.spans(marked, chars.map(\.range))
    }

    /// The ranges of a phone number as typed that a digit query matched:
    /// the digits typed, or, when they were typed in another form than the
    /// number is stored (international against national), the part the two
    /// forms share. Empty when the query is no digit query.
    public func ranges(inPhone number: String) -> [Range<String.Index>] {
        guard let digits else { return [] }
        var positions: [String.Index] = []
        var stored = ""
        for index in number.indices {
            if let digit = Self.asciiDigit(number[index]) {
                positions.append(index)
                stored.append(digit)
            }
        }
        var candidates: [String] = []
        for typed in [digits] + (digits.hasPrefix("00") ? [String(digits.dropFirst(2))] : []) {
            candidates.append(typed)
            // International typed, national stored: the country code (1–3 digits) becomes the trunk 0.
            for k in 1...3 where typed.count > k + 3 { candidates.append("0" + typed.dropFirst(k)) }
        }
        // National typed (trunk 0), international stored.
        if digits.hasPrefix("0"), digits.count > 3 { candidates.append(String(digits.dropFirst())) }
        for candidate in candidates {
            guard let found = stored.range(of: candidate) else { continue }
            let first = stored.distance(from: stored.startIndex, to: found.lowerBound)
            let last = first + candidate.count - 1
            var marked = [Bool](repeating: false, count: number.count)
            let offsets = number.indices.enumerated().reduce(into: [String.Index: Int]()) { $0[$1.element] = $1.offset }
            for k in first...last { if let o = offsets[positions[k]] { marked[o] = true } }
            // The punctuation between two matched digits is part of the match.
            if let lo = marked.firstIndex(of: true), let hi = marked.lastIndex(of: true) {
                for o in lo...hi { marked[o] = true }
            }
            return Self.spans(marked, number.indices.map { $0..<number.index(after: $0) })
        }
        return []
    }

    /// Folded as search compares: `SearchFold`, then lower case without accents.
    static func fold<S: StringProtocol>(_ text: S) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        fold(text, into: &out)
        return out
    }

    /// `fold(text)` appended to `out`.
    static func fold<S: StringProtocol>(_ text: S, into out: inout [Unicode.Scalar]) {
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                out.append(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 0x20)! : scalar)
                continue
            }
            guard let folded = SearchFold.folded(scalar) else { continue }
            // Only Latin, Greek and Cyrillic letters have case or accents to
            // fold; Persian, Arabic, CJK and the rest stand as they are (and
            // skip Foundation's folding, the slow part: a long Persian note
            // is scanned in microseconds).
            guard Self.hasCaseOrAccents(folded) else { out.append(folded); continue }
            let plain = String(folded).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            out += plain.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
        }
    }

    static func hasCaseOrAccents(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00C0...0x052F, 0x1E00...0x1FFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFF21...0xFF5A: true
        default: scalar.properties.changesWhenCaseFolded
        }
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        SearchText.isTermScalar(scalar)
    }

    /// The digits of `text` when it is made only of digits and phone
    /// punctuation with at least two digits (as a digit search reads it).
    static func phoneDigits(_ text: String) -> String? {
        var digits = ""
        for character in text {
            if let digit = asciiDigit(character) {
                digits.append(digit)
            } else if !"+-()./ ".contains(character) {
                return nil
            }
        }
        return digits.count >= 2 ? digits : nil
    }

    static func asciiDigit(_ character: Character) -> Character? {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first,
              scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
              let digit = Int(exactly: value), (0...9).contains(digit) else { return nil }
        return Character(String(digit))
    }

    /// Consecutive marked characters as ranges.
    static func spans(_ marked: [Bool], _ ranges: [Range<String.Index>]) -> [Range<String.Index>] {
        var out: [Range<String.Index>] = []
        var k = 0
        while k < marked.count {
            guard marked[k] else { k += 1; continue }
            var end = k
            while end + 1 < marked.count, marked[end + 1] { end += 1 }
            out.append(ranges[k].lowerBound..<ranges[end].upperBound)
            k = end + 1
        }
        return out
    }
}
