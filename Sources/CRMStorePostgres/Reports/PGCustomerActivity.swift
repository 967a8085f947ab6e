import CRMRepositories
import Foundation

/// The at-risk list's stored activity window of schema 55 on PostgreSQL
/// (PGSchemaV55CustomerActivity), as SQLite's CustomerActivity: the
/// window's end, the corrections to a report's now, moving the window to a
/// writer's day when it opens the database, and a recount from nothing.
enum PGCustomerActivity {
    static let window = CustomerActivityWindow.window
    static let half = CustomerActivityWindow.half

    /// The window's end (as_of); nil before schema 55.
    static func asOf(_ c: PGConnection) throws -> Int64? {
        guard try c.scalar("SELECT to_regclass('customer_activity_window') IS NOT NULL") == "t" else { return nil }
        return try c.integer("SELECT as_of FROM customer_activity_window WHERE id = 1")
    }

    /// Per contact, what the counts gain from the window's end to now (`de`
    /// earlier, `dr` recent), with parameters $first…$first+3: lo, hi, sign
    /// (CustomerActivityWindow.slices) and the half; three ranges of
    /// interactions_by_time, as CustomerActivity.correctionsSQL.
    static func correctionsSQL(first: Int) -> String {
        let (lo, hi, sign, half) = ("$\(first)::bigint", "$\(first + 1)::bigint", "$\(first + 2)::bigint", "$\(first + 3)::bigint")
        func range(_ shift: String) -> String {
            """
            FROM interactions i
            WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
              AND i.occurred_at >= \(lo) - \(shift) AND i.occurred_at < \(hi) - \(shift)
            """
        }
        return """
            SELECT contact_id, sum(de)::bigint AS de, sum(dr)::bigint AS dr FROM (
                SELECT i.contact_id, 0::bigint AS de, \(sign) AS dr \(range("0"))
                UNION ALL
                SELECT i.contact_id, \(sign), -\(sign) \(range(half))
                UNION ALL
                SELECT i.contact_id, -\(sign), 0::bigint \(range("2 * \(half)"))) s
            GROUP BY contact_id
            """
    }

    /// A row's two counts for the window ending at `w`.as_of (`id` the
    /// contact's id expression), as a SET list.
    static func recount(_ id: String) -> String {
        """
        earlier = (SELECT count(*) FROM interactions i WHERE i.contact_id = \(id) AND i.deleted_at IS NULL AND i.kind <> 'stage'
                     AND i.occurred_at >= w.as_of - \(window) AND i.occurred_at < w.as_of - \(half)),
        recent = (SELECT count(*) FROM interactions i WHERE i.contact_id = \(id) AND i.deleted_at IS NULL AND i.kind <> 'stage'
                    AND i.occurred_at >= w.as_of - \(half) AND i.occurred_at < w.as_of)
        """
    }

    /// Moves the window to the UTC day of `now`: the customers with
    /// interactions in the slices passed are counted again, the rest keep
    /// their counts; a move of half the window or more counts every customer
    /// again. One transaction, in the database's function (schema 76: a
    /// user's role may not write the counts); its lock on the window's table
    /// waits for the writers counting into the old window and makes the new
    /// ones wait.
    static func moveWindow(_ c: PGConnection, to now: Date) throws {
        let target = InteractionYearWindow.dayStart(now.wholeSecondsSince1970)
        guard let seen = try asOf(c), seen != target else { return }
        try c.transaction {
            try c.run("SET LOCAL lock_timeout = '2s'")
            try c.run("SELECT crm_customer_activity_window_move(?::bigint)", [target])
        }
    }

    /// The move's recount, run by `crm_customer_activity_window_move` after
    /// it stored the new end: with `slices` ($1…$4: lo, hi, sign, half) the
    /// customers with interactions in them, else every customer.
    static func moveSQL(slices: Bool) -> String {
        slices ? """
            WITH moved AS MATERIALIZED (\(correctionsSQL(first: 1)))
            UPDATE customer_activity a SET \(recount("a.contact_id"))
            FROM customer_activity_window w WHERE w.id = 1 AND a.contact_id IN (SELECT contact_id FROM moved)
            """ : """
            UPDATE customer_activity a SET \(recount("a.contact_id"))
            FROM customer_activity_window w WHERE w.id = 1
            """
    }

    /// Every live customer's row from nothing (after a copy loaded with the
    /// interaction trigger off: PGSnapshotStore).
    static func recountAll(_ c: PGConnection) throws {
        try c.run("DELETE FROM customer_activity")
        try c.run("""
            INSERT INTO customer_activity(contact_id, owner_id, touch, cadence_days, value_tier, earlier, recent)
            SELECT c.id, c.owner_id, coalesce(c.last_interaction_at, c.created_at), c.cadence_days, c.value_tier,
                   count(i.id) FILTER (WHERE i.occurred_at < w.as_of - 3888000), count(i.id) FILTER (WHERE i.occurred_at >= w.as_of - 3888000)
            FROM contacts c CROSS JOIN customer_activity_window w
            LEFT JOIN interactions i ON i.contact_id = c.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                                    AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of
            WHERE w.id = 1 AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
            GROUP BY c.id, w.as_of
            """)
    }

    /// Every live customer's row as the stored one should be, in id order:
    /// the from-scratch recount the contract tests compare with.
    static let recountSQL = """
        SELECT c.id, c.owner_id, coalesce(c.last_interaction_at, c.created_at), c.cadence_days, c.value_tier,
               count(i.id) FILTER (WHERE i.occurred_at < w.as_of - 3888000), count(i.id) FILTER (WHERE i.occurred_at >= w.as_of - 3888000)
        FROM contacts c CROSS JOIN customer_activity_window w
        LEFT JOIN interactions i ON i.contact_id = c.id AND i.deleted_at IS NULL AND i.kind <> 'stage'
                                AND i.occurred_at >= w.as_of - 7776000 AND i.occurred_at < w.as_of
        WHERE w.id = 1 AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
        GROUP BY c.id, w.as_of ORDER BY c.id
        """
}
