import CRMCore
import CRMRepositories
import Foundation

public final class SQLiteAgendaRepository: AgendaRepository {
    let db: Database
    var c: Connection { db.connection }
    init(db: Database) { self.db = db }

    /// The conditions of "open follow-ups due in [from, to)"; the order of the
    /// columns follows follow_ups_by_assignee / follow_ups_by_due.
    private func dueConditions(from: Date?, to: Date?, assigneeID: Int64?) -> (conds: [String], values: [SQLBindable]) {
        var conds = ["f.deleted_at IS NULL", "f.status = 'open'"]
        var values: [SQLBindable] = []
        if let assigneeID { conds.append("f.assignee_id = ?"); values.append(assigneeID) }
        if let from { conds.append("f.due_at >= ?"); values.append(from) }
        if let to { conds.append("f.due_at < ?"); values.append(to) }
        return (conds, values)
    }

    public func countDue(from: Date?, to: Date?, assigneeID: Int64?, upTo limit: Int?) throws -> Int {
        let q = dueConditions(from: from, to: to, assigneeID: assigneeID)
        return try count("follow_ups f", q.conds, q.values, upTo: limit)
    }

    /// `count(*)` of the rows of `from` that meet `conds`; with a limit, the
    /// index walk stops after that many (`LIMIT` in a subquery).
    private func count(_ from: String, _ conds: [String], _ values: [SQLBindable], upTo limit: Int?) throws -> Int {
        let rows = "FROM \(from) WHERE \(conds.joined(separator: " AND "))"
        guard let limit else { return Int(try c.scalar("SELECT count(*) \(rows)", values) ?? 0) }
        guard limit > 0 else { return 0 }
        return Int(try c.scalar("SELECT count(*) FROM (SELECT 1 \(rows) LIMIT ?)", values + [limit]) ?? 0)
    }

    public func agendaCounts(windows: [DueWindow], assigneeID: Int64?, rules: [CadenceRule], now: Date, upTo limit: Int?) throws -> AgendaCounts {
        // One file, no round trips: the same counts, one after the other.
        AgendaCounts(due: try windows.map { try countDue(from: $0.from, to: $0.to, assigneeID: assigneeID, upTo: limit) },
                     pastCadence: try countPastCadence(rules: rules, now: now, ownerID: assigneeID, upTo: limit))
    }

    public func duePage(from: Date?, to: Date?, assigneeID: Int64?, cursor: AgendaCursor?, direction: PageDirection,
                        limit: Int) throws -> [FollowUpRow] {
        var q = dueConditions(from: from, to: to, assigneeID: assigneeID)
        let forward = direction == .forward
        if let cursor {
            q.conds.append("(f.due_at \(forward ? ">" : "<") ? OR (f.due_at = ? AND f.id \(forward ? ">" : "<") ?))")
            q.values += [cursor.dueAt, cursor.dueAt, cursor.id]
        }
        let order = forward ? "f.due_at, f.id" : "f.due_at DESC, f.id DESC"
        return try c.rows("\(SQLiteFollowUpRepository(db: db).rowSQL) WHERE \(q.conds.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?",
                          q.values + [limit], SQLiteFollowUpRepository.row)
    }

    public func duePosition(from: Date?, to: Date?, assigneeID: Int64?, cursor: AgendaCursor) throws -> Int {
        var q = dueConditions(from: from, to: to, assigneeID: assigneeID)
        q.conds.append("(f.due_at < ? OR (f.due_at = ? AND f.id < ?))")
        q.values += [cursor.dueAt, cursor.dueAt, cursor.id]
        return Int(try c.scalar("SELECT count(*) FROM follow_ups f WHERE \(q.conds.joined(separator: " AND "))", q.values) ?? 0)
    }

    public func dueIDs(from: Date?, to: Date?, assigneeID: Int64?) throws -> [VersionedID] {
        let q = dueConditions(from: from, to: to, assigneeID: assigneeID)
        return try c.rows("SELECT f.id, f.version FROM follow_ups f WHERE \(q.conds.joined(separator: " AND ")) ORDER BY f.due_at, f.id",
                          q.values) { VersionedID(id: $0.int64(0), version: $0.int64(1)) }
    }

    // MARK: Needs attention

    /// One disjoint part of Needs attention: the contacts whose effective
    /// cadence comes from one rule (or, for `rule == nil`, from the contact's
    /// own cadence), with the SQL of their due time.
    struct Part {
        var from: String
        var conds: [String]
        var values: [SQLBindable]
        /// The due time in seconds, as SQL over `c`.
        var due: String
        var dueValues: [SQLBindable]
        var rule: CadenceRule?
    }

    /// Splits the list into disjoint parts so that each contact is in exactly
    /// one: a contact with its own cadence only in the own-cadence part; any
    /// other in the part of the rule that makes it most overdue (the fewest
    /// days; on a tie the earlier rule). Counts then add up, and keyset pages
    /// merge without a contact showing twice.
    ///
    /// The People report measures with the same parts: `lifecycle` keeps
    /// only contacts of that stage (and the rules that reach them),
    /// `pastOnly: false` keeps every contact whatever its last touch, and
    /// `honourSnooze: false` counts a snoozed contact like any other.
    func parts(rules: [CadenceRule], now: Date, ownerID: Int64?, lifecycle: Lifecycle? = nil,
               pastOnly: Bool = true, honourSnooze: Bool = true) -> [Part] {
        let touch = "coalesce(c.last_interaction_at, c.created_at)"
        let nowSeconds = now.wholeSecondsSince1970
        // A file read without upgrading it (crm followups on an older
        // schema) has no own cadence nor snooze: the rules alone apply.
        let version = db.schemaVersion
        let ownCadence = version >= 18
        // Value tiers are stored from schema 29; on an older file read as
        // it is, a tier rule matches nobody.
        let hasTiers = version >= 29
        var result: [Part] = []
        for (i, rule) in rules.enumerated() {
            var conds: [String] = []
            var values: [SQLBindable] = []
            var from = "contacts c"
            switch rule.target {
            case .lifecycle(let stage) where lifecycle != nil && stage != lifecycle:
                continue
            case .lifecycle(let stage):
                // Column order of contacts_by_owner_lifecycle_touch. From
                // schema 18 the covering attention indexes hold the snooze
                // too; without fresh statistics the planner took the older
                // index and read every row (80 ms for everyone at 100k).
                if ownCadence {
                    from = "contacts c INDEXED BY " + (ownerID == nil ? "contacts_attention_by_lifecycle" : "contacts_attention_by_owner_lifecycle")
                }
                if let ownerID { conds.append("c.owner_id = ?"); values.append(ownerID) }
                conds.append("c.lifecycle = ?"); values.append(stage.rawValue)
            case .tag(let tag):
                from = "tags t JOIN contact_tags ct ON ct.tag_id = t.id JOIN contacts c ON c.id = ct.contact_id"
                conds.append("crm_tag_key(t.name) = crm_tag_key(?)"); values.append(tag)
                if let ownerID { conds.append("c.owner_id = ?"); values.append(ownerID) }
                if let lifecycle { conds.append("c.lifecycle = ?"); values.append(lifecycle.rawValue) }
            case .tier(let tier):
                // Column order of contacts_attention_by_(owner_)tier, which
                // cover the due time and the snooze as the lifecycle ones do.
                if hasTiers {
                    from = "contacts c INDEXED BY " + (ownerID == nil ? "contacts_attention_by_tier" : "contacts_attention_by_owner_tier")
                    if let ownerID { conds.append("c.owner_id = ?"); values.append(ownerID) }
                    conds.append("c.value_tier = ?"); values.append(tier.rawValue)
                    if let lifecycle { conds.append("c.lifecycle = ?"); values.append(lifecycle.rawValue) }
                } else {
                    conds.append("0")
                }
            }
            conds.append("c.deleted_at IS NULL")
            if pastOnly { conds.append("\(touch) < ?"); values.append(nowSeconds - Int64(rule.days) * 86_400) }
            if ownCadence {
                conds.append("c.cadence_days IS NULL")
                if honourSnooze {
                    conds.append("(c.attention_snoozed_until IS NULL OR c.attention_snoozed_until <= ?)"); values.append(nowSeconds)
                }
            }
            let stronger = rules.enumerated().filter { j, other in other.days < rule.days || (other.days == rule.days && j < i) }.map(\.element)
            let stages = stronger.compactMap { if case .lifecycle(let l) = $0.target { l.rawValue } else { nil } }
            let tags = stronger.compactMap { if case .tag(let t) = $0.target { t } else { nil } }
            let tiers = stronger.compactMap { if case .tier(let t) = $0.target { t.rawValue } else { nil } }
            if !tiers.isEmpty && hasTiers {
                conds.append("(c.value_tier IS NULL OR c.value_tier NOT IN (\(tiers.map { _ in "?" }.joined(separator: ", "))))")
                values += tiers.map { $0 as SQLBindable }
            }
            if !stages.isEmpty {
                conds.append("c.lifecycle NOT IN (\(stages.map { _ in "?" }.joined(separator: ", ")))")
                values += stages.map { $0 as SQLBindable }
            }
            if !tags.isEmpty {
                conds.append("""
                    NOT EXISTS (SELECT 1 FROM contact_tags ct2 JOIN tags t2 ON t2.id = ct2.tag_id
                                WHERE ct2.contact_id = c.id AND crm_tag_key(t2.name) IN (\(tags.map { _ in "crm_tag_key(?)" }.joined(separator: ", "))))
                    """)
                values += tags.map { $0 as SQLBindable }
            }
            result.append(Part(from: from, conds: conds, values: values, due: touch, dueValues: [], rule: rule))
        }
        guard ownCadence else { return result }
        // The contact's own cadence: few contacts have one
        // (contacts_by_own_cadence holds only those).
        var conds = ["c.cadence_days IS NOT NULL", "c.deleted_at IS NULL"]
        var values: [SQLBindable] = []
        if let ownerID { conds.insert("c.owner_id = ?", at: 0); values.append(ownerID) }
        if let lifecycle { conds.append("c.lifecycle = ?"); values.append(lifecycle.rawValue) }
        if pastOnly { conds.append("\(touch) + c.cadence_days * 86400 < ?"); values.append(nowSeconds) }
        if honourSnooze {
            conds.append("(c.attention_snoozed_until IS NULL OR c.attention_snoozed_until <= ?)"); values.append(nowSeconds)
        }
        result.append(Part(from: "contacts c", conds: conds, values: values, due: "\(touch) + c.cadence_days * 86400",
                           dueValues: [], rule: nil))
        return result
    }

    public func pastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?, limit: Int) throws -> [AttentionRow] {
        try attentionPage(rules: rules, now: now, ownerID: ownerID, cursor: nil, direction: .forward, limit: limit)
    }

    public func attentionPage(rules: [CadenceRule], now: Date, ownerID: Int64?, cursor: AgendaCursor?, direction: PageDirection,
                              limit: Int) throws -> [AttentionRow] {
        // Each part is ordered by due time (a rule's due is its touch plus a
        // constant, so its index order), asked for `limit` rows past the
        // cursor, and the parts are merged here.
        let forward = direction == .forward
        var merged: [AttentionRow] = []
        for part in parts(rules: rules, now: now, ownerID: ownerID) {
            var conds = part.conds
            var values = part.values
            let offset = part.rule.map { Int64($0.days) * 86_400 } ?? 0
            if let cursor {
                // For a rule: (touch, id) past (cursor due - days, cursor id).
                let key = cursor.dueAt.wholeSecondsSince1970 - offset
                conds.append("(\(part.due) \(forward ? ">" : "<") ? OR (\(part.due) = ? AND c.id \(forward ? ">" : "<") ?))")
                values += [key, key, cursor.id]
            }
            let order = forward ? "\(part.due), c.id" : "\(part.due) DESC, c.id DESC"
            let rows = try c.rows("""
                SELECT c.id, c.name, co.name, c.lifecycle, c.last_interaction_at, \(part.due), \(part.rule == nil ? "c.cadence_days" : "NULL"),
                       c.version, u.login
                FROM \(part.from) LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN users u ON u.id = c.owner_id
                WHERE \(conds.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?
                """, values + [limit]) { row in
                let lifecycle = Lifecycle(rawValue: row.string(3)) ?? .lead
                let own = part.rule == nil ? Int(row.int64(6)) : nil
                var result = AttentionRow(contactID: row.int64(0), name: row.string(1), companyName: row.optionalString(2),
                                          lifecycle: lifecycle, lastInteractionAt: row.optionalDate(4),
                                          dueAt: row.date(5).addingTimeInterval(Double(offset)),
                                          rule: part.rule ?? CadenceRule(.lifecycle(lifecycle), days: own ?? 0))
                result.ownCadenceDays = own
                result.version = row.int64(7)
                result.ownerLogin = row.optionalString(8)
                return result
            }
            merged += rows
        }
        merged.sort { forward ? ($0.dueAt, $0.contactID) < ($1.dueAt, $1.contactID) : ($0.dueAt, $0.contactID) > ($1.dueAt, $1.contactID) }
        return Array(merged.prefix(limit))
    }

    public func countPastCadence(rules: [CadenceRule], now: Date, ownerID: Int64?, upTo limit: Int?) throws -> Int {
        // The parts are disjoint: their counts add up; with a limit, each
        // part counts only what the ones before left to count.
        var total = 0
        for part in parts(rules: rules, now: now, ownerID: ownerID) {
            if let limit, total >= limit { break }
            total += try count(part.from, part.conds, part.values, upTo: limit.map { $0 - total })
        }
        return total
    }

    public func attentionPosition(rules: [CadenceRule], now: Date, ownerID: Int64?, cursor: AgendaCursor) throws -> Int {
        var total = 0
        for part in parts(rules: rules, now: now, ownerID: ownerID) {
            let key = cursor.dueAt.wholeSecondsSince1970 - (part.rule.map { Int64($0.days) * 86_400 } ?? 0)
            let conds = part.conds + ["(\(part.due) < ? OR (\(part.due) = ? AND c.id < ?))"]
            total += Int(try c.scalar("SELECT count(*) FROM \(part.from) WHERE \(conds.joined(separator: " AND "))",
                                      part.values + [key, key, cursor.id]) ?? 0)
        }
        return total
    }

    public func attentionIDs(rules: [CadenceRule], now: Date, ownerID: Int64?) throws -> [VersionedID] {
        var result: [VersionedID] = []
        for part in parts(rules: rules, now: now, ownerID: ownerID) {
            result += try c.rows("SELECT c.id, c.version FROM \(part.from) WHERE \(part.conds.joined(separator: " AND "))",
                                 part.values) { VersionedID(id: $0.int64(0), version: $0.int64(1)) }
        }
        return result
    }

    static let attentionColumns = "id, cadence_days, attention_snoozed_until, version"

    static func attention(_ row: Row) -> ContactAttention {
        ContactAttention(contactID: row.int64(0), cadenceDays: row.optionalInt64(1).map { Int($0) },
                         snoozedUntil: row.optionalDate(2), version: row.int64(3))
    }

    public func attention(contactID: Int64) throws -> ContactAttention? {
        try c.first("SELECT \(Self.attentionColumns) FROM contacts WHERE id = ? AND deleted_at IS NULL", [contactID], Self.attention)
    }

    public func setAttention(_ settings: ContactAttention) throws -> ContactAttention {
        try settings.validate()
        return try c.transaction {
            guard let old = try attention(contactID: settings.contactID), old.version == settings.version else {
                throw try db.audit.staleEdit(entity: "contact", table: "contacts", id: settings.contactID, expected: settings.version)
            }
            let changes = FieldChanges.attention(old, settings)
            if changes.isEmpty { return old }
            try write(settings, changes: changes)
            return try attention(contactID: settings.contactID)!
        }
    }

    /// One statement reads the set and one reads it back; between them each
    /// changed contact is written and audited by prepared statements, as the
    /// follow-ups' set update does (53,000 contacts one by one, each its own
    /// reads and savepoint, held the file 30 s: QA 29 #2).
    public func setAttention(_ versions: [Int64: Int64], change: (inout ContactAttention) -> Void) throws
        -> [(before: ContactAttention, wrote: ContactAttention)] {
        let ids = versions.keys.sorted()
        guard !ids.isEmpty else { return [] }
        let idList = "[" + ids.map(String.init).joined(separator: ",") + "]"
        let set = "SELECT \(Self.attentionColumns) FROM contacts WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL"
        return try c.transaction {
            let byID = Dictionary(uniqueKeysWithValues: try c.rows(set, [idList], Self.attention).map { ($0.contactID, $0) })
            let planned = try ContactAttention.plan(versions, current: byID, change: change) { id in
                try db.audit.staleEdit(entity: "contact", table: "contacts", id: id, expected: versions[id]!)
            }
            let writing = planned.filter { !$0.changes.isEmpty }.map { (settings: $0.after, changes: $0.changes) }
            for (settings, changes) in writing { try write(settings, changes: changes) }
            guard !writing.isEmpty else { return planned.map { ($0.before, $0.before) } }
            let written = Dictionary(uniqueKeysWithValues: try c.rows(set, [idList], Self.attention).map { ($0.contactID, $0) })
            return planned.map { ($0.before, written[$0.before.contactID] ?? $0.before) }
        }
    }

    /// Writes `settings` (seen at its version) and its audit entry, inside
    /// the caller's transaction.
    private func write(_ settings: ContactAttention, changes: FieldChanges) throws {
        try c.run("""
            UPDATE contacts SET cadence_days = ?, attention_snoozed_until = ?, updated_at = ?, version = version + 1
            WHERE id = ? AND version = ?
            """, [settings.cadenceDays.map(Int64.init), settings.snoozedUntil, db.clock.now, settings.contactID, settings.version])
        guard c.changes == 1 else { throw RepositoryError.notFound(entity: "contact", id: settings.contactID) }
        try db.audit.record("contact", settings.contactID, "update", values: changes.values)
    }
}

extension Database {
    public var agenda: SQLiteAgendaRepository { SQLiteAgendaRepository(db: self) }
}
