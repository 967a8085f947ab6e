import CRMRepositories
import CSQLite
import Foundation

/// A prepared statement. Finalised in `deinit`, so a statement can never leak
/// or outlive its use by accident.
public final class Statement {
    let handle: OpaquePointer
    let sql: String
    unowned let connection: Connection

    init(connection: Connection, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        connection.busy.settle(rc)
        guard rc == SQLITE_OK, let stmt else { throw connection.error(rc, sql: sql) }
        self.handle = stmt
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// How many values the statement takes.
    var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Resets the statement and binds `values` to its parameters, in order.
    @discardableResult
    public func bind(_ values: [SQLBindable]) throws -> Statement {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError.make(code: SQLITE_RANGE, message: "expected \(expected) parameters, got \(values.count)", sql: sql, path: connection.path)
        }
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value.sqlValue {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, crm_sqlite_transient())
            case .blob(let v): rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), crm_sqlite_transient()) }
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
        }
        return self
    }

    // Positional binding without building a [SQLBindable] array, for hot
    // loops (BulkLoader). Call `reset()` first, then bind every parameter
    // (1-based), then `step()`.

    func reset() { sqlite3_reset(handle) }

    func bind(_ index: Int32, _ value: Int64?) throws {
        let rc = value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    func bind(_ index: Int32, _ value: String) throws {
        var value = value
        let rc = value.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, crm_sqlite_transient()) }
            return sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                     Int32(utf8.count), crm_sqlite_transient())
        }
        guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
    }

    func bind(_ index: Int32, _ value: String?) throws {
        guard let value else {
            let rc = sqlite3_bind_null(handle, index)
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
            return
        }
        try bind(index, value)
    }

    /// Steps once; true while a row is available.
    public func step() throws -> Bool {
        assert(!connection.busy.inHook, "no queries from onWriteWait: the connection is inside a call")
        let rc = sqlite3_step(handle)
        connection.busy.settle(rc)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: sqlite3_reset(handle); return false
        default:
            sqlite3_reset(handle)
            throw connection.error(rc, sql: sql)
        }
    }

    /// Runs a statement that returns no rows.
    public func run(_ values: [SQLBindable] = []) throws {
        try bind(values)
        while try step() {}
    }

    /// Maps every row with `transform`.
    public func rows<T>(_ values: [SQLBindable] = [], _ transform: (Row) throws -> T) throws -> [T] {
        try bind(values)
        var out: [T] = []
        let row = Row(statement: self)
        while try step() { out.append(try transform(row)) }
        return out
    }

    /// The first row mapped with `transform`, or nil.
    public func first<T>(_ values: [SQLBindable] = [], _ transform: (Row) throws -> T) throws -> T? {
        try bind(values)
        defer { sqlite3_reset(handle) }
        return try step() ? try transform(Row(statement: self)) : nil
    }

    /// The first column of the first row as an integer.
    public func scalar(_ values: [SQLBindable] = []) throws -> Int64? {
        try first(values) { $0.isNull(0) ? nil : $0.int64(0) } ?? nil
    }
}

/// Read access to the current row of a statement, by column index.
public struct Row {
    let statement: Statement
    var handle: OpaquePointer { statement.handle }

    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    public func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    public func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(handle, i)) }
    public func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
    public func optionalInt64(_ i: Int32) -> Int64? { isNull(i) ? nil : int64(i) }
    public func optionalInt(_ i: Int32) -> Int? { isNull(i) ? nil : int(i) }
    /// An integer column exactly as stored, or `otherwise` when the value is
    /// not an integer (a REAL or TEXT written by hand into a column without a
    /// strict type), which `int64` would quietly round, clamp or read as 0.
    public func exactInt64(_ i: Int32, otherwise: Int64) -> Int64 {
        sqlite3_column_type(handle, i) == SQLITE_INTEGER ? int64(i) : otherwise
    }
    public func string(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        return String(cString: p)
    }
    public func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }
    /// Whole seconds since 1970. A value that is not an integer (text or a
    /// real written by hand) reads as the latest date there is, which every
    /// screen shows as out of range, never as 1 Jan 1970.
    public func date(_ i: Int32) -> Date {
        Date(timeIntervalSince1970: TimeInterval(exactInt64(i, otherwise: .max)))
    }
    public func optionalDate(_ i: Int32) -> Date? { isNull(i) ? nil : date(i) }
}
