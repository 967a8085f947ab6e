import CRMCore
import CRMRepositories
import Foundation

/// The duplicates queries of contacts and companies (schema 13's keys and
/// indexes). Every query is a range of an index: a probe looks its emails,
/// phone keys and name key up; the list walks one reason's index in key
/// order and stops after the groups one page needs.
struct DuplicateFinder {
    let db: Database
    var c: Connection { db.connection }

    /// Refuses a file read as it is at a schema before 13 (no keys yet).
    func requireKeys() throws {
        guard db.hasDuplicateKeys else {
            throw RepositoryError.unavailable(
                path: db.path,
                reason: "finding duplicates needs database schema 13 (this file is older); open it once with crm to upgrade it",
                nil)
        }
    }


    // MARK: a probe

    func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch] {
        try possibleDuplicates(of: probe, limit: limit, nameKey: DuplicateKey.name(probe.name),
                               phoneKeys: Set(probe.phones.compactMap { DuplicateKey.phone($0, region: db.phoneRegion) }))
    }

    /// The same, with the probe's name key and phone match keys computed
    /// already (an import computes them once a row for the lookup and the insert).
    func possibleDuplicates(of probe: DuplicateProbe, limit: Int, nameKey: String, phoneKeys: Set<String>) throws -> [DuplicateMatch] {
        try requireKeys()
        var reasons: [Int64: [DuplicateReason]] = [:]
        var order: [Int64] = []
        func add(_ id: Int64, _ reason: DuplicateReason) {
            if reasons[id] == nil { order.append(id) }
            reasons[id, default: []].append(reason)
        }
        let excluded = probe.excludingContactID ?? 0
        let perKey = max(limit, 1) * 4
        for email in Set(probe.emails.map { EmailAddress($0).address }) where !email.isEmpty {
            for (id, stored) in try c.rows("""
                SELECT ce.contact_id, ce.email FROM contact_emails ce JOIN contacts c ON c.id = ce.contact_id
                WHERE ce.email = ? COLLATE NOCASE AND c.deleted_at IS NULL AND c.id <> ?
                ORDER BY ce.contact_id LIMIT ?
                """, [email, excluded, perKey], { ($0.int64(0), $0.string(1)) }) {
                add(id, .sameEmail(stored))
            }
        }
        for key in phoneKeys.sorted() {
            for (id, stored) in try c.rows("""
                SELECT p.contact_id, p.number FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
                WHERE p.match_key = ? AND c.deleted_at IS NULL AND c.id <> ?
                ORDER BY p.contact_id LIMIT ?
                """, [key, excluded, perKey], { ($0.int64(0), $0.string(1)) }) {
                add(id, .samePhone(stored))
            }
        }
        if !nameKey.isEmpty {
            var companies: [Int64] = []
            if let id = probe.companyID {
                companies = [id]
            } else if let name = probe.companyName, !DuplicateKey.name(name).isEmpty {
                companies = try c.rows("SELECT id FROM companies WHERE name_key = ? AND deleted_at IS NULL ORDER BY id LIMIT 20",
                                       [DuplicateKey.name(name)]) { $0.int64(0) }
            }
            for company in companies {
                for (id, companyName) in try c.rows("""
                    SELECT c.id, co.name FROM contacts c JOIN companies co ON co.id = c.company_id
                    WHERE c.name_key = ? AND c.company_id = ? AND c.deleted_at IS NULL AND c.id <> ?
                    ORDER BY c.id LIMIT ?
                    """, [nameKey, company, excluded, perKey], { ($0.int64(0), $0.string(1)) }) {
                    add(id, .similarName(company: companyName))
                }
            }
        }
        var matches: [DuplicateMatch] = []
        for id in order {
            guard let (name, company) = try c.first("""
                SELECT c.name, co.name FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?
                """, [id], { ($0.string(0), $0.optionalString(1)) }) else { continue }
            matches.append(DuplicateMatch(id: id, name: name, companyName: company, reasons: reasons[id] ?? []))
        }
        // Strongest first; among equals, more reasons, then the older record.
        matches.sort { ($0.strength, $0.reasons.count, -$0.id) > ($1.strength, $1.reasons.count, -$1.id) }
        return Array(matches.prefix(max(limit, 0)))
    }

    // MARK: the list

    /// One reason's groups: `sql` takes (cursor key, cursor sub key, group
    /// limit) and returns the members of the next groups from that key on,
    /// as (key, sub key, id) ordered by key, sub key, id; `fold` makes keys
    /// of one group equal (email addresses compare ignoring ASCII case).
    struct Tier: Sendable {
        let strength: DuplicateStrength
        let sql: String
        /// `sql` read from the other end: ?1 and ?2 the key to end at
        /// (included), the groups in descending key order.
        let reverseSQL: String
        var fold: @Sendable (String) -> String = { $0 }
    }

    typealias SharedReason = DuplicatePairWalk.SharedReason

    /// Pairs of one kind of record after `cursor` (`DuplicatePairWalk`).
    func pairs(tiers: [Tier], after cursor: DuplicateCursor?, limit: Int,
               shared: (Int64, Int64) throws -> [SharedReason],
               record: (Int64) throws -> DuplicateRecord?) throws -> [DuplicatePair] {
        try requireKeys()
        return try DuplicatePairWalk.pairs(
            tiers: tiers.map { DuplicatePairWalk.Tier(strength: $0.strength, fold: $0.fold) }, after: cursor, limit: limit,
            groups: { index, key, sub, groupLimit in
                try c.rows(tiers[index].sql, [key, sub, groupLimit]) { ($0.string(0), $0.int64(1), $0.int64(2)) }
            }, shared: shared, record: record)
    }
}

extension DuplicateFinder {
    /// Rows of a tier's query (key, sub-key, record id), in key order, as
    /// groups of one key each (folded as the tier folds), each id once.
    static func groups(_ rows: [(String, Int64, Int64)], _ tier: Tier) -> [(key: String, sub: Int64, ids: [Int64])] {
        var groups: [(key: String, sub: Int64, ids: [Int64])] = []
        for (key, sub, id) in rows {
            if let last = groups.last, tier.fold(last.key) == tier.fold(key), last.sub == sub {
                if !groups[groups.count - 1].ids.contains(id) { groups[groups.count - 1].ids.append(id) }
            } else {
                groups.append((key, sub, [id]))
            }
        }
        return groups
    }

    /// The pair of `anchor` and `other` as listed under `tier`'s group, or
    /// nil when it is listed elsewhere: under a stronger reason, or under
    /// another group of the same reason (the smallest key they share).
    static func pair(_ tier: Tier, group: (key: String, sub: Int64), anchor: Int64, other: Int64,
                     shared: (Int64, Int64) throws -> [SharedReason],
                     record: (Int64) throws -> DuplicateRecord?) throws -> DuplicatePair? {
        let reasons = try shared(anchor, other)
        let strongest = reasons.map(\.reason.strength).max()
        let firstKey = reasons.filter { $0.reason.strength == tier.strength }.map(\.key).min()
        guard strongest == tier.strength, firstKey == tier.fold(group.key),
              let a = try record(anchor), let b = try record(other) else { return nil }
        let place = DuplicateCursor(strength: tier.strength, key: group.key, subKey: group.sub, secondID: other)
        return DuplicatePair(first: a, second: b, reasons: reasons.map(\.reason), cursor: place)
    }

    /// Above every key a group can have (U+10FFFF never ends a key), for a
    /// backwards read from the end of the list.
    static let endKey = "\u{10FFFF}"

    /// The `limit` pairs just before `cursor` in the list's order (nil: the
    /// list's last ones), in that order: each reason's index read from its
    /// end, the weakest reason first, so the end of the list costs what its
    /// start does (`G` in the Duplicates list).
    func pairs(tiers: [Tier], before cursor: DuplicateCursor?, limit: Int,
               shared: (Int64, Int64) throws -> [SharedReason],
               record: (Int64) throws -> DuplicateRecord?) throws -> [DuplicatePair] {
        try requireKeys()
        guard limit > 0 else { return [] }
        // Collected from the end backwards, reversed at the end.
        var out: [DuplicatePair] = []
        for tier in tiers.sorted(by: { $0.strength < $1.strength }) {
            if let cursor, tier.strength < cursor.strength { continue }
            var end = (cursor?.strength == tier.strength) ? cursor : nil
            var batch = 8
            while out.count < limit {
                let groupLimit = min(limit - out.count + 1, batch)
                // Grows only until it passes the page: a walk past many groups that
                // give no pair (a million contacts, `G`) overflowed it after 30 rounds.
                if batch <= limit { batch *= 4 }
                let rows = try c.rows(tier.reverseSQL, [end?.key ?? Self.endKey, end?.subKey ?? Int64.max, groupLimit]) {
                    ($0.string(0), $0.int64(1), $0.int64(2))
                }
                if rows.isEmpty { break }
                let groups = Self.groups(rows, tier)
                for group in groups where group.ids.count > 1 {
                    let anchor = group.ids.min()!
                    let groupKey = tier.fold(group.key)
                    for other in group.ids.sorted().reversed() where other != anchor {
                        if let end, tier.fold(end.key) == groupKey, end.subKey == group.sub, other >= end.secondID {
                            continue
                        }
                        // The same pair, with the same checks, as the forward read makes.
                        guard let pair = try Self.pair(tier, group: (group.key, group.sub), anchor: anchor, other: other,
                                                       shared: shared, record: record) else { continue }
                        out.append(pair)
                        if out.count == limit { return out.reversed() }
                    }
                }
                let last = groups.last!
                // The next query ends at the last group read, before its pairs.
                end = DuplicateCursor(strength: tier.strength, key: last.key, subKey: last.sub, secondID: Int64.min)
                if groups.count < groupLimit { break }
            }
        }
        return out.reversed()
    }
}

/// ASCII case folded, as SQLite's NOCASE compares.
func nocase(_ text: String) -> String { DuplicatePairWalk.nocase(text) }
