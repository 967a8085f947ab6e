import CRMCore
import CRMRepositories
import Foundation

/// The Customers page's RFM scores from the stored ranking keys of schema
/// 69 (`customer_rank_keys`, PGSchemaV69CustomerRankKeys), as SQLite's
/// CustomerRankKeys reads its own: each ranking's quintile boundaries are
/// the rows at QuintileBounds' positions in a key's index order (a short
/// walk each), and a customer's score is 1 + how many boundaries its
/// (key, id) reaches, so the page's statement compares keys instead of
/// sorting every customer three times for ntile() (PGCustomerValueSQL's
/// `mscore`, `scored` and `rfm`).
///
/// Read only where the stored won values apply (PGCustomerStoredValues:
/// every pipeline and currency, no exchange rate, no mark waiting for the
/// COMMIT's refresh, no won deal closed at or after the end) and the stored
/// 365-day window is less than a year from now: the frequency of now is the
/// stored count plus the corrections of the slices between (the few
/// customers whose count moved, `moved`), as the page's `yearfix`.
enum PGCustomerRankKeys {
    /// The boundaries of one page's scores, bound as the statement's
    /// parameters from $11 on (`parameters`).
    struct Bounds {
        /// R's and F's boundaries: (key, id) four times each; a missing
        /// quintile as (Int64.max, Int64.max).
        var r: [Int64]
        var f: [Int64]
        /// M's per currency (the default one always among them).
        var currencies: [String]
        var m: [[Int64]]
        /// The customers whose frequency of now is not their stored one.
        var movedIDs: [Int64]
        var movedFrequencies: [Int64]

        /// $11–$19 the M boundaries per currency (arrays), $20–$21 the
        /// moved customers, $22–$29 R's, $30–$37 F's.
        var parameters: [any PGBindable] {
            var values: [any PGBindable] = [PGReportSQL.textArray(currencies)]
            for column in 0 ..< 8 { values.append(PGReportSQL.array(m.map { $0[column] })) }
            values += [PGReportSQL.array(movedIDs), PGReportSQL.array(movedFrequencies)]
            return values + (r + f).map { $0 as any PGBindable }
        }
    }

    static let none = Array(repeating: Int64.max, count: 8)

    /// The boundaries' parameters of a statement that reads no score
    /// (`tiersSQL`, `lifetimeSQL`).
    static let unread = Bounds(r: none, f: none, currencies: [], m: [], movedIDs: [], movedFrequencies: [])

    /// The 0-based positions of the first rows of quintiles 2…5 among
    /// `count` rows in order, as ntile(5) numbers them: the first count mod
    /// 5 quintiles hold ⌈count/5⌉ rows, the others ⌊count/5⌋ (fewer than 5
    /// rows: one row each). SQLite's QuintileBounds.starts, the same numbers.
    static func starts(count: Int64) -> [Int64] {
        guard count > 0 else { return [] }
        let size = count / 5
        guard size > 0 else { return Array(1 ..< count) }
        let large = count - 5 * size
        return (1 ... 4).map { t in t <= large ? t * (size + 1) : large * (size + 1) + (t - large) * size }
    }

    /// Whether the database has the stored keys (schema 69).
    static func isStored(_ c: PGConnection) throws -> Bool {
        try c.scalar("SELECT to_regclass('customer_rank_keys') IS NOT NULL") == "t"
    }

    /// The boundaries for a page at `now` with `currency` the default one;
    /// nil when the stored window is a year or more from now.
    static func bounds(_ c: PGConnection, currency: String, now: Int64) throws -> Bounds? {
        guard let asOf = try PGCustomerYearInteractions.asOf(c), InteractionYearWindow.slices(asOf: asOf, now: now) != nil else { return nil }
        // The customers, those without value, and per currency the valued
        // ones with those below and at 0, in one statement.
        let counts = try c.query(countsSQL).rows
        let count = counts.first?.int64(0) ?? 0, unvalued = counts.first?.int64(1) ?? 0
        var perCurrency: [String: (valued: Int64, below: Int64, zero: Int64)] = [:]
        for row in counts where !row.isNull(2) { perCurrency[row.string(2)] = (row.int64(3), row.int64(4), row.int64(5)) }
        let r = try walk(c, rFirstSQL, rNextSQL, count: count)
        // F: the customers whose count moved between the stored window and now.
        let moved = try c.query(movedSQL, [now]).rows.map {
            (id: $0.int64(0), now: $0.int64(1), stored: $0.int64(2))
        }
        let f = try frequencyBounds(c, count: count, moved: moved)
        // M: per currency; the default one also holds every customer
        // without value, as 0.
        var m: [[Int64]] = []
        let ordered = Set(perCurrency.keys).union([currency]).sorted()
        for code in ordered {
            let known = perCurrency[code] ?? (0, 0, 0)
            if code == currency {
                m.append(try defaultBounds(c, currency: code, valued: known.valued, unvalued: unvalued, below: known.below,
                                           zero: known.zero))
            } else {
                m.append(try walk(c, mFirstSQL, mNextSQL, count: known.valued, [code]))
            }
        }
        return Bounds(r: r, f: f, currencies: ordered, m: m, movedIDs: moved.map(\.id), movedFrequencies: moved.map(\.now))
    }

    /// The four boundaries (key, id) of one ranking: the rows at
    /// QuintileBounds' positions, the first a walk of `first` from the
    /// start (its last parameter the position), each next one a walk of
    /// `next` from the previous boundary (its last three parameters that
    /// boundary's key and id and the rows to skip after it).
    private static func walk(_ c: PGConnection, _ first: String, _ next: String, count: Int64,
                             _ values: [any PGBindable] = []) throws -> [Int64] {
        var bounds: [Int64] = []
        var previous: (key: Int64, id: Int64, position: Int64)?
        for position in starts(count: count) {
            let row: (Int64, Int64)?
            if let last = previous {
                row = try c.query(next, values + [last.key, last.id, position - last.position - 1]).first.map { ($0.int64(0), $0.int64(1)) }
            } else {
                row = try c.query(first, values + [position]).first.map { ($0.int64(0), $0.int64(1)) }
            }
            guard let row else { break }
            bounds += [row.0, row.1]
            previous = (row.0, row.1, position)
        }
        return bounds + Array(none.prefix(8 - bounds.count))
    }

    /// F's four boundaries: the moved customers (m of them) taken out of
    /// the stored order and put back at their key of now. A row at
    /// position p of that order is a stored row within m of position p in
    /// the stored order, or a moved customer's new key; so from the stored
    /// row at p − m (its place in the new order worked out from the moved
    /// customers' old and new keys), 3m + 2 stored rows merged with the new
    /// keys reach it (SQLite's CustomerRankKeys.frequencyBounds). With very
    /// many moved, one merged walk per boundary instead.
    static func frequencyBounds(_ c: PGConnection, count: Int64, moved: [(id: Int64, now: Int64, stored: Int64)]) throws -> [Int64] {
        typealias Key = (key: Int64, id: Int64)
        let m = Int64(moved.count)
        guard m <= 2_000 else {
            var bounds: [Int64] = []
            for position in starts(count: count) {
                guard let row = try c.query(fMergedSQL, [PGReportSQL.array(moved.map(\.id)), PGReportSQL.array(moved.map(\.now)), position])
                    .first else { break }
                bounds += [row.int64(0), row.int64(1)]
            }
            return bounds + Array(none.prefix(8 - bounds.count))
        }
        let less = { (a: Key, b: Key) in (a.key, a.id) < (b.key, b.id) }
        let old = moved.map { (key: $0.stored, id: $0.id) }.sorted(by: less)
        let new = moved.map { (key: $0.now, id: $0.id) }.sorted(by: less)
        let movedIDs = Set(moved.map(\.id))
        // How many of `keys` (sorted) are before `x`.
        func before(_ keys: [Key], _ x: Key) -> Int {
            var lo = 0, hi = keys.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if less(keys[mid], x) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var bounds: [Int64] = []
        // Each window read on from the previous one's first row (one walk
        // over the order in all, as `walk`), not from the start.
        var previous: (start: Int64, first: Key)?
        for position in starts(count: count) {
            let start = max(0, position - m)
            let window = try (previous.map { last in
                try c.query(fWindowFromSQL, [3 * m + 2, start - last.start, last.first.key, last.first.id])
            } ?? c.query(fWindowSQL, [3 * m + 2, start])).rows.map { (key: $0.int64(0), id: $0.int64(1)) }
            if let first = window.first { previous = (start, first) }
            var found: Key?
            if let first = window.first {
                // The place in the new order of the first key at or after the window's first row.
                var at = Int(start) - before(old, first) + before(new, first)
                if at > Int(position) {
                    found = new[Int(position)] // only from the start: new keys before every stored row
                } else {
                    var i = 0, j = before(new, first)
                    while found == nil {
                        if i < window.count, movedIDs.contains(window[i].id) { i += 1; continue }
                        let next: Key
                        if i < window.count, j >= new.count || less(window[i], new[j]) {
                            next = window[i]; i += 1
                        } else if j < new.count {
                            next = new[j]; j += 1
                        } else { break }
                        if at == Int(position) { found = next }
                        at += 1
                    }
                }
            } else if Int(position) < new.count {
                found = new[Int(position)]
            }
            guard let found else { break }
            bounds += [found.key, found.id]
        }
        return bounds + Array(none.prefix(8 - bounds.count))
    }

    /// The default currency's M boundaries: its valued customers merged
    /// with those without value (key 0, in id order). Those are one block
    /// of key 0, so a position before it (values below 0) is one in the
    /// value index, a position in it one in the index of the customers
    /// without value, and a position after it one in the value index less
    /// the block's size. Values of exactly 0 share the block's key,
    /// interleaved by id: then one merged walk per boundary.
    static func defaultBounds(_ c: PGConnection, currency: String, valued: Int64, unvalued: Int64, below: Int64,
                              zero: Int64) throws -> [Int64] {
        var bounds: [Int64] = []
        // The block's rows read on from the previous one of the block.
        var previous: (offset: Int64, id: Int64)?
        for position in starts(count: valued + unvalued) {
            let row: PGRow?
            if zero > 0 {
                row = try c.query(mDefaultMergedSQL, [currency, position]).first
            } else if position >= below && position < below + unvalued {
                let offset = position - below
                row = try (previous.map { last in try c.query(unvaluedNextSQL, [offset - last.offset - 1, last.id]) }
                    ?? c.query(unvaluedSQL, [offset])).first
                if let row { previous = (offset, row.int64(1)) }
            } else {
                row = try c.query(mFirstSQL, [currency, position < below ? position : position - unvalued]).first
            }
            guard let row else { break }
            bounds += [row.int64(0), row.int64(1)]
        }
        return bounds + Array(none.prefix(8 - bounds.count))
    }

    /// The customers and those without value, then per currency of the
    /// stored sums (one row each, or one row of NULLs when there are none):
    /// the currency, its valued customers, those below 0 and those at 0.
    static let countsSQL = """
        SELECT t.customers, t.unvalued, v.currency, v.valued, v.below, v.zero
        FROM (SELECT count(*) AS customers, count(*) FILTER (WHERE NOT valued) AS unvalued FROM customer_rank_keys) t
        LEFT JOIN (SELECT currency, count(*) AS valued, count(*) FILTER (WHERE value_minor < 0) AS below,
                          count(*) FILTER (WHERE value_minor = 0) AS zero
                   FROM customer_won_values GROUP BY currency) v ON true
        """

    static let rFirstSQL = """
        SELECT touch, contact_id FROM customer_rank_keys ORDER BY touch, contact_id LIMIT 1 OFFSET $1::bigint
        """
    static let rNextSQL = """
        SELECT touch, contact_id FROM customer_rank_keys WHERE (touch, contact_id) > ($1::bigint, $2::bigint)
        ORDER BY touch, contact_id LIMIT 1 OFFSET $3::bigint
        """
    /// $1 stored rows in frequency order from position $2 (frequencyBounds).
    static let fWindowSQL = """
        SELECT frequency, contact_id FROM customer_rank_keys ORDER BY frequency, contact_id LIMIT $1::bigint OFFSET $2::bigint
        """
    /// The same from the row ($3, $4) on, $2 rows after it.
    static let fWindowFromSQL = """
        SELECT frequency, contact_id FROM customer_rank_keys WHERE (frequency, contact_id) >= ($3::bigint, $4::bigint)
        ORDER BY frequency, contact_id LIMIT $1::bigint OFFSET $2::bigint
        """
    /// The row at a position ($3) in the frequency order of now: the stored
    /// order without the moved customers ($1), merged with their keys of
    /// now ($2).
    static let fMergedSQL = """
        SELECT f, id FROM (
            SELECT frequency AS f, contact_id AS id FROM customer_rank_keys
            WHERE contact_id NOT IN (SELECT unnest($1::bigint[]))
            UNION ALL
            SELECT * FROM unnest($2::bigint[], $1::bigint[])) x
        ORDER BY f, id LIMIT 1 OFFSET $3::bigint
        """
    static let mFirstSQL = """
        SELECT value_minor, contact_id FROM customer_won_values WHERE currency = $1::text
        ORDER BY value_minor, contact_id LIMIT 1 OFFSET $2::bigint
        """
    static let mNextSQL = """
        SELECT value_minor, contact_id FROM customer_won_values
        WHERE currency = $1::text AND (value_minor, contact_id) > ($2::bigint, $3::bigint)
        ORDER BY value_minor, contact_id LIMIT 1 OFFSET $4::bigint
        """
    static let mDefaultMergedSQL = """
        SELECT k, id FROM (
            SELECT 0::bigint AS k, contact_id AS id FROM customer_rank_keys WHERE NOT valued
            UNION ALL
            SELECT value_minor, contact_id FROM customer_won_values WHERE currency = $1::text) x
        ORDER BY k, id LIMIT 1 OFFSET $2::bigint
        """
    /// The customer without value $1 rows after the one of id $2.
    static let unvaluedNextSQL = """
        SELECT 0::bigint, contact_id FROM customer_rank_keys WHERE NOT valued AND contact_id > $2::bigint
        ORDER BY contact_id LIMIT 1 OFFSET $1::bigint
        """
    /// The customer without value at a position ($1) in id order, with its key 0.
    static let unvaluedSQL = """
        SELECT 0::bigint, contact_id FROM customer_rank_keys WHERE NOT valued ORDER BY contact_id LIMIT 1 OFFSET $1::bigint
        """

    /// The customers whose interactions of the 365 days before now ($1)
    /// differ from their stored count: (id, count of now, stored count),
    /// from the slices between the stored window's end and now, as the
    /// page's `yearfix` (PGCustomerValueSQL.storedFrequencyCTEs).
    static let movedSQL = """
        WITH yearwindow AS MATERIALIZED (
            SELECT least(as_of, $1::bigint) AS lo, greatest(as_of, $1::bigint) AS hi,
                   CASE WHEN $1::bigint >= as_of THEN 1 ELSE -1 END AS sign
            FROM contact_year_window WHERE id = 1
        ),
        fix AS MATERIALIZED (
            SELECT x.contact_id, sum(x.delta) AS delta FROM (
                SELECT i.contact_id, (SELECT sign FROM yearwindow) AS delta FROM interactions i
                WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
                  AND i.occurred_at >= (SELECT lo FROM yearwindow) AND i.occurred_at < (SELECT hi FROM yearwindow)
                UNION ALL
                SELECT i.contact_id, -(SELECT sign FROM yearwindow) FROM interactions i
                WHERE i.deleted_at IS NULL AND i.contact_id IS NOT NULL AND i.kind <> 'stage'
                  AND i.occurred_at >= (SELECT lo FROM yearwindow) - 31536000
                  AND i.occurred_at < (SELECT hi FROM yearwindow) - 31536000) x
            GROUP BY x.contact_id
        )
        SELECT k.contact_id, k.frequency + f.delta, k.frequency
        FROM fix f JOIN customer_rank_keys k ON k.contact_id = f.contact_id
        WHERE f.delta <> 0
        """

    /// A score: 1 + how many of the boundaries at parameters $first… (key,
    /// id pairs) the row (`key`, `id`) reaches.
    private static func score(_ key: String, _ id: String, first: Int) -> String {
        "1 + " + (0 ..< 4).map { "((\(key), \(id)) >= ($\(first + 2 * $0)::bigint, $\(first + 2 * $0 + 1)::bigint))::int" }
            .joined(separator: " + ")
    }

    /// A score against the boundaries of a row `b` of `mbounds`.
    private static func score(_ key: String, _ id: String, bounds b: String) -> String {
        "1 + " + (1 ... 4).map { "((\(key), \(id)) >= (\(b).k\($0), \(b).i\($0)))::int" }.joined(separator: " + ")
    }

    /// Names the type of every parameter a statement of this page binds
    /// (PGCustomerValueSQL's $1–$9, the list's length $10, the boundaries
    /// $11–$37): an unreferenced CTE is analysed, never run.
    static let parameterTypes = """
        params AS (SELECT $1::jsonb AS factors, $2::text AS currency, $3::bigint AS period_end, $4::bigint[] AS pipelines,
                          $5::text AS one_currency, $6::float8 AS tier_a, $7::float8 AS tier_ab, $8::bigint[] AS owners,
                          $9::bigint AS now, $10::bigint AS length, $11::text[] AS mcurrencies,
                          $12::bigint[] AS k1, $13::bigint[] AS i1, $14::bigint[] AS k2, $15::bigint[] AS i2,
                          $16::bigint[] AS k3, $17::bigint[] AS i3, $18::bigint[] AS k4, $19::bigint[] AS i4,
                          $20::bigint[] AS moved, $21::bigint[] AS moved_frequency,
                          \((22 ... 37).map { "$\($0)::bigint AS b\($0)" }.joined(separator: ", ")))
        """

    /// The boundaries of M per currency, the default one's row (`d`), and
    /// the moved customers' frequency of now.
    static let boundCTEs = """
        mbounds AS MATERIALIZED (
            SELECT * FROM unnest($11::text[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[],
                                 $17::bigint[], $18::bigint[], $19::bigint[]) AS b(currency, k1, i1, k2, i2, k3, i3, k4, i4)
        ),
        fnew AS MATERIALIZED (SELECT * FROM unnest($20::bigint[], $21::bigint[]) AS n(contact_id, frequency))
        """

    /// Whether the customer of key row `k` belongs to the owners ($8).
    static let ownedKey = "($8::bigint[] IS NULL OR k.owner_id = ANY($8::bigint[]))"
    /// The same for a row `alias` with a contact id, its owner looked up
    /// only when the owners filter asks.
    static func owned(_ alias: String) -> String {
        "($8::bigint[] IS NULL OR (SELECT o.owner_id FROM customer_rank_keys o WHERE o.contact_id = \(alias).contact_id) = ANY($8::bigint[]))"
    }

    /// The frequency of now of key row `k` (`n` its row of `fnew`, LEFT JOINed).
    static let frequencyNow = "coalesce(n.frequency, k.frequency)"

    /// Each valued sum's tier ranked at the look: the windows over every
    /// stored sum of its currency.
    static let rankedWindows = """
        ranked AS MATERIALIZED (
            SELECT v.contact_id, v.currency COLLATE "C" AS bucket, false AS converted, v.value_minor::float8 AS value, v.deals,
                   CASE WHEN sum(v.value_minor::float8) OVER above - v.value_minor < $6::float8 * sum(v.value_minor::float8) OVER everyone THEN 'A'
                        WHEN sum(v.value_minor::float8) OVER above - v.value_minor < $7::float8 * sum(v.value_minor::float8) OVER everyone THEN 'B'
                        ELSE 'C' END AS tier
            FROM customer_won_values v WHERE v.value_minor > 0
            WINDOW everyone AS (PARTITION BY v.currency COLLATE "C"),
                   above AS (PARTITION BY v.currency COLLATE "C" ORDER BY v.value_minor DESC, v.contact_id ROWS UNBOUNDED PRECEDING)
        )
        """

    /// Each valued sum's tier as stored (schema 74), when the sums were
    /// ranked with the page's policy (`sumTiersApply`): no windows.
    static let rankedSumTiers = """
        ranked AS MATERIALIZED (
            SELECT v.contact_id, v.currency COLLATE "C" AS bucket, false AS converted, v.value_minor::float8 AS value, v.deals, v.tier
            FROM customer_won_values v WHERE v.value_minor > 0
        )
        """

    /// Whether each stored sum's tier (schema 74) was ranked with `policy`
    /// (false on an older database: the column is read by name).
    static func sumTiersApply(_ c: PGConnection, policy: ValueTierPolicy) throws -> Bool {
        try c.scalar("SELECT coalesce(to_jsonb(s) ->> 'sum_tiers' = $1::text, false) FROM value_tier_state s WHERE s.id = 1",
                     [policy.key]) == "t"
    }

    /// The CTEs of `pageSQL`, `tiersSQL` and `lifetimeSQL` (a statement runs
    /// only those it reads); parameters as `parameterTypes`.
    static func pageCTEs(sumTiers: Bool) -> String {
        """
        \(parameterTypes),
        \(boundCTEs),
        \(sumTiers ? rankedSumTiers : rankedWindows),
        top AS (SELECT * FROM ranked r WHERE \(owned("r")) ORDER BY r.bucket, r.value DESC, r.contact_id LIMIT $10::bigint),
        tiergroups(tier, bucket, converted, customers, value, share, ids) AS (
            SELECT r.tier, r.bucket, false, count(*), sum(r.value), sum(r.value) / sum(sum(r.value)) OVER (PARTITION BY r.bucket),
                   string_agg(r.contact_id::text, ',' ORDER BY r.value DESC, r.contact_id)
            FROM ranked r WHERE \(owned("r"))
            GROUP BY r.bucket, r.tier
        ),
        -- The won deals of the year before the end ($3): the stored ones
        -- of the window before as_of (deals_year), corrected by the deals
        -- closed between as_of and the end and a year before those
        -- (InteractionYearWindow's slices), each counted once per customer
        -- it gives value to.
        dealwindow AS MATERIALIZED (
            SELECT least(as_of, $3::bigint) AS lo, greatest(as_of, $3::bigint) AS hi,
                   CASE WHEN $3::bigint >= as_of THEN 1 ELSE -1 END AS sign
            FROM contact_year_window WHERE id = 1
        ),
        passed AS MATERIALIZED (
            SELECT d.contact_id, d.company_id, d.currency,
                   (SELECT sign FROM dealwindow)
                   * ((d.closed_at >= (SELECT lo FROM dealwindow) AND d.closed_at < (SELECT hi FROM dealwindow))::int
                      - (d.closed_at >= (SELECT lo FROM dealwindow) - 31536000 AND d.closed_at < (SELECT hi FROM dealwindow) - 31536000)::int)
                   AS delta
            FROM deals d
            WHERE d.deleted_at IS NULL AND d.status = 'won'
              AND ((d.closed_at >= (SELECT lo FROM dealwindow) AND d.closed_at < (SELECT hi FROM dealwindow))
                   OR (d.closed_at >= (SELECT lo FROM dealwindow) - 31536000 AND d.closed_at < (SELECT hi FROM dealwindow) - 31536000))
        ),
        given AS (
            SELECT c.id AS contact_id, w.currency, w.delta FROM passed w JOIN contacts c ON c.id = w.contact_id
            WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' AND (c.company_id IS NULL OR w.company_id IS DISTINCT FROM c.company_id)
            UNION ALL
            SELECT c.id, w.currency, w.delta FROM passed w JOIN contacts c ON c.company_id = w.company_id
            WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer'
        ),
        lastfix AS (
            SELECT g.currency COLLATE "C" AS bucket, sum(g.delta) AS deals FROM given g
            JOIN customer_won_values v ON v.contact_id = g.contact_id AND v.currency = g.currency
            WHERE v.value_minor > 0 AND \(owned("g"))
            GROUP BY 1
        ),
        lifegroups(bucket, converted, value, customers, deals, deals_last_year) AS (
            SELECT l.bucket, false, l.value, l.customers, l.deals, (l.deals_year + coalesce(y.deals, 0))::bigint
            FROM (SELECT v.currency COLLATE "C" AS bucket, sum(v.value_minor::float8) AS value, count(*) AS customers,
                         sum(v.deals)::bigint AS deals, sum(v.deals_year) AS deals_year
                  FROM customer_won_values v WHERE v.value_minor > 0 AND \(owned("v"))
                  GROUP BY 1) l
            LEFT JOIN lastfix y ON y.bucket = l.bucket
        )
        """
    }

    /// The tiers alone (PGCustomerPageSQL.tierRow's columns), when the
    /// page is not worked out.
    static func tiersSQL(sumTiers: Bool) -> String {
        """
        WITH \(pageCTEs(sumTiers: sumTiers))
        SELECT * FROM tiergroups ORDER BY 2, 1
        """
    }

    /// The lifetime sums alone (PGCustomerPageSQL.lifetimeRow's columns).
    static let lifetimeSQL = """
        WITH \(pageCTEs(sumTiers: false))
        SELECT * FROM lifegroups ORDER BY 1
        """

    /// The page's value list, tiers and lifetime sums in one statement, in
    /// the rows of PGCustomerPageSQL.page (part, ord, …), from the stored
    /// sums (schema 67) and keys: the tiers ranked in one walk of the
    /// value index per currency (no sort), the listed customers' scores
    /// from the boundaries, and the lifetime's won deals of the last year
    /// from the stored ones of the window (schema 69's `deals_year`).
    static func pageSQL(sumTiers: Bool) -> String {
        """
        WITH \(pageCTEs(sumTiers: sumTiers))
        SELECT 'top' AS part, row_number() OVER (ORDER BY t.bucket, t.value DESC, t.contact_id) AS ord,
               t.contact_id, c.name, co.name, t.bucket, t.converted, t.value, t.deals, t.tier,
               \(score("k.touch", "k.contact_id", first: 22)),
               \(score(frequencyNow, "k.contact_id", first: 30)),
               (SELECT max(\(score("v.value_minor", "v.contact_id", bounds: "b")))
                FROM customer_won_values v JOIN mbounds b ON b.currency = v.currency WHERE v.contact_id = t.contact_id),
               NULL::text AS ids, NULL::float8 AS share, NULL::bigint AS deals, NULL::bigint AS deals_last_year
        FROM top t JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = c.company_id
        JOIN customer_rank_keys k ON k.contact_id = t.contact_id LEFT JOIN fnew n ON n.contact_id = t.contact_id
        UNION ALL
        SELECT 'tier', row_number() OVER (ORDER BY g.bucket, g.tier), NULL, NULL, NULL, g.bucket, g.converted, g.value, g.customers,
               g.tier, NULL, NULL, NULL, g.ids, g.share, NULL, NULL
        FROM tiergroups g
        UNION ALL
        SELECT 'lifetime', row_number() OVER (ORDER BY l.bucket), NULL, NULL, NULL, l.bucket, l.converted, l.value, l.customers,
               NULL, NULL, NULL, NULL, NULL, NULL, l.deals, l.deals_last_year
        FROM lifegroups l
        ORDER BY 1, 2
        """
    }

    /// Whether a customer's score reaches `t` (2…5) in R, F or M: its key
    /// reaches the boundary of quintile t (M: in one of its currencies; a
    /// customer without value as 0 in the default one, `d`).
    private static func reaches(_ score: Character, _ t: Int) -> String {
        switch score {
        case "r": return "(k.touch, k.contact_id) >= ($\(22 + 2 * (t - 2))::bigint, $\(23 + 2 * (t - 2))::bigint)"
        case "f": return "(\(frequencyNow), k.contact_id) >= ($\(30 + 2 * (t - 2))::bigint, $\(31 + 2 * (t - 2))::bigint)"
        default:
            return """
                CASE WHEN k.valued THEN EXISTS (SELECT 1 FROM customer_won_values v JOIN mbounds b ON b.currency = v.currency
                                                WHERE v.contact_id = k.contact_id AND (v.value_minor, v.contact_id) >= (b.k\(t - 1), b.i\(t - 1)))
                     ELSE (0::bigint, k.contact_id) >= (d.k\(t - 1), d.i\(t - 1)) END
                """
        }
    }

    /// A customer's segment (its place in RFMSegment.allCases) as nested
    /// CASEs over its keys, made from RFMSegment.of (the one mapping), as
    /// SQLite's CustomerRankKeys.segmentTree: each CASE asks whether a score
    /// reaches a value, splitting where the fewest segments are left on
    /// either side, R and F before M, until one segment is left; most
    /// customers' segment is two comparisons of their keys, M (a look-up
    /// of their won values) read only where it decides.
    static let segmentCase: String = {
        let scores: [Character] = ["r", "f", "m"]
        func segments(_ ranges: [Character: ClosedRange<Int>]) -> Set<RFMSegment> {
            Set(ranges["r"]!.flatMap { r in ranges["f"]!.flatMap { f in ranges["m"]!.map { m in RFMSegment.of(r: r, f: f, m: m) } } })
        }
        func node(_ ranges: [Character: ClosedRange<Int>]) -> String {
            let here = segments(ranges)
            if here.count == 1 { return String(RFMSegment.allCases.firstIndex(of: here.first!)!) }
            var best: (score: Character, t: Int, lower: [Character: ClosedRange<Int>], upper: [Character: ClosedRange<Int>], cost: Int)?
            for score in scores {
                let range = ranges[score]!
                for t in range.dropFirst() {
                    var lower = ranges, upper = ranges
                    lower[score] = range.lowerBound ... t - 1
                    upper[score] = t ... range.upperBound
                    let cost = segments(lower).count + segments(upper).count
                    if cost < best?.cost ?? .max { best = (score, t, lower, upper, cost) }
                }
            }
            let split = best!
            return "CASE WHEN \(reaches(split.score, split.t)) THEN \(node(split.upper)) ELSE \(node(split.lower)) END"
        }
        return node(["r": 1 ... 5, "f": 1 ... 5, "m": 1 ... 5])
    }()

    /// Each segment's customers of the owners: (place in allCases, count,
    /// ids in id order when `ids`).
    static func segmentsSQL(ids: Bool) -> String {
        """
        WITH \(parameterTypes),
        \(boundCTEs)
        SELECT s, count(*), \(ids ? "string_agg(contact_id::text, ',' ORDER BY contact_id)" : "NULL::text") FROM (
            SELECT k.contact_id, \(segmentCase) AS s
            FROM customer_rank_keys k CROSS JOIN (SELECT * FROM mbounds WHERE currency = $2::text) d
            LEFT JOIN fnew n ON n.contact_id = k.contact_id
            WHERE \(ownedKey)) x
        GROUP BY s
        """
    }

    /// The customers of the owners ($3; NULL: all) and their average tenure
    /// at $1 (seconds): from `since` where it is before $1, else (a customer
    /// again since) from the history before $1, as the counted statement.
    static let tenureSQL = """
        SELECT count(*), coalesce(avg(greatest(0, $1::bigint - CASE WHEN k.since < $1::bigint THEN k.since ELSE coalesce(
                (SELECT max(h.changed_at) FROM contact_lifecycle_history h
                 WHERE h.contact_id = k.contact_id AND h.to_lifecycle = 'customer' AND h.changed_at < $2::bigint),
                (SELECT c.created_at FROM contacts c WHERE c.id = k.contact_id)) END)), 0)
        FROM customer_rank_keys k
        WHERE ($3::bigint[] IS NULL OR k.owner_id = ANY($3::bigint[]))
        """
}
