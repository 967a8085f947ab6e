import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// The real `crm` binary, run as a user or a script would run it.
final class CLITests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// `crm` in the build folder this test runs from (any --scratch-path),
    /// else `<package>/.build/debug/crm`.
    static let binary: URL = {
        let candidates = [
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("crm")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue { return url }
        }
        return candidates.last!.appendingPathComponent("crm")
    }()

    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs crm with a pinned environment: its own HOME and data folder, so a
    /// test never reads or writes the real ~/.local/share/crm.
    @discardableResult
    func crm(_ args: String...) throws -> Result {
        try crm(args)
    }

    @discardableResult
    func crm(_ args: [String]) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = args
        process.environment = ["HOME": folder.path, "XDG_DATA_HOME": folder.appendingPathComponent("data").path,
                               "TZ": "UTC", "LANG": "C.UTF-8", "USER": "tester", "PATH": "/usr/bin:/bin"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func testHelpAndVersionExitZero() throws {
        let help = try crm("--help")
        XCTAssertEqual(help.status, 0, help.err)
        XCTAssertTrue(help.out.contains("usage: crm"))
        XCTAssertTrue(help.out.contains("CRM_DB") && help.out.contains("XDG_DATA_HOME"))
        XCTAssertEqual(try crm("help", "demo").status, 0)
        XCTAssertTrue(try crm("--version").out.hasPrefix("crm "))
    }

    func testUnknownOptionsAndBadValuesAreUsageErrors() throws {
        let unknown = try crm("--bogus")
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.err.contains("unknown option --bogus"), unknown.err)
        XCTAssertTrue(unknown.err.contains("usage: crm"), unknown.err)
        XCTAssertEqual(try crm("frobnicate").status, 64)
        let bad = try crm("demo", "--db", path("x.db"), "--contacts", "lots")
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.err.contains("--contacts is \"lots\"; expected a whole number"), bad.err)
        XCTAssertEqual(try crm("demo").status, 64, "demo without --db")
    }

    func testDemoThenCheckWithPrivateFileModes() throws {
        let db = path("new/folder/crm.db")
        let demo = try crm("demo", "--db", db, "--contacts", "200", "--seed", "1")
        XCTAssertEqual(demo.status, 0, demo.err)
        XCTAssertTrue(demo.out.contains("added 200 contacts"), demo.out)
        let check = try crm("check", "--db", db)
        XCTAssertEqual(check.status, 0, check.err)
        XCTAssertTrue(check.out.contains("integrity:       ok"), check.out)
        XCTAssertTrue(check.out.contains("schema version:  \(Database.supportedSchemaVersion)"), check.out)
        // The demo counts interactions as check and backup do, stage moves apart (QA 41 #12).
        let said = demo.out.range(of: #"\d+ interactions \(and \d+ stage moves in the timelines\)"#, options: .regularExpression)
        let interactions = said.map { demo.out[$0].split(separator: " ")[0] }
        XCTAssertNotNil(interactions, demo.out)
        let backup = try crm("backup", path("copy.db"), "--db", db)
        XCTAssertEqual(backup.status, 0, backup.err)
        XCTAssertTrue(backup.out.contains(" \(interactions ?? "?") interactions,"), backup.out + demo.out)
        let fm = FileManager.default
        XCTAssertEqual((try fm.attributesOfItem(atPath: db)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual((try fm.attributesOfItem(atPath: path("new/folder"))[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        XCTAssertEqual((try fm.attributesOfItem(atPath: path("new"))[.posixPermissions] as? NSNumber)?.intValue, 0o700)

        // A filled database is not filled again by accident.
        let again = try crm("demo", "--db", db)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.err.contains("--append"), again.err)
        // Without a terminal the screen is refused, with a pointer to the
        // subcommands, before anything is created.
        let open = try crm("--user", "sara")
        XCTAssertEqual(open.status, 64, open.err)
        XCTAssertTrue(open.err.contains("needs a terminal"), open.err)
        XCTAssertFalse(fm.fileExists(atPath: path("data/crm/crm.db")))
    }

    /// QA 31 #10, as a person meets it: contacts whose stored last contact
    /// time is not their latest interaction's (a copy imported with none)
    /// are named by `crm check`, with the way to mend them, and that way
    /// (a JSON copy imported into a new file) mends them.
    func testCheckNamesAWrongLastContactAndAJSONCopyMendsIt() throws {
        let db = path("crm.db")
        XCTAssertEqual(try crm("demo", "--db", db, "--contacts", "20", "--seed", "4").status, 0)
        let sound = try crm("check", "--db", db)
        XCTAssertEqual(sound.status, 0, sound.out)
        XCTAssertTrue(sound.out.contains("last contact:    ok"), sound.out)

        do {
            let admin = try XCTUnwrap(try Connection(path: db, readOnly: true).first("SELECT login FROM users WHERE role = 'admin'") { $0.string(0) })
            let d = try Database(path: db, login: admin)
            try d.connection.run("UPDATE contacts SET name = ?, last_interaction_at = NULL WHERE id = 1", ["Evil\u{1b}]0;x\u{07}\nlast contact:    ok"])
            try d.connection.run("UPDATE contacts SET last_interaction_at = last_interaction_at - 86400 WHERE id = 2")
        }
        let broken = try crm("check", "--db", db)
        XCTAssertEqual(broken.status, 1, broken.out)
        XCTAssertTrue(broken.out.contains("integrity:       ok"), broken.out)
        XCTAssertTrue(broken.out.contains("last contact:    2 contacts' stored last contact time is not the time of their latest interaction"),
                      broken.out)
        XCTAssertTrue(broken.out.contains("\n  #1 Evil"), broken.out)
        XCTAssertTrue(broken.out.contains(": stored none, latest interaction 20"), broken.out)
        XCTAssertTrue(broken.out.contains("\n  #2 "), broken.out)
        XCTAssertFalse(broken.out.contains("\u{1b}") || broken.out.contains("\u{07}"), "a stored control reached the terminal")
        XCTAssertFalse(broken.out.contains("\nlast contact:    ok"), "a stored line break made a line of the report: \(broken.out)")
        XCTAssertTrue(broken.out.contains("crm export all --out copy.jsonl") && broken.out.contains("crm import copy.jsonl --db NEW.db"),
                      broken.out)

        XCTAssertEqual(try crm("export", "all", "--out", path("copy.jsonl"), "--db", db).status, 0)
        let imported = try crm("import", path("copy.jsonl"), "--db", path("new.db"))
        XCTAssertEqual(imported.status, 0, imported.err)
        let mended = try crm("check", "--db", path("new.db"))
        XCTAssertEqual(mended.status, 0, mended.out)
        XCTAssertTrue(mended.out.contains("last contact:    ok"), mended.out)
    }

    func testNewerSchemaIsRefused() throws {
        let db = path("newer.db")
        XCTAssertEqual(try crm("demo", "--db", db, "--contacts", "5").status, 0)
        try Connection(path: db).execute("PRAGMA user_version = 99")
        // Every command that opens the database refuses it (the screen needs a
        // terminal, so a scripting command stands in for it here).
        let open = try crm("agenda", "--db", db)
        XCTAssertEqual(open.status, 65)
        XCTAssertTrue(open.err.contains("schema version 99"), open.err)
        XCTAssertTrue(open.err.contains("newer crm"), open.err)
        let check = try crm("check", "--db", db)
        XCTAssertTrue(check.out.contains("99"), check.out)
    }

    func testMissingDatabaseForCheck() throws {
        let check = try crm("check", "--db", path("none.db"))
        XCTAssertEqual(check.status, 66)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("none.db")), "check must not create a database")
    }

    func testWriteFromAnotherProcessIsSeenByChangeFeed() throws {
        let dbPath = path("shared.db")
        XCTAssertEqual(try crm("demo", "--db", dbPath, "--contacts", "10").status, 0)
        let db = try Database(path: dbPath)
        _ = try db.pollChanges()
        XCTAssertEqual(try db.pollChanges(), .none)
        let append = try crm("demo", "--db", dbPath, "--contacts", "5", "--seed", "9", "--append")
        XCTAssertEqual(append.status, 0, append.err)
        let changes = try db.pollChanges()
        XCTAssertTrue(changes.isSuperset(of: [.contacts, .interactions]), "\(changes)")
        XCTAssertEqual(try db.contacts.count(filter: ContactFilter()), 15)
    }

    /// `crm lookup NUMBER`: who has this number, in any form; exit 1 when
    /// nobody (the whole card: OutsideCommandsE2ETests).
    func testLookupPrintsTheContactsWithTheMatchedNumber() throws {
        let settings = folder.appendingPathComponent(".config/crm")
        try FileManager.default.createDirectory(at: settings, withIntermediateDirectories: true)
        try "phone_region = DE\n".write(to: settings.appendingPathComponent("settings"), atomically: true, encoding: .utf8)
        let dbPath = folder.appendingPathComponent("lookup.db").path
        do {
            let db = try Database(path: dbPath, login: "tester", phoneRegion: PhoneRegion(code: "DE"))
            let acme = try db.companies.create(Company(name: "Acme GmbH"))
            _ = try db.contacts.create(Contact(name: "Günter Müller", companyID: acme.id,
                                               phones: [PhoneNumber("030 5550000"), PhoneNumber("0171 9936679")]))
            _ = try db.contacts.create(Contact(name: "Erika Huber", phones: [PhoneNumber("+43 171 9936679")]))
        }
        for number in ["+49 171 9936679", "00491719936679", "01719936679"] {
            let found = try crm("lookup", number, "--db", dbPath)
            XCTAssertEqual(found.status, 0, found.err)
            XCTAssertTrue(found.out.hasPrefix("Günter Müller (Acme GmbH)\n  number:     0171 9936679\n"), "\(number): \(found.out)")
        }
        let unquoted = try crm("lookup", "+43", "171", "9936679", "--db", dbPath)
        XCTAssertTrue(unquoted.out.hasPrefix("Erika Huber\n  number:     +43 171 9936679\n"), unquoted.out)
        let nobody = try crm("lookup", "+1 212 555 0100", "--db", dbPath)
        XCTAssertEqual(nobody.status, 1)
        XCTAssertEqual(nobody.out, "")
        XCTAssertTrue(nobody.err.contains("no contact"), nobody.err)
        XCTAssertEqual(try crm("lookup", "Müller", "--db", dbPath).status, 65, "not a phone number")
    }
}
