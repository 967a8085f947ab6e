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
        try possibleDuplicates(of: probe, limit: limit, nameKey: DuplicateKey.name(probe.name),
                               phoneKeys: Set(probe.phones.compactMap { DuplicateKey.phone($0, region: db.phoneRegion) }))
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
