import Foundation
import XCTest

/// The man page is generated from the help table (`crm help --roff`, `make
/// man`): Resources/crm.1 must be what the generator makes now, render with
/// groff without a warning, and be read by man. `make install` puts it and
/// the binary in place; `crm completion` gives the shells the same table.
final class ManPageE2ETests: XCTestCase {
    var run: CRMRun!
    let manPage = CRMRun.packageRoot.appendingPathComponent("Resources/crm.1")

    override func setUpWithError() throws { run = try CRMRun.temporary("man") }
    override func tearDown() { run.remove() }

    func testResourcesManPageIsWhatTheGeneratorMakesNow() throws {
        let generated = try run.crm("help", "--roff")
        XCTAssertEqual(generated.status, 0, generated.err)
        let stored = try String(contentsOf: manPage, encoding: .utf8)
        if stored != generated.out {
            let a = stored.split(separator: "\n", omittingEmptySubsequences: false)
            let b = generated.out.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            XCTFail("""
                Resources/crm.1 is out of date with Sources/crm/Help.swift or the key tables: run make man. \
                First difference at line \((first?.offset ?? min(a.count, b.count)) + 1): \
                stored "\(first.map { String($0.element.0) } ?? "")", generated "\(first.map { String($0.element.1) } ?? "")"
                """)
        }
    }

    func testManPageCoversEveryCommandOptionAndSection() throws {
        let roff = try String(contentsOf: manPage, encoding: .utf8)
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "KEYS", "ENVIRONMENT", "FILES", "EXIT STATUS"] {
            XCTAssertTrue(roff.contains(".SH \(section)\n") || roff.contains(".SH \"\(section)\"\n"), "no \(section) section")
        }
        for command in try CommandTable.read(run).commands {
            XCTAssertTrue(roff.contains(".SS \"\(command.name)\""), "\(command.name) has no entry under COMMANDS")
            for option in command.valueOptions + command.flags where option != "-h" && option != "--help" {
                XCTAssertTrue(roff.contains("\\fB" + option.replacingOccurrences(of: "-", with: "\\-")), "\(command.name) \(option) not in the man page")
            }
        }
        // Keys come from the screen's key tables: a few that must be there.
        for key in ["Pipeline (3)", "Call mode (c)", "Everywhere", "Mark won", "Restore"] {
            XCTAssertTrue(roff.contains(key), "\(key) not under KEYS")
        }
    }

    func testGroffRendersWithoutWarningsAndManReadsIt() throws {
        guard let groff = CRMRun.which("groff"), let man = CRMRun.which("man") else {
            throw XCTSkip("groff and man are not installed (make test-deps installs man-db and groff-base)")
        }
        let checked = try run.run(groff, ["-ww", "-z", "-man", manPage.path])
        XCTAssertEqual(checked.status, 0, checked.err)
        XCTAssertEqual(checked.err, "", "groff warnings")
        let shown = try run.run(man, ["-l", manPage.path], extraEnvironment: ["MANWIDTH": "80"])
        XCTAssertEqual(shown.status, 0, shown.err)
        XCTAssertTrue(shown.out.contains("crm - a customer relationship manager"), shown.out.prefix(400).description)
        XCTAssertTrue(shown.out.contains("EXIT STATUS"))
        XCTAssertTrue(shown.out.contains("crm backup PATH"))
    }

    func testMakeInstallPutsBinaryAndManPageInPlace() throws {
        guard let make = CRMRun.which("make") else { throw XCTSkip("make is not installed") }
        let destdir = run.folder.appendingPathComponent("dest")
        // CRM_BINARY: the debug binary this test suite already built, so
        // the test does not build a release binary.
        let installed = try run.run(make, ["-s", "install", "DESTDIR=\(destdir.path)", "CRM_BINARY=\(CLITests.binary.path)"],
                                    in: CRMRun.packageRoot)
        XCTAssertEqual(installed.status, 0, installed.err + installed.out)
        let bin = destdir.appendingPathComponent("usr/local/bin/crm").path
        let page = destdir.appendingPathComponent("usr/local/share/man/man1/crm.1").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: bin))
        XCTAssertEqual(FileManager.default.contents(atPath: page), FileManager.default.contents(atPath: manPage.path))
        let version = try run.run(bin, ["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.out.hasPrefix("crm "), version.out)
        if let man = CRMRun.which("man") {
            let shown = try run.run(man, ["-l", page])
            XCTAssertTrue(shown.out.contains("COMMANDS"))
        }
        let removed = try run.run(make, ["-s", "uninstall", "DESTDIR=\(destdir.path)"], in: CRMRun.packageRoot)
        XCTAssertEqual(removed.status, 0, removed.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bin))
        XCTAssertFalse(FileManager.default.fileExists(atPath: page))
    }

    func testBashCompletionGivesSubcommandsOptionsAndValues() throws {
        guard let bash = CRMRun.which("bash") else { throw XCTSkip("no bash") }
        let script = run.path("crm.bash")
        let made = try run.crm("completion", "bash")
        XCTAssertEqual(made.status, 0, made.err)
        try made.out.write(toFile: script, atomically: true, encoding: .utf8)
        func complete(_ words: [String]) throws -> [String] {
            let array = words.map { "'\($0)'" }.joined(separator: " ")
            let result = try run.run(bash, ["-c", """
                source '\(script)'
                COMP_WORDS=(\(array)); COMP_CWORD=\(words.count - 1)
                _crm
                printf '%s\\n' "${COMPREPLY[@]}"
                """])
            XCTAssertEqual(result.status, 0, result.err)
            return result.out.split(separator: "\n").map(String.init)
        }
        let table = try CommandTable.read(run)
        let top = try complete(["crm", ""])
        for command in table.commands { XCTAssertTrue(top.contains(command.name), "\(command.name) not completed: \(top)") }
        XCTAssertEqual(try complete(["crm", "ba"]).sorted(), ["backup"])
        for command in table.commands {
            let options = try complete(["crm", command.name, "--"])
            for option in command.valueOptions + command.flags where option.hasPrefix("--") {
                XCTAssertTrue(options.contains(option), "crm \(command.name) \(option) not completed: \(options)")
            }
        }
        XCTAssertEqual(try complete(["crm", "followups", "--due", ""]).sorted(), ["overdue", "today", "week"])
        XCTAssertEqual(try complete(["crm", "completion", ""]).sorted(), ["--help", "bash", "fish", "zsh"])
    }

    func testZshAndFishScriptsParse() throws {
        for shell in ["zsh", "fish"] {
            let made = try run.crm("completion", shell)
            XCTAssertEqual(made.status, 0, made.err)
            XCTAssertTrue(made.out.contains("backup"))
            guard let program = CRMRun.which(shell) else { continue }
            let script = run.path("crm.\(shell)")
            try made.out.write(toFile: script, atomically: true, encoding: .utf8)
            let parsed = try run.run(program, ["-n", script])
            XCTAssertEqual(parsed.status, 0, "\(shell) -n: \(parsed.err)")
        }
        if let zsh = CRMRun.which("zsh") {
            // Loaded for real: compinit, then the script defines _crm for crm.
            let loaded = try run.run(zsh, ["-f", "-c", "autoload -Uz compinit && compinit -u -D && source <(\(CLITests.binary.path) completion zsh) && print -r -- ${_comps[crm]}"])
            XCTAssertEqual(loaded.status, 0, loaded.err)
            XCTAssertEqual(loaded.out.trimmingCharacters(in: .whitespacesAndNewlines), "_crm")
        }
    }
}
