/// How a name typed to pick a record (a pipeline, a stage: `--pipeline`,
/// the Reports `p` prompt) is matched: exactly, case ignored, when some
/// record is so named; else as names are compared everywhere else in the
/// program (`DuplicateKey.name`: accents, Arabic/Persian letter forms such
/// as ي/ی and ك/ک, joiners and spacing folded), so what a Persian or an
/// Arabic keyboard types, or a name typed without its accents, is found.
public enum NameMatch {
    public static func named<T>(_ text: String, in items: [T], _ name: (T) -> String) -> [T] {
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        let exact = items.filter { name($0).lowercased() == wanted }
        if !exact.isEmpty { return exact }
        let key = DuplicateKey.name(text)
        guard !key.isEmpty else { return [] }
        let folded = items.filter { DuplicateKey.name(name($0)) == key }
        if !folded.isEmpty { return folded }
        // A joiner typed where the name has a space ("فروش‌ویژه" for
        // "فروش ویژه") joins two words into one: compare without spaces.
        let compact = Self.compact(text)
        return items.filter { Self.compact(name($0)) == compact }
    }

    /// The key of `text` with its spaces taken out first (one word, in order).
    static func compact(_ text: String) -> String { DuplicateKey.name(String(text.filter { !$0.isWhitespace })) }
}
