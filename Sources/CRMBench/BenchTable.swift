import CRMRepositories
import CRMStore
import Foundation

/// Named timings collected into a table of aligned rows: name, median, p99,
/// runs, target and a note. Store benchmarks fill it now; screen benchmarks
/// (rendering, key handling) add their rows the same way later.
public final class BenchTable {
    public struct Measurement {
        public var name: String
        /// Milliseconds per run.
        public var samples: [Double]
        /// The figure to reach, in ms, for the median; nil: none.
        public var targetMs: Double?
        /// Extra text, e.g. a rate.
        public var note: String

        public init(name: String, samples: [Double], targetMs: Double? = nil, note: String = "") {
            self.name = name
            self.samples = samples
            self.targetMs = targetMs
            self.note = note
        }

        public var median: Double { percentile(0.5) }
        public var p99: Double { percentile(0.99) }

        public func percentile(_ p: Double) -> Double {
            guard !samples.isEmpty else { return .nan }
            let sorted = samples.sorted()
            return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
        }
    }

    public private(set) var rows: [Measurement] = []
    public init() {}

    /// Times `body` `runs` times after `warmup` untimed runs (caches, statement preparation).
    @discardableResult
    public func time(_ name: String, runs: Int, warmup: Int = 3, targetMs: Double? = nil, note: String = "",
                     _ body: () throws -> Void) rethrows -> Measurement {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let m = Measurement(name: name, samples: samples, targetMs: targetMs, note: note)
        rows.append(m)
        return m
    }

    public func add(_ measurement: Measurement) { rows.append(measurement) }

    /// Samples of `body` in ms, after `warmup` untimed runs.
    public static func samples(_ runs: Int, warmup: Int = 3, _ body: () throws -> Void) rethrows -> [Double] {
        for _ in 0..<warmup { try body() }
        return try (0..<runs).map { _ in try milliseconds(body) }
    }

    /// Milliseconds taken by one call of `body`.
    public static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    public func render() -> String {
        let header = ["measurement", "median ms", "p99 ms", "runs", "target", "note"]
        var lines: [[String]] = [header]
        for m in rows {
            let target = m.targetMs.map { m.median <= $0 ? "≤ \(Self.format($0)) ok" : "≤ \(Self.format($0)) MISSED" } ?? ""
            lines.append([m.name, Self.format(m.median), Self.format(m.p99), "\(m.samples.count)", target, m.note])
        }
        return Self.align(lines, numeric: 1...3)
    }

    /// Rows of cells in aligned columns: numbers (the `numeric` columns)
    /// right-aligned, text left-aligned.
    static func align(_ lines: [[String]], numeric: ClosedRange<Int>) -> String {
        let widths = lines[0].indices.map { i in lines.map { $0[i].count }.max() ?? 0 }
        return lines.map { cells in
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return numeric.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    public static func format(_ ms: Double) -> String {
        ms >= 100 ? String(format: "%.0f", ms) : (ms >= 10 ? String(format: "%.1f", ms) : String(format: "%.3f", ms))
    }
}
