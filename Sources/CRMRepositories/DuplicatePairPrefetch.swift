import Foundation

/// The reads a pair of the Duplicates list needs, for many pairs at once:
/// the reasons each (anchor, other) pair shares, and the records.
/// `DuplicatePairWalk` asks for them one pair at a time; on PostgreSQL a round
/// trip each made a page of 100 pairs some 500 round trips, on SQLite some 500
/// statements (a third of the list's first page). Both engines answer a whole
/// batch of groups in two statements through `DuplicatePairPrefetch`.
public struct DuplicatePairReads {
    public struct Pair: Hashable, Sendable {
        public let a: Int64, b: Int64
        public init(a: Int64, b: Int64) { self.a = a; self.b = b }
    }

    public let shared: (_ pairs: [(Int64, Int64)]) throws -> [Pair: [DuplicatePairWalk.SharedReason]]
    public let records: (_ ids: [Int64]) throws -> [Int64: DuplicateRecord]

    public init(shared: @escaping (_ pairs: [(Int64, Int64)]) throws -> [Pair: [DuplicatePairWalk.SharedReason]],
                records: @escaping (_ ids: [Int64]) throws -> [Int64: DuplicateRecord]) {
        self.shared = shared
        self.records = records
    }
}

/// As each batch of groups arrives (`groups`), the reasons of all its
/// (anchor, other) pairs and all its records are read in two statements and
/// the walk's one-pair questions (`shared`, `record`) are answered from here.
public final class DuplicatePairPrefetch {
    let reads: DuplicatePairReads
    var shared: [DuplicatePairReads.Pair: [DuplicatePairWalk.SharedReason]] = [:]
    var records: [Int64: DuplicateRecord] = [:]

    public init(_ reads: DuplicatePairReads) { self.reads = reads }

    /// `rows` of a tier's walk, passed through after their pairs are read.
    public func groups(_ rows: [(String, Int64, Int64)], _ tier: DuplicatePairWalk.Tier) throws -> [(String, Int64, Int64)] {
        var pairs: [(Int64, Int64)] = []
        var ids: Set<Int64> = []
        for group in DuplicatePairWalk.groups(rows, tier) where group.ids.count > 1 {
            let anchor = group.ids.min()!
            for other in group.ids where other != anchor && shared[.init(a: anchor, b: other)] == nil {
                pairs.append((anchor, other))
            }
            ids.formUnion(group.ids.filter { records[$0] == nil })
        }
        if !pairs.isEmpty {
            let found = try reads.shared(pairs)
            for (a, b) in pairs { shared[.init(a: a, b: b)] = found[.init(a: a, b: b)] ?? [] }
        }
        // Sorted: the statement reads them in one order whatever the set's.
        if !ids.isEmpty { records.merge(try reads.records(ids.sorted())) { $1 } }
        return rows
    }

    public func shared(_ a: Int64, _ b: Int64) throws -> [DuplicatePairWalk.SharedReason] {
        if let hit = shared[.init(a: a, b: b)] { return hit }
        let found = try reads.shared([(a, b)])[.init(a: a, b: b)] ?? []
        shared[.init(a: a, b: b)] = found
        return found
    }

    public func record(_ id: Int64) throws -> DuplicateRecord? {
        if let hit = records[id] { return hit }
        return try reads.records([id])[id]
    }
}
