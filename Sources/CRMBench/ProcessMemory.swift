import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The bench process's resident memory, read from /proc/self/status. The
/// peak (VmHWM) can be reset (Linux ≥ 4.0: "5" to /proc/self/clear_refs), so
/// one process can measure the screens' peak on a small database and on the
/// big one in turn, without the fill that built the database (its 256 MiB
/// load cache) counting in either.
public enum ProcessMemory {
    /// Current resident set, in MiB (nil where /proc is not there).
    public static var residentMiB: Double? { field("VmRSS") }
    /// Peak resident set since the start or the last `resetPeak`, in MiB.
    public static var peakMiB: Double? { field("VmHWM") ?? getrusagePeak }

    /// What is resident now, by kind (anonymous: the heap and the stacks;
    /// file: the binary and the libraries; shared: SQLite's WAL index), in MiB.
    public static var residentParts: String {
        let parts = [("anonymous", "RssAnon"), ("file", "RssFile"), ("shared", "RssShmem")]
        return parts.map { "\($0.0) \(format(field($0.1)))" }.joined(separator: ", ")
    }

    /// SQLite's own allocations now and at their peak since `resetPeak` (sqlite3_memory_used), in MiB.
    public static var sqliteParts: String {
        typealias Used = @convention(c) () -> Int64
        typealias High = @convention(c) (Int32) -> Int64
        guard let used = dlsym(nil, "sqlite3_memory_used"), let high = dlsym(nil, "sqlite3_memory_highwater") else { return "" }
        return String(format: "SQLite's own allocations %.1f MiB (peak %.1f)", Double(unsafeBitCast(used, to: Used.self)()) / 1_048_576,
                      Double(unsafeBitCast(high, to: High.self)(0)) / 1_048_576)
    }

    /// Gives freed heap back to the system, then starts a new peak from here.
    /// False when the kernel does not allow it (the peak then counts from the start).
    @discardableResult
    public static func resetPeak() -> Bool {
        // glibc's malloc_trim, looked up: the Glibc module does not export it.
        typealias Trim = @convention(c) (Int) -> Int32
        if let trim = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(trim, to: Trim.self)(0) }
        // SQLite's peak too (sqlite3_memory_highwater(1) reads and resets it).
        typealias High = @convention(c) (Int32) -> Int64
        if let high = dlsym(nil, "sqlite3_memory_highwater") { _ = unsafeBitCast(high, to: High.self)(1) }
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    private static func field(_ name: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            // "VmHWM:\t   51234 kB": a tab, then spaces. Split on spaces
            // alone, the first word was the tab, never a number, and every
            // figure here fell back to getrusage's peak, which `resetPeak`
            // does not reset (the bench's "after each view" and its small
            // database's baseline were the process's peak so far).
            let kib = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Double($0) }
            return kib.map { $0 / 1024 }
        }
        return nil
    }

    private static var getrusagePeak: Double? {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
        return Double(usage.ru_maxrss) / 1024
    }

    public static func format(_ mib: Double?) -> String {
        mib.map { String(format: "%.1f MiB", $0) } ?? "unknown"
    }
}
