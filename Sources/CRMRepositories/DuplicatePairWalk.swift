import Foundation

/// How both engines list pairs of records that look like one (contacts,
/// companies): each reason ("tier") is a walk of its index in key order, a
/// few groups at a time; a group of records sharing a key gives the pairs of
/// its oldest record with each other one, and a pair is listed once, under
/// the strongest reason it has, in the group of its smallest key of that
/// reason. The engines supply the SQL (`groups`) and the reads (`shared`,
/// `record`); this is the walk, so SQLite and PostgreSQL page alike.
public enum DuplicatePairWalk {
    /// One reason: its strength, and how its keys compare (an email address
    /// ignoring ASCII case).
    public struct Tier: Sendable {
        public let strength: DuplicateStrength
        public let fold: @Sendable (String) -> String
        public init(strength: DuplicateStrength, fold: @escaping @Sendable (String) -> String = { $0 }) {
            self.strength = strength
            self.fold = fold
        }
    }

    /// A reason two records share, with the key of the group it makes
    /// (folded as its tier folds).
    public struct SharedReason {
        public let reason: DuplicateReason
        public let key: String
        public init(reason: DuplicateReason, key: String) { self.reason = reason; self.key = key }
    }

    /// Pairs after `cursor`, strongest reason first. `groups(i, key, subKey,
    /// groupLimit)` returns the members of the next `groupLimit` groups of
    /// `tiers[i]` from that key on, as (key, sub key, id) ordered by key,
    /// sub key, id.
    public static func pairs(tiers: [Tier], after cursor: DuplicateCursor?, limit: Int,
                             groups readGroups: (Int, String, Int64, Int) throws -> [(String, Int64, Int64)],
                             shared: (Int64, Int64) throws -> [SharedReason],
                             record: (Int64) throws -> DuplicateRecord?) throws -> [DuplicatePair] {
        guard limit > 0 else { return [] }
        var out: [DuplicatePair] = []
        for index in tiers.indices.sorted(by: { tiers[$0].strength > tiers[$1].strength }) {
            let tier = tiers[index]
            if let cursor, tier.strength > cursor.strength { continue }
            var start = (cursor?.strength == tier.strength) ? cursor : nil
            // A group gives at least one pair, often many (an address shared
            // by 30): read a few groups first, more while pairs are missing.
            // 32 first: with 8, a page of 100 took three rounds of reads (on
            // PostgreSQL three round trips each) where two do.
            var batch = 32
            while out.count < limit {
                let groupLimit = min(limit - out.count + 1, batch)
                // Grows only until it passes the page: a walk past many groups that
                // give no pair (a million contacts, `G`) overflowed it after 30 rounds.
                if batch <= limit { batch *= 4 }
                let rows = try readGroups(index, start?.key ?? "", start?.subKey ?? Int64.min, groupLimit)
                if rows.isEmpty { break }
                let groups = Self.groups(rows, tier)
                for group in groups where group.ids.count > 1 {
                    let anchor = group.ids.min()!
                    let groupKey = tier.fold(group.key)
                    for other in group.ids.sorted() where other != anchor {
                        if let start, tier.fold(start.key) == groupKey, start.subKey == group.sub, other <= start.secondID {
                            continue
                        }
                        guard let pair = try Self.pair(tier, group: (group.key, group.sub), anchor: anchor, other: other,
                                                       shared: shared, record: record) else { continue }
                        out.append(pair)
                        if out.count == limit { return out }
                    }
                }
                let last = groups.last!
                // The next query starts at the last group read, past its pairs.
                start = DuplicateCursor(strength: tier.strength, key: last.key, subKey: last.sub, secondID: Int64.max)
                if groups.count < groupLimit { break }
            }
        }
        return out
    }

    /// Above every key a group can have (U+10FFFF never ends a key), for a
    /// backwards read from the end of the list.
    public static let endKey = "\u{10FFFF}"

    /// The `limit` pairs just before `cursor` in the list's order (nil: the
    /// list's last ones), in that order: each reason's keys read from their
    /// end, the weakest reason first, so the end of the list costs what its
    /// start does (`G` in the Duplicates list). `groups(i, key, subKey,
    /// groupLimit)` returns the members of the `groupLimit` groups of
    /// `tiers[i]` up to that key (included), as (key, sub key, id) in
    /// DESCENDING key and sub key order, ids ascending within a group.
    public static func pairs(tiers: [Tier], before cursor: DuplicateCursor?, limit: Int,
                             groups readGroups: (Int, String, Int64, Int) throws -> [(String, Int64, Int64)],
                             shared: (Int64, Int64) throws -> [SharedReason],
                             record: (Int64) throws -> DuplicateRecord?) throws -> [DuplicatePair] {
        guard limit > 0 else { return [] }
        // Collected from the end backwards, reversed at the end.
        var out: [DuplicatePair] = []
        for index in tiers.indices.sorted(by: { tiers[$0].strength < tiers[$1].strength }) {
            let tier = tiers[index]
            if let cursor, tier.strength < cursor.strength { continue }
            var end = (cursor?.strength == tier.strength) ? cursor : nil
            var batch = 32
            while out.count < limit {
                let groupLimit = min(limit - out.count + 1, batch)
                // As forward: grows only until it passes the page (overflowed at a million).
                if batch <= limit { batch *= 4 }
                let rows = try readGroups(index, end?.key ?? endKey, end?.subKey ?? Int64.max, groupLimit)
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

    /// Rows of a tier's query (key, sub key, record id), in key order, as
    /// groups of one key each (folded as the tier folds), each id once.
    public static func groups(_ rows: [(String, Int64, Int64)], _ tier: Tier) -> [(key: String, sub: Int64, ids: [Int64])] {
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

    /// ASCII case folded, as SQLite's NOCASE compares.
    @Sendable public static func nocase(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    }
}
