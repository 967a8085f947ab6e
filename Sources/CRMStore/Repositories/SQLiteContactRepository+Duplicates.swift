import CRMCore
import CRMRepositories
import Foundation

extension SQLiteContactRepository {
    public func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch] {
        try DuplicateFinder(db: db).possibleDuplicates(of: probe, limit: limit)
    }

    public func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try DuplicateFinder(db: db).pairs(tiers: duplicateTiers, after: cursor, limit: limit, reads: duplicateReads)
    }

    public func duplicatePairs(before cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair] {
        try DuplicateFinder(db: db).pairs(tiers: duplicateTiers, before: cursor, limit: limit, reads: duplicateReads)
    }

    /// The reasons' walks: over the keys more than one row has (schema 36),
    /// or, in a file read as it is at an older schema, over every key.
    var duplicateTiers: [DuplicateFinder.Tier] {
        db.hasNamePairGroups ? Self.listedTiers : db.hasDuplicateKeyCounts ? Self.countedTiers : Self.scannedTiers
    }

    /// Since schema 46 the names walk only the groups that list a pair
    /// (`SchemaV46NamePairGroups`): a group whose every pair is listed under
    /// a shared address or number is no longer read at all, so the list's
    /// end (`G`) and the page after the numbers cost what its start does.
    static let listedTiers: [DuplicateFinder.Tier] = Array(countedTiers.prefix(2)) + [
        nameTier(groups: "contact_name_pairs k") { $0 },
    ]

    /// The three reasons as index walks: ?1 the key to start at, ?2 the
    /// company to start at (names), ?3 how many groups. Each groups its
    /// index alone (address or number, then contact) and looks at the
    /// contacts (in the trash?) only for the groups it found; a weaker
    /// reason leaves out in SQL the contacts whose pair with the group's
    /// oldest is listed under a stronger one. Two contacts in a group is
    /// `min <> max` of its contact ids: no temporary b-tree per group, as a
    /// count of distinct ids would make.
    static let scannedTiers: [DuplicateFinder.Tier] = [
        .init(strength: .email, sql: """
            WITH g AS (
                SELECT e.email AS k FROM contact_emails e
                WHERE e.email >= ?1 COLLATE NOCASE
                GROUP BY e.email COLLATE NOCASE
                HAVING min(e.contact_id) <> max(e.contact_id)
                   AND (SELECT count(DISTINCT x.contact_id) FROM contact_emails x JOIN contacts xc ON xc.id = x.contact_id
                        WHERE x.email = e.email COLLATE NOCASE AND xc.deleted_at IS NULL) > 1
                ORDER BY e.email COLLATE NOCASE LIMIT ?3)
            SELECT ce.email, 0, ce.contact_id FROM g
            JOIN contact_emails ce ON ce.email = g.k COLLATE NOCASE
            JOIN contacts c ON c.id = ce.contact_id AND c.deleted_at IS NULL
            ORDER BY ce.email COLLATE NOCASE, ce.contact_id
            """, reverseSQL: """
            WITH g AS (
                SELECT e.email AS k FROM contact_emails e
                WHERE e.email <= ?1 COLLATE NOCASE
                GROUP BY e.email COLLATE NOCASE
                HAVING min(e.contact_id) <> max(e.contact_id)
                   AND (SELECT count(DISTINCT x.contact_id) FROM contact_emails x JOIN contacts xc ON xc.id = x.contact_id
                        WHERE x.email = e.email COLLATE NOCASE AND xc.deleted_at IS NULL) > 1
                ORDER BY e.email COLLATE NOCASE DESC LIMIT ?3)
            SELECT ce.email, 0, ce.contact_id FROM g
            JOIN contact_emails ce ON ce.email = g.k COLLATE NOCASE
            JOIN contacts c ON c.id = ce.contact_id AND c.deleted_at IS NULL
            ORDER BY ce.email COLLATE NOCASE DESC, ce.contact_id
            """, fold: nocase),
        .init(strength: .phone, sql: """
            WITH found AS (
                SELECT q.match_key AS k FROM contact_phones q
                WHERE q.match_key >= ?1 AND length(q.match_key) >= \(DuplicateKey.minimumPhoneDigits)
                GROUP BY q.match_key
                HAVING min(q.contact_id) <> max(q.contact_id)
                   AND (SELECT count(DISTINCT x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                        WHERE x.match_key = q.match_key AND xc.deleted_at IS NULL) > 1
                ORDER BY q.match_key LIMIT ?3),
            g AS (
                SELECT k, (SELECT min(x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                           WHERE x.match_key = found.k AND xc.deleted_at IS NULL) AS anchor
                FROM found)
            SELECT g.k, 0, p.contact_id FROM g
            JOIN contact_phones p ON p.match_key = g.k
            JOIN contacts c ON c.id = p.contact_id AND c.deleted_at IS NULL
            WHERE p.contact_id = g.anchor OR NOT \(sharesEmail("p.contact_id"))
            ORDER BY 1, p.contact_id
            """, reverseSQL: """
            WITH found AS (
                SELECT q.match_key AS k FROM contact_phones q
                WHERE q.match_key <= ?1 AND length(q.match_key) >= \(DuplicateKey.minimumPhoneDigits)
                GROUP BY q.match_key
                HAVING min(q.contact_id) <> max(q.contact_id)
                   AND (SELECT count(DISTINCT x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                        WHERE x.match_key = q.match_key AND xc.deleted_at IS NULL) > 1
                ORDER BY q.match_key DESC LIMIT ?3),
            g AS (
                SELECT k, (SELECT min(x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                           WHERE x.match_key = found.k AND xc.deleted_at IS NULL) AS anchor
                FROM found)
            SELECT g.k, 0, p.contact_id FROM g
            JOIN contact_phones p ON p.match_key = g.k
            JOIN contacts c ON c.id = p.contact_id AND c.deleted_at IS NULL
            WHERE p.contact_id = g.anchor OR NOT \(sharesEmail("p.contact_id"))
            ORDER BY 1 DESC, p.contact_id
            """),
        .init(strength: .name, sql: """
            WITH g AS (
                SELECT n.name_key, n.company_id, min(n.id) AS anchor FROM contacts n
                WHERE n.deleted_at IS NULL AND n.company_id IS NOT NULL AND n.name_key <> ''
                  AND (n.name_key, n.company_id) >= (?1, ?2)
                GROUP BY n.name_key, n.company_id HAVING count(*) > 1
                ORDER BY n.name_key, n.company_id LIMIT ?3)
            SELECT g.name_key, g.company_id, c.id FROM g
            JOIN contacts c ON c.name_key = g.name_key AND c.company_id = g.company_id AND c.deleted_at IS NULL
            WHERE c.id = g.anchor OR NOT (\(sharesEmail("c.id")) OR \(sharesPhone("c.id")))
            ORDER BY 1, 2, c.id
            """, reverseSQL: """
            WITH g AS (
                SELECT n.name_key, n.company_id, min(n.id) AS anchor FROM contacts n
                WHERE n.deleted_at IS NULL AND n.company_id IS NOT NULL AND n.name_key <> ''
                  AND (n.name_key, n.company_id) <= (?1, ?2)
                GROUP BY n.name_key, n.company_id HAVING count(*) > 1
                ORDER BY n.name_key DESC, n.company_id DESC LIMIT ?3)
            SELECT g.name_key, g.company_id, c.id FROM g
            JOIN contacts c ON c.name_key = g.name_key AND c.company_id = g.company_id AND c.deleted_at IS NULL
            WHERE c.id = g.anchor OR NOT (\(sharesEmail("c.id")) OR \(sharesPhone("c.id")))
            ORDER BY 1 DESC, 2 DESC, c.id
            """),
    ]

    /// The same groups, in the same order, walked over the keys that more
    /// than one row has (`SchemaV36DuplicateKeyCounts`): the partial index
    /// of each count table holds only those, so a page past a reason's last
    /// group (or `G`, read from the end) no longer reads every key of its
    /// index. Each candidate key is checked as before: more than one live
    /// contact has it (the counts include the trash).
    static let countedTiers: [DuplicateFinder.Tier] = [
        .init(strength: .email, sql: """
            WITH g AS (
                SELECT k.email AS k FROM contact_email_key_counts k INDEXED BY contact_email_keys_shared
                WHERE k.n > 1 AND k.email >= ?1
                  AND (SELECT count(DISTINCT x.contact_id) FROM contact_emails x JOIN contacts xc ON xc.id = x.contact_id
                       WHERE x.email = k.email COLLATE NOCASE AND xc.deleted_at IS NULL) > 1
                ORDER BY k.email LIMIT ?3)
            SELECT ce.email, 0, ce.contact_id FROM g
            JOIN contact_emails ce ON ce.email = g.k COLLATE NOCASE
            JOIN contacts c ON c.id = ce.contact_id AND c.deleted_at IS NULL
            ORDER BY ce.email COLLATE NOCASE, ce.contact_id
            """, reverseSQL: """
            WITH g AS (
                SELECT k.email AS k FROM contact_email_key_counts k INDEXED BY contact_email_keys_shared
                WHERE k.n > 1 AND k.email <= ?1
                  AND (SELECT count(DISTINCT x.contact_id) FROM contact_emails x JOIN contacts xc ON xc.id = x.contact_id
                       WHERE x.email = k.email COLLATE NOCASE AND xc.deleted_at IS NULL) > 1
                ORDER BY k.email DESC LIMIT ?3)
            SELECT ce.email, 0, ce.contact_id FROM g
            JOIN contact_emails ce ON ce.email = g.k COLLATE NOCASE
            JOIN contacts c ON c.id = ce.contact_id AND c.deleted_at IS NULL
            ORDER BY ce.email COLLATE NOCASE DESC, ce.contact_id
            """, fold: nocase),
        .init(strength: .phone, sql: """
            WITH found AS (
                SELECT k.match_key AS k FROM contact_phone_key_counts k INDEXED BY contact_phone_keys_shared
                WHERE k.n > 1 AND k.match_key >= ?1 AND length(k.match_key) >= \(DuplicateKey.minimumPhoneDigits)
                  AND (SELECT count(DISTINCT x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                       WHERE x.match_key = k.match_key AND xc.deleted_at IS NULL) > 1
                ORDER BY k.match_key LIMIT ?3),
            g AS (
                SELECT k, (SELECT min(x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                           WHERE x.match_key = found.k AND xc.deleted_at IS NULL) AS anchor
                FROM found)
            SELECT g.k, 0, p.contact_id FROM g
            JOIN contact_phones p ON p.match_key = g.k
            JOIN contacts c ON c.id = p.contact_id AND c.deleted_at IS NULL
            WHERE p.contact_id = g.anchor OR NOT \(sharesEmail("p.contact_id"))
            ORDER BY 1, p.contact_id
            """, reverseSQL: """
            WITH found AS (
                SELECT k.match_key AS k FROM contact_phone_key_counts k INDEXED BY contact_phone_keys_shared
                WHERE k.n > 1 AND k.match_key <= ?1 AND length(k.match_key) >= \(DuplicateKey.minimumPhoneDigits)
                  AND (SELECT count(DISTINCT x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                       WHERE x.match_key = k.match_key AND xc.deleted_at IS NULL) > 1
                ORDER BY k.match_key DESC LIMIT ?3),
            g AS (
                SELECT k, (SELECT min(x.contact_id) FROM contact_phones x JOIN contacts xc ON xc.id = x.contact_id
                           WHERE x.match_key = found.k AND xc.deleted_at IS NULL) AS anchor
                FROM found)
            SELECT g.k, 0, p.contact_id FROM g
            JOIN contact_phones p ON p.match_key = g.k
            JOIN contacts c ON c.id = p.contact_id AND c.deleted_at IS NULL
            WHERE p.contact_id = g.anchor OR NOT \(sharesEmail("p.contact_id"))
            ORDER BY 1 DESC, p.contact_id
            """),
        nameTier(groups: "contact_name_key_counts k INDEXED BY contact_name_keys_shared") { compare in
            """
            k.n > 1 AND k.name_key <> '' AND \(compare)
                  AND (SELECT count(*) FROM contacts n WHERE n.name_key = k.name_key AND n.company_id = k.company_id
                         AND n.deleted_at IS NULL) > 1
            """
        },
    ]

    /// The names' walk, forward and back, over the name groups `groups`
    /// (aliased k) that `condition` lets through; `condition` is given the
    /// comparison with the cursor (?1 the key, ?2 the company), ?3 is how many
    /// groups. Each group's oldest contact anchors it; a contact whose pair
    /// with the anchor shares an address or number is left out (listed there).
    static func nameTier(groups: String, condition: (String) -> String) -> DuplicateFinder.Tier {
        func walk(_ compare: String, _ order: String) -> String {
            """
            WITH g AS (
                SELECT k.name_key, k.company_id,
                       (SELECT min(n.id) FROM contacts n WHERE n.name_key = k.name_key AND n.company_id = k.company_id
                          AND n.deleted_at IS NULL) AS anchor
                FROM \(groups)
                WHERE \(condition("(k.name_key, k.company_id) \(compare) (?1, ?2)"))
                ORDER BY k.name_key\(order), k.company_id\(order) LIMIT ?3)
            SELECT g.name_key, g.company_id, c.id FROM g
            JOIN contacts c ON c.name_key = g.name_key AND c.company_id = g.company_id AND c.deleted_at IS NULL
            WHERE c.id = g.anchor OR NOT (\(sharesEmail("c.id")) OR \(sharesPhone("c.id")))
            ORDER BY 1\(order), 2\(order), c.id
            """
        }
        return .init(strength: .name, sql: walk(">=", ""), reverseSQL: walk("<=", " DESC"))
    }

    /// Whether contact `id` shares an email with its group's anchor (`g.anchor`):
    /// its pair with the anchor is listed under that stronger reason, so a
    /// weaker tier leaves it out in SQL rather than looking at it in Swift
    /// (at 100,000 contacts, 545 name pairs that all share an address).
    private static func sharesEmail(_ id: String) -> String {
        """
        EXISTS (SELECT 1 FROM contact_emails x JOIN contact_emails y ON y.email = x.email COLLATE NOCASE
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

    /// Every reason each pair of contacts shares, each with its group key,
    /// for a batch of pairs in three statements (DuplicatePairPrefetch): the
    /// same addresses (ordered as NOCASE compares, then byte-wise), numbers
    /// (by match key; the number of the anchor's first row of that key) and
    /// name at one company as PostgreSQL's sharedReasons reads.
    func sharedReasons(_ pairs: [(Int64, Int64)]) throws -> [DuplicatePairReads.Pair: [DuplicateFinder.SharedReason]] {
        let list = "[" + pairs.map { "[\($0.0),\($0.1)]" }.joined(separator: ",") + "]"
        var emails: [DuplicatePairReads.Pair: [(value: String, key: String)]] = [:]
        var out: [DuplicatePairReads.Pair: [DuplicateFinder.SharedReason]] = [:]
        for row in try c.rows(Self.sharedEmailsSQL, [list], { (DuplicatePairReads.Pair(a: $0.int64(0), b: $0.int64(1)), $0.string(2)) }) {
            emails[row.0, default: []].append((row.1, nocase(row.1)))
        }
        func bytes(_ x: String, _ y: String) -> Bool { x.utf8.lexicographicallyPrecedes(y.utf8) }
        for (pair, found) in emails {
            out[pair] = found.sorted { $0.key != $1.key ? bytes($0.key, $1.key) : bytes($0.value, $1.value) }
                .map { .init(reason: .sameEmail($0.value), key: $0.key) }
        }
        for (pair, number, key) in try c.rows(Self.sharedPhonesSQL, [list], {
            (DuplicatePairReads.Pair(a: $0.int64(0), b: $0.int64(1)), $0.string(2), $0.string(3))
        }) {
            out[pair, default: []].append(.init(reason: .samePhone(number), key: key))
        }
        for (pair, company, key) in try c.rows(Self.sharedNamesSQL, [list], {
            (DuplicatePairReads.Pair(a: $0.int64(0), b: $0.int64(1)), $0.string(2), $0.string(3))
        }) {
            out[pair, default: []].append(.init(reason: .similarName(company: company), key: key))
        }
        return out
    }

    /// ?1 the pairs as a JSON array of [anchor, other].
    private static let pairsCTE = """
        WITH p(a, b) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))
        """

    static let sharedEmailsSQL = """
        \(pairsCTE)
        SELECT DISTINCT p.a, p.b, x.email FROM p
        JOIN contact_emails x ON x.contact_id = p.a
        JOIN contact_emails y ON y.contact_id = p.b AND y.email = x.email COLLATE NOCASE
        """

    /// Numbers by match key, in key order; of the anchor's rows of one key
    /// the first (`min(x.id)` chooses the row the bare column comes from).
    static let sharedPhonesSQL = """
        \(pairsCTE)
        SELECT p.a, p.b, x.number, x.match_key, min(x.id) FROM p
        JOIN contact_phones x ON x.contact_id = p.a
        JOIN contact_phones y ON y.contact_id = p.b AND y.match_key = x.match_key
        WHERE length(x.match_key) >= \(DuplicateKey.minimumPhoneDigits)
        GROUP BY p.a, p.b, x.match_key ORDER BY p.a, p.b, x.match_key
        """

    static let sharedNamesSQL = """
        \(pairsCTE)
        SELECT p.a, p.b, co.name, x.name_key FROM p
        JOIN contacts x ON x.id = p.a
        JOIN contacts y ON y.id = p.b AND y.name_key = x.name_key AND y.company_id = x.company_id
        JOIN companies co ON co.id = x.company_id
        WHERE x.name_key <> ''
        """

    /// Every reason contacts `a` and `b` share, each with its group key.
    func sharedReasons(_ a: Int64, _ b: Int64) throws -> [DuplicateFinder.SharedReason] {
        try sharedReasons([(a, b)])[DuplicatePairReads.Pair(a: a, b: b)] ?? []
    }

    /// The records of `ids`, in one statement.
    func duplicateRecords(_ ids: [Int64]) throws -> [Int64: DuplicateRecord] {
        var out: [Int64: DuplicateRecord] = [:]
        let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
        for record in try c.rows("""
            SELECT c.id, c.name, co.name, c.updated_at FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
            WHERE c.id IN (SELECT value FROM json_each(?))
            """, [list], { DuplicateRecord(id: $0.int64(0), name: $0.string(1), context: $0.optionalString(2), updatedAt: $0.date(3)) }) {
            out[record.id] = record
        }
        return out
    }

    func duplicateRecord(_ id: Int64) throws -> DuplicateRecord? {
        try duplicateRecords([id])[id]
    }

    var duplicateReads: DuplicatePairReads { .init(shared: sharedReasons, records: duplicateRecords) }
}
