import CRMCore
import CRMRepositories
import Foundation

/// The Customers page's retention on SQLite: who was a customer just before
/// the start of the period, just before its end (or now), and both.
///
/// A contact's lifecycle just before T is the `from` of its first change at
/// or after T, else its lifecycle now; it counts if it existed then and was
/// not in the trash. Most customers did not change since the start: they
/// are counted from their creation time in one pass of the customers'
/// covering index. The few that did change are read from the
/// history's stored spans (schema 68, `moved`): each contact's first change
/// at or after the start is the one row of the period's index range with
/// `previous_at` before the start, and it holds the lifecycle at the start
/// (`from`), most often at the end too (`to`, when it is the contact's last
/// change before the end), its owner and its trash time. Only a contact that
/// changed twice in the period is looked up.
extension SQLiteCustomerReportRepository {
    public func retention(_ filter: ReportFilter) throws -> RetentionFigures {
        guard hasTiers else { return RetentionFigures(atStart: [], retained: [], lost: [], gained: []) }
        guard storesLifecycleSpans else { return try countedRetention(filter) }
        let values = Self.retentionParameters(filter, owners: owners(filter))
        // Today's customers by creation: before the start (kept unless they
        // moved), in the period (gained unless they moved).
        var before: [Int64] = [], during: [Int64] = []
        _ = try c.rows("""
            SELECT cu.created_at < ?1, group_concat(cu.id)
            FROM contacts cu INDEXED BY contacts_customers_by_company
            WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND cu.created_at < ?2 AND \(Self.ownedBy("cu.owner_id"))
            GROUP BY 1
            """, values) { row in
            if row.int(0) == 1 { before = ReportIDText.ids(row.optionalString(1), sorted: false) }
            else { during = ReportIDText.ids(row.optionalString(1), sorted: false) }
        }
        var tally = RetentionTally(createdBeforeStart: before, createdInPeriod: during)
        _ = try c.rows("\(Self.moved) SELECT id, at_start, at_end, counted FROM moved", values) { row in
            tally.moved(row.int64(0), atStart: row.int(1) == 1, atEnd: row.int(2) == 1, counted: RetentionTally.Counted(rawValue: row.int(3)))
        }
        return tally.figures
    }

    public func retentionCounts(_ filter: ReportFilter) throws -> RetentionCounts {
        guard hasTiers else { return RetentionCounts(atStart: 0, retained: 0, lost: 0, gained: 0) }
        guard storesLifecycleSpans else { return try countedRetentionCounts(filter) }
        return try c.first("""
            \(Self.moved)
            SELECT a.kept - m.counted_kept + m.kept, m.gone, a.came - m.counted_came + m.came
            FROM (SELECT count(*) FILTER (WHERE cu.created_at < ?1) AS kept, count(*) FILTER (WHERE cu.created_at >= ?1) AS came
                  FROM contacts cu INDEXED BY contacts_customers_by_company
                  WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND cu.created_at < ?2
                    AND \(Self.ownedBy("cu.owner_id"))) a,
                 (SELECT count(*) FILTER (WHERE at_start AND at_end) AS kept, count(*) FILTER (WHERE at_start AND NOT at_end) AS gone,
                         count(*) FILTER (WHERE at_end AND NOT at_start) AS came,
                         count(*) FILTER (WHERE counted = \(RetentionTally.Counted.kept.rawValue)) AS counted_kept,
                         count(*) FILTER (WHERE counted = \(RetentionTally.Counted.came.rawValue)) AS counted_came
                  FROM moved) m
            """, Self.retentionParameters(filter, owners: owners(filter))) { row in
            RetentionCounts(atStart: row.int(0) + row.int(1), retained: row.int(0), lost: row.int(1), gained: row.int(2))
        } ?? RetentionCounts(atStart: 0, retained: 0, lost: 0, gained: 0)
    }

    public func retentionCustomers(_ filter: ReportFilter, part: RetentionPart) throws -> [Int64] {
        guard hasTiers else { return [] }
        guard storesLifecycleSpans else { return try countedRetentionCustomers(filter, part: part) }
        return part.ids(try retention(filter))
    }

    /// Whether the history holds schema 68's spans (a file read without
    /// upgrading it may be older: SQLiteRetentionCounted).
    var storesLifecycleSpans: Bool { db.schemaVersion >= 68 }

    /// ?1 the start, ?2 the end (the end of the period, or now if sooner; a
    /// start after it is taken as it: both states are now's), ?3 the owners.
    static func retentionParameters(_ filter: ReportFilter, owners: SQLBindable) -> [SQLBindable] {
        let end = min(filter.end, filter.now)
        return [min(filter.start, end), end, owners]
    }

    private static func ownedBy(_ column: String) -> String {
        "(?3 IS NULL OR \(column) IN (SELECT value FROM json_each(?3)))"
    }

    /// The contact's lifecycle now, from its last change when `h` is it.
    private static func lifecycleNow(_ h: String) -> String {
        "CASE WHEN \(h).next_at IS NULL THEN \(h).to_lifecycle ELSE (SELECT c.lifecycle FROM contacts c WHERE c.id = \(h).contact_id) END"
    }

    /// `moved(id, at_start, at_end, counted)`: the states of every contact
    /// the pass over today's customers by creation time would count wrong.
    static let moved = """
        WITH moved(id, at_start, at_end, counted) AS (
            -- Created before the start and changed since: the first change
            -- at or after the start. At the end: the same `from` if that
            -- change is at or after the end; its `to` if the next one is (or
            -- there is none); else the contact's first change at or after
            -- the end, or its lifecycle now.
            SELECT h.contact_id,
                   h.from_lifecycle = 'customer' AND coalesce(h.contact_deleted_at >= ?1, 1),
                   CASE WHEN h.changed_at >= ?2 THEN h.from_lifecycle
                        WHEN h.next_at IS NULL OR h.next_at >= ?2 THEN h.to_lifecycle
                        ELSE coalesce((SELECT e.from_lifecycle FROM contact_lifecycle_history e
                                       WHERE e.contact_id = h.contact_id AND e.changed_at >= ?2 AND e.previous_at < ?2),
                                      (SELECT c.lifecycle FROM contacts c WHERE c.id = h.contact_id))
                   END = 'customer' AND coalesce(h.contact_deleted_at >= ?2, 1),
                   CASE WHEN h.contact_deleted_at IS NULL AND \(lifecycleNow("h")) = 'customer' THEN \(RetentionTally.Counted.kept.rawValue) ELSE 0 END
            FROM contact_lifecycle_history h INDEXED BY contact_lifecycle_history_by_time
            WHERE h.changed_at >= ?1 AND h.previous_at < ?1 AND \(ownedBy("h.contact_owner_id"))
            UNION ALL
            -- Created in the period and changed after its end: the first
            -- change at or after the end. (None when the end is now.)
            SELECT h.contact_id, 0, h.from_lifecycle = 'customer' AND coalesce(h.contact_deleted_at >= ?2, 1),
                   CASE WHEN h.contact_deleted_at IS NULL AND \(lifecycleNow("h")) = 'customer' THEN \(RetentionTally.Counted.came.rawValue) ELSE 0 END
            FROM contact_lifecycle_history h INDEXED BY contact_lifecycle_history_by_time
            WHERE h.changed_at >= ?2 AND h.previous_at < ?2 AND h.previous_at >= ?1 AND \(ownedBy("h.contact_owner_id"))
              AND NOT EXISTS (SELECT 1 FROM contact_lifecycle_history s
                              WHERE s.contact_id = h.contact_id AND s.changed_at >= ?1 AND s.previous_at < ?1)
            UNION ALL
            -- Put in the trash since the start, with neither of those
            -- changes: its lifecycle now throughout, from its creation.
            SELECT c.id, c.created_at < ?1 AND c.lifecycle = 'customer',
                   c.created_at < ?2 AND c.deleted_at >= ?2 AND c.lifecycle = 'customer', 0
            FROM contacts c INDEXED BY contacts_in_trash
            WHERE c.deleted_at >= ?1 AND \(ownedBy("c.owner_id"))
              AND NOT EXISTS (SELECT 1 FROM contact_lifecycle_history s
                              WHERE s.contact_id = c.id AND s.changed_at >= ?1
                                AND (s.previous_at < ?1 OR (s.changed_at >= ?2 AND s.previous_at < ?2)))
        )
        """
}
