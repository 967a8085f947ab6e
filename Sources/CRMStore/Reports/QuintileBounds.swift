import Foundation

/// Where the quintiles of `ntile(5)` start, so a score can be read from a
/// few index entries instead of a window function over every row.
///
/// ntile(5) over n rows in order gives the first n mod 5 quintiles
/// ⌈n/5⌉ rows and the others ⌊n/5⌋ (fewer than 5 rows: one row each), as
/// SQLite and PostgreSQL both number them. `starts(count:)` are the
/// 0-based positions of the first row of quintiles 2…5 that exist; the
/// row at each position in (key, id) order is a bound, and a row's score
/// is 1 + the number of bounds at or below its (key, id).
enum QuintileBounds {
    /// The positions of the first rows of quintiles 2…5 among `count` rows.
    static func starts(count: Int64) -> [Int64] {
        guard count > 0 else { return [] }
        let size = count / 5
        guard size > 0 else { return Array(1 ..< count) } // fewer than 5: a row per quintile
        let large = count - 5 * size // the first `large` quintiles hold size + 1 rows
        return (1 ... 4).map { t in t <= large ? t * (size + 1) : large * (size + 1) + (t - large) * size }
    }

    /// A bound no (key, id) reaches: a quintile that does not exist.
    static var none: [SQLBindable] { Array(repeating: Int64.max, count: 8) }

    /// The four bounds (key, id) of `key` over the rows of `index` (on
    /// temp.customer_report_scored (key, contact_id)), as eight parameters;
    /// missing quintiles as `none`. Each is one walk of the index to a
    /// position (LIMIT 1 OFFSET), no sort.
    static func read(_ c: Connection, index: String, key: String, count: Int64) throws -> [SQLBindable] {
        var bounds: [SQLBindable] = []
        for position in starts(count: count) {
            let bound = try c.first("""
                SELECT \(key), contact_id FROM temp.customer_report_scored INDEXED BY \(index)
                ORDER BY \(key), contact_id LIMIT 1 OFFSET ?
                """, [position]) { row -> [SQLBindable] in [row.int64(0), row.int64(1)] }
            bounds += bound ?? [Int64.max, Int64.max]
        }
        return bounds + Array(none.prefix(8 - bounds.count))
    }
}
