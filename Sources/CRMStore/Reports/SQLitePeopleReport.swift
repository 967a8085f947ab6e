import CRMCore
import CRMRepositories
import Foundation

/// The "People" page's figures, per user, each one grouped query over an
/// index (see SchemaV28ReportIndexes): nothing is counted in Swift but the
/// parts of the stay-in-touch measure, which are disjoint counts.
public final class SQLitePeopleReport: PeopleReportRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    public func deals(_ filter: ReportFilter, users: [Int64], withIDs: Bool) throws -> [Int64: PersonDeals] {
        guard !users.isEmpty else { return [:] }
        let where_ = ReportDealConditions(filter, owners: users)
        var result: [Int64: PersonDeals] = [:]
        _ = try c.rows("""
            SELECT d.owner_id, d.status, d.currency, count(*), sum(d.value_minor), \(withIDs ? "group_concat(d.id)" : "NULL")
            FROM deals d WHERE d.status IN ('won', 'lost') AND d.closed_at >= ? AND d.closed_at < ? AND \(where_.sql)
            GROUP BY 1, 2, 3
            """, [filter.start, filter.end] + where_.values) { row in
            var person = result[row.int64(0)] ?? PersonDeals()
            if row.string(1) == "won" {
                person.won += row.int(3)
                person.wonMinor[Currency(stored: row.string(2)), default: 0] += row.int64(4)
            } else {
                person.lost += row.int(3)
            }
            person.closedIDs = (person.closedIDs + ReportSQL.ids(row.optionalString(5))).sorted()
            result[row.int64(0)] = person
        }
        _ = try c.rows("SELECT d.owner_id, count(*) FROM deals d WHERE d.status = 'open' AND \(where_.sql) GROUP BY 1",
                       where_.values) { row in
            result[row.int64(0), default: PersonDeals()].open = row.int(1)
        }
        return result
    }

    /// Whether the file has the per-day counts: one read without upgrading
    /// it (older than schema 32) is counted from its rows alone.
    private var hasDays: Bool { db.schemaVersion >= 32 }

    static let kinds: [InteractionKind] = [.call, .email, .meeting, .note, .message]

    /// The interactions per person and kind of the period (also read by the
    /// query plan test). The whole UTC days from the per-day counts (schema
    /// 32), the partial days at the edges from the interactions, each one
    /// range of interactions_by_author_kind_time per person and kind.
    /// Without the counts (`days` false) the whole period is one edge.
    static func interactionsQuery(_ filter: ReportFilter, users: [Int64], days: Bool) -> (sql: String, values: [SQLBindable]) {
        let split = days ? ReportDaySplit(start: filter.start, end: filter.end) : ReportDaySplit(wholePeriod: filter.start, filter.end)
        let people = users.map { $0 as SQLBindable }, types = kinds.map { $0.rawValue as SQLBindable }
        let who = "IN (\(ReportSQL.placeholders(users.count)))", what = "IN (\(ReportSQL.placeholders(kinds.count)))"
        let edge = """
            SELECT i.author_id, i.kind, count(*) FROM interactions i
            WHERE i.deleted_at IS NULL AND i.author_id \(who) AND i.kind \(what) AND i.occurred_at >= ? AND i.occurred_at < ?
            GROUP BY 1, 2
            """
        let whole = days ? """
            SELECT d.author_id, d.kind, d.interactions FROM report_interaction_days d
            WHERE d.author_id \(who) AND d.kind \(what) AND d.day_start >= ? AND d.day_start < ?
            UNION ALL
            """ : ""
        return ("""
            SELECT a, k, sum(n) FROM (
                SELECT NULL AS a, NULL AS k, 0 AS n WHERE 0 UNION ALL
                \(whole) \(edge) UNION ALL \(edge))
            GROUP BY a, k HAVING sum(n) > 0
            """, (days ? people + types + [split.daysStart, split.daysEnd] : []) + people + types + [split.start, split.headEnd]
                + people + types + [split.tailStart, split.end])
    }

    /// Due, done on time and done late per assignee (also read by the query
    /// plan test): the whole UTC days from the per-day counts, the edges from
    /// follow_ups_by_assignee_due.
    static func followUpsQuery(_ filter: ReportFilter, users: [Int64], days: Bool) -> (sql: String, values: [SQLBindable]) {
        let split = days ? ReportDaySplit(start: filter.start, end: filter.end) : ReportDaySplit(wholePeriod: filter.start, filter.end)
        let people = users.map { $0 as SQLBindable }
        let who = "IN (\(ReportSQL.placeholders(users.count)))"
        let edge = """
            SELECT f.assignee_id, count(*), sum(f.status = 'done' AND f.done_at <= f.due_at), sum(f.status = 'done' AND f.done_at > f.due_at)
            FROM follow_ups f
            WHERE f.deleted_at IS NULL AND f.assignee_id \(who) AND f.due_at >= ? AND f.due_at < ? AND f.status <> 'cancelled'
            GROUP BY 1
            """
        let whole = days ? """
            SELECT d.assignee_id, d.due, d.done_on_time, d.done_late FROM report_follow_up_days d
            WHERE d.assignee_id \(who) AND d.day_start >= ? AND d.day_start < ?
            UNION ALL
            """ : ""
        return ("""
            SELECT a, sum(due), coalesce(sum(on_time), 0), coalesce(sum(late), 0) FROM (
                SELECT NULL AS a, 0 AS due, 0 AS on_time, 0 AS late WHERE 0 UNION ALL
                \(whole) \(edge) UNION ALL \(edge))
            GROUP BY a HAVING sum(due) > 0
            """, (days ? people + [split.daysStart, split.daysEnd] : []) + people + [split.start, split.headEnd]
                + people + [split.tailStart, split.end])
    }

    /// Still open and past due now, per assignee: the ids are what Enter
    /// lists, so they come from the rows, one range of follow_ups_by_assignee
    /// per person (also read by the query plan test). Named: without it the
    /// planner took follow_ups_by_due and looked up each overdue row for its
    /// assignee (380 ms instead of 34 ms for 19,000 overdue at 100,000 contacts).
    /// `withIDs` false: the count alone (the page), NULL for the ids.
    static func overdueQuery(_ filter: ReportFilter, users: [Int64], withIDs: Bool = false) -> (sql: String, values: [SQLBindable]) {
        ("""
         SELECT f.assignee_id, count(*), \(withIDs ? "group_concat(f.id)" : "NULL") FROM follow_ups f INDEXED BY follow_ups_by_assignee
         WHERE f.deleted_at IS NULL AND f.assignee_id IN (\(ReportSQL.placeholders(users.count))) AND f.status = 'open'
           AND f.due_at >= ? AND f.due_at < ? AND f.due_at < ?
         GROUP BY 1
         """, users.map { $0 as SQLBindable } + [filter.start, filter.end, filter.now])
    }

    public func interactions(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: [InteractionKind: Int]] {
        guard !users.isEmpty else { return [:] }
        var result: [Int64: [InteractionKind: Int]] = [:]
        let query = Self.interactionsQuery(filter, users: users, days: hasDays)
        _ = try c.rows(query.sql, query.values) { row in
            if let kind = InteractionKind(rawValue: row.string(1)) { result[row.int64(0), default: [:]][kind] = row.int(2) }
        }
        return result
    }

    public func followUps(_ filter: ReportFilter, users: [Int64], withIDs: Bool) throws -> [Int64: PersonFollowUps] {
        guard !users.isEmpty else { return [:] }
        var result: [Int64: PersonFollowUps] = [:]
        let query = Self.followUpsQuery(filter, users: users, days: hasDays)
        _ = try c.rows(query.sql, query.values) { row in
            result[row.int64(0)] = PersonFollowUps(due: row.int(1), onTime: row.int(2), late: row.int(3))
        }
        let overdue = Self.overdueQuery(filter, users: users, withIDs: withIDs)
        _ = try c.rows(overdue.sql, overdue.values) { row in
            result[row.int64(0)]?.overdue = row.int(1)
            result[row.int64(0)]?.overdueIDs = ReportSQL.ids(row.optionalString(2))
        }
        return result
    }

    public func stayInTouch(_ filter: ReportFilter, rules: [CadenceRule], users: [Int64], withIDs: Bool) throws -> [Int64: PersonStayInTouch] {
        // The same disjoint parts as Today's Needs attention (each customer
        // in exactly one, under the cadence that applies to it), kept to
        // customers, every one of them (not only those past their cadence),
        // snoozed or not: a snooze hides a contact from the list, it does
        // not make it spoken to.
        let now = filter.now.wholeSecondsSince1970
        var result: [Int64: PersonStayInTouch] = [:]
        for user in users {
            var person = PersonStayInTouch()
            for part in db.agenda.parts(rules: rules, now: filter.now, ownerID: user, lifecycle: .customer,
                                        pastOnly: false, honourSnooze: false) {
                // Past its cadence: the due time (last touch + cadence)
                // before now. Two statements, each answered from the part's
                // index alone (an expression in the select list would read
                // every row). The page counts; Enter asks for the ids, as
                // one text read byte by byte (tens of thousands of
                // customers are one row, not as many).
                let limit = now - (part.rule.map { Int64($0.days) * 86_400 } ?? 0)
                let conds = part.conds.joined(separator: " AND ")
                person.customers += Int(try c.scalar("SELECT count(*) FROM \(part.from) WHERE \(conds)", part.values) ?? 0)
                let past = "FROM \(part.from) WHERE \(conds) AND \(part.due) < ?"
                if withIDs {
                    let ids = try c.first("SELECT group_concat(c.id) \(past)", part.values + [limit]) { ReportSQL.ids($0.optionalString(0)) } ?? []
                    person.notInTouchIDs += ids
                    person.notInTouch += ids.count
                } else {
                    person.notInTouch += Int(try c.scalar("SELECT count(*) \(past)", part.values + [limit]) ?? 0)
                }
            }
            person.notInTouchIDs.sort()
            if person.customers > 0 { result[user] = person }
        }
        return result
    }

    public func conversions(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: PersonConversion] {
        guard !users.isEmpty else { return [:] }
        var result: [Int64: PersonConversion] = [:]
        let owners = users.map { $0 as SQLBindable }
        // A file read without upgrading it (older than schema 24) has no
        // lifecycle history: nothing turned or given up can be told.
        if db.schemaVersion >= 24 { try lifecycleChanges(filter, owners: owners, into: &result) }
        // Still leads now: one range of contacts_by_owner_lifecycle_touch per owner and stage.
        _ = try c.rows("""
            SELECT c.owner_id, count(*) FROM contacts c
            WHERE c.owner_id IN (\(ReportSQL.placeholders(users.count))) AND c.lifecycle IN ('lead', 'prospect') AND c.deleted_at IS NULL
            GROUP BY 1
            """, owners) { row in
            result[row.int64(0), default: PersonConversion()].stillOpen = row.int(1)
        }
        return result
    }

    /// Contacts turned customers and given up in the period, by owner.
    private func lifecycleChanges(_ filter: ReportFilter, owners: [SQLBindable], into result: inout [Int64: PersonConversion]) throws {
        // A contact counts once per outcome however often it changed in the
        // period; a former customer who comes back is no lead turned customer.
        // Schema 68: a range per outcome and owner of contact_lifecycle_conversions,
        // which holds each change's contact owner and trash time: no contact
        // is looked up, no sort; a contact twice in one (few) is counted
        // once here. An older file joins the contacts (CROSS JOIN keeps the
        // history outside: the planner would otherwise walk every contact
        // of the owners).
        let owned = "IN (\(ReportSQL.placeholders(owners.count)))"
        _ = try c.rows(db.schemaVersion >= 68 ? """
            SELECT h.contact_owner_id, h.to_lifecycle, group_concat(h.contact_id)
            FROM contact_lifecycle_history h INDEXED BY contact_lifecycle_conversions
            WHERE h.changed_at >= ? AND h.changed_at < ?
              AND h.to_lifecycle IN ('customer', 'former') AND h.contact_owner_id \(owned)
              AND h.from_lifecycle IN ('lead', 'prospect') AND h.contact_deleted_at IS NULL
            GROUP BY h.to_lifecycle, h.contact_owner_id
            """ : """
            SELECT c.owner_id, h.to_lifecycle, group_concat(DISTINCT c.id)
            FROM contact_lifecycle_history h CROSS JOIN contacts c ON c.id = h.contact_id
            WHERE h.changed_at >= ? AND h.changed_at < ? AND h.to_lifecycle IN ('customer', 'former')
              AND h.from_lifecycle IN ('lead', 'prospect')
              AND c.deleted_at IS NULL AND c.owner_id \(owned)
            GROUP BY 1, 2
            """, [filter.start, filter.end] + owners) { row in
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
    }
}

extension Database {
    public var peopleReport: SQLitePeopleReport { SQLitePeopleReport(db: self) }
    public var peopleReportRepository: any PeopleReportRepository { peopleReport }
}
