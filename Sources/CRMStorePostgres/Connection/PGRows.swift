import Foundation

/// A result read whole into Swift and the libpq result cleared at once, so no
/// `PGresult` outlives the call that made it. Repository queries are paged
/// (keyset, LIMIT), so a result is small.
public struct PGRows: Sequence, Sendable {
    public let columns: [String]
    /// Each column's type OID (20 bigint, 23 integer, 701 double precision,
    /// 25 text, 16 boolean, …).
    public let columnTypes: [UInt32]
    public let rows: [PGRow]
    /// The rows an INSERT/UPDATE/DELETE touched (`PQcmdTuples`).
    public let affected: Int

    public var count: Int { rows.count }
    public var isEmpty: Bool { rows.isEmpty }
    public var first: PGRow? { rows.first }
    public subscript(_ index: Int) -> PGRow { rows[index] }
    public func makeIterator() -> IndexingIterator<[PGRow]> { rows.makeIterator() }
}

/// One row: every value as PostgreSQL's text form, or nil for NULL.
public struct PGRow: Sendable {
    public let values: [String?]

    public func isNull(_ i: Int) -> Bool { values[i] == nil }
    public func string(_ i: Int) -> String { values[i] ?? "" }
    public func optionalString(_ i: Int) -> String? { values[i] }
    public func int64(_ i: Int) -> Int64 { values[i].flatMap { Int64($0) } ?? 0 }
    public func optionalInt64(_ i: Int) -> Int64? { values[i].flatMap { Int64($0) } }
    public func int(_ i: Int) -> Int { Int(int64(i)) }
    public func double(_ i: Int) -> Double { values[i].flatMap { Double($0) } ?? 0 }
    /// PostgreSQL prints booleans as t/f.
    public func bool(_ i: Int) -> Bool { values[i] == "t" || values[i] == "true" || values[i] == "1" }
    /// Whole seconds since 1970, as every time column is stored.
    public func date(_ i: Int) -> Date { Date(timeIntervalSince1970: Double(int64(i))) }
    public func optionalDate(_ i: Int) -> Date? { optionalInt64(i).map { Date(timeIntervalSince1970: Double($0)) } }
}
