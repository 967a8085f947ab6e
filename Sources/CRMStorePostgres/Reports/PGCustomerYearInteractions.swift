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
    /// everyone again. One transaction; its lock on the window's table waits
    /// for the writers counting into the old window and makes the new ones
    /// wait for the new window.
    static func moveWindow(_ c: PGConnection, to now: Date) throws {
        let target = InteractionYearWindow.dayStart(now.wholeSecondsSince1970)
        guard let seen = try asOf(c), seen != target else { return }
        try c.transaction {
            // Writers that counted into the window hold its table's ACCESS
            // SHARE lock until they commit (PGSchemaV40CustomerYearInteractions):
            // wait for them a little, not for as long as a forgotten transaction.
            try c.run("SET LOCAL lock_timeout = '2s'")
            try c.run("LOCK TABLE contact_year_window IN ACCESS EXCLUSIVE MODE")
            guard let asOf = try c.integer("SELECT as_of FROM contact_year_window WHERE id = 1"), asOf != target else { return }
            let year = InteractionYearWindow.year
            let recount: String
            var values: [any PGBindable] = [target, year]
            if let slices = InteractionYearWindow.slices(asOf: asOf, now: target) {
                recount = """
                    SELECT DISTINCT i.contact_id FROM interactions i
                    WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
                      AND ((i.occurred_at >= $3::bigint AND i.occurred_at < $4::bigint)
                           OR (i.occurred_at >= $3::bigint - $2::bigint AND i.occurred_at < $4::bigint - $2::bigint))
                    """
                values += [slices.lo, slices.hi]
            } else {
                recount = """
                    SELECT contact_id FROM contact_year_interactions
                    UNION SELECT i.contact_id FROM interactions i
                    WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
                      AND i.occurred_at >= $1::bigint - $2::bigint AND i.occurred_at < $1::bigint
                    """
            }
            // The counts' rows made below lock their contacts NOWAIT (schema
            // 69's key rows): a writer holding one may wait for this table.
            try c.run("SELECT set_config('crm.window_move', 'on', true)")
            // Each one's range of interactions_by_contact in the new window,
            // written over its old count.
            _ = try c.execute("""
                WITH recount AS MATERIALIZED (\(recount))
                INSERT INTO contact_year_interactions(contact_id, interactions)
                SELECT r.contact_id, (SELECT count(*) FROM interactions i
                                      WHERE i.contact_id = r.contact_id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                                        AND i.occurred_at >= $1::bigint - $2::bigint AND i.occurred_at < $1::bigint)
                FROM recount r
                ON CONFLICT (contact_id) DO UPDATE SET interactions = excluded.interactions
                """, values)
            try c.run("UPDATE contact_year_window SET as_of = ?::bigint WHERE id = 1", [target])
            // The stored won values' deals of the window (schema 69) of the
            // customers given value by the deals closed in the slices passed
            // (or of everyone), counted again for the new end.
            if try c.scalar("SELECT to_regproc('crm_customer_won_values_move_year') IS NOT NULL") == "t" {
                let slices = InteractionYearWindow.slices(asOf: asOf, now: target)
                try c.run("SELECT crm_customer_won_values_move_year(?::bigint, ?::bigint)", [slices?.lo, slices?.hi])
            }
        }
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
