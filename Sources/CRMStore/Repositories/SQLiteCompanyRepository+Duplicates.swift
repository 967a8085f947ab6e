import CRMCore
import CRMRepositories
import Foundation

extension SQLiteCompanyRepository {
    public func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try DuplicateFinder(db: db).pairs(tiers: Self.duplicateTiers, after: cursor, limit: limit,
                                          shared: sharedReasons, record: duplicateRecord)
    }

    public func duplicatePairs(before cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try DuplicateFinder(db: db).pairs(tiers: Self.duplicateTiers, before: cursor, limit: limit,
                                          shared: sharedReasons, record: duplicateRecord)
    }

    /// Same web domain (the strong reason for companies), then the same
    /// folded name: ?1 the key to start at, ?3 how many groups.
    static let duplicateTiers: [DuplicateFinder.Tier] = [
        .init(strength: .email, sql: """
            SELECT lower(co.domain), 0, co.id FROM companies co
            WHERE co.deleted_at IS NULL AND co.domain <> '' AND lower(co.domain) IN (
                SELECT lower(d.domain) FROM companies d
                WHERE d.deleted_at IS NULL AND d.domain <> '' AND lower(d.domain) >= ?1
                GROUP BY lower(d.domain) HAVING count(*) > 1 ORDER BY lower(d.domain) LIMIT ?3)
            ORDER BY lower(co.domain), co.id
            """, reverseSQL: """
            SELECT lower(co.domain), 0, co.id FROM companies co
            WHERE co.deleted_at IS NULL AND co.domain <> '' AND lower(co.domain) IN (
                SELECT lower(d.domain) FROM companies d
                WHERE d.deleted_at IS NULL AND d.domain <> '' AND lower(d.domain) <= ?1
                GROUP BY lower(d.domain) HAVING count(*) > 1 ORDER BY lower(d.domain) DESC LIMIT ?3)
            ORDER BY lower(co.domain) DESC, co.id
            """),
        .init(strength: .name, sql: """
            SELECT co.name_key, 0, co.id FROM companies co
            WHERE co.deleted_at IS NULL AND co.name_key IN (
                SELECT n.name_key FROM companies n
                WHERE n.deleted_at IS NULL AND n.name_key <> '' AND n.name_key >= ?1
                GROUP BY n.name_key HAVING count(*) > 1 ORDER BY n.name_key LIMIT ?3)
            ORDER BY co.name_key, co.id
            """, reverseSQL: """
            SELECT co.name_key, 0, co.id FROM companies co
            WHERE co.deleted_at IS NULL AND co.name_key IN (
                SELECT n.name_key FROM companies n
                WHERE n.deleted_at IS NULL AND n.name_key <> '' AND n.name_key <= ?1
                GROUP BY n.name_key HAVING count(*) > 1 ORDER BY n.name_key DESC LIMIT ?3)
            ORDER BY co.name_key DESC, co.id
            """),
    ]

    func sharedReasons(_ a: Int64, _ b: Int64) throws -> [DuplicateFinder.SharedReason] {
        guard let pair = try c.first("""
            SELECT lower(x.domain), lower(y.domain), x.name_key, y.name_key, x.domain FROM companies x, companies y
            WHERE x.id = ? AND y.id = ?
            """, [a, b], { (domains: ($0.string(0), $0.string(1)), keys: ($0.string(2), $0.string(3)), domain: $0.string(4)) })
        else { return [] }
        var out: [DuplicateFinder.SharedReason] = []
        if !pair.domains.0.isEmpty && pair.domains.0 == pair.domains.1 {
            out.append(.init(reason: .sameDomain(pair.domain), key: pair.domains.0))
        }
        if !pair.keys.0.isEmpty && pair.keys.0 == pair.keys.1 {
            out.append(.init(reason: .similarName(company: nil), key: pair.keys.0))
        }
        return out
    }

    func duplicateRecord(_ id: Int64) throws -> DuplicateRecord? {
        try c.first("SELECT id, name, domain, updated_at FROM companies WHERE id = ?", [id]) {
            DuplicateRecord(id: $0.int64(0), name: $0.string(1), context: $0.string(2).isEmpty ? nil : $0.string(2),
                            updatedAt: $0.date(3))
        }
    }
}
