import CRMCore
import CRMRepositories
import Foundation

extension SQLiteContactRepository {
    public func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch] {
        try DuplicateFinder(db: db).possibleDuplicates(of: probe, limit: limit)
    }

    public func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try DuplicateFinder(db: db).pairs(tiers: Self.duplicateTiers, after: cursor, limit: limit,
                                          shared: sharedReasons, record: duplicateRecord)
    }

    /// The three reasons as index walks: ?1 the key to start at, ?2 the
    /// company to start at (names), ?3 how many groups.
    static let duplicateTiers: [DuplicateFinder.Tier] = [
        .init(strength: .email, sql: """
            SELECT ce.email, 0, ce.contact_id FROM contact_emails ce JOIN contacts c ON c.id = ce.contact_id
            WHERE c.deleted_at IS NULL AND ce.email COLLATE NOCASE IN (
                SELECT e.email FROM contact_emails e JOIN contacts ec ON ec.id = e.contact_id
                WHERE ec.deleted_at IS NULL AND e.email >= ?1 COLLATE NOCASE
                GROUP BY e.email COLLATE NOCASE HAVING count(DISTINCT e.contact_id) > 1
                ORDER BY e.email COLLATE NOCASE LIMIT ?3)
            ORDER BY ce.email COLLATE NOCASE, ce.contact_id
            """, fold: nocase),
        .init(strength: .phone, sql: """
            SELECT \(DuplicateFinder.phoneKey), 0, p.contact_id FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
            WHERE c.deleted_at IS NULL AND \(DuplicateFinder.phoneKey) IN (
                SELECT coalesce(nullif(q.e164, ''), q.digits) FROM contact_phones q JOIN contacts qc ON qc.id = q.contact_id
                WHERE qc.deleted_at IS NULL AND coalesce(nullif(q.e164, ''), q.digits) >= ?1
                  AND length(coalesce(nullif(q.e164, ''), q.digits)) >= \(DuplicateKey.minimumPhoneDigits)
                GROUP BY coalesce(nullif(q.e164, ''), q.digits) HAVING count(DISTINCT q.contact_id) > 1
                ORDER BY coalesce(nullif(q.e164, ''), q.digits) LIMIT ?3)
            ORDER BY 1, p.contact_id
            """),
        .init(strength: .name, sql: """
            SELECT c.name_key, c.company_id, c.id FROM contacts c
            WHERE c.deleted_at IS NULL AND (c.name_key, c.company_id) IN (
                SELECT n.name_key, n.company_id FROM contacts n
                WHERE n.deleted_at IS NULL AND n.company_id IS NOT NULL AND n.name_key <> ''
                  AND (n.name_key, n.company_id) >= (?1, ?2)
                GROUP BY n.name_key, n.company_id HAVING count(*) > 1
                ORDER BY n.name_key, n.company_id LIMIT ?3)
            ORDER BY c.name_key, c.company_id, c.id
            """),
    ]

    /// Every reason contacts `a` and `b` share, each with its group key.
    func sharedReasons(_ a: Int64, _ b: Int64) throws -> [DuplicateFinder.SharedReason] {
        var out = try c.rows("""
            SELECT DISTINCT x.email FROM contact_emails x JOIN contact_emails y ON y.email = x.email COLLATE NOCASE
            WHERE x.contact_id = ? AND y.contact_id = ? ORDER BY x.email COLLATE NOCASE
            """, [a, b]) { DuplicateFinder.SharedReason(reason: .sameEmail($0.string(0)), key: nocase($0.string(0))) }
        out += try c.rows("""
            SELECT x.number, coalesce(nullif(x.e164, ''), x.digits) FROM contact_phones x
            JOIN contact_phones y ON coalesce(nullif(y.e164, ''), y.digits) = coalesce(nullif(x.e164, ''), x.digits)
            WHERE x.contact_id = ? AND y.contact_id = ?
              AND length(coalesce(nullif(x.e164, ''), x.digits)) >= \(DuplicateKey.minimumPhoneDigits)
            GROUP BY 2 ORDER BY 2
            """, [a, b]) { DuplicateFinder.SharedReason(reason: .samePhone($0.string(0)), key: $0.string(1)) }
        out += try c.rows("""
            SELECT co.name, x.name_key FROM contacts x JOIN contacts y ON y.name_key = x.name_key AND y.company_id = x.company_id
            JOIN companies co ON co.id = x.company_id
            WHERE x.id = ? AND y.id = ? AND x.name_key <> ''
            """, [a, b]) { DuplicateFinder.SharedReason(reason: .similarName(company: $0.string(0)), key: $0.string(1)) }
        return out
    }

    func duplicateRecord(_ id: Int64) throws -> DuplicateRecord? {
        try c.first("""
            SELECT c.id, c.name, co.name, c.updated_at FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
            WHERE c.id = ?
            """, [id]) { DuplicateRecord(id: $0.int64(0), name: $0.string(1), context: $0.optionalString(2), updatedAt: $0.date(3)) }
    }
}
