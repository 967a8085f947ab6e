import Foundation

/// How tags typed by a person become the tags stored: one per name whatever
/// the case of its letters (schema 78 on SQLite; PostgreSQL's unique index
/// on lower(name)).
public enum TagName {
    /// Every letter lowered one for one, as PostgreSQL's lower() does: a
    /// dotted capital İ is i (Swift's lowercased() writes i and a combining
    /// dot, so "İstanbul" and "istanbul" were two tags on a file and one on
    /// a server: QA 35 #1), after a decomposed accent is composed. Nothing
    /// else: on ASCII text it is A–Z lowered, as crm_tag_key's fast path.
    public static func key(_ name: String) -> String {
        name.precomposedStringWithCanonicalMapping.replacingOccurrences(of: "\u{0130}", with: "i").lowercased()
    }

    /// The text a typed tag is kept as: trimmed, its accents composed (a
    /// decomposed "über" is the tag Über, not a look-alike: QA 35 #4).
    public static func stored(_ typed: String) -> String {
        typed.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping
    }

    /// The tags of a list as they are stored, in the order typed: empty ones
    /// dropped, and of several that key alike the first one typed (not one
    /// at random: QA 35 #2).
    public static func unique(_ typed: [String]) -> [String] {
        var seen = Set<String>()
        return typed.map(stored).filter { !$0.isEmpty && seen.insert(key($0)).inserted }
    }
}
