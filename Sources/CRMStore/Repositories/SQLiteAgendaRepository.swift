import CRMCore
import CRMRepositories
import Foundation

public final class SQLiteAgendaRepository: AgendaRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    public func countDue(from: Date?, to: Date?, assigneeID: Int64?) throws -> Int {
        var conds = ["f.deleted_at IS NULL", "f.status = 'open'"]
        var values: [SQLBindable] = []
        if let assigneeID { conds.append("f.assignee_id = ?"); values.append(assigneeID) }
        if let from { conds.append("f.due_at >= ?"); values.append(from) }
        if let to { conds.append("f.due_at < ?"); values.append(to) }
        return Int(try c.scalar("SELECT count(*) FROM follow_ups f WHERE \(conds.joined(separator: " AND "))", values) ?? 0)
    }

    /// The SQL that picks the contacts one rule finds overdue, ordered by how
    /// long ago they were last touched (so the oldest come first), with the
    /// values to bind. Lifecycle rules walk the (owner, lifecycle, touch)
    /// index; tag rules start from the tag's contacts.
    private func candidates(_ rule: CadenceRule, now: Date, ownerID: Int64?) -> (from: String, where: String, values: [SQLBindable]) {
        let threshold = now.addingTimeInterval(-Double(rule.days) * 86_400)
        var conds: [String] = []
        var values: [SQLBindable] = []
        var from = "contacts c"
        switch rule.target {
        case .lifecycle(let stage):
            // Column order of contacts_by_owner_lifecycle_touch.
            if let ownerID { conds.append("c.owner_id = ?"); values.append(ownerID) }
            conds.append("c.lifecycle = ?"); values.append(stage.rawValue)
        case .tag(let tag):
            from = "tags t JOIN contact_tags ct ON ct.tag_id = t.id JOIN contacts c ON c.id = ct.contact_id"
            conds.append("t.name = ?"); values.append(tag)
            if let ownerID { conds.append("c.owner_id = ?"); values.append(ownerID) }
        }
        conds.append("c.deleted_at IS NULL")
        conds.append("coalesce(c.last_interaction_at, c.created_at) < ?"); values.append(threshold)
        return (from, conds.joined(separator: " AND "), values)
    }

    public func pastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?, limit: Int) throws -> [AttentionRow] {
        // The most overdue N overall are among the most overdue N of each rule,
        // so each rule is asked for N rows and the lists are merged here.
        var best: [Int64: AttentionRow] = [:]
        for rule in rules {
            let q = candidates(rule, now: now, ownerID: ownerID)
            let rows = try c.rows("""
                SELECT c.id, c.name, co.name, c.lifecycle, c.last_interaction_at, coalesce(c.last_interaction_at, c.created_at)
                FROM \(q.from) LEFT JOIN companies co ON co.id = c.company_id
                WHERE \(q.where) ORDER BY coalesce(c.last_interaction_at, c.created_at), c.id LIMIT ?
                """, q.values + [limit]) { row in
                AttentionRow(contactID: row.int64(0), name: row.string(1), companyName: row.optionalString(2),
                             lifecycle: Lifecycle(rawValue: row.string(3)) ?? .lead, lastInteractionAt: row.optionalDate(4),
                             dueAt: row.date(5).addingTimeInterval(Double(rule.days) * 86_400), rule: rule)
            }
            for row in rows where best[row.contactID].map({ row.dueAt < $0.dueAt }) ?? true {
                best[row.contactID] = row
            }
        }
        return best.values.sorted { ($0.dueAt, $0.contactID) < ($1.dueAt, $1.contactID) }.prefix(limit).map { $0 }
    }

    public func countPastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?) throws -> Int {
        guard !rules.isEmpty else { return 0 }
        let parts = rules.map { candidates($0, now: now, ownerID: ownerID) }
        if rules.allSatisfy({ if case .lifecycle = $0.target { true } else { false } }) {
            // One stage each: the sets are disjoint, and each count is read
            // from the index alone.
            var total = 0
            for q in parts {
                total += Int(try c.scalar("SELECT count(*) FROM \(q.from) WHERE \(q.where)", q.values) ?? 0)
            }
            return total
        }
        // Tags overlap stages and each other: count each contact once.
        let union = parts.map { "SELECT c.id FROM \($0.from) WHERE \($0.where)" }.joined(separator: " UNION ")
        return Int(try c.scalar("SELECT count(*) FROM (\(union))", parts.flatMap(\.values)) ?? 0)
    }
}

extension Database {
    public var agenda: SQLiteAgendaRepository { SQLiteAgendaRepository(db: self) }
}
