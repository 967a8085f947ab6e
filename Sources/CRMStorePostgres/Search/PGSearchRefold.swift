import CRMCore
import CRMRepositories
import Foundation

/// Builds again the search documents of the text whose words this crm cuts
/// or folds differently from a crm before PostgreSQL step 77, now that
/// SearchWords follows FTS5's unicode61 closer: a combining mark it keeps
/// inside a word (U+0300–U+0331: a decomposed accent, "Mu\u{308}ller") no
/// longer cuts the word in two, and accents are taken off Latin letters
/// only (Cyrillic й stays й, Japanese が stays が). Contacts' and companies'
/// documents are rewritten, deals' and interactions' words cleared and
/// filled again. Text without such a character builds the same document
/// and is not read.
enum PGSearchRefold {
    static func run(_ c: PGConnection) throws { try refold(c, matching: pattern()) }

    /// Step 79: the text holding a mark `SearchFold.composes` names (и and
    /// U+0306 is now searched as й), and the duplicate name keys of the
    /// names among it (kept in Swift's `DuplicateKey.name`, which folds them
    /// so too).
    static func composedLetters(_ c: PGConnection) throws {
        let m = "[\u{0300}-\u{036F}\u{3099}-\u{309A}\u{1160}-\u{11FF}]"
        try refold(c, matching: m)
        for table in ["contacts", "companies"] {
            let rows = try c.rows("SELECT id, name, name_key FROM \(table) WHERE name ~ ?", [m]) { ($0.int64(0), $0.string(1), $0.optionalString(2)) }
            for (id, name, key) in rows where DuplicateKey.name(name) != key {
                try c.run("UPDATE \(table) SET name_key = ? WHERE id = ?", [DuplicateKey.name(name), id])
            }
        }
    }

    /// Builds again the documents of every row with text matching the
    /// regular expression `m` (a bracket expression of characters).
    private static func refold(_ c: PGConnection, matching m: String) throws {
        let contacts = try c.rows("""
            SELECT c.id FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
            WHERE c.name ~ ? OR c.title ~ ? OR c.source ~ ? OR c.notes ~ ? OR co.name ~ ?
               OR EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id AND e.email ~ ?)
               OR EXISTS (SELECT 1 FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = c.id AND t.name ~ ?)
            """, [m, m, m, m, m, m, m]) { $0.int64(0) }
        try PGSearchDocument.refreshContacts(c, ids: contacts)
        let companies = try c.rows("SELECT id FROM companies WHERE name ~ ? OR domain ~ ? OR notes ~ ?", [m, m, m]) { $0.int64(0) }
        try PGSearchDocument.refreshCompanies(c, ids: companies)
        try c.run("UPDATE deals SET search_words = NULL WHERE title ~ ? OR lost_reason ~ ?", [m, m])
        try PGInteractionSearch.indexMissingDeals(c)
        try c.run("UPDATE interactions SET search_words = NULL WHERE subject ~ ? OR body ~ ? OR outcome ~ ?", [m, m, m])
        try PGInteractionSearch.indexMissing(c)
    }

    /// A bracket expression of every character a word of which this crm
    /// folds otherwise than the crm before: the in-word marks, and each
    /// letter above Latin whose fold changed (worked out here from the two
    /// foldings, not listed by hand), as ranges.
    static func pattern() -> String {
        var ranges: [ClosedRange<UInt32>] = [0x0300...0x0331]
        for value in UInt32(0x0250)...0x1_FFFF {
            guard let scalar = Unicode.Scalar(value), SearchWords.isTokenScalar(scalar) else { continue }
            let letter = String(scalar)
            guard legacyNormalized(letter) != SearchWords.normalized(letter[...]) else { continue }
            if let last = ranges.last, last.upperBound + 1 == value {
                ranges[ranges.count - 1] = last.lowerBound...value
            } else {
                ranges.append(value...value)
            }
        }
        return "[" + ranges.map { range in
            let from = String(Unicode.Scalar(range.lowerBound)!), to = String(Unicode.Scalar(range.upperBound)!)
            return range.count == 1 ? from : from + "-" + to
        }.joined() + "]"
    }

    /// How a word was folded before step 77: Foundation's case and
    /// diacritic folding of the whole word.
    static func legacyNormalized(_ word: String) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
