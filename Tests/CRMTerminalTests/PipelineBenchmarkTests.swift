import CRMBench
import CRMRepositories
import CRMStore
@testable import CRMTerminal
import Foundation
import XCTest

/// Runs the pipeline benchmark small, to keep its code working (no timing is
/// asserted: benchmarks print figures, tests never judge wall time). With
/// CRM_PIPELINE_BENCH_DEALS=30000 it runs at full size and prints the rows.
final class PipelineBenchmarkTests: XCTestCase {
    func testBenchmarkRuns() throws {
        let env = ProcessInfo.processInfo.environment
        let deals = Int(env["CRM_PIPELINE_BENCH_DEALS"] ?? "") ?? 400
        let runs = Int(env["CRM_PIPELINE_BENCH_RUNS"] ?? "") ?? 3
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // CRM_PIPELINE_BENCH_PATH keeps the database (e.g. to measure bytes on the wire in tmux).
        let path = env["CRM_PIPELINE_BENCH_PATH"] ?? folder.appendingPathComponent("bench.db").path
        let rows = try PipelineBenchmark(path: path, deals: deals, runs: runs).run()
        XCTAssertEqual(rows.count, 5)
        for row in rows {
            XCTAssertEqual(row.samples.isEmpty, false, row.name)
            let sorted = row.samples.sorted()
            let median = sorted[sorted.count / 2]
            let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * 0.99).rounded()))]
            print(String(format: "%-55@ median %8.3f  p99 %8.3f  (%d runs)  %@", row.name as NSString, median, p99, row.samples.count, row.note))
        }
    }
}
