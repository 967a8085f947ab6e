import CRMCore
import CRMRepositories
import Foundation

/// The Customers page from the stored ranking keys (schema 48,
/// SchemaV48CustomerRankKeys): each customer's won value per currency with
/// its deals, last closing and tier (`customer_won_values`), and its owner,
/// last touch, stored-window interactions and whether it has value
/// (`customer_rank_keys`), all kept by triggers and the refresh before
/// COMMIT. The RFM quintiles' boundaries are read from those tables'
/// indexes (QuintileBounds' positions, one walk each), and each section is
/// one statement with the boundaries bound as parameters: the top customers
/// an index walk in value order, the tiers and the lifetime sums one pass
/// over the valued customers, the segments one grouped pass over the
/// customers.
///
/// The stored figures are those of every won deal, in every pipeline and
/// currency, ranked with the policy of the database's last writer; the page
/// reads them only when they are exactly the figures it asks for
/// (`applies`): no pipeline or currency filter, the reader's policy the
/// stored one and without exchange rates (a converted sum is multiplied
/// deal by deal in the report, once in the store), the tiers committed (not
/// stale, no customer waiting for its sums), and no won deal closed at or
/// after the end of the period. Otherwise the page works its figures out
/// from the won deals as before (CustomerReportCache). What depends on the
/// period is read for that period: the won deals of the 365 days before
/// its end (`deals_by_status_closed`), and the frequency's corrections
/// between the stored window and now (CustomerYearInteractions).
enum CustomerRankKeys {
    /// Whether the file has the stored keys (schema 48).
    static func isStored(_ c: Connection) -> Bool {
        (try? c.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'customer_rank_keys'")) == 1
    }

    /// Whether the stored keys give exactly the figures of `filter` and
    /// `policy` (see the type's comment), and if so the frequency's
    /// correction slices to now.
    static func applies(_ c: Connection, _ filter: ReportFilter, _ policy: ValueTierPolicy) throws -> Bool {
        let end = filter.end.wholeSecondsSince1970
        guard isStored(c), filter.pipelineIDs.isEmpty, filter.currency == nil, policy.minorFactors.count == 1,
              end > CustomerYearInteractions.year,
              let asOf = try CustomerYearInteractions.asOf(c),
              CustomerYearInteractions.slices(asOf: asOf, now: filter.now.wholeSecondsSince1970) != nil else { return false }
        return try c.scalar("""
            SELECT (SELECT stale = 0 AND policy = ?1 FROM value_tier_state WHERE id = 1)
               AND NOT EXISTS (SELECT 1 FROM customer_won_values_dirty)
               AND NOT EXISTS (SELECT 1 FROM deals INDEXED BY deals_by_status_closed
                               WHERE deleted_at IS NULL AND status = 'won' AND closed_at >= ?2)
            """, [policy.key, end]) == 1
    }

    /// Makes the temporary tables of the page's scores (the frequency's
    /// corrected keys, each currency's M boundaries) for `filter` and
    /// returns the boundaries as the parameters of `scores`: R and F (?1–?16)
    /// and the default currency's M (?20–?27).
    static func prepareBounds(_ c: Connection, _ filter: ReportFilter, _ policy: ValueTierPolicy)
        throws -> (rf: [SQLBindable], mDefault: [SQLBindable]) {
        try c.execute("""
            CREATE TEMP TABLE IF NOT EXISTS customer_rank_fnew(contact_id INTEGER PRIMARY KEY, frequency INTEGER NOT NULL);
            CREATE TEMP TABLE IF NOT EXISTS customer_rank_mbounds(currency TEXT PRIMARY KEY,
                k1, i1 INTEGER, k2, i2 INTEGER, k3, i3 INTEGER, k4, i4 INTEGER);
            DELETE FROM temp.customer_rank_fnew;
            DELETE FROM temp.customer_rank_mbounds;
            """)
        // F: the customers whose count moved between the stored window and
        // now (a day or so of interactions) get their key of now here; the
        // boundaries are read from the stored order without them, merged
        // with them (MERGE of two ordered arms, no sort of the customers).
        let now = filter.now.wholeSecondsSince1970
        if let asOf = try CustomerYearInteractions.asOf(c), let slices = CustomerYearInteractions.slices(asOf: asOf, now: now) {
            try c.run("""
                INSERT INTO temp.customer_rank_fnew(contact_id, frequency)
                SELECT k.contact_id, k.frequency + f.delta FROM (\(CustomerYearInteractions.correctionsSQL)) f
                CROSS JOIN customer_rank_keys k ON k.contact_id = f.contact_id
                WHERE f.delta <> 0
                """, [slices.lo, slices.hi, slices.sign, CustomerYearInteractions.year])
        }
        let customers = try c.scalar("SELECT count(*) FROM customer_rank_keys") ?? 0
        let r = try read(c, rFirstSQL, rNextSQL, count: customers)
        let f = try frequencyBounds(c, count: customers) ?? read(c, fFirstSQL, fNextSQL, count: customers)
        // M: per currency; the default currency also holds every customer
        // without value, as 0 (the report's LEFT JOIN), merged in id order.
        let currencies = Set(try c.rows("SELECT DISTINCT currency FROM customer_won_values INDEXED BY customer_won_values_by_value") {
            $0.string(0)
        }).union([policy.currency.code])
        var mDefault = QuintileBounds.none
        for currency in currencies.sorted() {
            let isDefault = currency == policy.currency.code
            let valued = try c.scalar("SELECT count(*) FROM customer_won_values INDEXED BY customer_won_values_by_value WHERE currency = ?",
                                      [currency]) ?? 0
            let bounds = isDefault
                ? try defaultBounds(c, currency: currency, valued: valued, unvalued: try c.scalar(
                    "SELECT count(*) FROM customer_rank_keys INDEXED BY customer_rank_keys_by_valued WHERE valued = 0") ?? 0)
                : try read(c, mFirstSQL, mNextSQL, count: valued, [currency])
            try c.run("INSERT INTO temp.customer_rank_mbounds(currency, k1, i1, k2, i2, k3, i3, k4, i4) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [currency] + bounds)
            if isDefault { mDefault = bounds }
        }
        return (r + f, mDefault)
    }

    /// The parameters of a statement with `scores`: the boundaries, the
    /// default currency, the owners (JSON or NULL) and a limit (NULL where
    /// none is read).
    static func parameters(_ bounds: (rf: [SQLBindable], mDefault: [SQLBindable]), currency: Currency, owners: SQLBindable,
                           limit: Int?) -> [SQLBindable] {
        bounds.rf + [currency.code, owners, limit.map(Int64.init)] + bounds.mDefault
    }

    /// The four boundaries (key, id) of one ranking as eight parameters:
    /// the rows at QuintileBounds' positions, missing quintiles as `none`.
    /// The first is a walk of `first` from the start (its last parameter
    /// the position), each next one a walk of `next` from the previous
    /// boundary (its last three parameters that boundary's key and id and
    /// the rows to skip after it): one walk over the ranking in all, where
    /// four walks from the start stepped over it two and a half times.
    private static func read(_ c: Connection, _ first: String, _ next: String, count: Int64,
                             _ values: [SQLBindable] = []) throws -> [SQLBindable] {
        var bounds: [SQLBindable] = []
        var previous: (key: Int64, id: Int64, position: Int64)?
        for position in QuintileBounds.starts(count: count) {
            let row = try previous.map { last in
                try c.first(next, values + [last.key, last.id, position - last.position - 1]) { ($0.int64(0), $0.int64(1)) }
            } ?? c.first(first, values + [position]) { ($0.int64(0), $0.int64(1)) }
            guard let row else { break }
            bounds += [row.0, row.1]
            previous = (row.0, row.1, position)
        }
        return bounds + Array(QuintileBounds.none.prefix(8 - bounds.count))
    }

    /// F's four boundaries (as `read` gives them from fFirstSQL and
    /// fNextSQL) without the exclusion check on every row: the few
    /// customers whose count moved since the stored window (`moved`, m of
    /// them, temp.customer_rank_fnew) are taken out of the stored order and
    /// put back at their key of now here. A row at position p of that order
    /// is a stored row within m of position p in the stored order, or a
    /// moved customer's new key; so from the stored row at p − m (its place
    /// in the new order worked out from the moved customers' old and new
    /// keys), 3m + 2 stored rows (one index walk) merged with the new keys
    /// reach it. The walk with the exclusion checked every stored row
    /// against the moved customers through a compound ORDER BY (about 9 ms
    /// at 100,000 contacts, 472 moved); this reads four short windows.
    /// Nil when so many moved that the windows would cost more (the caller
    /// walks as before).
    static func frequencyBounds(_ c: Connection, count: Int64) throws -> [SQLBindable]? {
        typealias Key = (key: Int64, id: Int64)
        let moved = try c.rows("""
            SELECT n.contact_id, n.frequency, k.frequency FROM temp.customer_rank_fnew n
            CROSS JOIN customer_rank_keys k ON k.contact_id = n.contact_id
            """) { (id: $0.int64(0), now: $0.int64(1), stored: $0.int64(2)) }
        let m = Int64(moved.count)
        guard m <= 2_000 else { return nil }
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
        var bounds: [SQLBindable] = []
        for position in QuintileBounds.starts(count: count) {
            let start = max(0, position - m)
            let window = try c.rows(fWindowSQL, [3 * m + 2, start]) { (key: $0.int64(0), id: $0.int64(1)) }
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
        return bounds + Array(QuintileBounds.none.prefix(8 - bounds.count))
    }

    /// ?1 stored rows in frequency order from position ?2 (frequencyBounds).
    static let fWindowSQL = """
        SELECT frequency, contact_id FROM customer_rank_keys INDEXED BY customer_rank_keys_by_frequency
        ORDER BY frequency, contact_id LIMIT ?1 OFFSET ?2
        """

    /// The default currency's M boundaries (as `read` gives them from
    /// mDefaultFirstSQL and mDefaultNextSQL) without merging its two arms
    /// row by row: the customers without value are one block of key 0 in
    /// id order, so a position before the block (values below 0) is one in
    /// the value index, a position in it one in the by-valued index, and a
    /// position after it one in the value index less the block's size. The
    /// merged walk (a compound ORDER BY over 35,000 rows) took about 9 ms
    /// at 100,000 contacts. Values of exactly 0 (a won deal of 0) share
    /// the block's key, interleaved by id: then the merged walk as before.
    static func defaultBounds(_ c: Connection, currency: String, valued: Int64, unvalued: Int64) throws -> [SQLBindable] {
        let below = try c.scalar("""
            SELECT count(*) FROM customer_won_values INDEXED BY customer_won_values_by_value WHERE currency = ?1 AND value_minor < 0
            """, [currency]) ?? 0
        let zero = try c.scalar("""
            SELECT count(*) FROM customer_won_values INDEXED BY customer_won_values_by_value WHERE currency = ?1 AND value_minor = 0
            """, [currency]) ?? 0
        guard zero == 0 else { return try read(c, mDefaultFirstSQL, mDefaultNextSQL, count: valued + unvalued, [currency]) }
        var bounds: [SQLBindable] = []
        for position in QuintileBounds.starts(count: valued + unvalued) {
            let key = { (row: Row) -> [SQLBindable] in [row.int64(0), row.int64(1)] }
            let row = position >= below && position < below + unvalued
                ? try c.first(unvaluedSQL, [position - below], key)
                : try c.first(mFirstSQL, [currency, position < below ? position : position - unvalued], key)
            guard let row else { break }
            bounds += row
        }
        return bounds + Array(QuintileBounds.none.prefix(8 - bounds.count))
    }

    /// The customer without value at a position (?1) in id order, with its key 0.
    static let unvaluedSQL = """
        SELECT valued, contact_id FROM customer_rank_keys INDEXED BY customer_rank_keys_by_valued
        WHERE valued = 0 ORDER BY contact_id LIMIT 1 OFFSET ?1
        """

    /// The row at a position (?1) in last-touch order.
    static let rFirstSQL = """
        SELECT touch, contact_id FROM customer_rank_keys INDEXED BY customer_rank_keys_by_touch
        ORDER BY touch, contact_id LIMIT 1 OFFSET ?1
        """
    /// The row at a position (?1) in order of the interactions of the 365
    /// days before now: the stored order without the corrected customers,
    /// merged with their corrected keys.
    static let fFirstSQL = """
        SELECT frequency, contact_id FROM customer_rank_keys INDEXED BY customer_rank_keys_by_frequency
        WHERE contact_id NOT IN (SELECT contact_id FROM temp.customer_rank_fnew)
        UNION ALL
        SELECT frequency, contact_id FROM temp.customer_rank_fnew
        ORDER BY 1, 2 LIMIT 1 OFFSET ?1
        """
    /// The row at a position (?2) in value order within a currency (?1).
    static let mFirstSQL = """
        SELECT value_minor, contact_id FROM customer_won_values INDEXED BY customer_won_values_by_value
        WHERE currency = ?1 ORDER BY value_minor, contact_id LIMIT 1 OFFSET ?2
        """
    /// The same in the default currency (?1): its valued customers merged
    /// with the customers without value (0: `valued` is, and so the index
    /// gives that arm in order too).
    static let mDefaultFirstSQL = """
        SELECT valued, contact_id FROM customer_rank_keys INDEXED BY customer_rank_keys_by_valued WHERE valued = 0
        UNION ALL
        SELECT value_minor, contact_id FROM customer_won_values INDEXED BY customer_won_values_by_value WHERE currency = ?1
        ORDER BY 1, 2 LIMIT 1 OFFSET ?2
        """

    /// The next boundaries: the row ?N rows after (?key, ?id) in the same
    /// orders as the statements above, the walk starting at that key in
    /// the index (its ties before the id skipped).
    static let rNextSQL = """
        SELECT touch, contact_id FROM customer_rank_keys INDEXED BY customer_rank_keys_by_touch
        WHERE touch >= ?1 AND (touch, contact_id) > (?1, ?2)
        ORDER BY touch, contact_id LIMIT 1 OFFSET ?3
        """
    static let fNextSQL = """
        SELECT frequency, contact_id FROM customer_rank_keys INDEXED BY customer_rank_keys_by_frequency
        WHERE frequency >= ?1 AND (frequency, contact_id) > (?1, ?2)
          AND contact_id NOT IN (SELECT contact_id FROM temp.customer_rank_fnew)
        UNION ALL
        SELECT frequency, contact_id FROM temp.customer_rank_fnew WHERE (frequency, contact_id) > (?1, ?2)
        ORDER BY 1, 2 LIMIT 1 OFFSET ?3
        """
    static let mNextSQL = """
        SELECT value_minor, contact_id FROM customer_won_values INDEXED BY customer_won_values_by_value
        WHERE currency = ?1 AND value_minor >= ?2 AND (value_minor, contact_id) > (?2, ?3)
        ORDER BY value_minor, contact_id LIMIT 1 OFFSET ?4
        """
    static let mDefaultNextSQL = """
        SELECT valued, contact_id FROM customer_rank_keys INDEXED BY customer_rank_keys_by_valued
        WHERE valued = 0 AND (valued, contact_id) > (?2, ?3)
        UNION ALL
        SELECT value_minor, contact_id FROM customer_won_values INDEXED BY customer_won_values_by_value
        WHERE currency = ?1 AND value_minor >= ?2 AND (value_minor, contact_id) > (?2, ?3)
        ORDER BY 1, 2 LIMIT 1 OFFSET ?4
        """

    /// A customer's R, F and M scores (`k` a row of customer_rank_keys, `n`
    /// its row of temp.customer_rank_fnew, LEFT JOINed): 1 + how many of its
    /// ranking's boundaries its (key, id) reaches; ?1–?8 the last touch's
    /// boundaries, ?9–?16 the frequency's, ?17 the default currency, ?20–?27
    /// the default currency's M boundaries (the other currencies' are read
    /// from temp.customer_rank_mbounds; most customers are in the default
    /// one or have no value, and need no look-up). M: the
    /// best of its currencies (a customer without value: 0 in the default
    /// currency), as the report's `max(ntile(5) …)` per customer.
    static let scores = "\(rScore) AS r,\n\(fScore) AS f,\n\(mScore) AS m"

    /// R and F of `scores`, each on its own.
    static let rScore = """
        1 + ((k.touch, k.contact_id) >= (?1, ?2)) + ((k.touch, k.contact_id) >= (?3, ?4))
          + ((k.touch, k.contact_id) >= (?5, ?6)) + ((k.touch, k.contact_id) >= (?7, ?8))
        """
    static let fScore = """
        1 + ((coalesce(n.frequency, k.frequency), k.contact_id) >= (?9, ?10))
          + ((coalesce(n.frequency, k.frequency), k.contact_id) >= (?11, ?12))
          + ((coalesce(n.frequency, k.frequency), k.contact_id) >= (?13, ?14))
          + ((coalesce(n.frequency, k.frequency), k.contact_id) >= (?15, ?16))
        """
    /// M of `scores` (reads `k.valued` and `k.contact_id` only): a look-up
    /// of the customer's won values when it has some.
    static let mScore = """
        CASE WHEN k.valued = 0 THEN
            1 + ((0, k.contact_id) >= (?20, ?21)) + ((0, k.contact_id) >= (?22, ?23))
              + ((0, k.contact_id) >= (?24, ?25)) + ((0, k.contact_id) >= (?26, ?27))
        ELSE
            (SELECT max(CASE WHEN v.currency = ?17 THEN
                            1 + ((v.value_minor, v.contact_id) >= (?20, ?21)) + ((v.value_minor, v.contact_id) >= (?22, ?23))
                              + ((v.value_minor, v.contact_id) >= (?24, ?25)) + ((v.value_minor, v.contact_id) >= (?26, ?27))
                        ELSE
                            (SELECT 1 + ((v.value_minor, v.contact_id) >= (b.k1, b.i1)) + ((v.value_minor, v.contact_id) >= (b.k2, b.i2))
                                      + ((v.value_minor, v.contact_id) >= (b.k3, b.i3)) + ((v.value_minor, v.contact_id) >= (b.k4, b.i4))
                             FROM temp.customer_rank_mbounds b WHERE b.currency = v.currency)
                        END)
             FROM customer_won_values v WHERE v.contact_id = k.contact_id)
        END
        """

    /// The owners filter on `k` (?18, JSON; NULL: everyone's).
    static let owned = "(?18 IS NULL OR k.owner_id IN (SELECT value FROM json_each(?18)))"

    /// The top customers (?19 of them): an index walk in the report's order
    /// (currency, value descending, id), scored one by one.
    static let topSQL = """
        WITH top AS (
            SELECT v.contact_id, v.currency, v.value_minor, v.deals, v.tier
            FROM customer_won_values v INDEXED BY customer_won_values_by_rank
            CROSS JOIN customer_rank_keys k ON k.contact_id = v.contact_id
            WHERE v.value_minor > 0 AND \(owned)
            ORDER BY v.currency, v.value_minor DESC, v.contact_id LIMIT ?19
        )
        SELECT t.contact_id, c.name, co.name, t.currency, 0, t.value_minor, t.deals, t.tier, s.r, s.f, s.m
        FROM top t JOIN contacts c ON c.id = t.contact_id LEFT JOIN companies co ON co.id = c.company_id
        JOIN (SELECT k.contact_id, \(scores)
              FROM customer_rank_keys k LEFT JOIN temp.customer_rank_fnew n ON n.contact_id = k.contact_id
              WHERE k.contact_id IN (SELECT contact_id FROM top)) s ON s.contact_id = t.contact_id
        ORDER BY t.currency, t.value_minor DESC, t.contact_id
        """

    /// The ids of each RFM segment's customers, one column per segment in
    /// `RFMSegment.allCases` order: one pass over the customers, in id
    /// order, without a sort, each customer's segment from `segmentCase`
    /// (made from RFMSegment.of, the one mapping; a constant of the code
    /// written into the statement). Grouped by score instead, the 35,000 customers' rows were sorted, and at
    /// 100,000 contacts the sort outgrew the connection's 1 MiB and wrote
    /// about 180 pages to a temporary file per look. `LIMIT -1` keeps the
    /// scored rows a co-routine, so each row's segment is worked out once
    /// (flattened into the aggregates, it was worked out once per column).
    static let segmentsSQL = """
        SELECT \(RFMSegment.allCases.indices.map { "group_concat(contact_id) FILTER (WHERE s = \($0))" }.joined(separator: ", "))
        FROM \(segmented)
        """

    /// Each segment's count, one column per segment as `segmentsSQL`: the
    /// page's figures, without listing 35,000 ids.
    ///
    /// Every customer is counted with its stored frequency, without a
    /// look-up of its correction (that LEFT JOIN per customer was about
    /// half of the statement at 100,000 contacts); the few whose count moved
    /// since the stored window (temp.customer_rank_fnew) are then taken out
    /// with their stored frequency and counted again with the one of now.
    static let segmentCountsSQL = """
        SELECT \(RFMSegment.allCases.indices.map { "coalesce(sum(d) FILTER (WHERE s = \($0)), 0)" }.joined(separator: ", "))
        FROM (SELECT \(segmentTree(frequency: "k.frequency")) AS s, 1 AS d FROM customer_rank_keys k WHERE \(owned)
              UNION ALL
              SELECT \(segmentTree(frequency: "k.frequency")), -1
              FROM temp.customer_rank_fnew n CROSS JOIN customer_rank_keys k ON k.contact_id = n.contact_id WHERE \(owned)
              UNION ALL
              SELECT \(segmentTree(frequency: "n.frequency")), 1
              FROM temp.customer_rank_fnew n CROSS JOIN customer_rank_keys k ON k.contact_id = n.contact_id WHERE \(owned))
        """

    /// The ids of one segment's customers (?28 its place in allCases), in
    /// id order: what Enter on its row lists.
    static let segmentIDsSQL = """
        SELECT group_concat(contact_id) FROM \(segmented) WHERE s = ?28
        """

    /// Each customer of the owners with its segment's place in allCases
    /// (`s`), in id order (`segmentsSQL`), from `segmentCase`.
    static let segmented = """
        (SELECT k.contact_id, \(segmentCase) AS s
         FROM customer_rank_keys k LEFT JOIN temp.customer_rank_fnew n ON n.contact_id = k.contact_id
         WHERE \(owned)
         LIMIT -1)
        """

    /// A customer's segment (its place in allCases; `k` its keys, `n` its
    /// corrected frequency) as nested CASEs over its keys, made from
    /// RFMSegment.of (the one mapping): each CASE asks whether a score
    /// reaches a value (R ≥ t: its key reaches the boundary of quintile t,
    /// ?1–?8; F the same with ?9–?16; M from `mScore`), splitting where the
    /// fewest segments are left on either side, R and F before M, until
    /// one segment is left. Most customers' segment is two comparisons of
    /// their keys (F ≥ 3? R ≥ 3 or R ≥ 2?); M, a look-up of the won values,
    /// only where it decides (R and F ≥ 4). Scoring R, F and M in full and
    /// reading the segment from `segmentDigits` took about four times as
    /// long per customer (35,000 at 100,000 contacts).
    static let segmentCase = segmentTree(frequency: "coalesce(n.frequency, k.frequency)")

    /// `segmentCase` with the customer's frequency read from `frequency`
    /// (an SQL expression).
    static func segmentTree(frequency: String) -> String {
        enum Score: CaseIterable { case r, f, m }
        func reaches(_ score: Score, _ t: Int) -> String {
            switch score {
            case .r: "(k.touch, k.contact_id) >= (?\(2 * t - 3), ?\(2 * t - 2))"
            case .f: "(\(frequency), k.contact_id) >= (?\(2 * t + 5), ?\(2 * t + 6))"
            case .m: "(\(mScore)) >= \(t)"
            }
        }
        // R and F are 1–5; M 0–5 (0: not read, as `segmentDigits`; NULL
        // falls on the lower side, as 0 does).
        func segments(_ ranges: [Score: ClosedRange<Int>]) -> Set<RFMSegment> {
            Set(ranges[.r]!.flatMap { r in ranges[.f]!.flatMap { f in ranges[.m]!.map { m in RFMSegment.of(r: r, f: f, m: m) } } })
        }
        func node(_ ranges: [Score: ClosedRange<Int>]) -> String {
            let here = segments(ranges)
            if here.count == 1 { return String(RFMSegment.allCases.firstIndex(of: here.first!)!) }
            var best: (score: Score, t: Int, lower: [Score: ClosedRange<Int>], upper: [Score: ClosedRange<Int>], cost: Int)?
            for score in Score.allCases {
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
        return node([.r: 1 ... 5, .f: 1 ... 5, .m: 0 ... 5])
    }

    /// The place in RFMSegment.allCases of the segment of scores `r`, `f`
    /// and `m` (SQL expressions; m NULL as 0), read from `segmentDigits`.
    static func segment(_ r: String, _ f: String, _ m: String) -> String {
        "unicode(substr('\(segmentDigits)', 1 + \(r) * 36 + \(f) * 6 + coalesce(\(m), 0), 1)) - 48"
    }

    /// For every r, f and m from 0 to 5 (0: a score that could not be
    /// read), the digit of RFMSegment.of's segment (`segment`: the scores
    /// of the temporary tables, when the stored keys do not apply).
    static let segmentDigits: String = {
        var digits = ""
        for r in 0 ... 5 { for f in 0 ... 5 { for m in 0 ... 5 {
            digits += String(RFMSegment.allCases.firstIndex(of: RFMSegment.of(r: r, f: f, m: m))!)
        } } }
        return digits
    }()

    /// Customers and value per currency and tier, ids in rank order (?1
    /// the owners, JSON): one walk of the rank index in its order (which
    /// holds the tier), one row per currency with each tier's count, sum
    /// and ids aggregated apart (`tierRows` makes the tiers' rows). Grouped
    /// by currency and tier, the walk's 16,000 rows (at 100,000 contacts)
    /// were sorted again, about 5 ms. A customer's owner is looked up only
    /// when the owners filter asks.
    static let tiersSQL = """
        SELECT v.currency, sum(v.value_minor),
               \(ValueTier.allCases.map { tier in
                   let mine = "FILTER (WHERE v.tier = '\(tier.rawValue)')"
                   return "count(*) \(mine), sum(v.value_minor) \(mine), group_concat(v.contact_id) \(mine)"
               }.joined(separator: ",\n       "))
        FROM customer_won_values v INDEXED BY customer_won_values_by_rank
        WHERE v.value_minor > 0
          AND (?1 IS NULL OR (SELECT k.owner_id FROM customer_rank_keys k WHERE k.contact_id = v.contact_id)
                             IN (SELECT value FROM json_each(?1)))
        GROUP BY v.currency ORDER BY v.currency
        """

    /// A row of `tiersSQL` as its currency's tiers with customers, A to C,
    /// each with its share of the currency's value.
    static func tierRows(_ row: Row) -> [TierSummaryRow] {
        let currency = Currency(stored: row.string(0))
        let total = row.double(1)
        return ValueTier.allCases.enumerated().compactMap { place, tier in
            let first = Int32(2 + 3 * place)
            guard row.int(first) > 0 else { return nil }
            let value = row.double(first + 1)
            return TierSummaryRow(tier: tier, customers: row.int(first),
                                  value: ReportAmount(Money(minorUnits: Int64(value.rounded()), currency: currency), converted: false),
                                  share: value / total, contactIDs: ReportIDText.ids(row.optionalString(first + 2), sorted: false))
        }
    }

    /// The lifetime sums per currency of the customers with value (?1 the
    /// owners): the stored sums, deals and deals of the stored year
    /// (schema 54), one walk of the valued rows of the value index, which
    /// holds them all; a customer's owner is looked up only when the owners
    /// filter asks (at 100,000 contacts the look-ups doubled the pages read).
    static let lifetimeSQL = """
        SELECT v.currency, 0, sum(v.value_minor), count(*), sum(v.deals), sum(v.deals_year)
        FROM customer_won_values v INDEXED BY customer_won_values_by_value
        WHERE v.value_minor > 0
          AND (?1 IS NULL OR (SELECT k.owner_id FROM customer_rank_keys k WHERE k.contact_id = v.contact_id)
                             IN (SELECT value FROM json_each(?1)))
        GROUP BY v.currency ORDER BY v.currency
        """

    /// The won deals of the 365 days before the end of the period (?2) per
    /// currency, counted once per valued customer of the owners (?1) they
    /// give value to, as the value counts them (the customer's own deals
    /// not of its company, and its company's): read for that year from the
    /// closed deals' index, a few thousand rows, each looked up by key.
    static let lastYearSQL = """
        WITH recent AS MATERIALIZED (
            SELECT d.contact_id, d.company_id, d.currency FROM deals d INDEXED BY deals_by_status_closed
            WHERE d.deleted_at IS NULL AND d.status = 'won' AND d.closed_at >= ?2 - 31536000 AND d.closed_at < ?2
        ),
        given AS (
            SELECT c.id AS contact_id, w.currency FROM recent w CROSS JOIN contacts c ON c.id = w.contact_id
            WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer' AND (c.company_id IS NULL OR w.company_id IS NOT c.company_id)
            UNION ALL
            SELECT c.id, w.currency FROM recent w CROSS JOIN contacts c INDEXED BY contacts_customers_by_company
                ON c.company_id = w.company_id
            WHERE c.deleted_at IS NULL AND c.lifecycle = 'customer'
        )
        SELECT g.currency, count(*) FROM given g
        CROSS JOIN customer_won_values v ON v.contact_id = g.contact_id AND v.currency = g.currency
        CROSS JOIN customer_rank_keys k ON k.contact_id = g.contact_id
        WHERE v.value_minor > 0 AND (?1 IS NULL OR k.owner_id IN (SELECT value FROM json_each(?1)))
        GROUP BY g.currency
        """
}
