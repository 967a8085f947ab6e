import CRMCore
import CRMRepositories
import Foundation

// The follow-ups list: every status, any date, filtered, keyset-paged on
// (due_at, id) so page 1,000 costs what page 1 does (index
// follow_ups_by_due_any_status, schema 19; the status, assignee, contact and
// deal indexes serve the narrower filters).
extension SQLiteFollowUpRepository {
    public func list(_ filter: FollowUpFilter, after: FollowUpCursor?, limit: Int) throws -> [FollowUpRow] {
        var (conds, values) = Self.conditions(filter)
        if let after {
            conds.append("(f.due_at, f.id) > (?, ?)")
            values += [after.dueAt, after.id]
        }
        values.append(limit)
        return try c.rows("\(rowSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY f.due_at, f.id LIMIT ?",
                          values, Self.row)
    }

    public func list(_ filter: FollowUpFilter, before: FollowUpCursor, limit: Int) throws -> [FollowUpRow] {
        var (conds, values) = Self.conditions(filter)
        conds.append("(f.due_at, f.id) < (?, ?)")
        values += [before.dueAt, before.id, limit]
        return try c.rows("\(rowSQL) WHERE \(conds.joined(separator: " AND ")) ORDER BY f.due_at DESC, f.id DESC LIMIT ?",
                          values, Self.row).reversed()
    }

    public func count(_ filter: FollowUpFilter) throws -> Int {
        let (conds, values) = Self.conditions(filter)
        // The joins only when a condition reads them: a count of follow-ups
        // alone walks one index (80 ms with the joins at 10,000 rows, debug).
        let needsJoins = filter.companyID != nil || !(filter.customerText ?? "").isEmpty || !(filter.dealText ?? "").isEmpty
        let joins = needsJoins ? """
            LEFT JOIN contacts ct ON ct.id = f.contact_id
            LEFT JOIN deals d ON d.id = f.deal_id
            LEFT JOIN companies co ON co.id = coalesce(ct.company_id, d.company_id)
            """ : ""
        return Int(try c.scalar("SELECT count(*) FROM follow_ups f \(joins) WHERE \(conds.joined(separator: " AND "))", values) ?? 0)
    }

    /// The WHERE clause of a filter, every value bound. The joins are those of
    /// `rowSQL` (ct, d, co).
    static func conditions(_ filter: FollowUpFilter) -> ([String], [SQLBindable]) {
        var conds = ["f.deleted_at IS NULL"]
        var values: [SQLBindable] = []
        let statuses = FollowUpStatus.allCases.filter { filter.statuses.contains($0) }
        if statuses.count < FollowUpStatus.allCases.count {
            // No status at all lists nothing, rather than everything.
            conds.append(statuses.isEmpty ? "0" : "f.status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))")
            values += statuses.map(\.rawValue)
        }
        if let id = filter.assigneeID { conds.append("f.assignee_id = ?"); values.append(id) }
        if let id = filter.contactID { conds.append("f.contact_id = ?"); values.append(id) }
        if let id = filter.dealID { conds.append("f.deal_id = ?"); values.append(id) }
        if let id = filter.companyID { conds.append("co.id = ?"); values.append(id) }
        if let text = filter.customerText?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            conds.append("(ct.name LIKE ? ESCAPE '\\' OR co.name LIKE ? ESCAPE '\\')")
            values += [likePattern(text), likePattern(text)]
        }
        if let text = filter.dealText?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            conds.append("d.title LIKE ? ESCAPE '\\'")
            values.append(likePattern(text))
        }
        if let from = filter.from { conds.append("f.due_at >= ?"); values.append(from) }
        if let to = filter.to { conds.append("f.due_at < ?"); values.append(to) }
        return (conds, values)
    }

    /// "50%" → "%50\%%": what was typed matched literally, anywhere in the text.
    static func likePattern(_ text: String) -> String {
        var escaped = ""
        for ch in text {
            if ch == "%" || ch == "_" || ch == "\\" { escaped.append("\\") }
            escaped.append(ch)
        }
        return "%\(escaped)%"
    }
}
