import CRMCore
import CRMRepositories
import Foundation

/// The "People" page's figures on PostgreSQL, per user, each one grouped
/// query over an index; the same meaning as SQLitePeopleReport.
public final class PGPeopleReport: PeopleReportRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    public func deals(_ filter: ReportFilter, users: [Int64], withIDs: Bool) throws -> [Int64: PersonDeals] {
        guard !users.isEmpty else { return [:] }
        let where_ = PGReportConditions(filter, owners: users)
        var result: [Int64: PersonDeals] = [:]
        _ = try c.rows("""
            SELECT d.owner_id, d.status, d.currency, count(*), sum(d.value_minor), \(withIDs ? "string_agg(d.id::text, ',')" : "NULL")
            FROM deals d WHERE d.status IN ('won', 'lost') AND d.closed_at >= ?::bigint AND d.closed_at < ?::bigint AND \(where_.sql)
            GROUP BY 1, 2, 3
            """, [filter.start, filter.end] + where_.values) { row in
            var person = result[row.int64(0)] ?? PersonDeals()
            if row.string(1) == "won" {
                person.won += row.int(3)
                person.wonMinor[Currency(stored: row.string(2)), default: 0] += PGReportSQL.whole(row.optionalString(4)) ?? 0
            } else {
                person.lost += row.int(3)
            }
            person.closedIDs = (person.closedIDs + PGReportSQL.ids(row.optionalString(5))).sorted()
            result[row.int64(0)] = person
        }
        _ = try c.rows("SELECT d.owner_id, count(*) FROM deals d WHERE d.status = 'open' AND \(where_.sql) GROUP BY 1",
                       where_.values) { row in
            result[row.int64(0), default: PersonDeals()].open = row.int(1)
        }
        return result
    }

    /// The interactions per person and kind of the period (also read by the
    /// query plan test): the whole UTC days from the per-day counts (schema
    /// 43), the partial days at the edges from interactions_by_author_kind_time,
    /// as SQLitePeopleReport reads them.
    static func interactionsQuery(_ filter: ReportFilter, users: [Int64]) -> (sql: String, values: [any PGBindable]) {
        let split = ReportDaySplit(start: filter.start, end: filter.end)
        let people = PGReportSQL.array(users)
        // Every kind but 'stage' (a deal's move, not a conversation).
        let kinds = "('call', 'email', 'meeting', 'note', 'message')"
        let edge = """
            SELECT i.author_id, i.kind, count(*) FROM interactions i
            WHERE i.deleted_at IS NULL AND i.author_id = ANY(?::bigint[]) AND i.kind IN \(kinds)
              AND i.occurred_at >= ?::bigint AND i.occurred_at < ?::bigint
            GROUP BY 1, 2
            """
        return ("""
            SELECT a, k, sum(n)::bigint FROM (
                SELECT d.author_id AS a, d.kind AS k, d.interactions AS n FROM report_interaction_days d
                WHERE d.author_id = ANY(?::bigint[]) AND d.kind IN \(kinds) AND d.day_start >= ?::bigint AND d.day_start < ?::bigint
                UNION ALL \(edge) UNION ALL \(edge)) x
            GROUP BY a, k HAVING sum(n) > 0
            """, [people, split.daysStart, split.daysEnd, people, split.start, split.headEnd, people, split.tailStart, split.end])
    }

    /// Due, done on time and done late per assignee (also read by the query
    /// plan test): the whole UTC days from the per-day counts, the edges
    /// from follow_ups_by_assignee_due.
    static func followUpsQuery(_ filter: ReportFilter, users: [Int64]) -> (sql: String, values: [any PGBindable]) {
        let split = ReportDaySplit(start: filter.start, end: filter.end)
        let people = PGReportSQL.array(users)
        let edge = """
            SELECT f.assignee_id, count(*), count(*) FILTER (WHERE f.status = 'done' AND f.done_at <= f.due_at),
                   count(*) FILTER (WHERE f.status = 'done' AND f.done_at > f.due_at)
            FROM follow_ups f
            WHERE f.deleted_at IS NULL AND f.assignee_id = ANY(?::bigint[]) AND f.due_at >= ?::bigint AND f.due_at < ?::bigint
              AND f.status <> 'cancelled'
            GROUP BY 1
            """
        return ("""
            SELECT a, sum(due)::bigint, sum(on_time)::bigint, sum(late)::bigint FROM (
                SELECT d.assignee_id AS a, d.due, d.done_on_time AS on_time, d.done_late AS late FROM report_follow_up_days d
                WHERE d.assignee_id = ANY(?::bigint[]) AND d.day_start >= ?::bigint AND d.day_start < ?::bigint
                UNION ALL \(edge) UNION ALL \(edge)) x
            GROUP BY a HAVING sum(due) > 0
            """, [people, split.daysStart, split.daysEnd, people, split.start, split.headEnd, people, split.tailStart, split.end])
    }

    /// Still open and past due now, per assignee: the ids are what Enter
    /// lists, so they come from the rows, one range of follow_ups_by_assignee
    /// per person (also read by the query plan test).
    /// `withIDs` false: the count alone (the page), NULL for the ids.
    static func overdueQuery(_ filter: ReportFilter, users: [Int64], withIDs: Bool = false) -> (sql: String, values: [any PGBindable]) {
        ("""
         SELECT f.assignee_id, count(*), \(withIDs ? "string_agg(f.id::text, ',')" : "NULL") FROM follow_ups f
         WHERE f.deleted_at IS NULL AND f.assignee_id = ANY(?::bigint[]) AND f.status = 'open'
           AND f.due_at >= ?::bigint AND f.due_at < ?::bigint AND f.due_at < ?::bigint
         GROUP BY 1
         """, [PGReportSQL.array(users), filter.start, filter.end, filter.now])
    }

    public func interactions(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: [InteractionKind: Int]] {
        guard !users.isEmpty else { return [:] }
        var result: [Int64: [InteractionKind: Int]] = [:]
        let query = Self.interactionsQuery(filter, users: users)
        _ = try c.rows(query.sql, query.values) { row in
            if let kind = InteractionKind(rawValue: row.string(1)) { result[row.int64(0), default: [:]][kind] = row.int(2) }
        }
        return result
    }

    public func followUps(_ filter: ReportFilter, users: [Int64], withIDs: Bool) throws -> [Int64: PersonFollowUps] {
        guard !users.isEmpty else { return [:] }
        var result: [Int64: PersonFollowUps] = [:]
        let query = Self.followUpsQuery(filter, users: users)
        _ = try c.rows(query.sql, query.values) { row in
            result[row.int64(0)] = PersonFollowUps(due: row.int(1), onTime: row.int(2), late: row.int(3))
        }
        let overdue = Self.overdueQuery(filter, users: users, withIDs: withIDs)
        _ = try c.rows(overdue.sql, overdue.values) { row in
            result[row.int64(0)]?.overdue = row.int(1)
            result[row.int64(0)]?.overdueIDs = PGReportSQL.ids(row.optionalString(2))
        }
        return result
    }

    public func stayInTouch(_ filter: ReportFilter, rules: [CadenceRule], users: [Int64], withIDs: Bool) throws -> [Int64: PersonStayInTouch] {
        guard !users.isEmpty else { return [:] }
        // Each customer's cadence, as Today's Needs attention takes it: its
        // own, else the shortest rule that applies to it (the customer
        // stage, its tier, its tags). Every customer with a cadence counts,
        // snoozed or not (a snooze hides, it does not make spoken to).
        let never: Int64 = 1_000_000_000
        var stage = never
        var tiers: [ValueTier: Int64] = [:]
        var tags: [String: Int64] = [:]
        for rule in rules {
            let days = Int64(rule.days)
            switch rule.target {
            case .lifecycle(.customer): stage = min(stage, days)
            case .lifecycle: break
            case .tier(let t): tiers[t] = min(tiers[t] ?? never, days)
            case .tag(let t): tags[TagName.key(t)] = min(tags[TagName.key(t)] ?? never, days)
            }
        }
        let tagDays = tags.isEmpty ? "?::bigint" : """
            coalesce((SELECT min(r.days) FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                      JOIN unnest(?::text[], ?::bigint[]) AS r(name, days) ON r.name = lower(t.name)
                      WHERE ct.contact_id = c.id), ?::bigint)
            """
        var values: [any PGBindable] = [stage, tiers[.a] ?? never, tiers[.b] ?? never, tiers[.c] ?? never, never]
        if !tags.isEmpty {
            let sorted = tags.sorted { $0.key < $1.key }
            values += [PGReportSQL.textArray(sorted.map(\.key)), PGReportSQL.array(sorted.map(\.value))]
        }
        values += [never]
        let now = filter.now.wholeSecondsSince1970
        let tail: [any PGBindable] = withIDs ? [now, never] : [never]
        var result: [Int64: PersonStayInTouch] = [:]
        _ = try c.rows("""
            WITH cadence AS (
                SELECT c.id, c.owner_id, coalesce(c.last_interaction_at, c.created_at) AS touch,
                       coalesce(c.cadence_days, least(?::bigint,
                           CASE c.value_tier WHEN 'A' THEN ?::bigint WHEN 'B' THEN ?::bigint WHEN 'C' THEN ?::bigint ELSE ?::bigint END,
                           \(tagDays))) AS days
                FROM contacts c
                WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' AND c.owner_id = ANY(?::bigint[])
            )
            SELECT owner_id, count(*), count(*) FILTER (WHERE touch + days * 86400 < ?::bigint)
                   \(withIDs ? ", string_agg(id::text, ',') FILTER (WHERE touch + days * 86400 < ?::bigint)" : "")
            FROM cadence WHERE days < ?::bigint GROUP BY owner_id
            """, values + [PGReportSQL.array(users), now] + tail) { row in
            // The page counts; Enter asks for the ids too.
            result[row.int64(0)] = PersonStayInTouch(customers: row.int(1), notInTouch: row.int(2),
                                                     notInTouchIDs: withIDs ? PGReportSQL.ids(row.optionalString(3)) : [])
        }
        return result
    }

    public func conversions(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: PersonConversion] {
        guard !users.isEmpty else { return [:] }
        var result: [Int64: PersonConversion] = [:]
        let owners = PGReportSQL.array(users)
        // A contact counts once per outcome however often it changed in the
        // period; a former customer who comes back is no lead turned customer.
        // Step 70: the changes hold their contact's owner and trash time, one
        // range of contact_lifecycle_conversions per outcome and owner, hashed
        // by both; a contact twice in one (rare) is counted once here, where
        // DISTINCT sorted each group (26 → 6 ms for a year at 100,000 contacts).
        _ = try c.rows(db.schemaVersion >= 70 ? """
            SELECT h.contact_owner_id, h.to_lifecycle, string_agg(h.contact_id::text, ',')
            FROM contact_lifecycle_history h
            WHERE h.changed_at >= ?::bigint AND h.changed_at < ?::bigint AND h.to_lifecycle IN ('customer', 'former')
              AND h.from_lifecycle IN ('lead', 'prospect')
              AND h.contact_deleted_at IS NULL AND h.contact_owner_id = ANY(?::bigint[])
            GROUP BY h.to_lifecycle, h.contact_owner_id
            """ : """
            SELECT c.owner_id, h.to_lifecycle, string_agg(DISTINCT c.id::text, ',')
            FROM contact_lifecycle_history h JOIN contacts c ON c.id = h.contact_id
            WHERE h.changed_at >= ?::bigint AND h.changed_at < ?::bigint AND h.to_lifecycle IN ('customer', 'former')
              AND h.from_lifecycle IN ('lead', 'prospect')
              AND c.deleted_at IS NULL AND c.owner_id = ANY(?::bigint[])
            GROUP BY 1, 2
            """, [filter.start, filter.end, owners]) { row in
            var person = result[row.int64(0)] ?? PersonConversion()
            let ids = ReportIDText.distinctIDs(row.optionalString(2))
            if row.string(1) == "customer" {
                person.converted = ids.count
                person.convertedIDs = ids
            } else {
                person.disqualified = ids.count
            }
            result[row.int64(0)] = person
        }
        // Still leads now: one count per owner over contacts_by_owner_lifecycle_touch
        // (grouped over all owners at once, the planner hashed every lead:
        // about twice the time at 100,000 contacts). Owners without one are
        // left out. LATERAL: as a scalar subquery in the select list, the
        // `n > 0` outside made PostgreSQL count every owner's leads twice
        // (110,000 index entries read for 55,000 leads at 100,000 contacts).
        _ = try c.rows("""
            SELECT o, n FROM unnest(?::bigint[]) o
            CROSS JOIN LATERAL (SELECT count(*) AS n FROM contacts c
                                WHERE c.owner_id = o AND c.lifecycle IN ('lead', 'prospect') AND c.deleted_at IS NULL) x
            WHERE n > 0
            """, [owners]) { row in
            result[row.int64(0), default: PersonConversion()].stillOpen = row.int(1)
        }
        return result
    }
}
