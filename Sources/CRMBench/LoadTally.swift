import CRMRepositories
import Foundation

/// What the load clients wrote (LoadLine), gathered by the parent: the
/// latencies and outcomes per kind of action, and every write that was
/// tried with its outcome, for the check against the database.
public struct LoadTally {
    /// A write a client tried: what it would leave in the database, and
    /// how it ended (nil: the client ended before it said — killed).
    public struct Write {
        public var kind: LoadKind
        public var fields: [String]
        public var outcome: LoadOutcome?
    }

    public private(set) var samples: [LoadKind: [Double]] = [:]
    public private(set) var outcomes: [LoadKind: [LoadOutcome: Int]] = [:]
    /// Busy waits (a write waiting ≥ 300 ms for another's lock) per kind.
    public private(set) var waits: [LoadKind: Int] = [:]
    public private(set) var writes: [String: Write] = [:]
    /// The first few error texts, for the report.
    public private(set) var errors: [String] = []
    public private(set) var errorCount = 0
    /// Lines that did not parse (a client cut off mid-line).
    public private(set) var unreadable = 0

    public init() {}

    public mutating func read(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch f.first {
            case "W" where f.count >= 3:
                guard let kind = LoadKind(rawValue: f[2]) else { unreadable += 1; continue }
                writes[f[1]] = Write(kind: kind, fields: Array(f.dropFirst(3)), outcome: nil)
            case "R" where f.count == 6:
                guard let kind = LoadKind(rawValue: f[2]), let ms = Double(f[3]), let outcome = LoadOutcome(rawValue: f[4]),
                      let w = Int(f[5]) else { unreadable += 1; continue }
                samples[kind, default: []].append(ms)
                outcomes[kind, default: [:]][outcome, default: 0] += 1
                waits[kind, default: 0] += w
                writes[f[1]]?.outcome = outcome
            case "E" where f.count >= 3:
                errorCount += 1
                if errors.count < 5 { errors.append(f[2]) }
            default:
                unreadable += 1
            }
        }
    }

    public var actions: Int { samples.values.reduce(0) { $0 + $1.count } }

    /// The report's table: per kind, count, rate, p50/p99 and outcomes.
    public func render(seconds: Double) -> String {
        var lines = [["action", "count", "per s", "p50 ms", "p99 ms", "ok", "stale", "busy", "errors", "busy waits"]]
        for kind in LoadKind.allCases {
            let all = samples[kind] ?? []
            let m = BenchTable.Measurement(name: kind.title, samples: all)
            let o = outcomes[kind] ?? [:]
            lines.append([kind.title, String(all.count), String(format: "%.1f", Double(all.count) / seconds),
                          all.isEmpty ? "—" : BenchTable.format(m.median), all.isEmpty ? "—" : BenchTable.format(m.p99),
                          String(o[.ok] ?? 0), String(o[.stale] ?? 0), String(o[.busy] ?? 0), String(o[.error] ?? 0),
                          String(waits[kind] ?? 0)])
        }
        let everything = BenchTable.Measurement(name: "all", samples: samples.values.flatMap { $0 })
        let total = LoadOutcome.allCases.map { o in outcomes.values.reduce(0) { $0 + ($1[o] ?? 0) } }
        lines.append(["all", String(actions), String(format: "%.1f", Double(actions) / seconds),
                      actions == 0 ? "—" : BenchTable.format(everything.median), actions == 0 ? "—" : BenchTable.format(everything.p99)]
                     + total.map(String.init) + [String(waits.values.reduce(0, +))])
        return BenchTable.align(lines, numeric: 1...9)
    }
}
