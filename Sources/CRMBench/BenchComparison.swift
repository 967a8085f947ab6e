import Foundation

/// Two engines' rows of the same measurements in one table, side by side:
/// median and p99 of each, matched by row name, in the first engine's order
/// (rows only one engine has are kept and marked so). The verdict is on p99,
/// as the issue asks ("every keystroke row ≤ 16 ms p99").
public struct BenchComparison {
    public let left: (title: String, rows: [BenchTable.Measurement])
    public let right: (title: String, rows: [BenchTable.Measurement])

    public init(left: (title: String, rows: [BenchTable.Measurement]), right: (title: String, rows: [BenchTable.Measurement])) {
        self.left = left
        self.right = right
    }

    /// The rows of `right` whose p99 misses their target, with it.
    public var rightMisses: [BenchTable.Measurement] {
        right.rows.filter { row in row.targetMs.map { row.p99 > $0 } ?? false }
    }

    public func render() -> String {
        let header = ["measurement", "\(left.title) median", "p99", "\(right.title) median", "p99", "runs", "target p99", "verdict", "note"]
        var names = left.rows.map(\.name)
        for row in right.rows where !names.contains(row.name) { names.append(row.name) }
        let leftByName = Dictionary(left.rows.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let rightByName = Dictionary(right.rows.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [[String]] = [header]
        for name in names {
            let l = leftByName[name], r = rightByName[name]
            let target = (l ?? r)?.targetMs
            func missed(_ m: BenchTable.Measurement?) -> Bool { m.map { row in target.map { row.p99 > $0 } ?? false } ?? false }
            var verdict = ""
            if target != nil {
                switch (missed(l), missed(r)) {
                case (false, false): verdict = "ok"
                case (true, false): verdict = "\(left.title) MISSED"
                case (false, true): verdict = "\(right.title) MISSED"
                case (true, true): verdict = "both MISSED"
                }
            }
            var note = (r ?? l)?.note ?? ""
            if l == nil { note = "\(right.title) only" + (note.isEmpty ? "" : "; \(note)") }
            if r == nil { note = "\(left.title) only" + (note.isEmpty ? "" : "; \(note)") }
            let runs = [l, r].compactMap { $0?.samples.count }.map(String.init).joined(separator: "/")
            lines.append([name, l.map { BenchTable.format($0.median) } ?? "—", l.map { BenchTable.format($0.p99) } ?? "—",
                          r.map { BenchTable.format($0.median) } ?? "—", r.map { BenchTable.format($0.p99) } ?? "—",
                          runs, target.map { "≤ \(BenchTable.format($0))" } ?? "", verdict, note])
        }
        return BenchTable.align(lines, numeric: 1...5)
    }
}
