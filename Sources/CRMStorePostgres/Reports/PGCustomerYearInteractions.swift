import CRMRepositories
import Foundation

/// The stored interaction window of schema 40 on PostgreSQL
/// (PGSchemaV40CustomerYearInteractions), as SQLite's
/// CustomerYearInteractions: the window's end, and moving it to a writer's
/// day when it opens the database.
enum PGCustomerYearInteractions {
    /// The window's end (as_of).
    static func asOf(_ c: PGConnection) throws -> Int64? {
        try c.integer("SELECT as_of FROM contact_year_window WHERE id = 1")
    }

    /// Moves the window to the UTC day of `now`: the contacts with
    /// interactions in the slices passed are counted again for the new
    /// window, the rest keep their counts; a move of a year or more counts
    /// everyone again. One transaction, in the database's function (schema
    /// 76: a user's role may not write the counts); its lock on the
    /// window's table waits for the writers counting into the old window
    /// and makes the new ones wait for the new window.
    static func moveWindow(_ c: PGConnection, to now: Date) throws {
        let target = InteractionYearWindow.dayStart(now.wholeSecondsSince1970)
        guard let seen = try asOf(c), seen != target else { return }
        try c.transaction {
            // Writers that counted into the window hold its table's ACCESS
            // SHARE lock until they commit (PGSchemaV40CustomerYearInteractions):
            // wait for them a little, not for as long as a forgotten transaction.
            try c.run("SET LOCAL lock_timeout = '2s'")
            try c.run("SELECT crm_contact_year_window_move(?::bigint)", [target])
        }
    }

    /// The move's recount (run by `crm_contact_year_window_move` with $1 the
    /// new end, $2 the year, and with `slices` $3, $4 the slices' bounds):
    /// each contact with interactions in the slices (or, without, every
    /// contact counted now or in the new window) gets its range of
    /// interactions_by_contact in the new window, written over its old count.
    static func recountSQL(slices: Bool) -> String {
        let recount = slices ? """
            SELECT DISTINCT i.contact_id FROM interactions i
            WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
              AND ((i.occurred_at >= $3::bigint AND i.occurred_at < $4::bigint)
                   OR (i.occurred_at >= $3::bigint - $2::bigint AND i.occurred_at < $4::bigint - $2::bigint))
            """ : """
            SELECT contact_id FROM contact_year_interactions
            UNION SELECT i.contact_id FROM interactions i
            WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
              AND i.occurred_at >= $1::bigint - $2::bigint AND i.occurred_at < $1::bigint
            """
        return """
            WITH recount AS MATERIALIZED (\(recount))
            INSERT INTO contact_year_interactions(contact_id, interactions)
            SELECT r.contact_id, (SELECT count(*) FROM interactions i
                                  WHERE i.contact_id = r.contact_id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                                    AND i.occurred_at >= $1::bigint - $2::bigint AND i.occurred_at < $1::bigint)
            FROM recount r
            ON CONFLICT (contact_id) DO UPDATE SET interactions = excluded.interactions
            """
    }

    /// Every contact's count for the window, from nothing (after a copy
    /// loaded with the insert trigger off: PGSnapshotStore).
    static func recountAll(_ c: PGConnection) throws {
        try c.run("DELETE FROM contact_year_interactions")
        try c.run("""
            INSERT INTO contact_year_interactions(contact_id, interactions)
            SELECT i.contact_id, count(*) FROM interactions i, contact_year_window w
            WHERE w.id = 1 AND i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
              AND i.occurred_at >= w.as_of - 31536000 AND i.occurred_at < w.as_of
            GROUP BY i.contact_id
            """)
    }
}
