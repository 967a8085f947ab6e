import CRMCore
import CRMRepositories
import Foundation

/// SQLiteCompanyRepository+Duplicates on PostgreSQL: the same web domain
/// (ignoring ASCII case), then the same folded name.
extension PGCompanyRepository {
    public func duplicatePairs(before cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, before: cursor, limit: limit,
                                       shared: sharedReasons, record: duplicateRecord)
    }

    public func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, after: cursor, limit: limit,
                                       shared: sharedReasons, record: duplicateRecord)
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

    func sharedReasons(_ a: Int64, _ b: Int64) throws -> [DuplicatePairWalk.SharedReason] {
        guard let pair = try c.first("""
            SELECT x.domain, y.domain, x.name_key, y.name_key FROM companies x, companies y
            WHERE x.id = ?::bigint AND y.id = ?::bigint
            """, [a, b], { (domains: ($0.string(0), $0.string(1)), keys: ($0.string(2), $0.string(3))) })
        else { return [] }
        var out: [DuplicatePairWalk.SharedReason] = []
        let domains = (DuplicatePairWalk.nocase(pair.domains.0), DuplicatePairWalk.nocase(pair.domains.1))
        if !domains.0.isEmpty && domains.0 == domains.1 {
            out.append(.init(reason: .sameDomain(pair.domains.0), key: domains.0))
        }
        if !pair.keys.0.isEmpty && pair.keys.0 == pair.keys.1 {
            out.append(.init(reason: .similarName(company: nil), key: pair.keys.0))
        }
        return out
    }

    func duplicateRecord(_ id: Int64) throws -> DuplicateRecord? {
        try c.first("SELECT id, name, domain, updated_at FROM companies WHERE id = ?::bigint", [id]) {
            DuplicateRecord(id: $0.int64(0), name: $0.string(1), context: $0.string(2).isEmpty ? nil : $0.string(2),
                            updatedAt: $0.date(3))
        }
    }
}
