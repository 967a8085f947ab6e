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
    /// order (`contact_emails_by_email_nocase` and
    /// `companies_by_domain_nocase` index it, schema 80): lower() under the
    /// C collation lowers A–Z only.
    static func nocase(_ text: String) -> String {
        "(lower(\(text) COLLATE \"C\") COLLATE \"C\")"
    }

    /// One reason's groups (see DuplicatePairWalk): `sql` takes $1 the key
    /// to start at, then $2 the sub key and $3 how many groups when
    /// `usesSubKey`, else $2 how many groups (an unused parameter would
    /// have no type).
    struct Tier {
        let walk: DuplicatePairWalk.Tier
        let sql: String
        /// `sql` read from the other end: $1 (and $2) the key to end at
        /// (included), the groups in descending key order.
        let reverseSQL: String
        var usesSubKey = false

        func params(_ key: String, _ sub: Int64, _ groupLimit: Int) -> [any PGBindable] {
            usesSubKey ? [key, sub, groupLimit] : [key, groupLimit]
        }
    }

    /// The reads a pair needs, for many pairs in one round trip each
    /// (shared with SQLite: DuplicatePairPrefetch).
    typealias Batch = DuplicatePairReads
    typealias Pair = DuplicatePairReads.Pair

    /// The walks and the batch reads are prepared once per session
    /// (`preparedQuery`): planning them took 7–13 ms each under load, more
    /// than running them, on every page and `G`.
    func pairs(tiers: [Tier], after cursor: DuplicateCursor?, limit: Int, batch: Batch) throws -> [DuplicatePair] {
        let reads = DuplicatePairPrefetch(batch)
        return try DuplicatePairWalk.pairs(tiers: tiers.map(\.walk), after: cursor, limit: limit, groups: { index, key, sub, groupLimit in
            try reads.groups(c.preparedQuery(tiers[index].sql, tiers[index].params(key, sub, groupLimit)).map { ($0.string(0), $0.int64(1), $0.int64(2)) },
                             tiers[index].walk)
        }, shared: reads.shared, record: reads.record)
    }

    /// The `limit` pairs just before `cursor` (nil: the list's last ones),
    /// each tier read backwards from its end as on SQLite, so `G` costs what
    /// the first page does.
    func pairs(tiers: [Tier], before cursor: DuplicateCursor?, limit: Int, batch: Batch) throws -> [DuplicatePair] {
        let reads = DuplicatePairPrefetch(batch)
        return try DuplicatePairWalk.pairs(tiers: tiers.map(\.walk), before: cursor, limit: limit, groups: { index, key, sub, groupLimit in
            try reads.groups(c.preparedQuery(tiers[index].reverseSQL, tiers[index].params(key, sub, groupLimit)).map { ($0.string(0), $0.int64(1), $0.int64(2)) },
                             tiers[index].walk)
        }, shared: reads.shared, record: reads.record)
    }

    func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch] {
        try possibleDuplicates(of: probe, limit: limit, nameKey: DuplicateKey.name(probe.name),
                               phoneKeys: Set(probe.phones.compactMap { DuplicateKey.phone($0, region: db.phoneRegion) }))
    }
}
