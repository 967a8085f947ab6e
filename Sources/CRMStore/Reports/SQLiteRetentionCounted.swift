import CRMCore
import CRMRepositories
import Foundation

/// Retention on a file older than schema 68 (read without upgrading it, as
/// a read-only command does): each contact that changed since the start is
/// looked up in the history, without the stored spans SQLiteRetentionReport
/// reads.
extension SQLiteCustomerReportRepository {
    func countedRetention(_ filter: ReportFilter) throws -> RetentionFigures {
        // Each candidate's states (retentionStates), its ids in order per pair.
        let groups = try c.rows("""
            \(Self.retentionStates)
            SELECT at_start, at_end, group_concat(id) FROM (SELECT * FROM states ORDER BY id)
            WHERE at_start OR at_end GROUP BY at_start, at_end
            """, [filter.start, min(filter.end, filter.now), owners(filter)]) { row in (row.int(0) == 1, row.int(1) == 1, Self.ids(row.optionalString(2))) }
        func ids(_ start: Bool, _ end: Bool) -> [Int64] { groups.first { $0.0 == start && $0.1 == end }?.2 ?? [] }
        return RetentionFigures(atStart: (ids(true, true) + ids(true, false)).sorted(), retained: ids(true, true),
                                lost: ids(true, false), gained: ids(false, true))
    }

    func countedRetentionCounts(_ filter: ReportFilter) throws -> RetentionCounts {
        return try c.first(Self.retentionCountsSQL, [filter.start, min(filter.end, filter.now), owners(filter)]) { row in
            RetentionCounts(atStart: row.int(0) + row.int(1), retained: row.int(0), lost: row.int(1), gained: row.int(2))
        } ?? RetentionCounts(atStart: 0, retained: 0, lost: 0, gained: 0)
    }

    func countedRetentionCustomers(_ filter: ReportFilter, part: RetentionPart) throws -> [Int64] {
        return try c.first("""
            \(Self.retentionStates)
            SELECT group_concat(id) FROM (SELECT id FROM states WHERE \(Self.retentionCondition(part)) ORDER BY id)
            """, [filter.start, min(filter.end, filter.now), owners(filter)]) { Self.ids($0.optionalString(0)) } ?? []
    }

    /// Which of `states`' rows a row of retention lists.
    static func retentionCondition(_ part: RetentionPart) -> String {
        switch part {
        case .atStart: "at_start"
        case .retained: "at_start AND at_end"
        case .lost: "at_start AND NOT at_end"
        case .gained: "at_end AND NOT at_start"
        }
    }

    /// `candidate_states`: each candidate's (id, at_start, at_end), ?1 the
    /// start, ?2 the end (or now), ?3 the owners. A contact's lifecycle just
    /// before T: the `from` of its first change at or after T, else its
    /// lifecycle now. Candidates: today's customers and whoever changed
    /// lifecycle (or went to the trash) since the start. A customer of
    /// today with no change since the earlier of start and end (most of
    /// them) was one at both, if it existed then: its two states are its
    /// creation against start and end, read in one pass of the customers'
    /// covering index. Only the few that changed are looked up in the
    /// history (two look-ups each, where every customer took two).
    static let retentionCandidates = """
            WITH changed AS MATERIALIZED (
                SELECT DISTINCT contact_id FROM contact_lifecycle_history INDEXED BY contact_lifecycle_history_by_time
                WHERE changed_at >= min(?1, ?2)
            ),
            candidates AS (
                -- The live customers that changed, looked up by key (a
                -- walk of the customers' index asked each whether it changed).
                SELECT cu.id, cu.owner_id, cu.created_at, NULL AS deleted_at, 'customer' AS lifecycle
                FROM changed k CROSS JOIN contacts cu ON cu.id = k.contact_id
                WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                UNION
                SELECT id, owner_id, created_at, deleted_at, lifecycle FROM contacts
                WHERE id IN (SELECT contact_id FROM contact_lifecycle_history WHERE changed_at >= ?1
                             UNION SELECT id FROM contacts INDEXED BY contacts_in_trash WHERE deleted_at >= ?1)
            ),
            candidate_states AS (
                SELECT cu.id,
                       cu.created_at < ?1 AND (cu.deleted_at IS NULL OR cu.deleted_at >= ?1) AND coalesce(
                           (SELECT h.from_lifecycle FROM contact_lifecycle_history h WHERE h.contact_id = cu.id AND h.changed_at >= ?1
                            ORDER BY h.changed_at, h.id LIMIT 1), cu.lifecycle) = 'customer' AS at_start,
                       cu.created_at < ?2 AND (cu.deleted_at IS NULL OR cu.deleted_at >= ?2) AND coalesce(
                           (SELECT h.from_lifecycle FROM contact_lifecycle_history h WHERE h.contact_id = cu.id AND h.changed_at >= ?2
                            ORDER BY h.changed_at, h.id LIMIT 1), cu.lifecycle) = 'customer' AS at_end
                FROM candidates cu
                WHERE (?3 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?3)))
            )
            """

    /// `states`: `retentionCandidates`' states and those of the customers
    /// of today that did not change, from their creation.
    static let retentionStates = """
            \(retentionCandidates),
            states AS (
                SELECT * FROM candidate_states
                UNION ALL
                SELECT cu.id, cu.created_at < ?1, cu.created_at < ?2
                FROM contacts cu INDEXED BY contacts_customers_by_company
                WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer' AND cu.id NOT IN (SELECT contact_id FROM changed)
                  AND (?3 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?3)))
            )
            """

    /// Retention's counts (at the start and at the end, at the start only,
    /// at the end only): every customer of today counted from its creation
    /// (one pass of the customers' covering index comparing two times),
    /// less those of them that changed, plus the candidates' states (both
    /// a few rows, as in `states`). `states` asked each of the 35,000
    /// customers whether it changed and passed every row on to the sums.
    static let retentionCountsSQL = """
            \(retentionCandidates)
            SELECT a.kept - b.kept + c.kept, a.gone - b.gone + c.gone, a.came - b.came + c.came
            FROM (SELECT \(tally("cu.created_at < ?1", "cu.created_at < ?2"))
                  FROM contacts cu INDEXED BY contacts_customers_by_company
                  WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                    AND (?3 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?3)))) a,
                 (SELECT \(tally("cu.created_at < ?1", "cu.created_at < ?2"))
                  FROM changed k CROSS JOIN contacts cu ON cu.id = k.contact_id
                  WHERE cu.deleted_at IS NULL AND cu.lifecycle = 'customer'
                    AND (?3 IS NULL OR cu.owner_id IN (SELECT value FROM json_each(?3)))) b,
                 (SELECT \(tally("at_start", "at_end")) FROM (SELECT at_start, at_end FROM candidate_states LIMIT -1)) c
            """

    /// Counts of rows customers at the start and the end (`kept`), at the
    /// start only (`gone`) and at the end only (`came`). (The candidates'
    /// states are read through `LIMIT -1`, a co-routine, so each look-up
    /// of the history is made once, not once per count.)
    private static func tally(_ atStart: String, _ atEnd: String) -> String {
        """
        count(*) FILTER (WHERE \(atStart) AND \(atEnd)) AS kept, count(*) FILTER (WHERE \(atStart) AND NOT \(atEnd)) AS gone,
        count(*) FILTER (WHERE \(atEnd) AND NOT \(atStart)) AS came
        """
    }
}
