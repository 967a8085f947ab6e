import CRMRepositories
import CRMDemo
import CRMStore
import CRMCore
import Foundation

/// The store's benchmarks, run by `crm bench` on a database of many contacts.
/// Each read is timed through the public repository API, as a screen calls it.
public struct StoreBenchmarks {
    public var path: String
    public var runs: Int
    /// Interactions per bulk insert run.
    public var bulkRows = 100_000
    public var bulkRuns = 3
    /// Progress lines (to stderr).
    public var log: (String) -> Void

    public init(path: String, runs: Int, log: @escaping (String) -> Void) {
        self.path = path
        self.runs = runs
        self.log = log
    }

    /// Makes sure `path` holds at least `contacts` contacts: reuses it if so,
    /// fills it if empty. Returns the time the fill took (nil: reused).
    ///
    /// A file that does not exist yet is built under a temporary name beside
    /// it, without a journal (DemoData's `throwawayFile`: minutes saved at a
    /// million contacts), and given its name only once it is complete: a
    /// build that stops halfway leaves no bench database that looks whole.
    public static func prepare(path: String, contacts: Int, seed: UInt64,
                               onPhase: ((String, Double) -> Void)? = nil) throws -> (counts: StoreCounts, fillSeconds: Double?) {
        var fill: Double?
        if !FileManager.default.fileExists(atPath: path) {
            let building = path + ".building"
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(building + suffix) }
            fill = try BenchTable.milliseconds {
                // Closed before the rename: repositories keep only an unowned reference to it.
                let db = try Database(path: building)
                try withExtendedLifetime(db) {
                    _ = try DemoData.generate(into: db, contacts: contacts, seed: seed, throwawayFile: true, onPhase: onPhase)
                }
            } / 1000
            guard rename(building, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                               NSLocalizedDescriptionKey: "cannot rename \(building) to \(path): \(String(cString: strerror(errno)))"])
            }
        }
        let db = try Database(path: path)
        if try db.contacts.count(filter: ContactFilter()) == 0 {
            fill = try BenchTable.milliseconds { try DemoData.generate(into: db, contacts: contacts, seed: seed, onPhase: onPhase) } / 1000
        }
        return (try db.counts(), fill)
    }

    public func run(into table: BenchTable) throws {
        log("open")
        try table.time("open database", runs: runs, targetMs: 2) { _ = try Database(path: path) }

        let db = try Database(path: path)
        let contacts = db.contacts
        let all = ContactFilter()
        log("contact list")
        try table.time("contacts: first page (50, by name)", runs: runs, targetMs: 2) {
            _ = try contacts.list(sort: .name, filter: all, cursor: nil, direction: .forward, limit: 50)
        }
        // The cursor of row 50,000, found once by walking pages (as scrolling would).
        let depth = min(50_000, max(0, try contacts.count(filter: all) - 50))
        var cursor: ContactCursor?
        var walked = 0
        while walked < depth {
            let page = try contacts.list(sort: .name, filter: all, cursor: cursor, direction: .forward, limit: min(1000, depth - walked))
            guard let last = page.last else { break }
            cursor = last.cursor(for: .name)
            walked += page.count
        }
        try table.time("contacts: keyset page at row \(walked)", runs: runs, targetMs: 2) {
            _ = try contacts.list(sort: .name, filter: all, cursor: cursor, direction: .forward, limit: 50)
        }

        try runSearch(db, cursor: cursor, into: table)
        log("duplicates")
        try DuplicatesBenchmark(path: path, runs: runs).run(into: table)

        log("timeline")
        let sample = try contacts.list(sort: .name, filter: all, cursor: cursor, direction: .forward, limit: 1).first
        let contactID = sample?.id ?? 1
        try table.time("timeline: one contact, first page (50)", runs: runs, targetMs: 2) {
            _ = try db.interactions.timeline(.contact(contactID), before: nil, limit: 50)
        }

        log("follow-ups list")
        try FollowUpListBenchmark(path: path, runs: runs).run(into: table)

        let maxContact = Int64(try db.counts().contacts)
        for deferIndexing in [true, false] {
            log("bulk insert (\(deferIndexing ? "deferred" : "per-row") indexing)")
            var samples: [Double] = []
            var phases: [String: [Double]] = [:]
            for run in 0..<bulkRuns {
                let loader = BulkLoader(database: db, deferIndexing: deferIndexing)
                loader.onPhase = { name, ms in phases[name, default: []].append(ms) }
                samples.append(try BenchTable.milliseconds {
                    try loader.load(discard: true) { loader in
                        var generator = DemoGenerator(loader: loader, seed: UInt64(1000 + run), today: DemoData.startOfTodayUTC())
                        try generator.addInteractions(bulkRows, contactIDs: 1...max(1, maxContact))
                    }
                })
            }
            var m = BenchTable.Measurement(name: "bulk insert \(bulkRows) interactions, \(deferIndexing ? "deferred" : "per-row") indexing",
                                           samples: samples, note: "")
            // No absolute target: the bulk group sets BulkLoader against the sqlite3 shell on the same rows.
            m.note = "\(Int(Double(bulkRows) / (m.median / 1000))) interactions/s (rolled back)"
            // Where the time went (median ms per phase): rows with their
            // indexes, then each set-based backfill.
            let shown = [("rows", "rows"), ("interactions_fts_insert", "fts"), ("interactions_touch_contact", "last touch")]
            let parts = shown.compactMap { key, label in phases[key].map { "\(label) \(Int(BenchTable.Measurement(name: "", samples: $0, targetMs: nil, note: "").median))" } }
            if !parts.isEmpty { m.note += "; ms: " + parts.joined(separator: ", ") }
            table.add(m)
        }
    }

    /// The search rows alone (`crm bench --only search`): name prefixes, a
    /// phone number's digits, then `SearchBenchmark`. `cursor`: a row in the
    /// middle of the list, whose phone gives the digits (nil: the first).
    public func runSearch(_ db: Database, cursor: ContactCursor? = nil, into table: BenchTable) throws {
        let contacts = db.contacts
        let all = ContactFilter()
        log("search")
        for (label, prefix) in [("Latin", "joh"), ("German", "mül"), ("Persian", "رضا"), ("Chinese", "王")] {
            var hits = 0
            try table.time("search: name prefix \"\(prefix)\" (\(label))", runs: runs, targetMs: 2) {
                hits = try contacts.search(prefix, filter: all, limit: 50).count
            }
            if hits == 0 { log("note: no hits for \(prefix)") }
        }
        let sample = try contacts.list(sort: .name, filter: all, cursor: cursor, direction: .forward, limit: 1).first
        let phoneDigits = PhoneNumber.digits(sample?.phone ?? "5551234")
        let digits = String(phoneDigits.suffix(6).prefix(4))
        try table.time("search: phone digits \"\(digits)\"", runs: runs, targetMs: 2) {
            _ = try contacts.search(digits, filter: all, limit: 50)
        }
        try SearchBenchmark(path: path, runs: runs).run(into: table)
    }
}
