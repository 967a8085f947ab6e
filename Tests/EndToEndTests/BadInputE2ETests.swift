import Foundation
import XCTest

/// Every subcommand, as `crm --help` lists them: an unknown option and a
/// missing argument give one line naming what is wrong and what is
/// expected, exit 64, and nothing is created.
final class BadInputE2ETests: XCTestCase {
    var run: CRMRun!

    override func setUpWithError() throws { run = try CRMRun.temporary("bad-input") }
    override func tearDown() { run.remove() }

    func testTheTableHasTheKnownCommands() throws {
        let names = try CommandTable.read(run).commands.map(\.name)
        for name in ["demo", "check", "followups", "agenda", "lookup", "backup", "restore", "completion", "bench", "help"] {
            XCTAssertTrue(names.contains(name), "\(name) missing from crm --help: \(names)")
        }
    }

    func testUnknownOptionOnEveryCommand() throws {
        for command in try CommandTable.read(run).commands {
            // The required words first, so only the option is wrong.
            let args = [command.name] + placeholders(command) + ["--no-such-option"]
            let result = try run.crm(args)
            XCTAssertEqual(result.status, 64, "crm \(args.joined(separator: " ")): \(result.err)")
            let line = result.firstErrorLine
            XCTAssertTrue(line.hasPrefix("crm: ") && line.contains("--no-such-option"), "crm \(command.name): \(line)")
            XCTAssertTrue(line.contains("takes") || line.contains("expected"), "says what is expected: \(line)")
            XCTAssertEqual(result.out, "", "crm \(command.name) printed to stdout on a usage error")
            assertNothingCreated(command.name)
        }
    }

    func testADbThatIsAFolderOrEmptyIsSaidSo() throws {
        let folder = run.folder.path
        for (args, status, line) in [
            (["contacts", "--db", folder], Int32(66), "crm: --db: \(folder) is a folder, not a database file; name a file in it, e.g. \(folder)/crm.db"),
            (["user", "list", "--db", ""], 64, "crm: --db is empty; expected a database file (e.g. ~/crm.db) or a PostgreSQL connection string"),
        ] {
            let result = try run.crm(args)
            XCTAssertEqual(result.status, status, "\(args): \(result.err)")
            XCTAssertEqual(result.firstErrorLine, line)
        }
    }

    func testMissingArgumentsOnEveryCommand() throws {
        for command in try CommandTable.read(run).commands {
            if !command.required.isEmpty {
                let result = try run.crm(command.name)
                XCTAssertEqual(result.status, 64, "crm \(command.name) without \(command.required): \(result.err)")
                let line = result.firstErrorLine
                XCTAssertTrue(line.hasPrefix("crm: "), line)
                XCTAssertTrue(line.contains("e.g.") || line.contains("expected") || line.contains("required") || line.contains("name"),
                              "crm \(command.name): says what is expected: \(line)")
            }
            // Every option that takes a value, given none.
            for option in command.valueOptions {
                let args = [command.name] + placeholders(command) + [option]
                let result = try run.crm(args)
                XCTAssertEqual(result.status, 64, "crm \(args.joined(separator: " ")): \(result.err)")
                XCTAssertTrue(result.firstErrorLine.contains("\(option) needs a value"), result.firstErrorLine)
            }
            assertNothingCreated(command.name)
        }
    }

    /// Values for the required words of a usage line: the option's own
    /// name for `--db PATH`-style pairs (with a path), a word for the rest.
    /// Alternatives (`--contact ID|--phone NUMBER|--email ADDRESS`) take
    /// the first one.
    func placeholders(_ command: CommandTable.Command) -> [String] {
        var out: [String] = []
        var inAlternatives = false
        for word in command.required {
            if inAlternatives {
                // The words of the other alternatives, up to the last one's value.
                if !word.contains("|") && !word.hasPrefix("-") { inAlternatives = false }
                continue
            }
            if word.hasPrefix("-") {
                out.append(word)
            } else if word.contains("|") {
                let first = String(word.split(separator: "|")[0])
                out.append(first.hasPrefix("-") || first.first?.isLowercase == true ? first : value(for: first))
                inAlternatives = true
            } else {
                out.append(value(for: word))
            }
        }
        return out
    }

    /// A value of the right kind for a placeholder, so only the option under test is wrong.
    func value(for placeholder: String) -> String {
        switch placeholder {
        case "NUMBER": "0171 9936679"
        case "ID": "1"
        case "TYPE": "note"
        default: run.path("arg-\(placeholder.lowercased())")
        }
    }

    func assertNothingCreated(_ command: String, file: StaticString = #filePath, line: UInt = #line) {
        let made = (try? FileManager.default.contentsOfDirectory(atPath: run.folder.path)) ?? []
        XCTAssertEqual(made.filter { !$0.hasPrefix("stderr-") }, [], "crm \(command) created files on bad input", file: file, line: line)
    }
}
