import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm export` as a user runs it: the real binary on a real database, its
/// vCards read by khard and abook (both in TEST_PACKAGES), and the rules for
/// the --out file.
final class ExportE2ETests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs `executable` with a pinned environment, all of its output kept.
    @discardableResult
    func run(_ executable: URL, _ args: [String], environment extra: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        process.environment = ["HOME": folder.path, "XDG_DATA_HOME": path("data"), "XDG_CONFIG_HOME": path("config"),
                               "TZ": "UTC", "LANG": "C.UTF-8", "USER": "tester", "PATH": "/usr/bin:/bin"]
            .merging(extra) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                   err: String(decoding: errData, as: UTF8.self))
    }

    func crm(_ args: String...) throws -> Run { try run(CLITests.binary, args) }

    /// A program the test needs: its absence fails the test with what to
    /// install (CI installs the Makefile's TEST_PACKAGES), never a silent skip.
    func tool(_ name: String) throws -> URL {
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        XCTFail("\(name) is not installed: apt-get install -y \(name) (it is in TEST_PACKAGES; 'make test-deps' installs them)")
        throw XCTSkip("\(name) missing")
    }

    struct Person: Hashable {
        var name: String
        var emails: [EmailAddress]
        var phones: [PhoneNumber]
    }

    /// German, Persian and Chinese names, several emails and phones each.
    /// Phones carry at most one of each of abook's four kinds (home, work,
    /// mobile, fax): abook keeps one number per kind and drops the rest.
    static let people = [
        Person(name: "Günter Müller-Lüdenscheidt",
               emails: [EmailAddress("guenter@mueller.de", label: "work"), EmailAddress("g.mueller@example.org", label: "home"),
                        EmailAddress("gm@verein.de", label: "Verein, Kasse")],
               phones: [PhoneNumber("+49 30 1234567", label: "work"), PhoneNumber("+49 171 9936679", label: "mobile"),
                        PhoneNumber("+49 30 7654321", label: "fax")]),
        Person(name: "مریم رضایی",
               emails: [EmailAddress("maryam.rezaei@example.ir", label: "work"), EmailAddress("m.rezaei@mail.example.com")],
               phones: [PhoneNumber("+98 21 8888 1234", label: "home"), PhoneNumber("+98 912 345 6789", label: "mobile")]),
        Person(name: "王小明",
               emails: [EmailAddress("xiaoming.wang@example.cn", label: "work"), EmailAddress("wxm@example.org", label: "home")],
               phones: [PhoneNumber("+86 10 6552 9988", label: "work"), PhoneNumber("+86 139 1234 5678", label: "mobile"),
                        PhoneNumber("+86 10 6552 9900", label: "home")]),
        Person(name: "Zoë O'Brien; \"Zo\", Jr.",
               emails: [EmailAddress("zoe@obrien.ie")],
               phones: [PhoneNumber("+353 1 234 5678", label: "work")]),
    ]

    func makeFixture() throws -> String {
        let file = path("fixture.db")
        let db = try Database(path: file, login: "tester")
        let company = try db.companies.create(Company(name: "Grüne Wiese GmbH"))
        for (i, p) in Self.people.enumerated() {
            // A note long enough to fold, in Persian, on the second person.
            let notes = i == 1 ? String(repeating: "یادداشت جلسه با مشتری، ", count: 12) : "Notiz: erste Zeile\nzweite Zeile"
            _ = try db.contacts.create(Contact(name: p.name, title: "Leitung", companyID: i == 0 ? company.id : nil,
                                               emails: p.emails, phones: p.phones, tags: ["messe", "vip"], notes: notes))
        }
        return file
    }

    /// One .vcf per card: what a vdir (khard's address book) holds.
    func splitCards(_ file: String, into dir: String) throws -> Int {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let cards = text.components(separatedBy: "END:VCARD\r\n").filter { !$0.isEmpty }
        for (i, card) in cards.enumerated() {
            try (card + "END:VCARD\r\n").write(toFile: "\(dir)/\(i).vcf", atomically: false, encoding: .utf8)
        }
        return cards.count
    }

    func testKhardAndAbookReadEveryNameEmailAndPhone() throws {
        let khard = try tool("khard"), abook = try tool("abook")
        let db = try makeFixture()
        for version in ["4", "3"] {
            let vcf = path("contacts-v\(version).vcf")
            let export = try crm("export", "contacts", "--format", "vcard", "--vcard-version", version, "--out", vcf, "--db", db)
            XCTAssertEqual(export.status, 0, export.err)
            XCTAssertTrue(export.err.contains("wrote 4 cards"), export.err)

            // khard: a vdir, named in a config under a temporary XDG_CONFIG_HOME.
            let vdir = path("vdir-\(version)")
            XCTAssertEqual(try splitCards(vcf, into: vdir), 4)
            try FileManager.default.createDirectory(atPath: path("config/khard"), withIntermediateDirectories: true)
            // khard shows names built from N unless told to show FN, the name as stored.
            try "[addressbooks]\n[[crm]]\npath = \(vdir)\n[general]\ndefault_action = list\n[contact table]\ndisplay = formatted_name\n"
                .write(toFile: path("config/khard/khard.conf"), atomically: false, encoding: .utf8)
            let names = try run(khard, ["list", "--parsable"])
            XCTAssertEqual(names.status, 0, names.err)
            let emails = try run(khard, ["email", "--parsable"])
            let phones = try run(khard, ["phone", "--parsable"])
            XCTAssertEqual(Set(names.out.split(separator: "\n").map { $0.split(separator: "\t")[1] }.map(String.init)),
                           Set(Self.people.map(\.name)), "khard, vCard \(version): names")
            for p in Self.people {
                for e in p.emails {
                    XCTAssertTrue(emails.out.contains("\(e.address)\t\(p.name)"), "khard, vCard \(version): \(e.address)\n\(emails.out)")
                }
                for n in p.phones {
                    XCTAssertTrue(phones.out.contains("\(n.number)\t\(p.name)"), "khard, vCard \(version): \(n.number)\n\(phones.out)")
                }
            }
            XCTAssertTrue(emails.out.contains("gm@verein.de\tGünter Müller-Lüdenscheidt\tVerein, Kasse"), "a typed label survives: \(emails.out)")

            // abook: the whole file converted to its own format.
            let converted = try run(abook, ["--convert", "--informat", "vcard", "--infile", vcf, "--outformat", "abook"])
            XCTAssertEqual(converted.status, 0, converted.err)
            // abook 0.6.1 does not undo a text value's escapes (RFC 6350 3.4,
            // RFC 2426 4 require \, \; and \\ in text): its names are
            // compared with them undone; every character arrives.
            let entries = AbookFile.entries(converted.out).map { entry in
                entry.mapValues { $0.replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";") }
            }
            XCTAssertEqual(Set(entries.map { $0["name"] ?? "" }), Set(Self.people.map(\.name)), "abook, vCard \(version): names")
            for p in Self.people {
                let entry = try XCTUnwrap(entries.first { $0["name"] == p.name }, "abook lost \(p.name)")
                XCTAssertEqual(Set((entry["email"] ?? "").split(separator: ",").map(String.init)), Set(p.emails.map(\.address)),
                               "abook, vCard \(version): emails of \(p.name)")
                let numbers = ["phone", "workphone", "mobile", "fax"].compactMap { entry[$0] }
                XCTAssertEqual(Set(numbers), Set(p.phones.map(\.number)), "abook, vCard \(version): phones of \(p.name)")
            }
        }
    }

    func testOutIsNewPrivateNeverOverwrittenWithoutForceAndNeverThroughALink() throws {
        let db = try makeFixture()
        let out = path("contacts.csv")
        let first = try crm("export", "--out", out, "--db", db)
        XCTAssertEqual(first.status, 0, first.err)
        var st = stat()
        XCTAssertEqual(lstat(out, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("id,name,title,company,lifecycle,owner,source,tags,notes,created_at,updated_at,email_1,email_1_label,"))

        // An existing file is refused and left as it is.
        try "keep me".write(toFile: out, atomically: false, encoding: .utf8)
        let again = try crm("export", "--out", out, "--db", db)
        XCTAssertEqual(again.status, 73)
        XCTAssertTrue(again.err.contains("exists") && again.err.contains("--force"), again.err)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me")
        let forced = try crm("export", "--out", out, "--force", "--db", db)
        XCTAssertEqual(forced.status, 0, forced.err)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), csv)

        // A symbolic link at the name (even a dangling one) is refused;
        // with --force the link itself is replaced and its target untouched.
        let target = path("victim.txt")
        try "precious".write(toFile: target, atomically: false, encoding: .utf8)
        let link = path("link.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let viaLink = try crm("export", "--out", link, "--db", db)
        XCTAssertEqual(viaLink.status, 73)
        XCTAssertTrue(viaLink.err.contains("symbolic link"), viaLink.err)
        let dangling = path("dangling.csv")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: path("nowhere.csv"))
        XCTAssertEqual(try crm("export", "--out", dangling, "--db", db).status, 73)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("nowhere.csv")))
        XCTAssertEqual(try crm("export", "--out", link, "--force", "--db", db).status, 0)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "precious")
        XCTAssertEqual(lstat(link, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFREG, "the link was replaced by the export")
        XCTAssertEqual(st.st_mode & 0o777, 0o600)

        // Nothing but the exports is left in the folder (no temporary files).
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(names, [])
    }

    func testUsageErrorsAndStdout() throws {
        let db = try makeFixture()
        XCTAssertEqual(try crm("export", "deals", "--format", "vcard", "--db", db).status, 64)
        XCTAssertEqual(try crm("export", "all", "--format", "csv", "--db", db).status, 64)
        XCTAssertEqual(try crm("export", "people", "--db", db).status, 64)
        XCTAssertEqual(try crm("export", "--force", "--db", db).status, 64)
        XCTAssertEqual(try crm("export", "--vcard-version", "2", "--db", db).status, 64)
        // A vCard version for a CSV export is refused, not ignored (QA 43 #11).
        let csvWithVersion = try crm("export", "contacts", "--vcard-version", "3", "--db", db)
        XCTAssertEqual(csvWithVersion.status, 64)
        XCTAssertTrue(csvWithVersion.err.contains("--vcard-version goes with a vCard export"), csvWithVersion.err)
        XCTAssertEqual(try crm("export", "--db", path("missing.db")).status, 66)
        // A file's extension that names a format the kind cannot take is refused, never written as something else.
        let vcf = try crm("export", "deals", "--out", path("deals.vcf"), "--db", db)
        XCTAssertEqual(vcf.status, 64)
        XCTAssertTrue(vcf.err.contains("ends in .vcf, a vCard file, and vCard holds contacts only"), vcf.err)
        let csv = try crm("export", "all", "--out", path("all.csv"), "--db", db)
        XCTAssertEqual(csv.status, 64)
        XCTAssertTrue(csv.err.contains("'all' is the complete copy, written as JSON lines only"), csv.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("deals.vcf")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("all.csv")))
        // Into a pipe, the data goes out as it is (not sanitised): a CSV
        // record with a line break inside its quotes.
        let piped = try crm("export", "contacts", "--db", db)
        XCTAssertEqual(piped.status, 0, piped.err)
        XCTAssertTrue(piped.out.contains("\"Notiz: erste Zeile\nzweite Zeile\""), piped.out)
        let json = try crm("export", "all", "--db", db)
        XCTAssertTrue(json.out.hasPrefix("{\"type\":\"header\",\"format\":\"crm-export\",\"version\":1,"), json.out)
        XCTAssertEqual(try crm("help", "export").status, 0)
        // Read-only: the file is not changed by an export.
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        _ = try crm("export", "all", "--db", db)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
    }
}

extension ExportE2ETests {
    /// A card keeps its UID through crm (QA 43 #15): an imported card's UID is
    /// exported again, and a contact made here keeps the one its first export
    /// gave it through an export, an import elsewhere and an export again, so
    /// an address book updates its cards instead of adding them twice. A
    /// stored UID with a line break in it stays one property.
    /// QA 45 IO #4: a complete copy loaded into a database that has users
    /// replaces them with the copy's; the load says who went, whose role
    /// changed, and that the one who loaded it is not among them.
    func testLoadingACopySaysWhichUsersItReplaced() throws {
        let source = path("source.db"), target = path("target.db")
        XCTAssertEqual(try crm("demo", "--db", source, "--contacts", "5").status, 0)
        XCTAssertEqual(try crm("export", "all", "--out", path("all.jsonl"), "--db", source).status, 0)
        // zed, the first to open the new file, is its admin.
        XCTAssertEqual(try crm("user", "add", "omid", "--role", "admin", "--db", target, "--user", "zed").status, 0)
        let load = try crm("import", path("all.jsonl"), "--db", target, "--user", "zed")
        XCTAssertEqual(load.status, 0, load.err)
        XCTAssertTrue(load.err.contains("the database's users were replaced by the copy's, as they are in it; "
                                        + "not in the copy, so gone: zed (admin); omid is rep (was admin)"), load.err)
        XCTAssertTrue(load.err.contains("you (zed) are no user of the loaded copy; its admin is sara: use --user with one of them"), load.err)
        // A new file's loader who is in the copy hears nothing of users.
        let fresh = try crm("import", path("all.jsonl"), "--db", path("fresh.db"), "--user", "sara")
        XCTAssertEqual(fresh.status, 0, fresh.err)
        XCTAssertFalse(fresh.err.contains("replaced"), fresh.err)
    }

    func testACardsUIDSurvivesAnImportAndAnExport() throws {
        let cards = path("phone.vcf")
        try ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Uid\r\nEMAIL:ana@example.com\r\nUID:phone-4711\r\nEND:VCARD\r\n"
             + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Break\r\nUID:two\\nlines\r\nEND:VCARD\r\n")
            .write(toFile: cards, atomically: true, encoding: .utf8)
        let first = path("first.db")
        XCTAssertEqual(try crm("import", cards, "--db", first).status, 0)
        _ = try crm("demo", "--db", first, "--append", "--contacts", "3")
        let exported = try crm("export", "contacts", "--format", "vcard", "--db", first)
        XCTAssertEqual(exported.status, 0, exported.err)
        func uids(_ text: String) -> [String] { text.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") } }
        XCTAssertEqual(Array(uids(exported.out).prefix(2)), ["UID:phone-4711", "UID:two\\nlines"], exported.out)
        XCTAssertEqual(uids(exported.out).count, 5)
        // Into another database and out again: the same UIDs, card for card.
        try exported.out.write(toFile: path("out.vcf"), atomically: true, encoding: .utf8)
        let second = path("second.db")
        XCTAssertEqual(try crm("import", path("out.vcf"), "--db", second).status, 0)
        let again = try crm("export", "contacts", "--format", "vcard", "--db", second)
        XCTAssertEqual(uids(again.out), uids(exported.out))
        // The complete copy carries it too.
        let all = try crm("export", "all", "--db", second)
        XCTAssertTrue(all.out.contains("\"uid\":\"phone-4711\""), all.out)
    }

    /// Into a pipe a stored escape sequence is data and goes out as it is;
    /// onto a terminal the same export shows it as visible symbols.
    func testAStoredEscapeSequenceReachesAPipeButNotATerminal() throws {
        let file = path("escape.db")
        let db = try Database(path: file, login: "tester")
        _ = try db.contacts.create(Contact(name: "Mallory \u{1B}]0;owned\u{07}", notes: "red \u{1B}[31m text\u{9B}2J"))
        let piped = try crm("export", "--db", file)
        XCTAssertTrue(piped.out.contains("Mallory \u{1B}]0;owned\u{07}"), piped.out)
        XCTAssertTrue(piped.out.contains("red \u{1B}[31m text\u{9B}2J"))

        let environment = ["HOME": folder.path, "TZ": "UTC", "LANG": "C.UTF-8", "USER": "tester", "PATH": "/usr/bin:/bin"]
        let terminal = try PseudoTerminal([CLITests.binary.path, "export", "--format", "vcard", "--db", file], environment: environment)
        XCTAssertTrue(terminal.waitFor("END:VCARD"), String(decoding: terminal.output, as: UTF8.self))
        XCTAssertEqual(terminal.waitForExit(), 0)
        terminal.drain()
        let shown = terminal.output
        XCTAssertFalse(shown.contains(0x1B), "an ESC reached the terminal: \(String(decoding: shown, as: UTF8.self))")
        XCTAssertFalse(shown.contains(0x07))
        XCTAssertFalse(String(decoding: shown, as: UTF8.self).unicodeScalars.contains("\u{9B}"))
        XCTAssertTrue(String(decoding: shown, as: UTF8.self).contains("FN:Mallory "))
    }
}

extension ExportE2ETests {
    /// Ctrl-C in the middle of an export to a file: no file at the name, and
    /// the temporary one is gone too.
    func testAnInterruptedExportLeavesNothing() throws {
        let db = path("big.db")
        XCTAssertEqual(try crm("demo", "--db", db, "--contacts", "5000", "--seed", "2").status, 0)
        let outFolder = path("out")
        try FileManager.default.createDirectory(atPath: outFolder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["export", "all", "--out", outFolder + "/copy.jsonl", "--db", db]
        process.environment = ["HOME": folder.path, "TZ": "UTC", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Poll (no sleep as synchronisation) until the temporary file is being written.
        let deadline = Date().addingTimeInterval(30)
        var seen = false
        while Date() < deadline && process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: outFolder)) ?? []
            if let temp = names.first(where: { $0.hasPrefix(".copy.jsonl.") }),
               let size = (try? FileManager.default.attributesOfItem(atPath: outFolder + "/" + temp))?[.size] as? Int, size > 0 {
                seen = true
                break
            }
            usleep(2_000)
        }
        XCTAssertTrue(seen, "the export's temporary file never appeared")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outFolder), [])
    }
}

/// abook's own file format: "[n]" sections of key=value lines.
enum AbookFile {
    static func entries(_ text: String) -> [[String: String]] {
        var entries: [[String: String]] = []
        var current: [String: String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("["), line.hasSuffix("]"), Int(line.dropFirst().dropLast()) != nil {
                if let current { entries.append(current) }
                current = [:]
            } else if current != nil, let eq = line.firstIndex(of: "=") {
                current?[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
        }
        if let current { entries.append(current) }
        return entries
    }
}
