import Foundation

/// The items of a list typed into one field ("vip, Messe, 2025"). A comma
/// of any script separates: the Latin `,`, the Arabic and Persian `،`
/// (U+060C), the full-width `，` (U+FF0C) and the ideographic `、` (U+3001).
/// A Persian keyboard types `،` for a comma, and tags typed with it were
/// saved as one tag without a word (QA 45 FA #3).
public enum ListText {
    public static let separators: Set<Character> = [",", "\u{060C}", "\u{FF0C}", "\u{3001}"]

    /// The pieces between separators, as typed (not trimmed, empty ones kept out).
    public static func pieces(_ text: String) -> [Substring] {
        text.split(whereSeparator: { separators.contains($0) })
    }

    /// The items, trimmed, empty ones left out.
    public static func items(_ text: String) -> [String] {
        pieces(text).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
