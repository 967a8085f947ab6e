import CRMCore
import Foundation

/// Why a contact is in the results of a search, and where the list puts it:
/// best matches first (`Rank`), and the field that matched, so the row can
/// show it with the words marked (`SearchHighlight`).
public struct ContactMatch: Hashable, Sendable {
    /// The order of a search's results, best first. Every sort orders the
    /// contacts within a rank (name, last contact, newest); a search never
    /// mixes ranks, so the first rows are always the best matches.
    public enum Rank: Int, CaseIterable, Comparable, Sendable {
        /// The name is the query ("anna schmidt" → Anna Schmidt; letters
        /// folded as names sort: case, accents, Arabic ي/ك as Persian ی/ک).
        case exactName
        /// The name begins with the query ("ann", "anna sch").
        case namePrefix
        /// Every word of the query begins a word of the name, or a CJK run
        /// is inside it ("schmidt" → Anna Schmidt, "秀英" → 李秀英).
        case nameWords
        /// Found in another field: company, email, phone, title, tags,
        /// source or notes.
        case otherField

        public static func < (a: Rank, b: Rank) -> Bool { a.rawValue < b.rawValue }
    }

    /// The field a row shows as what matched.
    public enum Field: String, Hashable, Sendable {
        case name, company, email, phone, title, tag, source, note
    }

    public var rank: Rank
    /// Nil when no single field shows a word of the query (a search of
    /// several words spread over the name and other fields).
    public var field: Field?
    /// The field's text as stored (the email address, the whole note).
    public var text: String

    public init(rank: Rank, field: Field?, text: String) {
        self.rank = rank
        self.field = field
        self.text = text
    }

    /// The first field of a contact found by a search in another field than
    /// its name, in the order a person looks for it: the phone a digit
    /// search matched, then company, email, title, tags, source, notes.
    public static func otherField(_ highlight: SearchHighlight, company: String?, emails: [String], matchedPhone: String?,
                                  title: String, tags: [String], source: String, notes: String) -> ContactMatch {
        if let matchedPhone { return ContactMatch(rank: .otherField, field: .phone, text: matchedPhone) }
        let candidates: [(Field, String)] = [(.company, company ?? "")] + emails.map { (.email, $0) }
            + [(.title, title)] + tags.map { (.tag, $0) } + [(.source, source), (.note, notes)]
        // The field most of what was typed is in (QA 44: an address typed
        // whole showed the company, whose name shares one word with it);
        // on a tie, the first in the order above.
        var best: (field: Field, text: String, covered: Int)?
        for (field, text) in candidates where !text.isEmpty {
            let covered = highlight.ranges(in: text).reduce(0) { $0 + text[$1].count }
            if covered > 0, covered > best?.covered ?? 0 { best = (field, text, covered) }
        }
        if let best { return ContactMatch(rank: .otherField, field: best.field, text: best.text) }
        return ContactMatch(rank: .otherField, field: nil, text: "")
    }
}
