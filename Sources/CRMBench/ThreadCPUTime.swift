import Foundation

/// The CPU time of the calling thread, beside the wall time the table
/// prints: on a machine shared with other work (a load of 10 on 2 cores) a
/// report's wall time is mostly waiting for a core, and only the CPU time
/// tells whether a change made the work itself smaller. The report rows
/// note the median of both (a page is computed on one thread, SQLite's
/// work included, so the thread's clock holds all of it).
enum ThreadCPUTime {
    /// CPU milliseconds used by this thread so far.
    static var now: Double {
        var ts = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0 else { return .nan }
        return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) / 1e6
    }

    /// A measurement of `runs` samples of `body` after `warmup` untimed
    /// runs, its note saying the median CPU time of a run.
    static func measure(_ name: String, runs: Int, warmup: Int = 3, targetMs: Double? = nil, note: String = "",
                        _ body: () throws -> Void) rethrows -> BenchTable.Measurement {
        for _ in 0..<warmup { try body() }
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<runs {
            let startCPU = now
            wall.append(try BenchTable.milliseconds(body))
            cpu.append(now - startCPU)
        }
        let cpuMedian = BenchTable.Measurement(name: name, samples: cpu).median
        let cpuNote = "cpu \(BenchTable.format(cpuMedian)) ms"
        return BenchTable.Measurement(name: name, samples: wall, targetMs: targetMs,
                                      note: note.isEmpty ? cpuNote : note + ", " + cpuNote)
    }
}
