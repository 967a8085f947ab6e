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
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, before: cursor, limit: limit, batch: duplicateReads)
    }

    public func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try PGDuplicates(db: db).pairs(tiers: Self.duplicateTiers, after: cursor, limit: limit, batch: duplicateReads)
    }

    private static func nocase(_ text: String) -> String { PGDuplicates.nocase(text) }

    /// The three reasons as walks of the keys more than one row has
    /// (schema 38, PGSchemaV38DuplicateKeyCounts), forward from $1 or
    /// backward to it: each candidate key is checked for more than one live
    /// contact (the counts include the trash), then its contacts are read;
    /// a weaker reason leaves out in SQL the contacts whose pair with the
    /// group's oldest is listed under a stronger one. The names walk only
    /// the groups that list a pair (schema 46, PGSchemaV46NamePairGroups):
    /// a group whose pairs all share an address or a number is not read.
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
            SELECT k.name_key, k.company_id FROM contact_name_pairs k
            WHERE (k.name_key COLLATE "C", k.company_id) \(bound) ($1::text, $2::bigint)
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

    /// The walk asks for a batch's reasons, then for the records of the
    /// same contacts (DuplicatePairPrefetch): both in one round trip (a
    /// pipeline: outside a transaction one snapshot), the records kept for
    /// the walk's `records` question, which then reads only ids not kept
    /// (each batch two round trips, not three; `G` reads two batches).
    var duplicateReads: PGDuplicates.Batch {
        var kept: [Int64: DuplicateRecord] = [:]
        return .init(shared: { [self] pairs in
            let ids = Set(pairs.flatMap { [$0.0, $0.1] }).sorted()
            let read = try c.pipeline([
                .init(Self.sharedReasonsSQL, [PGArrayLiteral.integers(pairs.map(\.0)), PGArrayLiteral.integers(pairs.map(\.1))]),
                .init(Self.duplicateRecordsSQL, [PGArrayLiteral.integers(ids)]),
            ])
            kept.merge(Self.duplicateRecords(read[1])) { $1 }
            return Self.sharedReasons(read[0])
        }, records: { [self] ids in
            let missing = ids.filter { kept[$0] == nil }
            if !missing.isEmpty { kept.merge(try duplicateRecords(missing)) { $1 } }
            return ids.reduce(into: [:]) { out, id in out[id] = kept[id] }
        })
    }

    /// Every reason each pair of contacts shares, each with its group key,
    /// in one statement: the same addresses (ordered as SQLite's NOCASE,
    /// then byte-wise), numbers (by match key) and name at one company as
    /// SQLite's sharedReasons reads for one pair.
    func sharedReasons(_ pairs: [(Int64, Int64)]) throws -> [PGDuplicates.Pair: [DuplicatePairWalk.SharedReason]] {
        Self.sharedReasons(try c.preparedQuery(Self.sharedReasonsSQL, [PGArrayLiteral.integers(pairs.map(\.0)),
                                                                       PGArrayLiteral.integers(pairs.map(\.1))]))
    }

    /// The rows of `sharedReasonsSQL`, by pair.
    static func sharedReasons(_ rows: PGRows) -> [PGDuplicates.Pair: [DuplicatePairWalk.SharedReason]] {
        var found: [PGDuplicates.Pair: [(kind: Int64, value: String, key: String)]] = [:]
        for row in rows {
            found[PGDuplicates.Pair(a: row.int64(0), b: row.int64(1)), default: []].append((row.int64(2), row.string(3), row.string(4)))
        }
        func bytes(_ x: String, _ y: String) -> Bool { x.utf8.lexicographicallyPrecedes(y.utf8) }
        return found.mapValues { reasons in
            let emails = reasons.filter { $0.kind == 0 }.sorted {
                $0.key != $1.key ? bytes($0.key, $1.key) : bytes($0.value, $1.value)
            }
            let phones = reasons.filter { $0.kind == 1 }.sorted { bytes($0.key, $1.key) }
            return emails.map { .init(reason: .sameEmail($0.value), key: $0.key) }
                + phones.map { .init(reason: .samePhone($0.value), key: $0.key) }
                + reasons.filter { $0.kind == 2 }.map { .init(reason: .similarName(company: $0.value), key: $0.key) }
        }
    }

    /// $1 and $2 the pairs' first and second contacts (arrays): (a, b, kind,
    /// value, key) with kind 0 an address (its folded key), 1 a number (the
    /// first of its match key's rows), 2 the company of a shared name. Each
    /// part is a LATERAL read by the pair's ids (OFFSET 0 keeps the planner
    /// from hashing a whole table against the pairs).
    static let sharedReasonsSQL = """
        WITH p AS (SELECT DISTINCT a, b FROM unnest($1::bigint[], $2::bigint[]) AS p(a, b))
        SELECT p.a, p.b, 0, e.email, \(nocase("e.email")) FROM p CROSS JOIN LATERAL (
            SELECT x.email FROM contact_emails x JOIN contact_emails y ON \(nocase("y.email")) = \(nocase("x.email"))
            WHERE x.contact_id = p.a AND y.contact_id = p.b GROUP BY x.email) e
        UNION ALL
        SELECT p.a, p.b, 1, n.number, n.k FROM p CROSS JOIN LATERAL (
            SELECT (array_agg(x.number ORDER BY x.id))[1] AS number, x.match_key COLLATE "C" AS k FROM contact_phones x
            JOIN contact_phones y ON y.match_key = x.match_key
            WHERE x.contact_id = p.a AND y.contact_id = p.b AND length(x.match_key) >= \(DuplicateKey.minimumPhoneDigits)
            GROUP BY 2) n
        UNION ALL
        SELECT p.a, p.b, 2, s.company, s.name_key FROM p CROSS JOIN LATERAL (
            SELECT co.name AS company, x.name_key FROM contacts x
            JOIN contacts y ON y.id = p.b AND y.name_key = x.name_key AND y.company_id = x.company_id
            JOIN companies co ON co.id = x.company_id
            WHERE x.id = p.a AND x.name_key <> '' OFFSET 0) s
        """

    /// Every reason contacts `a` and `b` share, each with its group key.
    func sharedReasons(_ a: Int64, _ b: Int64) throws -> [DuplicatePairWalk.SharedReason] {
        try sharedReasons([(a, b)])[PGDuplicates.Pair(a: a, b: b)] ?? []
    }

    /// $1 the ids. The company by its key for each record: a join hashed
    /// every company (10,000 at 100,000 contacts) for a page's 200 records.
    static let duplicateRecordsSQL = """
        SELECT c.id, c.name, (SELECT co.name FROM companies co WHERE co.id = c.company_id), c.updated_at FROM contacts c
        WHERE c.id = ANY($1::bigint[])
        """

    func duplicateRecords(_ ids: [Int64]) throws -> [Int64: DuplicateRecord] {
        Self.duplicateRecords(try c.preparedQuery(Self.duplicateRecordsSQL, [PGArrayLiteral.integers(ids)]))
    }

    /// The rows of `duplicateRecordsSQL`, by id.
    static func duplicateRecords(_ rows: PGRows) -> [Int64: DuplicateRecord] {
        var out: [Int64: DuplicateRecord] = [:]
        rows.rows.forEach {
            out[$0.int64(0)] = DuplicateRecord(id: $0.int64(0), name: $0.string(1), context: $0.optionalString(2), updatedAt: $0.date(3))
        }
        return out
    }
}
