import CRMCore
import CRMDemo
import CRMRepositories
import CRMStore
import Foundation

/// Bulk writes against the engine's own speed: the same interactions written
/// by BulkLoader (as the demo fill and the bench's bulk insert write them)
/// and by the sqlite3 shell, each into its own copy of the same small demo
/// database — the same table, the same indexes, the same FTS table, one
/// transaction each, committed — and the ratio of the two rates measured in
/// the same sitting. It replaces the old absolute target (200,000 rows/s),
/// which said more about the machine than about crm.
///
/// The shell gets the pragmas BulkLoader uses (synchronous NORMAL, a 256 MiB
/// page cache) and its best plan: one INSERT … SELECT from an attached file
/// of the rows, then the FTS rows in one INSERT … SELECT. It cannot run the
/// FTS trigger itself (crm_fold is crm's function), so the rows carry their
/// folded text, made by crm beforehand, outside the timing. The rest of the
/// schema's triggers (last contact, change counters) run in both.
public struct BulkRatioBenchmark {
    public var folder: String
    public var rows: Int
    public var runs: Int
    public var log: (String) -> Void

    public init(folder: String, rows: Int = 200_000, runs: Int = 3, log: @escaping (String) -> Void) {
        self.folder = folder
        self.rows = rows
        self.runs = runs
        self.log = log
    }

    static let columns = "contact_id, company_id, deal_id, kind, direction, occurred_at, duration_s, outcome, subject, body, author_id, created_at"

    public func run() throws -> [BenchTable.Measurement] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let seed = folder + "/seed.db"
        log("bulk: a 100-contact demo database to write into")
        do {
            let db = try Database(path: seed)
            try DemoData.generate(into: db, contacts: 100, seed: 7)
            try db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        var crm: [Double] = [], shell: [Double] = []
        for run in 0..<runs {
            log("bulk run \(run + 1) of \(runs): \(rows) interactions through BulkLoader ...")
            let crmPath = folder + "/crm-\(run).db", shellPath = folder + "/sqlite3-\(run).db", rowsPath = folder + "/rows-\(run).db"
            try FileManager.default.copyItem(atPath: seed, toPath: crmPath)
            try FileManager.default.copyItem(atPath: seed, toPath: shellPath)
            let (ms, trigger) = try bulkLoad(into: crmPath, exportingTo: rowsPath, seed: UInt64(run + 1))
            crm.append(ms)
            log("bulk run \(run + 1) of \(runs): the same rows through the sqlite3 shell ...")
            shell.append(try sqliteShell(into: shellPath, rows: rowsPath, trigger: trigger))
            for path in [crmPath, shellPath, rowsPath] {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        let reference = BenchTable.Measurement(name: "bulk write \(rows) interactions: sqlite3 shell, one transaction", samples: shell)
        var loader = BenchTable.Measurement(name: "bulk write \(rows) interactions: BulkLoader, one transaction", samples: crm,
                                            targetMs: reference.median)
        let rate = { (m: BenchTable.Measurement) in Int(Double(rows) / (m.median / 1000)) }
        var shellRow = reference
        shellRow.note = "\(rate(reference)) rows/s, the reference"
        loader.note = String(format: "%d rows/s, %.2fx the sqlite3 shell's rate (target ≥ 1.00x)", rate(loader), reference.median / loader.median)
        return [shellRow, loader]
    }

    /// BulkLoader writes the rows (timed, generation not included), then
    /// copies them with their folded text into `rowsPath` for the shell.
    /// Returns the time and the FTS trigger's SQL.
    func bulkLoad(into path: String, exportingTo rowsPath: String, seed: UInt64) throws -> (Double, String) {
        let db = try Database(path: path)
        let c = db.connection
        let watermark = try c.scalar("SELECT coalesce(max(id), 0) FROM interactions") ?? 0
        let maxContact = try c.scalar("SELECT max(id) FROM contacts") ?? 1
        let users = try c.rows("SELECT id FROM users ORDER BY id") { $0.int64(0) }
        // The demo fill's settings: triggers deferred, the interaction indexes rebuilt.
        let loader = BulkLoader(database: db, deferIndexing: true, rebuildIndexesOf: ["interactions"])
        var generator = DemoGenerator(loader: loader, seed: seed, today: DemoData.startOfTodayUTC())
        let made = generator.interactions(rows, contactIDs: 1...maxContact, userIDs: users)
        var phases: [String] = []
        loader.onPhase = { name, ms in phases.append("\(name) \(Int(ms))") }
        let ms = try BenchTable.milliseconds {
            try loader.load { loader in for i in made { try loader.insert(i) } }
        }
        log("bulk: BulkLoader phases (ms): " + phases.joined(separator: ", "))
        // crm opens files without SQLITE_OPEN_CREATE, and ATTACH inherits
        // that: the file must exist (an empty file is an empty database).
        guard FileManager.default.createFile(atPath: rowsPath, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw BulkRatioFailure(status: -1, message: "cannot create \(rowsPath)")
        }
        try c.run("ATTACH ? AS bench_rows", [rowsPath])
        try c.execute("""
            CREATE TABLE bench_rows.rows AS SELECT id, \(Self.columns),
                crm_fold(subject) AS fold_subject, crm_fold(body) AS fold_body, crm_fold(outcome) AS fold_outcome
            FROM interactions WHERE id > \(watermark) ORDER BY id
            """)
        try c.execute("DETACH bench_rows")
        let trigger = try c.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'interactions_fts_insert'") ?? ""
        return (ms, trigger)
    }

    /// The sqlite3 shell, timed as a whole process (its start is a few ms).
    func sqliteShell(into path: String, rows rowsPath: String, trigger: String) throws -> Double {
        let script = """
            PRAGMA synchronous = NORMAL;
            PRAGMA cache_size = -262144;
            ATTACH '\(rowsPath.replacingOccurrences(of: "'", with: "''"))' AS bench_rows;
            BEGIN IMMEDIATE;
            DROP TRIGGER interactions_fts_insert;
            INSERT INTO interactions(id, \(Self.columns)) SELECT id, \(Self.columns) FROM bench_rows.rows ORDER BY id;
            INSERT INTO interaction_fts(rowid, subject, body, outcome)
                SELECT max(min(occurred_at, 4294967295), -4294967296) * 2147483648 + id, fold_subject, fold_body, fold_outcome
                FROM bench_rows.rows WHERE kind != 'stage' ORDER BY 1;
            \(trigger);
            COMMIT;
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-bail", path]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        guard process.terminationStatus == 0 else { throw BulkRatioFailure(status: process.terminationStatus) }
        return ms
    }
}

/// The sqlite3 shell failed or is missing.
public struct BulkRatioFailure: Error, CustomStringConvertible {
    public let status: Int32
    public var message: String?
    public var description: String {
        message ?? "the sqlite3 shell failed (status \(status)); is it installed? (apt-get install sqlite3)"
    }
}
