import CRMCore
import CRMRepositories
import Foundation

/// SQLiteContactRepository+Duplicates on PostgreSQL: the same three reasons
/// as walks of their shared keys (email ignoring ASCII case, phone match key,
/// name key at one company), in SQLite's byte order, from either end.
extension PGContactRepository {
    public func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch] {
        try PGDuplicates(db: db).possibleDuplicates(of: probe, limit: limit)
    }

    public func duplicatePairs(before cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, before: cursor, limit: limit,
                                       shared: sharedReasons, record: duplicateRecord)
    }

    public func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, after: cursor, limit: limit,
                                       shared: sharedReasons, record: duplicateRecord)
    }

    private static func nocase(_ text: String) -> String { PGDuplicates.nocase(text) }

    /// The three reasons as walks of the keys more than one row has
    /// (schema 38, PGSchemaV38DuplicateKeyCounts), forward from $1 or
    /// backward to it: each candidate key is checked for more than one live
    /// contact (the counts include the trash), then its contacts are read;
    /// a weaker reason leaves out in SQL the contacts whose pair with the
    /// group's oldest is listed under a stronger one.
    static let duplicateTiers: [PGDuplicates.Tier] = [
        .init(walk: .init(strength: .email, fold: DuplicatePairWalk.nocase),
              sql: emailTier(">=", order: "ASC"), reverseSQL: emailTier("<=", order: "DESC")),
        .init(walk: .init(strength: .phone), sql: phoneTier(">=", order: "ASC"), reverseSQL: phoneTier("<=", order: "DESC")),
        .init(walk: .init(strength: .name), sql: nameTier(">=", order: "ASC"), reverseSQL: nameTier("<=", order: "DESC"),
              usesSubKey: true),
    ]

    /// `bound` compares a key with the cursor's ($1), `order` is the walk's direction.
    private static func emailTier(_ bound: String, order: String) -> String {
        """
        WITH g AS (
            SELECT k.email AS k FROM contact_email_key_counts k
            WHERE k.n > 1 AND k.email \(bound) \(nocase("$1::text"))
              AND (SELECT count(DISTINCT x.contact_id) FROM contact_emails x JOIN contacts xc ON xc.id = x.contact_id
                   WHERE \(nocase("x.email")) = k.email AND xc.deleted_at IS NULL) > 1
            ORDER BY k.email \(order) LIMIT $2::bigint)
        SELECT ce.email, 0, ce.contact_id FROM g
        JOIN contact_emails ce ON \(nocase("ce.email")) = g.k
        JOIN contacts c ON c.id = ce.contact_id AND c.deleted_at IS NULL
        ORDER BY g.k \(order), ce.contact_id
        """
    }

    private static func phoneTier(_ bound: String, order: String) -> String {
        """
        WITH found AS (
            SELECT k.match_key AS k FROM contact_phone_key_counts k
            WHERE k.n > 1 AND k.match_key COLLATE "C" \(bound) $1::text
              AND length(k.match_key) >= \(DuplicateKey.minimumPhoneDigits)
              AND (SELECT count(DISTINCT x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                   WHERE x.match_key = k.match_key AND xc.deleted_at IS NULL) > 1
            ORDER BY k.match_key COLLATE "C" \(order) LIMIT $2::bigint),
        g AS (
            SELECT k, (SELECT min(x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                       WHERE x.match_key = found.k AND xc.deleted_at IS NULL) AS anchor
            FROM found)
        SELECT g.k, 0, p.contact_id FROM g
        JOIN contact_phones p ON p.match_key = g.k
        JOIN contacts c ON c.id = p.contact_id AND c.deleted_at IS NULL
        WHERE p.contact_id = g.anchor OR NOT \(sharesEmail("p.contact_id"))
        ORDER BY g.k COLLATE "C" \(order), p.contact_id
        """
    }

    private static func nameTier(_ bound: String, order: String) -> String {
        """
        WITH found AS (
            SELECT k.name_key, k.company_id FROM contact_name_key_counts k
            WHERE k.n > 1 AND k.name_key <> ''
              AND (k.name_key COLLATE "C", k.company_id) \(bound) ($1::text, $2::bigint)
              AND (SELECT count(*) FROM contacts n WHERE n.name_key = k.name_key AND n.company_id = k.company_id
                     AND n.deleted_at IS NULL) > 1
            ORDER BY k.name_key COLLATE "C" \(order), k.company_id \(order) LIMIT $3::bigint),
        g AS (
            SELECT name_key, company_id,
                   (SELECT min(n.id) FROM contacts n WHERE n.name_key = found.name_key AND n.company_id = found.company_id
                      AND n.deleted_at IS NULL) AS anchor
            FROM found)
        SELECT g.name_key, g.company_id, c.id FROM g
        JOIN contacts c ON c.name_key = g.name_key AND c.company_id = g.company_id AND c.deleted_at IS NULL
        WHERE c.id = g.anchor OR NOT (\(sharesEmail("c.id")) OR \(sharesPhone("c.id")))
        ORDER BY g.name_key COLLATE "C" \(order), g.company_id \(order), c.id
        """
    }

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
