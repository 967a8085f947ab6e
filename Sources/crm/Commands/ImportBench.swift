import CRMBench
import CRMRepositories
import CRMStore
import Foundation

// `crm bench --only import [--contacts N] [--runs R]`: N (default 100,000)
// contacts from a Google Contacts CSV, imported from the same file in the
// same run by the sqlite3 shell and by `crm import`, each as a whole process
// started by this one (the issue's target: crm within 1.5x of sqlite3); then
// the peak memory of `crm import` of N/10 and of 10×N rows (10,000 and
// 1,000,000 by default; the target: within 20 MiB of each other), read from
// the finished child's rusage. Needs `sqlite3` on PATH (Debian: apt-get
// install sqlite3).

enum ImportBench {
    /// What each side is asked to do, printed above the figures.
    struct Report {
        var lines: [String] = []
        var measurements: [BenchTable.Measurement] = []
    }

    /// A Google Contacts CSV of `rows` made-up people: name, company (one
    /// per 20 people), an email, a phone and a label each.
    static func writeGoogleCSV(rows: Int, to path: String) throws {
        guard let out = OutputStream(toFileAtPath: path, append: false) else { throw Failure("cannot write \(path)", status: ExitCode.cantCreate) }
        out.open()
        defer { out.close() }
        var pending: [UInt8] = []
        func write(_ s: String) {
            pending.append(contentsOf: s.utf8)
            if pending.count >= 1 << 16 { flush() }
        }
        func flush() {
            _ = pending.withUnsafeBufferPointer { out.write($0.baseAddress!, maxLength: $0.count) }
            pending.removeAll(keepingCapacity: true)
        }
        write("Name,Given Name,Family Name,Organization 1 - Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Labels\n")
        let given = ["Ada", "Günter", "Maria", "Li", "Omid", "Sara", "Jan", "Zoë", "Amir", "Chen"]
        let family = ["Lovelace", "Müller", "García", "Wei", "Rahimi", "Novak", "Dubois", "Kowalski", "Tanaka", "Smith"]
        for i in 0..<rows {
            let g = given[i % given.count], f = family[(i / given.count) % family.count]
            write("\(g) \(f) \(i),\(g),\(f) \(i),Company \(i / 20),* Work,\(g.lowercased())\(i)@example.com,Mobile,+49 30 \(3_000_000 + i),* myContacts\n")
        }
        flush()
    }

    /// What the sqlite3 shell is asked to do, from a new database file: the
    /// file's nine columns into a table with two indexes, then an FTS5 index
    /// over name, company and email rebuilt from it.
    static func sqliteScript(csv: String) -> String {
        """
        CREATE TABLE contacts(name TEXT, given TEXT, family TEXT, company TEXT, email_label TEXT, email TEXT,
                              phone_label TEXT, phone TEXT, labels TEXT);
        CREATE INDEX contacts_by_name ON contacts(name);
        CREATE INDEX contacts_by_email ON contacts(email COLLATE NOCASE);
        CREATE VIRTUAL TABLE contacts_fts USING fts5(name, company, email, content='contacts',
                                                     tokenize='unicode61 remove_diacritics 2', prefix='2 3');
        .mode csv
        .import --skip 1 '\(csv.replacingOccurrences(of: "'", with: "''"))' contacts
        INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild');

        """
    }

    static func run(rows: Int, runs: Int, progress: (String) -> Void) throws -> Report {
        guard let binary = ChildRun.ownBinary else { throw Failure("cannot find this program's own file to run crm import", status: ExitCode.software) }
        let folder = Paths.temporaryFolder + "/crm-bench-import-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = folder + "/google.csv"
        progress("writing \(rows) rows of a Google CSV to \(csv) ...")
        try writeGoogleCSV(rows: rows, to: csv)
        let script = folder + "/sqlite.sql"
        try Data(sqliteScript(csv: csv).utf8).write(to: URL(fileURLWithPath: script))
        let bytes = (try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0

        let n = max(1, min(runs, 5))
        var sqlite: [Double] = []
        var crm: [Double] = []
        var sqliteCPU: [Double] = []
        var crmCPU: [Double] = []
        let phases = folder + "/phases.txt"
        for run in 0..<n {
            progress("import run \(run + 1) of \(n): sqlite3 ...")
            let s = try ChildRun.run("sqlite3", [folder + "/sqlite-\(run).db"], stdin: script)
            guard s.exitedCleanly else {
                throw Failure("sqlite3 failed (status \(s.status)); is it installed? (apt-get install sqlite3)", status: ExitCode.software)
            }
            sqlite.append(s.seconds * 1000)
            sqliteCPU.append(s.cpuSeconds * 1000)
            progress("import run \(run + 1) of \(n): crm ...")
            // The last run's phases are printed (`SQLiteImportRepository.onPhase`).
            try? FileManager.default.removeItem(atPath: phases)
            setenv(Self.phasesVariable, phases, 1)
            defer { unsetenv(Self.phasesVariable) }
            let c = try crmImport(binary, csv: csv, rows: rows, db: folder + "/crm-\(run).db")
            crm.append(c.seconds * 1000)
            crmCPU.append(c.cpuSeconds * 1000)
        }
        let sqliteMedian = BenchTable.Measurement(name: "", samples: sqlite).median
        let crmMedian = BenchTable.Measurement(name: "", samples: crm).median
        let ratio = crmMedian / sqliteMedian
        let sqliteCPUMedian = BenchTable.Measurement(name: "", samples: sqliteCPU).median
        let crmCPUMedian = BenchTable.Measurement(name: "", samples: crmCPU).median

        // Memory: the same import of a tenth and of ten times the rows.
        let small = max(1, rows / 10), large = rows * 10
        var peaks: [(rows: Int, run: ChildRun)] = []
        for count in [small, large] {
            let file = folder + "/google-\(count).csv"
            progress("memory: writing \(count) rows, then crm import of them ...")
            try writeGoogleCSV(rows: count, to: file)
            peaks.append((count, try crmImport(binary, csv: file, rows: count, db: folder + "/crm-memory-\(count).db")))
            try? FileManager.default.removeItem(atPath: file)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: folder + "/crm-memory-\(count).db" + suffix) }
        }
        let growth = peaks[1].run.maxRSSMiB - peaks[0].run.maxRSSMiB

        var report = Report()
        let rowsText = rows.formatted(.number.grouping(.automatic))
        report.lines = [
            "import: \(rowsText) rows of a Google Contacts CSV (\(String(format: "%.1f", Double(bytes) / 1_048_576)) MiB), \(n) run(s) each, load average \(loadAverage())",
            "  sqlite3 was asked, as one process from a new database file (timed from start to exit): CREATE TABLE with the",
            "    file's 9 columns, 2 indexes (name; email COLLATE NOCASE), an FTS5 table over name, company and email",
            "    (unicode61 remove_diacritics 2, prefix 2 3, external content), `.mode csv` + `.import --skip 1 FILE`,",
            "    then INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild').",
            "  crm was asked, as one process (`crm import FILE --db DB --user bench`, timed from start to exit) into a",
            "    database created beforehand (its schema steps are not an import's work): read, check and find duplicates",
            "    for every row, create contacts, emails, phones, tags and companies, their search indexes, one batch.",
            String(format: "  rows %@: sqlite3 %.2f s, crm import %.2f s, ratio %.2fx (target ≤ 1.5x: %@)",
                   rowsText, sqliteMedian / 1000, crmMedian / 1000, ratio, ratio <= 1.5 ? "met" : "MISSED"),
            String(format: "  processor time (user + system, steadier on a busy machine): sqlite3 %.2f s, crm import %.2f s, ratio %.2fx",
                   sqliteCPUMedian / 1000, crmCPUMedian / 1000, crmCPUMedian / sqliteCPUMedian),
            String(format: "  peak memory (max RSS of the crm import process): %d rows %.1f MiB, %d rows %.1f MiB, %+.1f MiB (target ≤ 20 MiB: %@)",
                   peaks[0].rows, peaks[0].run.maxRSSMiB, peaks[1].rows, peaks[1].run.maxRSSMiB, growth, growth <= 20 ? "met" : "MISSED"),
        ]
        if let text = try? String(contentsOfFile: phases, encoding: .utf8) {
            // "name<TAB>ms" a line, in the order the import went through them.
            // Phases under 50 ms (triggers of tables an import does not fill) are left out.
            let parts = text.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: "\t")
                guard fields.count == 2, let ms = Double(fields[1]), ms >= 50 else { return nil }
                return String(format: "%@ %.2f s", String(fields[0]), ms / 1000)
            }
            report.lines.append("  where the last crm import's time went (wall, in the order of its phases, those of 0.05 s and more): "
                                + parts.joined(separator: ", "))
        }
        report.measurements = [
            BenchTable.Measurement(name: "import \(rowsText) Google CSV rows: sqlite3 .import + 2 indexes + FTS5 rebuild",
                                   samples: sqlite, note: "the reference (whole process)"),
            BenchTable.Measurement(name: "import \(rowsText) Google CSV rows: crm import (whole process, one transaction)",
                                   samples: crm, targetMs: sqliteMedian * 1.5,
                                   note: String(format: "%.2fx sqlite3 (target ≤ 1.5x)", ratio)),
        ]
        return report
    }

    /// `crm import` of `csv` as a child process, into a new database made
    /// (migrated) before the clock starts.
    static func crmImport(_ binary: String, csv: String, rows: Int, db path: String) throws -> ChildRun {
        do { _ = try Database(path: path, login: "bench") }
        let run = try ChildRun.run(binary, ["import", csv, "--db", path, "--user", "bench"])
        guard run.exitedCleanly else { throw Failure("crm import of \(csv) failed (status \(run.status))", status: ExitCode.software) }
        let created = try Database.reading(path) { try $0.contacts.count(filter: ContactFilter()) }
        guard created == rows else { throw Failure("the bench import created \(created) of \(rows) contacts", status: ExitCode.software) }
        return run
    }

    /// Where `crm import` writes its phases when the bench runs it.
    static let phasesVariable = "CRM_BENCH_IMPORT_PHASES"

    /// Appends one phase to the bench's file (the child's side).
    static func note(phase: String, ms: Double, in path: String) {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            return FileHandle(forWritingAtPath: path)
        }() else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data("\(phase)\t\(ms)\n".utf8))
    }

    /// The 1-minute load average, to read the figures by.
    static func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) == 3 ? String(format: "%.2f %.2f %.2f", loads[0], loads[1], loads[2]) : "unknown"
    }
}
