import CRMCore
import CRMRepositories
import Foundation

/// Each contact's live interactions in the 365 days before a time, from the
/// stored window of schema 40 (`contact_year_interactions`) plus what
/// changed between the window's end and that time (InteractionYearWindow):
/// the two slices are read from interactions_by_time, a day or so of
/// interactions when the last writer that opened the file moved the window
/// to its day; so the figure is the same count as reading every customer's
/// interactions, at a fraction of the work.
enum CustomerYearInteractions {
    static let year = InteractionYearWindow.year
    static func slices(asOf: Int64, now: Int64) -> (lo: Int64, hi: Int64, sign: Int64)? {
        InteractionYearWindow.slices(asOf: asOf, now: now)
    }

    /// Whether the file has the stored window (schema 40); a file read as
    /// it is at an older schema counts from the interactions.
    static func isStored(_ c: Connection) -> Bool {
        (try? c.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'contact_year_window'")) == 1
    }

    /// The window's end, nil on an older file.
    static func asOf(_ c: Connection) throws -> Int64? {
        guard isStored(c) else { return nil }
        return try c.scalar("SELECT as_of FROM contact_year_window WHERE id = 1")
    }

    /// The per-contact corrections of `slices` (?1 lo, ?2 hi, ?3 sign,
    /// ?4 the year): two ranges of interactions_by_time, grouped by contact.
    static let correctionsSQL = """
        SELECT contact_id, sum(delta) AS delta FROM (
            SELECT i.contact_id, ?3 AS delta FROM interactions i INDEXED BY interactions_by_time
            WHERE i.deleted_at IS NULL AND i.kind <> 'stage' AND i.occurred_at >= ?1 AND i.occurred_at < ?2 AND i.contact_id IS NOT NULL
            UNION ALL
            SELECT i.contact_id, -?3 FROM interactions i INDEXED BY interactions_by_time
            WHERE i.deleted_at IS NULL AND i.kind <> 'stage' AND i.occurred_at >= ?1 - ?4 AND i.occurred_at < ?2 - ?4 AND i.contact_id IS NOT NULL)
        GROUP BY contact_id
        """

    /// Moves the window to the UTC day of `now` (a writer opening the
    /// file): the contacts with interactions in the slices passed are
    /// counted again for the new window, the rest keep their counts; a move
    /// of a year or more counts everyone again. One transaction.
    static func moveWindow(_ c: Connection, to now: Date) throws {
        guard let seen = try asOf(c) else { return }
        let target = InteractionYearWindow.dayStart(now.wholeSecondsSince1970)
        guard seen != target else { return }
        try c.transaction {
            guard let asOf = try c.scalar("SELECT as_of FROM contact_year_window WHERE id = 1"), asOf != target else { return }
            try c.execute("CREATE TEMP TABLE IF NOT EXISTS year_window_recount(contact_id INTEGER PRIMARY KEY)")
            try c.run("DELETE FROM temp.year_window_recount")
            if let slices = slices(asOf: asOf, now: target) {
                try c.run("INSERT OR IGNORE INTO temp.year_window_recount(contact_id) SELECT contact_id FROM (\(correctionsSQL))",
                          [slices.lo, slices.hi, 1, year])
            } else {
                try c.run("INSERT INTO temp.year_window_recount(contact_id) SELECT contact_id FROM contact_year_interactions")
                try c.run("""
                    INSERT OR IGNORE INTO temp.year_window_recount(contact_id)
                    SELECT DISTINCT i.contact_id FROM interactions i INDEXED BY interactions_by_time
                    WHERE i.deleted_at IS NULL AND i.kind <> 'stage' AND i.occurred_at >= ?1 - ?2 AND i.occurred_at < ?1 AND i.contact_id IS NOT NULL
                    """, [target, year])
            }
            try c.run("DELETE FROM contact_year_interactions WHERE contact_id IN (SELECT contact_id FROM temp.year_window_recount)")
            // Each one's range of interactions_by_contact in the new window.
            try c.run("""
                INSERT INTO contact_year_interactions(contact_id, interactions)
                SELECT r.contact_id, (SELECT count(*) FROM interactions i
                                      WHERE i.contact_id = r.contact_id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                                        AND i.occurred_at >= ?1 - ?2 AND i.occurred_at < ?1)
                FROM temp.year_window_recount r
                """, [target, year])
            try CustomerLifetimeKeys.moveDealsYear(c, from: asOf, to: target)
            try c.run("UPDATE contact_year_window SET as_of = ? WHERE id = 1", [target])
        }
    }
}
