import CRMCore
import CRMRepositories
import Foundation

/// SQLiteCompanyRepository+Duplicates on PostgreSQL: the same web domain
/// (ignoring ASCII case), then the same folded name.
extension PGCompanyRepository {
    public func duplicatePairs(before cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, before: cursor, limit: limit, batch: duplicateReads)
    }

    public func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, after: cursor, limit: limit, batch: duplicateReads)
    }

    private static let domain = PGDuplicates.nocase("co.domain")

    /// Same web domain, then the same folded name, each a walk of its
    /// byte-ordered index (schema 38) from $1 on, or backward to it.
    static let duplicateTiers: [PGDuplicates.Tier] = [
        .init(walk: .init(strength: .email), sql: domainTier(">=", order: "ASC"), reverseSQL: domainTier("<=", order: "DESC")),
        .init(walk: .init(strength: .name), sql: nameTier(">=", order: "ASC"), reverseSQL: nameTier("<=", order: "DESC")),
    ]

    /// The groups first (LIMIT over the index), then each group's
    /// companies through the same index: one probe per group, never a pass
    /// over every company (OFFSET 0 keeps the planner from flattening the
    /// LATERAL into a hash join that reads them all).
    private static func domainTier(_ bound: String, order: String) -> String {
        """
        WITH g AS (
            SELECT \(PGDuplicates.nocase("d.domain")) AS k FROM companies d
            WHERE d.deleted_at IS NULL AND d.domain <> '' AND \(PGDuplicates.nocase("d.domain")) \(bound) $1::text
            GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 \(order) LIMIT $2::bigint)
        SELECT g.k, 0, m.id FROM g CROSS JOIN LATERAL (
            SELECT co.id FROM companies co WHERE co.deleted_at IS NULL AND co.domain <> '' AND \(domain) = g.k OFFSET 0) m
        ORDER BY 1 \(order), m.id
        """
    }

    private static func nameTier(_ bound: String, order: String) -> String {
        """
        WITH g AS (
            SELECT n.name_key COLLATE "C" AS k FROM companies n
            WHERE n.deleted_at IS NULL AND n.name_key <> '' AND n.name_key COLLATE "C" \(bound) $1::text
            GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 \(order) LIMIT $2::bigint)
        SELECT g.k, 0, m.id FROM g CROSS JOIN LATERAL (
            SELECT co.id FROM companies co WHERE co.deleted_at IS NULL AND co.name_key <> '' AND co.name_key COLLATE "C" = g.k OFFSET 0) m
        ORDER BY 1 \(order), m.id
        """
    }

    var duplicateReads: PGDuplicates.Batch { .init(shared: sharedReasons, records: duplicateRecords) }

    /// The same domain (ASCII case ignored), the same name key, of each pair, in one statement.
    func sharedReasons(_ pairs: [(Int64, Int64)]) throws -> [PGDuplicates.Pair: [DuplicatePairWalk.SharedReason]] {
        var out: [PGDuplicates.Pair: [DuplicatePairWalk.SharedReason]] = [:]
        try c.query("""
            SELECT p.a, p.b, x.domain, y.domain, x.name_key, y.name_key
            FROM unnest($1::bigint[], $2::bigint[]) AS p(a, b) JOIN companies x ON x.id = p.a JOIN companies y ON y.id = p.b
            """, [PGArrayLiteral.integers(pairs.map(\.0)), PGArrayLiteral.integers(pairs.map(\.1))]).rows.forEach { row in
            var reasons: [DuplicatePairWalk.SharedReason] = []
            let domain = row.string(2)
            let domains = (DuplicatePairWalk.nocase(domain), DuplicatePairWalk.nocase(row.string(3)))
            if !domains.0.isEmpty && domains.0 == domains.1 {
                reasons.append(.init(reason: .sameDomain(domain), key: domains.0))
            }
            let keys = (row.string(4), row.string(5))
            if !keys.0.isEmpty && keys.0 == keys.1 {
                reasons.append(.init(reason: .similarName(company: nil), key: keys.0))
            }
            out[PGDuplicates.Pair(a: row.int64(0), b: row.int64(1))] = reasons
        }
        return out
    }

    func duplicateRecords(_ ids: [Int64]) throws -> [Int64: DuplicateRecord] {
        var out: [Int64: DuplicateRecord] = [:]
        try c.query("SELECT id, name, domain, updated_at FROM companies WHERE id = ANY($1::bigint[])", [PGArrayLiteral.integers(ids)])
            .rows.forEach {
                out[$0.int64(0)] = DuplicateRecord(id: $0.int64(0), name: $0.string(1),
                                                   context: $0.string(2).isEmpty ? nil : $0.string(2), updatedAt: $0.date(3))
            }
        return out
    }
}
