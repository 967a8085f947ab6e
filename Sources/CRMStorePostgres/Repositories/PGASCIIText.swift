import Foundation

/// SQLite compares text without case for ASCII letters only (`LIKE`,
/// `COLLATE NOCASE`): "nina" matches "Nina", but "ü" does not match "Ü".
/// PostgreSQL's `ILIKE` and `lower()` fold every letter, so these give the
/// engine SQLite's narrower rule, for the same rows on both engines.
enum PGASCIIText {
    /// SQLite's LIKE ignores the case of ASCII letters only ("ü" does not
    /// match "Ü"): the column with A–Z lowered, matched against a pattern
    /// lowered the same way, does exactly that.
    static func lower(_ column: String) -> String {
        "translate(\(column), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    /// "50%" → "%50\%%": what was typed matched literally, anywhere in the
    /// text (PostgreSQL's LIKE escapes with a backslash), ASCII lowered.
    static func likePattern(_ text: String) -> String {
        var escaped = ""
        for ch in text {
            if ch == "%" || ch == "_" || ch == "\\" { escaped.append("\\") }
            escaped.append(ch.isASCII ? Character(ch.lowercased()) : ch)
        }
        return "%\(escaped)%"
    }
}
