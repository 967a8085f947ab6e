import Foundation

/// Shortcuts for text made of ASCII and Latin-1 letters only (scalars below
/// U+0100), which is most of what an import reads: Foundation's trimming,
/// folding and normalising go through NSString on Linux and cost more than
/// reading the row, which matters at a million rows. Each shortcut gives
/// exactly what the general code gives (a test compares them on every such
/// scalar) and anything else takes the general code.
enum Latin1Text {
    /// Whether every scalar is below U+0100 (no combining marks, no
    /// scripts whose folding depends on context).
    static func isLatin1(_ text: String) -> Bool {
        // UTF-8 of U+0080…U+00FF starts with 0xC2 or 0xC3.
        text.utf8.allSatisfy { $0 < 0x80 || $0 == 0xC2 || $0 == 0xC3 || ($0 >= 0x80 && $0 < 0xC0) }
    }

    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    /// `text.trimmingCharacters(in: set)` for the white-space sets, skipped
    /// when both ends are printable ASCII (no set trimmed here holds one).
    static func trimmed(_ text: String, _ set: CharacterSet) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return text
        }
        return text.trimmingCharacters(in: set)
    }

    /// `text.count <= limit` without counting characters when the bytes
    /// already say so (a character is at least one byte).
    static func fits(_ text: String, _ limit: Int) -> Bool {
        text.utf8.count <= limit || text.count <= limit
    }

    /// Whether `needle` (ASCII) occurs in `text`, byte by byte.
    static func contains(_ text: String, ascii needle: StaticString) -> Bool {
        let n = needle.utf8Start, count = needle.utf8CodeUnitCount
        var found = false
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count >= count else { return }
            for i in 0...(bytes.count - count) where bytes[i] == n[0] {
                var j = 1
                while j < count && bytes[i + j] == n[j] { j += 1 }
                if j == count { found = true; return }
            }
        } ?? { found = String(text).contains(String(describing: needle)) }()
        return found
    }

    /// The duplicate-key folding of one Latin-1 scalar (case, diacritics,
    /// width), as Foundation folds it, and whether each result scalar is a
    /// letter or digit: computed once per scalar by the general code.
    static let keyFolding: [(scalars: [Unicode.Scalar], word: [Bool])] = (0..<256).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        let folded = String(Character(scalar)).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        let scalars = Array(folded.unicodeScalars)
        return (scalars, scalars.map { $0.properties.isAlphabetic || $0.properties.numericType != nil })
    }

    /// `NameSortKey.appendPrimary` of one Latin-1 scalar, computed once.
    static let primaryLetters: [[Unicode.Scalar]] = (0..<256).map { value in
        var out = String.UnicodeScalarView()
        NameSortKey.appendPrimary(Unicode.Scalar(UInt8(value)), to: &out)
        return Array(out)
    }
}
