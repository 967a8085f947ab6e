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

    /// Gives freed heap back to the system, then starts a new peak from here.
    /// False when the kernel does not allow it (the peak then counts from the start).
    @discardableResult
    public static func resetPeak() -> Bool {
        // glibc's malloc_trim, looked up: the Glibc module does not export it.
        typealias Trim = @convention(c) (Int) -> Int32
        if let trim = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(trim, to: Trim.self)(0) }
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    private static func field(_ name: String) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kib = line.dropFirst(name.count + 1).split(separator: " ").first.flatMap { Double($0) }
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
