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

    public func deals(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: PersonDeals] {
        guard !users.isEmpty else { return [:] }
        let where_ = ReportDealConditions(filter, owners: users)
        var result: [Int64: PersonDeals] = [:]
        _ = try c.rows("""
            SELECT d.owner_id, d.status, d.currency, count(*), sum(d.value_minor), group_concat(d.id)
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

    public func interactions(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: [InteractionKind: Int]] {
        guard !users.isEmpty else { return [:] }
        let kinds: [InteractionKind] = [.call, .email, .meeting, .note, .message]
        var result: [Int64: [InteractionKind: Int]] = [:]
        // author_id IN (…) AND kind IN (…): one range of
        // interactions_by_author_kind_time per person and kind.
        _ = try c.rows("""
            SELECT i.author_id, i.kind, count(*) FROM interactions i
            WHERE i.deleted_at IS NULL AND i.author_id IN (\(ReportSQL.placeholders(users.count)))
              AND i.kind IN (\(ReportSQL.placeholders(kinds.count))) AND i.occurred_at >= ? AND i.occurred_at < ?
            GROUP BY 1, 2
            """, users.map { $0 as SQLBindable } + kinds.map { $0.rawValue as SQLBindable } + [filter.start, filter.end]) { row in
            if let kind = InteractionKind(rawValue: row.string(1)) { result[row.int64(0), default: [:]][kind] = row.int(2) }
        }
        return result
    }

    public func followUps(_ filter: ReportFilter, users: [Int64]) throws -> [Int64: PersonFollowUps] {
        guard !users.isEmpty else { return [:] }
        var result: [Int64: PersonFollowUps] = [:]
        let now = filter.now
        _ = try c.rows("""
            SELECT f.assignee_id, count(*),
                   sum(f.status = 'done' AND f.done_at <= f.due_at),
                   sum(f.status = 'done' AND f.done_at > f.due_at),
                   sum(f.status = 'open' AND f.due_at < ?),
                   group_concat(CASE WHEN f.status = 'open' AND f.due_at < ? THEN f.id END)
            FROM follow_ups f
            WHERE f.deleted_at IS NULL AND f.assignee_id IN (\(ReportSQL.placeholders(users.count)))
              AND f.due_at >= ? AND f.due_at < ? AND f.status <> 'cancelled'
            GROUP BY 1
            """, [now, now] + users.map { $0 as SQLBindable } + [filter.start, filter.end]) { row in
            result[row.int64(0)] = PersonFollowUps(due: row.int(1), onTime: row.int(2), late: row.int(3), overdue: row.int(4),
                                                   overdueIDs: ReportSQL.ids(row.optionalString(5)))
        }
        return result
    }

    public func stayInTouch(_ filter: ReportFilter, rules: [CadenceRule], users: [Int64]) throws -> [Int64: PersonStayInTouch] {
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
                // every row).
                let limit = now - (part.rule.map { Int64($0.days) * 86_400 } ?? 0)
                let conds = part.conds.joined(separator: " AND ")
                person.customers += Int(try c.scalar("SELECT count(*) FROM \(part.from) WHERE \(conds)", part.values) ?? 0)
                person.notInTouchIDs += try c.rows("SELECT c.id FROM \(part.from) WHERE \(conds) AND \(part.due) < ?",
                                                   part.values + [limit]) { $0.int64(0) }
            }
            person.notInTouch = person.notInTouchIDs.count
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
        // CROSS JOIN keeps the history outside: the period's changes are one
        // range of contact_lifecycle_history_by_time, where the planner would
        // otherwise walk every contact of the owners.
        _ = try c.rows("""
            SELECT c.owner_id, h.to_lifecycle, count(DISTINCT c.id), group_concat(DISTINCT c.id)
            FROM contact_lifecycle_history h CROSS JOIN contacts c ON c.id = h.contact_id
            WHERE h.changed_at >= ? AND h.changed_at < ? AND h.to_lifecycle IN ('customer', 'former')
              AND h.from_lifecycle IN ('lead', 'prospect')
              AND c.deleted_at IS NULL AND c.owner_id IN (\(ReportSQL.placeholders(owners.count)))
            GROUP BY 1, 2
            """, [filter.start, filter.end] + owners) { row in
            var person = result[row.int64(0)] ?? PersonConversion()
            if row.string(1) == "customer" {
                person.converted = row.int(2)
                person.convertedIDs = ReportSQL.ids(row.optionalString(3))
            } else {
                person.disqualified = row.int(2)
            }
            result[row.int64(0)] = person
        }
    }
}

extension Database {
    public var peopleReport: SQLitePeopleReport { SQLitePeopleReport(db: self) }
    public var peopleReportRepository: any PeopleReportRepository { peopleReport }
}
