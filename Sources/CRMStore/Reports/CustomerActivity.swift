import CRMRepositories
import Foundation

/// Each live customer's interactions (stage changes left out: schema 66) in
/// the two halves of the 90 days before a time, from the stored window of schema 55 (`customer_activity`,
/// SchemaV55CustomerActivity) plus what changed between the window's end
/// and that time (CustomerActivityWindow's three slices, read from
/// interactions_by_time): the same counts as reading every customer's
/// interactions, for the at-risk list.
enum CustomerActivity {
    /// The stored window's length and half (the list's 90 days).
    static let window = CustomerActivityWindow.window
    static let half = CustomerActivityWindow.half

    /// Whether the file has the stored counts (schema 55).
    static func isStored(_ c: Connection) -> Bool {
        (try? c.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'customer_activity_window'")) == 1
    }

    /// The window's end, nil on an older file.
    static func asOf(_ c: Connection) throws -> Int64? {
        guard isStored(c) else { return nil }
        return try c.scalar("SELECT as_of FROM customer_activity_window WHERE id = 1")
    }

    /// A contact's live interactions in the earlier / recent half of the
    /// window ending at `window`.as_of, as a scalar subquery (`id` the
    /// contact's id expression): one range of interactions_by_contact.
    static func earlierCount(_ id: String, window: String) -> String {
        """
        (SELECT count(*) FROM interactions i INDEXED BY interactions_by_contact
         WHERE i.contact_id = \(id) AND i.deleted_at IS NULL AND i.kind <> 'stage'
           AND i.occurred_at >= \(window).as_of - \(Self.window) AND i.occurred_at < \(window).as_of - \(half))
        """
    }

    static func recentCount(_ id: String, window: String) -> String {
        """
        (SELECT count(*) FROM interactions i INDEXED BY interactions_by_contact
         WHERE i.contact_id = \(id) AND i.deleted_at IS NULL AND i.kind <> 'stage'
           AND i.occurred_at >= \(window).as_of - \(half) AND i.occurred_at < \(window).as_of)
        """
    }

    /// Per contact, what the counts gain from the window's end to `now`
    /// (`de` earlier, `dr` recent), with parameters `first`…`first + 3`:
    /// lo, hi, sign (CustomerActivityWindow.slices) and the half. Three
    /// ranges of interactions_by_time: [lo, hi) enters the recent half,
    /// [lo − half, hi − half) moves from the recent to the earlier one,
    /// [lo − window, hi − window) leaves the earlier one.
    static func correctionsSQL(first: Int) -> String {
        let (lo, hi, sign, half) = ("?\(first)", "?\(first + 1)", "?\(first + 2)", "?\(first + 3)")
        func range(_ shift: String) -> String {
            """
            FROM interactions i INDEXED BY interactions_by_time
            WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
              AND i.occurred_at >= \(lo) - \(shift) AND i.occurred_at < \(hi) - \(shift)
            """
        }
        return """
            SELECT contact_id, sum(de) AS de, sum(dr) AS dr FROM (
                SELECT i.contact_id, 0 AS de, \(sign) AS dr \(range("0"))
                UNION ALL
                SELECT i.contact_id, \(sign), -\(sign) \(range(half))
                UNION ALL
                SELECT i.contact_id, -\(sign), 0 \(range("2 * \(half)")))
            GROUP BY contact_id
            """
    }

    /// Moves the window to the UTC day of `now` (a writer opening the
    /// file): the customers with interactions in the slices passed are
    /// counted again for the new window, the rest keep their counts; a move
    /// of half the window or more counts every customer again. One
    /// transaction.
    static func moveWindow(_ c: Connection, to now: Date) throws {
        guard let seen = try asOf(c) else { return }
        let target = InteractionYearWindow.dayStart(now.wholeSecondsSince1970)
        guard seen != target else { return }
        try c.transaction {
            guard let asOf = try c.scalar("SELECT as_of FROM customer_activity_window WHERE id = 1"), asOf != target else { return }
            try c.execute("CREATE TEMP TABLE IF NOT EXISTS activity_window_recount(contact_id INTEGER PRIMARY KEY)")
            try c.run("DELETE FROM temp.activity_window_recount")
            if let slices = CustomerActivityWindow.slices(asOf: asOf, now: target) {
                try c.run("""
                    INSERT OR IGNORE INTO temp.activity_window_recount(contact_id)
                    SELECT k.contact_id FROM (\(correctionsSQL(first: 1))) k
                    CROSS JOIN customer_activity a ON a.contact_id = k.contact_id
                    """, [slices.lo, slices.hi, slices.sign, half])
            } else {
                try c.run("INSERT INTO temp.activity_window_recount(contact_id) SELECT contact_id FROM customer_activity")
            }
            try c.run("UPDATE customer_activity_window SET as_of = ? WHERE id = 1", [target])
            try c.run("""
                UPDATE customer_activity
                SET earlier = (SELECT \(earlierCount("customer_activity.contact_id", window: "w")) FROM customer_activity_window w WHERE w.id = 1),
                    recent = (SELECT \(recentCount("customer_activity.contact_id", window: "w")) FROM customer_activity_window w WHERE w.id = 1)
                WHERE contact_id IN (SELECT contact_id FROM temp.activity_window_recount)
                """)
        }
    }

    /// Every live customer's row from nothing, as the step fills it: the
    /// from-scratch recount the contract tests compare the stored rows with.
    static let recountSQL = """
        SELECT c.id, c.owner_id, coalesce(c.last_interaction_at, c.created_at), c.cadence_days, c.value_tier,
               \(earlierCount("c.id", window: "w")), \(recentCount("c.id", window: "w"))
        FROM contacts c, customer_activity_window w
        WHERE w.id = 1 AND c.deleted_at IS NULL AND c.lifecycle = 'customer'
        ORDER BY c.id
        """
}
