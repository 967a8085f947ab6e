import CRMCore
import CRMRepositories
import Foundation

/// SQLiteContactRepository+Duplicates on PostgreSQL: the same three reasons
/// as walks of their keys (email ignoring ASCII case, phone match key, name
/// key at one company), in SQLite's byte order.
extension PGContactRepository {
    public func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch] {
        try PGDuplicates(db: db).possibleDuplicates(of: probe, limit: limit)
    }

    public func duplicatePairs(before cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates.pairs(before: cursor, limit: limit) { after, n in try duplicatePairs(after: after, limit: n) }
    }

    public func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, after: cursor, limit: limit,
                                       shared: sharedReasons, record: duplicateRecord)
    }

    private static func nocase(_ text: String) -> String { PGDuplicates.nocase(text) }

    static let duplicateTiers: [PGDuplicates.Tier] = [
        .init(walk: .init(strength: .email, fold: DuplicatePairWalk.nocase), sql: """
            WITH g AS (
                SELECT \(nocase("e.email")) AS k FROM contact_emails e JOIN contacts xc ON xc.id = e.contact_id AND xc.deleted_at IS NULL
                WHERE \(nocase("e.email")) >= \(nocase("$1::text"))
                GROUP BY 1 HAVING count(DISTINCT e.contact_id) > 1
                ORDER BY 1 LIMIT $2::bigint)
            SELECT ce.email, 0, ce.contact_id FROM g
            JOIN contact_emails ce ON \(nocase("ce.email")) = g.k
            JOIN contacts c ON c.id = ce.contact_id AND c.deleted_at IS NULL
            ORDER BY \(nocase("ce.email")), ce.contact_id
            """),
        .init(walk: .init(strength: .phone), sql: """
            WITH found AS (
                SELECT q.match_key COLLATE "C" AS k FROM contact_phones q JOIN contacts xc ON xc.id = q.contact_id AND xc.deleted_at IS NULL
                WHERE q.match_key COLLATE "C" >= $1::text AND length(q.match_key) >= \(DuplicateKey.minimumPhoneDigits)
                GROUP BY 1 HAVING count(DISTINCT q.contact_id) > 1
                ORDER BY 1 LIMIT $2::bigint),
            g AS (
                SELECT k, (SELECT min(x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                           WHERE x.match_key = found.k AND xc.deleted_at IS NULL) AS anchor
                FROM found)
            SELECT g.k, 0, p.contact_id FROM g
            JOIN contact_phones p ON p.match_key = g.k
            JOIN contacts c ON c.id = p.contact_id AND c.deleted_at IS NULL
            WHERE p.contact_id = g.anchor OR NOT \(sharesEmail("p.contact_id"))
            ORDER BY 1, p.contact_id
            """),
        .init(walk: .init(strength: .name), sql: """
            WITH g AS (
                SELECT n.name_key COLLATE "C" AS name_key, n.company_id, min(n.id) AS anchor FROM contacts n
                WHERE n.deleted_at IS NULL AND n.company_id IS NOT NULL AND n.name_key <> ''
                  AND (n.name_key COLLATE "C", n.company_id) >= ($1::text, $2::bigint)
                GROUP BY 1, 2 HAVING count(*) > 1
                ORDER BY 1, 2 LIMIT $3::bigint)
            SELECT g.name_key, g.company_id, c.id FROM g
            JOIN contacts c ON c.name_key = g.name_key AND c.company_id = g.company_id AND c.deleted_at IS NULL
            WHERE c.id = g.anchor OR NOT (\(sharesEmail("c.id")) OR \(sharesPhone("c.id")))
            ORDER BY 1, 2, c.id
            """, usesSubKey: true),
    ]

    /// Whether contact `id` shares an email with its group's anchor (`g.anchor`):
    /// its pair is listed under that stronger reason.
    private static func sharesEmail(_ id: String) -> String {
        """
        EXISTS (SELECT 1 FROM contact_emails x JOIN contact_emails y ON \(nocase("y.email")) = \(nocase("x.email"))
                WHERE x.contact_id = g.anchor AND y.contact_id = \(id))
        """
    }

    private static func sharesPhone(_ id: String) -> String {
        """
        EXISTS (SELECT 1 FROM contact_phones x JOIN contact_phones y ON y.match_key = x.match_key
                WHERE x.contact_id = g.anchor AND y.contact_id = \(id)
                  AND length(x.match_key) >= \(DuplicateKey.minimumPhoneDigits))
        """
    }

    /// Every reason contacts `a` and `b` share, each with its group key.
    func sharedReasons(_ a: Int64, _ b: Int64) throws -> [DuplicatePairWalk.SharedReason] {
        var out = try c.rows("""
            SELECT x.email FROM contact_emails x JOIN contact_emails y ON \(Self.nocase("y.email")) = \(Self.nocase("x.email"))
            WHERE x.contact_id = ?::bigint AND y.contact_id = ?::bigint GROUP BY x.email ORDER BY \(Self.nocase("x.email")), x.email COLLATE "C"
            """, [a, b]) { DuplicatePairWalk.SharedReason(reason: .sameEmail($0.string(0)), key: DuplicatePairWalk.nocase($0.string(0))) }
        out += try c.rows("""
            SELECT (array_agg(x.number ORDER BY x.id))[1], x.match_key COLLATE "C" FROM contact_phones x
            JOIN contact_phones y ON y.match_key = x.match_key
            WHERE x.contact_id = ?::bigint AND y.contact_id = ?::bigint AND length(x.match_key) >= \(DuplicateKey.minimumPhoneDigits)
            GROUP BY 2 ORDER BY 2
            """, [a, b]) { DuplicatePairWalk.SharedReason(reason: .samePhone($0.string(0)), key: $0.string(1)) }
        out += try c.rows("""
            SELECT co.name, x.name_key FROM contacts x JOIN contacts y ON y.name_key = x.name_key AND y.company_id = x.company_id
            JOIN companies co ON co.id = x.company_id
            WHERE x.id = ?::bigint AND y.id = ?::bigint AND x.name_key <> ''
            """, [a, b]) { DuplicatePairWalk.SharedReason(reason: .similarName(company: $0.string(0)), key: $0.string(1)) }
        return out
    }

    func duplicateRecord(_ id: Int64) throws -> DuplicateRecord? {
        try c.first("""
            SELECT c.id, c.name, co.name, c.updated_at FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
            WHERE c.id = ?::bigint
            """, [id]) { DuplicateRecord(id: $0.int64(0), name: $0.string(1), context: $0.optionalString(2), updatedAt: $0.date(3)) }
    }
}
