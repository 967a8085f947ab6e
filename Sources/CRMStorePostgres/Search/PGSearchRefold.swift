import CRMRepositories
import Foundation

/// Builds again the search documents of the text that holds a combining
/// mark unicode61 keeps inside a word (U+0300–U+0331: a decomposed accent,
/// "Mu\u{308}ller"), after SearchWords stopped cutting such a word in two
/// (PostgreSQL step 77): contacts' and companies' documents are rewritten,
/// deals' and interactions' words cleared and filled again. Text without
/// such a mark (nearly all) builds the same document and is not read.
enum PGSearchRefold {
    /// A superset of the marks is harmless: a row read for nothing gets the
    /// document it had.
    static let marks = "[\u{0300}-\u{0331}]"

    static func run(_ c: PGConnection) throws {
        let m = marks
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
}
