import CRMCore
import CRMRepositories
@testable import CRMStorePostgres
import Foundation
import XCTest

/// A measuring harness, not a test: prints how long the PostgreSQL search
/// paths the screens take, on a database named by `PGSEARCH_CONNINFO` (a
/// 100,000-contact copy of the bench file made with `crm migrate`). Skipped
/// without it. Figures are printed, never asserted (the brief's rule).
///
///     PGSEARCH_CONNINFO='host=/tmp/pg port=5432 dbname=bench' \
///       swift test --skip-build --filter PGSearchTimingHarness
final class PGSearchTimingHarness: XCTestCase {
    func testPrintSearchTimings() throws {
        guard let conninfo = ProcessInfo.processInfo.environment["PGSEARCH_CONNINFO"] else {
            throw XCTSkip("set PGSEARCH_CONNINFO to a bench database to measure")
        }
        let runs = Int(ProcessInfo.processInfo.environment["PGSEARCH_RUNS"] ?? "") ?? 20
        let only = ProcessInfo.processInfo.environment["PGSEARCH_ONLY"]
        let db = try PostgresDatabase(conninfo: conninfo)
        if ProcessInfo.processInfo.environment["PGSEARCH_REBUILD"] != nil {
            // Rows copied in by SQL (psql COPY): their search words, once.
            try db.rebuildSearchDocuments()
            try db.transaction { _ = try PGInteractionSearch.indexMissing(db.connection) }
            try db.transaction { _ = try PGInteractionSearch.indexMissingDeals(db.connection) }
        }
        let contacts = db.contactRepository
        var lines: [String] = []

        func time(_ name: String, _ body: () throws -> Void) rethrows {
            if let only, !name.contains(only) { return }
            try body()  // warm-up: statements, caches
            var samples: [Double] = []
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            }
            samples.sort()
            let median = samples[samples.count / 2]
            let p99 = samples[min(samples.count - 1, Int((Double(samples.count) * 0.99).rounded(.up)) - 1)]
            let line = "\(name.padding(toLength: 46, withPad: " ", startingAt: 0)) median \(String(format: "%7.2f", median)) ms  p99 \(String(format: "%7.2f", p99)) ms"
            print(line)
            lines.append(line)
        }

        // The contact list's keystroke: the first page and the count.
        func keystroke(_ text: String) throws {
            let filter = ContactFilter(text: text)
            _ = try contacts.list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: 101)
            _ = try contacts.count(filter: filter, upTo: 10_000)
        }
        let typed = ["a", "an", "ann", "m", "mü", "mül", "müll", "mueller", "sch", "schmidt", "j", "jo", "joh", "li",
                     "0", "01", "017", "0171", "0171 9", "55", "+49 171", "example", "example.com", "gmbh", "a b", "call"]
        for text in typed {
            try time("contacts keystroke \"\(text)\"") { try keystroke(text) }
        }
        for text in ["a", "mü", "0171", "example.com", "gmbh"] {
            try time("contacts list only \"\(text)\"") {
                _ = try contacts.list(sort: .name, filter: ContactFilter(text: text), cursor: nil, direction: .forward, limit: 101)
            }
            try time("contacts count only \"\(text)\"") { _ = try contacts.count(filter: ContactFilter(text: text), upTo: 10_000) }
        }
        // Paging down a search: five pages from the top, each timed.
        for text in ["a", "m", "0171", "example.com"] {
            let filter = ContactFilter(text: text)
            var pages: [ContactCursor?] = [nil]
            var cursor: ContactCursor?
            for _ in 0..<5 {
                let rows = try contacts.list(sort: .name, filter: filter, cursor: cursor, direction: .forward, limit: 101)
                guard let last = rows.prefix(100).last else { break }
                cursor = last.cursor(for: .name)
                pages.append(cursor)
            }
            for (i, page) in pages.enumerated().dropFirst() {
                try time("contacts page \(i) down \"\(text)\"") {
                    _ = try contacts.list(sort: .name, filter: filter, cursor: page, direction: .forward, limit: 101)
                    _ = try contacts.countBefore(sort: .name, filter: filter, cursor: page!, upTo: 10_000)
                }
            }
        }
        for text in ["a", "mü", "gmbh", "bau", "s"] {
            try time("companies \"\(text)\"") { _ = try db.companyRepository.search(text, after: nil, limit: 101) }
        }
        for text in ["c", "ca", "cal", "call", "the", "a", "mü"] {
            try time("timeline \"\(text)\"") {
                _ = try db.interactionRepository.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 101)
            }
        }
        if let pipeline = try db.pipelineRepository.pipelines().first {
            let stages = try db.pipelineRepository.stages(pipelineID: pipeline.id)
            for text in ["", "a", "mü", "gmbh", "schmidt", "example.com"] {
                try time("board \"\(text)\" (\(stages.count) columns + totals)") {
                    let filter = DealFilter(text: text)
                    for stage in stages {
                        _ = try db.dealRepository.cards(stageID: stage.id, filter: filter, after: nil, limit: 31)
                    }
                    _ = try db.dealRepository.stageTotals(pipelineID: pipeline.id, filter: filter)
                }
            }
        }
        print("load: " + ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"))
        if let out = ProcessInfo.processInfo.environment["PGSEARCH_OUT"] {
            try lines.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
    }
}
