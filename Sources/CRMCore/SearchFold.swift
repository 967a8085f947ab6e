/// The one folding that search applies to stored text when it is indexed and
/// to a query before it is matched, so that the letter forms a Persian and an
/// Arabic keyboard type for the same name find each other:
///
/// - Arabic ي (U+064A), ى (U+0649) and ئ (U+0626) → Persian ی (U+06CC);
///   ك (U+0643) → ک (U+06A9); ة (U+0629) → ه (U+0647);
///   أ إ آ ٱ (U+0623, U+0625, U+0622, U+0671) → ا (U+0627); ؤ (U+0624) → و (U+0648);
/// - tatweel (U+0640), the harakat (U+064B–U+065F) and the superscript alef
///   (U+0670) removed;
/// - ZWNJ (U+200C) and ZWJ (U+200D) removed: "پیش‌فاکتور" is one word,
///   "پیشفاکتور", whether or not the keyboard put the non-joiner in;
/// - Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits → ASCII;
/// - ß (U+00DF) and ẞ (U+1E9E) → "ss", which FTS5 keeps as a letter of its
///   own: so "Weiss" finds "Weiß" and "straße" finds "Hauptstrasse", as the
///   name order sorts them;
/// - Cyrillic ё and Ё → е and Е (Russian writes either: "Пётр", "Петр");
/// - Greek letters with tonos or dialytika → the plain letter (ά → α,
///   ΐ → ι, Ώ → Ω), and final ς → σ: "Δημητρίου" is found by "δημητριου";
/// - the ligatures ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ (U+FB00–U+FB06) → their letters;
/// - a letter written as its base and a combining mark (и and U+0306) →
///   the letter (й), as `composed` says, since schema 79.
///
/// The ß to ligature folds since schema 77: FTS5's tokenizer folds only Latin
/// diacritics, where the PostgreSQL engine's documents (Foundation's case
/// and diacritic folding) always found these alike.
///
/// Latin case and diacritics are left to FTS5's `unicode61 remove_diacritics 2`
/// tokenizer, which folds both sides already. Only what search compares is
/// folded; the text shown is always the text stored.
///
/// Pure and total: every other scalar passes through unchanged, and folding
/// twice gives what folding once gave.
public enum SearchFold {
    public static func fold(_ text: String) -> String {
        let text = composed(text)
        // Most stored text (Latin names, notes) has nothing to fold.
        guard text.unicodeScalars.contains(where: { expanded($0) != nil || folded($0) != .some($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let letters = expanded(scalar) {
                out.append(contentsOf: letters.unicodeScalars)
            } else if let replacement = folded(scalar) {
                out.append(replacement)
            }
        }
        return String(out)
    }

    /// What the search index holds for stored `text`: `fold(text)`, followed,
    /// when a word has a ZWNJ or ZWJ in it, by that word's pieces between the
    /// joiners, folded. So "پیش‌فاکتور" is found by "پیش‌فاکتور", "پیشفاکتور",
    /// "پیش" and also "فاکتور", as before the joiner was folded away. Text
    /// without a joiner is indexed as `fold(text)` alone. Queries are folded
    /// with `fold`; this is only for the stored side.
    ///
    /// Since schema 10, text with CJK characters (Han, Kana, Hangul) also gets
    /// `cjkGrams` appended, so a query finds words inside a run of them.
    public static func indexed(_ text: String) -> String {
        let folded = fold(text)
        let grams = cjkGrams(folded)
        guard text.unicodeScalars.contains(where: isJoiner) else {
            return grams.isEmpty ? folded : folded + " " + grams
        }
        var pieces: [String] = []
        for word in text.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }) where word.contains(where: isJoiner) {
            for piece in word.split(whereSeparator: isJoiner) {
                pieces.append(fold(String(String.UnicodeScalarView(piece))))
            }
        }
        return folded + " " + pieces.joined(separator: " ") + (grams.isEmpty ? "" : " " + grams)
    }

    /// A CJK character: Han (with 々 〆 〇), Hiragana, Katakana (and the
    /// half-width forms), Hangul syllables and jamo. FTS5's unicode61
    /// tokenizer keeps a run of them, written without spaces, as one token,
    /// so only its beginning could be found by a prefix.
    @inline(__always)
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x11FF, 0x3005...0x3007, 0x3041...0x30FF, 0x3131...0x318F, 0x31F0...0x31FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF,
             0xFF66...0xFF9F, 0x20000...0x3FFFF:
            true
        default:
            false
        }
    }

    /// The extra words that make words inside CJK text searchable: for each
    /// run of CJK characters, its overlapping bigrams in order, then its
    /// single characters ("李秀英" → "李秀 秀英 李 秀 英"); and the pieces of a
    /// word that follow a CJK run ("公司abc" → "abc"). '' for text without
    /// CJK, so other text indexes nothing more. A query's CJK run of two or
    /// more characters is the phrase of its bigrams (adjacent here, in order,
    /// never across two runs); one character is its unigram (SearchQuery).
    public static func cjkGrams(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isCJK) else { return "" }
        var out: [String] = []
        for word in text.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }) where word.contains(where: isCJK) {
            for (index, segment) in cjkSegments(word).enumerated() {
                if segment.cjk {
                    let chars = Array(segment.scalars)
                    if chars.count >= 2 {
                        for i in 0..<(chars.count - 1) { out.append(String(String.UnicodeScalarView([chars[i], chars[i + 1]]))) }
                    }
                    out.append(contentsOf: chars.map { String($0) })
                } else if index > 0 {
                    out.append(String(String.UnicodeScalarView(segment.scalars)))
                }
            }
        }
        return out.joined(separator: " ")
    }

    /// `word` cut into maximal runs of CJK and of other scalars, in order.
    public static func cjkSegments<S: Collection>(_ word: S) -> [(cjk: Bool, scalars: [Unicode.Scalar])]
    where S.Element == Unicode.Scalar {
        var segments: [(cjk: Bool, scalars: [Unicode.Scalar])] = []
        for scalar in word {
            let cjk = isCJK(scalar)
            if let last = segments.last, last.cjk == cjk {
                segments[segments.count - 1].scalars.append(scalar)
            } else {
                segments.append((cjk, [scalar]))
            }
        }
        return segments
    }

    /// `text` with each character that holds a mark `composes` written as
    /// its composed letter (NFC, that character alone): й typed as и and
    /// U+0306, が as か and U+3099, 한 as three jamo (macOS file names, some
    /// keyboards and pastes write them so) is then the same word as the
    /// letter typed whole; FTS5 dropped the breve and kept и, cut a word at
    /// the kana mark, and kept the jamo apart. Only those characters: a
    /// Persian ه with U+0654 stays as it is (its mark is dropped from words,
    /// so "خانهٔ" is found by "خانه"). Since schema 79.
    public static func composed(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: composes) else { return text }
        var out = ""
        for character in text {
            if character.unicodeScalars.contains(where: composes) {
                out += String(character).precomposedStringWithCanonicalMapping
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// A mark that composes with the letter before it: the combining
    /// diacritics (U+0300–U+036F), the kana voicing marks (U+3099, U+309A)
    /// and the Hangul vowel and final jamo (U+1160–U+11FF).
    @inline(__always)
    public static func composes(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0300...0x036F, 0x3099...0x309A, 0x1160...0x11FF: true
        default: false
        }
    }

    /// The letters a scalar stands for where search compares, when it is
    /// more than one: ß and ẞ "ss", the Latin ligatures theirs.
    @inline(__always)
    static func expanded(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x00DF, 0x1E9E: "ss"
        case 0xFB00: "ff"
        case 0xFB01: "fi"
        case 0xFB02: "fl"
        case 0xFB03: "ffi"
        case 0xFB04: "ffl"
        case 0xFB05, 0xFB06: "st"
        default: nil
        }
    }

    /// Greek with tonos or dialytika and final sigma (U+0386–U+03CE), and
    /// Cyrillic Ё/ё: the plain letter.
    @inline(__always)
    static func foldedGreekOrCyrillic(_ v: UInt32) -> Unicode.Scalar? {
        switch v {
        case 0x0386: "\u{0391}"
        case 0x0388: "\u{0395}"
        case 0x0389: "\u{0397}"
        case 0x038A, 0x03AA: "\u{0399}"
        case 0x038C: "\u{039F}"
        case 0x038E, 0x03AB: "\u{03A5}"
        case 0x038F: "\u{03A9}"
        case 0x03AC: "\u{03B1}"
        case 0x03AD: "\u{03B5}"
        case 0x03AE: "\u{03B7}"
        case 0x0390, 0x03AF, 0x03CA: "\u{03B9}"
        case 0x03CC: "\u{03BF}"
        case 0x03B0, 0x03CD, 0x03CB: "\u{03C5}"
        case 0x03CE: "\u{03C9}"
        case 0x03C2: "\u{03C3}"
        case 0x0401: "\u{0415}"
        case 0x0451: "\u{0435}"
        default: nil
        }
    }

    static func isJoiner(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0x200C || scalar.value == 0x200D
    }

    /// What `scalar` folds to; nil when it is removed.
    @inline(__always)
    public static func folded(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let v = scalar.value
        // Below Greek (Latin is FTS5's to fold) nothing changes.
        if v < 0x0386 { return scalar }
        if v <= 0x0451 { return foldedGreekOrCyrillic(v) ?? scalar }
        // Everything else below Arabic and outside the joiners is left as it is.
        if v < 0x0622 || (v > 0x06F9 && v != 0x200C && v != 0x200D) { return scalar }
        switch v {
        case 0x064A, 0x0649, 0x0626: return "\u{06CC}"
        case 0x0643: return "\u{06A9}"
        case 0x0629: return "\u{0647}"
        case 0x0622, 0x0623, 0x0625, 0x0671: return "\u{0627}"
        case 0x0624: return "\u{0648}"
        case 0x0640, 0x064B...0x065F, 0x0670, 0x200C, 0x200D: return nil
        case 0x0660...0x0669: return Unicode.Scalar(0x30 + (v - 0x0660))
        case 0x06F0...0x06F9: return Unicode.Scalar(0x30 + (v - 0x06F0))
        default: return scalar
        }
    }
}
