import CRMCore
import CRMRepositories
import Foundation

/// Retention on PostgreSQL from the history's stored spans (schema 70), the
/// same way as SQLite's (SQLiteRetentionReport, which says how): today's
/// customers by creation time in one pass, and only the contacts that moved
/// since the start from one index range of the history. A database not yet
/// at step 70 keeps `retentionStates`.
extension PGCustomerReportRepository {
    /// Whether the history holds step 70's spans.
    var storesLifecycleSpans: Bool { db.schemaVersion >= 70 }

    /// $1 the start, $2 the end (the end of the period, or now if sooner; a
    /// start after it is taken as it), $3 the owners.
    static func spansParameters(_ filter: ReportFilter) -> [PGBindable] {
        let end = min(filter.end, filter.now)
        return [min(filter.start, end), end, owners(filter)]
    }

    func spansRetention(_ filter: ReportFilter) throws -> RetentionFigures {
        let values = Self.spansParameters(filter)
        var before: [Int64] = [], during: [Int64] = []
        for row in try c.query("""
            SELECT cu.created_at < $1::bigint, string_agg(cu.id::text, ',')
            FROM contacts cu
            WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND cu.created_at < $2::bigint AND \(Self.spansOwned("cu.owner_id"))
            GROUP BY 1
            """, values).rows {
            if row.bool(0) { before = PGReportSQL.ids(row.optionalString(1)) } else { during = PGReportSQL.ids(row.optionalString(1)) }
        }
        var tally = RetentionTally(createdBeforeStart: before, createdInPeriod: during)
        for row in try c.query("\(Self.moved) SELECT id, at_start, at_end, counted FROM moved", values).rows {
            tally.moved(row.int64(0), atStart: row.bool(1), atEnd: row.bool(2), counted: RetentionTally.Counted(rawValue: row.int(3)))
        }
        return tally.figures
    }

    func spansRetentionCounts(_ filter: ReportFilter) throws -> RetentionCounts {
        try c.query("""
            \(Self.moved)
            SELECT a.kept - m.counted_kept + m.kept, m.gone, a.came - m.counted_came + m.came
            FROM (SELECT count(*) FILTER (WHERE cu.created_at < $1::bigint) AS kept, count(*) FILTER (WHERE cu.created_at >= $1::bigint) AS came
                  FROM contacts cu
                  WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND cu.created_at < $2::bigint
                    AND \(Self.spansOwned("cu.owner_id"))) a,
                 (SELECT count(*) FILTER (WHERE at_start AND at_end) AS kept, count(*) FILTER (WHERE at_start AND NOT at_end) AS gone,
                         count(*) FILTER (WHERE at_end AND NOT at_start) AS came,
                         count(*) FILTER (WHERE counted = \(RetentionTally.Counted.kept.rawValue)) AS counted_kept,
                         count(*) FILTER (WHERE counted = \(RetentionTally.Counted.came.rawValue)) AS counted_came
                  FROM moved) m
            """, Self.spansParameters(filter)).rows.first.map { row in
            RetentionCounts(atStart: row.int(0) + row.int(1), retained: row.int(0), lost: row.int(1), gained: row.int(2))
        } ?? RetentionCounts(atStart: 0, retained: 0, lost: 0, gained: 0)
    }

    private static func spansOwned(_ column: String) -> String {
        "($3::bigint[] IS NULL OR \(column) = ANY($3::bigint[]))"
    }

    /// The contact's lifecycle now, from its last change when `h` is it.
    private static func lifecycleNow(_ h: String) -> String {
        "CASE WHEN \(h).next_at IS NULL THEN \(h).to_lifecycle ELSE (SELECT c.lifecycle FROM contacts c WHERE c.id = \(h).contact_id) END"
    }

    /// `moved(id, at_start, at_end, counted)`: as SQLite's `moved`.
    static let moved = """
        WITH moved(id, at_start, at_end, counted) AS (
            SELECT h.contact_id,
                   h.from_lifecycle = 'customer' AND coalesce(h.contact_deleted_at >= $1::bigint, true),
                   CASE WHEN h.changed_at >= $2::bigint THEN h.from_lifecycle
                        WHEN h.next_at IS NULL OR h.next_at >= $2::bigint THEN h.to_lifecycle
                        ELSE coalesce((SELECT e.from_lifecycle FROM contact_lifecycle_history e
                                       WHERE e.contact_id = h.contact_id AND e.changed_at >= $2::bigint AND e.previous_at < $2::bigint
                                       LIMIT 1),
                                      (SELECT c.lifecycle FROM contacts c WHERE c.id = h.contact_id))
                   END = 'customer' AND coalesce(h.contact_deleted_at >= $2::bigint, true),
                   CASE WHEN h.contact_deleted_at IS NULL AND \(lifecycleNow("h")) = 'customer'
                        THEN \(RetentionTally.Counted.kept.rawValue) ELSE 0 END
            FROM contact_lifecycle_history h
            WHERE h.changed_at >= $1::bigint AND h.previous_at < $1::bigint AND \(spansOwned("h.contact_owner_id"))
            UNION ALL
            SELECT h.contact_id, false, h.from_lifecycle = 'customer' AND coalesce(h.contact_deleted_at >= $2::bigint, true),
                   CASE WHEN h.contact_deleted_at IS NULL AND \(lifecycleNow("h")) = 'customer'
                        THEN \(RetentionTally.Counted.came.rawValue) ELSE 0 END
            FROM contact_lifecycle_history h
            WHERE h.changed_at >= $2::bigint AND h.previous_at < $2::bigint AND h.previous_at >= $1::bigint
              AND \(spansOwned("h.contact_owner_id"))
              AND NOT EXISTS (SELECT 1 FROM contact_lifecycle_history s
                              WHERE s.contact_id = h.contact_id AND s.changed_at >= $1::bigint AND s.previous_at < $1::bigint)
            UNION ALL
            SELECT c.id, c.created_at < $1::bigint AND c.lifecycle = 'customer',
                   c.created_at < $2::bigint AND c.deleted_at >= $2::bigint AND c.lifecycle = 'customer', 0
            FROM contacts c
            WHERE c.deleted_at >= $1::bigint AND \(spansOwned("c.owner_id"))
              AND NOT EXISTS (SELECT 1 FROM contact_lifecycle_history s
                              WHERE s.contact_id = c.id AND s.changed_at >= $1::bigint
                                AND (s.previous_at < $1::bigint OR (s.changed_at >= $2::bigint AND s.previous_at < $2::bigint)))
        )
        """
}
