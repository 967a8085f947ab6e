import CRMCore
import CRMRepositories
import Foundation

/// Today's agenda on PostgreSQL, as `SQLiteAgendaRepository` answers it:
/// follow-ups due in a window, keyset paged on (due_at, id), and Needs
/// attention, the contacts past their cadence, in disjoint parts (one per
/// rule, and the contacts' own cadences) whose counts add up and whose
/// pages merge. PostgreSQL's planner picks the attention indexes itself
/// (SQLite needed `INDEXED BY`).
public final class PGAgendaRepository: AgendaRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }

    /// The conditions of "open follow-ups due in [from, to)"; the order of the
    /// columns follows follow_ups_by_assignee / follow_ups_by_due.
    private func dueConditions(from: Date?, to: Date?, assigneeID: Int64?) -> (conds: [String], values: [any PGBindable]) {
        var conds = ["f.deleted_at IS NULL", "f.status = 'open'"]
        var values: [any PGBindable] = []
        if let assigneeID { conds.append("f.assignee_id = ?"); values.append(assigneeID) }
        if let from { conds.append("f.due_at >= ?"); values.append(from) }
        if let to { conds.append("f.due_at < ?"); values.append(to) }
        return (conds, values)
    }

    public func countDue(from: Date?, to: Date?, assigneeID: Int64?, upTo limit: Int?) throws -> Int {
        let count = dueCount(from: from, to: to, assigneeID: assigneeID, upTo: limit)
        return Int(try c.query(count.sql, count.params).first?.int64(0) ?? 0)
    }

    private func dueCount(from: Date?, to: Date?, assigneeID: Int64?, upTo limit: Int?) -> PGConnection.Pipelined {
        let q = dueConditions(from: from, to: to, assigneeID: assigneeID)
        return Self.count("follow_ups f", q.conds, q.values, upTo: limit)
    }

    /// `count(*)` of the rows of `from` that meet `conds`; with a limit, the
    /// scan stops after that many (`LIMIT` in a subquery).
    private static func count(_ from: String, _ conds: [String], _ values: [any PGBindable], upTo limit: Int?) -> PGConnection.Pipelined {
        let rows = "FROM \(from) WHERE \(conds.joined(separator: " AND "))"
        guard let limit else { return .numbered("SELECT count(*) \(rows)", values) }
        var values = values
        let cap = PGConnection.limit(limit, &values)
        return .numbered("SELECT count(*) FROM (SELECT 1 \(rows) \(cap)) AS counted", values)
    }

    public func agendaCounts(windows: [DueWindow], assigneeID: Int64?, rules: [CadenceRule], now: Date, upTo limit: Int?) throws -> AgendaCounts {
        // Every count in one round trip: the windows' first, then the
        // attention parts' (disjoint: they add up; each counted up to the
        // limit, their sum cut to it, as SQLite's).
        let answers = try c.pipeline(windows.map { dueCount(from: $0.from, to: $0.to, assigneeID: assigneeID, upTo: limit) }
                                     + attentionCounts(rules: rules, now: now, ownerID: assigneeID, upTo: limit))
        let counts = answers.map { Int($0.first?.int64(0) ?? 0) }
        let past = counts.dropFirst(windows.count).reduce(0, +)
        return AgendaCounts(due: Array(counts.prefix(windows.count)), pastCadence: limit.map { min(past, $0) } ?? past)
    }

    public func duePage(from: Date?, to: Date?, assigneeID: Int64?, cursor: AgendaCursor?, direction: PageDirection,
                        limit: Int) throws -> [FollowUpRow] {
        var q = dueConditions(from: from, to: to, assigneeID: assigneeID)
        let forward = direction == .forward
        if let cursor {
            // A row comparison, not SQLite's "due < ? OR (due = ? AND id < ?)":
            // PostgreSQL starts the index scan at the cursor with it, where
            // the OR is only a filter over every row from the window's edge.
            q.conds.append("(f.due_at, f.id) \(forward ? ">" : "<") (?::bigint, ?::bigint)")
            q.values += [cursor.dueAt, cursor.id]
        }
        let order = forward ? "f.due_at, f.id" : "f.due_at DESC, f.id DESC"
        let limit = PGConnection.limit(limit, &q.values)
        return try c.rows("\(PGFollowUpRepository.rowSQL) WHERE \(q.conds.joined(separator: " AND ")) ORDER BY \(order) \(limit)",
                          q.values, PGFollowUpRepository.row)
    }

    public func duePosition(from: Date?, to: Date?, assigneeID: Int64?, cursor: AgendaCursor) throws -> Int {
        var q = dueConditions(from: from, to: to, assigneeID: assigneeID)
        q.conds.append("(f.due_at, f.id) < (?::bigint, ?::bigint)")
        q.values += [cursor.dueAt, cursor.id]
        return Int(try c.integer("SELECT count(*) FROM follow_ups f WHERE \(q.conds.joined(separator: " AND "))", q.values) ?? 0)
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
        var values: [any PGBindable]
        /// The due time in seconds, as SQL over `c`.
        var due: String
        var dueValues: [any PGBindable]
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
        // PostgreSQL databases start at schema 30: own cadences, snoozes
        // and value tiers are always there.
        let ownCadence = true
        let hasTiers = true
        var result: [Part] = []
        for (i, rule) in rules.enumerated() {
            var conds: [String] = []
            var values: [any PGBindable] = []
            var from = "contacts c"
            switch rule.target {
            case .lifecycle(let stage) where lifecycle != nil && stage != lifecycle:
                continue
            case .lifecycle(let stage):
                // Column order of contacts_attention_by_(owner_)lifecycle.
                if let ownerID { conds.append("c.owner_id = ?"); values.append(ownerID) }
                conds.append("c.lifecycle = ?"); values.append(stage.rawValue)
            case .tag(let tag):
                from = "tags t JOIN contact_tags ct ON ct.tag_id = t.id JOIN contacts c ON c.id = ct.contact_id"
                // tags_by_name_nocase: a tag is one whatever its case, as on SQLite.
                conds.append("lower(t.name) = lower(?)"); values.append(TagName.stored(tag))
                if let ownerID { conds.append("c.owner_id = ?"); values.append(ownerID) }
                if let lifecycle { conds.append("c.lifecycle = ?"); values.append(lifecycle.rawValue) }
            case .tier(let tier):
                // Column order of contacts_attention_by_(owner_)tier, which
                // cover the due time and the snooze as the lifecycle ones do.
                if hasTiers {
                    if let ownerID { conds.append("c.owner_id = ?"); values.append(ownerID) }
                    conds.append("c.value_tier = ?"); values.append(tier.rawValue)
                    if let lifecycle { conds.append("c.lifecycle = ?"); values.append(lifecycle.rawValue) }
                } else {
                    conds.append("false")
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
            let tags = stronger.compactMap { if case .tag(let t) = $0.target { TagName.stored(t) } else { nil } }
            let tiers = stronger.compactMap { if case .tier(let t) = $0.target { t.rawValue } else { nil } }
            if !tiers.isEmpty && hasTiers {
                conds.append("(c.value_tier IS NULL OR c.value_tier NOT IN (\(tiers.map { _ in "?" }.joined(separator: ", "))))")
                values += tiers.map { $0 as any PGBindable }
            }
            if !stages.isEmpty {
                conds.append("c.lifecycle NOT IN (\(stages.map { _ in "?" }.joined(separator: ", ")))")
                values += stages.map { $0 as any PGBindable }
            }
            if !tags.isEmpty {
                conds.append("""
                    NOT EXISTS (SELECT 1 FROM contact_tags ct2 JOIN tags t2 ON t2.id = ct2.tag_id
                                WHERE ct2.contact_id = c.id AND lower(t2.name) IN (\(tags.map { _ in "lower(?)" }.joined(separator: ", "))))
                    """)
                values += tags.map { $0 as any PGBindable }
            }
            result.append(Part(from: from, conds: conds, values: values, due: touch, dueValues: [], rule: rule))
        }
        guard ownCadence else { return result }
        // The contact's own cadence: few contacts have one
        // (contacts_by_own_cadence holds only those).
        var conds = ["c.cadence_days IS NOT NULL", "c.deleted_at IS NULL"]
        var values: [any PGBindable] = []
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
        // All the parts go in one round trip (a pipeline).
        let forward = direction == .forward
        let parts = parts(rules: rules, now: now, ownerID: ownerID)
        let statements: [PGConnection.Pipelined] = parts.map { part in
            var conds = part.conds
            var values = part.values
            if let cursor {
                // For a rule: (touch, id) past (cursor due - days, cursor id).
                let key = cursor.dueAt.wholeSecondsSince1970 - (part.rule.map { Int64($0.days) * 86_400 } ?? 0)
                // A row comparison: the index scan starts at the cursor (see duePage).
                conds.append("(\(part.due), c.id) \(forward ? ">" : "<") (?::bigint, ?::bigint)")
                values += [key, cursor.id]
            }
            let order = forward ? "\(part.due), c.id" : "\(part.due) DESC, c.id DESC"
            let limit = PGConnection.limit(limit, &values)
            return .numbered("""
                SELECT c.id, c.name, co.name, c.lifecycle, c.last_interaction_at, \(part.due), \(part.rule == nil ? "c.cadence_days" : "NULL"),
                       c.version, u.login
                FROM \(part.from) LEFT JOIN companies co ON co.id = c.company_id LEFT JOIN users u ON u.id = c.owner_id
                WHERE \(conds.joined(separator: " AND ")) ORDER BY \(order) \(limit)
                """, values)
        }
        var merged: [AttentionRow] = []
        for (part, answer) in zip(parts, try c.pipeline(statements)) {
            let offset = part.rule.map { Int64($0.days) * 86_400 } ?? 0
            let rows = answer.rows.map { row -> AttentionRow in
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
        // The parts are disjoint: their counts add up (counted in one round trip).
        let total = try c.pipeline(attentionCounts(rules: rules, now: now, ownerID: ownerID, upTo: limit))
            .reduce(0) { $0 + Int($1.first?.int64(0) ?? 0) }
        return limit.map { min(total, $0) } ?? total
    }

    /// One count per part of Needs attention.
    private func attentionCounts(rules: [CadenceRule], now: Date, ownerID: Int64?, upTo limit: Int?) -> [PGConnection.Pipelined] {
        parts(rules: rules, now: now, ownerID: ownerID).map { part in Self.count(part.from, part.conds, part.values, upTo: limit) }
    }

    public func attentionPosition(rules: [CadenceRule], now: Date, ownerID: Int64?, cursor: AgendaCursor) throws -> Int {
        try c.pipeline(parts(rules: rules, now: now, ownerID: ownerID).map { part in
            let key = cursor.dueAt.wholeSecondsSince1970 - (part.rule.map { Int64($0.days) * 86_400 } ?? 0)
            let conds = part.conds + ["(\(part.due), c.id) < (?::bigint, ?::bigint)"]
            return .numbered("SELECT count(*) FROM \(part.from) WHERE \(conds.joined(separator: " AND "))", part.values + [key, cursor.id])
        }).reduce(0) { $0 + Int($1.first?.int64(0) ?? 0) }
    }

    public func attentionIDs(rules: [CadenceRule], now: Date, ownerID: Int64?) throws -> [VersionedID] {
        try c.pipeline(parts(rules: rules, now: now, ownerID: ownerID).map { part in
            .numbered("SELECT c.id, c.version FROM \(part.from) WHERE \(part.conds.joined(separator: " AND "))", part.values)
        }).flatMap { $0.rows.map { VersionedID(id: $0.int64(0), version: $0.int64(1)) } }
    }

    static let attentionColumns = "id, cadence_days, attention_snoozed_until, version"

    static func attention(_ row: PGRow) -> ContactAttention {
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
            try c.run("""
                UPDATE contacts SET cadence_days = ?, attention_snoozed_until = ?, updated_at = ?, version = version + 1
                WHERE id = ? AND version = ?
                """, [settings.cadenceDays.map(Int64.init), settings.snoozedUntil, db.clock.now, settings.contactID, settings.version])
            try db.audit.record("contact", settings.contactID, "update", values: changes.values)
            return try attention(contactID: settings.contactID)!
        }
    }

    /// The set locked and read in one statement, written in one UPDATE …
    /// FROM unnest, audited in one pipeline, as the follow-ups' set update
    /// (53,000 contacts one by one took 86 s: QA 29 #2).
    public func setAttention(_ versions: [Int64: Int64], change: (inout ContactAttention) -> Void) throws
        -> [(before: ContactAttention, wrote: ContactAttention)] {
        let ids = versions.keys.sorted()
        guard !ids.isEmpty else { return [] }
        return try c.transaction {
            let old = try c.rows("""
                SELECT \(Self.attentionColumns) FROM contacts WHERE id = ANY(?::bigint[]) AND deleted_at IS NULL ORDER BY id FOR UPDATE
                """, [PGArrayLiteral.integers(ids)], Self.attention)
            let planned = try ContactAttention.plan(versions, current: Dictionary(uniqueKeysWithValues: old.map { ($0.contactID, $0) }),
                                                    change: change) { id in
                try db.audit.staleEdit(entity: "contact", table: "contacts", id: id, expected: versions[id]!)
            }
            let writing = planned.filter { !$0.changes.isEmpty }
            guard !writing.isEmpty else { return planned.map { ($0.before, $0.before) } }
            let rows = writing.map(\.after)
            let wrote = try c.rows("""
                UPDATE contacts c SET cadence_days = v.cadence_days, attention_snoozed_until = v.snoozed_until,
                       updated_at = ?::bigint, version = c.version + 1
                FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS v(id, cadence_days, snoozed_until, version)
                WHERE c.id = v.id AND c.version = v.version
                RETURNING c.id, c.cadence_days, c.attention_snoozed_until, c.version
                """, [db.clock.now, PGArrayLiteral.integers(rows.map(\.contactID)),
                      PGArrayLiteral.integers(rows.map { $0.cadenceDays.map(Int64.init) }),
                      PGArrayLiteral.integers(rows.map { $0.snoozedUntil?.pgText.flatMap { Int64($0) } }),
                      PGArrayLiteral.integers(rows.map(\.version))], Self.attention)
            // Locked above at these versions: every row is written.
            guard wrote.count == rows.count else { throw RepositoryError.notFound(entity: "contact", id: 0) }
            let audited = try c.sendPipeline(try writing.map {
                try db.audit.recordStatement("contact", $0.after.contactID, "update", values: $0.changes.values)
            })
            for result in audited { try db.audit.recorded(result) }
            let written = Dictionary(uniqueKeysWithValues: wrote.map { ($0.contactID, $0) })
            return planned.map { ($0.before, written[$0.before.contactID] ?? $0.before) }
        }
    }
}
