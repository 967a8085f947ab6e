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
    /// The `limit` pairs just before `cursor` in the list's order (nil: the
    /// list's last ones): each tier's `reverseSQL` read from the end
    /// (`DuplicatePairWalk`, as PostgreSQL reads it).
    func pairs(tiers: [Tier], before cursor: DuplicateCursor?, limit: Int,
               shared: (Int64, Int64) throws -> [SharedReason],
               record: (Int64) throws -> DuplicateRecord?) throws -> [DuplicatePair] {
        try requireKeys()
        return try DuplicatePairWalk.pairs(
            tiers: tiers.map { DuplicatePairWalk.Tier(strength: $0.strength, fold: $0.fold) }, before: cursor, limit: limit,
            groups: { index, key, sub, groupLimit in
                try c.rows(tiers[index].reverseSQL, [key, sub, groupLimit]) { ($0.string(0), $0.int64(1), $0.int64(2)) }
            }, shared: shared, record: record)
    }
}

extension DuplicateFinder {
    /// The same walks with each batch of groups' reasons and records read
    /// in a few statements (DuplicatePairPrefetch), not five per pair.
    func pairs(tiers: [Tier], after cursor: DuplicateCursor?, limit: Int, reads: DuplicatePairReads) throws -> [DuplicatePair] {
        let prefetch = DuplicatePairPrefetch(reads)
        let walk = tiers.map { DuplicatePairWalk.Tier(strength: $0.strength, fold: $0.fold) }
        try requireKeys()
        return try DuplicatePairWalk.pairs(tiers: walk, after: cursor, limit: limit, groups: { index, key, sub, groupLimit in
            try prefetch.groups(c.rows(tiers[index].sql, [key, sub, groupLimit]) { ($0.string(0), $0.int64(1), $0.int64(2)) }, walk[index])
        }, shared: prefetch.shared, record: prefetch.record)
    }

    func pairs(tiers: [Tier], before cursor: DuplicateCursor?, limit: Int, reads: DuplicatePairReads) throws -> [DuplicatePair] {
        let prefetch = DuplicatePairPrefetch(reads)
        let walk = tiers.map { DuplicatePairWalk.Tier(strength: $0.strength, fold: $0.fold) }
        try requireKeys()
        return try DuplicatePairWalk.pairs(tiers: walk, before: cursor, limit: limit, groups: { index, key, sub, groupLimit in
            try prefetch.groups(c.rows(tiers[index].reverseSQL, [key, sub, groupLimit]) { ($0.string(0), $0.int64(1), $0.int64(2)) },
                                walk[index])
        }, shared: prefetch.shared, record: prefetch.record)
    }
}

/// ASCII case folded, as SQLite's NOCASE compares.
func nocase(_ text: String) -> String { DuplicatePairWalk.nocase(text) }
