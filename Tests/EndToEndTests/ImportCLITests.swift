import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm import` as a user runs it: the real binary on real files.
extension CLITests {
    static let googleHeader = "Name,Given Name,Family Name,Organization 1 - Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Labels\n"

    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// A database with Ada Lovelace in it, made through the store.
    func databaseWithAda() throws -> String {
        let db = path("crm.db")
        let database = try Database(path: db, login: "sara")
        _ = try database.users.findOrCreate(login: "omid")
        // The login the commands run as (USER): a rep of the team, since an
        // import signs in as every command does (QA 43 #2).
        _ = try database.users.findOrCreate(login: "tester")
        _ = try database.contacts.create(Contact(name: "Ada Lovelace", emails: [EmailAddress("ada@example.com")]))
        return db
    }

    func fileBytes(_ p: String) -> Data? { FileManager.default.contents(atPath: p) }

    /// QA 38 #F3: our export with columns deleted in a spreadsheet put every
    /// email and phone in the notes, so nothing was checked or matched.
    func testOurColumnNamesInAnotherHeaderAreCheckedAndMatchedAndTheNotesColumnsSaid() throws {
        let db = try databaseWithAda()
        let csv = try write("trimmed.csv", """
            name,company,email_1,email_1_label,phone_1,Hobby
            Ada L.,,ADA@example.com,work,,
            Bob Bad,Acme,bob@,,,
            Cy New,Acme,cy@example.com,,+49 171 1234567,chess
            ,,,,,

            """)
        let dry = try crm("import", csv, "--db", db, "--dry-run", "--user", "sara")
        XCTAssertEqual(dry.status, 65, dry.out + dry.err)
        // QA 40 #3: a row of bare delimiters is no row, but it is said.
        XCTAssertTrue(dry.out.contains("3 rows read\n  skipped, not counted: 1 empty row (only delimiters, no value; line 5)\n"), dry.out)
        XCTAssertTrue(dry.out.contains("line 2: would skip Ada L.: duplicate of Ada Lovelace (#1, same email ada@example.com)"), dry.out)
        XCTAssertTrue(dry.out.contains("rejected line 3, column email_1: \"bob@\" is not an email address"), dry.out)
        XCTAssertTrue(dry.out.contains("kept in the notes as \"label: value\" (no field takes them): Hobby\n"), dry.out)
    }

    func testImportDryRunNamesTheDuplicateAndTheRejectedLineAndWritesNothing() throws {
        let db = try databaseWithAda()
        let csv = try write("google.csv", Self.googleHeader + """
            Ada L.,Ada,L.,,* Work,ADA@example.com,,,
            Bob Bad,Bob,Bad,,Work,bob@,,,
            Cy New,Cy,New,Cyber AG,Work,cy@example.com,Mobile,+49 171 1234567,VIP

            """)
        let before = fileBytes(db)
        let dry = try crm("import", csv, "--db", db, "--dry-run", "--user", "sara")
        XCTAssertEqual(dry.status, 65, "rows would be rejected: a script must not go on\n\(dry.out)\(dry.err)")
        XCTAssertTrue(dry.out.contains("line 2: would skip Ada L.: duplicate of Ada Lovelace (#1, same email ada@example.com)"), dry.out)
        XCTAssertTrue(dry.out.contains("rejected line 3, column E-mail 1 - Value: \"bob@\" is not an email address"), dry.out)
        XCTAssertTrue(dry.out.contains("3 rows read"), dry.out)
        XCTAssertTrue(dry.out.contains("would create: 1 contact, 1 new company"), dry.out)
        XCTAssertTrue(dry.out.contains("would skip as duplicates: 1"), dry.out)
        XCTAssertTrue(dry.out.contains("rejected: 1"), dry.out)
        XCTAssertEqual(fileBytes(db), before, "a dry run writes nothing")

        let refused = try crm("import", csv, "--db", db, "--user", "sara")
        XCTAssertEqual(refused.status, 65)
        XCTAssertTrue(refused.err.contains("1 of 3 rows were rejected, so nothing was imported"), refused.err)
        XCTAssertEqual(try Database(path: db, mode: .read).contacts.count(filter: ContactFilter()), 1)

        let clean = try crm("import", csv, "--db", db, "--user", "sara", "--dry-run", "--skip-invalid")
        XCTAssertEqual(clean.status, 0, clean.out)
        let done = try crm("import", csv, "--db", db, "--user", "sara", "--skip-invalid", "--tag", "fair")
        XCTAssertEqual(done.status, 0, done.err)
        XCTAssertTrue(done.out.contains("Imported as batch 1; undo it with: crm import --undo 1"), done.out)
        let database = try Database(path: db, mode: .read)
        let cy = try XCTUnwrap(try database.contacts.search("Cy New", filter: ContactFilter(), limit: 1).first)
        XCTAssertEqual(cy.companyName, "Cyber AG")
        XCTAssertEqual(Set(try database.contacts.get(cy.id)?.tags ?? []), ["VIP", "fair"])
        let list = try crm("import", "--list", "--db", db)
        XCTAssertTrue(list.out.contains("sara imported 1 contact from google.csv"), list.out)
    }

    func testImportWithEachPolicyAndUndoFromTheCommandLine() throws {
        let db = try databaseWithAda()
        let csv = try write("again.csv", Self.googleHeader + "Ada Lovelace,Ada,Lovelace,Engines,Work,ada@example.com,Mobile,+44 20 7946 0000,\n")
        func adaCount() throws -> Int { try Database(path: db, mode: .read).contacts.count(filter: ContactFilter()) }
        XCTAssertEqual(try crm("import", csv, "--db", db, "--on-duplicate", "skip").status, 0)
        XCTAssertEqual(try adaCount(), 1)
        let merged = try crm("import", csv, "--db", db, "--on-duplicate", "merge", "--user", "sara")
        XCTAssertEqual(merged.status, 0, merged.err)
        XCTAssertTrue(merged.out.contains("line 2: merge Ada Lovelace into Ada Lovelace (#1, same email ada@example.com)"), merged.out)
        XCTAssertEqual(try Database(path: db, mode: .read).contacts.get(1)?.phones.map { $0.number }, ["+44 20 7946 0000"])
        let created = try crm("import", csv, "--db", db, "--on-duplicate", "create")
        XCTAssertEqual(created.status, 0, created.err)
        XCTAssertEqual(try adaCount(), 2)

        // Undo the merge (batch 2) after someone edited the contact: refused with who and what.
        let omid = try Database(path: db, login: "omid")
        var ada = try XCTUnwrap(try omid.contacts.get(1))
        ada.title = "Countess"
        _ = try omid.contacts.update(ada)
        // An undo has no dry run: refused as a usage error, nothing undone (QA 29 #1).
        let dry = try crm("import", "--undo", "2", "--dry-run", "--db", db, "--user", "sara")
        XCTAssertEqual(dry.status, 64, dry.out)
        XCTAssertTrue(dry.err.contains("--dry-run goes with an import of FILE; an undo has none"), dry.err)
        XCTAssertEqual(try crm("import", "--list", "--dry-run", "--db", db).status, 64)
        // Batch 2 is sara's: a rep may not undo it (it deletes past the trash, QA 28 #6); she may.
        let notHers = try crm("import", "--undo", "2", "--db", db)
        XCTAssertEqual(notHers.status, 77, notHers.err)
        XCTAssertTrue(notHers.err.contains("is sara's, and an undo removes its contacts and companies for good"), notHers.err)
        let refused = try crm("import", "--undo", "2", "--db", db, "--user", "sara")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.out.contains("Ada Lovelace (#1): changed by omid at "), refused.out)
        XCTAssertTrue(refused.err.contains("changed since the import; nothing was changed (`crm import --undo 2 --force` undoes it anyway)"), refused.err)
        let forced = try crm("import", "--undo", "2", "--force", "--db", db, "--user", "sara")
        XCTAssertEqual(forced.status, 0, forced.err)
        let back = try XCTUnwrap(try Database(path: db, mode: .read).contacts.get(1))
        XCTAssertEqual(back.phones, [PhoneNumber]())
        XCTAssertEqual(back.title, "Countess", "omid's edit stays")
        let undoCreate = try crm("import", "--undo", "3", "--db", db)
        XCTAssertEqual(undoCreate.status, 0, undoCreate.err)
        XCTAssertEqual(try adaCount(), 1)
        XCTAssertEqual(try crm("import", "--undo", "3", "--db", db).status, 1, "undone already")
        XCTAssertEqual(try crm("import", "--undo", "99", "--db", db).status, 1)

        // The refusal's times in the settings' calendar and time zone, as --list gives them (QA 29 #20).
        let config = path(".config/crm")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try "calendar = persian\ntime_zone = Asia/Tehran\n".write(toFile: config + "/settings", atomically: true, encoding: .utf8)
        let again = try crm("import", "--undo", "3", "--db", db)
        let listed = try crm("import", "--list", "--db", db)
        let line = try XCTUnwrap(listed.out.split(separator: "\n").first { $0.hasPrefix("3") }.map(String.init), listed.out)
        let undone = try XCTUnwrap(line.components(separatedBy: "undone by ").last, line)  // "tester at Sun 9 Azar 1405 …"
        XCTAssertTrue(undone.contains("1405") || undone.contains("1404"), "a Jalali year: \(listed.out)")
        XCTAssertTrue(again.err.contains("was undone already, by \(undone)"), again.err + listed.out)
        XCTAssertFalse(again.err.contains("UTC"), again.err)
    }

    /// `-`, a pipe and a named pipe are read once (the format is sniffed
    /// from a private copy), not found "empty" on a second open or waited
    /// on for ever.
    func testImportReadsStandardInputAPipeAndANamedPipe() throws {
        let db = try databaseWithAda()
        let csv = try write("in.csv", "Name,Email\nCy Neu,cy@example.com\nAda Lovelace,ada@example.com\n")
        let binary = Self.binary.path
        for line in ["cat \(csv) | \(binary) import - --dry-run --db \(db)",
                     "mkfifo \(path("f.fifo")) && { cat \(csv) > \(path("f.fifo")) & } && timeout 60 \(binary) import \(path("f.fifo")) --dry-run --db \(db)"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", line]
            process.environment = ["HOME": folder.path, "TZ": "UTC", "LANG": "C.UTF-8", "USER": "tester", "PATH": "/usr/bin:/bin"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, line + "\n" + text)
            XCTAssertTrue(text.contains("2 rows read"), text)
            XCTAssertTrue(text.contains("would create: 1 contact\n"), text)
        }
        let piped = try crm("import", "-", "--db", db)
        XCTAssertEqual(piped.status, 65, "stdin is /dev/null here: an empty input, said as such")
        XCTAssertTrue(piped.err.hasPrefix("crm: -: the file is empty"), piped.err)
    }

    func testImportBadInputExitsWithItsCodeAndWritesNothing() throws {
        let db = try databaseWithAda()
        let before = fileBytes(db)
        let good = try write("ok.csv", Self.googleHeader + "Cy,Cy,,,,cy@example.com,,,\n")

        let missing = try crm("import", path("nope.csv"), "--db", db)
        XCTAssertEqual(missing.status, 66)
        XCTAssertTrue(missing.err.contains("nope.csv"), missing.err)

        let empty = try write("empty.csv", "")
        let emptyRun = try crm("import", empty, "--db", db)
        XCTAssertEqual(emptyRun.status, 65, emptyRun.err)
        XCTAssertTrue(emptyRun.err.contains("empty.csv"), emptyRun.err)

        let binary = path("photo.csv")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]).write(to: URL(fileURLWithPath: binary))
        let binaryRun = try crm("import", binary, "--db", db)
        XCTAssertEqual(binaryRun.status, 65, binaryRun.err)
        XCTAssertTrue(binaryRun.err.contains("photo.csv") && binaryRun.err.contains("binary"), binaryRun.err)

        let vcard = try write("fake.vcf", "Name,Email\nAda,ada@example.com\n")
        XCTAssertEqual(try crm("import", vcard, "--db", db).status, 65, "not what it claims")

        let owner = try crm("import", good, "--db", db, "--owner", "omdi")
        XCTAssertEqual(owner.status, 67, owner.err)
        XCTAssertTrue(owner.err.contains("no user \"omdi\"; did you mean omid?"), owner.err)

        let policy = try crm("import", good, "--db", db, "--on-duplicate", "replace")
        XCTAssertEqual(policy.status, 64)
        XCTAssertTrue(policy.err.contains("--on-duplicate is \"replace\"; expected skip, merge, create"), policy.err)

        XCTAssertEqual(fileBytes(db), before, "nothing written in any case")
        let database = try Database(path: db, mode: .read)
        XCTAssertEqual(try database.importRepository.importBatches(limit: 5).count, 0)
        XCTAssertEqual(try database.users.all().map(\.login), ["omid", "sara", "tester"], "no user added")
    }

    /// The import is one transaction: killed with SIGKILL while it writes,
    /// it leaves the database exactly as it was.
    func testKillNineDuringAHundredThousandRowImportLeavesTheDatabaseUnchanged() throws {
        let db = try databaseWithAda()
        let counts = try tableCounts(db)
        var csv = Self.googleHeader
        csv.reserveCapacity(12_000_000)
        for i in 0..<100_000 {
            csv += "Person \(i),Person,\(i),Company \(i % 5000),Work,p\(i)@example.com,Mobile,+49 30 \(2_000_000 + i),imported\n"
        }
        let file = try write("big.csv", csv)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["import", file, "--db", db, "--user", "sara"]
        process.environment = ["HOME": folder.path, "XDG_DATA_HOME": folder.appendingPathComponent("data").path,
                               "TZ": "UTC", "LANG": "C.UTF-8", "USER": "tester", "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until it is writing: the -wal grows past its first pages.
        let wal = db + "-wal"
        let deadline = Date().addingTimeInterval(60)
        var walSize: UInt64 = 0
        while process.isRunning && Date() < deadline {
            walSize = ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? UInt64) ?? 0
            if walSize > 4_000_000 { break }
            usleep(5_000)
        }
        XCTAssertTrue(process.isRunning, "the import ended before it could be killed (wal \(walSize) bytes)")
        XCTAssertGreaterThan(walSize, 4_000_000, "the import never started writing")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        XCTAssertEqual(try tableCounts(db), counts, "exactly as before")
        let database = try Database(path: db, login: "sara")
        XCTAssertEqual(try database.integrityCheck(), ["ok"])
        XCTAssertEqual(try database.contacts.search("Person", filter: ContactFilter(), limit: 5).count, 0)
    }

    /// `crm bench --only import` at its smallest size, so the bench cannot
    /// rot: one run prints both whole-process times, the ratio and the
    /// measured peak memory of two import sizes (figures are printed, never
    /// asserted). Needs the sqlite3 shell (TEST_PACKAGES).
    func testImportBenchPrintsBothTimesTheRatioAndMeasuredMemoryInOneRun() throws {
        let bench = try crm("bench", "--only", "import", "--contacts", "100", "--runs", "1")
        XCTAssertEqual(bench.status, 0, bench.out + bench.err)
        XCTAssertTrue(bench.out.contains("sqlite3 was asked"), bench.out)
        XCTAssertTrue(bench.out.contains(".import --skip 1 FILE"), bench.out)
        let figures = try XCTUnwrap(bench.out.split(separator: "\n").first { $0.contains("rows 100: sqlite3 ") }, bench.out)
        XCTAssertTrue(figures.contains(" s, crm import ") && figures.contains("x (target ≤ 1.5x"), String(figures))
        let memory = try XCTUnwrap(bench.out.split(separator: "\n").first { $0.contains("peak memory") }, bench.out)
        XCTAssertTrue(memory.contains("10 rows ") && memory.contains("1000 rows "), String(memory))
        XCTAssertFalse(memory.contains(" 0.0 MiB"), "memory is read from the child process: \(memory)")
        XCTAssertTrue(bench.out.contains("crm import (whole process, one transaction)"), bench.out)
        XCTAssertTrue(bench.out.contains("processor time (user + system"), bench.out)
        // Where the time went, as the child import reported it (CRM_BENCH_IMPORT_PHASES).
        XCTAssertTrue(bench.out.contains("where the last crm import's time went"), bench.out)
    }

    func tableCounts(_ db: String) throws -> [Int64] {
        let database = try Database(path: db, login: "sara")
        return try ["contacts", "companies", "contact_emails", "contact_phones", "contact_tags", "tags", "import_batches",
                    "audit_log", "users", "contact_fts", "phone_fts"].map {
            try database.connection.scalar("SELECT count(*) FROM \($0)") ?? -1
        }
    }
}
