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
        /// `sql` read from the other end: $1 (and $2) the key to end at
        /// (included), the groups in descending key order.
        let reverseSQL: String
        var usesSubKey = false

        func params(_ key: String, _ sub: Int64, _ groupLimit: Int) -> [any PGBindable] {
            usesSubKey ? [key, sub, groupLimit] : [key, groupLimit]
        }
    }

    /// The reads a pair needs, for many pairs in one round trip each:
    /// the reasons each (anchor, other) pair shares, and the records.
    struct Batch {
        let shared: (_ pairs: [(Int64, Int64)]) throws -> [Pair: [DuplicatePairWalk.SharedReason]]
        let records: (_ ids: [Int64]) throws -> [Int64: DuplicateRecord]
    }

    struct Pair: Hashable { let a: Int64, b: Int64 }

    func pairs(tiers: [Tier], after cursor: DuplicateCursor?, limit: Int, batch: Batch) throws -> [DuplicatePair] {
        let reads = Prefetched(batch: batch)
        return try DuplicatePairWalk.pairs(tiers: tiers.map(\.walk), after: cursor, limit: limit, groups: { index, key, sub, groupLimit in
            try reads.groups(c.query(tiers[index].sql, tiers[index].params(key, sub, groupLimit)).map { ($0.string(0), $0.int64(1), $0.int64(2)) },
                             tiers[index].walk)
        }, shared: reads.shared, record: reads.record)
    }

    /// The `limit` pairs just before `cursor` (nil: the list's last ones),
    /// each tier read backwards from its end as on SQLite, so `G` costs what
    /// the first page does.
    func pairs(tiers: [Tier], before cursor: DuplicateCursor?, limit: Int, batch: Batch) throws -> [DuplicatePair] {
        let reads = Prefetched(batch: batch)
        return try DuplicatePairWalk.pairs(tiers: tiers.map(\.walk), before: cursor, limit: limit, groups: { index, key, sub, groupLimit in
            try reads.groups(c.query(tiers[index].reverseSQL, tiers[index].params(key, sub, groupLimit)).map { ($0.string(0), $0.int64(1), $0.int64(2)) },
                             tiers[index].walk)
        }, shared: reads.shared, record: reads.record)
    }

    /// The walk asks for each pair's reasons and records one at a time; a
    /// round trip each made a page of 100 pairs some 500 round trips. As
    /// each batch of groups arrives, the reasons of all its (anchor, other)
    /// pairs and all its records are read in two statements and answered
    /// from here.
    final class Prefetched {
        let batch: Batch
        var shared: [Pair: [DuplicatePairWalk.SharedReason]] = [:]
        var records: [Int64: DuplicateRecord] = [:]

        init(batch: Batch) { self.batch = batch }

        func groups(_ rows: [(String, Int64, Int64)], _ tier: DuplicatePairWalk.Tier) throws -> [(String, Int64, Int64)] {
            var pairs: [(Int64, Int64)] = []
            var ids: Set<Int64> = []
            for group in DuplicatePairWalk.groups(rows, tier) where group.ids.count > 1 {
                let anchor = group.ids.min()!
                for other in group.ids where other != anchor && shared[Pair(a: anchor, b: other)] == nil {
                    pairs.append((anchor, other))
                }
                ids.formUnion(group.ids.filter { records[$0] == nil })
            }
            if !pairs.isEmpty {
                let found = try batch.shared(pairs)
                for (a, b) in pairs { shared[Pair(a: a, b: b)] = found[Pair(a: a, b: b)] ?? [] }
            }
            if !ids.isEmpty { records.merge(try batch.records(Array(ids))) { $1 } }
            return rows
        }

        func shared(_ a: Int64, _ b: Int64) throws -> [DuplicatePairWalk.SharedReason] {
            if let hit = shared[Pair(a: a, b: b)] { return hit }
            let found = try batch.shared([(a, b)])[Pair(a: a, b: b)] ?? []
            shared[Pair(a: a, b: b)] = found
            return found
        }

        func record(_ id: Int64) throws -> DuplicateRecord? {
            if let hit = records[id] { return hit }
            return try batch.records([id])[id]
        }
    }

    func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch] {
        try possibleDuplicates(of: probe, limit: limit, nameKey: DuplicateKey.name(probe.name),
                               phoneKeys: Set(probe.phones.compactMap { DuplicateKey.phone($0, region: db.phoneRegion) }))
    }
}
