import CRMBench
import CRMExchange
import CRMRepositories
import CRMStore
import Foundation

// `crm bench --only import`: 100,000 contacts from a Google Contacts CSV,
// imported by crm (a new database each run) and, from the same file in the
// same run, by the sqlite3 shell: `.import` into a table with two indexes,
// then an FTS5 index over it rebuilt. The issue's target: crm within 1.5x
// of sqlite3. Needs `sqlite3` on PATH (Debian: apt-get install sqlite3).

enum ImportBench {
    /// A Google Contacts CSV of `rows` made-up people: name, company (one
    /// per 20 people), an email, a phone and a label each.
    static func writeGoogleCSV(rows: Int, to path: String) throws {
        guard let out = OutputStream(toFileAtPath: path, append: false) else { throw Failure("cannot write \(path)", status: ExitCode.cantCreate) }
        out.open()
        defer { out.close() }
        func write(_ s: String) { let d = Array(s.utf8); _ = d.withUnsafeBufferPointer { out.write($0.baseAddress!, maxLength: d.count) } }
        write("Name,Given Name,Family Name,Organization 1 - Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Labels\n")
        let given = ["Ada", "Günter", "Maria", "Li", "Omid", "Sara", "Jan", "Zoë", "Amir", "Chen"]
        let family = ["Lovelace", "Müller", "García", "Wei", "Rahimi", "Novak", "Dubois", "Kowalski", "Tanaka", "Smith"]
        for i in 0..<rows {
            let g = given[i % given.count], f = family[(i / given.count) % family.count]
            write("\(g) \(f) \(i),\(g),\(f) \(i),Company \(i / 20),* Work,\(g.lowercased())\(i)@example.com,Mobile,+49 30 \(3_000_000 + i),* myContacts\n")
        }
    }

    static func run(runs: Int, progress: (String) -> Void) throws -> [BenchTable.Measurement] {
        let rows = 100_000
        let folder = Paths.temporaryFolder + "/crm-bench-import-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = folder + "/google.csv"
        progress("writing \(rows) rows of a Google CSV to \(csv) ...")
        try writeGoogleCSV(rows: rows, to: csv)
        let n = max(1, min(runs, 5))
        var sqlite: [Double] = []
        var crm: [Double] = []
        for run in 0..<n {
            progress("import run \(run + 1) of \(n): sqlite3 ...")
            sqlite.append(try sqliteImport(csv, db: folder + "/sqlite-\(run).db"))
            progress("import run \(run + 1) of \(n): crm ...")
            crm.append(try crmImport(csv, db: folder + "/crm-\(run).db"))
        }
        let reference = BenchTable.Measurement(name: "import 100k Google CSV: sqlite3 .import + 2 indexes + FTS5 rebuild",
                                               samples: sqlite, note: "the reference")
        let ratio = crm.sorted()[crm.count / 2] / reference.median
        return [
            reference,
            BenchTable.Measurement(name: "import 100k Google CSV: crm import (one transaction)", samples: crm,
                                   targetMs: reference.median * 1.5, note: String(format: "%.2fx sqlite3 (target ≤ 1.5x)", ratio)),
        ]
    }

    /// The sqlite3 shell, timed as a whole process.
    static func sqliteImport(_ csv: String, db: String) throws -> Double {
        let script = """
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", db]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        guard process.terminationStatus == 0 else {
            throw Failure("sqlite3 failed (status \(process.terminationStatus)); is it installed? (apt-get install sqlite3)", status: ExitCode.software)
        }
        return ms
    }

    /// crm's own import, as `crm import FILE` does it, into a new database.
    static func crmImport(_ csv: String, db path: String) throws -> Double {
        let db = try Database(path: path, login: "bench")
        return try BenchTable.milliseconds {
            var source: any ImportSource = ImportReaderSource(try ImportOpener.standard.open(csv))
            let summary = try db.importRepository.importContacts(from: &source, options: ImportOptions(label: "google.csv"),
                                                                 progress: nil) { _ in }
            guard summary.created == 100_000 else { throw Failure("the bench import created \(summary.created) contacts", status: ExitCode.software) }
        }
    }
}
