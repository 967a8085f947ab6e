import CRMCore
import CRMRepositories
import Foundation

/// The search words of interactions (`interactions.search_words`, see
/// `PGSearchWords`), written whenever an interaction's text is: by the
/// repositories in Swift, and for rows copied in by SQL (a stage delete, a
/// move from SQLite) by `indexMissing`, which fills every row still without them.
public enum PGInteractionSearch {
    /// Logs a 'stage' interaction (a move, a close, a reopen), so it shows in
    /// the deal's, the contact's and the company's timelines, with its words.
    static func logStage(_ db: PostgresDatabase, contactID: Int64?, companyID: Int64?, dealID: Int64, subject: String, at now: Date) throws {
        let statement = logStageStatement(db, contactID: contactID, companyID: companyID, dealID: dealID, subject: subject, at: now)
        try db.connection.query(statement.sql, statement.params)
    }

    /// `logStage`'s statement, for a write that sends it with others in one round trip.
    static func logStageStatement(_ db: PostgresDatabase, contactID: Int64?, companyID: Int64?, dealID: Int64,
                                  subject: String, at now: Date) -> PGConnection.Pipelined {
        .numbered("""
            INSERT INTO interactions(contact_id, company_id, deal_id, kind, direction, occurred_at, subject, author_id, created_at,
                                     search_words)
            VALUES (?, ?, ?, 'stage', '', ?, ?, ?, ?, ?::tsvector)
            """, [contactID, companyID, dealID, now, subject, db.currentUser.storedID, now,
                  PGSearchWords.vector(subject, "", "")])
    }

    /// Gives every interaction without search words its words, a page at a
    /// time; returns how many rows it filled.
    @discardableResult
    public static func indexMissing(_ c: PGConnection) throws -> Int {
        var filled = 0
        // Each page starts after the last: inside the copy's one transaction
        // the rows filled earlier stay in the partial index as dead entries,
        // and a page read from the start would step over all of them again
        // (quadratic: a million copied interactions took most of an hour).
        var after: Int64 = 0
        while true {
            let rows = try c.rows("""
                SELECT id, subject, body, outcome FROM interactions WHERE search_words IS NULL AND id > ? ORDER BY id LIMIT 500
                """, [after]) { ($0.int64(0), $0.string(1), $0.string(2), $0.string(3)) }
            if rows.isEmpty { return filled }
            after = rows[rows.count - 1].0
            // One statement per 500 rows (a copy of a million interactions
            // is 2,000 round trips, not a million).
            try fill("interactions", ids: rows.map(\.0), words: rows.map { PGSearchWords.vector($0.1, $0.2, $0.3) }, c)
            filled += rows.count
        }
    }

    /// As `indexMissing`, for deals (title and lost reason).
    @discardableResult
    public static func indexMissingDeals(_ c: PGConnection) throws -> Int {
        var filled = 0
        var after: Int64 = 0
        while true {
            let rows = try c.rows("SELECT id, title, lost_reason FROM deals WHERE search_words IS NULL AND id > ? ORDER BY id LIMIT 500",
                                  [after]) { ($0.int64(0), $0.string(1), $0.string(2)) }
            if rows.isEmpty { return filled }
            after = rows[rows.count - 1].0
            try fill("deals", ids: rows.map(\.0), words: rows.map { PGSearchWords.vector($0.1, $0.2) }, c)
            filled += rows.count
        }
    }

    /// Sets `search_words` of the rows `ids` of `table` (our own constant
    /// name, never input) to `words`, both lists bound as one array each.
    private static func fill(_ table: String, ids: [Int64], words: [String], _ c: PGConnection) throws {
        try c.run("""
            UPDATE \(table) t SET search_words = v.words::tsvector
            FROM unnest(?::bigint[], ?::text[]) AS v(id, words) WHERE t.id = v.id
            """, [PGArrayLiteral.integers(ids), PGArrayLiteral.texts(words)])
    }
}
