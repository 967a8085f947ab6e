import CRMCore
import CRMRepositories
import Foundation

/// The duplicates queries of contacts and companies on PostgreSQL, as
/// SQLite's DuplicateFinder: the same keys (`name_key`, phone `match_key`,
/// email addresses ignoring ASCII case), the same groups and pairs
/// (`DuplicatePairWalk`), keys ordered byte-wise as SQLite orders them.
struct PGDuplicates {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }

    /// `text` with ASCII case folded, as SQLite's NOCASE compares, in byte
    /// order (`contact_emails_by_email_nocase` indexes it for emails).
    static func nocase(_ text: String) -> String {
        "(translate(\(text), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE \"C\")"
    }

    /// One reason's groups (see DuplicatePairWalk): `sql` takes $1 the key
    /// to start at, then $2 the sub key and $3 how many groups when
    /// `usesSubKey`, else $2 how many groups (an unused parameter would
    /// have no type).
    struct Tier {
        let walk: DuplicatePairWalk.Tier
        let sql: String
        var usesSubKey = false
    }

    func pairs(tiers: [Tier], after cursor: DuplicateCursor?, limit: Int,
               shared: (Int64, Int64) throws -> [DuplicatePairWalk.SharedReason],
               record: (Int64) throws -> DuplicateRecord?) throws -> [DuplicatePair] {
        try DuplicatePairWalk.pairs(tiers: tiers.map(\.walk), after: cursor, limit: limit, groups: { index, key, sub, groupLimit in
            let tier = tiers[index]
            let params: [any PGBindable] = tier.usesSubKey ? [key, sub, groupLimit] : [key, groupLimit]
            return try c.query(tier.sql, params).map { ($0.string(0), $0.int64(1), $0.int64(2)) }
        }, shared: shared, record: record)
    }

    func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch] {
        let nameKey = DuplicateKey.name(probe.name)
        let phoneKeys = Set(probe.phones.compactMap { DuplicateKey.phone($0, region: db.phoneRegion) })
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
                WHERE \(Self.nocase("ce.email")) = \(Self.nocase("?::text")) AND c.deleted_at IS NULL AND c.id <> ?::bigint
                ORDER BY ce.contact_id LIMIT ?::bigint
                """, [email, excluded, perKey], { ($0.int64(0), $0.string(1)) }) {
                add(id, .sameEmail(stored))
            }
        }
        for key in phoneKeys.sorted() {
            for (id, stored) in try c.rows("""
                SELECT p.contact_id, p.number FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
                WHERE p.match_key = ? AND c.deleted_at IS NULL AND c.id <> ?::bigint
                ORDER BY p.contact_id LIMIT ?::bigint
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
                    WHERE c.name_key = ? AND c.company_id = ?::bigint AND c.deleted_at IS NULL AND c.id <> ?::bigint
                    ORDER BY c.id LIMIT ?::bigint
                    """, [nameKey, company, excluded, perKey], { ($0.int64(0), $0.string(1)) }) {
                    add(id, .similarName(company: companyName))
                }
            }
        }
        var matches: [DuplicateMatch] = []
        for id in order {
            guard let (name, company) = try c.first("""
                SELECT c.name, co.name FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?::bigint
                """, [id], { ($0.string(0), $0.optionalString(1)) }) else { continue }
            matches.append(DuplicateMatch(id: id, name: name, companyName: company, reasons: reasons[id] ?? []))
        }
        // Strongest first; among equals, more reasons, then the older record.
        matches.sort { ($0.strength, $0.reasons.count, -$0.id) > ($1.strength, $1.reasons.count, -$1.id) }
        return Array(matches.prefix(max(limit, 0)))
    }
}

extension PGDuplicates {
    /// The `limit` pairs just before `cursor` in list order (nil: the list's
    /// last ones), read forward from the start a page at a time up to the
    /// pair that follows `cursor`. Correct at any depth, but it costs the
    /// walk to that place: on SQLite the tiers are read backwards from the
    /// end instead (DuplicateFinder), which this engine does not do yet.
    static func pairs(before cursor: DuplicateCursor?, limit: Int,
                      page: (DuplicateCursor?, Int) throws -> [DuplicatePair]) throws -> [DuplicatePair] {
        guard limit > 0 else { return [] }
        // The pair after `cursor` marks where "before" ends; none: the end.
        let stop = try cursor.flatMap { try page($0, 1).first?.id }
        var window: [DuplicatePair] = []
        var after: DuplicateCursor? = nil
        let size = 500
        while true {
            let batch = try page(after, size)
            for pair in batch {
                if pair.id == stop { return window }
                window.append(pair)
                if window.count > limit { window.removeFirst(window.count - limit) }
            }
            guard batch.count == size, let last = batch.last else { return window }
            after = last.cursor
        }
    }
}
